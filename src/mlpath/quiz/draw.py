"""Drawing a quiz: k questions of a topic from a seed, covering its objectives first.

The same seed always gives the same quiz: questions are chosen and ordered by a
``random.Random`` seeded with the topic and the seed, a generated question draws its
instance from the seed and its id, and choice options are shuffled the same way.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from mlpath.errors import InputError, QuestionBankError
from mlpath.quiz import generators
from mlpath.quiz.bank import Question

DEFAULT_COUNT = 8


@dataclass(frozen=True)
class Drawn:
    """A question as asked in one quiz: its text, its options in quiz order and its key."""

    id: str
    topic: str
    kind: str  # "single", "multiple" or "numeric" (a generated question takes its instance's)
    prompt: str
    explanation: str  # the worked explanation of a generated instance, then the bank's
    objective: int
    resource: int
    options: tuple[str, ...] | None = None
    key: tuple[int, ...] = ()  # choice: the correct option indexes, in quiz order
    answer: float | None = None  # numeric
    tolerance: Mapping[str, float] = field(default_factory=dict)
    decimals: int | None = None
    percent: bool = False
    hint: str | None = None
    generated: bool = False


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(map(str, parts)))


def instantiate(question: Question, seed: int) -> Drawn:
    """The question as asked with ``seed``: a generator's fresh instance, or shuffled options."""
    base = Drawn(
        id=question.id,
        topic=question.topic,
        kind=question.kind,
        prompt=question.prompt,
        explanation=question.explanation,
        objective=question.objective,
        resource=question.resource,
        hint=question.hint,
    )
    if question.kind == "generated":
        try:
            inst = generators.draw(
                question.generator or "", _rng(seed, question.id), question.params
            )
        except KeyError:
            raise QuestionBankError(
                f"Question {question.id!r} uses the unknown generator {question.generator!r}.",
                hint="Run `mlpath questions check`.",
            ) from None
        explanation = f"{inst.explanation} {question.explanation}".strip()
        if inst.kind == "single":
            return replace(
                base,
                kind="single",
                prompt=inst.prompt,
                explanation=explanation,
                options=inst.options,
                key=(int(inst.answer),),
                generated=True,
            )
        return replace(
            base,
            kind="numeric",
            prompt=inst.prompt,
            explanation=explanation,
            answer=float(inst.answer),
            tolerance=dict(inst.tolerance or {}),
            decimals=inst.decimals,
            percent=inst.percent,
            generated=True,
        )
    if question.kind in ("single", "multiple"):
        order = list(range(len(question.options)))
        _rng(seed, question.id, "options").shuffle(order)
        return replace(
            base,
            kind=question.kind,
            prompt=question.prompt,
            explanation=question.explanation,
            options=tuple(question.options[i] for i in order),
            key=tuple(sorted(order.index(k) for k in question.key)),
        )
    return replace(
        base,
        answer=question.answer,
        tolerance=dict(question.tolerance),
        decimals=question.decimals,
        percent=question.percent,
    )


def choose(
    questions: Sequence[Question], n: int, seed: int, exclude: Collection[str] = ()
) -> list[Question]:
    """``n`` of ``questions`` (fewer when fewer are left), one per objective first."""
    pool = [q for q in questions if q.id not in exclude]
    rng = _rng("choose", seed, *sorted({q.topic for q in pool}))
    rng.shuffle(pool)
    objectives = sorted({q.objective for q in pool})
    rng.shuffle(objectives)
    chosen: list[Question] = []
    for objective in objectives:
        if len(chosen) == n:
            break
        chosen.append(next(q for q in pool if q.objective == objective))
    chosen += [q for q in pool if q not in chosen][: max(0, n - len(chosen))]
    rng.shuffle(chosen)
    return chosen


def draw(
    questions: Sequence[Question],
    *,
    seed: int,
    n: int = DEFAULT_COUNT,
    exclude: Collection[str] = (),
) -> list[Drawn]:
    """A quiz: ``n`` questions drawn with ``seed`` (fresh ones only: ``exclude`` lists ids to
    leave out, e.g. those asked recently). The same arguments always give the same quiz."""
    if n < 1:
        raise InputError(f"-n must be at least 1 (got {n}).")
    return [instantiate(q, seed) for q in choose(questions, n, seed, exclude)]


def guess_rate(drawn: Drawn) -> float:
    """The chance of answering right by guessing (for review and placement scoring)."""
    if drawn.kind == "single" and drawn.options:
        return 1 / len(drawn.options)
    if drawn.kind == "multiple" and drawn.options:
        return 1 / (2.0 ** len(drawn.options) - 1)
    return 0.0
