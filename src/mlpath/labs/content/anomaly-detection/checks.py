"""Checks for the anomaly-detection lab."""

from functools import cache

import numpy as np
from scipy.stats import multivariate_normal

from mlpath.labs.checking import CheckFailed, at_least, check, close, expect

SCALE = np.array([1.0, 2.0, 0.5])
SHIFT = np.array([5.0, -3.0, 10.0])


def _data(seed, n_normal, n_outliers):
    """Normal points from one Gaussian blob (scaled per feature) plus uniform outliers."""
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(
        n_samples=n_normal, centers=[[0.0, 0.0, 0.0]], cluster_std=1.0, random_state=seed
    )
    outliers = np.random.default_rng(seed).uniform(-6, 6, size=(n_outliers, 3))
    y = np.r_[np.zeros(n_normal, dtype=int), np.ones(n_outliers, dtype=int)]
    return np.vstack([X, outliers]) * SCALE + SHIFT, y


@cache
def _splits():
    X_train, _ = _data(0, 500, 0)
    X_val, y_val = _data(1, 300, 30)
    X_test, y_test = _data(2, 300, 30)
    return X_train, X_val, y_val, X_test, y_test


def _reference_density(X_train, X):
    return multivariate_normal(mean=X_train.mean(axis=0), cov=np.diag(X_train.var(axis=0))).pdf(X)


def _best_f1(p_val, y_val):
    """Highest F1 of the rule p < epsilon over every distinct value epsilon of p_val."""
    flagged = p_val[None, :] < np.unique(p_val)[:, None]  # one row per candidate epsilon
    positive = y_val.astype(bool)
    tp = (flagged & positive).sum(axis=1)
    fp = (flagged & ~positive).sum(axis=1)
    fn = (~flagged & positive).sum(axis=1)
    return float(np.max(2 * tp / (2 * tp + fp + fn)))


def _check_selection(lab, p_val, y_val, slack):
    from sklearn.metrics import f1_score

    result = lab.select_threshold(p_val, y_val)
    expect(
        isinstance(result, tuple) and len(result) == 2,
        "select_threshold(p_val, y_val) must return a tuple (epsilon, f1).",
    )
    epsilon, score = result
    expect(
        isinstance(epsilon, (int, float, np.number)),
        f"epsilon must be a number, got {type(epsilon).__name__} {epsilon!r}.",
    )
    flagged = p_val < epsilon
    close(
        score,
        f1_score(y_val, flagged, zero_division=0),
        rtol=1e-9,
        what=f"the F1 you returned vs sklearn f1_score of the rule 'anomaly when p < epsilon' "
        f"at your epsilon = {epsilon:.4g} ({int(flagged.sum())} points flagged)",
    )
    best = _best_f1(p_val, y_val)
    if score < best - slack:
        raise CheckFailed(
            f"your epsilon = {epsilon:.4g} gives validation F1 {score:.3f}, but another epsilon "
            f"reaches F1 {best:.3f}. Try every distinct value of p_val and keep the one with the "
            "highest F1 (not the highest accuracy: with few anomalies, accuracy rewards flagging nothing)."
        )


@check("estimate_gaussian: per-feature mean and variance")
def gaussian_parameters(lab):
    X_train = _splits()[0]
    result = lab.estimate_gaussian(X_train)
    expect(
        isinstance(result, tuple) and len(result) == 2,
        "estimate_gaussian(X) must return a tuple (mu, var).",
    )
    mu, var = result
    close(mu, X_train.mean(axis=0), rtol=1e-10, what="per-feature mean mu")
    close(
        var,
        X_train.var(axis=0),
        rtol=1e-10,
        what="per-feature variance var (ddof=0: the mean of squared deviations, not the standard deviation)",
    )


@check("gaussian_density matches scipy.stats.multivariate_normal with a diagonal covariance")
def density_values(lab):
    X_train, X_val = _splits()[:2]
    mu, var = X_train.mean(axis=0), X_train.var(axis=0)
    got = lab.gaussian_density(X_val, mu, var)
    expect(
        np.shape(got) == (len(X_val),),
        f"gaussian_density must return one density per row: shape ({len(X_val)},), got {np.shape(got)}.",
    )
    expected = multivariate_normal(mean=mu, cov=np.diag(var)).pdf(X_val)
    close(got, expected, rtol=1e-8, atol=1e-300, what="density p(x) = prod_j N(x_j; mu_j, var_j)")


@check("f1 matches sklearn.metrics.f1_score")
def f1_values(lab):
    from sklearn.metrics import f1_score

    # by hand: tp = 2, fp = 1, fn = 1, so precision = recall = 2/3 and F1 = 2/3
    close(
        lab.f1(np.array([1, 1, 1, 0, 0]), np.array([True, True, False, True, False])),
        2 / 3,
        rtol=1e-12,
        what="f1 with tp = 2, fp = 1, fn = 1 (2 * precision * recall / (precision + recall) = 2/3)",
    )
    rng = np.random.default_rng(4)
    y_true = (rng.random(60) < 0.2).astype(int)
    for y_pred in (rng.random(60) < 0.3, np.zeros(60, dtype=bool), y_true.astype(bool)):
        close(
            lab.f1(y_true, y_pred),
            f1_score(y_true, y_pred, zero_division=0),
            rtol=1e-12,
            what=f"f1(y_true, y_pred) with {int(y_pred.sum())} points flagged "
            "(2 * precision * recall / (precision + recall), 0.0 when nothing is right)",
        )


@check("select_threshold maximizes F1 on a small labelled set")
def select_threshold_small(lab):
    rng = np.random.default_rng(3)
    labels = np.r_[[1, 1, 0, 0, 0, 0, 1, 1, 1], np.zeros(41, dtype=int)]
    p_sorted = np.sort(rng.lognormal(mean=-6, sigma=2, size=len(labels)))
    order = rng.permutation(len(labels))
    _check_selection(lab, p_sorted[order], labels[order], slack=1e-9)


@check("select_threshold reaches the best F1 on the validation set (within 0.02)")
def select_threshold_validation(lab):
    X_train, X_val, y_val = _splits()[:3]
    _check_selection(lab, _reference_density(X_train, X_val), y_val, slack=0.02)


@check("detect: F1 on the test set is at least 0.75")
def detect_test_f1(lab):
    from sklearn.metrics import f1_score

    X_train, X_val, y_val, X_test, y_test = _splits()
    flagged = np.asarray(lab.detect(X_train, X_val, y_val, X_test))
    expect(
        flagged.shape == y_test.shape,
        f"detect must return one flag per test row: shape {y_test.shape}, got {flagged.shape}.",
    )
    at_least(
        f1_score(y_test, flagged.astype(bool), zero_division=0), 0.75, what="test F1 of detect"
    )


@check("detect fits the density on the training rows only, and flags each test row on its own")
def detect_no_leakage(lab):
    X_train, X_val, y_val, X_test, _ = _splits()
    seen = []
    original = getattr(lab, "estimate_gaussian", None)
    if callable(original):

        def spy(X, *args, **kwargs):
            seen.append(np.asarray(X))
            return original(X, *args, **kwargs)

        lab.estimate_gaussian = spy
    try:
        flagged = np.asarray(lab.detect(X_train.copy(), X_val.copy(), y_val.copy(), X_test.copy()))
        # the same first 50 test rows, followed by 200 far-away points instead of the rest
        far = np.random.default_rng(9).uniform(-40, 40, size=(200, 3)) * SCALE + SHIFT
        mixed = np.vstack([X_test[:50], far])
        again = np.asarray(lab.detect(X_train.copy(), X_val.copy(), y_val.copy(), mixed))
    finally:
        if callable(original):
            lab.estimate_gaussian = original
    for X in seen:
        expect(
            X.shape == X_train.shape and np.allclose(X, X_train),
            f"detect called estimate_gaussian on an array of shape {X.shape}, not on X_train "
            f"{X_train.shape}: fit the density on X_train only. The validation rows choose "
            "epsilon and the test rows are only scored; fitting on them leaks their labels' "
            "structure into the model.",
        )
    expect(
        again.shape == (250,)
        and np.array_equal(again[:50].astype(bool), flagged[:50].astype(bool)),
        "detect flagged the same 50 test rows differently when the other test rows changed: the "
        "model must not be fitted (or epsilon chosen) on the test rows. Fit on X_train only, "
        "choose epsilon on the validation densities, then score each test row.",
    )
