"""Use cases of the learner's journey: the saved plan, a re-plan's dry run, this week, the
history, and skip/reopen. Each takes a :class:`~mlpath.app.session.Session`."""

from __future__ import annotations

from typing import Any

from mlpath.app.session import Session
from mlpath.app.study import journey_of, new_profile, plan_for
from mlpath.domain import metrics
from mlpath.domain.journey import Journey
from mlpath.domain.planner import Plan
from mlpath.domain.progress import new_event
from mlpath.errors import InputError, NoPlan

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_weekday(value: str) -> int:
    """0 (Monday) to 6 (Sunday) from a weekday name or its first three letters."""
    text = value.strip().lower()
    for i, name in enumerate(WEEKDAYS):
        if text in (name, name[:3]):
            return i
    raise InputError(f"--week-start must be a weekday such as monday or mon (got {value!r}).")


def saved_plan(s: Session) -> Plan:
    """The plan in force, read only: the store is not written."""
    _ = s.curriculum  # a bad curriculum is reported before a missing plan
    _, plan = s.require_plan(s.store.load(events=False))
    return plan


def journey(s: Session) -> Journey:
    data = s.store.load(events=False)
    s.require_plan(data)
    return journey_of(s, data, s.state(data))


def dry_run(s: Session, **options: Any) -> dict[str, Any]:
    """What a re-plan with ``options`` would change, without saving anything."""
    data = s.store.load()
    state = s.state(data)
    old, old_plan = s.saved(data)
    profile = new_profile(s, old, state, **options)
    from mlpath.app.review import reserve_hours

    plan = plan_for(s.curriculum, profile, state, review_hours=reserve_hours(s, state))
    before = set(old_plan.topics) if old_plan else set()
    after = set(plan.topics)
    return {
        "saved": False,
        "plan": plan.to_dict(),
        "finish": {
            "before": old_plan.finish.isoformat() if old_plan and old_plan.finish else None,
            "after": plan.finish.isoformat() if plan.finish else None,
        },
        "weeks": {"before": len(old_plan.weeks) if old_plan else 0, "after": len(plan.weeks)},
        "hours_per_week": {
            "before": old.hours_per_week if old else None,
            "after": profile.hours_per_week,
        },
        "added": [t for t in plan.topics if t not in before],
        "dropped": [t for t in (old_plan.topics if old_plan else ()) if t not in after],
    }


def this_week(s: Session) -> dict[str, Any]:
    """This journey week: its topics with hours planned and done, the days left."""
    j = journey(s)
    number, start = j.week_of(s.today)
    end = start.fromordinal(start.toordinal() + 6)
    planned: dict[str, float] = {}
    for w in j.plan.weeks:
        if w.start <= end and w.end >= start:
            for item in w.items:
                planned[item.topic] = round(planned.get(item.topic, 0.0) + item.hours, 2)
    logged: dict[str, float] = {}
    for tid, days in j.state.topic_days.items():
        hours = sum(h for d, h in days.items() if start <= d <= end)
        if hours:
            logged[tid] = round(hours, 2)
    titles = {t.id: t.title for t in s.curriculum.topics}
    topics = []
    for tid in [*planned, *(t for t in logged if t not in planned)]:
        topics.append(
            {
                "id": tid,
                "title": titles.get(tid, tid),
                "planned_hours": planned.get(tid, 0.0),
                "logged_hours": logged.get(tid, 0.0),
                "done": tid in j.state.done,
                "in_plan": tid in planned,
            }
        )
    from mlpath.app.review import reviews_between

    return {
        "week": number,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "days_left": (end - s.today).days + 1,
        "topics": topics,
        # spaced reviews due from today to the week's end (see docs/review.md)
        "reviews": reviews_between(s, max(start, s.today), end),
        "planned_hours": round(sum(planned.values()), 2),
        "logged_hours": round(sum(logged.values()), 2),
        **standing_fields(j),
    }


def standing_fields(j: Journey) -> dict[str, Any]:
    """The numbers every journey screen shows under its table."""
    return {
        "done_hours": j.learner_hours,
        "planned_to_date": j.planned_to_date,
        "ahead_hours": j.ahead,
        "status": metrics.ahead_label(j.ahead),
        "percent": j.percent,
        "percent_label": metrics.percent_label(j.percent),
        "pace": j.pace.as_dict(),
        "outside_plan": j.outside,
        "behind": {"warning": j.warning(), "ways_out": [w.as_dict() for w in j.ways_out()]},
    }


def history(s: Session) -> dict[str, Any]:
    """Week by week over the whole journey: hours studied, topics finished, plan changes."""
    j = journey(s)
    return {"weeks": [w.as_dict() for w in j.weeks], **standing_fields(j)}


def skip(s: Session, query: str) -> str:
    """Count a topic as known, without hours (undo with `mlpath undo`)."""
    topic = s.curriculum.find(query)
    with s.store.transaction() as data:
        state = s.state(data)
        if topic.id in state.done:
            raise InputError(
                f"{topic.title} is already done; nothing to skip.",
                hint=f"To study it again first: mlpath reopen {topic.id}",
            )
        if topic.id in state.skipped:
            return f"{topic.title} is already skipped; nothing changed."
        data.events.append(
            new_event(data.events, "skip", s.now(), topic=topic.id, date=s.today.isoformat())
        )
    return f"Skipped: {topic.title} ({topic.id}) counts as known, without hours. Undo: mlpath undo"


def reopen(s: Session, query: str) -> str:
    """Un-finish one topic (done or skipped), keeping everything recorded after it."""
    topic = s.curriculum.find(query)
    with s.store.transaction() as data:
        state = s.state(data)
        if topic.id not in state.done and topic.id not in state.skipped:
            raise InputError(
                f"{topic.title} is not done or skipped; there is nothing to reopen.",
                hint=f"See its status with: mlpath show {topic.id}",
            )
        data.events.append(
            new_event(data.events, "reopen", s.now(), topic=topic.id, date=s.today.isoformat())
        )
    return f"Reopened: {topic.title} ({topic.id}) is not finished any more. Undo: mlpath undo"


__all__ = ["NoPlan", "dry_run", "history", "journey", "reopen", "saved_plan", "skip", "this_week"]
