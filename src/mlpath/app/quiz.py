"""The use cases behind ``mlpath quiz`` and ``mlpath questions``.

A quiz is drawn (:func:`start`), answered (the CLI collects answers interactively or
from JSON), then graded and recorded as one ``quiz`` event (:func:`submit`). Every
answer is read before anything is saved, so a bad answer changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlpath.app.session import Session
from mlpath.domain.curriculum import Topic
from mlpath.domain.progress import new_event
from mlpath.errors import InputError
from mlpath.quiz.draw import DEFAULT_COUNT, Drawn
from mlpath.quiz.grading import Answer

MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Quiz:
    topic: Topic
    seed: int
    questions: tuple[Drawn, ...]


def start(s: Session, query: str, *, n: int = DEFAULT_COUNT, seed: int) -> Quiz:
    """Draw the quiz of a topic: ``n`` questions from ``seed`` (same seed, same quiz)."""
    from mlpath.quiz.bank import load_topic
    from mlpath.quiz.draw import draw

    if not 0 <= seed <= MAX_SEED:
        raise InputError(f"--seed must be between 0 and {MAX_SEED} (got {seed}).")
    if n < 1:
        raise InputError(f"-n must be at least 1 (got {n}).")
    topic = s.curriculum.find(query)
    questions = load_topic(s.questions_dir, topic.id, s.curriculum)
    return Quiz(topic, seed, tuple(draw(questions, seed=seed, n=n)))


def quiz_json(quiz: Quiz) -> dict[str, Any]:
    """The quiz without its keys: ``{"topic", "seed", "questions": [{"id", "kind", "prompt",
    "options"}]}``, ``options`` only for choice questions."""
    return {
        "topic": quiz.topic.id,
        "seed": quiz.seed,
        "questions": [
            {
                "id": q.id,
                "kind": q.kind,
                "prompt": q.prompt,
                **({"options": list(q.options)} if q.options is not None else {}),
            }
            for q in quiz.questions
        ],
    }


def parse_answers(text: str, source: str = "--answers") -> dict[str, Answer]:
    """The answers of ``--answers``: a JSON object ``{"<question id>": answer}``."""
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(
            f"{source} is not valid JSON ({exc}).",
            hint='Give an object like {"vectors-dot-product": 12, "vectors-norm": "B"}.',
        ) from None
    if not isinstance(doc, dict):
        raise InputError(
            f"{source} must be a JSON object mapping question ids to answers.",
            hint='Example: {"vectors-dot-product": 12, "vectors-which-are-norms": ["A", "C"]}',
        )
    return doc


def read_answers_file(path: str, stdin_text: str | None = None) -> dict[str, Answer]:
    """Answers from a file, or from stdin when ``path`` is ``-``."""
    if path == "-":
        return parse_answers(stdin_text or "", "the answers on stdin")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read the answers file {path}: {exc}.") from None
    return parse_answers(text, path)


def check_answers(quiz: Quiz, answers: Mapping[str, Answer]) -> None:
    """InputError naming every unknown question id and every unreadable answer."""
    check_answers_for(
        quiz.questions,
        answers,
        "this quiz",
        f"See the questions with `mlpath quiz {quiz.topic.id} --seed {quiz.seed} --json`.",
    )


def check_answers_for(
    questions: Iterable[Drawn], answers: Mapping[str, Answer], what: str, hint: str
) -> None:
    """InputError naming every answer whose id is not one of ``questions`` (``what``: "this
    quiz", "today's review") and every answer that cannot be read; nothing is recorded."""
    from mlpath.quiz.grading import read_answer

    by_id = {q.id: q for q in questions}
    problems = [f"{qid!r} is not a question of {what}" for qid in answers if qid not in by_id]
    for qid, raw in answers.items():
        if qid in by_id:
            try:
                read_answer(by_id[qid], raw)
            except InputError as exc:
                problems.append(f"{qid}: {exc.message}")
    if problems:
        raise InputError(
            "The answers have problems; nothing was recorded:\n"
            + "\n".join(f"  - {p}" for p in problems),
            hint=hint,
        )


def submit(s: Session, quiz: Quiz, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """Grade the answers (missing ones count as wrong), record a ``quiz`` event, and return
    ``{"topic", "score", "total", "percent", "passed", "results": [{"id", "correct",
    "expected", "explanation"}]}``."""
    from mlpath.quiz.grading import expected, grade, passed, percent

    check_answers(quiz, answers)
    correct = [grade(q, answers.get(q.id)) for q in quiz.questions]
    results = [
        {
            "id": q.id,
            "correct": ok,
            "expected": expected(q),
            "explanation": q.explanation,
        }
        for q, ok in zip(quiz.questions, correct, strict=True)
    ]
    score, total = sum(correct), len(results)
    summary = {
        "topic": quiz.topic.id,
        "score": score,
        "total": total,
        "percent": percent(score, total),
        "passed": passed(score, total),
    }
    with s.store.transaction() as data:
        data.events.append(
            new_event(
                data.events,
                "quiz",
                s.now(),
                date=s.today.isoformat(),
                seed=quiz.seed,
                questions=[q.id for q in quiz.questions],
                **summary,
            )
        )
    return {**summary, "results": results}


def check_bank(s: Session, path: Path | None) -> dict[str, Any]:
    """Every problem of a bank (a folder or one file; default: the bank in use) at once."""
    from mlpath.quiz.bank import bank_files, coverage_problems, load_bank, quiz_topics

    target = path or s.questions_dir
    if not target.exists():
        from mlpath.errors import QuestionBankError

        raise QuestionBankError(f"No question bank at {target}.")
    files = bank_files(target)
    bank = load_bank(files, s.curriculum)
    problems = bank.problems + coverage_problems(bank, s.curriculum)
    missing = (
        [t for t in quiz_topics(s.curriculum) if t not in bank.topics] if target.is_dir() else []
    )
    return {
        "path": str(target),
        "files": len(files),
        "questions": len(bank.questions),
        "topics": len(bank.topics),
        "problems": problems,
        "topics_without_questions": missing,
    }
