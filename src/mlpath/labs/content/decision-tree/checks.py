"""Checks for the decision-tree lab."""

from functools import cache

import numpy as np

from mlpath.labs.checking import at_least, at_most, check, close, expect, forbid

_LIBRARIES = ("sklearn.tree.DecisionTreeClassifier", "sklearn.tree.DecisionTreeRegressor")
_RULE = "Grow the tree yourself, as the README asks, not with scikit-learn's."


def _build(lab, X, y, max_depth):
    with forbid(lab, *_LIBRARIES, rule=_RULE):
        return lab.build_tree(X, y, max_depth)


def _gini(y):
    p = np.bincount(y) / len(y)
    return 1.0 - np.sum(p**2)


def _split_impurity(x, y, threshold):
    """Weighted Gini of the split x <= threshold, computed the slow, obvious way."""
    left = x <= threshold
    n, n_left = len(y), int(left.sum())
    if n_left in (0, n):
        return np.inf
    return (n_left * _gini(y[left]) + (n - n_left) * _gini(y[~left])) / n


def _best_impurity(x, y):
    values = np.unique(x)
    midpoints = (values[:-1] + values[1:]) / 2
    return min(_split_impurity(x, y, t) for t in midpoints)


def _feature_data(seed, m, n_features):
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(m, n_features)), 1)  # rounding creates repeated values
    y = (X[:, 0] + 0.5 * rng.normal(size=m) > 0).astype(int) + (X[:, -1] > 0.8).astype(int)
    return X, y


def _check_threshold(x, y, threshold, impurity, what):
    values = np.unique(x)
    midpoints = (values[:-1] + values[1:]) / 2
    expect(
        threshold is not None, f"{what}: returned threshold None, but this feature can be split."
    )
    expect(
        np.isclose(midpoints, threshold, rtol=0, atol=1e-12).any(),
        f"{what}: threshold {threshold:g} is not halfway between two neighbouring distinct values of x. "
        "Use midpoints (x_i + x_next) / 2 of the sorted distinct values, and send x <= threshold "
        "to the left child.",
    )
    close(
        impurity,
        _split_impurity(x, y, threshold),
        rtol=1e-9,
        what=f"{what}: weighted Gini (n_left*G_left + n_right*G_right) / n of the split "
        f"x <= {threshold:g}",
    )


@cache
def _dataset(name):
    from sklearn.datasets import load_breast_cancer, load_iris
    from sklearn.model_selection import train_test_split

    loader = {"iris": load_iris, "breast_cancer": load_breast_cancer}[name]
    X, y = loader(return_X_y=True)
    return tuple(train_test_split(X, y, test_size=0.25, random_state=0, stratify=y))


def _depth(node):
    if "value" in node:
        return 0
    return 1 + max(_depth(node["left"]), _depth(node["right"]))


def _compare_with_sklearn(lab, name, max_depth, train_margin, test_margin):
    from sklearn.tree import DecisionTreeClassifier

    X_tr, X_te, y_tr, y_te = _dataset(name)
    tree = _build(lab, X_tr, y_tr, max_depth)
    expect(
        isinstance(tree, dict),
        f"build_tree must return the root node as a dict, got {type(tree).__name__}.",
    )
    at_most(_depth(tree), max_depth, what=f"depth of your tree on {name} (max_depth={max_depth})")
    ref = DecisionTreeClassifier(criterion="gini", max_depth=max_depth, random_state=0).fit(
        X_tr, y_tr
    )
    for split, X, y, margin in (
        ("training", X_tr, y_tr, train_margin),
        ("test", X_te, y_te, test_margin),
    ):
        got = np.asarray(lab.predict(tree, X))
        expect(
            got.shape == y.shape,
            f"predict must return one label per row: shape {y.shape}, got {got.shape}.",
        )
        accuracy, sk_accuracy = float(np.mean(got == y)), ref.score(X, y)
        # one-sided: a tree that does better than scikit-learn's (another tie choice) is fine
        at_most(
            sk_accuracy - accuracy,
            margin,
            what=f"{name} {split} accuracy shortfall: yours {accuracy:.3f} vs sklearn {sk_accuracy:.3f}",
        )


@check("gini(y) = 1 - sum_k p_k^2")
def gini_values(lab):
    rng = np.random.default_rng(0)
    cases = [
        np.array([1, 1, 1]),
        np.array([0, 1]),
        np.array([0, 1, 2, 2]),
        rng.integers(0, 4, size=37),
    ]
    for y in cases:
        close(
            lab.gini(y),
            _gini(y),
            rtol=1e-12,
            atol=1e-12,
            what=f"gini(y) = 1 - sum_k p_k^2 for y = {np.array2string(y, threshold=8)}",
        )


@check("best threshold on one feature")
def best_threshold_one_feature(lab):
    X, y = _feature_data(1, 60, 1)
    x = X[:, 0]
    result = lab.best_threshold(x, y)
    expect(
        isinstance(result, tuple) and len(result) == 2,
        "best_threshold(x, y) must return a tuple (threshold, weighted_impurity).",
    )
    threshold, impurity = result
    _check_threshold(x, y, threshold, impurity, "best_threshold(x, y)")
    close(
        impurity,
        _best_impurity(x, y),
        rtol=1e-9,
        what="weighted Gini impurity of the best split, (n_left*G_left + n_right*G_right) / n",
    )


@check("best split over all features")
def best_split_all_features(lab):
    X, y = _feature_data(2, 80, 4)
    result = lab.best_split(X, y)
    expect(
        isinstance(result, tuple) and len(result) == 3,
        "best_split(X, y) must return a tuple (feature, threshold, weighted_impurity).",
    )
    feature, threshold, impurity = result
    expect(
        feature in range(X.shape[1]),
        f"feature must be a column index 0..{X.shape[1] - 1}, got {feature!r}.",
    )
    _check_threshold(
        X[:, feature], y, threshold, impurity, f"best_split(X, y) on feature {feature}"
    )
    best = min(_best_impurity(X[:, j], y) for j in range(X.shape[1]))
    close(
        impurity,
        best,
        rtol=1e-9,
        what="weighted Gini impurity of the best split over all features (the lowest one)",
    )


@check("a single-valued feature has no split")
def no_split_possible(lab):
    threshold, impurity = lab.best_threshold(np.full(5, 2.0), np.array([0, 1, 0, 1, 1]))
    expect(
        threshold is None and impurity == float("inf"),
        f"when all x are equal there is no valid split: expected (None, inf), got ({threshold}, {impurity}).",
    )


@check("iris, max_depth=3: accuracy matches sklearn DecisionTreeClassifier (within 3 points)")
def iris_tree(lab):
    _compare_with_sklearn(lab, "iris", 3, train_margin=0.01, test_margin=0.03)


@check("breast cancer, max_depth=3: accuracy matches sklearn (train within 1 point, test within 3)")
def breast_cancer_tree(lab):
    _compare_with_sklearn(lab, "breast_cancer", 3, train_margin=0.01, test_margin=0.03)
    X_tr, X_te, y_tr, y_te = _dataset("breast_cancer")
    accuracy = float(np.mean(np.asarray(lab.predict(_build(lab, X_tr, y_tr, 3), X_te)) == y_te))
    at_least(accuracy, 0.88, what="breast cancer test accuracy of your tree")


@check("predict follows a hand-made tree; a row exactly on a threshold goes left")
def predict_by_hand(lab):
    tree = {
        "feature": 1,
        "threshold": 2.5,
        "left": {"value": 7},
        "right": {
            "feature": 0,
            "threshold": 0.0,
            "left": {"value": 3},
            "right": {"value": 9},
        },
    }
    X = np.array([[5.0, 2.5], [5.0, 1.0], [0.0, 4.0], [-1.0, 3.0], [0.5, 2.6]])
    got = np.asarray(lab.predict(tree, X))
    expected = np.array([7, 7, 3, 3, 9])
    expect(
        got.shape == (5,), f"predict must return one label per row: shape (5,), got {got.shape}."
    )
    wrong = np.flatnonzero(got != expected)
    expect(
        wrong.size == 0,
        f"predict on a hand-made tree gave {got.tolist()}, expected {expected.tolist()}. Rows "
        f"{wrong.tolist()} are wrong: a row goes left when row[feature] <= threshold (a row exactly "
        "on the threshold goes left), and a leaf returns its value, the label itself.",
    )


@check("labels that are not 0..K-1 (3, 7 and 9) and max_depth 0 and 1")
def other_labels(lab):
    X_tr, X_te, y_tr, y_te = _dataset("iris")
    names = np.array([7, 9, 3])  # class 0 -> 7, 1 -> 9, 2 -> 3: not 0..K-1, not in order
    y_tr, y_te = names[y_tr], names[y_te]
    leaf = _build(lab, X_tr, y_tr, 0)
    counts = {int(c): int((y_tr == c).sum()) for c in np.unique(y_tr)}
    majority = min(c for c in counts if counts[c] == max(counts.values()))
    expect(
        isinstance(leaf, dict) and "value" in leaf and set(leaf) == {"value"},
        f"build_tree(X, y, max_depth=0) must be a single leaf {{'value': ...}}, got {leaf!r:.100}.",
    )
    expect(
        leaf["value"] == majority,
        f"build_tree(max_depth=0) on labels {sorted(counts)} (counts {counts}) predicts "
        f"{leaf['value']!r}; a leaf predicts the most frequent LABEL ({majority}, the smallest label "
        "on a tie), not its position among the classes.",
    )
    stump = _build(lab, X_tr, y_tr, 1)
    expect(
        isinstance(stump, dict) and _depth(stump) == 1,
        f"build_tree(max_depth=1) must make exactly one split, got a tree of depth "
        f"{_depth(stump) if isinstance(stump, dict) else '?'}.",
    )
    tree = _build(lab, X_tr, y_tr, 3)
    got = np.asarray(lab.predict(tree, X_te))
    seen = sorted({int(v) for v in np.unique(got)})
    expect(
        set(seen) <= {3, 7, 9},
        f"with labels 3, 7 and 9 your tree predicts {seen}: a leaf must hold the label itself "
        "(np.bincount(y).argmax() is a label; an index into np.unique(y) is not).",
    )
    at_least(float(np.mean(got == y_te)), 0.85, what="iris test accuracy with labels 3, 7, 9")
