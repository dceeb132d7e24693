"""Gradient boosting for squared error with scikit-learn's regression trees: reference solution."""

import numpy as np
from sklearn.tree import DecisionTreeRegressor


def fit_gradient_boosting(X, y, n_estimators=50, learning_rate=0.1, max_depth=3):
    """Boost ``n_estimators`` trees of depth ``max_depth``, each fitted to the current residuals."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    init = float(np.mean(y))
    F = np.full(len(y), init)
    trees = []
    for _ in range(n_estimators):
        residuals = y - F
        tree = DecisionTreeRegressor(max_depth=max_depth).fit(X, residuals)
        F = F + learning_rate * tree.predict(X)
        trees.append(tree)
    return {"init": init, "learning_rate": learning_rate, "trees": trees}


def predict(model, X):
    """init + learning_rate * (sum of the trees' predictions), shape (m,)."""
    X = np.asarray(X, dtype=float)
    F = np.full(len(X), model["init"])
    for tree in model["trees"]:
        F = F + model["learning_rate"] * tree.predict(X)
    return F


def staged_losses(model, X, y):
    """Mean squared error after 0, 1, ..., n_estimators trees: length n_estimators + 1."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    F = np.full(len(X), model["init"])
    losses = [float(np.mean((y - F) ** 2))]
    for tree in model["trees"]:
        F = F + model["learning_rate"] * tree.predict(X)
        losses.append(float(np.mean((y - F) ** 2)))
    return np.array(losses)


def best_n_estimators(model, X_val, y_val):
    """The number of trees (0..n_estimators) with the lowest validation MSE (the first if tied)."""
    return int(np.argmin(staged_losses(model, X_val, y_val)))
