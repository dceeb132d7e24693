"""The prerequisite graph as Mermaid, Graphviz DOT or a text tree, with finished topics marked.

The graph holds a track's topics (or what some goals need: the goals and all
their prerequisites), grouped by phase, with an edge from each prerequisite to
the topic that needs it. The text tree reads the other way: each topic, then
indented under it what it needs; a topic needed twice is drawn in full once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from mlpath.domain.curriculum import TRACKS, Curriculum, Topic
from mlpath.domain.planner import Profile, select_topics
from mlpath.errors import InputError

GRAPH_FORMATS = ("text", "mermaid", "dot")
MAX_TEXT_DEPTH = 60  # the text tree stops indenting here (and says how to see the rest)
DONE_FILL, DONE_LINE, KNOWN_FILL, KNOWN_LINE = "#dcfce7", "#15803d", "#e0f2fe", "#0369a1"


def graph_topics(curriculum: Curriculum, track: str, goals: Iterable[str] = ()) -> list[Topic]:
    """The track's topics, or the goals and everything they need, in curriculum order."""
    goals = tuple(goals)
    for goal in goals:
        topic = curriculum.topic(goal)
        if not topic.in_track(track):
            raise InputError(
                f"Goal '{goal}' belongs to the {topic.track} track, not {track}.",
                hint=f"Add --track {topic.track}.",
            )
    if goals:  # the planner's walk, with nothing known: the whole need, done or not
        chosen = select_topics(
            curriculum, Profile(hours_per_week=1, start=date.min, goals=goals, track=track)
        )
    else:
        chosen = {t.id for t in curriculum.in_track(track)}
    return [t for t in curriculum.topics if t.id in chosen]


def _edges(topics: list[Topic]) -> list[tuple[str, str]]:
    ids = {t.id for t in topics}
    return [(p, t.id) for t in topics for p in t.prerequisites if p in ids]


def _mark(topic_id: str, done: Collection[str], known: Collection[str]) -> str | None:
    if topic_id in done:
        return "done"
    return "known" if topic_id in known else None


def _by_phase(curriculum: Curriculum, topics: list[Topic]) -> list[tuple[str, str, list[Topic]]]:
    return [
        (p.id, p.title, [t for t in topics if t.phase == p.id])
        for p in curriculum.phases
        if any(t.phase == p.id for t in topics)
    ]


def _mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label (entity codes for the characters Mermaid reads)."""
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


def to_mermaid(
    curriculum: Curriculum, topics: list[Topic], done: Collection[str], known: Collection[str]
) -> str:
    """A Mermaid flowchart (node ids are n0, n1...: topic ids may collide with Mermaid keywords)."""
    node = {t.id: f"n{i}" for i, t in enumerate(topics)}
    out = [
        "flowchart TD",
        f"  classDef done fill:{DONE_FILL},stroke:{DONE_LINE},color:#14532d",
        f"  classDef known fill:{KNOWN_FILL},stroke:{KNOWN_LINE},color:#0c4a6e",
    ]
    for i, (_pid, title, members) in enumerate(_by_phase(curriculum, topics)):
        out.append(f'  subgraph p{i}["{_mermaid_text(title)}"]')
        for t in members:
            tick = " ✓" if _mark(t.id, done, known) else ""
            out.append(f'    {node[t.id]}["{_mermaid_text(t.title)}{tick}"]')
        out.append("  end")
    out += [f"  {node[a]} --> {node[b]}" for a, b in _edges(topics)]
    for kind in ("done", "known"):
        marked = [node[t.id] for t in topics if _mark(t.id, done, known) == kind]
        if marked:
            out.append(f"  class {','.join(marked)} {kind}")
    return "\n".join(out) + "\n"


def _dot(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(
    curriculum: Curriculum,
    topics: list[Topic],
    done: Collection[str],
    known: Collection[str],
    title: str,
) -> str:
    """A Graphviz digraph, one cluster per phase."""
    out = [
        "digraph prerequisites {",
        f"  graph [rankdir=LR, labelloc=t, fontname=Helvetica, label={_dot(title)}];",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname=Helvetica];',
        '  edge [color="#64748b"];',
    ]
    for i, (_pid, phase_title, members) in enumerate(_by_phase(curriculum, topics)):
        out.append(
            f'  subgraph cluster_{i} {{ label={_dot(phase_title)}; style=rounded; color="#cbd5e1";'
        )
        for t in members:
            mark = _mark(t.id, done, known)
            style = {
                "done": f', fillcolor="{DONE_FILL}", color="{DONE_LINE}"',
                "known": f', fillcolor="{KNOWN_FILL}", color="{KNOWN_LINE}"',
            }.get(mark or "", "")
            label = ("✓ " if mark else "") + t.title
            out.append(f"    {_dot(t.id)} [label={_dot(label)}{style}];")
        out.append("  }")
    out += [f"  {_dot(a)} -> {_dot(b)};" for a, b in _edges(topics)]
    return "\n".join(out) + "\n}\n"


def to_text(
    topics: list[Topic], done: Collection[str], known: Collection[str], roots: Iterable[str] = ()
) -> str:
    """A tree per root (the goals, or the topics nothing needs), prerequisites indented below."""
    by_id = {t.id: t for t in topics}
    needed = {a for a, _ in _edges(topics)}
    starts = list(roots) or [t.id for t in topics if t.id not in needed]
    lines: list[str] = []
    drawn: set[str] = set()

    def label(tid: str) -> str:
        mark = _mark(tid, done, known)
        return f"{'✓' if mark else '○'} {by_id[tid].title} ({tid})" + (
            " · known" if mark == "known" else ""
        )

    inner = {"": "", "├── ": "│   ", "└── ": "    "}
    # depth first with an explicit stack (a prerequisite chain may be thousands long)
    for root in starts:
        stack: list[tuple[str, str, str]] = [(root, "", "")]
        while stack:
            tid, prefix, branch = stack.pop()
            kids = [p for p in by_id[tid].prerequisites if p in by_id]
            repeat = tid in drawn and kids
            lines.append(prefix + branch + label(tid) + (" … see above" if repeat else ""))
            if repeat:
                continue
            drawn.add(tid)
            below = prefix + inner[branch]
            if kids and len(below) >= 4 * MAX_TEXT_DEPTH:
                more = f"… {len(kids)} more prerequisite(s): mlpath graph --goal {tid}"
                lines.append(below + "└── " + more)
                continue
            last = len(kids) - 1
            stack.extend(
                (kid, below, "└── " if i == last else "├── ")
                for i, kid in reversed(list(enumerate(kids)))
            )
    return "\n".join(lines) + "\n"


def as_data(
    curriculum: Curriculum,
    *,
    track: str,
    goals: Iterable[str] = (),
    done: Collection[str] = (),
    known: Collection[str] = (),
) -> dict[str, object]:
    """The prerequisite graph as JSON-ready data: topics with their status, and edges."""
    if track not in TRACKS:
        raise InputError(f"--track must be one of {', '.join(TRACKS)} (got {track!r}).")
    goals = tuple(goals)
    topics = graph_topics(curriculum, track, goals)
    ids = {t.id for t in topics}
    return {
        "track": track,
        "goals": list(goals),
        "topics": [
            {
                "id": t.id,
                "title": t.title,
                "phase": t.phase,
                "status": _mark(t.id, done, known) or "to do",
                "prerequisites": [p for p in t.prerequisites if p in ids],
            }
            for t in topics
        ],
        "edges": [{"from": a, "to": b} for a, b in _edges(topics)],
    }


def render(
    curriculum: Curriculum,
    fmt: str,
    *,
    track: str,
    goals: Iterable[str] = (),
    done: Collection[str] = (),
    known: Collection[str] = (),
) -> str:
    """The prerequisite graph in ``fmt`` (one of :data:`GRAPH_FORMATS`)."""
    fmt = fmt.lower()
    if fmt not in GRAPH_FORMATS:
        raise InputError(f"--format must be one of {', '.join(GRAPH_FORMATS)} (got {fmt!r}).")
    if track not in TRACKS:
        raise InputError(f"--track must be one of {', '.join(TRACKS)} (got {track!r}).")
    goals = tuple(goals)
    topics = graph_topics(curriculum, track, goals)
    if fmt == "mermaid":
        return to_mermaid(curriculum, topics, done, known)
    if fmt == "dot":
        what = ", ".join(curriculum.by_id[g].title for g in goals) if goals else curriculum.title
        return to_dot(curriculum, topics, done, known, f"Prerequisites: {what} ({track} track)")
    legend = "✓ done or known · ○ to do\n"
    return legend + to_text(topics, done, known, goals)
