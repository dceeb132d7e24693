"""Reference solution: t-tests, a confidence interval and a permutation test."""

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
    vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))
    return _t_test(x.mean() - y.mean(), np.sqrt(vx + vy), df)


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
