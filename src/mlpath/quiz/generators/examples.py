"""Generators of the example topics: vectors, Bayes' theorem, logistic regression."""

from __future__ import annotations

import math
import random

from mlpath.quiz.generators import Instance, fmt, generator, numeric, single_from


def _show(v: tuple[int, ...] | list[int]) -> str:
    return "(" + ", ".join(str(x) for x in v) + ")"


def _nonzero(rng: random.Random, low: int, high: int) -> int:
    return rng.choice([x for x in range(low, high + 1) if x])


# --------------------------------------------------------------------------- vectors


@generator("vector-linear-combination")
def vector_linear_combination(rng: random.Random) -> Instance:
    u = (rng.randint(-4, 4), rng.randint(-4, 4))
    v = (rng.randint(-4, 4), rng.randint(-4, 4))
    a, b = _nonzero(rng, -3, 3), _nonzero(rng, -3, 3)
    key = (a * u[0] + b * v[0], a * u[1] + b * v[1])
    wrong = [
        (a * u[0] - b * v[0], a * u[1] - b * v[1]),
        (u[0] + v[0], u[1] + v[1]),
        (a * u[0] + b * v[1], a * u[1] + b * v[0]),
        (a * v[0] + b * u[0], a * v[1] + b * u[1]),
        (key[0] + 1, key[1]),
        (key[0], key[1] - 1),
    ]
    return single_from(
        rng,
        f"Let u = {_show(u)} and v = {_show(v)}. What is {a}u + {b}v?".replace("+ -", "− "),
        key=_show(key),
        distractors=[_show(w) for w in wrong],
        explanation=f"Scale each vector, then add component by component: "
        f"{a}·{_show(u)} + {b}·{_show(v)} = ({a * u[0]} + {b * v[0]}, {a * u[1]} + {b * v[1]}) "
        f"= {_show(key)}.",
    )


@generator("basis-coefficient")
def basis_coefficient(rng: random.Random) -> Instance:
    while True:
        b1 = (rng.randint(-3, 3), rng.randint(-3, 3))
        b2 = (rng.randint(-3, 3), rng.randint(-3, 3))
        if b1[0] * b2[1] - b1[1] * b2[0] != 0:
            break
    c1, c2 = _nonzero(rng, -4, 4), _nonzero(rng, -4, 4)
    v = (c1 * b1[0] + c2 * b2[0], c1 * b1[1] + c2 * b2[1])
    which = rng.choice([1, 2])
    return numeric(
        f"The vectors b₁ = {_show(b1)} and b₂ = {_show(b2)} form a basis of the plane. "
        f"Write v = {_show(v)} as v = c₁b₁ + c₂b₂. What is c{'₁' if which == 1 else '₂'}?",
        c1 if which == 1 else c2,
        decimals=0,
        explanation=f"Solve c₁·{_show(b1)} + c₂·{_show(b2)} = {_show(v)}, two equations in two "
        f"unknowns: c₁ = {c1}, c₂ = {c2}. Check: {c1}·{_show(b1)} + {c2}·{_show(b2)} = {_show(v)}.",
    )


@generator("spans-plane")
def spans_plane(rng: random.Random) -> Instance:
    u = (_nonzero(rng, -4, 4), rng.randint(-4, 4))
    if rng.random() < 0.5:
        k = _nonzero(rng, -3, 3)
        v = (k * u[0], k * u[1])
    else:
        while True:
            v = (rng.randint(-4, 4), rng.randint(-4, 4))
            if u[0] * v[1] - u[1] * v[0] != 0:
                break
    det = u[0] * v[1] - u[1] * v[0]
    yes = "Yes: they are linearly independent, so they span the plane"
    no = "No: one is a multiple of the other, so they span only a line"
    return single_from(
        rng,
        f"Do u = {_show(u)} and v = {_show(v)} span the whole plane R²?",
        key=yes if det else no,
        distractors=[no, yes],
        explanation=f"Two vectors span R² exactly when they are not parallel: the determinant "
        f"u₁v₂ − u₂v₁ = ({u[0]})({v[1]}) − ({u[1]})({v[0]}) = {det}"
        + (", which is not 0." if det else ", so v is a multiple of u."),
    )


# --------------------------------------------------------------------------- Bayes' theorem


@generator("bayes-false-positives")
def bayes_false_positives(rng: random.Random) -> Instance:
    people = 100_000
    prevalence = rng.choice([0.001, 0.002, 0.005, 0.01])
    sensitivity = rng.choice([0.9, 0.95, 0.99])
    specificity = rng.choice([0.9, 0.95, 0.97, 0.99])
    sick = round(people * prevalence)
    healthy = people - sick
    false_pos = round(healthy * (1 - specificity))
    true_pos = sick * sensitivity
    return numeric(
        f"{people:,} people are screened for a condition that {fmt(100 * prevalence)}% of them "
        f"have. The test has sensitivity {fmt(100 * sensitivity)}% and specificity "
        f"{fmt(100 * specificity)}%. How many of the positive results are false positives?",
        false_pos,
        decimals=0,
        explanation=f"{sick} people have the condition and {healthy:,} do not. False positives = "
        f"{healthy:,} × (1 − {specificity:g}) = {false_pos:,}, against {true_pos:g} true "
        f"positives: when a condition is rare, most positives are false even for a good test.",
    )


@generator("bayes-inverse")
def bayes_inverse(rng: random.Random) -> Instance:
    p_b = rng.choice([0.1, 0.2, 0.3, 0.4, 0.5])
    p_a_given_b = rng.choice([0.5, 0.6, 0.7, 0.8, 0.9])
    p_a_given_not_b = rng.choice([0.1, 0.2, 0.3])
    p_a = p_a_given_b * p_b + p_a_given_not_b * (1 - p_b)
    value = 100 * p_a_given_b * p_b / p_a
    return numeric(
        f"P(B) = {p_b:g}, P(A | B) = {p_a_given_b:g} and P(A) = {fmt(p_a, 4)}. "
        "What is P(B | A), in percent? Give 1 decimal.",
        value,
        decimals=1,
        percent=True,
        explanation=f"From the product rule, P(A ∩ B) = P(A | B)P(B) = P(B | A)P(A), so "
        f"P(B | A) = P(A | B)P(B) / P(A) = {p_a_given_b:g} × {p_b:g} / {fmt(p_a, 4)} "
        f"= {value / 100:.4f}, i.e. {value:.1f}%.",
    )


# --------------------------------------------------------------------------- logistic regression


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


@generator("log-loss")
def log_loss(rng: random.Random) -> Instance:
    p = rng.choice([0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95])
    y = rng.choice([0, 1])
    value = -math.log(p) if y == 1 else -math.log(1 - p)
    return numeric(
        f"A logistic-regression model predicts p = {p:g} for an example whose label is y = {y}. "
        "What is the binary log loss −[y ln p + (1 − y) ln(1 − p)] for it? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"With y = {y} only the {'first' if y else 'second'} term remains: "
        f"−ln({p if y else fmt(1 - p)}) = {value:.3f}. A confident wrong prediction costs much "
        "more than a confident right one.",
    )


@generator("logistic-gradient-step")
def logistic_gradient_step(rng: random.Random) -> Instance:
    w = rng.choice([-1, -0.5, 0, 0.5, 1])
    x = rng.choice([-2, -1, 1, 2, 3])
    y = rng.choice([0, 1])
    lr = rng.choice([0.1, 0.5, 1.0])
    p = _sigmoid(w * x)
    grad = (p - y) * x
    new_w = w - lr * grad
    return numeric(
        f"Logistic regression with one feature and no bias: w = {w:g}. One example has "
        f"x = {x:g} and y = {y}. After one gradient-descent step on its log loss with learning "
        f"rate {lr:g}, what is w? Give 3 decimals.",
        new_w,
        decimals=3,
        explanation=f"p = σ(wx) = σ({w * x:g}) = {p:.4f}; the gradient of the log loss is "
        f"(p − y)x = ({p:.4f} − {y}) × {x:g} = {grad:.4f}, the same form as for linear "
        f"regression; w ← {w:g} − {lr:g} × {grad:.4f} = {new_w:.3f}.",
    )


@generator("threshold-label")
def threshold_label(rng: random.Random) -> Instance:
    threshold = rng.choice([0.3, 0.5, 0.7, 0.9])
    while True:
        p = rng.randint(5, 95) / 100
        if abs(p - threshold) >= 0.02:
            break
    positive, negative = "1 (the positive class)", "0 (the negative class)"
    key = positive if p >= threshold else negative
    return single_from(
        rng,
        f"A classifier predicts P(y = 1 | x) = {p:.2f} and uses a decision threshold of "
        f"{threshold:g}. Which label does it output?",
        key=key,
        distractors=[positive, negative],
        explanation=f"{p:.2f} is {'at or above' if p >= threshold else 'below'} the threshold "
        f"{threshold:g}, so the label is {key}. Raising the threshold trades recall for precision.",
    )


@generator("decision-boundary")
def decision_boundary(rng: random.Random) -> Instance:
    w1, w2 = _nonzero(rng, -3, 3), _nonzero(rng, -3, 3)
    b = rng.randint(-4, 4)
    x1 = rng.randint(-3, 3)
    x2 = -(w1 * x1 + b) / w2
    return numeric(
        f"A logistic-regression model on two features has weights w₁ = {w1}, w₂ = {w2} and "
        f"bias b = {b}. On its decision boundary (p = 0.5), what is x₂ when x₁ = {x1}? "
        "Give 2 decimals.",
        x2,
        decimals=2,
        explanation=f"p = 0.5 where w₁x₁ + w₂x₂ + b = 0, a straight line: "
        f"x₂ = −(w₁x₁ + b) / w₂ = −({w1}×{x1} + {b}) / {w2} = {fmt(x2, 2)}.",
    )


@generator("coefficient-odds-ratio")
def coefficient_odds_ratio(rng: random.Random) -> Instance:
    beta = rng.choice([-1.5, -1, -0.7, -0.5, -0.2, 0.2, 0.3, 0.5, 0.7, 1, 1.2, 2])
    ratio = math.exp(beta)
    return numeric(
        f"In a fitted logistic regression, a feature's coefficient is {beta:g}. When the feature "
        "grows by one unit (others fixed), the odds of the positive class are multiplied by "
        "what factor? Give 2 decimals.",
        ratio,
        decimals=2,
        explanation=f"The coefficient is the change in log-odds per unit: log-odds grow by "
        f"{beta:g}, so the odds are multiplied by e^{beta:g} = {ratio:.2f}.",
    )
