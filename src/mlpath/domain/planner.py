"""Turn a curriculum and a learner's profile into a week-by-week plan. Pure functions.

Which topics: the goals and everything they need, found by walking prerequisites
backwards from the goals without walking past a topic the learner knows or has
done (Metacademy's semantics). Topics of the other framework track are never
planned, and a prerequisite on the other track's topic is ignored.

Order: prerequisites always come first. ``phases`` follows the curriculum's
phase order like a classic syllabus. ``just-in-time`` keeps that order for every
topic outside the first phase (the foundations, math in the bundled curriculum)
and moves each foundation topic to just before the first topic that needs it, so
the math arrives interleaved with the ML that uses it; a foundation topic that
nothing later in the plan needs keeps its ``phases`` place. Ties are broken by
the curriculum's file order, so the same input always gives the same plan.

Weeks: each holds at most the weekly hours; a topic that does not fit continues
in the next week; only the last week may have unused hours.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from mlpath.domain.curriculum import TRACKS, Curriculum, Topic
from mlpath.errors import InputError, PlanError

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any

STRATEGIES = ("phases", "just-in-time")
MIN_HOURS, MAX_HOURS = 0.5, 100.0
_MIN = 60  # plans are packed in whole minutes so that sums never drift


@dataclass(frozen=True)
class Profile:
    """The learner's planning inputs."""

    hours_per_week: float
    start: date
    goals: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    track: str = "pytorch"
    strategy: str = "phases"
    # The journey's calendar: the first day of its week 1. Chosen once (the first plan's
    # start, or --week-start) and kept by every re-plan, so week numbers never move.
    journey_start: date | None = None

    @property
    def week_one(self) -> date:
        return self.journey_start or self.start

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "hours_per_week": self.hours_per_week,
            "start": self.start.isoformat(),
            "goals": list(self.goals),
            "known": list(self.known),
            "track": self.track,
            "strategy": self.strategy,
        }
        if self.journey_start is not None:
            out["journey_start"] = self.journey_start.isoformat()
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Profile:
        return cls(
            hours_per_week=float(d["hours_per_week"]),
            start=date.fromisoformat(d["start"]),
            goals=tuple(d.get("goals", ())),
            known=tuple(d.get("known", ())),
            track=d.get("track", "pytorch"),
            strategy=d.get("strategy", "phases"),
            journey_start=date.fromisoformat(d["journey_start"])
            if d.get("journey_start")
            else None,
        )


@dataclass(frozen=True)
class PlanItem:
    """Hours of one topic in one week of a plan."""

    topic: str
    hours: float


@dataclass(frozen=True)
class Week:
    """One week of a plan: its dates and what to study in it."""

    index: int
    start: date
    end: date
    items: tuple[PlanItem, ...]

    @property
    def hours(self) -> float:
        return sum(i.hours for i in self.items)


@dataclass(frozen=True)
class Plan:
    """A plan: the topics in order, packed into weeks, and when it finishes."""

    topics: tuple[str, ...]
    weeks: tuple[Week, ...]
    total_hours: float
    finish: date | None
    hours_per_week: float
    start: date
    topic_hours: Mapping[str, float] = field(default_factory=dict)
    review_hours: float = 0.0  # of hours_per_week, reserved for spaced review

    def to_dict(self) -> dict[str, Any]:
        """The plan's JSON form (also what ``mlpath plan --json`` prints)."""
        return {
            "topics": list(self.topics),
            "weeks": [
                {
                    "index": w.index,
                    "start": w.start.isoformat(),
                    "end": w.end.isoformat(),
                    "items": [
                        {"topic": i.topic, "hours": i.hours, "minutes": round(i.hours * _MIN)}
                        for i in w.items
                    ],
                }
                for w in self.weeks
            ],
            "total_hours": self.total_hours,
            "finish": self.finish.isoformat() if self.finish else None,
            "hours_per_week": self.hours_per_week,
            "start": self.start.isoformat(),
            "review_hours_per_week": self.review_hours,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Plan:
        weeks = tuple(
            Week(
                index=int(w["index"]),
                start=date.fromisoformat(w["start"]),
                end=date.fromisoformat(w["end"]),
                items=tuple(PlanItem(i["topic"], float(i["hours"])) for i in w["items"]),
            )
            for w in d["weeks"]
        )
        per_topic: dict[str, float] = {}
        for w in weeks:
            for i in w.items:
                per_topic[i.topic] = per_topic.get(i.topic, 0.0) + i.hours
        return cls(
            topics=tuple(d["topics"]),
            weeks=weeks,
            total_hours=float(d["total_hours"]),
            finish=date.fromisoformat(d["finish"]) if d.get("finish") else None,
            hours_per_week=float(d.get("hours_per_week", 0) or 0),
            start=date.fromisoformat(d["start"])
            if d.get("start")
            else weeks[0].start
            if weeks
            else date.min,
            topic_hours=per_topic,
            review_hours=float(d.get("review_hours_per_week", 0) or 0),
        )

    def weeks_of(self, topic_id: str) -> list[int]:
        return [w.index for w in self.weeks if any(i.topic == topic_id for i in w.items)]


def check_profile(curriculum: Curriculum, profile: Profile) -> None:
    """Raise InputError/PlanError for planning inputs that cannot be used."""
    if not (MIN_HOURS <= profile.hours_per_week <= MAX_HOURS) or math.isnan(profile.hours_per_week):
        raise InputError(
            f"--hours must be between {MIN_HOURS:g} and {MAX_HOURS:g} hours a week "
            f"(got {profile.hours_per_week:g})."
        )
    if profile.track not in TRACKS:
        raise InputError(f"--track must be one of {', '.join(TRACKS)} (got {profile.track!r}).")
    if profile.strategy not in STRATEGIES:
        raise InputError(
            f"--strategy must be one of {', '.join(STRATEGIES)} (got {profile.strategy!r})."
        )
    for option, ids in (("--goal", profile.goals), ("--known", profile.known)):
        for tid in ids:
            topic = curriculum.topic(tid)  # raises TopicNotFound with suggestions
            if option == "--goal" and not topic.in_track(profile.track):
                raise PlanError(
                    f"Goal '{tid}' belongs to the {topic.track} track, not {profile.track}.",
                    hint=f"Add --track {topic.track}, or choose another goal.",
                )


def _prereqs(curriculum: Curriculum, topic: Topic, track: str) -> list[str]:
    """Prerequisites that count on this track (the other track's topics are ignored)."""
    by_id = curriculum.by_id
    return [p for p in topic.prerequisites if p in by_id and by_id[p].in_track(track)]


def select_topics(
    curriculum: Curriculum, profile: Profile, stop_at: Iterable[str] = ()
) -> set[str]:
    """Goals and their prerequisites, not walking past topics in ``stop_at`` or known ones."""
    stop = set(stop_at) | set(profile.known)
    goals = profile.goals or tuple(
        t.id for t in curriculum.topics if t.in_track(profile.track) and not t.optional
    )
    selected: set[str] = set()
    stack = [g for g in goals if g not in stop]
    while stack:
        tid = stack.pop()
        if tid in selected:
            continue
        selected.add(tid)
        topic = curriculum.by_id[tid]
        stack.extend(p for p in _prereqs(curriculum, topic, profile.track) if p not in stop)
    return selected


def order_topics(
    curriculum: Curriculum, selected: set[str], track: str, strategy: str
) -> list[str]:
    """Order the selected topics so that prerequisites come first (see module docstring)."""
    phase_of, position = curriculum.phase_index, curriculum.position
    by_id = curriculum.by_id
    keys = {tid: (phase_of.get(by_id[tid].phase, 0), position[tid]) for tid in selected}
    key = keys.__getitem__
    prereqs = {
        tid: sorted((p for p in by_id[tid].prerequisites if p in keys), key=key) for tid in selected
    }
    order = _kahn(selected, prereqs, key)
    if strategy == "phases" or not curriculum.phases:
        return order
    depth: dict[str, int] = {}
    for tid in order:  # longest chain of prerequisites below each topic
        depth[tid] = 1 + max((depth[p] for p in prereqs[tid]), default=-1)
    jit_prereqs = {t: sorted(ps, key=lambda p: (-depth[p], key(p))) for t, ps in prereqs.items()}
    first_phase = curriculum.phases[0].id
    movable = {t for t in selected if by_id[t].phase == first_phase}
    return _just_in_time(order, jit_prereqs, movable)


def _kahn(selected: set[str], prereqs: dict[str, list[str]], key: Any) -> list[str]:
    dependents: dict[str, list[str]] = {t: [] for t in selected}
    missing = {t: len(ps) for t, ps in prereqs.items()}
    for t, ps in prereqs.items():
        for p in ps:
            dependents[p].append(t)
    heap = [(key(t), t) for t, n in missing.items() if n == 0]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        _, t = heapq.heappop(heap)
        order.append(t)
        for d in dependents[t]:
            missing[d] -= 1
            if missing[d] == 0:
                heapq.heappush(heap, (key(d), d))
    if len(order) != len(selected):  # only possible with a cyclic custom curriculum
        raise PlanError(
            "The curriculum's prerequisites form a cycle; run `mlpath curriculum check`."
        )
    return order


def _just_in_time(order: list[str], prereqs: dict[str, list[str]], movable: set[str]) -> list[str]:
    """Reorder ``order`` (a valid prerequisite order) so that movable topics come just in time.

    Topics that are not movable keep their relative order. Before each of them,
    and before each movable topic that no unmovable topic needs, come the
    movable prerequisites still missing, depth-first with the deepest chain
    first, so that the shallow ones end up closest to the topic that needs them.
    Every other prerequisite of a topic precedes it in ``order`` and so is
    already placed.
    """
    needed: set[str] = set()  # movable topics with an unmovable topic after them
    for tid in reversed(order):
        if tid not in movable or tid in needed:
            needed.update(p for p in prereqs[tid] if p in movable)
    placed: set[str] = set()
    out: list[str] = []
    for anchor in order:
        if anchor in needed or anchor in placed:
            continue
        stack: list[tuple[str, int]] = [(anchor, 0)]
        placed.add(anchor)
        while stack:
            tid, i = stack[-1]
            if i < len(prereqs[tid]):
                stack[-1] = (tid, i + 1)
                p = prereqs[tid][i]
                if p in movable and p not in placed:
                    placed.add(p)
                    stack.append((p, 0))
            else:
                stack.pop()
                out.append(tid)
    return out


def remaining_minutes(topic: Topic, spent_hours: float) -> int:
    """Minutes still to plan for a topic: its estimate less logged time, never below a tenth."""
    full = max(1, round(topic.hours * _MIN))
    floor = max(1, round(full / 10))
    return max(floor, full - round(spent_hours * _MIN))


def journey_week(week_one: date, day: date) -> tuple[int, date]:
    """The journey week number of ``day`` and that week's first day (weeks of 7 days from
    ``week_one``, week 1; days before it fall in week 0, -1, ...)."""
    offset = (day - week_one).days // 7
    return offset + 1, week_one + timedelta(days=7 * offset)


def pack_weeks(
    order: list[tuple[str, int]], hours_per_week: float, start: date, week_one: date | None = None
) -> list[Week]:
    """Fill weeks of ``hours_per_week`` in order; a topic that does not fit continues next week.

    Weeks follow the journey's calendar (from ``week_one``, default ``start``): a plan
    that starts mid-week gets that week's remaining days, pro rata.
    """
    capacity = max(1, round(hours_per_week * _MIN))
    number, first = journey_week(week_one or start, start)
    first_days = 7 - (start - first).days
    weeks: list[Week] = []
    items: list[PlanItem] = []
    left = max(1, round(capacity * first_days / 7))

    def close_week() -> None:
        nonlocal items, left
        ws = start if not weeks else first + timedelta(days=7 * len(weeks))
        weeks.append(
            Week(number + len(weeks), ws, first + timedelta(days=7 * len(weeks) + 6), tuple(items))
        )
        items, left = [], capacity

    for tid, minutes in order:
        while minutes > 0:
            take = min(minutes, left)
            items.append(PlanItem(tid, take / _MIN))  # exact: rounded only on screen
            minutes -= take
            left -= take
            if left == 0:
                close_week()
    if items:
        close_week()
    return weeks


def _check_span(profile: Profile, total_minutes: int, hours_per_week: float) -> None:
    """PlanError when the plan would run past LAST_PLAN_DAY (dates end at year 9999)."""
    from mlpath.domain.bounds import LAST_PLAN_DAY

    capacity = max(1, round(hours_per_week * _MIN))
    weeks = -(-total_minutes // capacity) + 1
    if profile.start.toordinal() + 7 * weeks > LAST_PLAN_DAY.toordinal():
        raise PlanError(
            f"This plan would end after {LAST_PLAN_DAY.year}: {weeks} weeks at "
            f"{profile.hours_per_week:g} h a week from {profile.start.isoformat()}.",
            hint="Choose an earlier --start, more --hours, or fewer goals.",
        )


def make_plan(
    curriculum: Curriculum,
    profile: Profile,
    done: Iterable[str] = (),
    spent: Mapping[str, float] | None = None,
    review_hours: float = 0.0,
) -> Plan:
    """Plan the learner's remaining topics into weeks from ``profile.start``.

    ``done`` topics are not planned (and not walked past); ``spent`` maps topic
    ids to hours already logged, which shortens what is left of them. ``review_hours``
    a week are kept for spaced review (at most half the week), the rest is for new topics.
    """
    check_profile(curriculum, profile)
    done_set = set(done)
    spent = spent or {}
    selected = select_topics(curriculum, profile, stop_at=done_set)
    order = order_topics(curriculum, selected, profile.track, profile.strategy)
    minutes = [(t, remaining_minutes(curriculum.by_id[t], spent.get(t, 0.0))) for t in order]
    review_hours = round(min(max(review_hours, 0.0), profile.hours_per_week / 2), 2)
    study = profile.hours_per_week - review_hours
    total = sum(m for _, m in minutes)
    _check_span(profile, total, study)
    weeks = pack_weeks(minutes, study, profile.start, profile.week_one)
    finish = None
    if weeks:
        last = weeks[-1]
        used = round(last.hours * _MIN)
        capacity = max(1, round(study * _MIN))
        length = (last.end - last.start).days + 1
        days = max(1, math.ceil(7 * used / capacity))
        finish = min(last.end, last.start + timedelta(days=days - 1)) if length == 7 else None
        if finish is None:  # a partial first week is also the last
            finish = last.start + timedelta(days=min(length, max(1, days)) - 1)
    return Plan(
        topics=tuple(order),
        weeks=tuple(weeks),
        total_hours=total / _MIN,
        finish=finish,
        hours_per_week=profile.hours_per_week,
        start=profile.start,
        topic_hours={t: m / _MIN for t, m in minutes},
        review_hours=review_hours,
    )
