"""The learner's journey through the CLI: re-plans, week, history, skip, reopen, guidance.

The tiny curriculum (conftest): the pytorch track without the optional topic is
vectors 3 + calculus 5 + probability 4 + regression 6 + classification 5 + networks 8
+ torch 4 + deploy 3 = 38 h. TODAY is Tue 24 Nov 2026.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mlpath.store import migrations

FIXTURE = Path(__file__).parents[1] / "store" / "fixtures" / "v1_release.json"


def js(cli: Any, *args: str, today: str | None = None) -> Any:
    r = cli(*args, "--json", today=today)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def store_bytes(home: Path) -> bytes:
    return (home / "progress.json").read_bytes()


def test_plan_without_options_prints_the_saved_plan_and_writes_nothing(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "4")
    cli("log", "calculus", "1")
    before = store_bytes(home)
    r = cli("plan", today="2026-12-20")
    assert r.exit_code == 0 and "Week 1 · Tue 24 Nov 2026" in r.output
    saved = js(cli, "plan", today="2026-12-20")
    assert saved["start"] == "2026-11-24" and saved["hours_per_week"] == 4
    assert store_bytes(home) == before


def test_dry_run_shows_the_change_and_saves_nothing(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "4")
    before = store_bytes(home)
    change = js(cli, "plan", "--hours", "8", "--dry-run")
    assert change["saved"] is False and change["weeks"] == {"before": 10, "after": 5}
    assert change["hours_per_week"] == {"before": 4, "after": 8}
    narrowed = js(cli, "plan", "--goal", "regression", "--dry-run")
    assert set(narrowed["dropped"]) == {
        "probability",
        "classification",
        "networks",
        "torch",
        "deploy",
    }
    human = cli("plan", "--hours", "8", "--dry-run").output
    assert "Dry run: nothing was saved." in human and "Weeks: 10 → 5" in human
    assert store_bytes(home) == before
    r = cli("plan", "--dry-run")
    assert r.exit_code != 0 and "needs a planning option" in r.output


def test_six_month_journey_with_four_replans(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    # Day 1, Tue 24 Nov: 4 h/week. Week 1 is Tue 24 – Mon 30 Nov. A plan's line starts
    # where the learner stands when it is made: its own hours through the end of that
    # day (4/7 h = 0.57 h) are the offset, so planned to date is 0 and ahead is 0.
    cli("plan", "--hours", "4")
    rep = js(cli, "report")
    assert rep["planned_to_date"] == 0 and rep["ahead_hours"] == 0
    # Mon 30 Nov (end of week 1): vectors done (3 h). Planned 4 - 0.57 = 3.43 h.
    cli("done", "vectors", today="2026-11-30")
    rep = js(cli, "report", today="2026-11-30")
    assert rep["done_hours"] == 3 and rep["planned_to_date"] == 3.43
    assert rep["ahead_hours"] == -0.43
    # Sun 20 Dec: 2 h logged on calculus count as done hours (5). Planned: weeks 1–3 (12 h)
    # and 6 of week 4's 7 days (3.43 h) = 15.43, less 0.57 = 14.86 h: 9.86 h behind,
    # more than a week's 4 h.
    cli("log", "calculus", "2", today="2026-12-20")
    rep = js(cli, "report", today="2026-12-20")
    assert rep["done_hours"] == 5 and rep["percent"] == pytest.approx(13.2)  # 5/38
    assert rep["ahead_hours"] == pytest.approx(-9.86)
    commands = [w["command"] for w in rep["behind"]["ways_out"]]
    assert commands[0] == "mlpath plan --hours 4"
    assert "behind" in cli("next", today="2026-12-20").output
    assert "Ways out" in cli("week", today="2026-12-20").output
    pace_before = rep["pace"]
    # Re-plan 1, Mon 21 Dec, at 6 h/week: exactly on track; the burn-up keeps weeks 1–3.
    cli("plan", "--hours", "6", today="2026-12-21")
    rep = js(cli, "report", today="2026-12-21")
    assert rep["ahead_hours"] == 0 and rep["planned_to_date"] == 5
    assert [w["week"] for w in rep["burnup"]] == [1, 2, 3, 4]
    assert [w["done_hours"] for w in rep["burnup"]] == [3, 3, 3, 5]
    assert rep["burnup"][3]["plan_changed"] and rep["pace"]["basis"] == "last 4 weeks"
    # next continues calculus (2 of 5 h logged) before anything new
    assert js(cli, "next", today="2026-12-21")["topic"]["id"] == "calculus"
    # Mon 28 Dec: 3 h more and calculus done: 3 + 5 = 8 h. The new plan gave week 4 its
    # last day (6/7 h = 0.85 h) and week 5 (Tue 22 – Mon 28 Dec) 6 h: planned
    # 5 + 0.85 + 6 - 0.85 = 11 h, 3 h behind.
    cli("log", "calculus", "3", today="2026-12-28")
    cli("done", "calculus", today="2026-12-28")
    rep = js(cli, "report", today="2026-12-28")
    assert rep["done_hours"] == 8 and rep["planned_to_date"] == 11 and rep["ahead_hours"] == -3
    # Re-plan 2, a narrowed goal: pace is the learner's, not the plan's.
    cli("plan", "--goal", "regression", today="2026-12-28")
    narrowed = js(cli, "report", today="2026-12-28")
    assert narrowed["ahead_hours"] == 0 and narrowed["pace"] == rep["pace"]
    assert narrowed["total_hours"] == 14  # vectors 3, calculus 5, regression 6
    # Re-plan 3, back to the whole track and onto tensorflow, with torch done before:
    cli("plan", "--goal", "all", today="2027-01-04")
    cli("done", "torch", today="2027-01-10")
    cli("plan", "--track", "tensorflow", today="2027-01-11")
    rep = js(cli, "report", today="2027-01-11")
    assert rep["outside_plan"] == {"topics": ["torch"], "count": 1, "hours": 4}
    assert rep["ahead_hours"] == 0 and rep["done_hours"] == 12  # 3 + 5 + torch 4
    assert "1 topic done outside this plan, 4 h" in cli("report", today="2027-01-11").output
    # Re-plan 4: back to pytorch counts torch again.
    cli("plan", "--track", "pytorch", today="2027-01-12")
    rep = js(cli, "report", today="2027-01-12")
    assert rep["outside_plan"]["count"] == 0 and rep["completed_hours"] == 12
    assert rep["ahead_hours"] == 0
    # Week numbers of the past never moved: Tue 12 Jan 2027 is day 50, in week 8.
    assert js(cli, "week", today="2027-01-12")["week"] == 8
    hist = js(cli, "history", today="2027-01-12")
    assert [w["week"] for w in hist["weeks"]] == list(range(1, 9))
    assert sum(len(w["plan_changes"]) for w in hist["weeks"]) == 6  # first plan + 5 re-plans
    flags = [c["baseline"] for w in hist["weeks"] for c in w["plan_changes"]]
    assert flags == [True, False, False, False, False, False]  # only the first is the baseline
    # Six months in (Mon 24 May 2027) with nothing more done: past the plan's end.
    rep = js(cli, "report", today="2027-05-24")
    assert rep["behind"]["warning"].startswith("Your plan ended on")
    assert rep["behind"]["ways_out"][0]["command"] == "mlpath plan --hours 6"
    assert pace_before["basis"] == "last 4 weeks"


def test_week_and_history_carry_their_screens_fields(cli) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "4")
    cli("log", "vectors", "1.5")
    week = js(cli, "week")
    assert week["week"] == 1 and week["days_left"] == 7
    assert week["topics"][0] == {
        "id": "vectors",
        "title": "Vectors",
        "planned_hours": 3,
        "logged_hours": 1.5,
        "done": False,
        "in_plan": True,
    }
    assert {"done_hours", "planned_to_date", "ahead_hours", "pace", "outside_plan"} <= set(week)
    human = cli("week").output
    assert "Week 1" in human and "7 days left" in human and "Vectors" in human
    hist = js(cli, "history")
    assert hist["weeks"][0]["studied_hours"] == 1.5 and hist["weeks"][0]["plan_changes"]
    assert "W1" in cli("history").output


def test_week_start_moves_the_calendar_only_when_asked(cli) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "4")
    cli("plan", "--hours", "5", today="2026-12-03")
    assert js(cli, "week", today="2026-12-03")["start"] == "2026-12-01"  # still Tuesdays
    cli("plan", "--week-start", "monday", today="2026-12-03")
    week = js(cli, "week", today="2026-12-03")
    assert week["start"] == "2026-11-30" and week["week"] == 2
    r = cli("plan", "--week-start", "someday")
    assert r.exit_code != 0 and "--week-start must be a weekday" in r.output


def test_skip_and_reopen_are_recorded_and_undoable(cli) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "4")
    r = cli("skip", "vectors")
    assert r.exit_code == 0 and "counts as known" in r.output
    rep = js(cli, "report")
    assert rep["total_hours"] == 35 and rep["done_hours"] == 0  # known, without hours
    assert "Reverted: skipped Vectors" in cli("undo").output
    assert js(cli, "report")["total_hours"] == 38
    cli("done", "vectors")
    cli("log", "calculus", "1")
    assert cli("reopen", "vectors").exit_code == 0
    rep = js(cli, "report")
    assert rep["completed_topics"] == 0 and rep["logged_hours"] == 1  # the later log stays
    cli("undo")
    assert js(cli, "report")["completed_topics"] == 1
    r = cli("reopen", "calculus")
    assert r.exit_code != 0 and "nothing to reopen" in r.output


@pytest.mark.parametrize(
    "args",
    [["skip", "nope"], ["reopen", "nope"], ["plan", "--week-start", "x"], ["plan", "--dry-run"]],
)
def test_bad_journey_input_changes_nothing(cli, home: Path, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "4")
    before = store_bytes(home)
    r = cli(*args)
    assert r.exit_code != 0 and "Traceback" not in r.output and "Error" in r.output
    assert store_bytes(home) == before


def test_week_and_history_need_a_plan(cli) -> None:  # type: ignore[no-untyped-def]
    for command in ("week", "history"):
        r = cli(command)
        assert r.exit_code != 0 and "no study plan yet" in r.output


def test_a_store_written_by_the_previous_release_loads_and_keeps_every_event(
    cli, home: Path
) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True)
    shutil.copy(FIXTURE, home / "progress.json")
    raw = store_bytes(home)
    old = json.loads(raw)
    # Reading never writes, and the old plans are versions of the journey.
    hist = js(cli, "history", today="2026-06-20")
    assert [c["date"] for w in hist["weeks"] for c in w["plan_changes"]] == [
        "2026-06-01",
        "2026-06-20",
    ]
    assert store_bytes(home) == raw
    assert cli("log", "vectors", "1", today="2026-06-21").exit_code == 0
    new = json.loads(store_bytes(home))
    assert new["schema_version"] == migrations.CURRENT
    assert [e["seq"] for e in new["events"]] == [e["seq"] for e in old["events"]] + [7]
    assert all(e.get("date") for e in new["events"] if e["type"] == "plan")
    kept = list((home / "progress.json.bak").glob("*pre-migration-v1.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == raw
