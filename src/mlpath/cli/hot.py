"""What the hot commands print, shared by the Typer CLI and the fast path.

Each function takes already-parsed arguments, calls the library and renders;
errors propagate as :class:`mlpath.errors.MlpathError` for the caller to report.
Nothing here imports Typer, so that :mod:`mlpath.cli.fast` can run these commands
without paying for it.
"""

from __future__ import annotations

import contextlib
import sys
from datetime import date
from pathlib import Path

from mlpath.app.session import Session, parse_date
from mlpath.errors import MlpathError

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any


def console() -> Any:
    """The console for a command's output: data is always shown as plain, clean text."""
    from mlpath.cli.text import console as safe_console

    return safe_console()


def report_error(exc: MlpathError) -> None:
    """Print a learner-facing error (and its hint) to stderr."""
    from mlpath.cli.text import err_console, error_line

    body = exc.message + (f"\n{exc.hint}" if exc.hint else "")
    err_console().print(error_line("Error:", body))  # continuation lines under the message


def report_warning(message: str) -> None:
    """Print a warning to stderr; a failure to print it is ignored (it is only a warning)."""
    from mlpath.cli.text import err_console, error_line

    with contextlib.suppress(OSError, ValueError):
        err_console().print(error_line("Warning:", message, "bold yellow"))


def output_failed(exc: OSError) -> int:
    """The exit status after an OS error that escaped a command (most often: its output
    could not be written, as with ``> /dev/full`` or a closed pipe).

    A change that was already saved stays saved: the error is then a warning that says
    so, and the status is 0, so that a script does not retry and record it twice.
    Otherwise it is an error (status 1), and nothing was changed: saves are atomic.
    """
    from mlpath.store.file import saved_this_process

    reason = exc.strerror or str(exc) or type(exc).__name__
    if saved_this_process():
        report_warning(
            f"Your change was saved, but mlpath could not finish afterwards ({reason}). "
            "Do not run the command again."
        )
        return 0
    with contextlib.suppress(OSError, ValueError):
        report_error(MlpathError(f"Could not finish: {reason}. Nothing was changed."))
    return 1


def json_text(data: Any) -> str:
    """``data`` as indented JSON whose text is safe to print and encode as UTF-8."""
    from mlpath.domain.text import dumps_json

    return dumps_json(data)


def emit_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


def show_next(curriculum: Path | None, as_json: bool) -> None:
    sys.stdout.write(next_screen(curriculum, as_json)[0])


def next_screen(curriculum: Path | None, as_json: bool) -> tuple[str, float]:
    """What ``next`` prints, and until when (epoch seconds) it stays the same
    (:func:`mlpath.app.review.unchanged_until`; see :mod:`mlpath.cli.screens`)."""
    from mlpath.app import study as commands
    from mlpath.app.review import due_summary, unchanged_until

    s = Session(curriculum_path=curriculum)
    nxt, state = commands.whats_next(s)
    reviews = due_summary(s, state)
    expires = unchanged_until(s, state)
    if as_json:
        return json_text({**commands.next_json(nxt, state), "reviews": reviews}) + "\n", expires
    from mlpath.cli.render import next_view, reviews_line

    lab = "passed" if nxt.topic and nxt.topic.id in state.labs_passed else None
    out = console()
    with out.capture() as captured:
        out.print(next_view(nxt, s.curriculum, lab))
        if reviews["due"]:
            out.print(reviews_line(reviews, s.curriculum), markup=False)
    return captured.get(), expires


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
    sys.stdout.write(report_screen(curriculum, as_json)[0])


def report_screen(curriculum: Path | None, as_json: bool) -> tuple[str, float]:
    """What ``report`` prints, and until when it stays the same (as :func:`next_screen`)."""
    from mlpath.app import study as commands
    from mlpath.app.review import retention, unchanged_until

    s = Session(curriculum_path=curriculum)
    rep = commands.build_report(s)
    state = s.state(s.store.load(events=False))
    kept = retention(s, state)
    expires = unchanged_until(s, state, recall_shown=True)
    if as_json:
        return json_text({**rep.as_dict(), "retention": kept}) + "\n", expires
    from mlpath.cli.render import report_view, retention_view

    titles = {t.id: t.title for t in s.curriculum.topics}
    out = console()
    with out.capture() as captured:
        out.print(report_view(rep, titles))
        if kept["scheduled_topics"]:
            out.print(retention_view(kept, s.curriculum))
    return captured.get(), expires


def show_week(curriculum: Path | None, as_json: bool) -> None:
    sys.stdout.write(week_screen(curriculum, as_json)[0])


def week_screen(curriculum: Path | None, as_json: bool) -> tuple[str, float]:
    """What ``week`` prints, and until when it stays the same (as :func:`next_screen`)."""
    from mlpath.app import journey
    from mlpath.app.review import unchanged_until

    s = Session(curriculum_path=curriculum)
    data = journey.this_week(s)
    expires = unchanged_until(s, s.state(s.store.load(events=False)))
    if as_json:
        return json_text(data) + "\n", expires
    from mlpath.cli.render_journey import week_view

    out = console()
    with out.capture() as captured:
        out.print(week_view(data))
    return captured.get(), expires


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
    lines = [(line, "yellow" if line.startswith("Note") else None) for line in outcome["messages"]]
    lines.append((outcome["footnote"], "dim"))
    from mlpath.cli.plain import printed

    text = printed(lines)
    if text is not None:  # the same bytes as below, without importing Rich
        sys.stdout.write(text)
        return
    out = console()
    for line, style in lines:
        out.print(line, style=style, markup=False)
