"""Rich renderings of plans, topics, what's next and the report. No computation here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mlpath.domain.curriculum import Curriculum, Topic
from mlpath.domain.planner import Plan
from mlpath.domain.report import Next, Report


def _h(hours: float) -> str:
    return f"{hours:g} h"


def _bar(done: float, total: float, width: int = 24) -> Text:
    frac = 0.0 if total <= 0 else max(0.0, min(1.0, done / total))
    full = round(frac * width)
    return Text("█" * full, style="green") + Text("░" * (width - full), style="dim")


def plan_view(plan: Plan, curriculum: Curriculum, done: Iterable[str] = ()) -> RenderableType:
    """A table per week (dates, topics, hours), then totals and the finish date."""
    finished = set(done)
    titles = {t.id: t.title for t in curriculum.topics}
    parts: list[RenderableType] = []
    for w in plan.weeks:
        parts.append(
            Text(f"Week {w.index} · {w.start:%a %d %b %Y} – {w.end:%a %d %b %Y}", style="bold")
        )
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column("topic", ratio=1)
        table.add_column("id", style="dim")
        table.add_column("hours", justify="right")
        for item in w.items:
            mark = "✓ " if item.topic in finished else "  "
            table.add_row(mark + titles.get(item.topic, item.topic), item.topic, _h(item.hours))
        parts.append(table)
    finish = f"{plan.finish:%a %d %b %Y}" if plan.finish else "—"
    parts.append(
        Text.assemble(
            ("\nTotal: ", "bold"),
            f"{len(plan.topics)} topics · {_h(plan.total_hours)} · {len(plan.weeks)} weeks at "
            f"{_h(plan.hours_per_week)}/week · ",
            ("finish ", "bold"),
            (finish, "bold green"),
        )
    )
    if plan.review_hours:
        parts.append(
            Text(
                f"Of each week, {_h(plan.review_hours)} is kept for spaced review "
                f"(`mlpath review`); new topics get the other "
                f"{_h(plan.hours_per_week - plan.review_hours)}.",
                style="dim",
            )
        )
    if not plan.topics:
        parts = [Text("Nothing left to plan: every goal is done or known. 🎉")]
    return Group(*parts)


def resources_table(topic: Topic) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column("free")
    table.add_column("resource", ratio=1)
    for r in topic.resources:
        tag = Text("free", style="green") if r.free else Text("paid", style="yellow")
        section = f" — {r.section}" if r.section else ""
        table.add_row(tag, Text.assemble((r.title, "bold"), section, "\n", (r.url, "cyan")))
    return table


def topic_view(
    topic: Topic,
    curriculum: Curriculum,
    status: str,
    logged: float = 0.0,
    lab_status: str | None = None,
    hours_left: float | None = None,
) -> RenderableType:
    """A topic in full: summary, objectives, prerequisites, resources."""
    phase = curriculum.phase_titles.get(topic.phase, topic.phase)
    head = Text.assemble(
        (topic.title, "bold"),
        ("  " + topic.id, "dim"),
        "\n",
        f"{phase} · estimate {_h(topic.hours)} · {status}",
    )
    if logged:
        head.append(f" · logged {_h(round(logged, 2))}")
    if hours_left is not None:
        head.append(f" · about {_h(hours_left)} left")
    if topic.track:
        head.append(f" · {topic.track} track")
    body: list[RenderableType] = [head]
    if topic.summary:
        body += [Text(""), Text(topic.summary)]
    if topic.objectives:
        bullets = Table.grid(padding=(0, 1))
        bullets.add_column(width=3, justify="right")
        bullets.add_column(ratio=1)
        for o in topic.objectives:
            bullets.add_row("•", o)
        body += [Text("\nYou will be able to:", style="bold"), bullets]
    if topic.prerequisites:
        names = [
            curriculum.by_id[p].title if p in curriculum.by_id else p for p in topic.prerequisites
        ]
        body += [Text("\nNeeds: ", style="bold") + Text(", ".join(names))]
    if topic.lab:
        label = {"passed": "passed ✓", None: "not passed yet"}.get(lab_status, lab_status or "")
        body += [
            Text("\nLab: ", style="bold")
            + Text(f"{label} — `mlpath lab {topic.id}` then `mlpath check {topic.id}`")
        ]
    if topic.resources:
        body += [Text("\nResources:", style="bold"), resources_table(topic)]
    return Group(*body)


def next_view(nxt: Next, curriculum: Curriculum, lab_status: str | None) -> RenderableType:
    if nxt.all_done:
        return Text("Every topic in your plan is done. Congratulations! 🎉  See `mlpath report`.")
    status: RenderableType = Text.assemble(("Plan: ", "bold"), _standing_text(nxt.standing.label))
    j = nxt.journey
    if j is not None and j.needs_help:
        from mlpath.cli.render_journey import guidance

        status = Group(status, *guidance(j.warning(), [w.as_dict() for w in j.ways_out()]))
    if nxt.topic is None:
        return Group(status, Text("No planned topic is ready: finish the prerequisites first."))
    parts: list[RenderableType] = [
        Panel(
            topic_view(
                nxt.topic, curriculum, "next up", lab_status=lab_status, hours_left=nxt.hours_left
            ),
            title="Study now",
            title_align="left",
        ),
        status,
    ]
    if nxt.ready:
        more = ", ".join(f"{t.title} ({t.id})" for t in nxt.ready[:5])
        extra = f" and {len(nxt.ready) - 5} more" if len(nxt.ready) > 5 else ""
        parts.append(Text.assemble(("Also ready: ", "bold"), more + extra))
    parts.append(Text(f"When finished: mlpath done {nxt.topic.id}", style="dim"))
    return Group(*parts)


def _standing_text(label: str) -> Text:
    style = "green" if label == "on track" or "ahead" in label else "yellow"
    return Text(label, style=style)


def topics_view(
    curriculum: Curriculum,
    statuses: Mapping[str, str],
    labs: Mapping[str, str],
    evidence: Mapping[str, Any] | None = None,
) -> RenderableType:
    table = Table(show_lines=False)
    table.add_column("id", style="dim")
    table.add_column("topic")
    table.add_column("phase")
    table.add_column("hours", justify="right")
    table.add_column("status")
    table.add_column("lab")
    colours = {"done": "green", "in progress": "yellow", "known": "cyan"}
    for t in curriculum.topics:
        status = statuses.get(t.id, "")
        if not status:
            continue
        lab = labs.get(t.id, "")
        table.add_row(
            t.id,
            t.title,
            curriculum.phase_titles.get(t.phase, t.phase),
            f"{t.hours:g}",
            Text(status, style=colours.get(status, "")),
            Text(lab, style="green" if lab == "passed" else "dim"),
        )
    if not evidence:
        return table
    lines = [
        f"{curriculum.phase_titles.get(p['id'], p['id'])}: {p['with_evidence']}/"
        f"{p['done_topics']} finished topics backed by evidence (a passed lab or quiz)"
        for p in evidence["phases"]
        if p["done_topics"]
    ]
    return Group(table, *(Text(line, style="dim") for line in lines)) if lines else table


def _fmt_date(d: date | None) -> str:
    return f"{d:%a %d %b %Y}" if d else "—"


def report_view(rep: Report, titles: Mapping[str, str]) -> RenderableType:
    from mlpath.domain.metrics import percent_label

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    summary.add_row(
        "Completed",
        f"{percent_label(rep.percent)} · {rep.completed_topics}/{rep.total_topics} topics · "
        f"{rep.completed_hours:g}/{rep.total_hours:g} h",
    )
    if rep.outside_label:
        summary.add_row("Outside this plan", rep.outside_label)
    summary.add_row("Study time logged", _h(rep.logged_hours))
    summary.add_row(
        "Planned to date",
        f"{_h(rep.planned_to_date)} · done {_h(rep.done_hours)} · {rep.standing.label}",
    )
    summary.add_row(
        "Pace",
        f"{rep.pace.recent:g} h/week over the last 4 weeks · {rep.pace.overall:g} h/week overall",
    )
    summary.add_row("Planned finish", _fmt_date(rep.planned_finish))
    proj = (
        _fmt_date(rep.projected_finish)
        if rep.projected_finish
        else "— (study a topic to set a pace)"
    )
    summary.add_row(
        "Projected finish", proj + (f"  (at {rep.pace.label})" if rep.projected_finish else "")
    )
    summary.add_row(
        "Active days",
        f"{rep.active_days} · current streak {rep.streak} day{'s' * (rep.streak != 1)}",
    )
    if rep.labs_passed:
        summary.add_row("Labs passed", str(rep.labs_passed))
    phases = Table(title="By phase", title_justify="left", box=None, padding=(0, 2))
    phases.add_column("phase")
    phases.add_column("progress")
    phases.add_column("topics", justify="right")
    phases.add_column("hours", justify="right")
    phases.add_column("evidence", justify="right")
    evidence = {e["id"]: e["with_evidence"] for e in rep.evidence.get("phases", [])}
    for p in rep.phases:
        phases.add_row(
            p.title,
            _bar(p.done_hours, p.total_hours),
            f"{p.done_topics}/{p.total_topics}",
            f"{p.done_hours:g}/{p.total_hours:g}",
            f"{evidence.get(p.id, 0)}/{p.done_topics}",
        )
    parts: list[RenderableType] = [summary]
    if rep.warning:
        from mlpath.cli.render_journey import guidance

        parts += [Text(""), *guidance(rep.warning, [w.as_dict() for w in rep.ways_out])]
    parts += [Text(""), phases]
    if rep.orphaned:
        from mlpath.domain.report import describe_orphans

        orphans = describe_orphans(rep.orphaned)
        note = f"\nProgress on topics not in this curriculum (kept): {orphans}"
        parts += [Text(note, style="yellow")]
    if rep.burnup:
        parts += [Text(""), burnup_view(rep)]
    if rep.recent:
        from mlpath.domain.progress import describe

        parts += [Text("\nRecent activity", style="bold")]
        parts += [Text(f"  {describe(e, titles)}") for e in reversed(rep.recent)]
    return Group(*parts)


def burnup_view(rep: Report, width: int = 40) -> RenderableType:
    """Weekly burn-up over the journey: cumulative hours done (█) against the plan in force
    that week (░); ◆ marks a week in which the plan changed."""
    rows = rep.burnup[-12:]
    top = max([w.planned_hours or 0.0 for w in rows] + [w.done_hours for w in rows] + [1.0])
    table = Table(
        title="Burn-up (█ done, ░ planned, ◆ plan changed)",
        title_justify="left",
        box=None,
        padding=(0, 1),
        show_header=False,
    )
    table.add_column("week")
    table.add_column("chart")
    table.add_column("hours", justify="right")
    for w in rows:
        planned = w.planned_hours
        d = round(width * w.done_hours / top)
        p = max(d, round(width * (planned or 0.0) / top))
        chart = Text("█" * d, style="green") + Text("░" * (p - d), style="dim")
        mark = "◆" if w.plan_changes else " "
        shown = "—" if planned is None else f"{planned:g}"
        table.add_row(f"W{w.week:<3}{mark}", chart, f"{w.done_hours:g}/{shown}")
    return table


def reviews_line(reviews: Mapping[str, Any], curriculum: Curriculum) -> str:
    """``next``'s line on today's due reviews (see :func:`mlpath.app.review.due_summary`)."""
    titles = {t.id: t.title for t in curriculum.topics}
    names = ", ".join(titles.get(d["topic"], d["topic"]) for d in reviews["due"][:5])
    more = f" and {len(reviews['due']) - 5} more" if len(reviews["due"]) > 5 else ""
    backlog = f"; {reviews['backlog']} more wait for the next days" if reviews["backlog"] else ""
    n = len(reviews["due"])
    return (
        f"Reviews due: {n} (about {reviews['minutes']} min): {names}{more}{backlog}. "
        "Run `mlpath review`."
    )


def retention_view(kept: Mapping[str, Any], curriculum: Curriculum) -> RenderableType:
    """The report's retention: predicted recall per phase, topics below 70%, review time."""
    titles = {p.id: p.title for p in curriculum.phases}
    topic_titles = {t.id: t.title for t in curriculum.topics}
    table = Table(title="Retention today", title_justify="left", box=None, padding=(0, 2))
    table.add_column("phase")
    table.add_column("topics", justify="right")
    table.add_column("predicted recall", justify="right")
    for p in kept["phases"]:
        table.add_row(titles.get(p["id"], p["id"]), str(p["topics"]), f"{p['recall']:.0%}")
    parts: list[RenderableType] = [Text(""), table]
    low = kept["below_70"]
    if low:
        names = ", ".join(
            f"{topic_titles.get(x['topic'], x['topic'])} {x['recall']:.0%}" for x in low[:8]
        )
        parts.append(Text(f"Below 70%: {names}. Run `mlpath review`.", style="yellow"))
    parts.append(
        Text(f"Review time: {kept['minutes_spent']:g} min over {kept['reviews']} reviews.")
    )
    return Group(*parts)
