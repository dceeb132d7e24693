"""Where the learner stands: what to study next, and the progress report. Pure functions.

Every number comes from :mod:`mlpath.domain.journey` and the definitions of
:mod:`mlpath.domain.metrics`, so that each view shows the same ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from mlpath.domain import metrics
from mlpath.domain.curriculum import Curriculum, Topic
from mlpath.domain.journey import Journey, WayOut, WeekRow, unmet_prerequisites
from mlpath.domain.planner import Plan, Profile, select_topics
from mlpath.domain.progress import State

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any

ON_TRACK_HOURS = metrics.ON_TRACK_HOURS


@dataclass(frozen=True)
class Standing:
    """Progress against the saved plan on ``today``."""

    planned_to_date: float
    done_to_date: float

    @property
    def delta(self) -> float:
        return round(self.done_to_date - self.planned_to_date, 1)

    @property
    def label(self) -> str:
        return metrics.ahead_label(self.done_to_date - self.planned_to_date)

    def as_dict(self) -> dict[str, Any]:
        state = (
            "on-track"
            if abs(self.delta) < ON_TRACK_HOURS
            else ("ahead" if self.delta > 0 else "behind")
        )
        return {
            "state": state,
            "hours": abs(self.delta),
            "planned_to_date": self.planned_to_date,
            "done_to_date": self.done_to_date,
            "label": self.label,
        }


def standing(j: Journey) -> Standing:
    """The learner's done hours against the planned line in force, on ``j.today``."""
    return Standing(j.planned_to_date, j.learner_hours)


STATUSES = ("done", "known", "in progress", "planned", "not planned")


def topic_status(tid: str, state: State, known: Iterable[str], planned: Iterable[str]) -> str:
    """One of :data:`STATUSES`: what ``mlpath topics`` shows for a topic."""
    if tid in state.done:
        return "done"
    if tid in known:
        return "known"
    if state.logged.get(tid):
        return "in progress"
    return "planned" if tid in planned else "not planned"


@dataclass(frozen=True)
class Next:
    """What to study now, what else is ready, and how the learner stands."""

    topic: Topic | None
    hours_left: float
    ready: tuple[Topic, ...]
    standing: Standing
    all_done: bool
    journey: Journey | None = None


def whats_next(
    curriculum: Curriculum, profile: Profile, plan: Plan, state: State, today: date
) -> Next:
    """A topic already started first, else the first unfinished plan topic whose
    prerequisites are done; and the others ready now."""
    j = Journey(curriculum, profile, plan, state, today)
    satisfied = set(state.done) | j.known
    ready = []
    remaining = [
        t for t in plan.topics if t not in state.done and t in curriculum.by_id and t not in j.known
    ]
    for tid in remaining:
        topic = curriculum.by_id[tid]
        if not unmet_prerequisites(curriculum, topic, satisfied, profile.track):
            ready.append(topic)
    started = [curriculum.by_id[t] for t in remaining if state.logged.get(t)]
    if started:
        ready = [started[0], *(t for t in ready if t.id != started[0].id)]
    first = ready[0] if ready else None
    left = max(0.0, round(first.hours - state.logged.get(first.id, 0.0), 2)) if first else 0.0
    return Next(first, left, tuple(ready[1:]), standing(j), not remaining, j)


@dataclass(frozen=True)
class PhaseProgress:
    """Progress within one phase, in topics and hours."""

    id: str
    title: str
    done_topics: int
    total_topics: int
    done_hours: float
    total_hours: float


@dataclass(frozen=True)
class Report:
    """Where the learner stands: progress, pace, projection and phases."""

    completed_topics: int
    total_topics: int
    completed_hours: float
    total_hours: float
    logged_hours: float
    planned_to_date: float
    standing: Standing
    pace: metrics.Pace
    planned_finish: date | None
    projected_finish: date | None
    active_days: int
    streak: int
    phases: tuple[PhaseProgress, ...]
    burnup: tuple[WeekRow, ...]  # one row per journey week, up to this one
    labs_passed: int
    recent: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    orphaned: dict[str, dict[str, Any]] = field(default_factory=dict)  # see orphaned_progress
    evidence: dict[str, Any] = field(default_factory=dict)  # see evidence_counts
    outside: dict[str, Any] = field(default_factory=dict)
    outside_label: str | None = None
    warning: str | None = None
    ways_out: tuple[WayOut, ...] = ()
    done_hours: float = 0.0  # the learner's, over the whole record

    @property
    def percent(self) -> float:
        return metrics.percent(self.completed_hours, self.total_hours)

    @property
    def ahead_hours(self) -> float:
        return round(self.done_hours - self.planned_to_date, 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "completed_topics": self.completed_topics,
            "total_topics": self.total_topics,
            "completed_hours": self.completed_hours,
            "total_hours": self.total_hours,
            "logged_hours": self.logged_hours,
            "done_hours": self.done_hours,
            "percent": self.percent,
            "percent_label": metrics.percent_label(self.percent),
            "planned_to_date": self.planned_to_date,
            "ahead_hours": self.ahead_hours,
            "status": self.standing.as_dict(),
            "pace": self.pace.as_dict(),
            "planned_finish": self.planned_finish.isoformat() if self.planned_finish else None,
            "projected_finish": self.projected_finish.isoformat()
            if self.projected_finish
            else None,
            "active_days": self.active_days,
            "streak": self.streak,
            "labs_passed": self.labs_passed,
            "phases": [
                {
                    "id": p.id,
                    "title": p.title,
                    "done_topics": p.done_topics,
                    "total_topics": p.total_topics,
                    "done_hours": p.done_hours,
                    "total_hours": p.total_hours,
                }
                for p in self.phases
            ],
            "burnup": [
                {
                    "week": w.week,
                    "start": w.start.isoformat(),
                    "end": w.end.isoformat(),
                    "done_hours": w.done_hours,
                    "planned_hours": w.planned_hours,
                    "plan_changed": bool(w.plan_changes),
                }
                for w in self.burnup
            ],
            "outside_plan": self.outside,
            "behind": {
                "warning": self.warning,
                "ways_out": [w.as_dict() for w in self.ways_out],
            },
            "recent": list(self.recent),
            "orphaned_progress": self.orphaned,
            "evidence": self.evidence,
        }


def scope(curriculum: Curriculum, profile: Profile, skipped: Iterable[str] = ()) -> list[Topic]:
    """Every topic the learner's goals need, finished or not (known and skipped excluded)."""
    known = (*profile.known, *skipped)
    chosen = select_topics(curriculum, replace(profile, known=known))
    return [t for t in curriculum.topics if t.id in chosen]


def build_report(
    curriculum: Curriculum, profile: Profile, plan: Plan, state: State, today: date
) -> Report:
    """Everything ``mlpath report`` shows, as data."""
    from mlpath.domain.progress import streak as streak_of

    j = Journey(curriculum, profile, plan, state, today)
    topics = j.scope
    phases = []
    for ph in curriculum.phases:
        in_phase = [t for t in topics if t.phase == ph.id]
        if not in_phase:
            continue
        fin = [t for t in in_phase if t.id in state.done]
        phases.append(
            PhaseProgress(
                ph.id,
                ph.title,
                len(fin),
                len(in_phase),
                j.record.done_hours(among=[t.id for t in in_phase]),
                round(sum(t.hours for t in in_phase), 2),
            )
        )
    return Report(
        completed_topics=len(j.finished),
        total_topics=len(topics),
        completed_hours=j.done_hours,
        total_hours=j.total_hours,
        logged_hours=state.logged_hours,
        planned_to_date=j.planned_to_date,
        standing=standing(j),
        pace=j.pace,
        planned_finish=j.planned_finish,
        projected_finish=j.projected_finish,
        active_days=len(state.active_days),
        streak=streak_of(state.active_days, today),
        phases=tuple(phases),
        burnup=j.weeks,
        labs_passed=len(set(state.labs_passed) & {t.id for t in topics}),
        recent=tuple(state.recent),
        orphaned=orphaned_progress(curriculum, state),
        evidence=evidence_counts(curriculum, topics, state),
        outside=j.outside,
        outside_label=j.outside_label(),
        warning=j.warning(),
        ways_out=tuple(j.ways_out()),
        done_hours=j.learner_hours,
    )


def evidence_counts(
    curriculum: Curriculum, topics: Iterable[Topic], state: State
) -> dict[str, Any]:
    """How many finished topics are backed by evidence (a passed lab or quiz), in all and per
    phase: ``{"done_topics", "with_evidence", "phases": [{"id", "done_topics",
    "with_evidence"}]}``."""
    from mlpath.domain.progress import has_evidence

    finished = [t for t in topics if t.id in state.done]
    phases = []
    for ph in curriculum.phases:
        fin = [t for t in finished if t.phase == ph.id]
        phases.append(
            {
                "id": ph.id,
                "done_topics": len(fin),
                "with_evidence": sum(has_evidence(t.id, state) for t in fin),
            }
        )
    return {
        "done_topics": len(finished),
        "with_evidence": sum(p["with_evidence"] for p in phases),
        "phases": phases,
    }


def orphaned_progress(curriculum: Curriculum, state: State) -> dict[str, dict[str, Any]]:
    """Progress on topic ids this curriculum does not have (renames already followed).

    It is kept in the store and reported, never dropped: the topic may come back,
    or the curriculum may declare where it went in its ``renamed`` map.
    """
    ids = (set(state.done) | set(state.logged) | set(state.labs_passed)) - set(curriculum.by_id)
    return {
        tid: {
            "done": state.done[tid].isoformat() if tid in state.done else None,
            "logged_hours": round(state.logged.get(tid, 0.0), 2),
            "lab_passed": tid in state.labs_passed,
        }
        for tid in sorted(ids)
    }


def describe_orphans(orphaned: dict[str, dict[str, Any]]) -> str:
    """One line for learners, e.g. 'old-topic (done 2026-01-03), gone (2 h logged)'."""
    parts = []
    for tid, p in orphaned.items():
        bits = [f"done {p['done']}"] if p["done"] else []
        bits += [f"{p['logged_hours']:g} h logged"] if p["logged_hours"] else []
        bits += ["lab passed"] if p["lab_passed"] else []
        parts.append(f"{tid} ({', '.join(bits)})")
    return ", ".join(parts)
