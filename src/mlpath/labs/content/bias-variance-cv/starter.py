"""Cross-validation, learning curves and validation curves, written by hand.

Implement the functions below, then run `mlpath check model-selection`.
Conventions: X is a float array of shape (n, d), y a float array of shape (n,). estimator is
any scikit-learn estimator: never fit it directly, fit a fresh copy `clone(estimator)`, and
score with `model.score(X_part, y_part)` (R^2 for the regressors used in the checks).
A fold is a tuple (train_idx, val_idx) of int index arrays.
"""

import numpy as np  # noqa: F401 (you will need it)
from sklearn.base import clone  # noqa: F401  (you will need it)


def kfold_indices(n, k, seed):
    """Shuffle 0..n-1 with np.random.default_rng(seed) and cut it into k folds.

    Returns a list of k tuples (train_idx, val_idx). Every index is in exactly one val_idx,
    validation fold sizes differ by at most one, and train_idx holds all the other indices.
    """
    # TODO: a permutation, then np.array_split; train = everything except the fold.
    raise NotImplementedError


def cross_val_scores(estimator, X, y, folds):
    """Fit a clone on each fold's training part and score it on that fold's validation part.

    Returns a float array of shape (len(folds),). Checked against
    sklearn.model_selection.cross_val_score(estimator, X, y, cv=folds) (rtol 1e-9).
    """
    raise NotImplementedError


def learning_curve_scores(estimator, X, y, train_idx, val_idx, sizes):
    """For each m in sizes, fit a clone on the first m indices of train_idx.

    Returns (train_scores, val_scores), each of shape (len(sizes),): the score on those m
    training rows and the score on all of val_idx. Checked against
    sklearn.model_selection.learning_curve with the same split (rtol 1e-9).
    """
    raise NotImplementedError


def validation_curve_scores(estimator, X, y, param_name, values, folds):
    """For each value of the hyper-parameter param_name, the mean training score and the mean
    validation score over the folds.

    Set the parameter on a clone with clone(estimator).set_params(**{param_name: value}).
    Returns (train_means, val_means), each of shape (len(values),). Checked against
    sklearn.model_selection.validation_curve averaged over the folds (rtol 1e-9).
    """
    raise NotImplementedError


def diagnose(train_score, val_score, target, max_gap):
    """Return "high bias" if train_score < target; otherwise "high variance" if
    train_score - val_score > max_gap; otherwise "good fit"."""
    raise NotImplementedError


def best_param(estimator, X, y, param_name, values, folds):
    """The value (an element of values) whose mean validation score over the folds is highest."""
    raise NotImplementedError
