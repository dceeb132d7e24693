"""Multinomial naive Bayes from scratch with NumPy: reference solution."""

import numpy as np


def fit_multinomial_nb(X, y, alpha=1.0):
    """Fit multinomial naive Bayes with additive (Laplace) smoothing ``alpha``.

    Returns the model as a tuple ``(classes, class_log_prior, feature_log_prob)``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    classes = np.unique(y)
    counts = np.array([X[y == c].sum(axis=0) for c in classes])
    smoothed = counts + alpha
    feature_log_prob = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
    class_log_prior = np.log(np.array([np.mean(y == c) for c in classes]))
    return classes, class_log_prior, feature_log_prob


def joint_log_likelihood(model, X):
    """log P(c) + sum_j x_j log P(word j | c) for every row of X and every class: shape (m, K)."""
    _, class_log_prior, feature_log_prob = model
    return np.asarray(X, dtype=float) @ feature_log_prob.T + class_log_prior


def predict_proba(model, X):
    """P(c | x) for every row and class, shape (m, K), rows summing to 1."""
    scores = joint_log_likelihood(model, X)
    scores = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(scores)
    return p / p.sum(axis=1, keepdims=True)


def predict(model, X):
    """The most probable class label of every row, shape (m,), labels taken from ``classes``."""
    classes = model[0]
    return classes[np.argmax(joint_log_likelihood(model, X), axis=1)]
