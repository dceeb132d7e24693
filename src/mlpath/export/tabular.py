"""The plan as a spreadsheet (CSV, one row per topic) and as JSON (plan plus progress)."""

from __future__ import annotations

import csv
import io

from mlpath.domain.text import clean, dumps_json
from mlpath.export.snapshot import Snapshot

CSV_COLUMNS = ("topic", "title", "phase", "hours", "weeks", "status")
JSON_FORMAT_VERSION = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would otherwise start a formula."""
    text = clean(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(snap: Snapshot) -> str:
    """One row per topic: id, title, phase, planned hours, plan weeks (space-separated), status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in snap.rows:
        writer.writerow(
            [
                row.topic,
                _cell(row.title),
                _cell(row.phase),
                f"{row.hours:g}",
                " ".join(map(str, row.weeks)),
                row.status,
            ]
        )
    return buffer.getvalue()


def to_json(snap: Snapshot) -> str:
    """The plan, the profile, each topic's status and the progress report, as one JSON document."""
    state = snap.state
    doc = {
        "format": "mlpath-export",
        "version": JSON_FORMAT_VERSION,
        "exported_on": snap.today.isoformat(),
        "curriculum": snap.curriculum.title,
        "profile": snap.profile.to_dict(),
        "plan": snap.plan.to_dict(),
        "topics": [row.as_dict() for row in snap.rows],
        "progress": {
            "done": {tid: day.isoformat() for tid, day in sorted(state.done.items())},
            "logged_hours": {tid: round(h, 2) for tid, h in sorted(state.logged.items())},
            "labs_passed": {tid: day.isoformat() for tid, day in sorted(state.labs_passed.items())},
        },
        # the report without its "recent" event list, which repeats the store
        "report": {k: v for k, v in snap.report.as_dict().items() if k != "recent"},
    }
    return dumps_json(doc) + "\n"
