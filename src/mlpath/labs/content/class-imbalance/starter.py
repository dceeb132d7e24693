"""Class imbalance by hand: balanced class weights, random oversampling inside the training
folds, and a decision threshold chosen by the costs of the errors.

Implement the functions below, then run `mlpath check class-imbalance`.
Conventions: X is a float array of shape (m, d); y an int array of shape (m,) whose labels can be
any integers (3, 7, 9...). rng is a numpy Generator (np.random.default_rng(seed)).

Write it yourself: sklearn.utils.class_weight.compute_class_weight and sklearn.utils.resample
may not be called from this file (the check reports it).
"""

import numpy as np  # noqa: F401 (you will need it)
from sklearn.linear_model import LogisticRegression  # noqa: F401 (you will need it)
from sklearn.metrics import average_precision_score  # noqa: F401 (you will need it)


def balanced_class_weights(y):
    """Return {label: n_samples / (n_classes * count of label)} for every label of y.

    Checked against compute_class_weight("balanced") with rtol 1e-9.
    """
    # TODO: np.unique(y, return_counts=True).
    raise NotImplementedError


def random_oversample(X, y, rng):
    """Return (X_res, y_res): every row of (X, y) first, unchanged and in order, then random
    copies (with replacement, drawn with rng) of each smaller class's OWN rows until every class
    has as many rows as the largest class.

    The same rng seed must give the same result, another seed other copies.
    """
    # TODO: for each class, rng.choice(indices of that class, size=max_count - count).
    raise NotImplementedError


def cv_average_precision(X, y, folds, seed):
    """Per-fold average precision of a logistic regression trained with oversampling.

    rng = np.random.default_rng(seed), created once. For each (train_idx, val_idx) in folds:
    oversample ONLY the fold's training rows with YOUR random_oversample(X[train_idx],
    y[train_idx], rng), fit LogisticRegression(max_iter=1000) on them, and score the untouched
    validation rows with average_precision_score(y[val_idx], predict_proba(X[val_idx])[:, 1]).
    Returns an array of shape (len(folds),). Checked within 0.03 (mean) of the reference.
    """
    # TODO: a loop over the folds.
    raise NotImplementedError


def min_cost_threshold(y_true, p, cost_fp, cost_fn):
    """The cheapest decision threshold: returns (threshold, total_cost).

    Candidates are the distinct values of p and np.inf (nothing positive); a row is predicted
    positive when p >= threshold. The total cost is cost_fp * FP + cost_fn * FN. If several
    candidates tie, return the smallest. Checked by hand and by brute force.
    """
    # TODO: loop over the sorted candidates.
    raise NotImplementedError
