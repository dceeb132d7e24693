"""The plan as a spreadsheet (CSV, one row per topic) and as JSON (plan plus progress)."""

from __future__ import annotations

import csv
import io

from mlpath.domain.text import clean, dumps_json
from mlpath.export.snapshot import Snapshot

CSV_COLUMNS = (
    "topic",
    "title",
    "phase",
    "estimate_hours",
    "remaining_hours",
    "weeks",
    "week_starts",
    "status",
)
JSON_FORMAT_VERSION = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would otherwise start a formula."""
    text = clean(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _remaining(snap: Snapshot, topic_id: str, estimate: float) -> float:
    """Hours still to study: the estimate less logged time, none when done or known."""
    if snap.status(topic_id) in ("done", "known"):
        return 0.0
    return max(0.0, estimate - snap.state.logged.get(topic_id, 0.0))


def to_csv(snap: Snapshot) -> str:
    """One row per topic of the track, known and done ones included: the estimate, the hours
    left, the plan weeks (numbers, and their start dates) and the status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    starts = {w.index: w.start.isoformat() for w in snap.plan.weeks}
    phases = snap.curriculum.phase_titles
    listed = [t.id for t in snap.topics]
    seen = set(listed)
    track = snap.profile.track
    listed += [t.id for t in snap.curriculum.topics if t.in_track(track) and t.id not in seen]
    for tid in listed:
        t = snap.curriculum.by_id[tid]
        weeks = snap.weeks_of.get(tid, ())
        writer.writerow(
            [
                tid,
                _cell(t.title),
                _cell(phases.get(t.phase, t.phase)),
                f"{t.hours:g}",
                f"{round(_remaining(snap, tid, t.hours), 4):g}",
                " ".join(map(str, weeks)),
                " ".join(starts[w] for w in weeks),
                snap.status(tid),
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
