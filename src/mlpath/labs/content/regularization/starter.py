"""Lab: ridge in closed form, lasso by coordinate descent, and a validation curve.

Implement every function marked TODO, then run `mlpath check regularization`.
Models are y_hat = X @ w + b with weights w (d,) and an intercept b (float). The intercept is
NEVER penalized. Do not use scikit-learn here: the checks compare you with it.
"""

import numpy as np  # noqa: F401 (you will need it)


def ridge_closed_form(X, y, alpha):
    """Ridge regression, the minimizer of ||y - X @ w - b||² + alpha * ||w||² (the convention of
    sklearn.linear_model.Ridge: a plain sum of squares, no 1/n).

    Input: X (n, d), y (n,), alpha >= 0.
    Output: (w, b): w float array (d,), b float. Because b is not penalized, centre X and y first,
    solve (Xc.T @ Xc + alpha * I) w = Xc.T @ yc, then b = mean(y) - mean(X) @ w.
    Checked against sklearn.linear_model.Ridge(alpha) coef_ / intercept_ with rtol=1e-8.
    """
    # TODO: centre, solve the linear system (np.linalg.solve), recover the intercept.
    raise NotImplementedError


def soft_threshold(z, t):
    """Soft-thresholding operator S(z, t) = sign(z) * max(|z| - t, 0), elementwise.

    Input: z: float or float array; t >= 0.
    Output: same shape as z. Checked on an array with rtol=1e-12.
    """
    # TODO
    raise NotImplementedError


def lasso_coordinate_descent(X, y, alpha, n_iters=1000):
    """Lasso by cyclic coordinate descent, minimizing sklearn's Lasso objective

        (1 / (2 * n)) * ||y - X @ w - b||² + alpha * ||w||_1

    Input: X (n, d), y (n,), alpha > 0, n_iters: number of full sweeps over the d coordinates.
    Output: (w, b) as for ridge_closed_form.
    Method: centre X and y (b is not penalized); start from w = 0; for each coordinate j,
    rho_j = Xc[:, j] @ (residual + Xc[:, j] * w[j]) / n with residual = yc - Xc @ w, then
    w[j] = soft_threshold(rho_j, alpha) / (Xc[:, j] @ Xc[:, j] / n); at the end b = mean(y) - mean(X) @ w.
    Checked against sklearn.linear_model.Lasso(alpha) run to a tight tolerance: coefficients and
    intercept with rtol=1e-5, atol=1e-6, and the same coefficients exactly 0.
    """
    # TODO: keep the residual up to date as each w[j] changes.
    raise NotImplementedError


def validation_curve(X_train, y_train, X_val, y_val, alphas):
    """Validation error of ridge regression for each penalty.

    For each alpha in alphas: fit ridge_closed_form on the TRAINING data, predict the VALIDATION
    data, and record the mean squared error (1/n_val) * sum((y_val - y_hat)**2).
    Output: float array of shape (len(alphas),). Checked against sklearn's Ridge and
    mean_squared_error with rtol=1e-8.
    """
    # TODO
    raise NotImplementedError


def best_alpha(alphas, val_mse):
    """The alpha with the smallest validation MSE (the first one if several tie).

    Output: a float, one of the values of alphas. Checked exactly.
    """
    # TODO: np.argmin.
    raise NotImplementedError
