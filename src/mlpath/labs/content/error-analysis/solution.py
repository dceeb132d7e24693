"""Error analysis of a classifier: reference solution."""

import numpy as np


def confusion_matrix(y_true, y_pred, labels):
    """Counts C[i, j] of examples with true label labels[i] predicted as labels[j]: (K, K) ints."""
    index = {label: i for i, label in enumerate(labels)}
    cm = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(y_true, y_pred):
        cm[index[t], index[p]] += 1
    return cm


def _safe_divide(num, den):
    return np.divide(num, den, out=np.zeros(len(num)), where=den > 0)


def per_class_metrics(cm):
    """Precision, recall and F1 of every class from a confusion matrix: three arrays of shape (K,)."""
    tp = np.diag(cm).astype(float)
    precision = _safe_divide(tp, cm.sum(axis=0))
    recall = _safe_divide(tp, cm.sum(axis=1))
    f1 = _safe_divide(2 * precision * recall, precision + recall)
    return precision, recall, f1


def slice_accuracy(y_true, y_pred, groups):
    """Accuracy within each distinct value of groups: dict {group value: accuracy}."""
    correct = np.asarray(y_true) == np.asarray(y_pred)
    groups = np.asarray(groups)
    return {g.item(): float(correct[groups == g].mean()) for g in np.unique(groups)}


def top_confusions(cm, labels, n):
    """The n most frequent mistakes as (true label, predicted label, count), most frequent first.

    Only off-diagonal cells with a count above zero; ties keep the order of labels
    (by true label, then by predicted label).
    """
    cells = [
        (i, j, int(cm[i, j]))
        for i in range(len(labels))
        for j in range(len(labels))
        if i != j and cm[i, j] > 0
    ]
    cells.sort(key=lambda cell: -cell[2])  # stable: ties stay in (true, predicted) order
    return [(labels[i], labels[j], count) for i, j, count in cells[:n]]
