"""The plan as a printable Markdown document: the weeks, then every topic in full.

Topics are GitHub-style task-list items (``- [x]`` / ``- [ ]``) so that viewers
which support task lists (GitHub, Obsidian, VS Code...) show checkboxes that
reflect progress.
"""

from __future__ import annotations

import re

from mlpath.domain.text import clean, safe_url
from mlpath.export.snapshot import Snapshot

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def escape(text: str) -> str:
    """Text that Markdown shows as written, on one line (no emphasis, links, HTML, or a
    line break that would start a heading or a task item); control characters replaced."""
    return _SPECIAL.sub(r"\\\1", clean(" ".join(text.splitlines())))


def _h(hours: float) -> str:
    return f"{round(hours, 2):g} h"  # exact hours are rounded only for display


def _url(url: str) -> str:
    """A link destination that stays one destination inside ``<...>``."""
    return url.replace("<", "%3C").replace(">", "%3E")


def _link(title: str, url: str) -> str:
    """A link to a web address (see safe_url); anything else stays plain text."""
    if safe_url(url) is None:
        return f"{escape(title)} ({escape(url)})"
    return f"[{escape(title)}](<{_url(url)}>)"


def _box(snap: Snapshot, topic_id: str) -> str:
    return "[x]" if snap.status(topic_id) in ("done", "known") else "[ ]"


def render(snap: Snapshot) -> str:
    """The whole plan as Markdown."""
    plan, rep = snap.plan, snap.report
    finish = f"{plan.finish:%a %d %b %Y}" if plan.finish else "—"
    out = [
        f"# Study plan: {escape(snap.curriculum.title)}",
        "",
        f"- **Track:** {escape(snap.profile.track)} · "
        f"**strategy:** {escape(snap.profile.strategy)}",
        f"- **Pace:** {_h(plan.hours_per_week)} a week from {plan.start:%a %d %b %Y} · "
        f"**planned finish:** {finish}",
        f"- **Progress on {snap.today:%d %b %Y}:** "
        f"{rep.completed_topics}/{rep.total_topics} topics · "
        f"{rep.completed_hours:g}/{rep.total_hours:g} h ({rep.percent:g}%) · {rep.standing.label}",
        "",
        "## Weeks",
    ]
    for week in plan.weeks:
        out += [
            "",
            f"### Week {week.index} · {week.start:%a %d %b} – {week.end:%a %d %b %Y} "
            f"({_h(week.hours)})",
            "",
        ]
        for item in week.items:
            weeks = snap.weeks_of.get(item.topic, ())
            if weeks and weeks[-1] != week.index:  # one checkbox, in the week it ends
                out.append(
                    f"- {escape(snap.title(item.topic))} (`{item.topic}`) · {_h(item.hours)}, "
                    f"continues in week {weeks[-1]}"
                )
                continue
            out.append(
                f"- {_box(snap, item.topic)} {escape(snap.title(item.topic))} "
                f"(`{item.topic}`) · {_h(item.hours)}"
                + (f", started in week {weeks[0]}" if weeks and weeks[0] != week.index else "")
            )
    if not plan.weeks:
        out += ["", "Nothing left to plan: every goal is done or known."]
    out += ["", "## Topics"]
    phases = snap.curriculum.phase_titles
    for topic in snap.topics:
        weeks = snap.weeks_of.get(topic.id, ())
        where = f"week {', '.join(map(str, weeks))}" if weeks else "not in the plan"
        out += [
            "",
            f"### {escape(topic.title)}",
            "",
            f"- `{topic.id}` · "
            f"{escape(phases.get(topic.phase, topic.phase))} · "
            f"estimate {_h(topic.hours)} · {where} · {snap.status(topic.id)}",
        ]
        if topic.summary:
            out += ["", escape(topic.summary)]
        if topic.objectives:
            out += ["", "**You will be able to:**", ""]
            out += [f"- {escape(o)}" for o in topic.objectives]
        if topic.resources:
            out += ["", "**Resources:**", ""]
            for r in topic.resources:
                section = f" — {escape(r.section)}" if r.section else ""
                cost = "free" if r.free else "paid"
                out.append(f"- {_link(r.title, r.url)}{section} ({escape(r.kind)}, {cost})")
    out += [
        "",
        "---",
        "",
        f"Exported by mlpath on {snap.today:%d %b %Y}. "
        "Mark progress with `mlpath done TOPIC`, then export again.",
        "",
    ]
    return "\n".join(out)
