"""Rich renderings of the journey screens: ``week``, ``history``, a re-plan's dry run, and the
"behind" guidance. No computation here: every number comes from the library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mlpath.domain.curriculum import Curriculum


def _d(iso: str | None) -> str:
    return f"{date.fromisoformat(iso):%a %d %b %Y}" if iso else "—"


def guidance(warning: str | None, ways_out: Sequence[Mapping[str, str]]) -> list[RenderableType]:
    """The plain 'you are behind' note and the ways out, each a command to copy."""
    if not warning:
        return []
    parts: list[RenderableType] = [Text(warning, style="yellow")]
    if ways_out:
        parts.append(Text("Ways out (copy one):", style="bold"))
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column("command", style="cyan", no_wrap=True)
        table.add_column("effect")
        for way in ways_out:
            table.add_row(way["command"], way["effect"])
        parts.append(table)
    return parts


def standing_lines(data: Mapping[str, Any]) -> list[RenderableType]:
    pace = data["pace"]
    pace_text = (
        f"{pace['hours_per_week']:g} h/week ({pace['basis']})" if pace["basis"] else "no pace yet"
    )
    lines: list[RenderableType] = [
        Text(
            f"Done {data['done_hours']:g} h · planned to date {data['planned_to_date']:g} h · "
            f"{data['status']} · {data['percent_label']} of the plan · pace {pace_text}"
        )
    ]
    outside = data["outside_plan"]
    if outside["count"]:
        lines.append(
            Text(
                f"{outside['count']} topic{'s' * (outside['count'] != 1)} done outside this "
                f"plan, {outside['hours']:g} h",
                style="dim",
            )
        )
    behind = data["behind"]
    return lines + guidance(behind["warning"], behind["ways_out"])


def week_view(data: Mapping[str, Any]) -> RenderableType:
    days = data["days_left"]
    head = Text(
        f"Week {data['week']} · {_d(data['start'])} – {_d(data['end'])} · "
        f"{days} day{'s' * (days != 1)} left",
        style="bold",
    )
    table = Table(box=None, padding=(0, 2))
    table.add_column("topic")
    table.add_column("planned", justify="right")
    table.add_column("logged", justify="right")
    table.add_column("")
    for t in data["topics"]:
        mark = "✓ done" if t["done"] else ("" if t["in_plan"] else "outside the plan")
        table.add_row(t["title"], f"{t['planned_hours']:g} h", f"{t['logged_hours']:g} h", mark)
    if not data["topics"]:
        table = Table.grid()
        table.add_row("Nothing is planned this week.")
    total = Text(
        f"This week: {data['logged_hours']:g} of {data['planned_hours']:g} h planned logged"
    )
    parts: list[RenderableType] = [head, table, total]
    reviews = data.get("reviews") or []
    if reviews:
        names = ", ".join(sorted({r["topic"] for r in reviews}))
        parts.append(
            Text(
                f"Reviews due this week: {len(reviews)} ({names}). Run `mlpath review` on the day."
            )
        )
    return Group(*parts, *standing_lines(data))


def history_view(data: Mapping[str, Any]) -> RenderableType:
    table = Table(box=None, padding=(0, 2))
    table.add_column("week")
    table.add_column("starts")
    table.add_column("studied", justify="right")
    table.add_column("done", justify="right")
    table.add_column("planned", justify="right")
    table.add_column("finished")
    table.add_column("plan")
    for w in data["weeks"]:
        planned = "—" if w["planned_hours"] is None else f"{w['planned_hours']:g} h"
        change = ", ".join(
            f"{'baseline' if c.get('baseline') else 're-plan'} {c['date']}: "
            f"{c['hours_per_week']:g} h/week"
            for c in w["plan_changes"]
        )
        table.add_row(
            f"W{w['week']}",
            f"{date.fromisoformat(w['start']):%d %b %Y}",
            f"{w['studied_hours']:g} h",
            f"{w['done_hours']:g} h",
            planned,
            ", ".join(w["finished"]),
            change,
        )
    return Group(table, *standing_lines(data))


def dry_run_view(change: Mapping[str, Any], curriculum: Curriculum) -> RenderableType:
    titles = {t.id: t.title for t in curriculum.topics}
    lines = [
        Text("Dry run: nothing was saved.", style="bold"),
        Text(f"Finish: {_d(change['finish']['before'])} → {_d(change['finish']['after'])}"),
        Text(f"Weeks: {change['weeks']['before']} → {change['weeks']['after']}"),
    ]
    hours = change["hours_per_week"]
    if hours["before"] is not None and hours["before"] != hours["after"]:
        lines.append(Text(f"Hours a week: {hours['before']:g} → {hours['after']:g}"))
    for key, label in (("added", "Topics added"), ("dropped", "Topics dropped")):
        if change[key]:
            names = ", ".join(titles.get(t, t) for t in change[key])
            lines.append(Text(f"{label} ({len(change[key])}): {names}"))
    lines.append(Text("Run the same command without --dry-run to save it.", style="dim"))
    return Group(*lines)
