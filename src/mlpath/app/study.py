"""The use cases behind each command: load, call the pure library, save.

Each function takes a :class:`~mlpath.app.session.Session` and returns plain data
for the CLI to render. Mutations happen inside one store transaction (locked
read-modify-write) and only after every input has been checked, so that a bad
input changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from mlpath.app.session import Session
from mlpath.domain import planner
from mlpath.domain.curriculum import Topic
from mlpath.domain.journey import Journey, phase_footnote, unmet_prerequisites
from mlpath.domain.planner import Plan, Profile
from mlpath.domain.progress import State, describe, has_evidence, last_undoable, new_event
from mlpath.errors import InputError
from mlpath.store.file import StoreData

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any

    # imported inside the functions that use it: `done` does not need it (~4 ms)
    from mlpath.domain import report

MAX_LOG_HOURS = 100.0
MIN_LOG_HOURS = 0.01  # hours are kept to the hundredth: less would be recorded as 0
PAST_DAYS = 30  # dates further back than this are recorded with a note


def _check_hours(hours: float, option: str) -> float:
    if math.isnan(hours) or not 0 < hours <= MAX_LOG_HOURS:
        raise InputError(
            f"{option} must be more than 0 and at most {MAX_LOG_HOURS:g} (got {hours:g})."
        )
    if round(hours, 2) < MIN_LOG_HOURS:
        raise InputError(
            f"{option} must be at least {MIN_LOG_HOURS:g} h (about a minute; got {hours:g}).",
            hint="Record study time in hours, e.g. 0.25 for a quarter of an hour.",
        )
    return round(hours, 2)


def _not_future(day: date, today: date) -> date:
    if day > today:
        raise InputError(
            f"--date {day.isoformat()} is in the future; progress can only be recorded up to today."
        )
    return day


def past_note(day: date, today: date, option: str, outcome: str) -> str | None:
    """A note when ``day`` is more than :data:`PAST_DAYS` before today (likely a typo)."""
    ago = (today - day).days
    if ago <= PAST_DAYS:
        return None
    return f"Note: {option} {day.isoformat()} is {ago} days ago. {outcome}"


PLAN_OPTIONS = ("hours", "start", "goals", "known", "track", "strategy", "week_start")


def new_profile(
    s: Session,
    old: Profile | None,
    state: State,
    *,
    hours: float | None,
    start: date | None,
    goals: list[str] | None,
    known: list[str] | None,
    track: str | None,
    strategy: str | None,
    week_start: int | None = None,
) -> Profile:
    """The planning inputs from the given options, the others remembered from the last plan."""
    curriculum = s.curriculum
    if hours is None and old is None:
        raise InputError(
            "--hours is required the first time: how many hours a week can you study?",
            hint="Example: mlpath plan --hours 10",
        )
    goal_ids = old.goals if old and goals is None else tuple(goals or ())
    if goal_ids and [g.lower() for g in goal_ids] == ["all"]:
        goal_ids = ()
    begin = start or s.today
    if old is not None:  # the calendar is kept: week numbers never move
        journey_start = old.journey_start or (
            date.fromisoformat(state.plans[0].profile["start"]) if state.plans else old.start
        )
    else:  # the first plan: week 1 starts on its start, or earlier for study before it
        first = min([begin, *state.active_days])
        journey_start = first - timedelta(days=(first - begin).days % 7)
    if week_start is not None:  # weeks start on this weekday from now on
        journey_start -= timedelta(days=(journey_start.weekday() - week_start) % 7)
    profile = Profile(
        hours_per_week=hours if hours is not None else old.hours_per_week,  # type: ignore[union-attr]
        start=begin,
        goals=tuple(curriculum.find(g).id for g in goal_ids),
        known=tuple(curriculum.find(k).id for k in known)
        if known is not None
        else (old.known if old else ()),
        track=(track or (old.track if old else "pytorch")).lower(),
        strategy=(strategy or (old.strategy if old else "phases")).lower(),
        journey_start=journey_start,
    )
    planner.check_profile(curriculum, profile)
    return profile


def make_and_save_plan(s: Session, **options: Any) -> Plan:
    """Build a plan from the given options (others remembered from the last plan) and save it."""
    curriculum = s.curriculum
    old, _ = s.saved(s.store.load())
    profile = new_profile(s, old, s.state(s.store.load()), **options)
    with s.store.transaction() as data:
        state = s.state(data)
        from mlpath.app.review import reserve_hours

        plan = plan_for(curriculum, profile, state, review_hours=reserve_hours(s, state))
        data.profile = profile.to_dict()
        data.plan = plan.to_dict()
        data.events.append(
            new_event(
                data.events,
                "plan",
                s.now(),
                date=s.today.isoformat(),
                profile=data.profile,
                plan=data.plan,
            )
        )
    return plan


def plan_for(curriculum: Any, profile: Profile, state: State, review_hours: float = 0.0) -> Plan:
    """Plan what is left of the learner's scope (skipped topics count as known), keeping
    ``review_hours`` a week for spaced review."""
    skipped = tuple(t for t in state.skipped if t not in profile.known)
    planning = replace(profile, known=(*profile.known, *skipped))
    return planner.make_plan(
        curriculum, planning, done=state.done, spent=state.logged, review_hours=review_hours
    )


def whats_next(s: Session) -> tuple[report.Next, State]:
    from mlpath.domain import report

    curriculum = s.curriculum  # a bad curriculum is reported before a missing plan
    data = s.store.load(events=False)
    profile, plan = s.require_plan(data)
    state = s.state(data)
    return report.whats_next(curriculum, profile, plan, state, s.today), state


def topic_json(t: Topic) -> dict[str, Any]:
    return {
        "id": t.id,
        "title": t.title,
        "phase": t.phase,
        "summary": t.summary,
        "objectives": list(t.objectives),
        "prerequisites": list(t.prerequisites),
        "hours": t.hours,
        "resources": [
            {"title": r.title, "url": r.url, "kind": r.kind, "section": r.section, "free": r.free}
            for r in t.resources
        ],
        "track": t.track,
        "optional": t.optional,
        "lab": t.lab,
    }


def next_json(nxt: report.Next, state: State) -> dict[str, Any]:
    topic = None
    if nxt.topic is not None:
        topic = {
            **topic_json(nxt.topic),
            "hours_left": nxt.hours_left,
            "lab_passed": nxt.topic.id in state.labs_passed,
        }
    return {
        "topic": topic,
        "ready": [{"id": t.id, "title": t.title, "hours": t.hours} for t in nxt.ready],
        "status": {**nxt.standing.as_dict(), "all_done": nxt.all_done},
    }


def record_done(s: Session, query: str, *, hours: float | None, on: date) -> dict[str, Any]:
    """Mark a topic done; warn about unmet prerequisites and an unpassed lab."""
    curriculum = s.curriculum
    topic = curriculum.find(query)
    if hours is not None:
        hours = _check_hours(hours, "--hours")
    _not_future(on, s.today)
    messages: list[str] = []
    with s.store.transaction() as data:
        state = s.state(data)
        profile, _ = s.saved(data)
        if topic.id in state.done:
            messages.append(
                f"{topic.title} was already marked done on {state.done[topic.id].isoformat()}; "
                "nothing changed."
            )
            if hours:
                messages.append(
                    f"Note: the {hours:g} h were not recorded. To record study time on a "
                    f"finished topic, log it: `mlpath log {topic.id} {hours:g}`."
                )
            recorded = False
        else:
            data.events.append(
                new_event(
                    data.events, "done", s.now(), topic=topic.id, date=on.isoformat(), hours=hours
                )
            )
            state = s.state(data)
            recorded = True
            messages.append(
                f"✓ Done: {topic.title} ({topic.id})" + (f", {hours:g} h" if hours else "")
            )
    known = set(profile.known) if profile else set()
    track = profile.track if profile else (topic.track or "pytorch")
    missing = unmet_prerequisites(curriculum, topic, set(state.done) | known, track)
    if recorded and missing:
        messages.append(
            "Note: recorded, but its prerequisites are not done yet: " + ", ".join(missing) + "."
        )
    evidence = has_evidence(topic.id, state)
    note = past_note(on, s.today, "--date", "Recorded as given; `mlpath undo` reverts it.")
    if recorded and note:
        messages.append(note)
    if recorded and topic.lab and topic.id not in state.labs_passed:
        messages.append(
            f"Note: recorded, but its lab is not passed yet. Back it with evidence: "
            f"`mlpath lab {topic.id}` then `mlpath check {topic.id}`."
        )
    if recorded and evidence:
        how = "its lab passed" if topic.id in state.labs_passed else "a quiz scored 80%+"
        messages.append(f"Backed by evidence: {how}.")
    elif recorded and _has_quiz(s, topic.id):
        messages.append(
            f"No evidence yet for this topic. Take its quiz (80% counts): `mlpath quiz {topic.id}`."
        )
    profile = profile or Profile(hours_per_week=10, start=s.today, track=track)
    return {
        "topic": topic.id,
        "recorded": recorded,
        "date": on.isoformat(),
        "hours": hours,
        "missing_prerequisites": missing,
        "lab_passed": topic.id in state.labs_passed if topic.lab else None,
        "evidence": evidence,
        "messages": messages,
        "footnote": phase_footnote(journey_of(s, data, state), topic),
    }


def _has_quiz(s: Session, topic_id: str) -> bool:
    from mlpath.quiz.paths import has_quiz

    return has_quiz(s.questions_dir, topic_id)


def topic_evidence(s: Session) -> tuple[dict[str, bool], dict[str, Any]]:
    """For each finished topic of the learner's track, whether it has evidence; and the counts
    per phase (:func:`mlpath.domain.report.evidence_counts`)."""
    from mlpath.domain import report

    data = s.store.load(events=False)
    state = s.state(data)
    _, _, track = _known_planned_track(s, data)
    topics = [t for t in s.curriculum.topics if t.in_track(track)]
    per_topic = {t.id: has_evidence(t.id, state) for t in topics if t.id in state.done}
    return per_topic, report.evidence_counts(s.curriculum, topics, state)


def record_log(s: Session, query: str, hours: float, on: date) -> dict[str, Any]:
    """Record study time on a topic; the result says how much it now has."""
    topic = s.curriculum.find(query)
    hours = _check_hours(hours, "HOURS")
    _not_future(on, s.today)
    with s.store.transaction() as data:
        data.events.append(
            new_event(data.events, "log", s.now(), topic=topic.id, date=on.isoformat(), hours=hours)
        )
        state = s.state(data)
    total = state.logged.get(topic.id, 0.0)
    note = past_note(on, s.today, "--date", "Recorded as given; `mlpath undo` reverts it.")
    return {
        "topic": topic.id,
        "date": on.isoformat(),
        "hours": hours,
        "logged_hours": total,
        "estimate_hours": topic.hours,
        "message": f"Logged {hours:g} h on {topic.title} ({topic.id}) — "
        f"{round(total, 2):g} of about {topic.hours:g} h so far.\n"
        + phase_footnote(journey_of(s, data, state), topic),
        "warnings": [note] if note else [],
    }


def journey_of(s: Session, data: StoreData, state: State) -> Journey:
    """The learner's journey on ``s.today`` (with a provisional plan when none is saved)."""
    profile, plan = s.saved(data)
    if profile is None or plan is None:
        profile = Profile(hours_per_week=10, start=s.today)
        plan = Plan((), (), 0.0, None, profile.hours_per_week, s.today)
    return Journey(s.curriculum, profile, plan, state, s.today)


def undo_last(s: Session) -> dict[str, Any]:
    """Append an 'undone' event for the latest change; after a plan, restore the previous one."""
    titles = {t.id: t.title for t in s.curriculum.topics}
    with s.store.transaction() as data:
        target = last_undoable(data.events)
        data.events.append(new_event(data.events, "undone", s.now(), target=target["seq"]))
        if target.get("type") == "plan":
            previous = s.state(data).plan_event
            data.profile = previous["profile"] if previous else None
            data.plan = previous["plan"] if previous else None
    return {"reverted": target, "message": f"Reverted: {describe(target, titles)}."}


def _known_planned_track(s: Session, data: StoreData) -> tuple[set[str], set[str], str]:
    profile, plan = s.saved(data)
    return (
        set(profile.known) if profile else set(),
        set(plan.topics) if plan else set(),
        profile.track if profile else "pytorch",
    )


def topic_status(s: Session, query: str) -> tuple[Topic, str, State]:
    from mlpath.domain import report

    topic = s.curriculum.find(query)
    data = s.store.load(events=False)
    state = s.state(data)
    known, planned, _ = _known_planned_track(s, data)
    return topic, report.topic_status(topic.id, state, known, planned), state


def all_statuses(s: Session) -> tuple[dict[str, str], dict[str, str]]:
    """Status of every topic of the learner's track, and lab status where a topic has a lab."""
    from mlpath.domain import report

    data = s.store.load(events=False)
    state = s.state(data)
    known, planned, track = _known_planned_track(s, data)
    statuses = {
        t.id: report.topic_status(t.id, state, known, planned)
        for t in s.curriculum.topics
        if t.in_track(track)
    }
    labs = {
        t.id: ("passed" if t.id in state.labs_passed else "not passed")
        for t in s.curriculum.topics
        if t.lab
    }
    return statuses, labs


def build_report(s: Session) -> report.Report:
    from mlpath.domain import report

    curriculum = s.curriculum
    data = s.store.load(events=False)
    profile, plan = s.require_plan(data)
    return report.build_report(curriculum, profile, plan, s.state(data), s.today)
