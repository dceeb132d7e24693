"""Checks for the kmeans lab."""

from functools import cache

import numpy as np
from scipy.spatial.distance import cdist

from mlpath.labs.checking import CheckFailed, at_least, at_most, check, close, expect, forbid

_LIBRARIES = (
    "sklearn.cluster.KMeans",
    "sklearn.cluster.MiniBatchKMeans",
    "sklearn.cluster.k_means",
    "scipy.cluster.vq.kmeans",
    "scipy.cluster.vq.kmeans2",
)
_RULE = "Write Lloyd's algorithm yourself, as the README asks."


def _kmeans(lab, *args, **kwargs):
    with forbid(lab, *_LIBRARIES, rule=_RULE):
        result = lab.kmeans(*args, **kwargs)
    expect(
        isinstance(result, tuple) and len(result) == 3,
        "kmeans(X, init_centres) must return a tuple (centres, labels, inertia).",
    )
    return result


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


@check("assign by hand: a point exactly between two centres goes to the lower index")
def assign_ties(lab):
    X = np.array([[1.0, 0.0], [3.0, 0.0], [0.0, 0.0], [2.0, 2.0]])
    centres = np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 0.0]])
    # point 0 is at distance 1 from centres 0 and 1, point 1 at 1 from centres 1 and 2,
    # point 3 at sqrt(8), 2 and sqrt(8): centre 1
    got = np.asarray(lab.assign(X, centres))
    expect(
        got.tolist() == [0, 1, 0, 1],
        f"assign on four hand-placed points gave {got.tolist()}, expected [0, 1, 0, 1]: a point "
        "equally far from two centres goes to the lower index (np.argmin's rule).",
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


@check("inertia by hand: it uses the labels it is given")
def inertia_by_hand(lab):
    X = np.array([[0.0], [10.0], [11.0]])
    centres = np.array([[0.0], [10.0]])
    labels = np.array([1, 0, 1])  # deliberately not the nearest centres: 100 + 100 + 1
    close(
        lab.inertia(X, centres, labels),
        201.0,
        rtol=1e-12,
        what="inertia of X = [0, 10, 11], centres [0, 10], labels [1, 0, 1] (use the labels you are "
        "given, not each point's nearest centre: 10² + 10² + 1²)",
    )


@check("kmeans starts from init_centres: two starts, two different optima (worked out by hand)")
def kmeans_uses_init(lab):
    X = np.array([[0.0], [1.0], [10.0], [11.0], [20.0], [21.0]])
    for init, expected, value in [
        # from 0, 1, 15 the points 10..21 all join the third centre and nothing moves again
        ([[0.0], [1.0], [15.0]], [0.0, 1.0, 15.5], 0.0 + 0.0 + 2 * 5.5**2 + 2 * 4.5**2),
        ([[0.5], [10.5], [20.5]], [0.5, 10.5, 20.5], 6 * 0.25),
    ]:
        centres, _, got_value = _kmeans(lab, X.copy(), np.array(init))
        got = np.sort(np.asarray(centres, dtype=float).ravel())
        close(
            got,
            expected,
            rtol=1e-12,
            atol=1e-12,
            what=f"final centres (sorted) of kmeans on 0, 1, 10, 11, 20, 21 started at "
            f"{[c[0] for c in init]}: Lloyd's algorithm must start from init_centres (it then "
            "reaches the local optimum of that start)",
        )
        close(
            got_value, value, rtol=1e-9, what=f"final inertia from the start {[c[0] for c in init]}"
        )


@check("kmeans stops after max_iter rounds, and returns a consistent inertia")
def kmeans_max_iter(lab):
    X, init = _blobs()
    one = np.array(
        [X[np.argmin(cdist(X, init, "sqeuclidean"), axis=1) == j].mean(axis=0) for j in range(4)]
    )
    centres, labels, value = _kmeans(lab, X.copy(), init.copy(), max_iter=1)
    close(
        centres,
        one,
        rtol=1e-10,
        atol=1e-12,
        what="centres after kmeans(..., max_iter=1): one update of the initial assignment (use "
        "max_iter to bound the rounds)",
    )
    labels = np.asarray(labels)
    close(
        value,
        np.sum((X - np.asarray(centres)[labels]) ** 2),
        rtol=1e-10,
        what="the inertia kmeans returns vs the inertia of the centres and labels it returns",
    )


@check("kmeans matches sklearn KMeans from the same initial centres")
def kmeans_vs_sklearn(lab):
    from sklearn.cluster import KMeans

    X, init = _blobs()
    centres, labels, value = _kmeans(lab, X, init.copy())
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
