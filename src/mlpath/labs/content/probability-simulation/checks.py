"""Checks for the probability-simulation lab.

Expected values come from scipy.stats (or Bayes' rule evaluated here). Simulated quantities are
compared within 5 standard errors computed from the sample size, so a correct simulation fails
with probability below 1e-6 whatever the seed; the seeds are fixed anyway.
"""

import numpy as np
from scipy import stats

from mlpath.labs.checking import CheckFailed, check, close, expect, forbid

N_SAMPLES = 100_000
N_PEOPLE = 1_000_000
Z = 5.0  # tolerance in standard errors


def _rng(seed):
    return np.random.default_rng(seed)


# The samplers must be built from uniform numbers; these would do the lab's work for you.
_READY_MADE = (
    "binomial",
    "exponential",
    "standard_exponential",
    "geometric",
    "negative_binomial",
    "multinomial",
    "poisson",
    "gamma",
)
_FORBIDDEN = (
    *(f"numpy.random.{name}" for name in _READY_MADE),
    "scipy.stats.binom.rvs",
    "scipy.stats.expon.rvs",
)
_RULE = "Build the samplers from uniform numbers (rng.random), as the README asks."


class _UniformOnly:
    """A Generator that hands out everything except ready-made samplers of the lab's distributions."""

    def __init__(self, seed):
        self._rng = np.random.default_rng(seed)

    def __getattr__(self, name):
        if name in _READY_MADE:
            raise CheckFailed(
                f"{_RULE} Your code called rng.{name}, which this lab asks you to write yourself."
            )
        return getattr(self._rng, name)


def _bayes(prior, sensitivity, specificity):
    """P(disease | positive) = P(positive | disease) * P(disease) / P(positive)."""
    p_positive = sensitivity * prior + (1 - specificity) * (1 - prior)
    return sensitivity * prior / p_positive


def _check_moments(mean, var, n, dist, what):
    """Compare a sample mean and variance from n draws with the moments of a scipy.stats distribution."""
    m, v, _, excess_kurtosis = (float(x) for x in dist.stats(moments="mvsk"))
    close(
        mean,
        m,
        rtol=0,
        atol=Z * np.sqrt(v / n),
        what=f"mean of {what} ({n} draws, tolerance = 5 standard errors)",
    )
    close(
        var,
        v,
        rtol=0,
        atol=Z * v * np.sqrt(excess_kurtosis / n + 2 / (n - 1)),
        what=f"variance of {what} ({n} draws, tolerance = 5 standard errors)",
    )


def _samples(fn, *args, size, seed):
    with forbid(_lab_of(fn), *_FORBIDDEN, rule=_RULE):
        got = np.asarray(fn(*args, size, _UniformOnly(seed)))
    expect(
        got.shape == (size,),
        f"{fn.__name__} must return an array of shape ({size},), got shape {got.shape}.",
    )
    return got


def _lab_of(fn):
    import sys

    return sys.modules[fn.__module__]


@check("Bayes' rule: exact posterior of a diagnostic test")
def bayes_exact(lab):
    for prior, sensitivity, specificity in [
        (0.02, 0.9, 0.95),
        (0.001, 0.99, 0.99),
        (0.5, 0.7, 0.6),
    ]:
        close(
            lab.posterior_exact(prior, sensitivity, specificity),
            _bayes(prior, sensitivity, specificity),
            rtol=1e-9,
            what=f"P(disease | positive) for prior={prior}, sensitivity={sensitivity}, specificity={specificity} "
            "(a healthy person tests positive with probability 1 - specificity)",
        )


@check("Bayes' rule by simulation agrees with the exact posterior")
def bayes_simulated(lab):
    prior, sensitivity, specificity = 0.02, 0.9, 0.95
    exact = _bayes(prior, sensitivity, specificity)
    expected_positives = N_PEOPLE * (sensitivity * prior + (1 - specificity) * (1 - prior))
    tol = Z * np.sqrt(exact * (1 - exact) / expected_positives)
    got = lab.posterior_simulated(prior, sensitivity, specificity, N_PEOPLE, _rng(7))
    close(
        got,
        exact,
        rtol=0,
        atol=tol,
        what=f"simulated P(disease | positive) with {N_PEOPLE} people (tolerance = 5 standard errors; "
        "keep only the people who tested positive)",
    )


@check("Simulations use the rng they are given")
def uses_rng(lab):
    args = (0.02, 0.9, 0.95, 10_000)
    first = lab.posterior_simulated(*args, _rng(11))
    expect(
        first == lab.posterior_simulated(*args, _rng(11)),
        "posterior_simulated gave different answers for two generators with the same seed: draw every random "
        "number from the `rng` argument (rng.random(...)), not from np.random or a new generator.",
    )
    np.random.seed(0)  # the global state is the same for both calls: only the rng differs
    other = lab.posterior_simulated(*args, _rng(12))
    expect(
        first != other,
        "posterior_simulated gave the same answer for generators with different seeds: it ignores "
        "the `rng` argument (a new default_rng or a fixed seed inside the function?). Draw every "
        "random number from the rng you are given.",
    )
    for name, fn, params in [
        ("simulate_exponential", lab.simulate_exponential, (1.0,)),
        ("simulate_binomial", lab.simulate_binomial, (10, 0.4)),
    ]:
        a = _samples(fn, *params, size=100, seed=12)
        b = _samples(fn, *params, size=100, seed=12)
        expect(
            np.array_equal(a, b),
            f"{name} gave different samples for two generators with the same seed: use the `rng` argument.",
        )
        np.random.seed(0)
        c = _samples(fn, *params, size=100, seed=13)
        expect(
            not np.array_equal(a, c),
            f"{name} gave the same samples for generators with different seeds: it ignores the "
            "`rng` argument. Draw every random number from the rng you are given.",
        )


@check("Sample mean and unbiased variance")
def mean_var(lab):
    x = _rng(20).normal(3.0, 2.0, size=10)
    mean, var = lab.sample_mean_var(x.copy())
    close(mean, np.mean(x), rtol=1e-10, what="sample mean")
    hint = (
        " (looks like you divided by n: the unbiased sample variance uses ddof=1, dividing by n - 1)"
        if np.isclose(var, np.var(x), rtol=1e-10)
        else ""
    )
    close(var, np.var(x, ddof=1), rtol=1e-10, what=f"sample variance{hint}")


@check("Poisson and normal draws: sample moments agree with scipy.stats")
def poisson_normal_moments(lab):
    rng = _rng(21)
    for samples, dist, what in [
        (rng.poisson(4.0, N_SAMPLES), stats.poisson(4.0), "Poisson(4) draws"),
        (rng.normal(-1.0, 3.0, N_SAMPLES), stats.norm(-1.0, 3.0), "Normal(-1, 3) draws"),
    ]:
        mean, var = lab.sample_mean_var(samples)
        _check_moments(mean, var, len(samples), dist, what)


@check("Binomial draws built from Bernoulli trials")
def binomial(lab):
    got = _samples(lab.simulate_binomial, 20, 0.3, size=N_SAMPLES, seed=30)
    expect(
        np.all((got >= 0) & (got <= 20) & (got == np.round(got))),
        "Binomial(20, 0.3) draws must be whole numbers of successes between 0 and 20.",
    )
    _check_moments(
        np.mean(got),
        np.var(got, ddof=1),
        len(got),
        stats.binom(20, 0.3),
        "Binomial(n_trials=20, p=0.3) draws",
    )
    few = _samples(lab.simulate_binomial, 5, 0.8, size=20_000, seed=31)
    expect(
        np.all((few >= 0) & (few <= 5)),
        "Binomial(5, 0.8) draws must lie in [0, 5]: use the n_trials you are given.",
    )
    _check_moments(
        np.mean(few),
        np.var(few, ddof=1),
        len(few),
        stats.binom(5, 0.8),
        "Binomial(n_trials=5, p=0.8) draws",
    )


@check("Exponential draws by inverse-transform sampling")
def exponential(lab):
    scale = 2.0
    got = _samples(lab.simulate_exponential, scale, size=N_SAMPLES, seed=40)
    expect(np.all(np.isfinite(got) & (got >= 0)), "exponential draws must be finite and >= 0.")
    dist = stats.expon(scale=scale)
    _check_moments(
        np.mean(got),
        np.var(got, ddof=1),
        len(got),
        dist,
        f"exponential draws with scale={scale} (the mean is `scale`, the rate is 1/scale)",
    )
    grid = np.linspace(0.0, 10.0, 41)
    ecdf = np.mean(got[None, :] <= grid[:, None], axis=1)
    close(
        ecdf,
        dist.cdf(grid),
        rtol=0,
        atol=0.01,
        what="empirical CDF of your exponential draws vs scipy.stats.expon.cdf (DKW bound: 0.01)",
    )


@check("Empirical CDF")
def ecdf(lab):
    rng = _rng(50)
    ties = rng.integers(0, 10, size=200)
    x = rng.permutation(np.arange(-1, 11, 0.5))  # shuffled points, many exactly on a sample value
    got = np.asarray(lab.empirical_cdf(ties.copy(), x.copy()), dtype=float)
    expect(
        got.shape == x.shape,
        f"empirical_cdf must return one value per point of x: shape {x.shape}, got {got.shape}.",
    )
    close(
        got,
        np.mean(ties[None, :] <= x[:, None], axis=1),
        atol=1e-12,
        what="empirical CDF of integer samples (count samples <= x, ties included)",
    )
    normal = rng.normal(size=N_SAMPLES)
    grid = np.linspace(-3, 3, 25)
    close(
        lab.empirical_cdf(normal, grid),
        stats.norm.cdf(grid),
        rtol=0,
        atol=0.01,
        what=f"empirical CDF of {N_SAMPLES} standard normal draws vs scipy.stats.norm.cdf (DKW bound: 0.01)",
    )
