"""Generators of the math phase, probability: counting, distributions, information."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from mlpath.quiz.generators import Instance, fmt, generator, single_from
from mlpath.quiz.generators._math_common import _n, _nz, _phi

# --------------------------------------------------------------------------- probability


@generator("dice-sum")
def dice_sum(rng: random.Random) -> Instance:
    s = rng.randint(2, 12)
    ways = 6 - abs(s - 7)
    return _n(
        f"Two fair dice are rolled. What is the probability that they sum to {s}? Give 4 decimals.",
        ways / 36,
        decimals=4,
        explanation=f"{ways} of the 36 equally likely ordered outcomes sum to {s}: "
        f"{ways}/36 = {ways / 36:.4f}.",
    )


@generator("at-least-one")
def at_least_one(rng: random.Random) -> Instance:
    n = rng.randint(2, 8)
    event, p = rng.choice(
        [
            ("a six", Fraction(1, 6)),
            ("an even number", Fraction(1, 2)),
            ("a number above 4", Fraction(1, 3)),
            ("a one or a two", Fraction(1, 3)),
        ]
    )
    value = 1 - float((1 - p) ** n)
    return _n(
        f"A fair die is rolled {n} times. What is the probability of at least one roll showing "
        f"{event}? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"Use the complement: 1 − P(never) = 1 − ({1 - p})^{n} = {value:.4f}.",
    )


@generator("inclusion-exclusion")
def inclusion_exclusion(rng: random.Random) -> Instance:
    pa, pb = rng.randint(20, 60) / 100, rng.randint(20, 60) / 100
    low = max(0.0, pa + pb - 1)
    pab = round(rng.uniform(low + 0.01, min(pa, pb) - 0.01), 2)
    value = pa + pb - pab
    return _n(
        f"P(A) = {pa:.2f}, P(B) = {pb:.2f} and P(A and B) = {pab:.2f}. What is P(A or B)? "
        "Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"P(A ∪ B) = P(A) + P(B) − P(A ∩ B) = {pa:.2f} + {pb:.2f} − {pab:.2f} "
        f"= {value:.2f}.",
    )


@generator("draw-without-replacement")
def draw_without_replacement(rng: random.Random) -> Instance:
    red, blue = rng.randint(2, 7), rng.randint(2, 7)
    value = math.comb(red, 2) / math.comb(red + blue, 2)
    return _n(
        f"An urn holds {red} red and {blue} blue balls. Two are drawn without replacement. "
        "What is the probability that both are red? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"C({red}, 2)/C({red + blue}, 2) = {math.comb(red, 2)}/"
        f"{math.comb(red + blue, 2)} = {value:.4f}.",
    )


@generator("conditional-from-table")
def conditional_from_table(rng: random.Random) -> Instance:
    n = [[rng.randint(5, 40) for _ in range(2)] for _ in range(2)]
    value = n[0][0] / (n[0][0] + n[1][0])
    return _n(
        "Of the customers, "
        f"{n[0][0]} clicked and were mobile, {n[0][1]} clicked and were desktop, "
        f"{n[1][0]} did not click and were mobile, {n[1][1]} did not click and were desktop. "
        "What is P(click | mobile)? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Restrict to the mobile column: {n[0][0]} of {n[0][0] + n[1][0]} clicked, "
        f"{value:.3f}.",
    )


@generator("total-probability")
def total_probability(rng: random.Random) -> Instance:
    share = rng.choice([0.2, 0.3, 0.4, 0.6, 0.7])
    d1, d2 = rng.choice([0.01, 0.02, 0.05]), rng.choice([0.03, 0.04, 0.1])
    value = share * d1 + (1 - share) * d2
    return _n(
        f"Machine A makes {share:.0%} of the parts with a defect rate of {d1:.0%}; machine B "
        f"makes the rest with a defect rate of {d2:.0%}. What is the probability that a random "
        "part is defective? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"Law of total probability: {share}·{d1} + {1 - share:.1f}·{d2} = {value:.4f}.",
    )


@generator("independence-check")
def independence_check(rng: random.Random) -> Instance:
    pa, pb = rng.choice([0.2, 0.4, 0.5, 0.6]), rng.choice([0.25, 0.5, 0.3])
    independent = rng.random() < 0.5
    pab = pa * pb if independent else pa * pb + rng.choice([-0.05, 0.05])
    key = "Yes: P(A and B) = P(A)P(B)" if independent else "No: P(A and B) ≠ P(A)P(B)"
    return single_from(
        rng,
        f"P(A) = {fmt(pa)}, P(B) = {fmt(pb)} and P(A and B) = {fmt(pab)}. Are A and B independent?",
        key=key,
        distractors=[
            "Yes: P(A and B) = P(A)P(B)",
            "No: P(A and B) ≠ P(A)P(B)",
            "Cannot be decided without P(A | B)",
        ],
        explanation=f"P(A)P(B) = {fmt(pa * pb)}, which {'equals' if independent else 'differs from'} "
        f"P(A and B) = {fmt(pab)}.",
    )


@generator("pmf-expectation")
def pmf_expectation(rng: random.Random) -> Instance:
    values = sorted(rng.sample(range(0, 7), 3))
    weights = rng.choice([(1, 2, 1), (1, 1, 2), (2, 1, 1), (1, 3, 1), (3, 1, 1)])
    total = sum(weights)
    probs = [Fraction(w, total) for w in weights]
    mean = sum(p * v for p, v in zip(probs, values, strict=True))
    var = sum(p * (v - mean) ** 2 for p, v in zip(probs, values, strict=True))
    which = rng.choice(["expectation", "variance"])
    pmf = ", ".join(f"P(X = {v}) = {float(p):g}" for v, p in zip(values, probs, strict=True))
    return _n(
        f"A random variable has {pmf}. What is its {which}? Give 3 decimals.",
        float(mean if which == "expectation" else var),
        decimals=3,
        explanation=f"E[X] = Σ x·p(x) = {float(mean):.3f}; Var(X) = Σ (x − E[X])²·p(x) = "
        f"{float(var):.3f}.",
    )


@generator("linear-transform-moments")
def linear_transform_moments(rng: random.Random) -> Instance:
    mu, var = rng.randint(-5, 10), rng.randint(1, 9)
    a, b = _nz(rng, -3, 3), rng.randint(-5, 5)
    which = rng.choice(["E", "Var"])
    value = a * mu + b if which == "E" else a * a * var
    return _n(
        f"E[X] = {mu} and Var(X) = {var}. What is {which}[{a}X + {b}]?".replace("+ -", "− "),
        value,
        decimals=0,
        explanation=f"E[aX + b] = aE[X] + b = {a * mu + b}; Var(aX + b) = a²Var(X) = {a * a * var} "
        "(the shift b does not change the spread).",
    )


@generator("cdf-interval")
def cdf_interval(rng: random.Random) -> Instance:
    fa, fb = sorted(rng.sample([0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95], 2))
    a, b = sorted(rng.sample(range(1, 10), 2))
    return _n(
        f"A random variable has CDF F with F({a}) = {fa} and F({b}) = {fb}. What is "
        f"P({a} < X ≤ {b})? Give 2 decimals.",
        fb - fa,
        decimals=2,
        explanation=f"P(a < X ≤ b) = F(b) − F(a) = {fb} − {fa} = {fb - fa:.2f}.",
    )


@generator("binomial-moments")
def binomial_moments(rng: random.Random) -> Instance:
    n, p = rng.choice([10, 20, 25, 40, 50]), rng.choice([0.1, 0.2, 0.3, 0.5, 0.6])
    which = rng.choice(["mean", "variance"])
    value = n * p if which == "mean" else n * p * (1 - p)
    return _n(
        f"X ~ Binomial(n = {n}, p = {p}). What is its {which}? Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"Mean np = {fmt(n * p)}; variance np(1 − p) = {fmt(n * p * (1 - p))}.",
    )


@generator("poisson-probability")
def poisson_probability(rng: random.Random) -> Instance:
    lam, k = rng.choice([0.5, 1, 2, 3, 4]), rng.randint(0, 4)
    value = math.exp(-lam) * lam**k / math.factorial(k)
    return _n(
        f"Support tickets arrive as a Poisson process with {fmt(lam)} per hour on average. "
        f"What is the probability of exactly {k} in an hour? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"P(X = k) = e^(−λ) λ^k / k! = e^(−{fmt(lam)})·{fmt(lam)}^{k}/{k}! = {value:.4f}.",
    )


@generator("geometric-wait")
def geometric_wait(rng: random.Random) -> Instance:
    k = rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 20, 25, 50, 100])
    return _n(
        f"Each attempt succeeds independently with probability 1/{k}. On average, how many "
        "attempts does the first success take (counting the successful one)?",
        k,
        decimals=0,
        explanation=f"The number of trials to the first success is geometric with mean 1/p = {k}.",
    )


@generator("uniform-moments")
def uniform_moments(rng: random.Random) -> Instance:
    a, b = sorted(rng.sample(range(-4, 11), 2))
    which = rng.choice(["mean", "variance"])
    value = (a + b) / 2 if which == "mean" else (b - a) ** 2 / 12
    return _n(
        f"X is uniform on [{a}, {b}]. What is its {which}? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Integrating x/(b − a) gives the mean (a + b)/2 = {fmt((a + b) / 2)}; "
        f"integrating (x − mean)²/(b − a) gives (b − a)²/12 = {(b - a) ** 2 / 12:.3f}.",
    )


@generator("normal-probability")
def normal_probability(rng: random.Random) -> Instance:
    mu, sigma = rng.choice([50, 100, 170]), rng.choice([5, 10, 15])
    z = rng.choice([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2])
    x = mu + z * sigma
    side = rng.choice(["below", "above"])
    value = _phi(z) if side == "below" else 1 - _phi(z)
    return _n(
        f"X ~ Normal(mean {mu}, standard deviation {sigma}). What is P(X {'<' if side == 'below' else '>'} "
        f"{fmt(x)})? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"z = ({fmt(x)} − {mu})/{sigma} = {z}; "
        f"P = {'Φ(z)' if side == 'below' else '1 − Φ(z)'} = {value:.4f}.",
    )


@generator("exponential-cdf")
def exponential_cdf(rng: random.Random) -> Instance:
    mean, t = rng.choice([2, 5, 10]), rng.choice([1, 2, 5, 10])
    value = 1 - math.exp(-t / mean)
    return _n(
        f"Waiting times are exponential with mean {mean} minutes. What is the probability of "
        f"waiting at most {t} minutes? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"F(t) = 1 − e^(−t/mean) = 1 − e^(−{t}/{mean}) = {value:.4f}: the CDF is the "
        "accumulated area under the density.",
    )


def _joint(rng: random.Random) -> list[list[Fraction]]:
    weights = [[rng.randint(1, 5) for _ in range(2)] for _ in range(2)]
    total = sum(map(sum, weights))
    return [[Fraction(w, total) for w in row] for row in weights]


def _show_joint(p: list[list[Fraction]]) -> str:
    return ", ".join(
        f"P(X={x}, Y={y}) = {p[x][y].numerator}/{p[x][y].denominator}"
        for x in range(2)
        for y in range(2)
    )


@generator("joint-marginal")
def joint_marginal(rng: random.Random) -> Instance:
    p = _joint(rng)
    which = rng.choice(["marginal", "conditional"])
    if which == "marginal":
        value = p[1][0] + p[1][1]
        q = "P(X = 1)"
        work = "sum the row X = 1"
    else:
        value = p[1][1] / (p[0][1] + p[1][1])
        q = "P(X = 1 | Y = 1)"
        work = "divide P(X=1, Y=1) by P(Y=1)"
    return _n(
        f"A joint distribution has {_show_joint(p)}. What is {q}? Give 3 decimals.",
        float(value),
        decimals=3,
        explanation=f"To get {q}, {work}: {float(value):.3f}.",
    )


@generator("joint-covariance")
def joint_covariance(rng: random.Random) -> Instance:
    p = _joint(rng)
    ex, ey = p[1][0] + p[1][1], p[0][1] + p[1][1]
    cov = p[1][1] - ex * ey
    return _n(
        f"X and Y take values 0 or 1 with {_show_joint(p)}. What is Cov(X, Y)? Give 4 decimals.",
        float(cov),
        decimals=4,
        explanation=f"Cov = E[XY] − E[X]E[Y] = {float(p[1][1]):.4f} − {float(ex):.4f}·"
        f"{float(ey):.4f} = {float(cov):.4f}.",
    )


@generator("correlation-from-covariance")
def correlation_from_covariance(rng: random.Random) -> Instance:
    sx, sy = rng.choice([1, 2, 4, 5]), rng.choice([2, 3, 10])
    rho = rng.choice([-0.9, -0.6, -0.3, 0.2, 0.5, 0.8])
    cov = rho * sx * sy
    return _n(
        f"Var(X) = {sx * sx}, Var(Y) = {sy * sy} and Cov(X, Y) = {fmt(cov)}. "
        "What is the correlation of X and Y? Give 2 decimals.",
        rho,
        decimals=2,
        explanation=f"ρ = Cov/(σ_X σ_Y) = {fmt(cov)}/({sx}·{sy}) = {rho}.",
    )


def _distribution(rng: random.Random, k: int) -> list[Fraction]:
    weights = [rng.randint(1, 6) for _ in range(k)]
    return [Fraction(w, sum(weights)) for w in weights]


def _show_dist(p: list[Fraction]) -> str:
    return "(" + ", ".join(f"{float(x):.3g}" for x in p) + ")"


@generator("cross-entropy")
def cross_entropy(rng: random.Random) -> Instance:
    k = rng.choice([2, 3])
    p, q = _distribution(rng, k), _distribution(rng, k)
    value = -sum(float(a) * math.log2(float(b)) for a, b in zip(p, q, strict=True))
    return _n(
        f"The true distribution is p = {_show_dist(p)} and a model predicts q = {_show_dist(q)}. "
        "What is the cross-entropy H(p, q) in bits? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"H(p, q) = −Σ p log₂ q = {value:.3f} bits (= H(p) + KL(p‖q)).",
    )


@generator("kl-divergence")
def kl_divergence(rng: random.Random) -> Instance:
    k = rng.choice([2, 3])
    while True:
        p, q = _distribution(rng, k), _distribution(rng, k)
        if p != q:
            break
    value = sum(float(a) * math.log(float(a) / float(b)) for a, b in zip(p, q, strict=True))
    back = sum(float(b) * math.log(float(b) / float(a)) for a, b in zip(p, q, strict=True))
    return _n(
        f"p = {_show_dist(p)} and q = {_show_dist(q)}. What is KL(p ‖ q) in nats (natural log)? "
        "Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"KL(p‖q) = Σ p ln(p/q) = {value:.4f} ≥ 0; the other direction KL(q‖p) = "
        f"{back:.4f} differs: KL is not symmetric.",
    )


@generator("information-gain")
def information_gain(rng: random.Random) -> Instance:
    left = (rng.randint(1, 8), rng.randint(1, 8))
    right = (rng.randint(1, 8), rng.randint(1, 8))

    def h(pos: int, neg: int) -> float:
        n = pos + neg
        return -sum(c / n * math.log2(c / n) for c in (pos, neg) if c)

    n_l, n_r = sum(left), sum(right)
    n = n_l + n_r
    parent = h(left[0] + right[0], left[1] + right[1])
    cond = n_l / n * h(*left) + n_r / n * h(*right)
    value = parent - cond
    return _n(
        f"A feature splits {n} examples into a branch with {left[0]} positive and {left[1]} "
        f"negative and a branch with {right[0]} positive and {right[1]} negative. What is the "
        "information gain of the split in bits? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"H(label) = {parent:.3f}; H(label | feature) = {n_l}/{n}·H(left) + "
        f"{n_r}/{n}·H(right) = {cond:.3f}; the gain is {value:.3f} bits.",
    )
