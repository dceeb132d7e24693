"""Exports open in the tools people use for them: each test parses or renders what it exports.

ics: parsed back with icalendar · md: rendered with markdown-it-py (task lists) ·
csv: read with csv.DictReader · json: json.loads · dot: rendered by Graphviz's `dot`.
The browser checks (HTML page, Mermaid) are in test_export_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.domain.curriculum import from_document
from mlpath.domain.planner import Plan, Profile, make_plan, pack_weeks
from mlpath.domain.progress import State
from mlpath.export import Snapshot, export
from mlpath.export import graph as graph_mod
from mlpath.export.ics import IcsOptions, parse_days, sessions, store_identity
from mlpath.export.tabular import CSV_COLUMNS
from tests.conftest import TODAY, tiny_document, topic

PLANNED_TOPICS = [
    "vectors",
    "calculus",
    "probability",
    "regression",
    "classification",
    "networks",
    "torch",
    "deploy",
]  # the tiny track at 10 h/week: 38 h over 4 weeks


@pytest.fixture
def planned(cli):  # type: ignore[no-untyped-def]
    r = cli("plan", "--hours", "10")
    assert r.exit_code == 0, r.output
    return cli


def calendar(text: str):  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    return Calendar.from_ical(text)


def events(text: str) -> list:  # type: ignore[type-arg]
    return list(calendar(text).walk("VEVENT"))


def hours_of(event) -> float:  # type: ignore[no-untyped-def]
    return (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() / 3600


# ----------------------------------------------------------------------------- ics


def test_ics_parses_back_with_sessions_on_the_chosen_days_at_the_chosen_time(planned) -> None:  # type: ignore[no-untyped-def]
    r = planned(
        "export",
        "--format",
        "ics",
        "--days",
        "mon,wed,sat",
        "--time",
        "07:30",
        "--tz",
        "Europe/Paris",
    )
    assert r.exit_code == 0, r.output
    cal = calendar(r.stdout)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    found = events(r.stdout)
    # 10 h a week over 3 days: 3 sessions in each of the 4 weeks (the last, 8 h, ends early)
    assert len(found) == 12
    assert sum(hours_of(e) for e in found) == pytest.approx(38)
    starts = [e.decoded("dtstart") for e in found]
    assert all(s.time() == time(7, 30) and s.weekday() in (0, 2, 5) for s in starts)
    assert all(e["dtstart"].params["TZID"] == "Europe/Paris" for e in found)
    assert all(str(s.tzinfo) == "Europe/Paris" for s in starts)
    assert len({s.date() for s in starts}) == len(starts)  # at most one session a day
    assert min(starts).date() >= TODAY and max(starts).date() <= TODAY + timedelta(days=27)
    first = found[0]
    assert (
        str(first["summary"]) == "Study: Vectors + Calculus"
    )  # 3 h 20 min: vectors, then calculus
    description = str(first["description"])
    assert "Explain vectors" in description and "https://example.org/vectors" in description
    assert "Explain calculus" in description
    assert first.decoded("dtstamp").tzinfo is not None and "uid" in first


def test_ics_defaults_to_weekday_evenings_in_the_system_time_zone(planned, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    found = events(planned("export", "--format", "ics").stdout)
    starts = [e.decoded("dtstart") for e in found]
    assert all(s.weekday() < 5 and s.time() == time(19, 0) for s in starts)
    assert {e["dtstart"].params["TZID"] for e in found} == {"Asia/Tokyo"}
    # full weeks are shared evenly: 10 h over 5 days is 2 h a session
    assert [hours_of(e) for e in found[:5]] == [2.0] * 5
    assert sum(hours_of(e) for e in found) == pytest.approx(38)


def test_ics_uids_are_stable_when_progress_or_the_plan_changes(planned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "study.ics"
    assert planned("export", "--format", "ics", "-o", str(out), "--tz", "UTC").exit_code == 0
    before = {str(e["uid"]): e for e in events(out.read_text())}
    assert len(before) == len(events(out.read_text()))  # one UID per session

    planned("done", "vectors")
    assert (
        planned("export", "--format", "ics", "-o", str(out), "--tz", "UTC", "--force").exit_code
        == 0
    )
    after = {str(e["uid"]): e for e in events(out.read_text())}
    assert set(after) == set(before)  # re-importing replaces the same sessions
    first = min(after.values(), key=lambda e: e.decoded("dtstart"))
    assert "Vectors (vectors) · 2 h ✓ done" in str(first["description"])
    assert all(int(after[u]["sequence"]) > int(before[u]["sequence"]) for u in after)

    # a new plan a week later: the sessions on the same dates keep their UIDs
    planned("plan", "--hours", "10", today="2026-12-01")
    replanned = {
        str(e["uid"]): e.decoded("dtstart").date()
        for e in events(planned("export", "--format", "ics", "--tz", "UTC").stdout)
    }
    old = {str(e["uid"]): e.decoded("dtstart").date() for e in before.values()}
    shared_dates = set(old.values()) & set(replanned.values())
    assert shared_dates
    assert {u for u, d in old.items() if d in shared_dates} == {
        u for u, d in replanned.items() if d in shared_dates
    }


def test_ics_of_a_finished_plan_says_there_is_nothing_to_schedule(planned) -> None:  # type: ignore[no-untyped-def]
    for tid in PLANNED_TOPICS:
        planned("done", tid)
    planned("plan", "--strategy", "phases")
    r = planned("export", "--format", "ics")
    assert r.exit_code == 1 and "no study sessions left" in r.output
    assert planned("export", "--format", "html").exit_code == 0


def test_store_identity_is_stable_and_tells_stores_apart() -> None:
    first = [{"seq": 1, "type": "plan", "at": "2026-11-24T10:00:00+00:00"}]
    later = [*first, {"seq": 2, "type": "done", "at": "2026-12-01T10:00:00+00:00"}]
    other = [{"seq": 1, "type": "plan", "at": "2026-11-24T10:00:01+00:00"}]
    assert store_identity(first) == store_identity(later) != store_identity(other)
    assert re.fullmatch(r"[0-9a-f]{12}", store_identity(first))


def test_parse_days_accepts_names_in_any_case() -> None:
    assert parse_days("Mon, wednesday,SAT") == (0, 2, 5)
    assert parse_days("sun,sun") == (6,)


@settings(max_examples=60, deadline=None)
@given(
    hours_per_week=st.sampled_from([0.5, 1, 2.5, 6, 7, 10, 13.25, 40]),
    topic_hours=st.lists(st.sampled_from([0.25, 1, 1.5, 3, 4.75, 12]), min_size=1, max_size=12),
    days=st.sets(st.integers(0, 6), min_size=1),
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
)
def test_sessions_pour_every_planned_minute_in_order_into_the_chosen_days(
    hours_per_week: float, topic_hours: list[float], days: set[int], start: date
) -> None:
    order = [(f"t{i}", round(h * 60)) for i, h in enumerate(topic_hours)]
    weeks = pack_weeks(order, hours_per_week, start)
    plan = Plan(
        topics=tuple(t for t, _ in order),
        weeks=tuple(weeks),
        total_hours=0,
        finish=None,
        hours_per_week=hours_per_week,
        start=start,
    )
    found = sessions(plan, tuple(sorted(days)))
    planned_minutes = sum(round(i.hours * 60) for w in weeks for i in w.items)
    assert sum(s.minutes for s in found) == planned_minutes
    for s in found:
        week = weeks[s.week - 1]
        assert week.start <= s.day <= week.end and s.day.weekday() in days
        assert s.minutes > 0
    assert len({s.day for s in found}) == len(found)
    # concatenating the sessions gives back the plan's topics in order
    flat = [t for s in found for t, _ in s.parts]
    assert [t for i, t in enumerate(flat) if i == 0 or flat[i - 1] != t] == [t for t, _ in order]


# ----------------------------------------------------------------------------- md


def render_markdown(text: str) -> str:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.tasklists import tasklists_plugin

    return MarkdownIt("commonmark").use(tasklists_plugin).render(text)


def checked_items(page: str) -> dict[str, bool]:
    """Task-list items of the rendered page: the topic id in each, and whether it is ticked."""
    out: dict[str, bool] = {}
    for item in re.findall(r'<li class="task-list-item">(.*?)</li>', page, re.S):
        tid = re.search(r"<code>([a-z0-9-]+)</code>", item)
        assert tid, item
        out.setdefault(tid.group(1), 'checked="checked"' in item)
    return out


def test_markdown_renders_with_checkboxes_that_reflect_progress(planned) -> None:  # type: ignore[no-untyped-def]
    planned("done", "vectors")
    planned("done", "probability", "--hours", "4")
    text = planned("export", "--format", "md").stdout
    page = render_markdown(text)
    ticks = checked_items(page)
    assert set(ticks) == set(PLANNED_TOPICS)
    assert {t for t, ticked in ticks.items() if ticked} == {"vectors", "probability"}
    assert page.count("<h3>Week ") == 4
    assert '<a href="https://example.org/regression">regression notes</a>' in page
    assert "<li>Explain networks</li>" in page and "Study plan: Tiny ML</h1>" in page


def test_markdown_escapes_curriculum_text(home: Path, runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mlpath.cli.app import app

    doc = tiny_document()
    doc["topics"][0]["title"] = "Vectors *and* <script>alert(1)</script> [x](javascript:evil)"
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc))
    monkeypatch.setenv("MLPATH_CURRICULUM", str(path))
    runner.invoke(app, ["plan", "--hours", "10"])
    page = render_markdown(runner.invoke(app, ["export", "--format", "md"]).stdout)
    assert "<script>" not in page and "<em>" not in page and 'href="javascript' not in page
    assert "Vectors *and* &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:evil)" in page


# ----------------------------------------------------------------------------- csv / json


def test_csv_reads_back_one_row_per_topic(planned) -> None:  # type: ignore[no-untyped-def]
    planned("done", "vectors")
    planned("log", "calculus", "1")
    text = planned("export", "--format", "csv").stdout
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    assert (
        tuple(reader.fieldnames or ())
        == CSV_COLUMNS
        == (
            "topic",
            "title",
            "phase",
            "estimate_hours",
            "remaining_hours",
            "weeks",
            "week_starts",
            "status",
        )
    )
    assert [r["topic"] for r in rows][: len(PLANNED_TOPICS)] == PLANNED_TOPICS
    by_id = {r["topic"]: r for r in rows}
    assert by_id["vectors"] == {
        "topic": "vectors",
        "title": "Vectors",
        "phase": "Math",
        "estimate_hours": "3",
        "remaining_hours": "0",
        "weeks": "1",
        "week_starts": "2026-11-24",
        "status": "done",
    }
    assert by_id["calculus"]["status"] == "in progress" and by_id["deploy"]["status"] == "planned"
    assert sum(float(by_id[t]["estimate_hours"]) for t in PLANNED_TOPICS) == pytest.approx(38)
    assert sum(float(r["remaining_hours"]) for r in rows if r["topic"] in PLANNED_TOPICS) == (
        pytest.approx(38 - 3 - 1)  # vectors done, 1 h logged on calculus
    )
    assert by_id["networks"]["week_starts"] == "2026-12-08 2026-12-15"
    assert by_id["networks"]["weeks"] == "3 4"  # 8 h: 7 at the end of week 3, 1 in week 4


def test_csv_lists_known_topics_too(planned) -> None:  # type: ignore[no-untyped-def]
    planned("plan", "--known", "vectors")
    rows = {
        r["topic"]: r for r in csv.DictReader(io.StringIO(planned("export", "-f", "csv").stdout))
    }
    assert rows["vectors"]["status"] == "known" and rows["vectors"]["remaining_hours"] == "0"


def test_markdown_gives_a_split_topic_one_checkbox(planned) -> None:  # type: ignore[no-untyped-def]
    text = planned("export", "--format", "md").stdout
    weeks = text.split("## Topics")[0]
    assert weeks.count("(`networks`)") == 2  # studied in weeks 3 and 4
    assert len(re.findall(r"- \[[ x]\] Networks", text)) == 1


def test_csv_cells_never_start_a_spreadsheet_formula(tiny) -> None:  # type: ignore[no-untyped-def]
    doc = tiny_document()
    doc["topics"][0]["title"] = '=HYPERLINK("http://evil")'
    cur = from_document(doc)
    profile = Profile(hours_per_week=10, start=TODAY)
    snap = Snapshot(cur, profile, make_plan(cur, profile), State(), TODAY)
    row = next(csv.DictReader(io.StringIO(export("csv", snap))))
    assert row["title"] == '\'=HYPERLINK("http://evil")'


def test_json_holds_the_plan_and_the_progress(planned) -> None:  # type: ignore[no-untyped-def]
    planned("done", "vectors", "--hours", "3")
    doc = json.loads(planned("export", "--format", "json").stdout)
    assert doc["format"] == "mlpath-export" and doc["version"] == 1
    assert doc["plan"]["topics"] == PLANNED_TOPICS and doc["plan"]["total_hours"] == 38
    assert len(doc["plan"]["weeks"]) == 4 and doc["plan"]["start"] == TODAY.isoformat()
    assert doc["progress"]["done"] == {"vectors": TODAY.isoformat()}
    assert doc["progress"]["logged_hours"] == {"vectors": 3}
    assert [t["topic"] for t in doc["topics"]][:2] == ["vectors", "calculus"]
    assert doc["report"]["completed_topics"] == 1 and "recent" not in doc["report"]
    assert doc["profile"]["hours_per_week"] == 10


def test_exports_use_the_track_asked_for_without_saving_it(planned, home: Path) -> None:  # type: ignore[no-untyped-def]
    before = (home / "progress.json").read_bytes()
    rows = list(
        csv.DictReader(
            io.StringIO(planned("export", "--format", "csv", "--track", "tensorflow").stdout)
        )
    )
    ids = [r["topic"] for r in rows]
    assert "keras" in ids and "torch" not in ids
    assert (home / "progress.json").read_bytes() == before
    bad = planned("export", "--format", "csv", "--track", "jax")
    assert bad.exit_code == 2 and "--track must be one of" in bad.output


# ----------------------------------------------------------------------------- writing files


def test_output_file_is_replaced_only_when_confirmed_or_forced(
    planned, tmp_path: Path, runner
) -> None:  # type: ignore[no-untyped-def]
    from mlpath.cli.app import app

    out = tmp_path / "plan.md"
    r = planned("export", "--format", "md", "-o", str(out))
    assert r.exit_code == 0 and "Wrote" in r.output
    assert out.read_text().startswith("# Study plan: Tiny ML")

    out.write_text("my notes")
    refused = planned("export", "--format", "md", "-o", str(out))  # no input: not interactive
    assert refused.exit_code == 1
    assert "already exists" in refused.output and "--force" in refused.output
    assert "Traceback" not in refused.output
    assert out.read_text() == "my notes"

    declined = runner.invoke(app, ["export", "--format", "md", "-o", str(out)], input="n\n")
    assert declined.exit_code == 1 and out.read_text() == "my notes"
    accepted = runner.invoke(app, ["export", "--format", "md", "-o", str(out)], input="y\n")
    assert accepted.exit_code == 0 and out.read_text().startswith("# Study plan")

    out.write_text("again")
    assert planned("export", "--format", "csv", "-o", str(out), "--force").exit_code == 0
    assert out.read_text().startswith("topic,title")


def test_output_into_a_missing_folder_is_a_clear_error(planned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = planned("export", "--format", "md", "-o", str(tmp_path / "nope" / "plan.md"))
    assert r.exit_code == 1 and "does not exist" in r.output
    r = planned("export", "--format", "md", "-o", str(tmp_path))
    assert r.exit_code == 1 and "is a folder" in r.output


EXPORT_ERRORS = [
    (["export", "--format", "pdf"], "--format must be one of ics, md, csv, json, html"),
    (["export", "--format", "md", "--days", "mon"], "only apply to --format ics"),
    (["export", "--format", "ics", "--days", "funday"], "--days must list weekdays"),
    (["export", "--format", "ics", "--time", "25:00"], "--time must be a time of day"),
    (["export", "--format", "ics", "--time", "7pm"], "--time must be a time of day"),
    (["export", "--format", "ics", "--tz", "Mars/Olympus"], "--tz must be an IANA time zone"),
    (["graph", "--format", "png"], "--format must be one of text, mermaid, dot"),
    (["graph", "--goal", "nope"], "No topic matches"),
    (["graph", "--goal", "keras"], "tensorflow track"),
]


@pytest.mark.parametrize(("args", "message"), EXPORT_ERRORS)
def test_bad_export_options_exit_non_zero_with_a_message(
    planned, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    r = planned(*args)
    assert r.exit_code != 0
    assert message.lower() in r.output.lower()
    assert "Traceback" not in r.output


@pytest.mark.parametrize("fmt", ["ics", "md", "csv", "json", "html"])
def test_every_export_without_a_plan_says_how_to_make_one(cli, fmt: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("export", "--format", fmt)
    assert r.exit_code == 1
    assert "no study plan yet" in r.output.lower() and "mlpath plan --hours" in r.output


def test_exports_honour_the_curriculum_option(planned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tiny_document()
    doc["title"] = "Other ML"
    doc["topics"][0]["title"] = "Vectors, renamed"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(doc))
    text = planned("export", "--format", "md", "--curriculum", str(other)).stdout
    assert "# Study plan: Other ML" in text and "Vectors, renamed" in text


# ----------------------------------------------------------------------------- graph


def test_graph_text_draws_what_a_goal_needs_with_done_topics_ticked(planned) -> None:  # type: ignore[no-untyped-def]
    planned("done", "vectors")
    r = planned("graph", "--goal", "regression")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1:] == [
        "○ Regression (regression)",
        "├── ✓ Vectors (vectors)",
        "└── ○ Calculus (calculus)",
    ]
    whole = planned("graph").stdout
    assert (
        whole.count("○ Deploy (deploy)") == 1 and "Keras" not in whole and "Extra Reading" in whole
    )


def test_graph_text_draws_a_shared_prerequisite_in_full_once() -> None:
    doc = tiny_document()
    doc["topics"] = [
        topic("base", "math"),
        topic("mid", "math", ["base"]),
        topic("left", "ml", ["mid"]),
        topic("right", "ml", ["mid"]),
        topic("top", "dl", ["left", "right"]),
    ]
    text = graph_mod.render(from_document(doc), "text", track="pytorch", goals=["top"])
    assert text.splitlines()[1:] == [
        "○ Top (top)",
        "├── ○ Left (left)",
        "│   └── ○ Mid (mid)",
        "│       └── ○ Base (base)",
        "└── ○ Right (right)",
        "    └── ○ Mid (mid) … see above",
    ]


def test_graph_dot_renders_with_graphviz(planned, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz's `dot` is not installed (Debian: apt-get install graphviz)")
    planned("done", "vectors")
    source = planned("graph", "--format", "dot", "--goal", "classification").stdout
    svg = subprocess.run(
        [dot, "-Tsvg"], input=source.encode(), capture_output=True, check=True, timeout=60
    )
    page = svg.stdout.decode()
    assert page.lstrip().startswith("<?xml") and "<svg" in page
    assert page.count('class="node"') == 5 and page.count('class="edge"') == 4
    assert "✓ Vectors" in page and "#dcfce7" in page  # the done topic is marked
    assert "Networks" not in page
    broken = subprocess.run(
        [dot, "-Tsvg"], input=source.replace("->", "=>").encode(), capture_output=True, timeout=60
    )
    assert broken.returncode != 0  # the check can fail


def test_graph_sources_escape_odd_titles() -> None:
    doc = tiny_document()
    doc["topics"].append(topic("quotes", "math", hours=1))
    doc["topics"][-1]["title"] = 'Say "hi" \\ <b>#1</b>'
    cur = from_document(doc)
    dot = graph_mod.render(cur, "dot", track="pytorch", goals=["quotes"])
    assert '[label="Say \\"hi\\" \\\\ <b>#1</b>"]' in dot
    mermaid = graph_mod.render(cur, "mermaid", track="pytorch", goals=["quotes"])
    assert '["Say #quot;hi#quot; \\ #lt;b#gt;#35;1#lt;/b#gt;"]' in mermaid


def test_graph_mermaid_marks_done_topics(planned) -> None:  # type: ignore[no-untyped-def]
    planned("done", "calculus")
    text = planned("graph", "--format", "mermaid", "--track", "tensorflow").stdout
    assert text.startswith("flowchart TD")
    assert '["Calculus ✓"]' in text and "Keras" in text and "Torch" not in text
    node = re.search(r'(n\d+)\["Calculus ✓"\]', text)
    assert node and f"class {node.group(1)} done" in text


def test_graph_works_without_a_plan(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("graph", "--goal", "networks", "--format", "mermaid")
    assert r.exit_code == 0 and r.stdout.count("-->") == 5


# ----------------------------------------------------------------------------- purity


def test_exports_are_pure_functions_of_their_inputs(tiny) -> None:  # type: ignore[no-untyped-def]
    profile = Profile(hours_per_week=10, start=TODAY)
    snap = Snapshot(tiny, profile, make_plan(tiny, profile), State(done={"vectors": TODAY}), TODAY)
    options = IcsOptions(stamp=datetime(2026, 1, 1, 12), identity="abc")
    for fmt in ("md", "csv", "json", "html"):
        assert export(fmt, snap) == export(fmt, snap)
    assert export("ics", snap, options) == export("ics", snap, options)
