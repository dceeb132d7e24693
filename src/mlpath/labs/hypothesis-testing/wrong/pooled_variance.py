# expect: Welch
"""Wrong solution: the two-sample test pools the variances (Student's t-test) instead of Welch's."""

import numpy as np
from scipy import stats


def _t_test(estimate, se, df):
    t = estimate / se
    return float(t), float(2 * stats.t.sf(abs(t), df))


def one_sample_t(x, mu0):
    x = np.asarray(x, dtype=float)
    n = len(x)
    return _t_test(x.mean() - mu0, x.std(ddof=1) / np.sqrt(n), n - 1)


def welch_t(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    df = len(x) + len(y) - 2
    pooled = ((len(x) - 1) * x.var(ddof=1) + (len(y) - 1) * y.var(ddof=1)) / df
    return _t_test(x.mean() - y.mean(), np.sqrt(pooled * (1 / len(x) + 1 / len(y))), df)


def paired_t(before, after):
    return one_sample_t(np.asarray(before, dtype=float) - np.asarray(after, dtype=float), 0.0)


def mean_ci(x, confidence=0.95):
    x = np.asarray(x, dtype=float)
    n = len(x)
    half_width = stats.t.ppf((1 + confidence) / 2, n - 1) * x.std(ddof=1) / np.sqrt(n)
    return float(x.mean() - half_width), float(x.mean() + half_width)


def permutation_test(x, y, n_resamples, rng):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    pooled = np.concatenate([x, y])
    observed = abs(x.mean() - y.mean())
    shuffled = rng.permuted(np.tile(pooled, (n_resamples, 1)), axis=1)
    diffs = shuffled[:, : len(x)].mean(axis=1) - shuffled[:, len(x) :].mean(axis=1)
    count = np.sum(np.abs(diffs) >= observed - 1e-12)  # tolerate rounding in exact ties
    return float((count + 1) / (n_resamples + 1))
