"""Cross-validation, learning and validation curves: reference solution."""

import numpy as np
from sklearn.base import clone


def kfold_indices(n, k, seed):
    """Shuffle 0..n-1 with np.random.default_rng(seed) and cut it into k folds.

    Returns a list of k tuples (train_idx, val_idx); the validation folds partition 0..n-1
    and their sizes differ by at most one.
    """
    order = np.random.default_rng(seed).permutation(n)
    folds = np.array_split(order, k)
    return [(np.concatenate(folds[:i] + folds[i + 1 :]), val) for i, val in enumerate(folds)]


def cross_val_scores(estimator, X, y, folds):
    """Score of a fresh clone of estimator on each validation fold: array of shape (len(folds),)."""
    scores = []
    for train_idx, val_idx in folds:
        model = clone(estimator).fit(X[train_idx], y[train_idx])
        scores.append(model.score(X[val_idx], y[val_idx]))
    return np.array(scores)


def learning_curve_scores(estimator, X, y, train_idx, val_idx, sizes):
    """Train on the first m rows of train_idx for each m in sizes.

    Returns (train_scores, val_scores), each of shape (len(sizes),): the score on the m rows
    used for training and on the whole validation set.
    """
    train_scores, val_scores = [], []
    for m in sizes:
        subset = train_idx[:m]
        model = clone(estimator).fit(X[subset], y[subset])
        train_scores.append(model.score(X[subset], y[subset]))
        val_scores.append(model.score(X[val_idx], y[val_idx]))
    return np.array(train_scores), np.array(val_scores)


def validation_curve_scores(estimator, X, y, param_name, values, folds):
    """Mean training and mean validation score over the folds for each value of one parameter.

    Returns (train_means, val_means), each of shape (len(values),).
    """
    train_means, val_means = [], []
    for value in values:
        train, val = [], []
        for train_idx, val_idx in folds:
            model = (
                clone(estimator).set_params(**{param_name: value}).fit(X[train_idx], y[train_idx])
            )
            train.append(model.score(X[train_idx], y[train_idx]))
            val.append(model.score(X[val_idx], y[val_idx]))
        train_means.append(np.mean(train))
        val_means.append(np.mean(val))
    return np.array(train_means), np.array(val_means)


def diagnose(train_score, val_score, target, max_gap):
    """ "high bias" if train_score < target, else "high variance" if the gap
    train_score - val_score exceeds max_gap, else "good fit"."""
    if train_score < target:
        return "high bias"
    if train_score - val_score > max_gap:
        return "high variance"
    return "good fit"


def best_param(estimator, X, y, param_name, values, folds):
    """The value of param_name with the highest mean validation score over the folds."""
    _, val_means = validation_curve_scores(estimator, X, y, param_name, values, folds)
    return values[int(np.argmax(val_means))]
