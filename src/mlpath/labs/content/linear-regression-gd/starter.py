"""Lab: linear regression by gradient descent, from scratch with NumPy.

Implement every function marked TODO, then run `mlpath check linear-regression`.
The model is y_hat = X @ w + b with weights w (d,) and a separate intercept b (a float).
Do not use scikit-learn here: the checks compare you with it.
"""

import numpy as np  # noqa: F401 (you will need it)


def mse(X, y, w, b):
    """Mean squared error cost J(w, b) = (1/n) * sum_i (X[i] @ w + b - y[i])**2.

    Input: X (n, d), y (n,), w (d,), b float.
    Output: a float. Checked against sklearn.metrics.mean_squared_error with rtol=1e-10.
    """
    # TODO: residuals, then their mean square.
    raise NotImplementedError


def mse_gradient(X, y, w, b):
    """Gradient of mse() with respect to w and b.

    Output: (grad_w, grad_b): grad_w float array (d,) with dJ/dw_j, grad_b a float dJ/db.
    Checked against a central-difference numerical gradient of the MSE with rtol=1e-5.
    """
    # TODO: differentiate (1/n) * sum(r_i**2) with r = X @ w + b - y.
    raise NotImplementedError


def standardize(X):
    """Standardize each column to mean 0 and standard deviation 1.

    Output: (Z, mean, std): Z (n, d) = (X - mean) / std, with mean (d,) and std (d,) the column
    means and POPULATION standard deviations (ddof=0). Checked against
    sklearn.preprocessing.StandardScaler (mean_, scale_, transform) with rtol=1e-10.
    """
    # TODO
    raise NotImplementedError


def gradient_descent(X, y, lr, n_iters):
    """Batch gradient descent on the MSE, starting from w = 0, b = 0.

    Each of the n_iters steps moves w and b against the gradient of the MSE on ALL samples:
    w <- w - lr * grad_w, b <- b - lr * grad_b.
    Output: (w, b, history): the final w (d,) and b (float), and history, a list (or array)
    of n_iters floats with the MSE BEFORE each step.
    Checked on standardized data: history never increases, and (w, b) match
    sklearn.linear_model.LinearRegression fitted on the same data (rtol=1e-6).
    """
    # TODO: loop n_iters times: record mse, compute the gradient, update w and b.
    raise NotImplementedError


def fit_linear_regression(X, y, lr=0.1, n_iters=1000):
    """Fit linear regression on raw features by gradient descent on STANDARDIZED features.

    Steps: standardize X; run gradient_descent on (Z, y); convert the weights and intercept
    back to the original units of X, so that X @ w + b == Z @ w_z + b_z.
    Output: (w, b) in ORIGINAL units. Checked against LinearRegression().fit(X, y).coef_
    and .intercept_ with rtol=1e-5 (coefficients) and a matching intercept.
    """
    # TODO: w = w_z / std and b = b_z - (mean / std) @ w_z.
    raise NotImplementedError
