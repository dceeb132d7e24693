"""Anomaly detection with a per-feature Gaussian density: reference solution."""

import numpy as np


def estimate_gaussian(X):
    """Per-feature mean and variance (ddof=0): returns (mu, var), each of shape (d,)."""
    mu = X.mean(axis=0)
    var = ((X - mu) ** 2).mean(axis=0)
    return mu, var


def gaussian_density(X, mu, var):
    """Density of each row under independent normals N(mu_j, var_j): shape (m,)."""
    log_p = -0.5 * (np.log(2 * np.pi * var) + (X - mu) ** 2 / var)
    return np.exp(log_p.sum(axis=1))


def f1(y_true, y_pred):
    """F1 score of boolean predictions against 0/1 labels (0.0 when there are no true positives)."""
    y_true = np.asarray(y_true, dtype=bool)
    tp = np.sum(y_pred & y_true)
    fp = np.sum(y_pred & ~y_true)
    fn = np.sum(~y_pred & y_true)
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def select_threshold(p_val, y_val):
    """Epsilon with the best validation F1 for the rule "anomaly when p < epsilon".

    Tries every distinct value of p_val; returns (epsilon, f1).
    """
    best_epsilon, best_f1 = 0.0, -1.0
    for epsilon in np.unique(p_val):
        score = f1(y_val, p_val < epsilon)
        if score > best_f1:
            best_epsilon, best_f1 = float(epsilon), score
    return best_epsilon, best_f1


def detect(X_train, X_val, y_val, X_test):
    """Fit on X_train, pick epsilon on (X_val, y_val), flag X_test: bool array of shape (m_test,)."""
    mu, var = estimate_gaussian(X_train)
    epsilon, _ = select_threshold(gaussian_density(X_val, mu, var), y_val)
    return gaussian_density(X_test, mu, var) < epsilon
