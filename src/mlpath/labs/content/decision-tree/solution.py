"""A CART decision tree (Gini impurity) from scratch: reference solution."""

import numpy as np


def gini(y):
    """Gini impurity 1 - sum_k p_k^2 of an int label array; 0.0 for an empty array."""
    if len(y) == 0:
        return 0.0
    p = np.bincount(y) / len(y)
    return float(1.0 - np.sum(p**2))


def _gini_rows(counts):
    """Gini impurity of each row of a (rows, classes) count matrix."""
    totals = counts.sum(axis=1, keepdims=True)
    p = counts / np.maximum(totals, 1)
    return 1.0 - np.sum(p**2, axis=1)


def best_threshold(x, y):
    """Best split x <= threshold of one feature: returns (threshold, weighted impurity)."""
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    onehot = np.eye(y.max() + 1)[ys]
    left = np.cumsum(onehot, axis=0)[:-1]  # counts in the left child after each position
    right = onehot.sum(axis=0) - left
    n = len(y)
    n_left = np.arange(1, n)
    weighted = (n_left * _gini_rows(left) + (n - n_left) * _gini_rows(right)) / n
    valid = xs[:-1] < xs[1:]  # only split between two distinct values
    if not valid.any():
        return None, float("inf")
    i = int(np.argmin(np.where(valid, weighted, np.inf)))
    return float((xs[i] + xs[i + 1]) / 2), float(weighted[i])


def best_split(X, y):
    """Best split over all features: returns (feature, threshold, weighted impurity)."""
    best = (None, None, float("inf"))
    for j in range(X.shape[1]):
        threshold, impurity = best_threshold(X[:, j], y)
        if impurity < best[2]:
            best = (j, threshold, impurity)
    return best


def build_tree(X, y, max_depth):
    """Grow a CART tree recursively; returns the root node (see the node format in the README)."""
    majority = int(np.argmax(np.bincount(y)))
    if max_depth == 0 or gini(y) == 0.0:
        return {"value": majority}
    feature, threshold, _ = best_split(X, y)
    if feature is None:
        return {"value": majority}
    go_left = X[:, feature] <= threshold
    return {
        "feature": feature,
        "threshold": threshold,
        "left": build_tree(X[go_left], y[go_left], max_depth - 1),
        "right": build_tree(X[~go_left], y[~go_left], max_depth - 1),
    }


def predict(tree, X):
    """Predicted class for each row of X: int array of shape (m,)."""
    return np.array([_predict_row(tree, row) for row in X], dtype=int)


def _predict_row(node, row):
    while "value" not in node:
        node = node["left"] if row[node["feature"]] <= node["threshold"] else node["right"]
    return node["value"]
