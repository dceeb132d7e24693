"""Reference solution: numerical gradients and a gradient check."""

import numpy as np


def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def quadratic(A, b, x):
    """f(x) = 1/2 xᵀ A x - bᵀ x for a square matrix A (not necessarily symmetric)."""
    return 0.5 * x @ A @ x - b @ x


def logistic_loss(w, X, y):
    """Mean binary cross-entropy of a logistic regression without intercept."""
    p = sigmoid(X @ w)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def numerical_gradient(f, x, eps=1e-5):
    """Central-difference estimate of the gradient of f at x (x is left unchanged)."""
    x = np.array(x, dtype=float)  # a private copy: the caller's x is never touched
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        f_plus = f(x)
        x[i] = original - eps
        f_minus = f(x)
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def quadratic_gradient(A, b, x):
    """Gradient of 1/2 xᵀ A x - bᵀ x: 1/2 (A + Aᵀ) x - b."""
    return 0.5 * (A + A.T) @ x - b


def logistic_gradient(w, X, y):
    """Gradient of the mean binary cross-entropy: Xᵀ (sigmoid(X w) - y) / n."""
    return X.T @ (sigmoid(X @ w) - y) / len(y)


def relative_error(a, b):
    """||a - b|| / max(||a|| + ||b||, 1e-12) over all elements."""
    a = np.ravel(a)
    b = np.ravel(b)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def gradient_check(f, grad_f, x, eps=1e-5, tol=1e-7):
    """(ok, error): the relative error between grad_f(x) and the numerical gradient, and error < tol."""
    error = relative_error(grad_f(x), numerical_gradient(f, x, eps))
    return error < tol, error
