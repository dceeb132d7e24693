"""End-to-end command tests with Typer's CliRunner, a tiny curriculum and a fixed today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.main

from mlpath.cli.app import app


def store_bytes(home: Path) -> bytes | None:
    path = home / "progress.json"
    return path.read_bytes() if path.exists() else None


def test_plan_next_done_undo_report_flow(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("plan", "--hours", "10")
    assert r.exit_code == 0, r.output
    assert "Week 1 · Tue 24 Nov 2026" in r.output and "finish" in r.output

    r = cli("next", "--json")
    nxt = json.loads(r.stdout)
    assert nxt["topic"]["id"] == "vectors"
    assert {t["id"] for t in nxt["ready"]} == {"calculus", "probability"}
    assert nxt["status"]["state"] == "on-track"

    r = cli("done", "vectors", "--hours", "3")
    assert r.exit_code == 0 and "Done: Vectors" in r.output
    assert "Math: 1/3 topics · overall 7.9% (3/38 h)" in r.output

    assert json.loads(cli("next", "--json").stdout)["topic"]["id"] == "calculus"

    r = cli("undo")
    assert "Reverted: done Vectors (vectors)" in r.output
    assert json.loads(cli("next", "--json").stdout)["topic"]["id"] == "vectors"

    cli("done", "vectors", today="2026-11-26")
    cli("log", "calculus", "2", today="2026-11-27")
    rep = json.loads(cli("report", "--json", today="2026-11-28").stdout)
    assert rep["completed_topics"] == 1 and rep["total_topics"] == 8
    # done hours: vectors' estimate (3) + the 2 h logged on unfinished calculus
    assert rep["completed_hours"] == 5 and rep["total_hours"] == 38
    assert rep["logged_hours"] == 2
    assert rep["percent"] == pytest.approx(13.2)
    # 38 h at 10 h/week: three full weeks, then 8 h of week 4 (from Tue 15 Dec): 6 of its 7 days
    assert rep["planned_finish"] == "2026-12-20"
    assert rep["projected_finish"] is not None
    assert rep["streak"] == 2 and rep["active_days"] == 2
    human = cli("report", today="2026-11-28").output
    assert "Burn-up" in human and "By phase" in human and "logged 2 h on Calculus" in human


def test_plan_json_shape_and_replan_keeps_progress(cli) -> None:  # type: ignore[no-untyped-def]
    plan = json.loads(cli("plan", "--hours", "6", "--json").stdout)
    assert set(plan) >= {"topics", "weeks", "total_hours", "finish"}
    assert plan["weeks"][0] == {
        "index": 1,
        "start": "2026-11-24",
        "end": "2026-11-30",
        "items": [
            {"topic": "vectors", "hours": 3, "minutes": 180},
            {"topic": "calculus", "hours": 3, "minutes": 180},
        ],
    }
    cli("done", "vectors")
    again = json.loads(cli("plan", "--strategy", "phases", "--json").stdout)  # hours remembered
    assert "vectors" not in again["topics"] and again["hours_per_week"] == 6
    assert json.loads(cli("report", "--json").stdout)["completed_topics"] == 1


def test_goal_known_track_and_strategy(cli) -> None:  # type: ignore[no-untyped-def]
    plan = json.loads(
        cli(
            "plan", "--hours", "5", "--goal", "classification", "--known", "vectors", "--json"
        ).stdout
    )
    assert plan["topics"] == ["calculus", "probability", "regression", "classification"]
    tf = json.loads(
        cli(
            "plan", "--goal", "all", "--track", "tensorflow", "--strategy", "just-in-time", "--json"
        ).stdout
    )
    assert "keras" in tf["topics"] and "torch" not in tf["topics"]


def test_done_warns_about_prerequisites_and_lab(cli) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "10")
    r = cli("done", "Regression")
    assert r.exit_code == 0
    assert "prerequisites are not done yet: vectors, calculus" in r.output
    assert "lab is not passed yet" in r.output
    again = cli("done", "regression")
    assert "already marked done" in again.output


def test_show_and_topics(cli) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "10")
    cli("log", "vectors", "1")
    shown = cli("show", "vectors")
    assert "You will be able to" in shown.output and "https://example.org/vectors" in shown.output
    assert json.loads(cli("show", "vectors", "--json").stdout)["status"] == "in progress"
    listed = json.loads(cli("topics", "--json").stdout)
    assert {t["id"]: t["status"] for t in listed}["calculus"] == "planned"
    assert "keras" not in {t["id"] for t in listed}
    assert cli("topics", "--phase", "math").exit_code == 0


def test_curriculum_check_and_schema(cli, tmp_path: Path, tiny_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok = cli("curriculum", "check", str(tiny_path))
    assert ok.exit_code == 0 and "No problems" in ok.output
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "title": "x",
                "phases": [{"id": "a", "title": "A"}],
                "topics": [
                    {"id": "t", "title": "T", "phase": "b", "hours": 0, "prerequisites": ["zz"]}
                ],
            }
        )
    )
    r = cli("curriculum", "check", str(bad))
    assert r.exit_code == 1
    assert (
        "unknown phase 'b'" in r.output and "unknown topic 'zz'" in r.output and "hours" in r.output
    )
    assert "properties" in json.loads(cli("curriculum", "schema").stdout)


BAD_INPUTS = [
    (["done", "nonsense-topic"], "No topic matches"),
    (["done", "c"], "matches several topics"),
    (["done", "vectors", "--date", "31/12/2026"], "--date must be a date"),
    (["done", "vectors", "--date", "2030-01-01"], "in the future"),
    (["done", "vectors", "--hours", "-2"], "--hours must be"),
    (["log", "vectors", "0"], "HOURS must be"),
    (["log", "vectors", "abc"], "Invalid value for 'hours'"),
    (["plan", "--hours", "0"], "--hours must be between"),
    (["plan", "--hours", "abc"], "Invalid value for '--hours'"),
    (["plan", "--hours", "10", "--goal", "nope"], "No topic matches"),
    (["plan", "--hours", "10", "--goal", "keras"], "tensorflow track"),
    (["plan", "--hours", "10", "--track", "jax"], "--track must be one of"),
    (["plan", "--hours", "10", "--strategy", "random"], "--strategy must be one of"),
    (["plan", "--hours", "10", "--start", "tomorrow-ish"], "--start must be a date"),
    (["plan"], "There is no study plan yet"),
    (["plan", "--strategy", "phases"], "--hours is required the first time"),
    (["next"], "no study plan yet"),
    (["report"], "no study plan yet"),
    (["undo"], "nothing to undo"),
    (["show", "zzz"], "No topic matches"),
    (["topics", "--phase", "nope"], "Unknown phase"),
    (["frobnicate"], "No such command"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS)
def test_bad_input_exits_non_zero_with_a_message_and_changes_nothing(
    cli,
    home: Path,
    args: list[str],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    before = store_bytes(home)
    r = cli(*args)
    assert r.exit_code != 0
    assert message.lower() in r.output.lower()
    assert "Traceback" not in r.output
    assert store_bytes(home) == before


# (plain `plan` is valid once hours are remembered, so it is left out here)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        a
        for a in BAD_INPUTS
        if a[0][0] in ("done", "log", "plan")
        and a[0] not in (["plan"], ["plan", "--strategy", "phases"])
    ],
)
def test_bad_input_with_existing_progress_changes_nothing(
    cli,
    home: Path,
    args: list[str],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    cli("plan", "--hours", "10")
    cli("done", "vectors")
    before = store_bytes(home)
    r = cli(*args)
    assert r.exit_code != 0 and message.lower() in r.output.lower()
    assert store_bytes(home) == before


def test_invalid_custom_curriculum_is_reported(cli, tmp_path: Path, home: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "c.json"
    bad.write_text("{ not json")
    r = cli("plan", "--hours", "10", "--curriculum", str(bad))
    assert r.exit_code == 1 and "not valid JSON" in r.output
    r = cli("next", "--curriculum", str(tmp_path / "missing.json"))
    assert r.exit_code == 1 and "not found" in r.output
    assert store_bytes(home) is None


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("plan", "--hours").exit_code == 2
    assert cli("done").exit_code == 2
    assert cli("plan", "--hours", "0").exit_code == 2  # InputError maps to usage status


def _all_commands() -> list[list[str]]:
    group = typer.main.get_command(app)
    out = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        if subs:
            out += [[name, sub] for sub in subs]
        else:
            out.append([name])
    return out


@pytest.mark.parametrize("command", _all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(runner, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = runner.invoke(app, [*command, "--help"])
    assert r.exit_code == 0
    assert "Example" in r.output, f"`mlpath {' '.join(command)} --help` needs an example"


def test_no_color_when_piped(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("plan", "--hours", "10")
    assert "\x1b[" not in r.output
