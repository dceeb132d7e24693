"""Where numbers matter, a quiz taken again shows new numbers: math topics are mostly generated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlpath.domain.curriculum import load

ROOT = Path(__file__).resolve().parents[2]
MATH = [t.id for t in load().topics if t.phase == "math"]


@pytest.mark.parametrize("topic_id", MATH)
def test_math_topics_are_mostly_generated(topic_id: str) -> None:
    questions = json.loads((ROOT / "data" / "questions" / f"{topic_id}.json").read_text())[
        "questions"
    ]
    generated = [q for q in questions if q["kind"] == "generated"]
    assert 2 * len(generated) > len(questions), (
        f"{topic_id}: {len(generated)} of {len(questions)} questions are generated"
    )
