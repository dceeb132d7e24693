"""The correctness suite over the WHOLE bank: every file of data/questions/ is picked up.

A wrong answer key is the worst defect a quiz can have, so: fixed numeric answers are
recomputed from their derivation, every generator is run with 200 seeds and its key
checked, choice questions have exactly their keys, no two questions are near-duplicates,
and every non-project topic has at least 8 questions covering every objective.
"""

from __future__ import annotations

import difflib
import math
import random
import re
from itertools import combinations
from typing import Any

import pytest

from mlpath.domain.curriculum import load
from mlpath.quiz import generators
from mlpath.quiz.bank import (
    FORBIDDEN_OPTIONS,
    MIN_QUESTIONS,
    Question,
    bank_files,
    bundled_dir,
    load_bank,
    quiz_topics,
)
from mlpath.quiz.draw import Drawn, instantiate
from mlpath.quiz.formula import evaluate
from mlpath.quiz.grading import LETTERS, expected, grade

SEEDS = range(200)
CURRICULUM = load()
BANK = load_bank(bank_files(bundled_dir()), CURRICULUM)
QUESTIONS = BANK.questions
FIXED_NUMERIC = [q for q in QUESTIONS if q.kind == "numeric"]
CHOICE = [q for q in QUESTIONS if q.kind in ("single", "multiple")]
GENERATED = [q for q in QUESTIONS if q.kind == "generated"]
# every registered generator with its default parameters, and every (generator, params) a bank uses
USES = sorted(
    {(name, ()) for name in generators.registry()}
    | {(q.generator or "", tuple(sorted(q.params.items()))) for q in GENERATED},
    key=repr,
)


def _ids(questions: list[Question]) -> list[str]:
    return [q.id for q in questions]


def test_every_bank_file_loads_without_a_problem() -> None:
    assert bank_files(bundled_dir()), "no bank files found"
    assert BANK.problems == []


# --------------------------------------------------------------------------- fixed answers


@pytest.mark.parametrize("q", FIXED_NUMERIC, ids=_ids(FIXED_NUMERIC))
def test_fixed_numeric_answer_is_its_derivation(q: Question) -> None:
    assert q.derivation and q.answer is not None
    value = evaluate(q.derivation)
    assert math.isclose(value, q.answer, rel_tol=1e-9, abs_tol=1e-12), (value, q.answer)
    _check_numeric(instantiate(q, 0))


@pytest.mark.parametrize("q", CHOICE, ids=_ids(CHOICE))
def test_choice_question_has_exactly_its_keys_and_distinct_options(q: Question) -> None:
    normalized = [" ".join(o.lower().split()) for o in q.options]
    assert len(set(normalized)) == len(normalized)
    assert not [o for o in q.options if FORBIDDEN_OPTIONS.search(o)]
    assert q.key and all(0 <= k < len(q.options) for k in q.key)
    if q.kind == "single":
        assert len(q.key) == 1
    assert len(q.key) < len(q.options), "at least one option must be wrong"
    for seed in range(5):  # shuffled options keep the key on the same text
        drawn = instantiate(q, seed)
        assert {drawn.options[k] for k in drawn.key} == {q.options[k] for k in q.key}  # type: ignore[index]
        _check_choice(drawn)


# --------------------------------------------------------------------------- generators


def _abs_tol(d: Drawn) -> float:
    assert d.answer is not None
    return d.tolerance["abs"] if "abs" in d.tolerance else d.tolerance["rel"] * abs(d.answer)


def _check_numeric(d: Drawn) -> None:
    assert d.answer is not None and math.isfinite(d.answer), d.prompt
    assert len(d.tolerance) == 1 and next(iter(d.tolerance.values())) > 0
    a, tol = d.answer, _abs_tol(d)
    assert grade(d, a) and grade(d, str(a)), d.prompt
    shown = expected(d)
    assert isinstance(shown, float) and grade(d, shown), (d.prompt, shown)
    assert not grade(d, a + 2 * tol) and not grade(d, a - 2 * tol)
    unit = 10.0**-d.decimals if d.decimals is not None else 0.0
    if abs(a) > 1e-12 and 0.1 * abs(a) > unit:
        # a rough guess 10% off is never accepted (below the precision asked, the neighbours
        # of the rounded answer are checked instead)
        assert not grade(d, a * 1.1) and not grade(d, a * 0.9), (d.id, d.prompt, a, d.tolerance)
    if float(a).is_integer() and abs(a) >= 1:
        assert not grade(d, a + 1) and not grade(d, a - 1)
    if d.decimals is not None:
        r = round(a, d.decimals)
        assert grade(d, r), (d.prompt, a, r)
        # no rounding makes two answers right: the neighbours of the rounded answer are wrong
        assert not grade(d, r + unit) and not grade(d, r - unit), (d.id, d.prompt, a)


def _check_choice(d: Drawn) -> None:
    assert d.options is not None and 2 <= len(d.options) <= len(LETTERS)
    normalized = [" ".join(o.lower().split()) for o in d.options]
    assert len(set(normalized)) == len(normalized), d.options
    numbers = [_as_number(o) for o in d.options]
    if all(n is not None for n in numbers):
        assert len(set(numbers)) == len(numbers), d.options
    assert d.key and all(0 <= k < len(d.options) for k in d.key)
    key = [LETTERS[k] for k in d.key]
    assert grade(d, key if d.kind == "multiple" else key[0])
    for i in range(len(d.options)):
        if i not in d.key:
            assert not grade(d, LETTERS[i] if d.kind == "single" else [LETTERS[i]])


def _as_number(text: str) -> float | None:
    try:
        return round(float(text), 9)
    except ValueError:
        return None


@pytest.mark.parametrize("name,params", USES, ids=[f"{n}{dict(p) or ''}" for n, p in USES])
def test_generator_is_well_posed_for_200_seeds(name: str, params: tuple[Any, ...]) -> None:
    question = Question(
        id=f"x-{name}", topic="x", kind="generated", objective=0, resource=0,
        explanation="Why.", generator=name, params=dict(params),
    )  # fmt: skip
    prompts = set()
    for seed in SEEDS:
        d = instantiate(question, seed)
        assert d.prompt.strip() and d.explanation.strip()
        assert not re.search(r"\bnan\b|\binf\b", d.prompt + d.explanation, re.IGNORECASE)
        assert d == instantiate(question, seed), "the same seed must give the same instance"
        if d.kind == "numeric":
            _check_numeric(d)
        else:
            assert d.kind == "single"
            _check_choice(d)
        prompts.add(d.prompt)
    assert len(prompts) >= 10, "a generator should rarely repeat its numbers"


def test_generators_need_no_numpy_or_scipy() -> None:
    import ast

    for path in generators.__path__:
        for file in sorted(__import__("pathlib").Path(path).glob("*.py")):
            tree = ast.parse(file.read_text(encoding="utf-8"))
            names = {
                a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                for a in n.names
            } | {
                (n.module or "").split(".")[0] for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom) and not n.level
            }  # fmt: skip
            assert not names & {"numpy", "scipy", "pandas", "sklearn", "torch"}, file.name


def test_generic_generators_agree_with_numpy_and_scipy() -> None:
    np = pytest.importorskip("numpy")
    stats = pytest.importorskip("scipy.stats")
    for seed in range(50):
        rng = random.Random(seed)
        d = generators.draw("dot-product", rng)
        u, v = (np.array(eval(m)) for m in re.findall(r"\([-\d, ]+\)", d.prompt)[:2])
        assert d.answer == float(u @ v)
        d = generators.draw("binomial-probability", random.Random(seed))
        p, n, k = (
            float(x)
            for x in re.findall(
                r"probability ([\d.]+)\. It is tossed (\d+) "
                r"times.*exactly (\d+) heads",
                d.prompt,
            )[0]
        )
        assert math.isclose(d.answer, 100 * stats.binom.pmf(k, n, p), rel_tol=1e-9)


# --------------------------------------------------------------------------- duplicates


def _text(q: Question) -> str:
    words = re.findall(r"[a-z0-9]+", (q.prompt + " " + " ".join(q.options)).lower())
    return " ".join(words)


def test_no_two_questions_are_near_duplicates() -> None:
    fixed = [(q, _text(q), set(_text(q).split())) for q in QUESTIONS if q.kind != "generated"]
    close = []
    for (a, ta, sa), (b, tb, sb) in combinations(fixed, 2):
        jaccard = len(sa & sb) / len(sa | sb) if sa | sb else 1.0
        if jaccard > 0.6 and difflib.SequenceMatcher(None, ta, tb).ratio() > 0.85:
            close.append((a.id, b.id))
    assert close == []


def test_no_topic_uses_one_generator_twice_with_the_same_params() -> None:
    seen: dict[tuple[str, str, str], str] = {}
    twice = []
    for q in GENERATED:
        key = (q.topic, q.generator or "", repr(sorted(q.params.items())))
        if key in seen:
            twice.append((seen[key], q.id))
        seen[key] = q.id
    assert twice == []


# --------------------------------------------------------------------------- coverage


@pytest.mark.parametrize("topic_id", quiz_topics(CURRICULUM))
def test_coverage(topic_id: str) -> None:
    questions = BANK.topics.get(topic_id, [])
    assert len(questions) >= MIN_QUESTIONS, f"{topic_id} has {len(questions)} questions"
    objectives = CURRICULUM.by_id[topic_id].objectives
    uncovered = [i for i in range(len(objectives)) if i not in {q.objective for q in questions}]
    assert uncovered == [], f"{topic_id}: objectives without a question: {uncovered}"
