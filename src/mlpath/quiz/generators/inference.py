"""Generators of the math phase, statistics: estimation, confidence intervals, hypothesis tests."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from mlpath.quiz.generators import Instance, generator
from mlpath.quiz.generators._math_common import _n, _phi

# --------------------------------------------------------------------------- statistics


@generator("standard-error")
def standard_error(rng: random.Random) -> Instance:
    s, n = rng.choice([2, 5, 10, 12, 20]), rng.choice([4, 16, 25, 36, 64, 100])
    value = s / math.sqrt(n)
    return _n(
        f"A sample of n = {n} has standard deviation {s}. What is the standard error of the "
        "sample mean? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"SE = s/√n = {s}/√{n} = {value:.3f}: four times the data halves it.",
    )


@generator("clt-spread")
def clt_spread(rng: random.Random) -> Instance:
    sigma, n, m = rng.choice([4, 6, 8, 12]), rng.choice([9, 16, 25]), rng.choice([4, 9])
    ratio = 1 / math.sqrt(m)
    return _n(
        f"Sample means of n = {n} draws from a distribution with standard deviation {sigma} "
        f"are simulated. If n grows to {n * m}, by what factor does the spread (standard "
        "deviation) of the sample means change? Give 3 decimals.",
        ratio,
        decimals=3,
        explanation=f"The spread is σ/√n, so multiplying n by {m} multiplies it by 1/√{m} = "
        f"{ratio:.3f}.",
    )


@generator("bernoulli-mle")
def bernoulli_mle(rng: random.Random) -> Instance:
    n = rng.choice([10, 20, 25, 40, 50])
    k = rng.randint(1, n - 1)
    return _n(
        f"In {n} independent trials, {k} succeed. What is the maximum likelihood estimate of the "
        "success probability p? Give 3 decimals.",
        k / n,
        decimals=3,
        explanation=f"The log-likelihood k ln p + (n − k) ln(1 − p) is maximised where its "
        f"derivative k/p − (n − k)/(1 − p) = 0, at p = k/n = {k}/{n} = {k / n:.3f}.",
    )


@generator("sample-variance")
def sample_variance(rng: random.Random) -> Instance:
    xs = [rng.randint(0, 10) for _ in range(rng.choice([4, 5]))]
    while len(set(xs)) == 1:
        xs = [rng.randint(0, 10) for _ in range(len(xs))]
    n = len(xs)
    mean = Fraction(sum(xs), n)
    ss = sum((x - mean) ** 2 for x in xs)
    which = rng.choice(["n", "n - 1"])
    value = ss / n if which == "n" else ss / (n - 1)
    return _n(
        f"For the sample {', '.join(map(str, xs))}, compute the variance with {which} in the "
        "denominator. Give 3 decimals.",
        float(value),
        decimals=3,
        explanation=f"Mean {float(mean):g}; sum of squared deviations {float(ss):g}; divided by "
        f"{which} gives {float(value):.3f}. Dividing by n − 1 removes the bias of dividing by n.",
    )


@generator("normal-ci")
def normal_ci(rng: random.Random) -> Instance:
    mean, s, n = rng.choice([20, 50, 100]), rng.choice([4, 6, 10]), rng.choice([16, 25, 36, 100])
    side = rng.choice(["lower", "upper"])
    half = 1.96 * s / math.sqrt(n)
    value = mean - half if side == "lower" else mean + half
    return _n(
        f"A sample of n = {n} has mean {mean} and standard deviation {s}. Using the normal "
        f"approximation (z = 1.96), what is the {side} end of the 95% confidence interval for "
        "the mean? Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"mean ± 1.96·s/√n = {mean} ± 1.96·{s}/√{n} = {mean} ± {half:.2f}.",
    )


@generator("ci-width-scaling")
def ci_width_scaling(rng: random.Random) -> Instance:
    width, m = rng.choice([2, 4, 6, 10]), rng.choice([4, 9, 16])
    return _n(
        f"A 95% confidence interval for a mean is {width} units wide. About how wide is it with "
        f"{m} times as much data (same spread)? Give 2 decimals.",
        width / math.sqrt(m),
        decimals=2,
        explanation=f"The width is proportional to 1/√n: {width}/√{m} = {width / math.sqrt(m):.2f}.",
    )


@generator("z-test-p-value")
def z_test_p_value(rng: random.Random) -> Instance:
    mu0, sigma, n = rng.choice([50, 100]), rng.choice([8, 10, 15]), rng.choice([16, 25, 36])
    z = rng.choice([1.2, 1.5, 1.8, 2.0, 2.2, 2.5, 2.8, -1.6, -2.1, -2.4])
    se = sigma / math.sqrt(n)
    xbar = round(mu0 + z * se, 2)
    z = (xbar - mu0) / se  # from the mean as shown, so the learner's numbers give the key
    p = 2 * (1 - _phi(abs(z)))
    return _n(
        f"H₀: μ = {mu0}, with known σ = {sigma}. A sample of n = {n} has mean {xbar:.2f}. "
        "What is the two-sided p-value of the z-test? Give 4 decimals.",
        p,
        decimals=4,
        explanation=f"z = ({xbar:.2f} − {mu0})/({sigma}/√{n}) = {z:.3f}; "
        f"p = 2(1 − Φ(|z|)) = {p:.4f}.",
    )


@generator("t-statistic")
def t_statistic(rng: random.Random) -> Instance:
    xs = [rng.randint(1, 9) for _ in range(5)]
    while len(set(xs)) == 1:
        xs = [rng.randint(1, 9) for _ in range(5)]
    mu0 = rng.choice([3, 4, 5, 6])
    n = len(xs)
    mean = sum(xs) / n
    s = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    t = (mean - mu0) / (s / math.sqrt(n))
    return _n(
        f"For the sample {', '.join(map(str, xs))}, compute the one-sample t statistic for "
        f"H₀: μ = {mu0}. Give 3 decimals.",
        t,
        decimals=3,
        explanation=f"mean = {mean:g}, s = {s:.3f} (n − 1 in the denominator), "
        f"t = (mean − μ₀)/(s/√n) = {t:.3f}, with {n - 1} degrees of freedom.",
    )


@generator("bonferroni")
def bonferroni(rng: random.Random) -> Instance:
    m, alpha = rng.choice([5, 10, 20, 25, 50]), rng.choice([0.05, 0.01])
    which = rng.choice(["threshold", "family"])
    if which == "threshold":
        return _n(
            f"You test {m} hypotheses and want a family-wise error rate of {alpha}. What "
            "per-test significance level does the Bonferroni correction use? Give 3 significant "
            "figures.",
            alpha / m,
            tolerance={"rel": 0.005},
            explanation=f"Bonferroni divides α by the number of tests: {alpha}/{m} = "
            f"{alpha / m:.4f}.",
        )
    value = 1 - (1 - alpha) ** m
    return _n(
        f"You run {m} independent tests at α = {alpha}, and every null hypothesis is true. "
        "What is the probability of at least one false positive? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"1 − (1 − α)^m = 1 − {1 - alpha}^{m} = {value:.3f}.",
    )
