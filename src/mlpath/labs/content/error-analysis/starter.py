"""Error analysis of a classifier, by hand with NumPy.

Implement the functions below, then run `mlpath check error-analysis`.
Conventions: y_true and y_pred are arrays of shape (m,) of class labels; labels is the list of
the K classes, in the order the rows and columns of the confusion matrix follow.
"""

import numpy as np  # noqa: F401 (you will need it)


def confusion_matrix(y_true, y_pred, labels):
    """C[i, j] = number of examples whose TRUE label is labels[i] and PREDICTED label is labels[j].

    Returns an int array of shape (K, K), with a row and a column for every label in labels
    (even one that never occurs). Checked exactly against sklearn.metrics.confusion_matrix.
    """
    # TODO: map each label to its position in labels, then count every (true, predicted) pair.
    raise NotImplementedError


def per_class_metrics(cm):
    """Precision, recall and F1 of every class from a confusion matrix (rows = true class).

    Returns three float arrays of shape (K,). Where a ratio has a zero denominator, use 0.0.
    Checked against sklearn.metrics.precision_recall_fscore_support(zero_division=0).
    """
    # TODO: true positives are on the diagonal. Which sum (of a row or of a column) counts the
    # examples PREDICTED as a class, and which counts the examples that truly ARE that class?
    raise NotImplementedError


def slice_accuracy(y_true, y_pred, groups):
    """Accuracy of the predictions within each slice of the data.

    groups: array of shape (m,) with the slice each example belongs to (e.g. "light", "heavy").
    Returns a dict {group value: accuracy (float)} with one entry per distinct value of groups.
    """
    raise NotImplementedError


def top_confusions(cm, labels, n):
    """The n most frequent mistakes, as a list of tuples (true label, predicted label, count).

    Consider the off-diagonal cells with count > 0, largest count first; on a tie, order by the
    true label, then by the predicted label (in the order of labels). Return at most n tuples.
    """
    raise NotImplementedError
