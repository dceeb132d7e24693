"""Lab: probability by simulation.

Implement every function marked TODO, then run `mlpath check probability-by-simulation`.
Functions that simulate receive `rng`, a numpy.random.Generator created by the check with a
fixed seed: draw ALL random numbers from it (rng.random, rng.normal, ...), never from np.random.
"""

import numpy as np  # noqa: F401 (you will need it)


def posterior_exact(prior, sensitivity, specificity):
    """P(disease | positive test) by Bayes' rule.

    Inputs (floats in (0, 1)):
      prior = P(disease); sensitivity = P(positive | disease); specificity = P(negative | healthy).
    Output: a float. Checked against the formula evaluated by the check with rtol=1e-9.
    """
    # TODO: P(positive) = true positives + false positives.
    raise NotImplementedError


def posterior_simulated(prior, sensitivity, specificity, n_people, rng):
    """Estimate P(disease | positive test) by simulating n_people people.

    Steps: draw who has the disease (probability `prior`), then draw each person's test result
    (positive with probability `sensitivity` if ill, `1 - specificity` if healthy), then return
    the fraction of ill people among those who tested positive.
    Output: a float. Checked against the exact posterior within 5 standard errors of a
    proportion estimated from the expected number of positives (about 0.0086 for the
    check's 1,000,000 people), and for using `rng` (same seed -> same answer).
    """
    # TODO: boolean arrays `ill` and `positive` of length n_people, then a conditional fraction.
    raise NotImplementedError


def sample_mean_var(samples):
    """Sample mean and unbiased sample variance of a 1-D array.

    Output: (mean, variance) as floats; the variance divides by n - 1.
    Checked against np.mean and np.var(ddof=1) with rtol=1e-10.
    """
    # TODO
    raise NotImplementedError


def simulate_binomial(n_trials, p, size, rng):
    """`size` draws from Binomial(n_trials, p), each one the number of successes in n_trials
    independent Bernoulli(p) trials. Build it from uniform numbers (rng.random), not rng.binomial.

    Output: int array of shape (size,). Its mean and variance are checked against
    scipy.stats.binom within 5 standard errors for the check's sample size (see README).
    """
    # TODO: a (size, n_trials) array of successes, summed over the trials.
    raise NotImplementedError


def simulate_exponential(scale, size, rng):
    """`size` draws from the exponential distribution with mean `scale`, by inverse-transform
    sampling of uniform numbers (rng.random), not rng.exponential.

    Output: float array of shape (size,). Its mean and variance are checked against
    scipy.stats.expon(scale=scale) within 5 standard errors, and its empirical CDF against the
    exponential CDF within 0.01 (see README).
    """
    # TODO: invert the CDF F(x) = 1 - exp(-x / scale).
    raise NotImplementedError


def empirical_cdf(samples, x):
    """Empirical CDF of `samples` evaluated at the points `x`.

    Inputs: samples: 1-D array (n,); x: 1-D array (m,) of evaluation points.
    Output: float array (m,) with the fraction of samples <= x[i] at position i.
    Checked exactly (atol=1e-12) against a count done by the check, and, for normal samples,
    against scipy.stats.norm.cdf within 0.01.
    """
    # TODO: sort once, then np.searchsorted(..., side="right") / n.
    raise NotImplementedError
