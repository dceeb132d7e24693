"""Reading a learner's answer and grading it: letters, numbers, tolerances. Pure functions.

A choice answer is letters (``b``, ``A, C``, ``ac``) or 1-based numbers (``2``, ``1 3``);
a numeric answer is a number, a fraction (``3/4``) or a percentage (see :func:`parse_number`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction

from mlpath.errors import InputError
from mlpath.quiz.draw import Drawn

LETTERS = "ABCDEFGHIJ"
PASS_PERCENT = 80.0


def letter(index: int) -> str:
    """The letter of a 0-based option index (0 -> "A")."""
    return LETTERS[index]


def parse_choices(text: str, n_options: int) -> list[int]:
    """0-based option indexes from ``"b"``, ``"A, C"``, ``"ac"``, ``"2"`` or ``"1 3"``.

    Raises InputError naming the valid letters when the text names no option or one
    that does not exist.
    """
    valid = f"{LETTERS[0]}–{LETTERS[n_options - 1]}"
    cleaned = text.strip().upper()
    if not cleaned:
        raise InputError(f"No answer given: use a letter {valid}.")
    tokens = [t for t in re.split(r"[\s,;/]+", cleaned) if t]
    picks: list[int] = []
    for token in tokens:
        if token.isdigit():
            number = int(token)
            if not 1 <= number <= n_options:
                raise InputError(f"There is no option {number}: use a letter {valid}.")
            picks.append(number - 1)
        elif token.isalpha():
            for ch in token:
                index = LETTERS.find(ch)
                if not 0 <= index < n_options:
                    raise InputError(f"There is no option {ch}: use a letter {valid}.")
                picks.append(index)
        else:
            raise InputError(f"{token!r} is not an option: use a letter {valid}.")
    return sorted(set(picks))


def parse_number(text: str | float | int, *, in_percent: bool = False) -> float:
    """A number from ``12``, ``-0.5``, ``1e-3``, ``3/4`` or ``75%``.

    ``75%`` is 0.75, except for a question whose answer is itself in percent
    (``in_percent``), where it is 75.
    """
    if isinstance(text, bool):
        raise InputError(f"{text!r} is not a number.")
    if isinstance(text, int | float):
        value = float(text)
    else:
        cleaned = text.strip().replace(",", "").replace("−", "-").replace(" ", "")
        percent = cleaned.endswith("%")
        cleaned = cleaned.removesuffix("%")
        try:
            value = float(Fraction(cleaned)) if "/" in cleaned else float(cleaned)
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{text!r} is not a number (try 0.25, 1/4 or 25%).") from None
        if percent and not in_percent:
            value /= 100
    if not math.isfinite(value):
        raise InputError(f"{text!r} is not a finite number.")
    return value


def within(given: float, answer: float, tolerance: Mapping[str, float]) -> bool:
    """True when ``given`` is within the absolute or relative tolerance of ``answer``."""
    if "abs" in tolerance:
        return abs(given - answer) <= tolerance["abs"]
    return abs(given - answer) <= tolerance["rel"] * abs(answer)


def grade_choices(picked: Sequence[int], key: Sequence[int]) -> bool:
    """A choice answer is right only when it picks exactly the key set."""
    return sorted(set(picked)) == sorted(set(key))


def percent(score: int, total: int) -> float:
    """The score as a percentage with one decimal (0 for an empty quiz)."""
    return round(100 * score / total, 1) if total else 0.0


def passed(score: int, total: int) -> bool:
    """A quiz passes at 80% or more: enough to count as evidence for its topic."""
    return total > 0 and 100 * score >= PASS_PERCENT * total


# --------------------------------------------------------------------------- one drawn question

Answer = str | int | float | list[str] | None


def read_answer(drawn: Drawn, raw: Answer) -> list[int] | float | None:
    """The learner's answer as option indexes or a number (None: skipped).

    Choice answers are letters (or a list of letters); numeric ones a number or a string
    like ``0.25``, ``1/4``, ``25%``. Raises InputError for an unreadable answer.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if drawn.kind in ("single", "multiple"):
        n = len(drawn.options or ())
        if isinstance(raw, list):
            if not raw or not all(isinstance(r, str) for r in raw):
                raise InputError("A choice answer is a letter or a list of letters.")
            picks = sorted({i for r in raw for i in parse_choices(r, n)})
        elif isinstance(raw, str):
            picks = parse_choices(raw, n)
        else:
            raise InputError(
                f"{raw!r} is not a letter: answer a choice question with A–{letter(n - 1)}."
            )
        if drawn.kind == "single" and len(picks) != 1:
            raise InputError("This question has one answer: give one letter.")
        return picks
    if isinstance(raw, list):
        raise InputError("A numeric question takes one number.")
    return parse_number(raw, in_percent=drawn.percent)


def grade(drawn: Drawn, raw: Answer) -> bool:
    """True when ``raw`` answers ``drawn`` correctly (a skipped question is wrong)."""
    given = read_answer(drawn, raw)
    if given is None:
        return False
    if isinstance(given, list):
        return grade_choices(given, drawn.key)
    if drawn.answer is None:  # a numeric question always has one; be safe under -O too
        raise InputError(f"Question {drawn.id!r} has no numeric answer key.")
    return within(given, drawn.answer, drawn.tolerance)


def expected(drawn: Drawn) -> str | list[str] | float:
    """The key as the JSON contract shows it: a letter, a list of letters, or the number."""
    if drawn.kind == "single":
        return letter(drawn.key[0])
    if drawn.kind == "multiple":
        return [letter(k) for k in drawn.key]
    if drawn.answer is None:
        raise InputError(f"Question {drawn.id!r} has no numeric answer key.")
    if drawn.decimals is not None:
        return round(drawn.answer, drawn.decimals)
    return drawn.answer
