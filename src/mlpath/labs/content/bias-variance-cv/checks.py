"""Checks for the bias-variance-cv lab."""

from functools import cache

import numpy as np

from mlpath.labs.checking import CheckFailed, check, close, expect

DEGREES = [1, 2, 4, 6, 10, 15]
PARAM = "polynomialfeatures__degree"


@cache
def _problem():
    """Noisy 1-D regression, a polynomial-regression pipeline and 5 shuffled folds."""
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import KFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, size=60)
    y = np.sin(x) + 0.3 * x + rng.normal(0, 0.3, size=60)
    X = x[:, None]
    estimator = make_pipeline(
        PolynomialFeatures(degree=2, include_bias=False), StandardScaler(), LinearRegression()
    )
    folds = list(KFold(n_splits=5, shuffle=True, random_state=0).split(X))
    return X, y, estimator, folds


@cache
def _sklearn_validation_curve():
    from sklearn.model_selection import validation_curve

    X, y, estimator, folds = _problem()
    train, val = validation_curve(estimator, X, y, param_name=PARAM, param_range=DEGREES, cv=folds)
    return train.mean(axis=1), val.mean(axis=1)


@check("kfold_indices: the validation folds partition the data")
def kfold_partition(lab):
    n, k = 23, 5
    folds = lab.kfold_indices(n, k, seed=0)
    expect(
        len(folds) == k,
        f"kfold_indices(n={n}, k={k}, seed=0) must return {k} folds, got {len(folds)}.",
    )
    expect(all(len(fold) == 2 for fold in folds), "each fold must be a tuple (train_idx, val_idx).")
    counts = np.zeros(n, dtype=int)
    for _, val_idx in folds:
        np.add.at(counts, np.asarray(val_idx), 1)
    never, twice = np.flatnonzero(counts == 0), np.flatnonzero(counts > 1)
    problems = []
    if never.size:
        problems.append(
            f"{never.size} points are never in a validation fold (e.g. {never[:3].tolist()})"
        )
    if twice.size:
        problems.append(
            f"{twice.size} points are in more than one validation fold (e.g. {twice[:3].tolist()})"
        )
    if problems:
        raise CheckFailed(
            f"with n={n}, k={k}: "
            + " and ".join(problems)
            + ". Every point must be validated exactly "
            "once; np.array_split handles n not divisible by k."
        )
    sizes = sorted(len(val) for _, val in folds)
    expect(
        sizes[-1] - sizes[0] <= 1, f"validation fold sizes must differ by at most one, got {sizes}."
    )
    for i, (train_idx, val_idx) in enumerate(folds):
        rest = np.setdiff1d(np.arange(n), val_idx)
        expect(
            np.array_equal(np.sort(train_idx), rest),
            f"fold {i}: train_idx must be exactly the {len(rest)} indices that are not in val_idx, "
            f"got {len(train_idx)} indices.",
        )


@check("kfold_indices shuffles with the seed it is given")
def kfold_seed(lab):
    n, k = 40, 4

    def signature(folds):
        return [tuple(sorted(np.asarray(val).tolist())) for _, val in folds]

    np.random.seed(0)  # the global state is the same for every call: only the seed differs
    a = signature(lab.kfold_indices(n, k, seed=3))
    np.random.seed(0)
    b = signature(lab.kfold_indices(n, k, seed=3))
    np.random.seed(0)
    c = signature(lab.kfold_indices(n, k, seed=4))
    contiguous = [tuple(range(i * 10, (i + 1) * 10)) for i in range(k)]
    expect(
        sorted(a) != sorted(contiguous),
        "kfold_indices returned contiguous blocks 0..9, 10..19, ...: shuffle 0..n-1 with "
        "np.random.default_rng(seed) before cutting it into folds (data is often sorted).",
    )
    expect(
        a == b,
        "kfold_indices gave different folds for the same seed: shuffle with np.random.default_rng(seed).",
    )
    expect(
        sorted(a) != sorted(c),
        "kfold_indices gave the same folds for seeds 3 and 4: it ignores the seed. Shuffle with "
        "np.random.default_rng(seed), the seed you are given.",
    )


def _unchanged(estimator, what):
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    expect(
        estimator.get_params()[PARAM] == 2,
        f"{what} changed the estimator it was given (its degree is now "
        f"{estimator.get_params()[PARAM]}): set parameters on a clone, sklearn.base.clone(estimator).",
    )
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return
    raise CheckFailed(
        f"{what} fitted the estimator it was given: fit a fresh clone for each fold "
        "(sklearn.base.clone(estimator)), so that the caller's model is left untouched."
    )


@check("cross_val_scores equals sklearn cross_val_score on the same folds")
def cross_val_matches(lab):
    from sklearn.base import clone
    from sklearn.model_selection import cross_val_score

    X, y, estimator, folds = _problem()
    estimator = clone(estimator)
    got = lab.cross_val_scores(estimator, X, y, folds)
    _unchanged(estimator, "cross_val_scores")
    expected = cross_val_score(estimator, X, y, cv=folds)
    close(
        got,
        expected,
        rtol=1e-9,
        atol=1e-12,
        what="R^2 score on each validation fold (fit on the training part, score on the held-out part)",
    )


@check("learning_curve_scores equals sklearn learning_curve")
def learning_curve_matches(lab):
    from sklearn.model_selection import learning_curve

    X, y, estimator, folds = _problem()
    sizes = [10, 20, 30, 48]
    train_idx, val_idx = folds[0]
    result = lab.learning_curve_scores(estimator, X, y, train_idx, val_idx, sizes)
    expect(len(result) == 2, "learning_curve_scores must return (train_scores, val_scores).")
    _, train, val = learning_curve(
        estimator, X, y, train_sizes=sizes, cv=[(train_idx, val_idx)], shuffle=False
    )
    close(
        result[0],
        train[:, 0],
        rtol=1e-9,
        atol=1e-12,
        what=f"training scores for sizes {sizes} (score on the first m rows of train_idx)",
    )
    close(result[1], val[:, 0], rtol=1e-9, atol=1e-12, what=f"validation scores for sizes {sizes}")


@check("validation_curve_scores equals sklearn validation_curve (mean over folds)")
def validation_curve_matches(lab):
    from sklearn.base import clone

    X, y, estimator, folds = _problem()
    estimator = clone(estimator)
    result = lab.validation_curve_scores(estimator, X, y, PARAM, DEGREES, folds)
    _unchanged(estimator, "validation_curve_scores")
    expect(len(result) == 2, "validation_curve_scores must return (train_means, val_means).")
    train, val = _sklearn_validation_curve()
    close(
        result[0], train, rtol=1e-9, atol=1e-12, what=f"mean training score for degrees {DEGREES}"
    )
    close(
        result[1], val, rtol=1e-9, atol=1e-12, what=f"mean validation score for degrees {DEGREES}"
    )


@check("diagnose: high bias, high variance or good fit")
def diagnose_cases(lab):
    train, val = _sklearn_validation_curve()
    cases = [(0.70, 0.20, "high bias"), (0.99, 0.60, "high variance"), (0.95, 0.93, "good fit")]
    cases += [
        (train[DEGREES.index(d)], val[DEGREES.index(d)], label)
        for d, label in ((1, "high bias"), (6, "good fit"), (15, "high variance"))
    ]
    for train_score, val_score, label in cases:
        got = lab.diagnose(train_score, val_score, target=0.9, max_gap=0.1)
        expect(
            got == label,
            f"diagnose(train_score={train_score:.3f}, val_score={val_score:.3f}, target=0.9, max_gap=0.1) "
            f"returned {got!r}, expected {label!r}. A training score below the target means high bias; "
            "a good training score with a validation score far below it means high variance.",
        )


@check("diagnose by hand: other thresholds, and scores exactly on them")
def diagnose_boundaries(lab):
    # target 0.75 and max gap 0.25 are exact in binary, so the boundaries are exact
    cases = [
        (
            0.75,
            0.5,
            "good fit",
            "a training score equal to the target is not high bias, and a gap equal to max_gap is not high variance",
        ),
        (
            0.8,
            0.5,
            "high variance",
            "with target=0.75 a training score of 0.8 is good; the gap 0.3 exceeds max_gap=0.25",
        ),
        (0.625, 0.625, "high bias", "0.625 is below target=0.75"),
    ]
    for train_score, val_score, label, why in cases:
        got = lab.diagnose(train_score, val_score, target=0.75, max_gap=0.25)
        expect(
            got == label,
            f"diagnose(train_score={train_score}, val_score={val_score}, target=0.75, max_gap=0.25) "
            f"returned {got!r}, expected {label!r}: {why}. Use the target and max_gap you are given; "
            "high bias is train_score < target, high variance is a gap > max_gap (scores exactly on "
            "a threshold are fine).",
        )


@check("best_param picks the degree with the best mean validation score")
def best_degree(lab):
    X, y, estimator, folds = _problem()
    _, val = _sklearn_validation_curve()
    expected = DEGREES[int(np.argmax(val))]
    got = lab.best_param(estimator, X, y, PARAM, DEGREES, folds)
    expect(
        got == expected,
        f"best_param returned degree {got!r}, expected {expected}: the degree with the best mean "
        f"validation score ({val.max():.3f}). The training score always favours the most complex model.",
    )
