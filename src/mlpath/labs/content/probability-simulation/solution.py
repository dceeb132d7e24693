"""Reference solution: probability by simulation."""

import numpy as np


def posterior_exact(prior, sensitivity, specificity):
    true_positive = sensitivity * prior
    false_positive = (1 - specificity) * (1 - prior)
    return true_positive / (true_positive + false_positive)


def posterior_simulated(prior, sensitivity, specificity, n_people, rng):
    ill = rng.random(n_people) < prior
    p_positive = np.where(ill, sensitivity, 1 - specificity)
    positive = rng.random(n_people) < p_positive
    return float(ill[positive].mean())


def sample_mean_var(samples):
    samples = np.asarray(samples, dtype=float)
    return float(samples.mean()), float(samples.var(ddof=1))


def simulate_binomial(n_trials, p, size, rng):
    return (rng.random((size, n_trials)) < p).sum(axis=1)


def simulate_exponential(scale, size, rng):
    return -scale * np.log1p(-rng.random(size))


def empirical_cdf(samples, x):
    ordered = np.sort(np.asarray(samples, dtype=float))
    return np.searchsorted(ordered, np.asarray(x, dtype=float), side="right") / len(ordered)
