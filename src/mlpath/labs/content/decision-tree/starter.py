"""A CART decision tree (Gini impurity) from scratch with NumPy.

Implement the functions below, then run `mlpath check decision-trees`.
Conventions: X is a float array of shape (m, n); y is an int array of shape (m,) of
non-negative class labels, NOT necessarily 0..K-1 (they may be 3, 7 and 9, in any order);
a leaf predicts a label itself, not its position. x is one feature column, a float array (m,).

Node format (plain dicts):
  leaf:     {"value": predicted_class}
  internal: {"feature": j, "threshold": t, "left": node, "right": node}
A row goes to the left child when row[j] <= t, to the right child otherwise.
"""

import numpy as np  # noqa: F401 (you will need it)


def gini(y):
    """Gini impurity 1 - sum_k p_k^2 of the labels y (p_k = share of class k); 0.0 if y is empty.

    Returns a float. Checked against the formula with rtol 1e-12.
    """
    # TODO: np.bincount(y) counts each class.
    raise NotImplementedError


def best_threshold(x, y):
    """Best split of one feature: returns (threshold, weighted_impurity).

    Candidate thresholds are the midpoints (v_i + v_{i+1}) / 2 between neighbouring distinct
    values v of x; the left child is x <= threshold. The weighted impurity of a split is
    (n_left * gini(y_left) + n_right * gini(y_right)) / n. Return the split with the lowest one
    (either of several equally good splits is accepted). If x has a single distinct value there
    is no split: return (None, float("inf")).
    Checked against a brute-force search (rtol 1e-9).
    """
    # TODO: loop over the midpoints of np.unique(x), or sort once and use cumulative counts.
    raise NotImplementedError


def best_split(X, y):
    """Best split over all features: returns (feature, threshold, weighted_impurity).

    Returns (None, None, float("inf")) when no feature can be split.
    """
    raise NotImplementedError


def build_tree(X, y, max_depth):
    """Grow a CART tree recursively and return its root node (format above).

    Make a leaf predicting the most frequent class (the smallest label on a tie) when
    max_depth == 0, when the node is pure, or when no split is possible; otherwise split on
    best_split and grow both children with max_depth - 1.
    """
    raise NotImplementedError


def predict(tree, X):
    """Predicted class of each row of X: int array of shape (m,)."""
    raise NotImplementedError
