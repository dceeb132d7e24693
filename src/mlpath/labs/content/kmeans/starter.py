"""k-means clustering with Lloyd's algorithm, in NumPy.

Implement the functions below, then run `mlpath check k-means`.
Conventions: X is a float array of shape (m, d) (m points in d dimensions), centres is a
float array of shape (k, d), labels is an int array of shape (m,) with values 0..k-1.
"""

import numpy as np  # noqa: F401 (you will need it)


def assign(X, centres):
    """Index of the nearest centre (Euclidean distance) for every point.

    Returns an int array of shape (m,); on a tie, the lower centre index.
    Checked exactly against scipy's cdist + argmin.
    """
    # TODO: build the (m, k) matrix of squared distances with broadcasting:
    # X[:, None, :] - centres[None, :, :] has shape (m, k, d). Then take the argmin.
    raise NotImplementedError


def update_centres(X, labels, k):
    """New centres: row j is the mean of the points with label j. Shape (k, d).

    Every cluster is non-empty in the checks. Checked with rtol 1e-10.
    """
    raise NotImplementedError


def inertia(X, centres, labels):
    """Sum over all points of the squared distance to their assigned centre (a float).

    Checked against scipy's cdist(..., "sqeuclidean") with rtol 1e-10.
    """
    raise NotImplementedError


def kmeans(X, init_centres, max_iter=100):
    """Lloyd's algorithm starting from init_centres (shape (k, d)).

    Repeat: update the centres from the current labels, re-assign the points; stop when the
    labels no longer change or after max_iter rounds.
    Returns (centres, labels, inertia): shapes (k, d), (m,) and a float.
    Checked against sklearn KMeans(n_clusters=k, init=init_centres, n_init=1): inertia within
    1%, and at least 99% of the labels equal after matching cluster ids.
    """
    raise NotImplementedError
