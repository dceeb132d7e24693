"""The quiz flow: the JSON contract, --answers, the store events and undo, evidence, bad
inputs (nothing changes), the interactive prompts (CliRunner and a real pseudo-terminal)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlpath.app import quiz as use
from mlpath.app.session import Session
from mlpath.cli.app import app
from mlpath.quiz.grading import LETTERS


@pytest.fixture
def run(home: Path, runner: CliRunner):  # type: ignore[no-untyped-def]
    """mlpath on the bundled curriculum and bank, in an isolated home."""

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


def keys(topic: str, seed: int, n: int = 8) -> dict[str, Any]:
    """The right answer to every question of a quiz, as a script would write it."""
    quiz = use.start(Session(), topic, n=n, seed=seed)
    out: dict[str, Any] = {}
    for q in quiz.questions:
        if q.kind == "single":
            out[q.id] = LETTERS[q.key[0]]
        elif q.kind == "multiple":
            out[q.id] = [LETTERS[k] for k in q.key]
        else:
            out[q.id] = q.answer
    return out


def events(home: Path) -> list[dict[str, Any]]:
    path = home / "progress.json"
    return json.loads(path.read_bytes())["events"] if path.exists() else []


def store_bytes(home: Path) -> bytes | None:
    path = home / "progress.json"
    return path.read_bytes() if path.exists() else None


def test_json_quiz_has_no_keys_and_the_same_seed_gives_the_same_quiz(run) -> None:  # type: ignore[no-untyped-def]
    r = run("quiz", "vectors", "--seed", "3", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert set(doc) == {"topic", "seed", "questions"} and doc["topic"] == "vectors"
    assert doc["seed"] == 3 and len(doc["questions"]) == 8
    for q in doc["questions"]:
        assert set(q) == ({"id", "kind", "prompt", "options"} if q["kind"] != "numeric"
                          else {"id", "kind", "prompt"})  # fmt: skip
        assert q["kind"] in ("single", "multiple", "numeric")
    assert run("quiz", "vectors", "--seed", "3", "--json").stdout == r.stdout
    assert run("quiz", "vectors", "--seed", "4", "--json").stdout != r.stdout
    assert len(json.loads(run("quiz", "vectors", "--seed", "3", "-n", "3", "--json").stdout)
               ["questions"]) == 3  # fmt: skip


def test_quiz_covers_every_objective() -> None:
    quiz = use.start(Session(), "logistic-regression", n=5, seed=11)
    assert sorted(q.objective for q in quiz.questions) == [0, 1, 2, 3, 4]


def test_right_answers_pass_record_an_event_and_undo_reverts_it(run, home: Path) -> None:  # type: ignore[no-untyped-def]
    answers = home.parent / "answers.json"
    answers.write_text(json.dumps(keys("vectors", 3)))
    r = run("quiz", "vectors", "--seed", "3", "--answers", str(answers), "--json")
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    assert set(result) == {"topic", "score", "total", "percent", "passed", "results"}
    assert (result["score"], result["total"], result["percent"], result["passed"]) == (
        8, 8, 100.0, True
    )  # fmt: skip
    for item in result["results"]:
        assert set(item) == {"id", "correct", "expected", "explanation"} and item["correct"]
    [event] = events(home)
    assert event["type"] == "quiz" and event["topic"] == "vectors" and event["seed"] == 3
    assert event["passed"] is True and event["date"] == "2026-11-24"
    assert event["questions"] == [i["id"] for i in result["results"]]

    report = json.loads(run("topics", "--json").stdout)
    assert not any(t["evidence"] for t in report)  # a quiz alone does not finish a topic
    r = run("done", "vectors")
    assert "Backed by evidence: a quiz scored 80%+" in r.output
    assert json.loads(run("topics", "--json").stdout)[0]["evidence"] is True
    run("undo")  # the done
    r = run("undo")
    assert r.exit_code == 0 and "Reverted: quiz on Vectors" in r.output
    r = run("done", "vectors", "--json")
    out = json.loads(r.stdout)
    assert out["evidence"] is False
    assert any("mlpath quiz vectors" in m for m in out["messages"])


def test_answers_from_stdin_with_letters_lists_and_skips(run, home: Path) -> None:  # type: ignore[no-untyped-def]
    right = keys("bayes-theorem", 5)
    first = next(iter(right))
    given = {first: right[first]}
    r = run("quiz", "bayes-theorem", "--seed", "5", "--answers", "-", "--json",
            input=json.dumps(given))  # fmt: skip
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    assert result["score"] == 1 and result["passed"] is False and result["percent"] == 12.5
    assert events(home)[-1]["passed"] is False


def test_text_results_show_score_explanations_and_resources(run) -> None:  # type: ignore[no-untyped-def]
    r = run("quiz", "vectors", "--seed", "3", "--answers", "-", input="{}")
    assert r.exit_code == 0, r.output
    assert "Score: 0/8 (0%)" in r.output and "Your answer: skipped" in r.output
    assert "Read: " in r.output


@pytest.mark.parametrize(
    "args,stdin,message",
    [
        (["quiz", "no-such-topic", "--json"], None, "No topic matches"),
        (["quiz", "vectors", "--answers", "-"], "{not json", "not valid JSON"),
        (["quiz", "vectors", "--answers", "-"], "[1, 2]", "must be a JSON object"),
        (["quiz", "vectors", "--seed", "3", "--answers", "-"], '{"bogus-id": "A"}',
         "'bogus-id' is not a question of this quiz"),
        (["quiz", "vectors", "--answers", "/no/such/file.json"], None, "Cannot read"),
        (["quiz", "vectors", "-n", "0"], None, "-n must be at least 1"),
        (["quiz", "vectors", "--seed", "-1"], None, "--seed must be between"),
        (["quiz", "vectors", "--seed", "3"], "", "stdin is not one"),
        (["quiz", "end-to-end-project", "--json"], None, "no quiz"),
    ],
)  # fmt: skip
def test_bad_inputs_say_why_exit_non_zero_and_change_nothing(
    run,
    home: Path,
    args: list[str],
    stdin: str | None,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    before = store_bytes(home)
    r = run(*args, input=stdin)
    assert r.exit_code != 0
    assert message in r.output and "Traceback" not in r.output
    assert store_bytes(home) == before


def test_out_of_range_letters_and_wrong_types_are_refused(run, home: Path) -> None:  # type: ignore[no-untyped-def]
    quiz = use.start(Session(), "vectors", n=8, seed=3)
    single = next(q for q in quiz.questions if q.kind == "single")
    numeric = next(q for q in quiz.questions if q.kind == "numeric")
    bad = {single.id: "Z", numeric.id: "twelve"}
    r = run("quiz", "vectors", "--seed", "3", "--answers", "-", input=json.dumps(bad))
    assert r.exit_code == 2
    assert "There is no option Z" in r.output and "is not a number" in r.output
    r = run("quiz", "vectors", "--seed", "3", "--answers", "-", input=json.dumps({single.id: 1}))
    assert r.exit_code == 2 and "is not a letter" in r.output
    assert store_bytes(home) is None


def test_interactive_flow_through_cli_runner(run, home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("mlpath.cli.quiz._stdin_is_terminal", lambda: True)
    right = keys("vectors", 3, n=3)
    lines = ["?"]
    for answer in right.values():
        if isinstance(answer, list):
            lines.append(", ".join(answer))
        elif isinstance(answer, str):
            lines += ["Q", answer.lower()]  # a letter that is no option is asked again
        else:
            lines += ["abc", str(answer)]
    r = run("quiz", "vectors", "--seed", "3", "-n", "3", "--plain", input="\n".join(lines) + "\n")
    assert r.exit_code == 0, r.output
    assert "Question 1/3" in r.output and "Score: 3/3 (100%), passed" in r.output
    assert "Hint:" in r.output or "No hint for this one." in r.output
    assert events(home)[-1]["score"] == 3


def test_interactive_quiz_abandoned_with_ctrl_d_records_nothing(run, home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("mlpath.cli.quiz._stdin_is_terminal", lambda: True)
    r = run("quiz", "vectors", "--seed", "3", input="")
    assert r.exit_code == 130 and "nothing was recorded" in r.output
    assert store_bytes(home) is None


def test_interactive_flow_in_a_real_pseudo_terminal(home: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
           "COLUMNS": "80", "NO_COLOR": "1"}  # fmt: skip
    child = pexpect.spawn(
        sys.executable, ["-m", "mlpath", "quiz", "vectors", "--seed", "3", "-n", "2"],
        env=env, encoding="utf-8", timeout=30,
    )  # fmt: skip
    child.expect("Question 1/2")
    child.expect(r"\(\? for a hint, Enter to skip\): ")
    child.sendline("?")
    child.expect("Hint:|No hint for this one.")
    child.sendline("")
    child.expect("Question 2/2")
    child.expect(r"Enter to skip\): ")
    child.sendline("")
    child.expect(r"Score: 0/2 \(0%\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert events(home)[-1]["type"] == "quiz"


def test_report_json_counts_evidence_per_phase(run) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    run("quiz", "vectors", "--seed", "1", "--answers", "-", input=json.dumps(keys("vectors", 1)))
    run("done", "vectors")
    run("done", "matrices")
    evidence = json.loads(run("report", "--json").stdout)["evidence"]
    assert evidence["done_topics"] == 2 and evidence["with_evidence"] == 1
    math_phase = next(p for p in evidence["phases"] if p["id"] == "math")
    assert math_phase == {"id": "math", "done_topics": 2, "with_evidence": 1}
    assert "evidence" in run("report").output
    assert "1/2 finished topics backed by evidence" in run("topics", "--phase", "math").output


def test_questions_check_and_schema(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("questions", "check")
    assert r.exit_code == 0 and "No problems." in r.output
    schema = json.loads(run("questions", "schema").stdout)
    assert schema["title"] == "mlpath question bank" and "questions" in schema["properties"]
    bad = tmp_path / "vectors.json"
    bad.write_text(json.dumps({"schema_version": 1, "topic": "vectors", "questions": [
        {"id": "vectors-a", "kind": "single", "objective": 9, "resource": 0, "prompt": "P?",
         "options": ["x", "X ", "All of the above"], "answer": 5, "explanation": "E."},
        {"id": "vectors-b", "kind": "numeric", "objective": 0, "resource": 0, "prompt": "Q?",
         "answer": 4, "tolerance": {"abs": 0.1}, "derivation": "2 + 3", "explanation": "E."},
        {"id": "vectors-c", "kind": "generated", "generator": "nope", "objective": 0,
         "resource": 0, "explanation": "E."},
        {"id": "other-d", "kind": "multiple", "objective": 0, "resource": 0, "prompt": "R?",
         "options": ["a", "b"], "answer": [0, 1], "explanation": "E.", "hnit": "typo"},
    ]}))  # fmt: skip
    r = run("questions", "check", str(bad))
    assert r.exit_code != 0
    for expected in [
        "question 'vectors-a': options: two options are the same",
        "'All of the above' is not allowed",
        "answer: 5 is out of range",
        "objective: 9 is out of range",
        "question 'vectors-b': answer: 4.0 but the derivation gives 5.0",
        "question 'vectors-c': generator: 'nope' is not registered",
        "question 'other-d': hnit: Extra inputs are not permitted",
    ]:
        assert expected in r.output.replace("\n  ", " ").replace("\n", " "), expected
    doc = json.loads(run("questions", "check", str(bad), "--json").stdout)
    assert len(doc["problems"]) >= 6


def test_a_custom_curriculum_brings_its_own_bank(run, tiny_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tiny_path.parent / "questions"
    folder.mkdir()
    (folder / "calculus.json").write_text(json.dumps({"schema_version": 1, "topic": "calculus",
        "questions": [{"id": "calculus-slope", "kind": "numeric", "objective": 1, "resource": 0,
                       "prompt": "d/dx x² at x = 3?", "answer": 6, "tolerance": {"abs": 0.01},
                       "derivation": "2 * 3", "explanation": "2x = 6."}]}))  # fmt: skip
    monkeypatch.setenv("MLPATH_CURRICULUM", str(tiny_path))
    r = run(
        "quiz",
        "calculus",
        "--seed",
        "1",
        "--answers",
        "-",
        "--json",
        input='{"calculus-slope": "6"}',
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["passed"] is True
    assert "no quiz" in run("quiz", "vectors", "--json").output


def test_html_export_counts_evidence_per_phase(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("plan", "--hours", "10")
    run("quiz", "vectors", "--seed", "1", "--answers", "-", input=json.dumps(keys("vectors", 1)))
    run("done", "vectors")
    out = tmp_path / "plan.html"
    r = run("export", "--format", "html", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "1/1 with evidence" in out.read_text(encoding="utf-8")
