"""The plan as one self-contained HTML page: progress, a burn-up chart, the weeks, the resources.

Self-contained means no network request at all: the CSS and the SVG chart are
inline, there are no scripts, fonts or images, and a Content-Security-Policy
forbids loading anything. Every piece of text is escaped, and only http(s) and
mailto links become links. The layout is fluid, so it reads on a phone.
"""

from __future__ import annotations

import math
from html import escape

from mlpath.domain.text import clean, safe_url
from mlpath.export.snapshot import Snapshot

_CSS = """
:root{--bg:#f7f7f5;--card:#fff;--ink:#1f2328;--muted:#5d6570;--line:#e3e4e8;--accent:#2563eb;
--done:#15803d;--done-bg:#dcfce7;--plan:#94a3b8;--warn:#b45309}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1a1f26;--ink:#e6e8eb;
--muted:#9aa4b2;
--line:#2b323c;--accent:#60a5fa;--done:#4ade80;--done-bg:#173524;--plan:#64748b;--warn:#fbbf24}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",
Roboto,Helvetica,Arial,sans-serif;-webkit-text-size-adjust:100%}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:1.6rem;line-height:1.2;margin:.5rem 0 .25rem}
h2{font-size:1.2rem;margin:0 0 .75rem}
h3{font-size:1rem;margin:0}
.sub,.muted{color:var(--muted)}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px;
margin:16px 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;
background:none;
border:0;padding:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:12px 14px}
.card b{display:block;font-size:1.35rem}
.card span{color:var(--muted);font-size:.85rem}
.phases{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr auto;gap:10px 14px;
align-items:center}
.phase{display:contents}
.bar{height:10px;border-radius:5px;background:var(--line);overflow:hidden}
.bar i{display:block;height:100%;background:var(--done)}
.num{font-variant-numeric:tabular-nums;color:var(--muted);font-size:.9rem;white-space:nowrap}
svg{display:block;width:100%;max-width:680px;height:auto;margin:0 auto}
svg text{fill:var(--muted);font-size:22px;font-family:inherit}
@media (min-width:700px){svg text{font-size:15px}}
.grid{stroke:var(--line)}
.planned{fill:none;stroke:var(--plan);stroke-width:2.5;stroke-dasharray:6 5}
.replan{stroke:var(--plan);stroke-width:1;stroke-dasharray:2 3}
.actual{fill:none;stroke:var(--done);stroke-width:3}
.dot{fill:var(--done)}
.legend{display:flex;gap:16px;flex-wrap:wrap;font-size:.9rem;color:var(--muted);
margin-top:.5rem}
.key{display:inline-block;width:18px;height:0;border-top:3px solid var(--done);
vertical-align:middle;
margin-right:6px}
.key.p{border-top:3px dashed var(--plan)}
.weeks{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,360px),1fr));
gap:12px}
.week{border:1px solid var(--line);border-radius:10px;padding:10px 12px;break-inside:avoid}
.week.now{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent)}
.week header{display:flex;justify-content:space-between;gap:8px;align-items:baseline;
flex-wrap:wrap}
ul{margin:.5rem 0 0;padding:0;list-style:none}
li{margin:.3rem 0;display:flex;gap:8px;align-items:baseline}
li .t{flex:1;overflow-wrap:anywhere}
.box{flex:none;width:1.1em;height:1.1em;border:2px solid var(--plan);border-radius:4px;
display:inline-grid;
place-items:center;font-size:.75em;line-height:1;position:relative;top:.15em}
.done .box{background:var(--done);border-color:var(--done);color:#fff}
.done .t{color:var(--muted);text-decoration:line-through}
li code{display:block}
code{font:.8em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted)}
.status{font-size:.8rem;padding:1px 8px;border-radius:999px;background:var(--line);
white-space:nowrap}
.status.done{background:var(--done-bg);color:var(--done)}
.res h3{margin-top:1rem}
.res li{display:list-item;list-style:disc;margin-left:1.2rem}
a{color:var(--accent);overflow-wrap:anywhere}
footer{color:var(--muted);font-size:.85rem;text-align:center;margin:24px 0}
@media (max-width:520px){main{padding:10px}section{padding:12px}
.phases{display:block}.phase{display:grid;grid-template-columns:1fr auto;gap:4px 10px;
margin:0 0 12px}
.phase .bar{grid-row:2;grid-column:1/-1}.phase .num{grid-row:1;grid-column:2}}
@media print{body{background:#fff}section,.card,.week{border-color:#ccc}a{color:inherit}}
"""
# nothing may load: no scripts, fonts, images or requests, only the inline styles
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _e(text: object) -> str:
    return escape(clean(str(text)), quote=True)


def _h(hours: float) -> str:
    return f"{round(hours, 2):g} h"  # exact hours are rounded only for display


def _link(title: str, url: str) -> str:
    """A link for web addresses (see safe_url); anything else (javascript:...) stays text."""
    if safe_url(url) is not None:
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(title)}</a>'
    return f"{_e(title)} <code>{_e(url)}</code>"


def _cards(snap: Snapshot) -> str:
    rep = snap.report
    projected = f"{rep.projected_finish:%d %b %Y}" if rep.projected_finish else "—"
    planned = f"{rep.planned_finish:%d %b %Y}" if rep.planned_finish else "—"
    cards = [
        (f"{rep.percent:g}%", f"done · {rep.completed_hours:g} of {rep.total_hours:g} h"),
        (f"{rep.completed_topics}/{rep.total_topics}", "topics finished"),
        (rep.standing.label, f"{_h(round(rep.planned_to_date, 1))} planned to date"),
        (planned, f"planned finish · projected {projected}"),
    ]
    body = "".join(
        f'<div class="card"><b>{_e(big)}</b><span>{_e(small)}</span></div>' for big, small in cards
    )
    return f'<section class="cards" aria-label="Summary">{body}</section>'


def _phases(snap: Snapshot) -> str:
    rows = []
    evidence = {e["id"]: e for e in snap.report.evidence.get("phases", [])}
    for p in snap.report.phases:
        backed = evidence.get(p.id, {}).get("with_evidence", 0)
        pct = 100 * p.done_hours / p.total_hours if p.total_hours else 100.0
        rows.append(
            f'<div class="phase"><span>{_e(p.title)}</span>'
            f'<div class="bar" role="img" aria-label="{pct:.0f}% done">'
            f'<i style="width:{pct:.1f}%"></i></div>'
            f'<span class="num">{p.done_topics}/{p.total_topics} topics · '
            f"{p.done_hours:g}/{p.total_hours:g} h · "
            f"{backed}/{p.done_topics} with evidence</span></div>"
        )
    return (
        '<section><h2>Progress by phase</h2><div class="phases">'
        + "".join(rows)
        + "</div></section>"
    )


def _tick_step(top: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving at most five grid lines to ``top``."""
    power = 10 ** math.floor(math.log10(top / 5)) if top > 5 else 1
    return next(k * power for k in (1, 2, 5, 10) if top / (k * power) <= 5)


def burnup_svg(snap: Snapshot, width: int = 600, height: int = 300) -> str:
    """The journey's burn-up as inline SVG: cumulative hours done week by week, against the
    planned line of the plan in force each week (then the plan in force, to its end)."""
    weeks = snap.cumulative_plan()
    numbers = [w for w, _e, _h in weeks]
    planned = [(i, end, h) for i, (_w, end, h) in enumerate(weeks, 1)]
    done = [(i, w.done_hours) for i, w in enumerate(snap.report.burnup, 1)]
    changed = {numbers.index(w) + 1 for w in snap.plan_changed_weeks() if w in numbers}
    n = max(1, len(planned))
    step = _tick_step(max([h for *_, h in planned] + [h for _, h in done] + [1.0]))
    top = step * math.ceil(max([h for *_, h in planned] + [h for _, h in done] + [1.0]) / step)
    left, right, upper, lower = 52, 16, 14, 34
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(week: float) -> float:
        return round(left + plot_w * week / n, 1)

    def y(hours: float) -> float:
        return round(upper + plot_h * (1 - hours / top), 1)

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="burnup-title">'
        '<title id="burnup-title">Burn-up: cumulative hours planned and done, week by week</title>'
    ]
    for i in range(round(top / step) + 1):  # horizontal grid lines with hour labels
        hours = step * i
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(hours)}" y2="{y(hours)}"/>'
            f'<text x="{left - 8}" y="{y(hours) + 6}" text-anchor="end">{hours:g}</text>'
        )
    every = max(1, math.ceil(n / 6))
    for week, _end, _h in planned:
        if week % every == 0 or week == 1:
            parts.append(
                f'<text x="{x(week)}" y="{height - 10}" text-anchor="middle">'
                f"W{numbers[week - 1]}</text>"
            )
    for week in sorted(changed):  # where the plan changed
        parts.append(
            f'<line class="replan" x1="{x(week - 1)}" x2="{x(week - 1)}" y1="{upper}" '
            f'y2="{height - lower}"><title>plan changed in W{numbers[week - 1]}</title></line>'
        )
    line = " ".join(f"{x(w)},{y(h)}" for w, h in [(0, 0.0)] + [(w, h) for w, _e, h in planned])
    parts.append(f'<polyline class="planned" points="{line}"/>')
    if done:
        line = " ".join(f"{x(w)},{y(h)}" for w, h in [(0, 0.0), *done])
        last_w, last_h = done[-1]
        parts.append(
            f'<polyline class="actual" points="{line}"/>'
            f'<circle class="dot" cx="{x(last_w)}" cy="{y(last_h)}" r="4"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _burnup(snap: Snapshot) -> str:
    note = (
        ""
        if snap.report.burnup
        else '<p class="muted">Your plan starts later: nothing is due yet.</p>'
    )
    return (
        "<section><h2>Burn-up</h2>"
        + burnup_svg(snap)
        + note
        + '<div class="legend"><span><i class="key"></i>hours done</span>'
        '<span><i class="key p"></i>hours planned</span></div></section>'
    )


def _item(snap: Snapshot, topic_id: str, hours: float) -> str:
    status = snap.status(topic_id)
    done = status in ("done", "known")
    mark, kind = ("✓", "done") if done else ("", "todo")
    return (
        f'<li class="{kind}"><span class="box" aria-hidden="true">{mark}</span>'
        f'<span class="t">{_e(snap.title(topic_id))} <code>{_e(topic_id)}</code></span>'
        f'<span class="num">{_h(hours)}</span><span class="status {kind}">{_e(status)}</span></li>'
    )


def _weeks(snap: Snapshot) -> str:
    cards = []
    for w in snap.plan.weeks:
        now = " now" if w.start <= snap.today <= w.end else ""
        items = "".join(_item(snap, i.topic, i.hours) for i in w.items)
        cards.append(
            f'<article class="week{now}"><header>'
            f'<h3>Week {w.index}{" · this week" if now else ""}</h3><span class="num">'
            f"{w.start:%a %d %b} – {w.end:%a %d %b %Y} · {_h(w.hours)}</span></header>"
            f"<ul>{items}</ul></article>"
        )
    body = (
        "".join(cards) or '<p class="muted">Nothing left to plan: every goal is done or known.</p>'
    )
    return f'<section><h2>Week by week</h2><div class="weeks">{body}</div></section>'


def _resources(snap: Snapshot) -> str:
    blocks = []
    for t in snap.topics:
        if not t.resources:
            continue
        items = "".join(
            f"<li>{_link(r.title, r.url)}"
            f'{" — " + _e(r.section) if r.section else ""} <span class="muted">'
            f"({_e(r.kind)}, {'free' if r.free else 'paid'})</span></li>"
            for r in t.resources
        )
        blocks.append(f"<h3>{_e(t.title)} <code>{_e(t.id)}</code></h3><ul>{items}</ul>")
    return '<section class="res"><h2>Resources</h2>' + "".join(blocks) + "</section>"


def render(snap: Snapshot) -> str:
    """The report page as one HTML document."""
    plan, title = snap.plan, snap.curriculum.title
    finish = f"{plan.finish:%a %d %b %Y}" if plan.finish else "—"
    sub = (
        f"{snap.profile.track} track · {_h(plan.hours_per_week)} a week · "
        f"{plan.start:%a %d %b %Y} → {finish} · as of {snap.today:%a %d %b %Y}"
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>Study plan · {_e(title)}</title><style>{_CSS}</style></head>\n<body><main>"
        f'<header><h1>Study plan · {_e(title)}</h1><p class="sub">{_e(sub)}</p></header>'
        + _cards(snap)
        + _phases(snap)
        + _burnup(snap)
        + _weeks(snap)
        + _resources(snap)
        + f"<footer>Exported by mlpath on {snap.today:%d %b %Y} · mark progress with "
        "<code>mlpath done TOPIC</code>, then export again.</footer></main></body></html>\n"
    )
