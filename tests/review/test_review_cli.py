"""The review and placement flows end to end on the bundled curriculum and bank: the JSON
contract, --answers, interactive prompts (CliRunner and a real pseudo-terminal), next, report,
the plan's reserve, the store (old stores load and keep every event) and bad inputs."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlpath.app.session import Session
from mlpath.cli.app import app
from mlpath.quiz.grading import LETTERS
from mlpath.store.file import Store


@pytest.fixture
def run(home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def invoke(*args: str, input: str | None = None, today: str = "2026-01-05"):  # type: ignore[no-untyped-def]
        monkeypatch.setenv("MLPATH_TODAY", today)
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


def key(q: Any) -> Any:
    if q.kind == "single":
        return LETTERS[q.key[0]]
    if q.kind == "multiple":
        return [LETTERS[k] for k in q.key]
    return q.answer


def wrong(q: Any) -> Any:
    if q.kind in ("single", "multiple"):
        return LETTERS[(q.key[0] + 1) % len(q.options)]
    return (q.answer or 0) * 3 + 7


def events(home: Path) -> list[dict[str, Any]]:
    return json.loads((home / "progress.json").read_bytes())["events"]


def finish_with_evidence(run, topic: str, today: str = "2026-01-05") -> None:  # type: ignore[no-untyped-def]
    from mlpath.app import quiz as use

    quiz = use.start(Session(), topic, n=8, seed=1)
    answers = json.dumps({q.id: key(q) for q in quiz.questions})
    assert (
        run("quiz", topic, "--seed", "1", "--answers", "-", input=answers, today=today).exit_code
        == 0
    )
    assert run("done", topic, today=today).exit_code == 0


def review_answers(today: str, right: bool = True) -> dict[str, Any]:
    from mlpath.app import review as use

    os.environ["MLPATH_TODAY"] = today
    drawn = use.start(Session())
    return {q.id: key(q) if right else wrong(q) for i in drawn.items for q in i.questions}


def test_review_json_lists_what_is_due_then_answers_reschedule(run, home: Path) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    finish_with_evidence(run, "vectors")
    doc = json.loads(run("review", "--json").stdout)
    assert doc["due"] == [] and doc["backlog"] == 0  # just learned: not due yet
    later = "2026-01-20"
    doc = json.loads(run("review", "--json", today=later).stdout)
    assert [d["topic"] for d in doc["due"]] == ["vectors"] and doc["backlog"] == 0
    item = doc["due"][0]
    assert {"topic", "due", "recall"} <= set(item) and 0 < item["recall"] < 0.9
    assert 2 <= len(item["questions"]) <= 3 and all("answer" not in q for q in item["questions"])
    assert (
        json.loads(run("next", "--json", today=later).stdout)["reviews"]["due"][0]["topic"]
        == "vectors"
    )
    assert "Reviews due: 1" in run("next", today=later).output
    answers = review_answers(later)
    r = run("review", "--answers", "-", "--json", input=json.dumps(answers), today=later)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    (done,) = out["reviewed"]
    assert (
        done["topic"] == "vectors" and done["score"] == done["total"] and done["rating"] == "good"
    )
    assert done["due"] > "2026-01-30" and done["rests_on_it"] == []
    last = events(home)[-1]
    assert (
        last["type"] == "review" and last["rating"] == 3 and last["reviewed_at"].endswith("+00:00")
    )
    assert json.loads(run("review", "--json", today=later).stdout)["due"] == []
    retention = json.loads(run("report", "--json", today=later).stdout)["retention"]
    assert retention["scheduled_topics"] == 1 and retention["reviews"] == 1
    assert retention["phases"][0]["id"] == "math" and retention["below_70"] == []
    assert "Retention today" in run("report", today=later).output
    assert "reverted" in run("undo", today=later).output.lower()
    assert json.loads(run("review", "--json", today=later).stdout)["due"][0]["topic"] == "vectors"


def test_a_failed_review_names_the_topics_that_rest_on_it(run) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    finish_with_evidence(run, "vectors")
    later = "2026-01-20"
    r = run(
        "review",
        "--answers",
        "-",
        input=json.dumps(review_answers(later, right=False)),
        today=later,
    )
    assert r.exit_code == 0
    assert "(again)" in r.output and "These later topics rest on it" in r.output
    assert "Matrices" in r.output


def test_the_plan_reserves_review_time_and_shows_it(run) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    for t in ("vectors", "matrices"):
        finish_with_evidence(run, t)
    r = run("plan", "--hours", "10", "--json")  # a re-plan (plan alone prints the saved one)
    plan = json.loads(r.stdout)
    assert plan["review_hours_per_week"] > 0
    assert all(
        sum(i["hours"] for i in w["items"]) <= 10 - plan["review_hours_per_week"] + 1e-9
        for w in plan["weeks"]
    )
    assert "kept for spaced review" in run("plan").output


def test_review_bad_inputs_change_nothing(run, home: Path) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    finish_with_evidence(run, "vectors")
    before = (home / "progress.json").read_bytes()
    later = "2026-01-20"
    for payload in ("not json", "[1]", json.dumps({"nope": "A"})):
        r = run("review", "--answers", "-", input=payload, today=later)
        assert r.exit_code != 0 and "Traceback" not in r.output
    r = run("review", "--limit", "0", today=later)
    assert r.exit_code != 0 and "--limit" in r.output
    assert (home / "progress.json").read_bytes() == before
    # no terminal and no answers: a clear message, no hang
    r = run("review", today=later)
    assert r.exit_code != 0 and "terminal" in r.output


def test_review_interactive_with_cli_runner(
    run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import mlpath.cli.review as cli

    run("plan", "--hours", "10")
    finish_with_evidence(run, "vectors")
    later = "2026-01-20"
    answers = review_answers(later)
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    typed = (
        "\n".join(
            a if isinstance(a, str) else ",".join(a) if isinstance(a, list) else repr(a)
            for a in answers.values()
        )
        + "\n"
    )
    r = run("review", input=typed, today=later)
    assert r.exit_code == 0, r.output
    assert "Review 1/1: Vectors" in r.output and "next review" in r.output
    assert events(home)[-1]["type"] == "review" and events(home)[-1]["seconds"] is not None


def test_review_interactive_in_a_real_terminal(run, home: Path) -> None:  # type: ignore[no-untyped-def]
    pexpect = pytest.importorskip("pexpect")
    run("plan", "--hours", "10")
    finish_with_evidence(run, "vectors")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src"), "COLUMNS": "80",
           "NO_COLOR": "1", "MLPATH_TODAY": "2026-01-20"}  # fmt: skip
    child = pexpect.spawn(sys.executable, ["-m", "mlpath", "review"], env=env, encoding="utf-8",
                          timeout=30)  # fmt: skip
    child.expect("Review 1/1")
    for _ in range(3):
        i = child.expect([r"Enter to skip\): ", "next review"])
        if i == 1:
            break
        child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert events(home)[-1]["type"] == "review" and events(home)[-1]["rating"] == 1


def test_nothing_due_and_the_backlog_message(run) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    r = run("review")
    assert r.exit_code == 0 and "Nothing to review today." in r.output


# --------------------------------------------------------------------------- placement


def answer_placement(run, truth: set[str], seed: int = 5, extra: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """Answer the test as a script does: run, answer the pending question, run again."""
    from mlpath.app import placement as use

    answers: dict[str, Any] = {}
    for _ in range(40):
        doc = json.loads(run("placement", "--seed", str(seed), "--json", "--answers", "-",
                             input=json.dumps(answers)).stdout)  # fmt: skip
        if doc["done"]:
            break
        q = doc["next"]
        r = use.run(Session(), seed=seed, answers=answers)
        assert r.pending is not None and r.pending.id == q["id"]
        answers[q["id"]] = key(r.pending) if q["topic"] in truth else wrong(r.pending)
    r = run("placement", "--seed", str(seed), "--json", "--answers", "-", *extra,
            input=json.dumps(answers))  # fmt: skip
    return json.loads(r.stdout), answers


def test_placement_with_answers_replays_and_applies(run, home: Path) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    first = json.loads(run("placement", "--seed", "5", "--json").stdout)
    assert first["done"] is False and first["questions"] == 0 and "answer" not in first["next"]
    truth = {"vectors", "matrices", "python-basics"}
    doc, _answers = answer_placement(run, truth)
    assert doc["done"] is True and doc["questions"] <= 30
    assert "applied" not in doc and events(home)[-1]["type"] == "plan"  # nothing recorded yet
    doc, _ = answer_placement(run, truth, extra=("--yes",))
    assert set(doc["known"]) <= truth | set() and doc["applied"]["known"] == doc["known"]
    kinds = [e["type"] for e in events(home)[-2:]]
    assert kinds == ["placement", "plan"]
    profile = json.loads((home / "progress.json").read_bytes())["profile"]
    assert set(doc["known"]) <= set(profile["known"])
    planned = json.loads(run("plan", "--json").stdout)["topics"]
    assert not set(doc["known"]) & set(planned)


def test_placement_bad_inputs_change_nothing(run, home: Path) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    before = (home / "progress.json").read_bytes()
    for args, payload in (
        (("--answers", "-"), "nope"),
        (("--answers", "-"), json.dumps({"not-a-question": "A"})),
        (("--max", "0", "--json"), None),
        (("--seed", "-1", "--json"), None),
    ):
        r = run("placement", *args, input=payload)
        assert r.exit_code != 0 and "Traceback" not in r.output, args
    r = run("placement")
    assert r.exit_code != 0 and "terminal" in r.output
    assert (home / "progress.json").read_bytes() == before


def test_placement_without_a_plan_asks_for_hours_first(
    run, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import mlpath.cli.review as cli

    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    r = run("placement")
    assert r.exit_code != 0 and "--hours" in r.output


def test_placement_interactive_confirms_and_replans(
    run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import mlpath.cli.review as cli

    run("plan", "--hours", "10")
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    # answer the first 3 questions right (they are drawn near the middle of the graph), then
    # skip the rest (counted as not known), then confirm
    from mlpath.app import placement as use

    seen: list[Any] = []

    def ask(n: int, q: Any) -> Any:
        seen.append(q)
        return key(q) if n <= 3 else None

    use.run(Session(), seed=9, max_questions=10, ask=ask)
    typed = [str(key(q)) if not isinstance(key(q), list) else ",".join(key(q)) for q in seen[:3]]
    typed += [""] * (len(seen) - 3) + ["y"]
    r = run("placement", "--seed", "9", "--max", "10", input="\n".join(typed) + "\n")
    assert r.exit_code == 0, r.output
    assert "you seem to know" in r.output and "Re-planned" in r.output
    assert [e["type"] for e in events(home)[-2:]] == ["placement", "plan"]


# --------------------------------------------------------------------------- the store


def test_a_store_from_todays_release_loads_and_keeps_every_event(home: Path) -> None:
    v2 = {"schema_version": 2, "profile": None, "plan": None, "events": [
        {"seq": 1, "type": "done", "at": "2026-01-01T10:00:00+00:00", "topic": "vectors",
         "date": "2026-01-01"},
        {"seq": 2, "type": "quiz", "at": "2026-01-01T11:00:00+00:00", "topic": "vectors",
         "date": "2026-01-01", "seed": 1, "score": 8, "total": 8, "percent": 100.0,
         "passed": True, "questions": ["vectors-a"]},
        {"seq": 3, "type": "log", "at": "2026-01-02T10:00:00+00:00", "topic": "matrices",
         "date": "2026-01-02", "hours": 1.5},
        {"seq": 4, "type": "undone", "at": "2026-01-02T11:00:00+00:00", "target": 3},
    ]}  # fmt: skip
    home.mkdir(parents=True, exist_ok=True)
    (home / "progress.json").write_text(json.dumps(v2))
    data = Store(home).load()
    assert data.migrated_from == 2 and data.schema_version == 3
    assert data.events == v2["events"]


def test_review_events_are_validated(home: Path) -> None:
    from mlpath.store.format import check_shape

    base = {"seq": 1, "type": "review", "at": "2026-01-01T10:00:00+00:00", "topic": "vectors",
            "date": "2026-01-01", "reviewed_at": "2026-01-01T10:00:00+00:00", "rating": 3,
            "score": 3, "total": 3, "questions": []}  # fmt: skip
    assert check_shape({"events": [base]}) == []
    for bad in ({"rating": 5}, {"reviewed_at": "2026-01-01T10:00:00"}, {"score": 4}):
        assert check_shape({"events": [{**base, **bad}]})
    placement = {
        "seq": 1,
        "type": "placement",
        "at": "2026-01-01T10:00:00+00:00",
        "date": "2026-01-01",
        "known": ["vectors"],
        "evidence": [],
        "asked": [],
    }
    assert check_shape({"events": [placement]}) == []
    assert check_shape({"events": [{**placement, "known": "vectors"}]})


def test_the_week_shows_the_reviews_due_in_it(run) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    finish_with_evidence(run, "vectors")
    week = json.loads(run("week", "--json", today="2026-12-20").stdout)
    assert [r["topic"] for r in week["reviews"]] == ["vectors"]
    assert all(week["start"] <= r["date"] <= week["end"] for r in week["reviews"])
    assert "Reviews due this week: 1 (vectors)" in run("week", today="2026-12-20").output
    fresh = json.loads(run("week", "--json").stdout)  # the day it was finished
    assert all(r["date"] > "2026-01-05" for r in fresh["reviews"])  # never due at once
