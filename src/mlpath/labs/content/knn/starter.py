"""k-nearest neighbours from scratch with NumPy.

Implement the functions below, then run `mlpath check k-nearest-neighbours`.
Conventions: X arrays are floats of shape (m, d), one row per example; labels y can be any
integers (such as 4 and 9), not only 0..K-1.

Write it yourself: scikit-learn's KNeighborsClassifier, NearestNeighbors and StandardScaler may
not be called from this file (the check reports it). NumPy (and scipy.spatial.distance) are fine.
"""

import numpy as np  # noqa: F401 (you will need it)


def knn_predict(X_train, y_train, X_query, k):
    """Predict a label for every row of X_query: the most common label among its k nearest
    training rows by Euclidean distance.

    A tie in the vote goes to the SMALLEST of the tied labels (what np.unique + np.argmax of the
    counts gives). Returns an array of shape (len(X_query),) holding labels of y_train.
    Checked on hand-made cases and against scikit-learn's KNeighborsClassifier for several k.
    """
    # TODO: an (m_query, m_train) distance matrix by broadcasting, np.argsort along axis 1,
    # then a vote over the first k columns.
    raise NotImplementedError


def standardize(X_train, X_other):
    """Return (X_train_scaled, X_other_scaled), both scaled with the mean and the population
    standard deviation (ddof=0) of X_TRAIN's columns only.

    Statistics taken from X_other (or from both) leak the validation data into training.
    Checked with rtol 1e-9.
    """
    # TODO: mean and std along axis 0 of X_train; apply them to both arrays.
    raise NotImplementedError


def choose_k(X, y, ks, folds):
    """Cross-validate k-NN for every k in ks over the given folds.

    folds is a list of (train_idx, val_idx) index arrays. For each fold: standardize with YOUR
    standardize(X[train_idx], X[val_idx]) (statistics of that fold's training rows), predict the
    validation rows with YOUR knn_predict, and take the accuracy. Returns (best_k, scores) with
    scores an array of shape (len(ks),), the mean accuracy over the folds of each k in order,
    and best_k the k with the highest score (the first one in ks if several tie).
    Checked to atol 1e-12 against the same procedure.
    """
    # TODO: two loops, over ks and over folds.
    raise NotImplementedError
