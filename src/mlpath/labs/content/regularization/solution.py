"""Reference solution: ridge in closed form, lasso by coordinate descent, and a validation curve."""

import numpy as np


def _centre(X, y):
    x_mean, y_mean = X.mean(axis=0), y.mean()
    return X - x_mean, y - y_mean, x_mean, y_mean


def ridge_closed_form(X, y, alpha):
    Xc, yc, x_mean, y_mean = _centre(X, y)
    w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


def soft_threshold(z, t):
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def lasso_coordinate_descent(X, y, alpha, n_iters=1000):
    Xc, yc, x_mean, y_mean = _centre(X, y)
    n, d = Xc.shape
    col_sq = (Xc**2).sum(axis=0) / n
    w = np.zeros(d)
    residual = yc.copy()
    for _ in range(n_iters):
        for j in range(d):
            residual += Xc[:, j] * w[j]
            rho = Xc[:, j] @ residual / n
            w[j] = soft_threshold(rho, alpha) / col_sq[j]
            residual -= Xc[:, j] * w[j]
    return w, float(y_mean - x_mean @ w)


def validation_curve(X_train, y_train, X_val, y_val, alphas):
    errors = []
    for alpha in alphas:
        w, b = ridge_closed_form(X_train, y_train, alpha)
        errors.append(np.mean((y_val - (X_val @ w + b)) ** 2))
    return np.array(errors)


def best_alpha(alphas, val_mse):
    return float(alphas[int(np.argmin(val_mse))])
