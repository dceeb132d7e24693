"""Question generators: small functions that draw a fresh instance of a question from a seed.

A generator is registered by name with :func:`generator` and has the signature
``(rng: random.Random, **params) -> Instance``. Every module of this package is
imported the first time a generator is looked up (:func:`registry`), so a new
module needs no edit here. Generators use the standard library only, so that
quizzes work without NumPy or SciPy. See ``docs/questions.md``.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from mlpath.errors import MlpathError

Generator = Callable[..., "Instance"]
_REGISTRY: dict[str, Generator] = {}
_ORIGIN: dict[str, str] = {}
_loaded = False


@dataclass(frozen=True)
class Instance:
    """One drawn question: what the learner sees and the key to grade it.

    ``answer`` is the number for ``numeric``, the 0-based index of the key in
    ``options`` for ``single``. ``tolerance`` is ``{"abs": x}`` or ``{"rel": y}``.
    """

    prompt: str
    kind: Literal["numeric", "single"]
    answer: float | int
    explanation: str
    tolerance: Mapping[str, float] | None = None
    options: tuple[str, ...] | None = None
    decimals: int | None = None
    percent: bool = False  # the answer is in percent: "25%" then reads as 25
    params: Mapping[str, Any] = field(default_factory=dict)


class Redraw(Exception):
    """Raised by a generator (or :func:`numeric`) for a draw that is not well posed, e.g. an
    answer exactly halfway between two roundings; :func:`draw` then draws again."""


MAX_REDRAWS = 100


class DuplicateGenerator(MlpathError):
    """Two generators were registered under one name."""


def generator(name: str) -> Callable[[Generator], Generator]:
    """Register the decorated function as the generator ``name``."""

    def register(fn: Generator) -> Generator:
        origin = f"{fn.__module__}.{fn.__qualname__}"
        if name in _REGISTRY and _ORIGIN[name] != origin:
            raise DuplicateGenerator(
                f"Generator {name!r} is registered twice: {_ORIGIN[name]} and {origin}."
            )
        _REGISTRY[name] = fn
        _ORIGIN[name] = origin
        return fn

    return register


def registry() -> dict[str, Generator]:
    """Every registered generator by name (imports each module of this package once)."""
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return dict(_REGISTRY)


def draw(name: str, rng: random.Random, params: Mapping[str, Any] | None = None) -> Instance:
    """A fresh instance of generator ``name`` (KeyError when there is none).

    A generator that raises :class:`Redraw` is called again with the same ``rng`` (whose
    state has moved on), so the result still depends on the seed alone.
    """
    fn = registry()[name]
    for _ in range(MAX_REDRAWS):
        try:
            return fn(rng, **dict(params or {}))
        except Redraw:
            continue
    raise RuntimeError(f"generator {name!r} found no well-posed instance in {MAX_REDRAWS} draws")


# --------------------------------------------------------------------------- helpers for authors


def default_tolerance(decimals: int) -> dict[str, float]:
    """The tolerance that accepts an answer rounded to ``decimals``: half a unit (plus float
    slack), so that only one rounded value is ever accepted."""
    return {"abs": 0.5 * 10.0**-decimals * (1 + 1e-6)}


def numeric(
    prompt: str,
    answer: float,
    *,
    explanation: str,
    decimals: int | None = None,
    tolerance: Mapping[str, float] | None = None,
    percent: bool = False,
) -> Instance:
    """A numeric instance; ``decimals`` (the precision the prompt asks for) sets the tolerance."""
    if tolerance is None:
        if decimals is None:
            raise ValueError("numeric() needs decimals or tolerance")
        tolerance = default_tolerance(decimals)
    if not math.isfinite(answer):
        raise ValueError(f"answer is not finite: {answer!r}")
    if decimals is not None and at_tie(answer, decimals):
        raise Redraw(f"{answer!r} is halfway between two roundings to {decimals} decimals")
    return Instance(
        prompt=prompt,
        kind="numeric",
        answer=float(answer),
        explanation=explanation,
        tolerance=dict(tolerance),
        decimals=decimals,
        percent=percent,
    )


def at_tie(value: float, decimals: int) -> bool:
    """True when ``value`` is (about) halfway between two roundings to ``decimals``, where
    both would be accepted."""
    scaled = abs(value) * 10.0**decimals
    return abs(scaled - math.floor(scaled) - 0.5) < 1e-6


def single_from(
    rng: random.Random,
    prompt: str,
    *,
    key: str,
    distractors: Sequence[str],
    explanation: str,
    limit: int = 4,
) -> Instance:
    """A single-choice instance: the key and up to ``limit - 1`` distinct distractors, shuffled."""
    seen = {_norm(key)}
    others: list[str] = []
    for d in distractors:
        if _norm(d) not in seen:
            seen.add(_norm(d))
            others.append(d)
    options = [key, *others[: limit - 1]]
    rng.shuffle(options)
    return Instance(
        prompt=prompt,
        kind="single",
        answer=options.index(key),
        explanation=explanation,
        options=tuple(options),
    )


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def fmt(x: float, decimals: int = 4) -> str:
    """A number as a learner reads it: no trailing zeros, no ``-0``."""
    text = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
