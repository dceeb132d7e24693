"""What every export shows, gathered once: the plan, the progress and what follows from them.

A :class:`Snapshot` is plain data plus a few derived views that several formats
share (each topic's status and weeks, the report), so that a topic reads
"done" in the calendar, the Markdown, the CSV and the HTML alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from mlpath.domain.curriculum import Curriculum, Topic
from mlpath.domain.journey import Journey
from mlpath.domain.planner import Plan, Profile, make_plan
from mlpath.domain.progress import State
from mlpath.domain.report import STATUSES, Report, build_report, scope, topic_status

__all__ = ["STATUSES", "Snapshot", "TopicRow"]


@dataclass(frozen=True)
class TopicRow:
    """One topic of the export: what the CSV and JSON list, one per topic."""

    topic: str
    title: str
    phase: str
    hours: float  # the hours the plan gives it (its estimate when it is not in the plan)
    weeks: tuple[int, ...]
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "title": self.title,
            "phase": self.phase,
            "hours": self.hours,
            "weeks": list(self.weeks),
            "status": self.status,
        }


@dataclass(frozen=True)
class Snapshot:
    """The saved plan and the learner's progress on ``today``."""

    curriculum: Curriculum
    profile: Profile
    plan: Plan
    state: State
    today: date

    @classmethod
    def for_track(
        cls,
        curriculum: Curriculum,
        profile: Profile,
        plan: Plan,
        state: State,
        today: date,
        track: str | None = None,
    ) -> Snapshot:
        """The saved plan, or, for another ``track`` than the plan's, the same plan made for it.

        The replanned plan keeps the saved start, hours, progress and the goals that
        exist on ``track``; it is not saved.
        """
        if track is None or track.lower() == profile.track:
            return cls(curriculum, profile, plan, state, today)
        track = track.lower()
        by_id = curriculum.by_id
        goals = tuple(g for g in profile.goals if g in by_id and by_id[g].in_track(track))
        other = replace(profile, track=track, goals=goals)
        replanned = make_plan(curriculum, other, done=state.done, spent=state.logged)
        return cls(curriculum, other, replanned, state, today)

    def title(self, topic_id: str) -> str:
        topic = self.curriculum.by_id.get(topic_id)
        return topic.title if topic else topic_id

    def status(self, topic_id: str) -> str:
        """One of :data:`STATUSES`, as ``mlpath topics`` shows it."""
        return topic_status(topic_id, self.state, self.profile.known, self.plan.topic_hours)

    @cached_property
    def weeks_of(self) -> dict[str, tuple[int, ...]]:
        """The plan weeks in which each planned topic is studied."""
        out: dict[str, list[int]] = {}
        for week in self.plan.weeks:
            for item in week.items:
                out.setdefault(item.topic, []).append(week.index)
        return {tid: tuple(dict.fromkeys(ws)) for tid, ws in out.items()}

    @cached_property
    def topics(self) -> tuple[Topic, ...]:
        """The plan's topics in order, then the rest of the goals' scope (done before planning)."""
        by_id = self.curriculum.by_id
        planned = [by_id[t] for t in self.plan.topics if t in by_id]
        seen = {t.id for t in planned}
        rest = [t for t in scope(self.curriculum, self.profile) if t.id not in seen]
        return (*planned, *rest)

    @cached_property
    def rows(self) -> tuple[TopicRow, ...]:
        phases = self.curriculum.phase_titles
        return tuple(
            TopicRow(
                topic=t.id,
                title=t.title,
                phase=phases.get(t.phase, t.phase),
                hours=self.plan.topic_hours.get(t.id, t.hours),
                weeks=self.weeks_of.get(t.id, ()),
                status=self.status(t.id),
            )
            for t in self.topics
        )

    @cached_property
    def report(self) -> Report:
        return build_report(self.curriculum, self.profile, self.plan, self.state, self.today)

    @cached_property
    def journey(self) -> Journey:
        return Journey(self.curriculum, self.profile, self.plan, self.state, self.today)

    def cumulative_plan(self) -> list[tuple[int, date, float]]:
        """(journey week, last day, planned hours by its end) from the journey's first week to
        the plan's last: the plan in force each past week, then the plan in force now."""
        j = self.journey
        out = [(w.week, w.end, w.planned_hours or 0.0) for w in j.weeks]
        last = self.plan.weeks[-1].end if self.plan.weeks else self.today
        number, start = (
            (out[-1][0] + 1, j.weeks[-1].end + timedelta(days=1))
            if out
            else (j.week_of(self.today))
        )
        while start <= last:
            end = start + timedelta(days=6)
            out.append((number, end, j.planned_on(end) or 0.0))
            number, start = number + 1, start + timedelta(days=7)
        return out

    def plan_changed_weeks(self) -> list[int]:
        return [w.week for w in self.journey.weeks if w.plan_changes]
