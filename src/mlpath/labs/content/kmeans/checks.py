"""Checks for the kmeans lab."""

from functools import cache

import numpy as np
from scipy.spatial.distance import cdist

from mlpath.labs.checking import CheckFailed, at_least, at_most, check, close, expect


def _points(seed, m=50, d=3, k=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, d))
    centres = rng.normal(size=(k, d))
    return X, centres


@cache
def _blobs():
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(n_samples=400, centers=4, cluster_std=1.5, random_state=3)
    rng = np.random.default_rng(0)
    init = X[rng.choice(len(X), size=4, replace=False)]
    return X, init


def _matched_agreement(labels, ref_labels, k):
    """Share of points on which two labelings agree after the best matching of cluster ids."""
    from scipy.optimize import linear_sum_assignment

    table = np.zeros((k, k), dtype=int)
    np.add.at(table, (labels, ref_labels), 1)
    rows, cols = linear_sum_assignment(-table)
    return table[rows, cols].sum() / len(labels)


@check("assign: nearest centre for every point")
def assign_labels(lab):
    X, centres = _points(0)
    got = np.asarray(lab.assign(X, centres))
    expect(
        got.shape == (len(X),),
        f"assign(X, centres) must return one label per point: expected shape ({len(X)},), got "
        f"{got.shape}. Take the argmin over the centres axis of the (points, centres) distance matrix.",
    )
    expected = np.argmin(cdist(X, centres, "sqeuclidean"), axis=1)
    wrong = np.flatnonzero(got != expected)
    if wrong.size:
        i = int(wrong[0])
        raise CheckFailed(
            f"{wrong.size} of {len(X)} points are assigned to the wrong centre "
            f"(point {i}: nearest centre is {expected[i]}, you gave {got[i]})."
        )


@check("update_centres: each centre is the mean of its points")
def update_means(lab):
    X, centres = _points(1)
    labels = np.argmin(cdist(X, centres, "sqeuclidean"), axis=1)
    k = len(centres)
    got = lab.update_centres(X, labels, k)
    expected = np.array([X[labels == j].mean(axis=0) for j in range(k)])
    close(
        got,
        expected,
        rtol=1e-10,
        atol=1e-12,
        what="new centres (row j = mean of the points of cluster j)",
    )


@check("inertia: sum of squared distances to the assigned centres")
def inertia_value(lab):
    X, centres = _points(2)
    labels = np.argmin(cdist(X, centres, "sqeuclidean"), axis=1)
    expected = np.sum(cdist(X, centres, "sqeuclidean")[np.arange(len(X)), labels])
    close(
        lab.inertia(X, centres, labels),
        expected,
        rtol=1e-10,
        what="inertia = sum over points of the SQUARED distance to the assigned centre",
    )


@check("kmeans matches sklearn KMeans from the same initial centres")
def kmeans_vs_sklearn(lab):
    from sklearn.cluster import KMeans

    X, init = _blobs()
    result = lab.kmeans(X, init.copy())
    expect(
        isinstance(result, tuple) and len(result) == 3,
        "kmeans(X, init_centres) must return a tuple (centres, labels, inertia).",
    )
    centres, labels, value = result
    labels = np.asarray(labels)
    expect(
        np.shape(centres) == init.shape,
        f"centres must have shape {init.shape}, got {np.shape(centres)}.",
    )
    expect(labels.shape == (len(X),), f"labels must have shape ({len(X)},), got {labels.shape}.")
    ref = KMeans(n_clusters=len(init), init=init, n_init=1).fit(X)
    at_most(
        abs(value - ref.inertia_) / ref.inertia_,
        0.01,
        what=f"relative gap between your final inertia {value:.1f} and sklearn's {ref.inertia_:.1f}",
    )
    at_least(
        _matched_agreement(labels, ref.labels_, len(init)),
        0.99,
        what="share of points whose cluster matches sklearn's (after matching cluster ids)",
    )
