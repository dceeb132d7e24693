"""Checks for the hypothesis-testing lab: references come from scipy.stats on seeded samples."""

import numpy as np
from scipy import stats

from mlpath.labs.checking import check, close, expect

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
            lab.one_sample_t(x.copy(), mu0),
            stats.ttest_1samp(x, mu0),
            f"one_sample_t(x, mu0={mu0})",
            len(x),
        )


@check("Welch two-sample t-test matches scipy.stats.ttest_ind(equal_var=False)")
def welch(lab):
    s = _samples()
    x, y = s["x"], s["y"]
    t, p = _pair(lab.welch_t(x.copy(), y.copy()), "welch_t")
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
    _compare_test(
        lab.paired_t(before.copy(), after.copy()),
        stats.ttest_rel(before, after),
        "paired_t(before, after)",
        len(before),
    )


@check("95% and 90% confidence intervals for a mean match scipy.stats.t.interval")
def confidence_interval(lab):
    x = _samples()["one"]
    n = len(x)
    for confidence in (0.95, 0.90):
        got = lab.mean_ci(x.copy(), confidence)
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
    got = lab.permutation_test(x.copy(), y.copy(), N_RESAMPLES, np.random.default_rng(99))
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
