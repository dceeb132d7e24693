"""Derive a learner's state from the append-only event log. Pure functions.

Events are plain dicts (the store's JSON): every event has ``seq`` (increasing
integer), ``type`` and ``at`` (ISO timestamp of recording). Types:

- ``done``:   ``topic``, ``date`` (study date), optional ``hours`` (study time)
- ``log``:    ``topic``, ``date``, ``hours``
- ``plan``:   ``profile`` and ``plan`` (the saved plan)
- ``lab``:    ``topic``, ``lab``, ``date``, ``status`` ("passed")
- ``quiz``:   ``topic``, ``date``, ``seed``, ``score``, ``total``, ``percent``, ``passed``,
  ``questions`` (the ids asked)
- ``review``: ``topic``, ``date``, ``reviewed_at`` (UTC timestamp), ``rating`` (1 Again, 2 Hard,
  3 Good, 4 Easy), ``score``, ``total``, ``seconds`` (optional), ``questions`` (the ids asked)
- ``placement``: ``date``, ``known`` (the confirmed topic ids), ``asked``
  (``[{"topic", "question", "correct"}]``), ``seed``
- ``undone``: ``target`` (the ``seq`` of the event it reverts)

A topic has *evidence* (:func:`has_evidence`) when its lab passed, a quiz on it passed, or a
confirmed placement test found it known after the learner answered its questions right.

Nothing is ever deleted: ``mlpath undo`` appends an ``undone`` event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from mlpath.errors import NothingToUndo

Event = dict[str, Any]
EVENT_TYPES = ("done", "log", "plan", "lab", "quiz", "review", "placement", "undone")


@dataclass
class State:
    """What the event log says, with topic ids already mapped through renames."""

    done: dict[str, date] = field(default_factory=dict)  # topic -> date finished
    logged: dict[str, float] = field(default_factory=dict)  # topic -> hours of study time
    daily: dict[date, float] = field(default_factory=dict)  # date -> hours of study time
    active_days: set[date] = field(default_factory=set)
    labs_passed: dict[str, date] = field(default_factory=dict)  # topic -> date
    quizzes_passed: dict[str, date] = field(default_factory=dict)  # topic -> first pass
    quiz_best: dict[str, float] = field(default_factory=dict)  # topic -> best percent
    # topic -> its review log, oldest first: [reviewed_at (ISO, UTC), rating, seconds, due]
    reviews: dict[str, list[list[Any]]] = field(default_factory=dict)
    placed: dict[str, date] = field(default_factory=dict)  # topic -> placement evidence date
    plan_event: Event | None = None
    recent: list[Event] = field(default_factory=list)  # last effective events, newest last

    @property
    def logged_hours(self) -> float:
        return round(sum(self.logged.values()), 2)


def derive(
    events: Sequence[Event],
    canonical: Callable[[str], str] = lambda t: t,
    recent: int = 8,
) -> State:
    """Fold the log into a State. ``canonical`` maps old topic ids to current ones."""
    reverted = {e.get("target") for e in events if e.get("type") == "undone"}
    st = State()
    kept: list[Event] = []
    for e in events:
        kind = e.get("type")
        if kind == "undone" or e.get("seq") in reverted:
            continue
        if kind == "plan":
            st.plan_event = e
            kept.append(e)
            continue
        if kind == "placement":
            for t in e.get("evidence", ()):
                st.placed.setdefault(canonical(t), date.fromisoformat(e["date"]))
            kept.append(e)
            continue
        topic = canonical(e.get("topic", ""))
        day = date.fromisoformat(e["date"]) if "date" in e else _at_date(e)
        hours = float(e.get("hours") or 0.0)
        if kind == "done":
            st.done.setdefault(topic, day)
        elif kind == "lab":
            if e.get("status", "passed") == "passed":
                st.labs_passed.setdefault(topic, day)
        elif kind == "quiz":
            st.quiz_best[topic] = max(st.quiz_best.get(topic, 0.0), float(e.get("percent", 0)))
            if e.get("passed"):
                st.quizzes_passed.setdefault(topic, day)
        elif kind == "review":
            entry = [e["reviewed_at"], int(e["rating"]), e.get("seconds"), e.get("due")]
            st.reviews.setdefault(topic, []).append(entry)
        elif kind != "log":
            continue
        if hours:
            st.logged[topic] = st.logged.get(topic, 0.0) + hours
            st.daily[day] = st.daily.get(day, 0.0) + hours
        st.active_days.add(day)
        kept.append(e)
    st.recent = kept[-recent:]
    return st


def has_evidence(topic: str, state: State) -> bool:
    """True when the topic is backed by evidence: its lab passed or a quiz on it scored 80%+."""
    return topic in state.labs_passed or topic in state.quizzes_passed or topic in state.placed


def evidence_date(topic: str, state: State) -> date | None:
    """The first day the topic had evidence (the start of its review schedule), or None."""
    days = [d.get(topic) for d in (state.labs_passed, state.quizzes_passed, state.placed)]
    return min((d for d in days if d is not None), default=None)


def _at_date(e: Event) -> date:
    return datetime.fromisoformat(e["at"]).date()


def next_seq(events: Sequence[Event]) -> int:
    return int(events[-1]["seq"]) + 1 if events else 1


def new_event(events: Sequence[Event], kind: str, now: datetime, **fields: Any) -> Event:
    """A new event for ``events`` (not yet appended), stamped with ``now``."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    event: Event = {"seq": next_seq(events), "type": kind, "at": now.isoformat(timespec="seconds")}
    event.update({k: v for k, v in fields.items() if v is not None})
    return event


def last_undoable(events: Sequence[Event]) -> Event:
    """The most recent change that has not been reverted yet."""
    reverted = {e.get("target") for e in events if e.get("type") == "undone"}
    for e in reversed(events):
        if e.get("type") != "undone" and e.get("seq") not in reverted:
            return e
    raise NothingToUndo("There is nothing to undo.", hint="Nothing has been recorded yet.")


def describe(event: Event, titles: Mapping[str, str] | None = None) -> str:
    """One line describing an event for a learner."""
    titles = titles or {}
    kind = event.get("type")
    topic = event.get("topic", "")
    name = f"{titles.get(topic, topic)} ({topic})" if topic in titles else topic
    when = event.get("date") or str(event.get("at", ""))[:10]
    if kind == "done":
        extra = f", {event['hours']:g} h" if event.get("hours") else ""
        return f"done {name} on {when}{extra}"
    if kind == "log":
        return f"logged {event.get('hours', 0):g} h on {name} on {when}"
    if kind == "lab":
        return f"lab passed for {name} on {when}"
    if kind == "quiz":
        verdict = "passed" if event.get("passed") else "not passed"
        return (
            f"quiz on {name} on {when}: {event.get('score', 0)}/{event.get('total', 0)} "
            f"({event.get('percent', 0):g}%, {verdict})"
        )
    if kind == "review":
        rating = {1: "again", 2: "hard", 3: "good", 4: "easy"}.get(event.get("rating", 0), "?")
        return (
            f"review of {name} on {when}: {event.get('score', 0)}/{event.get('total', 0)} "
            f"({rating})"
        )
    if kind == "placement":
        return f"placement test on {when}: {len(event.get('known', []))} topics known"
    if kind == "plan":
        prof = event.get("profile", {})
        return f"plan at {prof.get('hours_per_week', '?'):g} h/week from {prof.get('start', '?')}"
    return f"{kind} {event.get('target', '')}"


def streak(active_days: Iterable[date], today: date) -> int:
    """Consecutive active days ending today (or yesterday, if today has no activity yet)."""
    days = set(active_days)
    cursor = today if today in days else date.fromordinal(today.toordinal() - 1)
    n = 0
    while cursor in days:
        n += 1
        cursor = date.fromordinal(cursor.toordinal() - 1)
    return n


def summarize(st: State) -> dict[str, Any]:
    """The State as plain JSON data, stored beside the log so that reads can skip folding it."""
    return {
        "done": {t: d.isoformat() for t, d in st.done.items()},
        "logged": st.logged,
        "daily": {d.isoformat(): h for d, h in st.daily.items()},
        "active_days": sorted(d.isoformat() for d in st.active_days),
        "labs_passed": {t: d.isoformat() for t, d in st.labs_passed.items()},
        "quizzes_passed": {t: d.isoformat() for t, d in st.quizzes_passed.items()},
        "quiz_best": st.quiz_best,
        "reviews": st.reviews,
        "placed": {t: d.isoformat() for t, d in st.placed.items()},
        "recent": st.recent,
    }


def from_summary(summary: Mapping[str, Any], canonical: Callable[[str], str]) -> State | None:
    """Rebuild a State from :func:`summarize`'s data, or None when it cannot stand in for
    :func:`derive` (malformed, or a renamed topic id that would merge entries)."""
    try:
        topics = [
            *summary["done"],
            *summary["logged"],
            *summary["labs_passed"],
            *summary["quizzes_passed"],
            *summary["reviews"],
            *summary["placed"],
        ]
        if any(canonical(t) != t for t in topics):
            return None
        day = date.fromisoformat
        return State(
            done={t: day(d) for t, d in summary["done"].items()},
            logged={t: float(h) for t, h in summary["logged"].items()},
            daily={day(d): float(h) for d, h in summary["daily"].items()},
            active_days={day(d) for d in summary["active_days"]},
            labs_passed={t: day(d) for t, d in summary["labs_passed"].items()},
            quizzes_passed={t: day(d) for t, d in summary["quizzes_passed"].items()},
            quiz_best={t: float(p) for t, p in summary["quiz_best"].items()},
            reviews={t: [list(r) for r in log] for t, log in summary["reviews"].items()},
            placed={t: day(d) for t, d in summary["placed"].items()},
            recent=list(summary["recent"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
