"""Gradient boosting for squared error, written as a loop of shallow regression trees.

Implement the functions below, then run `mlpath check gradient-boosting`.
Conventions: X is a float array of shape (m, d), y a float array of shape (m,).

You may use sklearn.tree.DecisionTreeRegressor for each tree; the boosting is yours:
sklearn.ensemble's GradientBoostingRegressor and HistGradientBoostingRegressor may not be called
from this file (the check reports it).
"""

import numpy as np  # noqa: F401 (you will need it)
from sklearn.tree import DecisionTreeRegressor  # noqa: F401 (you will need it)


def fit_gradient_boosting(X, y, n_estimators=50, learning_rate=0.1, max_depth=3):
    """Gradient boosting for the squared error.

    Start from the constant init = mean(y) (the best constant for squared error). Then
    n_estimators times: compute the residuals y - F (the negative gradient of 1/2 (y - F)^2),
    fit DecisionTreeRegressor(max_depth=max_depth) to them, and add learning_rate times its
    predictions to F. Return a model: any object your predict, staged_losses and
    best_n_estimators understand (a dict such as {"init", "learning_rate", "trees"} is simplest).
    Checked against sklearn's GradientBoostingRegressor on the training rows (atol 1e-8).
    """
    # TODO: F = np.full(len(y), init); a loop; keep every tree.
    raise NotImplementedError


def predict(model, X):
    """init + learning_rate * sum of the trees' predictions, shape (m,)."""
    # TODO
    raise NotImplementedError


def staged_losses(model, X, y):
    """The mean squared error on (X, y) after 0, 1, ..., n_estimators trees.

    Returns an array of length n_estimators + 1; entry 0 is the loss of the constant init
    alone, entry i the loss after i trees. On the training data it never goes up.
    """
    # TODO: the same accumulation as predict, recording the loss before the first tree too.
    raise NotImplementedError


def best_n_estimators(model, X_val, y_val):
    """Early stopping: the number of trees, 0..n_estimators, whose validation MSE is lowest
    (the smallest such number if several tie). Uses only the model already fitted."""
    # TODO: argmin of staged_losses on the validation rows.
    raise NotImplementedError
