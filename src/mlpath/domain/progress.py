"""Derive a learner's state from the append-only event log. Pure functions.

Events are plain dicts (the store's JSON): every event has ``seq`` (increasing
integer), ``type`` and ``at`` (ISO timestamp of recording). Types:

- ``done``:   ``topic``, ``date`` (study date), optional ``hours`` (study time)
- ``log``:    ``topic``, ``date``, ``hours``
- ``plan``:   ``profile`` and ``plan`` (the saved plan)
- ``plan``:   also ``date`` (the study day it was made on; schema 2)
- ``lab``:    ``topic``, ``lab``, ``date``, ``status`` ("passed")
- ``quiz``:   ``topic``, ``date``, ``seed``, ``score``, ``total``, ``percent``, ``passed``,
  ``questions`` (the ids asked)
- ``skip``:   ``topic``, ``date``: counted as known, without hours (schema 2)
- ``reopen``: ``topic``, ``date``: the topic is no longer finished (schema 2)
- ``review``: ``topic``, ``date``, ``reviewed_at`` (UTC timestamp), ``rating`` (1 Again, 2 Hard,
  3 Good, 4 Easy), ``score``, ``total``, ``seconds`` (optional), ``questions`` (the ids asked)
- ``placement``: ``date``, ``known`` (the confirmed topic ids), ``asked``
  (``[{"topic", "question", "correct"}]``), ``seed``
- ``undone``: ``target`` (the ``seq`` of the event it reverts)

A topic has *evidence* (:func:`has_evidence`) when its lab passed, a quiz on it passed, or a
confirmed placement test found it known after the learner answered its questions right.
Evidence kinds carry ``topic`` and ``date`` and never count as study hours unless they carry
``hours``.

Nothing is ever deleted: ``mlpath undo`` appends an ``undone`` event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime

from mlpath.errors import NothingToUndo

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any

Event = dict[str, "Any"]
EVENT_TYPES = (
    "done",
    "log",
    "plan",
    "lab",
    "quiz",
    "review",
    "placement",
    "skip",
    "reopen",
    "undone",
)


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
    skipped: dict[str, date] = field(default_factory=dict)  # topic -> date counted as known
    # every plan version in force at some point, oldest first (see PlanVersion)
    plans: list[PlanVersion] = field(default_factory=list)
    # topic -> date -> hours (see topic_days), decoded from the stored summary on first use:
    # the burn-up needs it, but `next` and `done` do not, and with a long history it is large
    _topic_days: dict[str, dict[date, float]] | None = field(
        default=None, repr=False, compare=False
    )
    _topic_days_raw: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, State):
            return NotImplemented
        same = all(
            getattr(self, f.name) == getattr(other, f.name) for f in fields(self) if f.compare
        )
        return same and self.topic_days == other.topic_days

    def topics_with_days(self) -> set[str]:
        """The topics that have study time on some day (without decoding the days)."""
        if self._topic_days is None and self._topic_days_raw is not None:
            return set(self._topic_days_raw)
        return set(self.topic_days)

    def topic_series(self) -> dict[str, tuple[list[int], list[float]]]:
        """Per topic, its study days as sorted ordinals and the cumulative hours through each:
        what the burn-up bisects. Built straight from the stored text when it is still raw."""
        if self._topic_days is None and self._topic_days_raw is not None:
            return {t: _series(days) for t, days in self._topic_days_raw.items()}
        out = {}
        for tid, per_day in self.topic_days.items():
            days = sorted(per_day)
            total, cum = 0.0, []
            for d in days:
                total += per_day[d]
                cum.append(total)
            out[tid] = ([d.toordinal() for d in days], cum)
        return out

    @property
    def topic_days(self) -> dict[str, dict[date, float]]:
        """The record per topic and day, for the journey's burn-up."""
        if self._topic_days is None:
            raw = self._topic_days_raw or {}
            self._topic_days = {t: decode_days(days) for t, days in raw.items()}
            self._topic_days_raw = None
        return self._topic_days

    @property
    def logged_hours(self) -> float:
        return round(sum(self.logged.values()), 2)


@dataclass(frozen=True)
class PlanVersion:
    """A plan as it was made: its event's ``seq``, the day, its inputs and the plan, with
    the learner's record at that moment (finished topics and logged hours), which is
    where its planned line starts."""

    seq: int
    day: date
    profile: dict[str, Any]
    plan: dict[str, Any]
    done: dict[str, date]
    logged: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "date": self.day.isoformat(),
            "profile": self.profile,
            "plan": self.plan,
            "done": {t: d.isoformat() for t, d in self.done.items()},
            "logged": self.logged,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PlanVersion:
        day = date.fromisoformat
        return cls(
            int(d["seq"]),
            day(d["date"]),
            dict(d["profile"]),
            dict(d["plan"]),
            {t: day(v) for t, v in d["done"].items()},
            {t: float(h) for t, h in d["logged"].items()},
        )


def plan_day(e: Event) -> date:
    """The study day a plan event was made on (older events: its start, else when recorded)."""
    if "date" in e:
        return date.fromisoformat(e["date"])
    start = e.get("profile", {}).get("start")
    return date.fromisoformat(start) if start else _at_date(e)


def derive(
    events: Iterable[Event],
    canonical: Callable[[str], str] = lambda t: t,
    recent: int = 8,
    reverted: set[Any] | None = None,
) -> State:
    """Fold the log into a State. ``canonical`` maps old topic ids to current ones.

    ``events`` is iterated twice (once for the ``undone`` targets, unless ``reverted``
    gives them), never indexed, so a log streamed from disk is never held whole."""
    if reverted is None:
        reverted = reverted_seqs(events)
    st = State()
    for e in events:
        if e.get("type") == "undone" or e.get("seq") in reverted:
            continue
        apply(st, e, canonical, recent)
    return st


def reverted_seqs(events: Iterable[Event]) -> set[Any]:
    """The ``seq`` of every event that an ``undone`` event reverts. A log that keeps them
    (a log streamed from disk has ``undone_targets()``) is asked instead of read."""
    known = getattr(events, "undone_targets", None)
    if callable(known):
        return set(known())
    return {e.get("target") for e in events if e.get("type") == "undone"}


def extend(st: State, events: Iterable[Event], recent: int = 8) -> State:
    """Fold events appended to the log into ``st`` (e.g. from :func:`from_summary`), as
    :func:`derive` of the whole log would. Only for events that are not ``undone`` and
    that no ``undone`` event in the log reverts (the caller checks)."""
    for e in events:
        apply(st, e, lambda t: t, recent)
    return st


def apply(st: State, e: Event, canonical: Callable[[str], str], recent: int = 8) -> None:
    """Fold one effective (not undone, not reverted) event into ``st``."""
    kind = e.get("type")
    if kind == "plan":
        st.plan_event = e
        st.plans.append(
            PlanVersion(
                int(e["seq"]),
                plan_day(e),
                e["profile"],
                e["plan"],
                dict(st.done),
                {t: round(h, 2) for t, h in st.logged.items()},
            )
        )
        _keep(st, e, recent)
        return
    if kind == "placement":
        for t in e.get("evidence", ()):
            st.placed.setdefault(canonical(t), date.fromisoformat(e["date"]))
        _keep(st, e, recent)
        return
    topic = canonical(e.get("topic", ""))
    day = date.fromisoformat(e["date"]) if "date" in e else _at_date(e)
    hours = float(e.get("hours") or 0.0)
    if kind == "done":
        st.done.setdefault(topic, day)
    elif kind == "skip":
        if topic not in st.done:
            st.skipped.setdefault(topic, day)
    elif kind == "reopen":
        st.done.pop(topic, None)
        st.skipped.pop(topic, None)
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
        return
    if hours:
        st.logged[topic] = st.logged.get(topic, 0.0) + hours
        st.daily[day] = st.daily.get(day, 0.0) + hours
        per_day = st.topic_days.setdefault(topic, {})
        per_day[day] = round(per_day.get(day, 0.0) + hours, 2)
    if kind not in ("skip", "reopen"):
        st.active_days.add(day)
    _keep(st, e, recent)


def _keep(st: State, e: Event, recent: int) -> None:
    """``e`` is among the last ``recent`` effective events (all of them when ``recent`` is 0)."""
    st.recent.append(e)
    if 0 < recent < len(st.recent):
        del st.recent[: len(st.recent) - recent]


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


def last_undoable(events: Iterable[Event]) -> Event:
    """The most recent change that has not been reverted yet (read front to back, so that
    a log streamed from disk is never held whole)."""
    reverted = reverted_seqs(events)
    found = None
    for e in events:
        if e.get("type") != "undone" and e.get("seq") not in reverted:
            found = e
    if found is not None:
        return found
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
    if kind == "skip":
        return f"skipped {name} (counted as known) on {when}"
    if kind == "reopen":
        return f"reopened {name} on {when}"
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


def encode_days(days: Mapping[date, float]) -> str:
    """One topic's hours per day as compact text: ``"738000:1.5,2:0.75"``, each day as the
    number of days since the previous one (the first as its ordinal), so that a long record
    stays small to store, checksum and parse."""
    parts, last = [], 0
    for d in sorted(days):
        o = d.toordinal()
        parts.append(f"{o - last}:{days[d]!r}")
        last = o
    return ",".join(parts)


def decode_days(text: str | list[Any]) -> dict[date, float]:
    """The inverse of :func:`encode_days`."""
    out: dict[date, float] = {}
    if isinstance(text, list):  # a plain [[ordinal, hours], ...] list
        return {date.fromordinal(int(o)): float(h) for o, h in text}
    o = 0
    for part in text.split(",") if text else ():
        step, hours = part.split(":")
        o += int(step)
        out[date.fromordinal(o)] = float(hours)
    return out


def _series(text: str | list[Any]) -> tuple[list[int], list[float]]:
    if isinstance(text, list):
        pairs = sorted((int(o), float(h)) for o, h in text)
    else:
        pairs, o = [], 0
        for part in text.split(",") if text else ():
            step, hours = part.split(":")
            o += int(step)
            pairs.append((o, float(hours)))
    ordinals, cum, total = [], [], 0.0
    for o, h in pairs:
        total += h
        ordinals.append(o)
        cum.append(total)
    return ordinals, cum


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
        "skipped": {t: d.isoformat() for t, d in st.skipped.items()},
        "topic_days": {t: encode_days(days) for t, days in st.topic_days.items()},
        "plans": [p.as_dict() for p in st.plans],
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
            *summary["skipped"],
            *summary["reviews"],
            *summary["placed"],
        ]
        if any(canonical(t) != t for t in topics):
            return None
        if not all(isinstance(e, dict) for e in summary["recent"]):
            return None
        day = date.fromisoformat
        plans = [PlanVersion.from_dict(p) for p in summary["plans"]]
        return State(
            plan_event=None,
            skipped={t: day(d) for t, d in summary["skipped"].items()},
            _topic_days_raw=summary["topic_days"],
            plans=plans,
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
