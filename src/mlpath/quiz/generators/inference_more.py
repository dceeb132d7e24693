"""More statistics generators: Monte Carlo error, sample sizes, estimators, intervals, tests."""

from __future__ import annotations

import math
import random

from mlpath.quiz.generators import Instance, fmt, generator, single_from
from mlpath.quiz.generators._math_common import _n, _phi


@generator("mc-standard-error")
def mc_standard_error(rng: random.Random) -> Instance:
    p = rng.choice([0.05, 0.1, 1 / 6, 0.25, 0.5])
    n = rng.choice([100, 400, 1000, 2500, 10000])
    value = math.sqrt(p * (1 - p) / n)
    return _n(
        f"A Monte Carlo simulation estimates a probability near {p:.3g} from {n} independent "
        "draws. What is the standard error of the estimate? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"The estimate is a mean of 0/1 indicators: SE = sqrt(p(1 − p)/n) = {value:.4f}.",
    )


@generator("draws-for-precision")
def draws_for_precision(rng: random.Random) -> Instance:
    sigma = rng.choice([1, 2, 5, 10])
    se = rng.choice([0.1, 0.05, 0.5, 0.2])
    value = math.ceil((sigma / se) ** 2 - 1e-9)
    return _n(
        f"One draw has standard deviation {sigma}. How many draws does a running mean need for a "
        f"standard error of {se}?",
        value,
        decimals=0,
        explanation=f"σ/√n = {se} gives n = (σ/SE)² = ({sigma}/{se})² = {value}.",
    )


@generator("clt-probability")
def clt_probability(rng: random.Random) -> Instance:
    mu, sigma, n = (
        rng.choice([10, 50, 100]),
        rng.choice([4, 6, 8, 10]),
        rng.choice([16, 25, 64, 100]),
    )
    z = rng.choice([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2])
    se = sigma / math.sqrt(n)
    x = mu + z * se
    value = 1 - _phi(z)
    return _n(
        f"Draws have mean {mu} and standard deviation {sigma}. By the central limit theorem, what "
        f"is the probability that the mean of {n} draws exceeds {fmt(x)}? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"The sample mean is ≈ Normal({mu}, SE = {sigma}/√{n} = {fmt(se)}); "
        f"z = ({fmt(x)} − {mu})/{fmt(se)} = {z}, P = 1 − Φ({z}) = {value:.4f}.",
    )


@generator("gaussian-mle")
def gaussian_mle(rng: random.Random) -> Instance:
    xs = [rng.randint(0, 20) for _ in range(rng.choice([4, 5, 6]))]
    which = rng.choice(["mean", "variance"])
    mean = sum(xs) / len(xs)
    value = mean if which == "mean" else sum((x - mean) ** 2 for x in xs) / len(xs)
    return _n(
        f"Data {', '.join(map(str, xs))} are modelled as Gaussian. What is the maximum likelihood "
        f"estimate of the {which}? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"The MLE of the mean is the sample mean ({mean:.3f}); the MLE of the variance "
        "divides the squared deviations by n (not n − 1).",
    )


@generator("variance-bias-factor")
def variance_bias_factor(rng: random.Random) -> Instance:
    n = rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25])
    return _n(
        f"On average, the variance estimate with n = {n} in the denominator equals what fraction "
        "of the true variance? Give 3 decimals.",
        (n - 1) / n,
        decimals=3,
        explanation=f"E[(1/n) Σ (xᵢ − x̄)²] = ((n − 1)/n)σ² = {(n - 1) / n:.3f}σ²: it is biased low, "
        "most for small n.",
    )


@generator("ci-margin")
def ci_margin(rng: random.Random) -> Instance:
    z, level = rng.choice([(1.645, "90%"), (1.96, "95%"), (2.576, "99%")])
    s, n = rng.choice([4, 6, 10, 15]), rng.choice([25, 36, 49, 100])
    value = z * s / math.sqrt(n)
    return _n(
        f"A sample of n = {n} has standard deviation {s}. What is the margin of error (half-width) "
        f"of a {level} normal-approximation interval for the mean, using z = {z}? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"margin = z·s/√n = {z}·{s}/√{n} = {value:.3f}.",
    )


@generator("ci-sample-size")
def ci_sample_size(rng: random.Random) -> Instance:
    s, margin = rng.choice([5, 10, 15, 20]), rng.choice([1, 2, 2.5, 5])
    value = math.ceil((1.96 * s / margin) ** 2)
    return _n(
        f"A population has standard deviation about {s}. How large a sample gives a 95% margin of "
        f"error of at most {fmt(margin)} (z = 1.96)? Round up.",
        value,
        decimals=0,
        explanation=f"1.96·{s}/√n ≤ {fmt(margin)} gives n ≥ (1.96·{s}/{fmt(margin)})² = "
        f"{(1.96 * s / margin) ** 2:.2f}, so n = {value}.",
    )


@generator("bootstrap-percentile-rank")
def bootstrap_percentile_rank(rng: random.Random) -> Instance:
    b = rng.choice([1000, 2000, 4000, 10000])
    level, low = rng.choice([(95, 2.5), (90, 5), (99, 0.5)])
    value = round(b * low / 100)
    return _n(
        f"You draw {b} bootstrap resamples and sort their medians. Which position (counting from "
        f"1) is the lower end of the {level}% percentile interval?",
        value,
        decimals=0,
        explanation=f"The lower end is the {low}th percentile: {low}% of {b} = {value}.",
    )


@generator("expected-false-positives")
def expected_false_positives(rng: random.Random) -> Instance:
    m, alpha = rng.choice([100, 200, 300, 500, 1000]), rng.choice([0.05, 0.01, 0.1])
    return _n(
        f"You test {m} features, none of which truly matters, each at significance level "
        f"{alpha}. How many 'significant' results do you expect by chance?",
        m * alpha,
        decimals=0,
        explanation=f"Each test is a false positive with probability α: {m}·{alpha} = {fmt(m * alpha)}.",
    )


@generator("permutation-p-value")
def permutation_p_value(rng: random.Random) -> Instance:
    n = rng.choice([1000, 2000, 5000, 10000])
    k = rng.randint(0, n // 10)
    value = (k + 1) / (n + 1)
    return _n(
        f"In {n} label shuffles, {k} gave a difference at least as extreme as the observed one. "
        "With the usual +1 correction, what is the permutation p-value? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"p = (k + 1)/(n + 1) = ({k} + 1)/({n} + 1) = {value:.4f}; the +1 counts the "
        "observed labelling itself, so p is never 0.",
    )


@generator("two-sample-z")
def two_sample_z(rng: random.Random) -> Instance:
    m1, m2 = rng.randint(40, 60), rng.randint(40, 60)
    s1, s2 = rng.choice([6, 8, 10]), rng.choice([6, 8, 10])
    n = rng.choice([25, 36, 64, 100])
    se = math.sqrt(s1 * s1 / n + s2 * s2 / n)
    value = (m1 - m2) / se
    return _n(
        f"Group A (n = {n}) has mean {m1} and sd {s1}; group B (n = {n}) has mean {m2} and sd "
        f"{s2}. What is the z statistic for the difference A − B? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"SE = sqrt(s₁²/n + s₂²/n) = {se:.3f}; z = ({m1} − {m2})/{se:.3f} = {value:.3f}.",
    )


@generator("reject-decision")
def reject_decision(rng: random.Random) -> Instance:
    alpha = rng.choice([0.05, 0.01, 0.1])
    p = rng.choice([0.001, 0.004, 0.02, 0.03, 0.049, 0.06, 0.08, 0.2, 0.45])
    while abs(p - alpha) < 1e-12:
        p = rng.choice([0.001, 0.2])
    reject = p < alpha
    key = "Reject H₀" if reject else "Do not reject H₀"
    return single_from(
        rng,
        f"A test gives p = {p} and the significance level is α = {alpha}. What do you decide?",
        key=key,
        distractors=[
            "Reject H₀",
            "Do not reject H₀",
            "Accept H₁ as proven true",
            "Accept H₀ as proven true",
        ],
        explanation=f"p {'<' if reject else '≥'} α, so {key.lower()}. Not rejecting never proves H₀, "
        "and rejecting never proves H₁.",
    )
