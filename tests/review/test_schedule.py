"""FSRS over our own review log, with an injected clock: intervals, the log, the backlog, the
time the plan reserves, and the rating."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mlpath.domain.planner import Profile, make_plan
from mlpath.domain.progress import derive, new_event
from mlpath.review import schedule
from mlpath.review.schedule import AGAIN, EASY, GOOD, HARD
from mlpath.store.file import Store

DAY = date(2026, 1, 5)


def noon(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 12, tzinfo=UTC)


def evidence_events(topic: str = "vectors", day: date = DAY) -> list[dict]:
    events: list[dict] = []
    for kind, extra in (
        (
            "quiz",
            {"seed": 1, "score": 8, "total": 8, "percent": 100.0, "passed": True, "questions": []},
        ),
        ("done", {}),
    ):
        events.append(
            new_event(events, kind, noon(day), topic=topic, date=day.isoformat(), **extra)
        )
    return events


def review(events: list[dict], topic: str, at: datetime, rating: int) -> None:
    card = schedule.cards(derive(events), at, [topic])[0]
    due = schedule.reschedule(card, rating, at)
    events.append(
        new_event(
            events,
            "review",
            at,
            topic=topic,
            date=at.date().isoformat(),
            reviewed_at=at.isoformat(),
            rating=rating,
            score=3,
            total=3,
            due=due.isoformat(),
            questions=[],
        )
    )


def interval(events: list[dict], topic: str = "vectors") -> timedelta:
    st = derive(events)
    card = schedule.cards(st, noon(DAY), [topic])[0]
    return card.due - card.last_review


def test_intervals_grow_on_success_and_shrink_on_failure() -> None:
    events = evidence_events()
    first = interval(events)
    assert first >= timedelta(days=1)
    seen = [first]
    for _ in range(3):
        due = schedule.cards(derive(events), noon(DAY), ["vectors"])[0].due
        review(events, "vectors", due, GOOD)
        seen.append(interval(events))
    assert seen == sorted(seen) and seen[-1] > 4 * seen[0]
    due = schedule.cards(derive(events), noon(DAY), ["vectors"])[0].due
    review(events, "vectors", due, AGAIN)
    assert interval(events) < seen[-1] / 2


def test_recall_falls_with_time_and_due_reviews_are_due() -> None:
    card = schedule.cards(derive(evidence_events()), noon(DAY), ["vectors"])[0]
    later = [schedule.replay("vectors", DAY, [], noon(DAY) + timedelta(days=d)) for d in (1, 5, 30)]
    assert card.recall > later[0].recall > later[1].recall > later[2].recall
    assert not card.is_due(noon(DAY)) and later[2].is_due(noon(DAY) + timedelta(days=30))


def test_the_log_survives_save_and_reload_and_rebuilds_the_same_card(tmp_path: Path) -> None:
    events = evidence_events()
    due = schedule.cards(derive(events), noon(DAY), ["vectors"])[0].due
    review(events, "vectors", due, HARD)
    review(events, "vectors", due + timedelta(days=3), EASY)
    before = schedule.cards(derive(events), noon(DAY + timedelta(days=40)), ["vectors"])[0]
    store = Store(tmp_path)
    with store.transaction() as data:
        data.events.extend(events)
    loaded = store.load()
    assert [e for e in loaded.events if e["type"] == "review"] == events[-2:]
    after = schedule.cards(derive(loaded.events), noon(DAY + timedelta(days=40)), ["vectors"])[0]
    assert (after.due, after.recall, after.reviews) == (before.due, before.recall, 2)
    # the read-only summary carries the same log
    quick = store.load(events=False)
    from mlpath.domain.progress import from_summary

    st = from_summary(quick.summary or {}, lambda t: t)
    assert st is not None and st.reviews == derive(loaded.events).reviews


def test_a_recorded_due_date_is_kept_on_replay() -> None:
    events = evidence_events()
    at = noon(DAY + timedelta(days=2))
    card = schedule.cards(derive(events), at, ["vectors"])[0]
    fuzzed = schedule.reschedule(card, GOOD, at) + timedelta(days=1)  # as if fuzzed
    events.append(
        new_event(
            events,
            "review",
            at,
            topic="vectors",
            date=at.date().isoformat(),
            reviewed_at=at.isoformat(),
            rating=GOOD,
            score=3,
            total=3,
            due=fuzzed.isoformat(),
            questions=[],
        )
    )
    assert schedule.cards(derive(events), at, ["vectors"])[0].due == fuzzed


def test_only_finished_topics_with_evidence_are_scheduled() -> None:
    events = evidence_events()
    events.append(new_event(events, "done", noon(DAY), topic="matrices", date=DAY.isoformat()))
    assert [c.topic for c in schedule.cards(derive(events), noon(DAY))] == ["vectors"]


def make_cards(n: int, now: datetime) -> list[schedule.TopicCard]:
    return [
        schedule.replay(f"t{i:03}", (now - timedelta(days=3 + i)).date(), [], now) for i in range(n)
    ]


def test_the_backlog_is_capped_per_day_and_lowest_recall_comes_first() -> None:
    now = noon(DAY)
    cards = make_cards(200, now)  # back from a long break: 200 overdue topics
    due = schedule.due_now(cards, now, limit=10)
    assert len(due.today) == 10 and due.backlog == 190 and due.total == 200
    recalls = [c.recall for c in due.today]
    assert recalls == sorted(recalls) and max(recalls) <= min(c.recall for c in cards[:190])
    assert due.today[0].topic == "t199"  # the oldest, most forgotten
    assert len(schedule.due_now(cards, now, limit=10, done_today=4).today) == 6
    assert schedule.due_now(cards, now, limit=10, done_today=12).today == ()


@pytest.mark.parametrize(
    ("correct", "total", "seconds", "rating"),
    [
        (0, 3, None, AGAIN),
        (1, 3, 30, AGAIN),
        (1, 2, None, AGAIN),
        (2, 3, 30, HARD),
        (3, 3, None, GOOD),
        (3, 3, 150, GOOD),
        (3, 3, 30, EASY),
        (3, 3, 400, HARD),
        (2, 2, 20, EASY),
    ],
)
def test_rating_from_correctness_and_time(
    correct: int, total: int, seconds: float | None, rating: int
) -> None:
    assert schedule.rate(correct, total, seconds) == rating


def test_review_minutes_forecast_and_the_time_the_plan_reserves(tiny) -> None:  # type: ignore[no-untyped-def]
    now = noon(DAY)
    assert schedule.minutes_per_week([], now) == 0
    cards = make_cards(12, now)
    minutes = schedule.minutes_per_week(cards, now)
    expected = len(schedule.forecast(cards, now, now + timedelta(weeks=8))) * 5 / 8
    assert minutes >= expected and minutes % 5 == 0 and minutes > 0
    profile = Profile(hours_per_week=6, start=DAY)
    plain = make_plan(tiny, profile)
    reserved = make_plan(tiny, profile, review_hours=1.5)
    assert reserved.review_hours == 1.5
    assert all(w.hours <= 4.5 for w in reserved.weeks)
    assert len(reserved.weeks) >= len(plain.weeks) and reserved.total_hours == plain.total_hours
    assert make_plan(tiny, profile, review_hours=50).review_hours == 3  # at most half the week
    assert type(plain).from_dict(reserved.to_dict()).review_hours == 1.5
