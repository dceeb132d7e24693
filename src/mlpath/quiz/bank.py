"""The question bank: pydantic models of a bank file, loading, and every check at once.

A bank is a folder of ``<topic-id>.json`` files (see ``docs/questions.md``). Files are
validated at the edge and turned into plain :class:`Question` dataclasses; every problem
is reported at once, each naming its file, question and field.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from mlpath.domain.curriculum import Curriculum
from mlpath.errors import QuestionBankError
from mlpath.quiz.paths import bank_files, bundled_dir, is_project

__all__ = ["Bank", "Question", "bank_files", "bundled_dir", "is_project", "load_bank"]

SCHEMA_VERSION = 1
MIN_QUESTIONS = 8
KINDS = ("single", "multiple", "numeric", "generated")
FORBIDDEN_OPTIONS = re.compile(
    r"\b(all|none|both|neither) of (the )?(above|these|them)\b|\bboth [a-d] and [a-d]\b",
    re.IGNORECASE,
)
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


# --------------------------------------------------------------------------- the file format


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Tolerance(_Strict):
    """Exactly one of ``abs`` (absolute) and ``rel`` (relative), positive."""

    abs: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    rel: float | None = Field(default=None, gt=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _exactly_one(self) -> Tolerance:
        if (self.abs is None) == (self.rel is None):
            raise ValueError('give exactly one of "abs" and "rel"')
        return self


class _QuestionModel(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=120)
    objective: int = Field(ge=0)
    resource: int = Field(ge=0)
    explanation: str = Field(min_length=1, max_length=2000)
    hint: str | None = Field(default=None, min_length=1, max_length=500)


class SingleModel(_QuestionModel):
    kind: Literal["single"]
    prompt: str = Field(min_length=1, max_length=1000)
    options: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        min_length=2, max_length=6
    )
    answer: int = Field(ge=0)


class MultipleModel(_QuestionModel):
    kind: Literal["multiple"]
    prompt: str = Field(min_length=1, max_length=1000)
    options: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        min_length=2, max_length=8
    )
    answer: list[Annotated[int, Field(ge=0)]] = Field(min_length=1)


class NumericModel(_QuestionModel):
    kind: Literal["numeric"]
    prompt: str = Field(min_length=1, max_length=1000)
    answer: float = Field(allow_inf_nan=False)
    tolerance: Tolerance
    derivation: str = Field(min_length=1, max_length=500)
    decimals: int | None = Field(default=None, ge=0, le=10)
    percent: bool = False


class GeneratedModel(_QuestionModel):
    kind: Literal["generated"]
    generator: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)


QuestionModel = Annotated[
    SingleModel | MultipleModel | NumericModel | GeneratedModel, Field(discriminator="kind")
]


class BankFile(_Strict):
    """One bank file: the questions of one topic."""

    schema_version: Literal[1]
    topic: str = Field(pattern=ID_PATTERN)
    questions: list[QuestionModel] = Field(min_length=1)


class _Frame(_Strict):
    schema_version: Literal[1]
    topic: str = Field(pattern=ID_PATTERN)
    questions: list[Any]


_QUESTION: TypeAdapter[Any] = TypeAdapter(QuestionModel)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a bank file (``mlpath questions schema``)."""
    schema = BankFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "mlpath question bank"
    return schema


# --------------------------------------------------------------------------- plain data


@dataclass(frozen=True)
class Question:
    """One question of the bank, as plain data (see ``docs/questions.md`` for the fields)."""

    id: str
    topic: str
    kind: str
    objective: int
    resource: int
    explanation: str
    hint: str | None = None
    prompt: str = ""
    options: tuple[str, ...] = ()
    key: tuple[int, ...] = ()  # choice questions: the correct option indexes
    answer: float | None = None  # numeric
    tolerance: Mapping[str, float] = field(default_factory=dict)
    derivation: str | None = None
    decimals: int | None = None
    percent: bool = False
    generator: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""


def _plain(
    model: SingleModel | MultipleModel | NumericModel | GeneratedModel, topic: str, source: str
) -> Question:
    common: dict[str, Any] = {
        "id": model.id,
        "topic": topic,
        "kind": model.kind,
        "objective": model.objective,
        "resource": model.resource,
        "explanation": model.explanation,
        "hint": model.hint,
        "source": source,
    }
    if isinstance(model, SingleModel):
        return Question(
            **common, prompt=model.prompt, options=tuple(model.options), key=(model.answer,)
        )
    if isinstance(model, MultipleModel):
        return Question(
            **common,
            prompt=model.prompt,
            options=tuple(model.options),
            key=tuple(sorted(set(model.answer))),
        )
    if isinstance(model, NumericModel):
        tolerance = model.tolerance.model_dump(exclude_none=True)
        return Question(
            **common,
            prompt=model.prompt,
            answer=model.answer,
            tolerance=tolerance,
            derivation=model.derivation,
            decimals=model.decimals,
            percent=model.percent,
        )
    return Question(**common, generator=model.generator, params=dict(model.params))


# --------------------------------------------------------------------------- loading and checks


@dataclass
class Bank:
    """Every loaded question by topic, and the problems found while loading."""

    topics: dict[str, list[Question]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return [q for qs in self.topics.values() for q in qs]


def load_bank(paths: Iterable[Path], curriculum: Curriculum | None = None) -> Bank:
    """Load bank files, collecting every problem (never raising for a bad file)."""
    bank = Bank()
    seen: dict[str, str] = {}
    for path in paths:
        questions, problems = _load_file(path, curriculum)
        bank.problems += problems
        for q in questions:
            if q.id in seen:
                bank.problems.append(
                    f"{path.name}: question {q.id!r}: id: also used in {seen[q.id]}"
                )
                continue
            seen[q.id] = path.name
            bank.topics.setdefault(q.topic, []).append(q)
    return bank


def load_topic(directory: Path, topic: str, curriculum: Curriculum) -> list[Question]:
    """The questions of ``topic`` from ``directory``; QuestionBankError when it has none or its
    file has problems."""
    path = directory / f"{topic}.json"
    if not path.is_file():
        raise QuestionBankError(
            f"There is no quiz for {topic!r} yet (no {path}).",
            hint="Run `mlpath questions check` to see which topics have questions.",
        )
    bank = load_bank([path], curriculum)
    if bank.problems:
        raise _bank_error(bank.problems)
    return bank.topics.get(topic, [])


def require_valid(bank: Bank) -> Bank:
    """``bank``, or QuestionBankError listing every problem."""
    if bank.problems:
        raise _bank_error(bank.problems)
    return bank


def _bank_error(problems: Sequence[str]) -> QuestionBankError:
    n = len(problems)
    return QuestionBankError(
        f"The question bank has {n} problem{'s' * (n != 1)}:",
        problems,
        hint="Fix them, then run `mlpath questions check` again.",
    )


def _load_file(path: Path, curriculum: Curriculum | None) -> tuple[list[Question], list[str]]:
    name = path.name
    try:
        doc = json.loads(path.read_bytes())
    except OSError as exc:
        return [], [f"{name}: cannot be read ({exc.strerror})"]
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [], [f"{name}: not valid JSON ({exc})"]
    except RecursionError:
        return [], [f"{name}: nested too deeply"]
    # the file's frame first, then each question alone, so that one bad question does not
    # hide the problems of the others
    frame = doc if not isinstance(doc, dict) else {**doc, "questions": []}
    problems: list[str] = []
    try:
        model = _Frame.model_validate(frame)
    except ValidationError as exc:
        return [], [f"{name}: {_where(doc, err['loc'])}: {err['msg']}" for err in exc.errors()]
    raw_questions = doc.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        return [], [f"{name}: questions: must be a non-empty list of questions"]
    models = []
    for i, raw in enumerate(raw_questions):
        try:
            models.append(_QUESTION.validate_python(raw))
        except ValidationError as exc:
            problems += [
                f"{name}: {_where(doc, ['questions', i, *err['loc']])}: {err['msg']}"
                for err in exc.errors()
            ]
    if path.suffix == ".json" and path.stem != model.topic:
        problems.append(
            f"{name}: topic: is {model.topic!r}; the file must be named {model.topic}.json"
        )
    topic = curriculum.by_id.get(model.topic) if curriculum else None
    if curriculum is not None and topic is None:
        problems.append(f"{name}: topic: {model.topic!r} is not a topic of the curriculum")
    questions = [_plain(m, model.topic, name) for m in models]
    ids: set[str] = set()
    for q in questions:
        where = f"{name}: question {q.id!r}"
        if q.id in ids:
            problems.append(f"{where}: id: used twice in this file")
        ids.add(q.id)
        problems += [f"{where}: {p}" for p in question_problems(q)]
        if topic is not None:
            if q.objective >= len(topic.objectives):
                problems.append(
                    f"{where}: objective: {q.objective} is out of range (the topic "
                    f"has {len(topic.objectives)} objectives, numbered from 0)"
                )
            if q.resource >= len(topic.resources):
                problems.append(
                    f"{where}: resource: {q.resource} is out of range (the topic "
                    f"has {len(topic.resources)} resources, numbered from 0)"
                )
    return questions, problems


def _where(doc: Any, loc: Sequence[int | str]) -> str:
    """A validation error's location, naming the question by id when it has one."""
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "questions" and isinstance(parts[1], int):
        try:
            qid = doc["questions"][parts[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            qid = None
        label = f"question {qid!r}" if isinstance(qid, str) else f"question #{parts[1] + 1}"
        rest = [p for p in parts[2:] if p not in KINDS]
        return label + (": " + ".".join(map(str, rest)) if rest else "")
    return ".".join(map(str, parts)) or "file"


def question_problems(q: Question) -> list[str]:
    """The rule violations of one question (beyond its JSON shape)."""
    from mlpath.quiz import generators
    from mlpath.quiz.formula import FormulaError, evaluate

    out: list[str] = []
    if not q.id.startswith(q.topic + "-"):
        out.append(f"id: must start with the topic id ({q.topic}-…)")
    if q.kind in ("single", "multiple"):
        normalized = [" ".join(o.lower().split()) for o in q.options]
        if len(set(normalized)) != len(normalized):
            out.append("options: two options are the same")
        out += [
            f"options: {o!r} is not allowed (options are shuffled; say what it means)"
            for o in q.options
            if FORBIDDEN_OPTIONS.search(o)
        ]
        out += [
            f"answer: {k} is out of range (there are {len(q.options)} options, numbered from 0)"
            for k in q.key
            if k >= len(q.options)
        ]
        if q.kind == "multiple" and len(q.key) == len(q.options):
            out.append("answer: every option is correct; make at least one option wrong")
    elif q.kind == "numeric" and q.derivation is not None and q.answer is not None:
        try:
            value = evaluate(q.derivation)
        except FormulaError as exc:
            out.append(f"derivation: {q.derivation!r} {exc}")
        else:
            slack = max(1e-9 * max(1.0, abs(value)), 0.01 * _abs_tolerance(q.tolerance, value))
            if abs(value - q.answer) > slack:
                out.append(f"answer: {q.answer!r} but the derivation gives {value!r}")
    elif q.kind == "generated":
        registered = generators.registry()
        if q.generator not in registered:
            out.append(
                f"generator: {q.generator!r} is not registered (known: "
                f"{', '.join(sorted(registered)) or 'none'})"
            )
        else:
            for seed in range(3):
                try:
                    generators.draw(q.generator or "", random.Random(seed), q.params)
                except Exception as exc:  # a broken generator is a bank problem, not a crash
                    out.append(
                        f"generator: {q.generator!r} fails with params {dict(q.params)}"
                        f" (seed {seed}): {type(exc).__name__}: {exc}"
                    )
                    break
    return out


def _abs_tolerance(tolerance: Mapping[str, float], answer: float) -> float:
    return tolerance["abs"] if "abs" in tolerance else tolerance["rel"] * abs(answer)


def coverage_problems(bank: Bank, curriculum: Curriculum) -> list[str]:
    """Topics with a bank but fewer than 8 questions or an objective without a question."""
    out = []
    for topic_id, questions in bank.topics.items():
        topic = curriculum.by_id.get(topic_id)
        if topic is None:
            continue
        if len(questions) < MIN_QUESTIONS:
            out.append(
                f"{topic_id}.json: has {len(questions)} questions; a topic needs at "
                f"least {MIN_QUESTIONS}"
            )
        covered = {q.objective for q in questions}
        out += [
            f"{topic_id}.json: objective {i} ({text!r}) has no question"
            for i, text in enumerate(topic.objectives)
            if i not in covered
        ]
    return out


def quiz_topics(curriculum: Curriculum) -> list[str]:
    """The topics that must have a quiz: all but the project topics."""
    return [t.id for t in curriculum.topics if not is_project(t.id)]
