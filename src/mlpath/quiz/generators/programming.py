"""Generators of the programming and EDA phase: slicing, broadcasting, summaries, fences."""

from __future__ import annotations

import random
import statistics

from mlpath.quiz.generators import Instance, generator, numeric, single_from


def _show(xs: list[int]) -> str:
    return "[" + ", ".join(str(x) for x in xs) + "]"


@generator("list-slice")
def list_slice(rng: random.Random) -> Instance:
    xs = rng.sample(range(10, 99), 7)
    forms = [(f"xs[{a}:{b}]", xs[a:b]) for a, b in [(1, 4), (2, 5), (0, 3), (3, 6), (4, 7)]] + [
        ("xs[-3:]", xs[-3:]),
        ("xs[:-4]", xs[:-4]),
        ("xs[::2]", xs[::2]),
        ("xs[1::3]", xs[1::3]),
        ("xs[-2:-5:-1]", xs[-2:-5:-1]),
    ]
    expr, key = rng.choice(forms)
    others = [s for e, s in forms if s != key]
    rng.shuffle(others)
    return single_from(
        rng,
        f"xs = {_show(xs)}. What is {expr}?",
        key=_show(key),
        distractors=[_show(s) for s in others],
        explanation=f"Slices start at the first index, stop before the second, and step by the "
        f"third (negative indices count from the end): {expr} = {_show(key)}.",
    )


@generator("broadcast-shape")
def broadcast_shape(rng: random.Random) -> Instance:
    n, d = rng.choice([3, 4, 5, 100]), rng.choice([2, 6, 7])
    cases = [
        ((n, d), (d,), f"({n}, {d})"),
        ((n, d), (1, d), f"({n}, {d})"),
        ((n, 1), (1, d), f"({n}, {d})"),
        ((n, d), (n, 1), f"({n}, {d})"),
        ((n, d), (n,), "an error: shapes do not broadcast"),
        ((d,), (n, 1), f"({n}, {d})"),
    ]
    a, b, key = rng.choice(cases)
    return single_from(
        rng,
        f"In NumPy, an array of shape {a} is added to one of shape {b}. What is the result?",
        key=key,
        distractors=[
            f"({n}, {d})",
            f"({d}, {n})",
            "an error: shapes do not broadcast",
            f"({n},)",
            f"({n}, {d}, {d})",
        ],
        explanation="Shapes are compared from the right; each pair of sizes must be equal or "
        f"contain a 1, which is stretched. {a} with {b} gives {key}.",
    )


@generator("median-vs-mean")
def median_vs_mean(rng: random.Random) -> Instance:
    xs = [*sorted(rng.randint(10, 40) for _ in range(6)), rng.randint(300, 900)]
    rng.shuffle(xs)
    which = rng.choice(["median", "mean"])
    value = statistics.median(xs) if which == "median" else statistics.fmean(xs)
    return numeric(
        f"Incomes (in thousands) are {_show(xs)}. What is the {which}? Give 1 decimal.",
        value,
        decimals=1,
        explanation=f"median = {statistics.median(xs):g}, mean = {statistics.fmean(xs):.1f}: one "
        "very large value drags the mean far more than the median, so the median describes a "
        "typical value of a skewed variable better.",
    )


@generator("iqr-fence")
def iqr_fence(rng: random.Random) -> Instance:
    q1 = rng.randint(10, 50)
    iqr = rng.choice([4, 6, 8, 10, 12, 20])
    q3 = q1 + iqr
    side = rng.choice(["upper", "lower"])
    value = q3 + 1.5 * iqr if side == "upper" else q1 - 1.5 * iqr
    return numeric(
        f"A variable has Q1 = {q1} and Q3 = {q3}. Where is the {side} fence of the 1.5 × IQR "
        "outlier rule?",
        value,
        decimals=0,
        explanation=f"IQR = Q3 − Q1 = {iqr}; the fences are Q1 − 1.5·IQR = {q1 - 1.5 * iqr:g} and "
        f"Q3 + 1.5·IQR = {q3 + 1.5 * iqr:g}.",
    )


@generator("z-score")
def z_score(rng: random.Random) -> Instance:
    mean, sd = rng.choice([50, 70, 100, 170]), rng.choice([4, 5, 10, 15, 20])
    x = mean + rng.choice([-3, -2, -1, 1, 2, 3]) * sd + rng.choice([-2, -1, 1, 2])
    z = (x - mean) / sd
    return numeric(
        f"A column has mean {mean} and standard deviation {sd}. What is the z-score of the value "
        f"{x}? Give 2 decimals.",
        z,
        decimals=2,
        explanation=f"z = (x − mean)/sd = ({x} − {mean})/{sd} = {z:.2f}: how many standard "
        "deviations the value lies from the mean, whatever the column's unit.",
    )
