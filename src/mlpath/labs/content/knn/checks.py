"""Checks for the knn lab."""

from functools import cache

import numpy as np

from mlpath.labs.checking import CheckFailed, check, close, expect, forbid

RULE = "Write k-nearest neighbours and the scaling yourself with NumPy."
FORBIDDEN = (
    "sklearn.neighbors.KNeighborsClassifier",
    "sklearn.neighbors.NearestNeighbors",
    "sklearn.preprocessing.StandardScaler",
)


def _predict(lab, X_train, y_train, X_query, k):
    with forbid(lab, *FORBIDDEN, rule=RULE):
        got = np.asarray(lab.knn_predict(X_train, y_train, X_query, k))
    expect(
        got.shape == (len(X_query),),
        f"knn_predict must return one label per query row: expected shape ({len(X_query)},), "
        f"got {got.shape}.",
    )
    return got


# Hand cases. Training points on a line, labels 5 and 2 (not 0..K-1).
LINE_X = np.array([[0.0], [1.0], [1.5], [4.0], [6.0]])
LINE_Y = np.array([5, 2, 2, 5, 5])


@check("knn_predict: hand-made cases (k used, nearest rows, Euclidean, vote ties)")
def hand_cases(lab):
    # Query 0.2: its nearest row is 0.0 (label 5), its 3 nearest are 0.0, 1.0, 1.5 (two 2s).
    got1 = _predict(lab, LINE_X, LINE_Y, np.array([[0.2]]), 1)
    expect(
        got1[0] == 5,
        f"k=1, query 0.2: the nearest training point is 0.0 (label 5), you gave {got1[0]}.",
    )
    got3 = _predict(lab, LINE_X, LINE_Y, np.array([[0.2]]), 3)
    expect(
        got3[0] == 2,
        f"k=3, query 0.2: the 3 nearest points are 0.0, 1.0, 1.5 with labels 5, 2, 2, so the vote "
        f"is 2; you gave {got3[0]}. Use the k you are given, and the k NEAREST rows (smallest "
        f"distances first).",
    )
    # Query 5.5: nearest are 6.0 (5) and 4.0 (5); the 3 farthest are all label 2 or mixed.
    got = _predict(lab, LINE_X, LINE_Y, np.array([[5.5]]), 2)
    expect(
        got[0] == 5,
        f"k=2, query 5.5: the 2 nearest points are 6.0 and 4.0 (both label 5), you gave {got[0]}. Sort the distances ascending.",
    )
    # Euclidean, not Manhattan: from (0, 0), A=(3, 0) is at 3 and B=(2, 2) at 2.83 (L1: 3 vs 4).
    XA = np.array([[3.0, 0.0], [2.0, 2.0]])
    got = _predict(lab, XA, np.array([7, 4]), np.array([[0.0, 0.0]]), 1)
    expect(
        got[0] == 4,
        f"k=1 from (0, 0): (2, 2) is nearer than (3, 0) by Euclidean distance (2.83 < 3), so the "
        f"label is 4; you gave {got[0]}. The Manhattan distance would pick (3, 0): take "
        f"sqrt(sum of squared differences).",
    )
    # A vote tie: k=2, the nearest has label 9, the second label 3 -> the smaller label, 3.
    XT = np.array([[1.0], [2.0], [10.0]])
    got = _predict(lab, XT, np.array([9, 3, 9]), np.array([[0.0]]), 2)
    expect(
        got[0] == 3,
        f"k=2, query 0.0: the neighbours have labels 9 and 3, a tie; the rule is the smallest "
        f"tied label (3), you gave {got[0]}. Counter.most_common keeps the first one seen; "
        f"np.unique(..., return_counts=True) then np.argmax gives the smallest.",
    )


@check("knn_predict: agrees with KNeighborsClassifier for k = 1, 5, 15")
def versus_sklearn(lab):
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.default_rng(11)
    X = rng.normal(size=(120, 3)) * [1.0, 2.0, 0.5] + [3.0, -1.0, 10.0]
    y = np.where(X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=1.0, size=120) > 2.5, 9, 4)
    Xq = rng.normal(size=(60, 3)) * [1.0, 2.0, 0.5] + [3.0, -1.0, 10.0]
    for k in (1, 5, 15):
        expected = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(X, y).predict(Xq)
        got = _predict(lab, X, y, Xq, k)
        wrong = np.flatnonzero(got != expected)
        if wrong.size:
            i = int(wrong[0])
            raise CheckFailed(
                f"k={k}: {wrong.size} of {len(Xq)} query rows get another label than the majority "
                f"of their {k} nearest neighbours (row {i}: expected {expected[i]}, got {got[i]})."
            )


@check("standardize: statistics of the training rows only")
def standardize_train_only(lab):
    rng = np.random.default_rng(12)
    X_train = rng.normal(size=(10, 3)) * [2.0, 50.0, 0.1] + [5.0, -300.0, 1.0]
    X_other = rng.normal(size=(6, 3)) * [4.0, 10.0, 1.0] + [9.0, 100.0, -2.0]  # shifted on purpose
    with forbid(lab, *FORBIDDEN, rule=RULE):
        out = lab.standardize(X_train.copy(), X_other.copy())
    expect(
        isinstance(out, tuple) and len(out) == 2,
        "standardize must return a tuple (X_train_scaled, X_other_scaled).",
    )
    tr, other = (np.asarray(a, dtype=float) for a in out)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    both = np.vstack([X_train, X_other])
    if other.shape == X_other.shape and np.allclose(other, (X_other - both.mean(0)) / both.std(0)):
        raise CheckFailed(
            "standardize fits the mean and std on the training AND the other rows together: "
            "that leaks the validation rows into training. Use X_train's statistics only."
        )
    if other.shape == X_other.shape and np.allclose(
        other, (X_other - X_other.mean(0)) / X_other.std(0)
    ):
        raise CheckFailed(
            "standardize scales X_other with its own mean and std: that leaks the validation "
            "rows' statistics, and the two arrays end up on different scales. Apply X_train's "
            "mean and std to both."
        )
    if tr.shape == X_train.shape and np.allclose(tr, (X_train - mean) / X_train.std(0, ddof=1)):
        raise CheckFailed(
            "standardize divides by the sample std (ddof=1); use the population std (ddof=0), "
            "as StandardScaler does: np.std's default."
        )
    close(
        tr,
        (X_train - mean) / std,
        rtol=1e-9,
        atol=1e-12,
        what="X_train scaled with its own mean and std",
    )
    close(
        other,
        (X_other - mean) / std,
        rtol=1e-9,
        atol=1e-12,
        what="X_other scaled with X_TRAIN's mean and std",
    )


@cache
def _cv_data():
    rng = np.random.default_rng(13)
    n = 150
    X = rng.normal(size=(n, 3))
    y = np.where(X[:, 0] - X[:, 1] + rng.normal(scale=0.6, size=n) > 0, 8, 1)
    X[:, 2] *= 500.0  # pure noise on a huge scale: unscaled distances follow it alone
    X[:, 0] += 20.0  # uncentred
    return X, y


def _folds(seed, n, n_folds=5):
    order = np.random.default_rng(seed).permutation(n)
    parts = np.array_split(order, n_folds)
    return [(np.concatenate(parts[:i] + parts[i + 1 :]), parts[i]) for i in range(n_folds)]


def _ref_knn(X_train, y_train, X_query, k):
    d = np.sqrt(((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=2))
    nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
    out = []
    for row in nearest:
        labels, counts = np.unique(y_train[row], return_counts=True)
        out.append(labels[np.argmax(counts)])
    return np.array(out)


def _ref_scores(X, y, ks, folds):
    scores = []
    for k in ks:
        accs = []
        for tr, va in folds:
            mean, std = X[tr].mean(0), X[tr].std(0)
            pred = _ref_knn((X[tr] - mean) / std, y[tr], (X[va] - mean) / std, k)
            accs.append(np.mean(pred == y[va]))
        scores.append(np.mean(accs))
    return np.array(scores)


@check("choose_k: cross-validated accuracy of each k, scaling fitted inside each fold")
def choose_k_cv(lab):
    X, y = _cv_data()
    ks = [1, 3, 7, 15, 31]
    calls = []
    original = lab.standardize

    def spy(X_train, X_other):
        calls.append(np.asarray(X_train, dtype=float).copy())
        return original(X_train, X_other)

    for seed in (3, 4):
        folds = _folds(seed, len(y))
        calls.clear()
        lab.standardize = spy
        try:
            with forbid(lab, *FORBIDDEN, rule=RULE):
                out = lab.choose_k(X.copy(), y.copy(), list(ks), folds)
        finally:
            lab.standardize = original
        expect(isinstance(out, tuple) and len(out) == 2, "choose_k must return (best_k, scores).")
        best_k, scores = out
        scores = np.asarray(scores, dtype=float)
        expected = _ref_scores(X, y, ks, folds)
        expect(
            scores.shape == expected.shape,
            f"scores must have one mean accuracy per k: shape {expected.shape}, got {scores.shape}.",
        )
        train_sets = [X[tr] for tr, _ in folds]
        expect(
            len(calls) > 0,
            "choose_k never calls your standardize: one feature here has a scale 500 times the "
            "others, so unscaled distances follow that noise feature alone. Standardize inside "
            "each fold with standardize(X[train_idx], X[val_idx]).",
        )
        leaked = [
            c
            for c in calls
            if not any(c.shape == t.shape and np.array_equal(c, t) for t in train_sets)
        ]
        expect(
            not leaked,
            f"choose_k calls standardize with {len(leaked[0]) if leaked else 0} rows that are not "
            f"one fold's training rows (e.g. all of X before splitting): the scaling then sees "
            f"the validation rows, which leaks them. Call standardize(X[train_idx], X[val_idx]) "
            f"inside the loop over folds.",
        )
        close(
            scores,
            expected,
            rtol=0,
            atol=1e-12,
            what=f"mean validation accuracy per k (ks={ks}, folds seed {seed})",
        )
        expect(
            best_k == ks[int(np.argmax(expected))],
            f"best_k should be {ks[int(np.argmax(expected))]} (the first k with the highest "
            f"score), you returned {best_k}.",
        )
