"""Where the learner stands: what to study next, and the progress report. Pure functions.

Hours here are the curriculum's estimates: a finished topic counts its
estimate, so that progress means the same for learners who log their study
time and for those who only mark topics done. Logged study time is reported
beside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from mlpath.domain.curriculum import Curriculum, Topic
from mlpath.domain.planner import Plan, Profile, select_topics
from mlpath.domain.progress import State

ON_TRACK_HOURS = 1.0  # within this many hours of the plan counts as on track


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
        if abs(self.delta) < ON_TRACK_HOURS:
            return "on track"
        return f"{abs(self.delta):g} h {'ahead' if self.delta > 0 else 'behind'}"

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


def planned_by(plan: Plan, day: date) -> float:
    """Hours the plan schedules before ``day`` (the current week pro rata by days elapsed)."""
    total = 0.0
    for w in plan.weeks:
        if day > w.end:
            total += w.hours
        elif day > w.start:
            total += w.hours * (day - w.start).days / 7
    return round(total, 2)


def done_in_plan(plan: Plan, state: State, day: date | None = None) -> float:
    """Planned hours of the plan topics finished by ``day``.

    With ``day`` None: all finished topics, plus logged time on unfinished ones.
    """
    total = 0.0
    for tid, hours in plan.topic_hours.items():
        finished = state.done.get(tid)
        if finished is not None and (day is None or finished <= day):
            total += hours
        elif day is None:
            total += min(state.logged.get(tid, 0.0), hours)
    return round(total, 2)


def standing(plan: Plan, state: State, today: date) -> Standing:
    return Standing(planned_by(plan, today), done_in_plan(plan, state))


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


@dataclass(frozen=True)
class Next:
    topic: Topic | None
    hours_left: float
    ready: tuple[Topic, ...]
    standing: Standing
    all_done: bool


def whats_next(
    curriculum: Curriculum, profile: Profile, plan: Plan, state: State, today: date
) -> Next:
    """The first unfinished plan topic whose prerequisites are done, and others ready now."""
    satisfied = set(state.done) | set(profile.known)
    ready = []
    remaining = [t for t in plan.topics if t not in state.done and t in curriculum.by_id]
    for tid in remaining:
        topic = curriculum.by_id[tid]
        if not unmet_prerequisites(curriculum, topic, satisfied, profile.track):
            ready.append(topic)
    first = ready[0] if ready else None
    left = max(0.0, round(first.hours - state.logged.get(first.id, 0.0), 2)) if first else 0.0
    return Next(first, left, tuple(ready[1:]), standing(plan, state, today), not remaining)


@dataclass(frozen=True)
class PhaseProgress:
    id: str
    title: str
    done_topics: int
    total_topics: int
    done_hours: float
    total_hours: float


@dataclass(frozen=True)
class Report:
    completed_topics: int
    total_topics: int
    completed_hours: float
    total_hours: float
    logged_hours: float
    planned_to_date: float
    standing: Standing
    pace_recent: float
    pace_overall: float
    planned_finish: date | None
    projected_finish: date | None
    active_days: int
    streak: int
    phases: tuple[PhaseProgress, ...]
    burnup: tuple[
        tuple[int, date, float, float], ...
    ]  # (week, end, planned cumulative, done cumulative)
    labs_passed: int
    recent: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    orphaned: dict[str, dict[str, Any]] = field(default_factory=dict)  # see orphaned_progress

    @property
    def percent(self) -> float:
        return (
            round(100 * self.completed_hours / self.total_hours, 1) if self.total_hours else 100.0
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "completed_topics": self.completed_topics,
            "total_topics": self.total_topics,
            "completed_hours": self.completed_hours,
            "total_hours": self.total_hours,
            "logged_hours": self.logged_hours,
            "percent": self.percent,
            "planned_to_date": self.planned_to_date,
            "status": self.standing.as_dict(),
            "pace": {"last_4_weeks": self.pace_recent, "overall": self.pace_overall},
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
                {"week": w, "end": end.isoformat(), "planned": planned, "done": done}
                for w, end, planned, done in self.burnup
            ],
            "recent": list(self.recent),
            "orphaned_progress": self.orphaned,
        }


def scope(curriculum: Curriculum, profile: Profile) -> list[Topic]:
    """Every topic the learner's goals need, finished or not (known topics excluded)."""
    chosen = select_topics(curriculum, profile)
    return [t for t in curriculum.topics if t.id in chosen]


def _credit(topics: Iterable[Topic], state: State) -> dict[date, float]:
    """Estimate-hours credited on each date a topic was finished."""
    out: dict[date, float] = {}
    for t in topics:
        day = state.done.get(t.id)
        if day is not None:
            out[day] = out.get(day, 0.0) + t.hours
    return out


def build_report(
    curriculum: Curriculum, profile: Profile, plan: Plan, state: State, today: date
) -> Report:
    """Everything ``mlpath report`` shows, as data."""
    from mlpath.domain.progress import streak as streak_of

    topics = scope(curriculum, profile)
    done = [t for t in topics if t.id in state.done]
    total_hours = round(sum(t.hours for t in topics), 2)
    completed_hours = round(sum(t.hours for t in done), 2)
    credit = _credit(topics, state)
    recent_hours = sum(h for d, h in credit.items() if today - timedelta(days=28) < d <= today)
    first = min([*credit, *state.active_days, plan.start], default=today)
    weeks_elapsed = max(1.0, ((today - first).days + 1) / 7)
    pace_recent = round(recent_hours / min(4.0, weeks_elapsed), 2)
    pace_overall = round(sum(credit.values()) / weeks_elapsed, 2)
    pace = pace_recent or pace_overall
    remaining = total_hours - completed_hours
    projected: date | None
    if remaining <= 0:
        projected = max(state.done.values(), default=today)
    elif pace > 0:
        projected = today + timedelta(days=math.ceil(7 * remaining / pace))
    else:
        projected = None
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
                round(sum(t.hours for t in fin), 2),
                round(sum(t.hours for t in in_phase), 2),
            )
        )
    burnup = []
    for w in plan.weeks:
        if w.start > today:
            break
        cut = min(w.end, today)
        burnup.append(
            (
                w.index,
                w.end,
                planned_by(plan, cut + timedelta(days=1)),
                done_in_plan(plan, state, cut),
            )
        )
    return Report(
        completed_topics=len(done),
        total_topics=len(topics),
        completed_hours=completed_hours,
        total_hours=total_hours,
        logged_hours=state.logged_hours,
        planned_to_date=planned_by(plan, today),
        standing=standing(plan, state, today),
        pace_recent=pace_recent,
        pace_overall=pace_overall,
        planned_finish=plan.finish,
        projected_finish=projected,
        active_days=len(state.active_days),
        streak=streak_of(state.active_days, today),
        phases=tuple(phases),
        burnup=tuple(burnup),
        labs_passed=len(set(state.labs_passed) & {t.id for t in topics}),
        recent=tuple(state.recent),
        orphaned=orphaned_progress(curriculum, state),
    )


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


def phase_footnote(curriculum: Curriculum, profile: Profile, state: State, topic: Topic) -> str:
    """E.g. 'Probability & statistics: 3/7 topics · overall 12% (41/340 h)'."""
    topics = scope(curriculum, profile)
    if topic.id not in {t.id for t in topics}:
        topics = [*topics, topic]
    in_phase = [t for t in topics if t.phase == topic.phase]
    fin_phase = sum(1 for t in in_phase if t.id in state.done)
    total = sum(t.hours for t in topics)
    fin = sum(t.hours for t in topics if t.id in state.done)
    pct = round(100 * fin / total, 1) if total else 100.0  # the same rule as Report.percent
    title = curriculum.phase_titles.get(topic.phase, topic.phase)
    return f"{title}: {fin_phase}/{len(in_phase)} topics · overall {pct:g}% ({fin:g}/{total:g} h)"
