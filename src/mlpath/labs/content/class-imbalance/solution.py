"""Class imbalance by hand: reference solution."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score


def balanced_class_weights(y):
    """{label: n_samples / (n_classes * count of label)} for every label of y."""
    y = np.asarray(y)
    labels, counts = np.unique(y, return_counts=True)
    return {label.item(): len(y) / (len(labels) * count) for label, count in zip(labels, counts)}


def random_oversample(X, y, rng):
    """All rows of (X, y), then random copies of the smaller classes until every class has as
    many rows as the largest one."""
    X = np.asarray(X)
    y = np.asarray(y)
    labels, counts = np.unique(y, return_counts=True)
    extra = []
    for label, count in zip(labels, counts):
        rows = np.flatnonzero(y == label)
        extra.append(rng.choice(rows, size=counts.max() - count, replace=True))
    index = np.concatenate([np.arange(len(y)), *extra])
    return X[index], y[index]


def cv_average_precision(X, y, folds, seed):
    """Average precision on each validation fold of a logistic regression trained on the
    fold's training rows after random oversampling of those rows only."""
    rng = np.random.default_rng(seed)
    scores = []
    for train_idx, val_idx in folds:
        X_res, y_res = random_oversample(X[train_idx], y[train_idx], rng)
        model = LogisticRegression(max_iter=1000).fit(X_res, y_res)
        scores.append(average_precision_score(y[val_idx], model.predict_proba(X[val_idx])[:, 1]))
    return np.array(scores)


def min_cost_threshold(y_true, p, cost_fp, cost_fn):
    """The threshold t among the distinct values of p (plus np.inf, predicting nothing
    positive) whose rule "positive when p >= t" has the lowest total cost; returns (t, cost)."""
    y_true = np.asarray(y_true)
    p = np.asarray(p, dtype=float)
    best_t, best_cost = None, np.inf
    for t in [*np.unique(p), np.inf]:
        pred = p >= t
        cost = cost_fp * np.sum(pred & (y_true == 0)) + cost_fn * np.sum(~pred & (y_true == 1))
        if cost < best_cost:
            best_t, best_cost = t, cost
    return float(best_t), float(best_cost)
