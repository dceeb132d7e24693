"""k-means clustering with Lloyd's algorithm: reference solution."""

import numpy as np


def squared_distances(X, centres):
    """Squared Euclidean distance from every point to every centre, shape (m, k)."""
    diff = X[:, None, :] - centres[None, :, :]
    return np.sum(diff**2, axis=2)


def assign(X, centres):
    """Index of the nearest centre for every point: int array of shape (m,)."""
    return np.argmin(squared_distances(X, centres), axis=1)


def update_centres(X, labels, k):
    """Mean of the points assigned to each cluster: array of shape (k, d)."""
    return np.array([X[labels == j].mean(axis=0) for j in range(k)])


def inertia(X, centres, labels):
    """Sum of squared distances from each point to its assigned centre (a float)."""
    return float(np.sum((X - centres[labels]) ** 2))


def kmeans(X, init_centres, max_iter=100):
    """Lloyd's algorithm from init_centres: returns (centres, labels, inertia).

    Alternates assign and update until the assignments stop changing (or max_iter rounds).
    """
    centres = np.array(init_centres, dtype=float)
    labels = assign(X, centres)
    for _ in range(max_iter):
        centres = update_centres(X, labels, len(centres))
        new_labels = assign(X, centres)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
    return centres, labels, inertia(X, centres, labels)
