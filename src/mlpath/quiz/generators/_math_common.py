"""Helpers shared by the math-phase generators (linear algebra, calculus, probability,
statistics): small random integers, matrix and vector text, a rounding-safe numeric().

Every instance is built from small integers or round decimals so that a learner can
work it by hand, and its explanation shows the working with the instance's numbers.
"""

from __future__ import annotations

import math
import random

from mlpath.quiz.generators import Instance, numeric


def _nz(rng: random.Random, low: int, high: int) -> int:
    return rng.choice([x for x in range(low, high + 1) if x])


def _m(a: list[list[int]]) -> str:
    return "[" + "; ".join(" ".join(str(x) for x in row) for row in a) + "]"


def _v(v: list[int] | tuple[int, ...]) -> str:
    return "(" + ", ".join(str(x) for x in v) + ")"


def _n(
    prompt: str,
    answer: float,
    *,
    explanation: str,
    decimals: int | None = None,
    tolerance: dict[str, float] | None = None,
) -> Instance:
    """:func:`numeric`, asking for more decimals when the answer sits on a rounding tie.

    0.21875 to 4 decimals could be 0.2187 or 0.2188; asking for 5 makes exactly one rounded
    answer right. The prompt's "Give k decimals" is rewritten to match.
    """
    if decimals:
        asked = decimals
        while decimals < asked + 4:
            frac = abs(answer) * 10**decimals % 1
            if abs(frac - 0.5) > 0.05:
                break
            decimals += 1
        if decimals != asked:
            old = f"Give {asked} decimal" + ("s" if asked > 1 else "")
            prompt = prompt.replace(old, f"Give {decimals} decimals")
    return numeric(prompt, answer, explanation=explanation, decimals=decimals, tolerance=tolerance)


def _phi(z: float) -> float:
    """The standard normal CDF."""
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))
