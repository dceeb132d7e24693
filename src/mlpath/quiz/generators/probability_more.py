"""More probability generators: counting, trees, expectations, distributions, joints, entropy."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from mlpath.quiz.generators import Instance, fmt, generator
from mlpath.quiz.generators._math_common import _n, _phi


@generator("combination-count")
def combination_count(rng: random.Random) -> Instance:
    n, k = rng.randint(5, 12), rng.randint(2, 4)
    ordered = rng.random() < 0.5
    value = math.perm(n, k) if ordered else math.comb(n, k)
    what = "ordered lists (first, second, …)" if ordered else "unordered groups"
    return _n(
        f"How many {what} of {k} can be chosen from {n} distinct items?",
        value,
        decimals=0,
        explanation=f"{'Permutations' if ordered else 'Combinations'}: "
        + (
            f"{n}!/({n} − {k})! = {value}"
            if ordered
            else f"C({n}, {k}) = {n}!/({k}!·{n - k}!) = {value}"
        )
        + ".",
    )


@generator("complement-rule")
def complement_rule(rng: random.Random) -> Instance:
    p = rng.randint(5, 95) / 100
    event = rng.choice(
        ["it rains tomorrow", "a part is defective", "a user clicks", "a test passes"]
    )
    return _n(
        f"P({event}) = {p:.2f}. What is the probability that it does not happen? Give 2 decimals.",
        1 - p,
        decimals=2,
        explanation=f"P(not A) = 1 − P(A) = 1 − {p:.2f} = {1 - p:.2f}.",
    )


@generator("second-draw")
def second_draw(rng: random.Random) -> Instance:
    red, blue = rng.randint(2, 8), rng.randint(2, 8)
    n = red + blue
    both = Fraction(red, n) * Fraction(red - 1, n - 1)
    which = rng.choice(["both", "second"])
    value = both if which == "both" else Fraction(red, n)
    text = "both are red" if which == "both" else "the second ball is red"
    work = (
        f"P(R₁)P(R₂ | R₁) = ({red}/{n})({red - 1}/{n - 1})"
        if which == "both"
        else f"P(R₁)P(R₂ | R₁) + P(B₁)P(R₂ | B₁) = ({red}/{n})({red - 1}/{n - 1}) + "
        f"({blue}/{n})({red}/{n - 1}) = {red}/{n}"
    )
    return _n(
        f"An urn has {red} red and {blue} blue balls; two are drawn without replacement. What is "
        f"the probability that {text}? Give 4 decimals.",
        float(value),
        decimals=4,
        explanation=f"{work} = {float(value):.4f}.",
    )


@generator("joint-from-conditional")
def joint_from_conditional(rng: random.Random) -> Instance:
    pb = rng.choice([0.2, 0.3, 0.4, 0.5, 0.6])
    pab = rng.choice([0.1, 0.25, 0.5, 0.7, 0.9])
    value = pab * pb
    return _n(
        f"P(B) = {pb} and P(A | B) = {pab}. What is P(A and B)? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Product rule: P(A ∩ B) = P(A | B)·P(B) = {pab}·{pb} = {fmt(value)}.",
    )


@generator("which-coin")
def which_coin(rng: random.Random) -> Instance:
    p_fair, p_biased = Fraction(1, 2), rng.choice([Fraction(3, 4), Fraction(4, 5), Fraction(9, 10)])
    heads = rng.randint(1, 4)
    prior = rng.choice([Fraction(1, 2), Fraction(1, 3), Fraction(1, 10)])
    like_b, like_f = p_biased**heads, p_fair**heads
    post = prior * like_b / (prior * like_b + (1 - prior) * like_f)
    return _n(
        f"A coin is biased (P(heads) = {float(p_biased):g}) with prior probability "
        f"{float(prior):.3g}, otherwise fair. It lands heads {heads} time(s) in a row. What is the "
        "posterior probability that it is the biased coin? Give 3 decimals.",
        float(post),
        decimals=3,
        explanation=f"Posterior ∝ prior × likelihood: {float(prior):.3g}·{float(like_b):.4g} against "
        f"{float(1 - prior):.3g}·{float(like_f):.4g}; normalised, {float(post):.3f}.",
    )


@generator("expected-winnings")
def expected_winnings(rng: random.Random) -> Instance:
    win, lose = rng.choice([5, 10, 20, 50]), rng.choice([1, 2, 5])
    p = rng.choice([Fraction(1, 6), Fraction(1, 4), Fraction(1, 10), Fraction(1, 3)])
    value = p * win - (1 - p) * lose
    return _n(
        f"A game pays {win} with probability {p.numerator}/{p.denominator} and otherwise costs "
        f"{lose}. What is the expected gain per play? Give 3 decimals.",
        float(value),
        decimals=3,
        explanation=f"E = {p.numerator}/{p.denominator}·{win} − {1 - p}·{lose} = {float(value):.3f}.",
    )


@generator("variance-from-moments")
def variance_from_moments(rng: random.Random) -> Instance:
    mean = rng.randint(-4, 6)
    var = rng.randint(1, 12)
    second = var + mean * mean
    return _n(
        f"A random variable has E[X] = {mean} and E[X²] = {second}. What is Var(X)?",
        var,
        decimals=0,
        explanation=f"Var(X) = E[X²] − E[X]² = {second} − {mean * mean} = {var}.",
    )


@generator("bernoulli-variance")
def bernoulli_variance(rng: random.Random) -> Instance:
    p = rng.choice([0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9])
    return _n(
        f"X ~ Bernoulli({p}). What is Var(X)? Give 4 decimals.",
        p * (1 - p),
        decimals=4,
        explanation=f"Var = p(1 − p) = {p}·{fmt(1 - p)} = {fmt(p * (1 - p))}, largest at p = 0.5.",
    )


@generator("uniform-interval")
def uniform_interval(rng: random.Random) -> Instance:
    a, b = sorted(rng.sample(range(0, 21), 2))
    while b - a < 4:
        a, b = sorted(rng.sample(range(0, 21), 2))
    c, d = sorted(rng.sample(range(a, b + 1), 2))
    value = (d - c) / (b - a)
    return _n(
        f"X is uniform on [{a}, {b}]. What is P({c} < X < {d})? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"The density is 1/({b} − {a}); the area over ({c}, {d}) is ({d} − {c})/({b} − "
        f"{a}) = {value:.3f}.",
    )


@generator("normal-within")
def normal_within(rng: random.Random) -> Instance:
    k = rng.choice([0.5, 1, 1.5, 2, 2.5, 3])
    mu, sigma = rng.choice([0, 10, 100]), rng.choice([1, 2, 5, 15])
    value = _phi(k) - _phi(-k)
    return _n(
        f"X ~ Normal({mu}, sd {sigma}). What is P({fmt(mu - k * sigma)} < X < "
        f"{fmt(mu + k * sigma)})? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"Standardise: the interval is μ ± {fmt(k)}σ, so P = Φ({fmt(k)}) − Φ(−{fmt(k)}) "
        f"= {value:.4f}.",
    )


@generator("exponential-median")
def exponential_median(rng: random.Random) -> Instance:
    rate = rng.choice([0.1, 0.2, 0.25, 0.5, 1, 2, 4])
    which = rng.choice(["mean", "median"])
    value = 1 / rate if which == "mean" else math.log(2) / rate
    return _n(
        f"A waiting time is exponential with rate λ = {fmt(rate)} per minute. What is its "
        f"{which} in minutes? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Mean 1/λ = {fmt(1 / rate)}; the median solves 1 − e^(−λt) = 0.5: t = ln 2/λ = "
        f"{math.log(2) / rate:.3f}.",
    )


@generator("variance-of-sum")
def variance_of_sum(rng: random.Random) -> Instance:
    vx, vy = rng.randint(1, 16), rng.randint(1, 16)
    cov = rng.randint(-int(math.sqrt(vx * vy)), int(math.sqrt(vx * vy)))
    sign = rng.choice(["+", "−"])
    value = vx + vy + 2 * cov if sign == "+" else vx + vy - 2 * cov
    return _n(
        f"Var(X) = {vx}, Var(Y) = {vy} and Cov(X, Y) = {cov}. What is Var(X {sign} Y)?",
        value,
        decimals=0,
        explanation=f"Var(X ± Y) = Var X + Var Y ± 2Cov = {vx} + {vy} {sign} 2·({cov}) = {value}.",
    )


@generator("independent-joint")
def independent_joint(rng: random.Random) -> Instance:
    px = rng.choice([Fraction(1, 2), Fraction(1, 3), Fraction(1, 4), Fraction(2, 5)])
    py = rng.choice([Fraction(1, 6), Fraction(1, 2), Fraction(3, 4), Fraction(1, 5)])
    value = px * py
    return _n(
        f"X and Y are independent, P(X = 1) = {px.numerator}/{px.denominator} and P(Y = 1) = "
        f"{py.numerator}/{py.denominator}. What is P(X = 1, Y = 1)? Give 4 decimals.",
        float(value),
        decimals=4,
        explanation=f"Independence makes the joint the product of the marginals: {px}·{py} = "
        f"{value} ≈ {float(value):.4f}.",
    )


@generator("binary-entropy")
def binary_entropy(rng: random.Random) -> Instance:
    p = rng.choice([0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9])
    unit = rng.choice(["bits", "nats"])
    log = math.log2 if unit == "bits" else math.log
    value = -(p * log(p) + (1 - p) * log(1 - p))
    return _n(
        f"What is the entropy of a Bernoulli({p}) variable, in {unit}? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"H = −p log p − (1 − p) log(1 − p) = {value:.4f} {unit}; it peaks at p = 0.5 "
        "(1 bit).",
    )
