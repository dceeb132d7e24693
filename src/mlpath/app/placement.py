"""The use cases behind ``mlpath placement``: an adaptive test, then a plan without what you know.

:func:`run` asks one question at a time on the topic the model is least sure about
(:mod:`mlpath.review.placement`), until every topic is settled or the question limit is
reached. Answers come from a callback (the terminal) or from a ``--answers`` map; with a map,
the test stops at the first question it has no answer for and returns that question, so a
script answers it and runs the same seed again (the same answers always replay the same test).
:func:`apply` re-plans with the proposed known topics (``--known``) and records the placement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mlpath.app.session import Session
from mlpath.domain.progress import new_event
from mlpath.errors import InputError
from mlpath.quiz.draw import Drawn
from mlpath.quiz.grading import Answer
from mlpath.review.placement import MAX_QUESTIONS, Graph, Placement

ASSUMED = 5.0  # log-odds for topics already done or known: settled before the first question


@dataclass
class Run:
    seed: int
    graph: Graph
    test: Placement
    asked: list[dict[str, Any]] = field(default_factory=list)
    pending: Drawn | None = None  # the question a script still has to answer
    already: frozenset[str] = frozenset()  # done or known before the test


def _bank(s: Session, topics: tuple[str, ...]) -> dict[str, list[Any]]:
    from mlpath.quiz.bank import load_topic
    from mlpath.quiz.paths import has_quiz

    out = {}
    for t in topics:
        if has_quiz(s.questions_dir, t):
            questions = load_topic(s.questions_dir, t, s.curriculum)
            if questions:
                out[t] = questions
    return out


def run(
    s: Session,
    *,
    seed: int,
    max_questions: int = MAX_QUESTIONS,
    answers: Mapping[str, Answer] | None = None,
    ask: Callable[[int, Drawn], Answer] | None = None,
) -> Run:
    """Take the test: each question from ``ask(number, question)`` or from ``answers``."""
    from mlpath.quiz.draw import draw, guess_rate
    from mlpath.quiz.grading import grade, read_answer

    if not 0 <= seed <= 2**31 - 1:
        raise InputError(f"--seed must be between 0 and {2**31 - 1} (got {seed}).")
    if not 1 <= max_questions <= 200:
        raise InputError(f"--max must be between 1 and 200 (got {max_questions}).")
    data = s.store.load(events=False)
    profile, _ = s.saved(data)
    state = s.state(data)
    track = profile.track if profile else "pytorch"
    graph = Graph.from_curriculum(s.curriculum, track)
    bank = _bank(s, graph.topics)
    already = frozenset(
        (set(state.done) | set(profile.known if profile else ())) & set(graph.topics)
    )
    test = Placement(graph, frozenset(bank) - already, max_questions=max_questions)
    for t in already:  # done or known: settled knowledge before the first question
        test.add_evidence(t, ASSUMED)
    result = Run(seed, graph, test, already=already)
    used: dict[str, set[str]] = {}
    if answers is not None:
        unknown = [q for q in answers if not any(q in {x.id for x in bank[t]} for t in bank)]
        if unknown:
            raise InputError(
                f"Not a placement question: {', '.join(map(repr, unknown))}; nothing was recorded.",
                hint=f"Run `mlpath placement --seed {seed} --json` to see the first question.",
            )
    while (topic := test.next_topic()) is not None:
        pool = [q for q in bank[topic] if q.id not in used.get(topic, set())] or bank[topic]
        q = draw(pool, seed=seed + test.asked, n=1)[0]
        used.setdefault(topic, set()).add(q.id)
        if answers is not None:
            if q.id not in answers:
                result.pending = q
                break
            raw = answers[q.id]
            try:
                read_answer(q, raw)
            except InputError as exc:
                raise InputError(f"{q.id}: {exc.message}; nothing was recorded.") from None
        else:
            if ask is None:  # neither answers nor a way to ask: a caller's bug, never under -O
                raise InputError("The placement test needs --answers or a terminal to ask in.")
            raw = ask(test.asked + 1, q)
        correct = grade(q, raw)
        test.update(topic, correct, guess_rate(q))
        result.asked.append({"topic": topic, "question": q.id, "correct": correct})
    return result


def proposal(r: Run) -> list[str]:
    """The topics the test finds known, beyond those already done or known."""
    return [t for t in r.test.known() if t not in r.already]


def result_json(r: Run) -> dict[str, Any]:
    """``{"done", "seed", "questions", "asked", "known", "uncertain", "probabilities",
    "next"}``: ``next`` is the question still to answer (without its key) or None."""
    q = r.pending
    return {
        "done": q is None,
        "seed": r.seed,
        "questions": r.test.asked,
        "asked": r.asked,
        "known": proposal(r),
        "uncertain": [t for t in r.test.uncertain() if t not in r.already],
        "probabilities": {t: round(p, 3) for t, p in r.test.probabilities().items()},
        "next": None
        if q is None
        else {
            "id": q.id,
            "topic": q.topic,
            "kind": q.kind,
            "prompt": q.prompt,
            **({"options": list(q.options)} if q.options is not None else {}),
        },
    }


def check_can_plan(s: Session, hours: float | None) -> None:
    """Fail before any question when a confirmed result could not be planned."""
    profile, _ = s.saved(s.store.load(events=False))
    if profile is None and hours is None:
        raise InputError(
            "There is no plan yet, so a placement result would have nothing to update.",
            hint="Give your weekly hours: mlpath placement --hours 10",
        )


def apply(s: Session, r: Run, hours: float | None) -> dict[str, Any]:
    """Record the placement (evidence for the known topics the learner answered right) and
    re-plan with the known topics added to ``--known``."""
    from mlpath.app.study import make_and_save_plan

    if r.pending is not None:
        raise InputError("The placement test is not finished; nothing was recorded.")
    check_can_plan(s, hours)
    known = proposal(r)
    right: dict[str, bool] = {}
    for a in r.asked:
        right[a["topic"]] = right.get(a["topic"], True) and a["correct"]
    evidence = [t for t in known if right.get(t)]
    data = s.store.load(events=False)
    profile, _ = s.saved(data)
    merged = list(dict.fromkeys([*(profile.known if profile else ()), *known]))
    with s.store.transaction() as d:
        d.events.append(
            new_event(
                d.events,
                "placement",
                s.now(),
                date=s.today.isoformat(),
                seed=r.seed,
                known=known,
                evidence=evidence,
                asked=r.asked,
            )
        )
    plan = make_and_save_plan(
        s, hours=hours, start=None, goals=None, known=merged, track=None, strategy=None
    )
    return {"known": known, "evidence": evidence, "plan": plan.to_dict()}
