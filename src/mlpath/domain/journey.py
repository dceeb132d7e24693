"""The learner's journey: every plan version, the weeks of its calendar, and where the learner
stands today, computed once with the definitions of :mod:`mlpath.domain.metrics`. Pure.

Every view reads a :class:`Journey`; none computes a number of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

from mlpath.domain import metrics
from mlpath.domain.curriculum import Curriculum, Topic
from mlpath.domain.planner import MAX_HOURS, Plan, Profile, journey_week, make_plan, select_topics
from mlpath.domain.progress import State

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class WeekRow:
    """One week of the journey's calendar (numbers through the end of the week, or today)."""

    week: int
    start: date
    end: date
    done_hours: float  # cumulative
    planned_hours: float | None  # cumulative, of the plan in force that week
    studied_hours: float  # logged in this week
    finished: tuple[str, ...]
    plan_changes: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "done_hours": self.done_hours,
            "planned_hours": self.planned_hours,
            "studied_hours": self.studied_hours,
            "finished": list(self.finished),
            "plan_changes": list(self.plan_changes),
        }


@dataclass(frozen=True)
class WayOut:
    """A command that would bring the plan back on track, and what it does."""

    command: str
    effect: str

    def as_dict(self) -> dict[str, str]:
        return {"command": self.command, "effect": self.effect}


@dataclass(frozen=True)
class Journey:
    """The learner's record, plan and pace on one day; every figure computed once."""

    curriculum: Curriculum
    profile: Profile
    plan: Plan
    state: State
    today: date

    @cached_property
    def record(self) -> metrics.Record:
        return metrics.Record(self.state, {t.id: t.hours for t in self.curriculum.topics})

    @cached_property
    def known(self) -> set[str]:
        return set(self.profile.known) | set(self.state.skipped)

    @cached_property
    def scope(self) -> list[Topic]:
        """Every topic the plan's goals need, finished or not (known and skipped ones left out)."""
        chosen = select_topics(self.curriculum, replace(self.profile, known=tuple(self.known)))
        return [t for t in self.curriculum.topics if t.id in chosen]

    @cached_property
    def scope_ids(self) -> set[str]:
        return {t.id for t in self.scope}

    @property
    def total_hours(self) -> float:
        return round(sum(t.hours for t in self.scope), 2)

    @cached_property
    def done_hours(self) -> float:
        """Done hours of the plan's scope (what percent is of)."""
        return self.record.done_hours(among=self.scope_ids)

    @property
    def finished(self) -> list[Topic]:
        return [t for t in self.scope if t.id in self.state.done]

    @property
    def percent(self) -> float:
        return metrics.percent(self.done_hours, self.total_hours)

    @property
    def remaining_hours(self) -> float:
        return round(self.total_hours - self.done_hours, 2)

    @cached_property
    def learner_hours(self) -> float:
        """The learner's done hours over the whole record, whatever the plan."""
        return self.record.done_hours(self.today)

    @cached_property
    def outside(self) -> dict[str, Any]:
        """Finished topics the plan in force does not hold (other track, known, narrowed goal)."""
        tids = sorted(t for t in self.state.done if t not in self.scope_ids)
        hours = round(sum(self.record.topic_done_hours(t) for t in tids), 2)
        return {"topics": tids, "count": len(tids), "hours": hours}

    @cached_property
    def lines(self) -> list[metrics.Line]:
        est = self.record.estimates
        return [metrics.line_of(v, est, self.state.skipped) for v in self.state.plans]

    def line_in_force(self, day: date) -> metrics.Line | None:
        found = None
        for line in self.lines:
            if line.version.day <= day:
                found = line
        return found

    def planned_on(self, day: date) -> float | None:
        line = self.line_in_force(day)
        return None if line is None else line.at(day, self.state.skipped)

    @cached_property
    def planned_to_date(self) -> float:
        planned = self.planned_on(self.today)
        return self.learner_hours if planned is None else planned

    @property
    def ahead(self) -> float:
        return round(self.learner_hours - self.planned_to_date, 2)

    @cached_property
    def pace(self) -> metrics.Pace:
        return metrics.pace(self.record, self.today)

    @property
    def projected_finish(self) -> date | None:
        last = max((self.state.done[t.id] for t in self.finished), default=None)
        return metrics.projected_finish(self.remaining_hours, self.pace, self.today, last)

    @property
    def planned_finish(self) -> date | None:
        return self.plan.finish

    @cached_property
    def week_one(self) -> date:
        if self.profile.journey_start:
            return self.profile.journey_start
        if self.state.plans:
            return date.fromisoformat(self.state.plans[0].profile["start"])
        return self.profile.start

    def week_of(self, day: date) -> tuple[int, date]:
        return journey_week(self.week_one, day)

    @cached_property
    def weeks(self) -> tuple[WeekRow, ...]:
        """Every week from the journey's first (or the first study day's) up to this one."""
        first = min([self.week_one, *[v.day for v in self.state.plans]])
        study = self.record.first_day()
        if study is not None:
            first = min(first, study)
        if first > self.today:
            return ()
        number, start = self.week_of(first)
        rows = []
        daily = self.state.daily
        while start <= self.today:
            end = start + timedelta(days=6)
            cut = min(end, self.today)
            changes = tuple(
                {
                    "date": v.day.isoformat(),
                    "hours_per_week": v.profile.get("hours_per_week"),
                    "baseline": i == 0,  # the journey's first plan; later ones are re-plans
                }
                for i, v in enumerate(self.state.plans)
                if start <= v.day <= end
            )
            rows.append(
                WeekRow(
                    week=number,
                    start=start,
                    end=end,
                    done_hours=self.record.done_hours(cut),
                    planned_hours=self.planned_on(cut),
                    studied_hours=round(sum(h for d, h in daily.items() if start <= d <= cut), 2),
                    finished=tuple(
                        sorted(t for t, d in self.state.done.items() if start <= d <= cut)
                    ),
                    plan_changes=changes,
                )
            )
            number, start = number + 1, start + timedelta(days=7)
        return tuple(rows)

    @property
    def needs_help(self) -> bool:
        """Behind by more than a week's hours, or past the plan's end with work left."""
        if self.remaining_hours <= 0:
            return False
        past_end = self.plan.finish is not None and self.today > self.plan.finish
        return past_end or self.ahead < -self.plan.hours_per_week

    def _replanned(self, **changes: Any) -> Plan:
        profile = replace(self.profile, start=self.today, **changes)
        return make_plan(self.curriculum, profile, done=self.state.done, spent=self.state.logged)

    def ways_out(self) -> list[WayOut]:
        """Concrete re-plans, each a command to copy with its effect (empty when not needed)."""
        if not self.needs_help:
            return []
        hours = self.profile.hours_per_week
        same = self._replanned()
        out = [
            WayOut(
                f"mlpath plan --hours {hours:g}",
                f"re-plan from today at {hours:g} h/week: finish {_d(same.finish)}",
            )
        ]
        finish = self.plan.finish
        if finish is not None and finish > self.today:
            weeks_left = ((finish - self.today).days + 1) / 7
            needed = math.ceil(2 * same.total_hours / weeks_left) / 2
            if needed <= MAX_HOURS:
                out.append(
                    WayOut(
                        f"mlpath plan --hours {needed:g}",
                        f"{needed:g} h/week keeps the finish date {_d(finish)}",
                    )
                )
        optional = [t for t in self.scope if t.optional and t.id not in self.state.done]
        if optional:
            goals = [g for g in self.profile.goals if not self.curriculum.by_id[g].optional]
            trimmed = self._replanned(goals=tuple(goals))
            flag = " ".join(f"--goal {g}" for g in goals) if goals else "--goal all"
            out.append(
                WayOut(
                    f"mlpath plan {flag}",
                    f"drop {len(optional)} optional topic{'s' * (len(optional) != 1)}: "
                    f"finish {_d(trimmed.finish)}",
                )
            )
        return out

    def warning(self) -> str | None:
        if not self.needs_help:
            return None
        if self.plan.finish is not None and self.today > self.plan.finish:
            return (
                f"Your plan ended on {_d(self.plan.finish)} with "
                f"{metrics.hours_label(self.remaining_hours)} left."
            )
        return (
            f"You are {metrics.hours_label(-self.ahead)} behind: "
            f"more than a week's hours ({self.plan.hours_per_week:g} h)."
        )

    def outside_label(self) -> str | None:
        n = self.outside["count"]
        if not n:
            return None
        return (
            f"{n} topic{'s' * (n != 1)} done outside this plan, "
            f"{metrics.hours_label(self.outside['hours'])}"
        )


def _d(day: date | None) -> str:
    return f"{day:%a %d %b %Y}" if day else "—"


def unmet_prerequisites(
    curriculum: Curriculum, topic: Topic, satisfied: set[str], track: str
) -> list[str]:
    """The prerequisites of ``topic`` that are not yet satisfied (on this track)."""
    by_id = curriculum.by_id
    return [
        p
        for p in topic.prerequisites
        if p in by_id and by_id[p].in_track(track) and p not in satisfied
    ]


def phase_footnote(j: Journey, topic: Topic) -> str:
    """E.g. 'Probability & statistics: 3/7 topics · overall 12.1% (41/340 h)'."""
    topics = j.scope
    if topic.id not in j.scope_ids:
        topics = [*topics, topic]
    in_phase = [t for t in topics if t.phase == topic.phase]
    fin_phase = sum(1 for t in in_phase if t.id in j.state.done)
    title = j.curriculum.phase_titles.get(topic.phase, topic.phase)
    return (
        f"{title}: {fin_phase}/{len(in_phase)} topics · overall "
        f"{metrics.percent_label(j.percent)} ({j.done_hours:g}/{j.total_hours:g} h)"
    )
