"""Rich renderings of plans, topics, what's next and the report. No computation here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mlpath.cli.layout import (
    Fit,
    hanging,
    hours,
    id_width,
    indented,
    link,
    percent,
    plural,
    side_by_side,
    topic_id,
)
from mlpath.domain.curriculum import Curriculum, Topic
from mlpath.domain.planner import Plan
from mlpath.domain.report import Next, Report


def _h(value: float) -> str:
    return hours(value)


def _bar(done: float, total: float, width: int = 24) -> Text:
    frac = 0.0 if total <= 0 else max(0.0, min(1.0, done / total))
    full = round(frac * width)
    return Text("█" * full, style="green") + Text("░" * (width - full), style="dim")


class _PlanView:
    """The weeks of a plan, every week's columns at the same positions.

    Column widths come from the whole plan (the longest id, the widest hours), so that
    ids line up from week to week; below a width where a readable title no longer fits
    beside the id, the id goes under its title instead.
    """

    def __init__(self, plan: Plan, titles: Mapping[str, str], finished: set[str]) -> None:
        self.plan, self.titles, self.finished = plan, titles, finished

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        items = [i for w in self.plan.weeks for i in w.items]
        idw = id_width(i.topic for i in items)
        hw = max((len(_h(i.hours)) for i in items), default=3)
        wide = side_by_side(options.max_width, idw, fixed=2 + hw + 4)
        for w in self.plan.weeks:
            yield Text(
                f"Week {w.index} · {w.start:%a %d %b %Y} – {w.end:%a %d %b %Y}", style="bold"
            )
            table = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False, expand=True)
            table.add_column("mark", width=3, justify="right", no_wrap=True)
            table.add_column("topic", ratio=1)
            if wide:
                table.add_column("id", width=idw, no_wrap=True)
            table.add_column("hours", width=hw, justify="right", no_wrap=True)
            for item in w.items:
                mark = "✓" if item.topic in self.finished else ""
                title = Text(self.titles.get(item.topic, item.topic))
                if wide:
                    table.add_row(mark, title, topic_id(item.topic), _h(item.hours))
                else:
                    title.append("\n").append_text(topic_id(item.topic))
                    table.add_row(mark, title, _h(item.hours))
            yield table


def plan_view(plan: Plan, curriculum: Curriculum, done: Iterable[str] = ()) -> RenderableType:
    """A table per week (dates, topics, hours), then totals and the finish date."""
    if not plan.topics:
        return Text("Nothing left to plan: every goal is done or known. 🎉")
    titles = {t.id: t.title for t in curriculum.topics}
    finish = f"{plan.finish:%a %d %b %Y}" if plan.finish else "—"
    total = Text.assemble(
        ("\nTotal: ", "bold"),
        f"{plural(len(plan.topics), 'topic')} · {_h(plan.total_hours)} · "
        f"{plural(len(plan.weeks), 'week')} at {_h(plan.hours_per_week)}/week · ",
        ("finish ", "bold"),
        (finish, "bold green"),
    )
    parts: list[RenderableType] = [_PlanView(plan, titles, set(done)), total]
    if plan.review_hours:
        parts.append(
            Text(
                f"Of each week, {_h(plan.review_hours)} is kept for spaced review "
                f"(`mlpath review`); new topics get the other "
                f"{_h(plan.hours_per_week - plan.review_hours)}.",
                style="dim",
            )
        )
    return Group(*parts)


def resources_table(topic: Topic) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column("free")
    table.add_column("resource", ratio=1, overflow="fold")
    for r in topic.resources:
        tag = Text("free", style="green") if r.free else Text("paid", style="yellow")
        section = f" — {r.section}" if r.section else ""
        cell = Text.assemble((r.title, "bold"), section, "\n")
        table.add_row(tag, cell.append_text(link(r.url)))
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
        body += [Text(""), hanging("Needs:", Text(", ".join(names)))]
    if topic.lab:
        label = {"passed": "passed ✓", None: "not passed yet"}.get(lab_status, lab_status or "")
        body += [
            Text(""),
            hanging(
                "Lab:", Text(f"{label} — `mlpath lab {topic.id}` then `mlpath check {topic.id}`")
            ),
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
            title=Text("Study now"),
            title_align="left",
        ),
        status,
    ]
    if nxt.ready:
        more = ", ".join(f"{t.title} ({t.id})" for t in nxt.ready[:5])
        extra = f" and {len(nxt.ready) - 5} more" if len(nxt.ready) > 5 else ""
        parts.append(hanging("Also ready:", Text(more + extra)))
    parts.append(Text(f"When finished: mlpath done {nxt.topic.id}", style="dim"))
    return Group(*parts)


def _standing_text(label: str) -> Text:
    style = "green" if label == "on track" or "ahead" in label else "yellow"
    return Text(label, style=style)


LAB_WORDS = {"passed": "passed", "started": "started", "not started": "not started"}


class _TopicsView:
    """The curriculum as a table; below a width, each id goes above its title in one cell."""

    def __init__(
        self, curriculum: Curriculum, statuses: Mapping[str, str], labs: Mapping[str, str]
    ) -> None:
        self.curriculum, self.statuses, self.labs = curriculum, statuses, labs

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        c = self.curriculum
        shown = [t for t in c.topics if self.statuses.get(t.id)]
        idw = id_width(t.id for t in shown)
        colours = {"done": "green", "in progress": "yellow", "known": "cyan"}
        # id, topic (≥ 24), phase (≥ 12), hours, status, lab, with borders and padding
        wide = options.max_width >= idw + 24 + 12 + 5 + 11 + 11 + 19
        if wide:
            table = Table()
            table.add_column("id", style="dim", no_wrap=True, min_width=idw)
            table.add_column("topic", ratio=1)
            table.add_column("phase", ratio=1)
        else:
            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, leading=1)
            table.add_column("topic", ratio=1, min_width=idw)
        table.add_column("hours", justify="right", no_wrap=True)
        table.add_column("status", no_wrap=True)
        if wide:
            table.add_column("lab", no_wrap=True)
        for t in shown:
            status = self.statuses[t.id]
            lab = self.labs.get(t.id, "")
            lab_text = Text(lab, style="green" if lab == "passed" else "dim")
            status_text = Text(status, style=colours.get(status, ""))
            hours_text = f"{t.hours:g}"
            if wide:
                phase = c.phase_titles.get(t.phase, t.phase)
                table.add_row(t.id, t.title, phase, hours_text, status_text, lab_text)
            else:
                cell = Text.assemble((t.id, "bold"), "\n", t.title)
                if lab:
                    cell.append("\nlab: ").append_text(lab_text)
                table.add_row(cell, hours_text, status_text)
        yield table


def topics_view(
    curriculum: Curriculum,
    statuses: Mapping[str, str],
    labs: Mapping[str, str],
    evidence: Mapping[str, Any] | None = None,
) -> RenderableType:
    view = _TopicsView(curriculum, statuses, labs)
    if not evidence:
        return view
    lines = [
        f"{curriculum.phase_titles.get(p['id'], p['id'])}: {p['with_evidence']}/"
        f"{p['done_topics']} finished topics backed by evidence (a passed lab or quiz)"
        for p in evidence["phases"]
        if p["done_topics"]
    ]
    return Group(view, *(Text(line, style="dim") for line in lines)) if lines else view


def _fmt_date(d: date | None) -> str:
    return f"{d:%a %d %b %Y}" if d else "—"


def report_view(rep: Report, titles: Mapping[str, str]) -> RenderableType:
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    summary.add_row(
        "Completed",
        f"{percent(rep.percent)} · {rep.completed_topics}/{rep.total_topics} topics · "
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
    if rep.total_hours and rep.completed_hours >= rep.total_hours:
        summary.add_row("Finished", _fmt_date(rep.projected_finish))
    elif rep.projected_finish:
        summary.add_row(
            "Projected finish", f"{_fmt_date(rep.projected_finish)}  (at {rep.pace.label})"
        )
    else:
        summary.add_row("Projected finish", "— (study a topic to set a pace)")
    summary.add_row(
        "Active days",
        f"{rep.active_days} · current streak {plural(rep.streak, 'day')}",
    )
    if rep.labs_passed:
        summary.add_row("Labs passed", str(rep.labs_passed))
    evidence = {e["id"]: e["with_evidence"] for e in rep.evidence.get("phases", [])}

    def phases(width: int) -> Table:
        table = Table(title="By phase", title_justify="left", box=None, padding=(0, 2))
        table.add_column("phase")
        table.add_column("progress", no_wrap=True)
        table.add_column("topics", justify="right", no_wrap=True)
        table.add_column("hours", justify="right", no_wrap=True)
        wide = width >= 80  # below, the evidence column would squeeze the phase titles
        if wide:
            table.add_column("evidence", justify="right", no_wrap=True)
        for p in rep.phases:
            cells: list[RenderableType] = [
                p.title,
                _bar(p.done_hours, p.total_hours, 24 if wide else 12),
                f"{p.done_topics}/{p.total_topics}",
                f"{p.done_hours:g}/{p.total_hours:g}",
            ]
            table.add_row(*cells, *([f"{evidence.get(p.id, 0)}/{p.done_topics}"] if wide else []))
        return table

    parts: list[RenderableType] = [summary]
    if rep.warning:
        from mlpath.cli.render_journey import guidance

        parts += [Text(""), *guidance(rep.warning, [w.as_dict() for w in rep.ways_out])]
    parts += [Text(""), Fit(phases)]
    if rep.orphaned:
        from mlpath.domain.report import describe_orphans

        note = Text("\nProgress on topics not in this curriculum (kept):", style="yellow")
        parts += [note, indented(Text(describe_orphans(rep.orphaned), style="yellow"), 2)]
    if rep.burnup:
        parts += [Text(""), Fit(lambda width: burnup_view(rep, min(40, width - 24)))]
    if rep.recent:
        from mlpath.domain.progress import describe

        parts += [Text("\nRecent activity", style="bold")]
        parts += [indented(Text(describe(e, titles)), 2) for e in reversed(rep.recent)]
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
    table.add_column("week", no_wrap=True)
    table.add_column("chart", no_wrap=True)
    table.add_column("hours", justify="right", no_wrap=True)
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


def status_view(
    nxt: Next | None,
    rep: Report | None,
    plan: Plan | None,
    curriculum: Curriculum,
    today: date,
    done: Iterable[str] = (),
) -> RenderableType:
    """`mlpath` alone: today's work and where you stand on one screen, or how to begin."""
    head = Text.assemble(("mlpath", "bold"), f" · {today:%a %d %b %Y}")
    finished = set(done)
    if nxt is None or rep is None or plan is None:
        return Group(
            head,
            Text(""),
            Text(f"No plan yet. {curriculum.title}: {plural(len(curriculum.topics), 'topic')}."),
            hanging("Start:", Text("mlpath plan --hours 10   (your real weekly hours)")),
            Text("\n`mlpath --help` lists every command.", style="dim"),
        )
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    if nxt.all_done:
        grid.add_row("Today", "Every topic in your plan is done. 🎉")
    elif nxt.topic is None:
        grid.add_row("Today", "No planned topic is ready: finish the prerequisites first.")
    else:
        grid.add_row(
            "Today",
            Text.assemble(
                nxt.topic.title, "  ", topic_id(nxt.topic.id), f" · about {_h(nxt.hours_left)} left"
            ),
        )
    week = next((w for w in plan.weeks if w.start <= today <= w.end), None)
    if week is not None:
        titles = {t.id: t.title for t in curriculum.topics}
        items = Table.grid(padding=(0, 1))
        items.add_column(width=1, no_wrap=True)
        items.add_column(ratio=1)
        items.add_column(justify="right", no_wrap=True)
        for i in week.items:
            mark = "✓" if i.topic in finished else "·"
            items.add_row(mark, titles.get(i.topic, i.topic), _h(i.hours))
        grid.add_row(f"Week {week.index}", items)
    grid.add_row(
        "Progress",
        f"{percent(rep.percent)} · {rep.completed_topics}/{rep.total_topics} topics · "
        f"{rep.standing.label}",
    )
    grid.add_row("Finish", f"planned {_fmt_date(rep.planned_finish)}")
    parts: list[RenderableType] = [head, Text(""), grid, Text("")]
    hints = Table.grid(padding=(0, 2))
    hints.add_column(no_wrap=True)
    hints.add_column(ratio=1)
    hints.add_row("mlpath next", "what to study, with its resources")
    if nxt.topic is not None:
        hints.add_row(f"mlpath done {nxt.topic.id}", "when you have finished it")
    hints.add_row("mlpath report", "the details · mlpath --help: every command")
    parts.append(Padding(hints, (0, 0, 0, 0), style="dim"))
    return Group(*parts)
