"""What the hot commands print, shared by the Typer CLI and the fast path.

Each function takes already-parsed arguments, calls the library and renders;
errors propagate as :class:`mlpath.errors.MlpathError` for the caller to report.
Nothing here imports Typer, so that :mod:`mlpath.cli.fast` can run these commands
without paying for it.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from mlpath.app.session import Session, parse_date
from mlpath.errors import MlpathError


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def report_error(exc: MlpathError) -> None:
    """Print a learner-facing error (and its hint) to stderr."""
    from rich.console import Console
    from rich.text import Text

    from mlpath.cli.layout import hanging

    err = Console(stderr=True, highlight=False, emoji=False)
    body = Text(exc.message)
    if exc.hint:
        body.append("\n" + exc.hint)
    err.print(hanging("Error:", body, label_style="bold red"))


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def show_next(curriculum: Path | None, as_json: bool) -> None:
    from mlpath.app import study as commands

    s = Session(curriculum_path=curriculum)
    nxt, state = commands.whats_next(s)
    if as_json:
        emit_json(commands.next_json(nxt, state))
        return
    from mlpath.cli.render import next_view

    lab = "passed" if nxt.topic and nxt.topic.id in state.labs_passed else None
    console().print(next_view(nxt, s.curriculum, lab))


def show_status(curriculum: Path | None) -> None:
    """``mlpath`` alone: today's work and where you stand, or how to start."""
    from mlpath.app import study as commands
    from mlpath.cli.render import status_view
    from mlpath.errors import NoPlan

    s = Session(curriculum_path=curriculum)
    try:
        nxt, state = commands.whats_next(s)
        rep = commands.build_report(s)
        _, plan = s.require_plan(s.store.load(events=False))
    except NoPlan:
        console().print(status_view(None, None, None, s.curriculum, s.today))
        return
    console().print(status_view(nxt, rep, plan, s.curriculum, s.today, state.done))


def show_report(curriculum: Path | None, as_json: bool) -> None:
    from mlpath.app import study as commands

    s = Session(curriculum_path=curriculum)
    rep = commands.build_report(s)
    if as_json:
        emit_json(rep.as_dict())
        return
    from mlpath.cli.render import report_view

    console().print(report_view(rep, {t.id: t.title for t in s.curriculum.topics}))


def mark_done(
    topic: str, hours: float | None, on: str | None, curriculum: Path | None, as_json: bool
) -> None:
    from mlpath.app import study as commands

    s = Session(curriculum_path=curriculum)
    day: date = parse_date(on, s.today) if on else s.today
    outcome = commands.record_done(s, topic, hours=hours, on=day)
    if as_json:
        emit_json(outcome)
        return
    out = console()
    for line in outcome["messages"]:
        out.print(line, style="yellow" if line.startswith("Note") else None, markup=False)
    out.print(outcome["footnote"], style="dim", markup=False)
