"""Lab: t-tests, a confidence interval and a permutation test, written from their formulas.

Implement every function marked TODO, then run `mlpath check hypothesis-testing`.
You may use scipy.stats.t (the t distribution: .sf, .cdf, .ppf) but not scipy's ready-made
tests (ttest_1samp, ttest_ind, ttest_rel, permutation_test): the checks compare you with them.
Every p-value here is TWO-SIDED.
"""

import numpy as np  # noqa: F401 (you will need it)
from scipy import stats  # noqa: F401 (stats.t: .sf, .ppf)


def one_sample_t(x, mu0):
    """One-sample t-test of H0: mean(x) == mu0.

    Input: x: 1-D float array (n,); mu0: float.
    Output: (t, p) as floats: t = (mean - mu0) / (s / sqrt(n)) with the sample standard deviation s
    (ddof=1), and the two-sided p-value from a t distribution with n - 1 degrees of freedom.
    Checked against scipy.stats.ttest_1samp: t with rtol=1e-8, p with rtol=1e-6.
    """
    # TODO: standard error, t statistic, then p = 2 * P(T >= |t|).
    raise NotImplementedError


def welch_t(x, y):
    """Welch's two-sample t-test of H0: mean(x) == mean(y), NOT assuming equal variances.

    Input: x (n1,), y (n2,) float arrays.
    Output: (t, p) as floats, t = (mean(x) - mean(y)) / sqrt(s1²/n1 + s2²/n2), and the
    two-sided p-value with the Welch–Satterthwaite degrees of freedom
    df = (s1²/n1 + s2²/n2)² / ((s1²/n1)² / (n1 - 1) + (s2²/n2)² / (n2 - 1)).
    Checked against scipy.stats.ttest_ind(x, y, equal_var=False): t rtol=1e-8, p rtol=1e-6.
    """
    # TODO
    raise NotImplementedError


def paired_t(before, after):
    """Paired t-test of H0: the mean of (before - after) is 0.

    Input: before, after: float arrays of the same shape (n,), one pair per subject.
    Output: (t, p) as floats, the one-sample t-test of the differences before - after against 0.
    Checked against scipy.stats.ttest_rel(before, after): t rtol=1e-8, p rtol=1e-6.
    """
    # TODO: reuse one_sample_t.
    raise NotImplementedError


def mean_ci(x, confidence=0.95):
    """t-based confidence interval for the mean of x.

    Output: (low, high) as floats: mean ± q * s / sqrt(n), with q the (1 + confidence) / 2 quantile
    of the t distribution with n - 1 degrees of freedom and s the sample standard deviation (ddof=1).
    Checked against scipy.stats.t.interval(confidence, n - 1, loc=mean, scale=standard error), rtol=1e-8.
    """
    # TODO: stats.t.ppf gives the quantile.
    raise NotImplementedError


def permutation_test(x, y, n_resamples, rng):
    """Two-sided permutation test for a difference in means.

    Input: x (n1,), y (n2,) float arrays; n_resamples: int; rng: numpy.random.Generator (use it
    for every shuffle).
    Statistic: d = mean(x) - mean(y). Pool x and y, shuffle the pooled values n_resamples times,
    split each shuffle into groups of sizes n1 and n2, and compute d for each.
    Output: the p-value as a float, the fraction of shuffled |d| that are >= the observed |d|
    (adding 1 to the count and to n_resamples is fine).
    Checked against scipy.stats.permutation_test run EXACTLY (all 48,620 splits of 9 + 9 values)
    within 5 Monte-Carlo standard errors plus 1/n_resamples (about 0.02 for 10,000 resamples).
    """
    # TODO: observed d; a loop (or an array of shuffles) of rng.permutation(pooled); compare |d|.
    raise NotImplementedError
