"""Logistic regression from scratch: reference solution."""

import numpy as np


def sigmoid(z):
    """Numerically stable logistic function 1 / (1 + exp(-z)), elementwise."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def cost(w, b, X, y, lam=0.0):
    """Mean cross-entropy plus the L2 term lam / (2 m) * ||w||^2."""
    m = X.shape[0]
    z = X @ w + b
    # log(1 + exp(z)) computed without overflow: log(sigmoid(z)) = -logaddexp(0, -z)
    loss = np.logaddexp(0.0, z) - y * z
    return float(loss.mean() + lam / (2 * m) * np.dot(w, w))


def gradient(w, b, X, y, lam=0.0):
    """Gradient of cost() with respect to w and b: returns (dw, db)."""
    m = X.shape[0]
    error = sigmoid(X @ w + b) - y
    dw = X.T @ error / m + lam / m * w
    db = float(error.mean())
    return dw, db


def fit(X, y, lam=0.0, lr=0.1, n_iters=1000):
    """Batch gradient descent from w = 0, b = 0; returns (w, b)."""
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(n_iters):
        dw, db = gradient(w, b, X, y, lam)
        w = w - lr * dw
        b = b - lr * db
    return w, b


def predict_proba(w, b, X):
    """Probability of class 1 for each row of X, shape (m,)."""
    return sigmoid(X @ w + b)


def predict(w, b, X, threshold=0.5):
    """Label 1 where predict_proba >= threshold, else 0; int array of shape (m,)."""
    return (predict_proba(w, b, X) >= threshold).astype(int)
