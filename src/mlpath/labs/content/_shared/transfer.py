"""The tasks shared by the twin transfer-learning labs (transfer-learning in PyTorch,
keras-transfer-learning): a source task to pretrain on and a few-shot new task."""

from functools import cache

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

PER_CLASS = 2  # labelled examples per class in the new task


@cache
def task_data(dtype: type = np.float64) -> tuple[np.ndarray, ...]:
    """Source task: 10-way on 60% of the digits. New task: 5-way (digits 5-9) on the other 40%."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(dtype)
    X_src, X_new, y_src, y_new = train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)
    keep = y_new >= 5
    return X_src, y_src, X_new[keep], y_new[keep] - 5


def few_shot(seed: int, dtype: type = np.float64) -> tuple[np.ndarray, ...]:
    """PER_CLASS labelled examples per class of the new task; every other new-task image is the test set."""
    _, _, X, y = task_data(dtype)
    rng = np.random.default_rng(seed)
    idx = np.concatenate(
        [rng.choice(np.flatnonzero(y == c), PER_CLASS, replace=False) for c in range(5)]
    )
    test = np.setdiff1d(np.arange(len(y)), idx)
    return X[idx], y[idx], X[test], y[test]
