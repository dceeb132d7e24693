"""Every screen at 60, 80 and 120 columns: no id or URL is cut, nothing runs past the width."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from mlpath.cli.app import app
from mlpath.domain.curriculum import load

WIDTHS = (60, 80, 120)
BORDERS = re.compile(r"[\s│┃╭╮╰╯─━┏┓┗┛┡┩╇┳┻╋┃]")
LONG = "conditional-probability-independence"  # the longest id of the bundled curriculum


@pytest.fixture
def mlpath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run mlpath on the bundled curriculum at a given width: mlpath(80, "next")."""
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MLPATH_LABS", str(tmp_path / "labs"))
    monkeypatch.setenv("MLPATH_TODAY", "2026-11-24")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("MLPATH_CURRICULUM", raising=False)
    runner = CliRunner()

    def run(width: int, *args: str) -> str:
        r = runner.invoke(app, list(args), env={"COLUMNS": str(width)}, catch_exceptions=False)
        assert r.exit_code in (0, 1), r.output
        return r.stdout

    return run


def assert_whole(
    out: str, width: int, ids: list[str], urls: list[str] | None = None, fit: bool = True
) -> None:
    """Each id stands whole on one line; each URL is whole once borders and folds are removed.

    ``fit``: no line is wider than the terminal (the text graph is a plain-text export,
    whose long lines the terminal wraps).
    """
    lines = out.splitlines()
    assert "…" not in out
    assert not fit or all(cell_len(line) <= width for line in lines), max(lines, key=cell_len)
    for tid in ids:
        pattern = re.compile(rf"(?<![\w-]){re.escape(tid)}(?![\w-])")
        assert any(pattern.search(line) for line in lines), f"{tid} cut at {width} columns"
    squashed = BORDERS.sub("", out)
    for url in urls or ():
        assert url in squashed, f"{url} cut at {width} columns"


def urls_of(topic_id: str) -> list[str]:
    return [r.url for r in load(None).by_id[topic_id].resources]


@pytest.mark.parametrize("width", WIDTHS)
def test_plan_topics_and_report(mlpath, width: int) -> None:  # type: ignore[no-untyped-def]
    plan = json.loads(mlpath(width, "plan", "--hours", "10", "--json"))
    out = mlpath(width, "plan")
    assert_whole(out, width, plan["topics"])
    assert f"{len(plan['topics'])} topics · " in out and "1 topics" not in out
    topics = json.loads(mlpath(width, "topics", "--json"))
    assert_whole(mlpath(width, "topics"), width, [t["id"] for t in topics])
    mlpath(width, "done", "vectors", "--hours", "2")
    mlpath(width, "log", LONG, "1.5")
    assert_whole(mlpath(width, "report"), width, [])


@pytest.mark.parametrize("width", WIDTHS)
def test_plan_columns_line_up_across_weeks(mlpath, width: int) -> None:  # type: ignore[no-untyped-def]
    plan = json.loads(mlpath(width, "plan", "--hours", "10", "--json"))
    out = mlpath(width, "plan")
    columns = set()
    for line in out.splitlines():
        for tid in plan["topics"]:
            m = re.search(rf"(?:^|\s\s){re.escape(tid)}(?:\s\s|$)", line.rstrip() + "  ")
            if m:
                columns.add(m.start() + m.group().index(tid))
    assert len(columns) == 1, columns


@pytest.mark.parametrize("width", WIDTHS)
def test_next_and_show(mlpath, width: int) -> None:  # type: ignore[no-untyped-def]
    mlpath(width, "plan", "--hours", "10")
    nxt = json.loads(mlpath(width, "next", "--json"))
    tid = nxt["topic"]["id"]
    ready = [t["id"] for t in nxt["ready"][:5]]
    assert_whole(mlpath(width, "next"), width, [tid, *ready], urls_of(tid))
    for topic in (LONG, "feature-engineering", "vectors"):
        assert_whole(mlpath(width, "show", topic), width, [topic], urls_of(topic))


@pytest.mark.parametrize("width", WIDTHS)
def test_progress_and_lab_screens(mlpath, width: int) -> None:  # type: ignore[no-untyped-def]
    mlpath(width, "plan", "--hours", "10")
    assert_whole(mlpath(width, "done", LONG, "--hours", "1"), width, [LONG])
    assert_whole(mlpath(width, "log", LONG, "1"), width, [LONG])
    assert_whole(mlpath(width, "undo"), width, [LONG])
    lab_topic = "partial-derivatives-gradients"
    assert_whole(mlpath(width, "lab", lab_topic), width, [lab_topic])
    assert_whole(mlpath(width, "check", lab_topic), width, [lab_topic])
    assert_whole(mlpath(width, "hint", lab_topic), width, [lab_topic])
    assert_whole(mlpath(width, "graph", "--goal", "bayes-theorem"), width, [LONG], fit=False)
    assert_whole(mlpath(width, "curriculum", "check"), width, [])
    assert_whole(mlpath(width, "store", "list"), width, [])


def test_urls_are_hyperlinks_on_a_terminal() -> None:
    from mlpath.cli.render import resources_table

    topic = load(None).by_id["feature-engineering"]
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, color_system="standard", width=60).print(
        resources_table(topic)
    )
    for r in topic.resources:
        assert f";{r.url}\x1b\\" in buffer.getvalue()  # OSC 8: ESC ] 8 ; params ; URL ST


def test_plurals_and_one_percent_rule(mlpath) -> None:  # type: ignore[no-untyped-def]
    mlpath(80, "plan", "--hours", "10", "--goal", "vectors")
    assert "1 topic · 4 h · 1 week at" in mlpath(80, "plan")
    mlpath(80, "plan", "--goal", "all")
    done = mlpath(80, "done", "matrices")
    report = json.loads(mlpath(80, "report", "--json"))
    assert f"overall {report['percent']:g}%" in done
