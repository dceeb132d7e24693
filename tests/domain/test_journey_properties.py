"""Property tests over random learner lives, on the pure library (no CLI, no clock)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.domain.curriculum import Curriculum, from_document
from mlpath.domain.journey import Journey
from mlpath.domain.planner import Plan, Profile, make_plan
from mlpath.domain.progress import derive, from_summary, new_event, summarize
from tests.conftest import tiny_document

START = date(2026, 11, 24)
TOPICS = ["vectors", "calculus", "probability", "regression", "networks", "torch", "keras"]
CURRICULUM: Curriculum = from_document(tiny_document(), "tiny")
NOW = datetime(2026, 1, 1, tzinfo=UTC)

step = st.one_of(
    st.tuples(st.just("wait"), st.integers(0, 9)),
    st.tuples(st.just("log"), st.sampled_from(TOPICS), st.sampled_from([0.5, 1.0, 2.5])),
    st.tuples(st.just("done"), st.sampled_from(TOPICS)),
    st.tuples(st.just("skip"), st.sampled_from(TOPICS)),
    st.tuples(st.just("reopen"), st.sampled_from(TOPICS)),
    st.tuples(st.just("undo")),
    st.tuples(
        st.just("plan"),
        st.sampled_from([2.0, 5.0, 9.0]),
        st.sampled_from([(), ("regression",), ("networks",)]),
        st.sampled_from(["pytorch", "tensorflow"]),
    ),
)


def live(steps: list[tuple[Any, ...]]) -> tuple[list[dict[str, Any]], date, list[date]]:
    """Play a life into an event log; return it, the last day and the days of each plan."""
    events: list[dict[str, Any]] = []
    today = START
    old: Profile | None = None
    plan_days: list[date] = []
    checks: list[date] = []

    def add(kind: str, **fields: Any) -> None:
        events.append(new_event(events, kind, NOW, **fields))

    for s in [("plan", 5.0, (), "pytorch"), *steps]:
        kind = s[0]
        if kind == "wait":
            today += timedelta(days=s[1])
        elif kind in ("log", "done", "skip", "reopen"):
            add(kind, topic=s[1], date=today.isoformat(), hours=s[2] if kind == "log" else None)
        elif kind == "undo":
            reverted = {e.get("target") for e in events if e["type"] == "undone"}
            live_ = [e for e in events if e["type"] != "undone" and e["seq"] not in reverted]
            if len(live_) > 1 and live_[-1]["type"] != "plan":
                add("undone", target=live_[-1]["seq"])
        else:
            state = derive(events)
            profile = Profile(
                s[1], today, goals=s[2], track=s[3], journey_start=old.week_one if old else START
            )
            planning = replace(profile, known=tuple(state.skipped))
            plan = make_plan(CURRICULUM, planning, done=state.done, spent=state.logged)
            add("plan", date=today.isoformat(), profile=profile.to_dict(), plan=plan.to_dict())
            old = profile
            plan_days.append(today)
            checks.append(today)
    return events, today, plan_days


def journey_on(events: list[dict[str, Any]], today: date) -> Journey:
    state = derive(events)
    last = state.plans[-1]
    return Journey(
        CURRICULUM, Profile.from_dict(last.profile), Plan.from_dict(last.plan), state, today
    )


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(step, max_size=25))
def test_random_lives_keep_one_set_of_numbers(steps: list[tuple[Any, ...]]) -> None:
    events, today, _ = live(steps)
    j = journey_on(events, today)
    state = j.state
    # studied hours are the sum of the record
    kept = {e.get("target") for e in events if e["type"] == "undone"}
    logged = sum(e.get("hours", 0) for e in events if e["type"] == "log" and e["seq"] not in kept)
    assert round(state.logged_hours, 2) == round(logged, 2)
    # the burn-up's actual series is the record's cumulative done hours, week by week
    for w in j.weeks:
        cut = min(w.end, today)
        expect = 0.0
        for t in CURRICULUM.topics:
            logs = sum(
                e["hours"]
                for e in events
                if e["type"] == "log"
                and e["seq"] not in kept
                and e["topic"] == t.id
                and date.fromisoformat(e["date"]) <= cut
            )
            finished = state.done.get(t.id)
            expect += t.hours if finished and finished <= cut else min(logs, t.hours)
        assert w.done_hours == round(expect, 2)
    if j.weeks:
        assert j.weeks[-1].done_hours == j.learner_hours
    # the stored summary stands in for the log
    quick = from_summary(summarize(state), lambda t: t)
    assert quick is not None
    q = Journey(CURRICULUM, j.profile, j.plan, quick, today)
    assert (q.ahead, q.percent, q.pace, q.weeks) == (j.ahead, j.percent, j.pace, j.weeks)


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(step, max_size=25), hours=st.sampled_from([1.0, 7.0]), goal=st.booleans())
def test_a_replan_puts_the_learner_on_track_and_changes_neither_pace_nor_the_past(
    steps: list[tuple[Any, ...]], hours: float, goal: bool
) -> None:
    events, today, _ = live(steps)
    before = journey_on(events, today)
    events2, _, _ = live([*steps, ("plan", hours, ("regression",) if goal else (), "tensorflow")])
    after = journey_on(events2, today)
    assert after.ahead == 0
    assert after.pace == before.pace
    assert after.learner_hours == before.learner_hours
    assert [(w.week, w.start, w.done_hours) for w in after.weeks] == [
        (w.week, w.start, w.done_hours) for w in before.weeks
    ]
    # past weeks keep their numbers and their planned line
    assert [w.planned_hours for w in after.weeks[:-1]] == [
        w.planned_hours for w in before.weeks[:-1]
    ]
