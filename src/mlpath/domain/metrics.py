"""The one set of definitions behind every number mlpath shows. Pure functions.

Every view (``report``, the footnotes of ``done`` and ``log``, ``next``, ``week``,
``history``, the HTML page, CSV and JSON) takes its numbers from here, so they agree.
``docs/glossary.md`` defines each term for learners.

Day convention: a number "on day D" counts everything through the **end** of D.
Today's study and today's share of the plan (one seventh of the week) both count.

- **done hours** of a topic: its estimate when finished, else its logged hours up to
  the estimate. The learner's done hours are the sum over every topic of the record,
  whatever the plan (a finished topic of the other track still counts).
- **planned to date**: where the planned line of the plan in force stands. A plan's line
  starts at the learner's done hours when it was made and rises by the plan's hours,
  each week's hours spread evenly over its days. Topics skipped since are left out.
- **ahead/behind**: done hours less planned to date (negative when behind). Right after
  any plan or re-plan it is exactly 0.
- **pace**: done hours gained per week over the last 4 weeks (or since the first study
  day when shorter), else overall; no plan option changes it.
- **projected finish**: today plus the hours left in the plan's scope at that pace.
- **percent**: done hours of the plan's scope over the scope's estimated hours, one decimal.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from mlpath.domain.planner import Plan
from mlpath.domain.progress import PlanVersion, State

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any

RECENT_DAYS = 28
ON_TRACK_HOURS = 1.0  # within this many hours of the planned line counts as on track


def percent(done: float, total: float) -> float:
    """Done over total as a percentage with one decimal (100 when there is nothing to do)."""
    return round(100 * done / total, 1) if total > 0 else 100.0


def percent_label(value: float) -> str:
    """How every view prints a percentage: at most one decimal, e.g. '17.3%', '12%'."""
    return f"{round(value, 1):g}%"


def hours_label(hours: float) -> str:
    return f"{round(hours, 1):g} h"


def ahead_label(ahead: float) -> str:
    """'on track' (within 1 h), '4.5 h ahead' or '12 h behind' (to a tenth of an hour)."""
    value = round(ahead, 1)
    if abs(ahead) < ON_TRACK_HOURS:
        return "on track"
    return f"{abs(value):g} h {'ahead' if value > 0 else 'behind'}"


class Record:
    """The learner's record with the curriculum's estimates: done hours on any day."""

    def __init__(self, state: State, estimates: Mapping[str, float]) -> None:
        self.state = state
        self.estimates = estimates
        self._series: dict[str, tuple[list[int], list[float]]] | None = None
        # the last day anything happened: on or after it, the record is the whole record
        days = [*state.daily, *state.done.values()]
        self._latest = max(days) if days else None

    @property
    def _days(self) -> dict[str, list[int]]:
        return {t: s[0] for t, s in self._all_series().items()}

    def _all_series(self) -> dict[str, tuple[list[int], list[float]]]:
        # built on first use: only views of past days (the burn-up, history) need it
        if self._series is None:
            self._series = self.state.topic_series()
        return self._series

    def logged_by(self, tid: str, day: date) -> float:
        series = self._all_series().get(tid)
        days = series[0] if series else None
        if not days:
            return 0.0
        i = bisect.bisect_right(days, day.toordinal())
        return series[1][i - 1] if series and i else 0.0

    def topic_done_hours(self, tid: str, day: date | None = None) -> float:
        """Done hours of one topic through the end of ``day`` (None: the whole record)."""
        if day is not None and (self._latest is None or day >= self._latest):
            day = None  # nothing after it: no need to look the days up
        estimate = self.estimates.get(tid)
        finished = self.state.done.get(tid)
        logged = self.state.logged.get(tid, 0.0) if day is None else self.logged_by(tid, day)
        if finished is not None and (day is None or finished <= day):
            return estimate if estimate is not None else logged
        return min(logged, estimate) if estimate is not None else logged

    def topics(self) -> set[str]:
        return set(self.state.done) | self.state.topics_with_days() | set(self.state.logged)

    def done_hours(self, day: date | None = None, among: Iterable[str] | None = None) -> float:
        """The learner's done hours through ``day``, over every topic or those ``among``."""
        tids = self.topics() if among is None else set(among) & self.topics()
        return round(sum(self.topic_done_hours(t, day) for t in tids), 2)

    def first_day(self) -> date | None:
        days = [
            *self.state.done.values(),
            *(date.fromordinal(s[0][0]) for s in self._all_series().values() if s[0]),
        ]
        return min(days, default=None)


def snapshot_done_hours(version: PlanVersion, estimates: Mapping[str, float]) -> float:
    """The learner's done hours when ``version`` was made (its line's starting point)."""
    total = 0.0
    for tid in set(version.done) | set(version.logged):
        estimate = estimates.get(tid)
        logged = version.logged.get(tid, 0.0)
        if tid in version.done:
            total += estimate if estimate is not None else logged
        else:
            total += min(logged, estimate) if estimate is not None else logged
    return round(total, 2)


def plan_through(plan: Plan, day: date, leave_out: Iterable[str] = ()) -> float:
    """Hours ``plan`` schedules through the end of ``day`` (a week's hours spread over its days)."""
    skip = set(leave_out)
    total = 0.0
    for w in plan.weeks:
        if day < w.start:
            break
        hours = sum(i.hours for i in w.items if i.topic not in skip)
        length = (w.end - w.start).days + 1
        total += hours if day >= w.end else hours * ((day - w.start).days + 1) / length
    return round(total, 2)


def in_force(versions: list[PlanVersion], day: date) -> PlanVersion | None:
    """The plan version in force on ``day``: the latest made on or before it."""
    found = None
    for v in versions:
        if v.day <= day:
            found = v
    return found


@dataclass(frozen=True)
class Line:
    """One plan version's planned line."""

    version: PlanVersion
    plan: Plan
    base: float  # the learner's done hours when it was made
    offset: float  # the plan's own hours through the day it was made

    def at(self, day: date, leave_out: Iterable[str] = ()) -> float:
        return round(self.base + plan_through(self.plan, day, leave_out) - self.offset, 2)


def line_of(version: PlanVersion, estimates: Mapping[str, float], leave_out: Iterable[str]) -> Line:
    plan = Plan.from_dict(version.plan)
    skip = set(leave_out)
    return Line(
        version,
        plan,
        snapshot_done_hours(version, estimates),
        plan_through(plan, version.day, skip),
    )


@dataclass(frozen=True)
class Pace:
    """Hours studied per week: recent, overall, and the basis used for projections."""

    hours_per_week: float
    basis: str | None  # "last 4 weeks", "overall" or None (nothing studied yet)
    recent: float
    overall: float

    @property
    def label(self) -> str:
        if self.basis is None:
            return "no pace yet"
        basis = "your last 4 weeks" if self.basis == "last 4 weeks" else "overall"
        return f"{self.hours_per_week:g} h/week, {basis}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "hours_per_week": self.hours_per_week,
            "basis": self.basis,
            "last_4_weeks": self.recent,
            "overall": self.overall,
        }


def pace(record: Record, today: date) -> Pace:
    """The learner's own pace (see the module docstring); it depends on the record alone."""
    first = record.first_day()
    if first is None or first > today:
        return Pace(0.0, None, 0.0, 0.0)
    weeks = max(1.0, ((today - first).days + 1) / 7)
    now = record.done_hours(today)
    before = record.done_hours(today - timedelta(days=RECENT_DAYS))
    recent = round((now - before) / min(4.0, weeks), 2)
    overall = round(now / weeks, 2)
    if recent > 0:
        return Pace(recent, "last 4 weeks", recent, overall)
    if overall > 0:
        return Pace(overall, "overall", recent, overall)
    return Pace(0.0, None, recent, overall)


def projected_finish(
    remaining: float, speed: Pace, today: date, last_done: date | None
) -> date | None:
    if remaining <= 0:
        return last_done or today
    if speed.hours_per_week <= 0:
        return None
    return today + timedelta(days=math.ceil(7 * remaining / speed.hours_per_week))
