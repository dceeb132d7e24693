"""Checks for the hypothesis-testing lab: references come from scipy.stats on seeded samples."""

from itertools import combinations

import numpy as np
from scipy import stats

from mlpath.labs.checking import check, close, expect, forbid

N_RESAMPLES = 10_000


def _samples():
    rng = np.random.default_rng(2024)
    return {
        "one": rng.normal(10.8, 2.0, size=20),
        "x": rng.normal(5.0, 1.0, size=12),
        "y": rng.normal(6.0, 3.0, size=30),
        "before": rng.normal(80.0, 10.0, size=15),
        "perm_x": rng.normal(0.2, 1.0, size=9),
        "perm_y": rng.normal(0.0, 1.0, size=9),
    }


_READY_MADE = (
    "scipy.stats.ttest_1samp",
    "scipy.stats.ttest_ind",
    "scipy.stats.ttest_rel",
    "scipy.stats.ttest_ind_from_stats",
    "scipy.stats.permutation_test",
    "scipy.stats.bootstrap",
    "scipy.stats.t.interval",
)
_RULE = "Write the tests from their formulas (scipy.stats.t.sf and .ppf are allowed), as the README asks."


def _call(lab, name, *args):
    """The learner's function, with SciPy's ready-made tests trapped."""
    with forbid(lab, *_READY_MADE, rule=_RULE):
        return getattr(lab, name)(*args)


def _exact_permutation_p(x, y):
    """Two-sided p-value over every split of the pooled values (tiny inputs only)."""
    pooled = np.concatenate([x, y])
    observed = abs(x.mean() - y.mean())
    hits = total = 0
    for chosen in combinations(range(len(pooled)), len(x)):
        mask = np.zeros(len(pooled), dtype=bool)
        mask[list(chosen)] = True
        hits += abs(pooled[mask].mean() - pooled[~mask].mean()) >= observed - 1e-12
        total += 1
    return hits / total


def _pair(result, name):
    expect(
        isinstance(result, (tuple, list)) and len(result) == 2,
        f"{name} must return a tuple (t, p) of two floats, got {type(result).__name__} {result!r:.80}.",
    )
    return float(result[0]), float(result[1])


def _p_hint(p, ref_p):
    if np.isclose(p, ref_p / 2, rtol=1e-6) or np.isclose(p, 1 - ref_p / 2, rtol=1e-6):
        return " (your p-value is one-sided: the two-sided p-value is 2 * P(T >= |t|))"
    return ""


def _t_hint(t, ref_t, n):
    if np.isclose(t, ref_t * np.sqrt(n / (n - 1)), rtol=1e-6):
        return " (looks like the standard deviation used ddof=0; use the sample standard deviation, ddof=1)"
    return ""


def _compare_test(got, ref, name, n):
    t, p = _pair(got, name)
    close(t, ref.statistic, rtol=1e-8, what=f"{name}: t statistic{_t_hint(t, ref.statistic, n)}")
    close(p, ref.pvalue, rtol=1e-6, atol=1e-12, what=f"{name}: p-value{_p_hint(p, ref.pvalue)}")


@check("One-sample t-test matches scipy.stats.ttest_1samp")
def one_sample(lab):
    x = _samples()["one"]
    for mu0 in (10.0, 12.0):
        _compare_test(
            _call(lab, "one_sample_t", x.copy(), mu0),
            stats.ttest_1samp(x, mu0),
            f"one_sample_t(x, mu0={mu0})",
            len(x),
        )


@check("Welch two-sample t-test matches scipy.stats.ttest_ind(equal_var=False)")
def welch(lab):
    s = _samples()
    x, y = s["x"], s["y"]
    t, p = _pair(_call(lab, "welch_t", x.copy(), y.copy()), "welch_t")
    pooled = stats.ttest_ind(x, y, equal_var=True)
    expect(
        not (
            np.isclose(t, pooled.statistic, rtol=1e-6) and np.isclose(p, pooled.pvalue, rtol=1e-6)
        ),
        "welch_t matches the pooled-variance (Student) t-test, which assumes equal variances. Use Welch's "
        "standard error sqrt(s1²/n1 + s2²/n2) and the Welch–Satterthwaite degrees of freedom.",
    )
    _compare_test((t, p), stats.ttest_ind(x, y, equal_var=False), "welch_t(x, y)", len(x))


@check("Paired t-test matches scipy.stats.ttest_rel")
def paired(lab):
    before = _samples()["before"]
    after = before - 2.0 + np.random.default_rng(7).normal(0.0, 3.0, size=len(before))
    got = _call(lab, "paired_t", before.copy(), after.copy())
    t, _ = _pair(got, "paired_t")
    independent = stats.ttest_ind(before, after, equal_var=False)
    expect(
        not np.isclose(t, independent.statistic, rtol=1e-6),
        "paired_t treated before and after as two independent samples (a Welch test). The pairs "
        "belong together: run a one-sample t-test on the differences before - after.",
    )
    expect(
        not np.isclose(t, -stats.ttest_rel(before, after).statistic, rtol=1e-8),
        "paired_t: the t statistic has the wrong sign; use the differences before - after.",
    )
    _compare_test(
        got,
        stats.ttest_rel(before, after),
        "paired_t(before, after)",
        len(before),
    )


@check("95% and 90% confidence intervals for a mean match scipy.stats.t.interval")
def confidence_interval(lab):
    x = _samples()["one"]
    n = len(x)
    for confidence in (0.95, 0.90):
        got = _call(lab, "mean_ci", x.copy(), confidence)
        expect(
            isinstance(got, (tuple, list)) and len(got) == 2,
            f"mean_ci must return a tuple (low, high), got {got!r:.80}.",
        )
        ref = np.array(stats.t.interval(confidence, n - 1, loc=x.mean(), scale=stats.sem(x)))
        half, ref_half = (got[1] - got[0]) / 2, (ref[1] - ref[0]) / 2
        hint = ""
        if np.isclose(half, ref_half * np.sqrt((n - 1) / n), rtol=1e-6):
            hint = " (the interval is too narrow by sqrt((n-1)/n): use the sample standard deviation, ddof=1)"
        elif np.isclose(half, stats.norm.ppf((1 + confidence) / 2) * stats.sem(x), rtol=1e-6):
            hint = " (you used a normal quantile: use the t distribution with n - 1 degrees of freedom)"
        close(
            np.array(got, dtype=float),
            ref,
            rtol=1e-8,
            what=f"{confidence:.0%} confidence interval (low, high){hint}",
        )


@check("Permutation test p-value agrees with scipy's exact permutation test")
def permutation(lab):
    s = _samples()
    x, y = s["perm_x"], s["perm_y"]
    exact = stats.permutation_test(
        (x, y),
        lambda a, b, axis: np.mean(a, axis=axis) - np.mean(b, axis=axis),
        permutation_type="independent",
        vectorized=True,
        n_resamples=np.inf,
        alternative="two-sided",
    ).pvalue
    got = _call(lab, "permutation_test", x.copy(), y.copy(), N_RESAMPLES, np.random.default_rng(99))
    tol = 5 * np.sqrt(exact * (1 - exact) / N_RESAMPLES) + 1 / N_RESAMPLES
    hint = (
        " (looks one-sided: count shuffles with |d| >= |observed d|, in both tails)"
        if abs(got - exact / 2) < tol
        else ""
    )
    close(
        got,
        exact,
        rtol=0,
        atol=tol,
        what=f"permutation p-value with {N_RESAMPLES} resamples vs the exact p-value "
        f"(tolerance = 5 Monte-Carlo standard errors + 1/{N_RESAMPLES}){hint}",
    )


@check("Permutation test on small cases worked out by hand (ties, unequal groups)")
def permutation_by_hand(lab):
    cases = [
        # 3 zeros vs 3 ones: only 2 of the 20 splits are as extreme, p = 0.1; a bootstrap
        # (drawing with replacement) gives about 1/32.
        (np.zeros(3), np.ones(3)),
        (np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])),
        # unequal groups: 2 zeros vs 4 ones, p = 1/15 over the 15 ways to choose 2 of 6
        (np.zeros(2), np.ones(4)),
    ]
    for x, y in cases:
        exact = _exact_permutation_p(x, y)
        got = _call(
            lab, "permutation_test", x.copy(), y.copy(), N_RESAMPLES, np.random.default_rng(5)
        )
        tol = 5 * np.sqrt(exact * (1 - exact) / N_RESAMPLES) + 1 / N_RESAMPLES
        close(
            got,
            exact,
            rtol=0,
            atol=tol,
            what=f"permutation p-value for x={x.tolist()}, y={y.tolist()} (exactly {exact:.4g} over "
            f"all splits): shuffle the pooled values WITHOUT replacement (drawing with replacement "
            f"is a bootstrap), and split them into groups of len(x) and len(y)",
        )


@check("Permutation test uses its rng and its n_resamples")
def permutation_arguments(lab):
    s = _samples()
    x, y = s["perm_x"], s["perm_y"]
    a = _call(lab, "permutation_test", x.copy(), y.copy(), 2000, np.random.default_rng(1))
    b = _call(lab, "permutation_test", x.copy(), y.copy(), 2000, np.random.default_rng(1))
    c = _call(lab, "permutation_test", x.copy(), y.copy(), 2000, np.random.default_rng(2))
    expect(
        a == b,
        "permutation_test gave different p-values for two generators with the same seed: "
        "shuffle with the `rng` argument, not np.random.",
    )
    expect(
        a != c,
        "permutation_test gave the same p-value for generators with different seeds: it "
        "ignores the `rng` argument (a fixed seed inside?). Shuffle with the rng you are given.",
    )
    n = 7
    p = float(_call(lab, "permutation_test", x.copy(), y.copy(), n, np.random.default_rng(3)))
    on_grid = any(
        np.isclose(p * k, round(p * k), atol=1e-9) and 0 <= round(p * k) <= k for k in (n, n + 1)
    )
    expect(
        on_grid,
        f"permutation_test with n_resamples={n} returned {p:.6g}, which is not a count of "
        f"{n} shuffles divided by {n} (or (count + 1) / {n + 1}): use the n_resamples you are given.",
    )
