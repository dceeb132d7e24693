"""Reusable generators: vectors, probability, classification metrics, shapes.

Any topic's bank can use them; ``params`` in the bank tunes some of them.
"""

from __future__ import annotations

import math
import random

from mlpath.quiz.generators import Instance, fmt, generator, numeric, single_from


def _vector(rng: random.Random, dims: int, low: int = -5, high: int = 5) -> list[int]:
    """A random integer vector that is not the zero vector."""
    while True:
        v = [rng.randint(low, high) for _ in range(dims)]
        if any(v):
            return v


def _show(v: list[int]) -> str:
    return "(" + ", ".join(str(x) for x in v) + ")"


@generator("dot-product")
def dot_product(rng: random.Random, dims: int = 3) -> Instance:
    u, v = _vector(rng, dims), _vector(rng, dims)
    value = sum(a * b for a, b in zip(u, v, strict=True))
    terms = " + ".join(f"({a})({b})" for a, b in zip(u, v, strict=True))
    return numeric(
        f"Compute the dot product u · v for u = {_show(u)} and v = {_show(v)}.",
        value,
        decimals=0,
        explanation=f"u · v = {terms} = {value}.",
    )


@generator("vector-norm")
def vector_norm(rng: random.Random, dims: int = 3) -> Instance:
    v = _vector(rng, dims)
    which = rng.choice(["L1", "L2"])
    if which == "L1":
        value = float(sum(abs(x) for x in v))
        work = " + ".join(str(abs(x)) for x in v) + f" = {fmt(value)}"
        return numeric(
            f"What is the L1 norm ‖v‖₁ of v = {_show(v)}?",
            value,
            decimals=0,
            explanation=f"‖v‖₁ adds the absolute values: {work}.",
        )
    squares = sum(x * x for x in v)
    value = math.sqrt(squares)
    return numeric(
        f"What is the L2 norm ‖v‖₂ of v = {_show(v)}? Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"‖v‖₂ = sqrt({' + '.join(f'({x})²' for x in v)}) = sqrt({squares}) "
        f"= {value:.2f}.",
    )


@generator("euclidean-distance")
def euclidean_distance(rng: random.Random, dims: int = 2) -> Instance:
    a = _vector(rng, dims, 0, 9)
    while True:
        b = _vector(rng, dims, 0, 9)
        if b != a:
            break
    squares = sum((x - y) ** 2 for x, y in zip(a, b, strict=True))
    value = math.sqrt(squares)
    diffs = " + ".join(f"({x} − {y})²" for x, y in zip(a, b, strict=True))
    return numeric(
        f"Two feature vectors are a = {_show(a)} and b = {_show(b)}. "
        "What is the Euclidean distance between them? Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"d = sqrt({diffs}) = sqrt({squares}) = {value:.2f}.",
    )


@generator("vector-angle")
def vector_angle(rng: random.Random, dims: int = 2) -> Instance:
    u, v = _vector(rng, dims), _vector(rng, dims)
    dot = sum(a * b for a, b in zip(u, v, strict=True))
    nu, nv = math.sqrt(sum(a * a for a in u)), math.sqrt(sum(b * b for b in v))
    cos = max(-1.0, min(1.0, dot / (nu * nv)))
    degrees = math.degrees(math.acos(cos))
    return numeric(
        f"What is the angle in degrees between u = {_show(u)} and v = {_show(v)}? Give 1 decimal.",
        degrees,
        decimals=1,
        explanation=f"cos θ = (u · v) / (‖u‖ ‖v‖) = {dot} / ({nu:.3f} × {nv:.3f}) = {cos:.4f}, "
        f"so θ = arccos({cos:.4f}) = {degrees:.1f}°.",
    )


@generator("bayes-posterior")
def bayes_posterior(rng: random.Random) -> Instance:
    prevalence = rng.choice([0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2])
    sensitivity = rng.choice([0.8, 0.9, 0.95, 0.99])
    specificity = rng.choice([0.9, 0.95, 0.98, 0.99])
    true_pos = sensitivity * prevalence
    false_pos = (1 - specificity) * (1 - prevalence)
    posterior = true_pos / (true_pos + false_pos)
    pct = 100 * posterior
    return numeric(
        f"A condition affects {fmt(100 * prevalence)}% of people. A test detects it in "
        f"{fmt(100 * sensitivity)}% of people who have it (sensitivity) and is negative for "
        f"{fmt(100 * specificity)}% of people who do not (specificity). Someone tests positive: "
        "what is the probability, in percent, that they have the condition? Give 1 decimal.",
        pct,
        decimals=1,
        percent=True,
        explanation=f"P(D|+) = P(+|D)P(D) / [P(+|D)P(D) + P(+|¬D)P(¬D)] = "
        f"{sensitivity:g}×{prevalence:g} / ({sensitivity:g}×{prevalence:g} + "
        f"{1 - specificity:.2f}×{1 - prevalence:g}) = {true_pos:.5f} / "
        f"{true_pos + false_pos:.5f} = {posterior:.4f}, i.e. {pct:.1f}%.",
    )


@generator("binomial-probability")
def binomial_probability(rng: random.Random) -> Instance:
    while True:  # a probability large enough that 2 decimals of a percent tell answers apart
        n = rng.randint(4, 12)
        k = rng.randint(1, n - 1)
        p = rng.choice([0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
        value = math.comb(n, k) * p**k * (1 - p) ** (n - k)
        if value >= 0.02:
            break
    pct = 100 * value
    return numeric(
        f"A coin lands heads with probability {p:g}. It is tossed {n} times, independently. "
        f"What is the probability, in percent, of exactly {k} heads? Give 2 decimals.",
        pct,
        decimals=2,
        percent=True,
        explanation=f"P(X = {k}) = C({n}, {k}) p^{k} (1 − p)^{n - k} = {math.comb(n, k)} × "
        f"{p:g}^{k} × {1 - p:g}^{n - k} = {value:.5f}, i.e. {pct:.2f}%.",
    )


@generator("sigmoid-value")
def sigmoid_value(rng: random.Random) -> Instance:
    z = rng.choice([-4, -3, -2.5, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 2.5, 3, 4])
    p = 1 / (1 + math.exp(-z))
    return numeric(
        f"What is the sigmoid σ(z) = 1 / (1 + e^(−z)) at z = {z:g}? Give 3 decimals.",
        p,
        decimals=3,
        explanation=f"σ({z:g}) = 1 / (1 + e^({-z:g})) = 1 / (1 + {math.exp(-z):.4f}) = {p:.3f}.",
    )


@generator("entropy-bits")
def entropy_bits(rng: random.Random, classes: int = 3) -> Instance:
    while True:
        counts = [rng.randint(1, 9) for _ in range(classes)]
        if len(set(counts)) > 1:
            break
    total = sum(counts)
    probs = [c / total for c in counts]
    value = -sum(q * math.log2(q) for q in probs)
    return numeric(
        f"A node holds samples of {classes} classes with counts {counts}. What is its entropy "
        "in bits, H = −Σ p log₂ p? Give 3 decimals.",
        value,
        decimals=3,
        explanation="p = ("
        + ", ".join(f"{c}/{total}" for c in counts)
        + "), so H = "
        + " ".join(f"− {q:.3f}·log₂ {q:.3f}" for q in probs)
        + f" = {value:.3f} bits.",
    )


@generator("precision-recall")
def precision_recall(rng: random.Random) -> Instance:
    tp, fp, fn, tn = (rng.randint(5, 60) for _ in range(4))
    metric = rng.choice(["precision", "recall", "F1 score"])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    value = {
        "precision": precision,
        "recall": recall,
        "F1 score": 2 * precision * recall / (precision + recall),
    }[metric]
    formula = {
        "precision": f"TP / (TP + FP) = {tp} / {tp + fp}",
        "recall": f"TP / (TP + FN) = {tp} / {tp + fn}",
        "F1 score": f"2PR / (P + R) with P = {precision:.4f}, R = {recall:.4f}",
    }[metric]
    return numeric(
        f"A binary classifier's confusion matrix: TP = {tp}, FP = {fp}, FN = {fn}, TN = {tn}. "
        f"What is its {metric}? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"{metric} = {formula} = {value:.3f}.",
    )


@generator("conv-output-size")
def conv_output_size(rng: random.Random) -> Instance:
    while True:
        size = rng.choice([28, 32, 64, 96, 128, 224])
        kernel = rng.choice([1, 3, 5, 7])
        stride = rng.choice([1, 2])
        padding = rng.choice([0, 1, 2, 3])
        span = size + 2 * padding - kernel
        if span >= 0 and span % stride == 0:
            break
    out = span // stride + 1
    return numeric(
        f"A {size}×{size} input goes through a convolution with a {kernel}×{kernel} kernel, "
        f"stride {stride} and padding {padding}. What is the output's width?",
        out,
        decimals=0,
        explanation=f"out = (W + 2P − K) / S + 1 = ({size} + 2×{padding} − {kernel}) / {stride} "
        f"+ 1 = {out}.",
    )


@generator("odds-from-probability")
def odds_from_probability(rng: random.Random) -> Instance:
    p = rng.choice([0.1, 0.2, 0.25, 0.3, 0.4, 0.45, 0.55, 0.6, 0.7, 0.75, 0.8, 0.9])
    odds = p / (1 - p)
    key = fmt(odds, 3)
    return single_from(
        rng,
        f"An event has probability {p:g}. What are its odds p / (1 − p)?",
        key=key,
        distractors=[fmt((1 - p) / p, 3), fmt(p, 3), fmt(1 - p, 3), fmt(math.log(odds), 3)],
        explanation=f"odds = {p:g} / {1 - p:g} = {key}.",
    )


@generator("softmax-probability")
def softmax_probability(rng: random.Random, classes: int = 3) -> Instance:
    scores = [rng.choice([-2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3]) for _ in range(classes)]
    k = rng.randrange(classes)
    exps = [math.exp(s) for s in scores]
    value = exps[k] / sum(exps)
    names = ", ".join(f"class {i}: {s:g}" for i, s in enumerate(scores))
    return numeric(
        f"A multiclass model gives the scores (logits) {names}. What probability does softmax "
        f"give class {k}? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"softmax_k = e^(s_k) / Σ e^(s_j) = {exps[k]:.4f} / {sum(exps):.4f} "
        f"= {value:.3f}.",
    )
