"""The use cases behind ``mlpath review``, and the review data other commands show.

A review session is drawn (:func:`start`: the due topics, capped per day, lowest predicted
recall first, 2-3 fresh questions each), answered (the CLI asks, or reads ``--answers``), then
each answered topic is graded, rated Again/Hard/Good/Easy and recorded as one ``review``
event (:func:`submit`). The same day and seed always draw the same questions, so a script can
print them with ``--json`` and answer them with ``--answers``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from mlpath.app.session import Session
from mlpath.domain.curriculum import Topic
from mlpath.domain.progress import Event, State, new_event
from mlpath.errors import InputError
from mlpath.review import schedule
from mlpath.review.schedule import DAILY_LIMIT, TopicCard

if TYPE_CHECKING:  # the question bank imports pydantic: not for `next` and `report`
    from mlpath.quiz.draw import Drawn
    from mlpath.quiz.grading import Answer


def clock(s: Session) -> datetime:
    """Now in UTC; on a day set by ``MLPATH_TODAY`` (demos, tests), noon UTC of that day."""
    now = s.now()
    return now if now.date() == s.today else datetime.combine(s.today, time(12), tzinfo=UTC)


def _with_questions(s: Session) -> set[str]:
    from mlpath.quiz.paths import has_quiz

    return {t.id for t in s.curriculum.topics if has_quiz(s.questions_dir, t.id)}


def topic_cards(s: Session, state: State, now: datetime) -> list[TopicCard]:
    """The schedule of every finished, evidence-backed topic that has questions to review."""
    if not state.done:
        return []
    return schedule.cards(state, now, _with_questions(s) & set(s.curriculum.by_id))


def due_summary(s: Session, state: State, limit: int = DAILY_LIMIT) -> dict[str, Any]:
    """What ``next`` shows: today's due reviews (capped), the backlog and their minutes."""
    now = clock(s)
    cards = topic_cards(s, state, now)
    due = schedule.due_now(
        cards, now, limit=limit, done_today=len(schedule.reviewed_on(state, now.date()))
    )
    return {
        "due": [_due_json(c) for c in due.today],
        "backlog": due.backlog,
        "minutes": round(len(due.today) * schedule.MINUTES_PER_REVIEW),
        "scheduled": len(cards),
    }


def unchanged_until(s: Session, state: State, *, recall_shown: bool = False) -> float:
    """Until when (epoch seconds) the review data a screen shows stays as it is now.

    On a day set by ``MLPATH_TODAY`` the clock stands at noon, so nothing moves: infinity.
    Otherwise the due reviews are ordered by predicted recall, which falls by the minute,
    so a screen that lists due reviews or shows recall (``recall_shown``) may change at
    any moment: 0. Else nothing changes before the next review falls due.
    """
    if s.now().date() != s.today:
        return float("inf")
    now = clock(s)
    cards = topic_cards(s, state, now)
    if not cards:
        return float("inf")
    if recall_shown or any(c.is_due(now) for c in cards):
        return 0.0
    return min(c.due for c in cards).timestamp()


def _due_json(c: TopicCard) -> dict[str, Any]:
    return {"topic": c.topic, "due": c.due.date().isoformat(), "recall": round(c.recall, 3)}


def reserve_hours(s: Session, state: State) -> float:
    """Hours a week the planner keeps for review: the forecast of the current schedule."""
    now = clock(s)
    return round(schedule.minutes_per_week(topic_cards(s, state, now), now) / 60, 2)


def reviews_between(s: Session, start: date, end: date) -> list[dict[str, Any]]:
    """The reviews expected from ``start`` to ``end`` inclusive (for a week view):
    ``[{"topic", "date"}]``, assuming each goes well and is done on its day."""
    data = s.store.load(events=False)
    state = s.state(data)
    now = clock(s)
    lo = max(now, datetime.combine(start, time(0), tzinfo=UTC))
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC)
    cards = topic_cards(s, state, now)
    return [{"topic": t, "date": d.isoformat()} for t, d in schedule.forecast(cards, lo, hi)]


def retention(s: Session, state: State) -> dict[str, Any]:
    """``report --json``'s ``retention``: recall per phase today, topics below 70%, and the
    review time spent (minutes, from the recorded reviews that timed themselves)."""
    now = clock(s)
    cards = topic_cards(s, state, now)
    phase_of = {t.id: t.phase for t in s.curriculum.topics}
    out = schedule.retention(cards, phase_of, [p.id for p in s.curriculum.phases])
    seconds = sum(float(e[2] or 0) for log in state.reviews.values() for e in log)
    reviews = sum(len(log) for log in state.reviews.values())
    return {**out, "reviews": reviews, "minutes_spent": round(seconds / 60, 1)}


# --------------------------------------------------------------------------- a session


@dataclass(frozen=True)
class Item:
    topic: Topic
    card: TopicCard
    questions: tuple[Drawn, ...]


@dataclass(frozen=True)
class Review:
    seed: int
    items: tuple[Item, ...]
    backlog: int
    at: datetime


def _recent_questions(events: Sequence[Event], topic: str) -> set[str]:
    """The questions of the topic's last quiz and last review: a review asks fresh ones."""
    out: set[str] = set()
    for kind in ("review", "quiz"):
        last = next(
            (e for e in reversed(events) if e.get("type") == kind and e.get("topic") == topic), None
        )
        out |= set(last.get("questions", ())) if last else set()
    return out


def start(s: Session, *, seed: int | None = None, limit: int = DAILY_LIMIT) -> Review:
    """Today's review: the due topics (at most ``limit`` a day, lowest recall first) with 2-3
    fresh questions each, drawn from ``seed`` (default: today's date, so a script's ``--json``
    and ``--answers`` the same day see the same questions)."""
    from mlpath.quiz.bank import load_topic
    from mlpath.quiz.draw import draw

    if limit < 1:
        raise InputError(f"--limit must be at least 1 (got {limit}).")
    if seed is not None and not 0 <= seed <= 2**31 - 1:
        raise InputError(f"--seed must be between 0 and {2**31 - 1} (got {seed}).")
    data = s.store.load()
    state = s.state(data)
    now = clock(s)
    cards = topic_cards(s, state, now)
    due = schedule.due_now(
        cards, now, limit=limit, done_today=len(schedule.reviewed_on(state, now.date()))
    )
    chosen = seed if seed is not None else s.today.toordinal()
    items = []
    for card in due.today:
        bank = load_topic(s.questions_dir, card.topic, s.curriculum)
        recent = _recent_questions(data.events, card.topic)
        fresh = [q for q in bank if q.id not in recent]
        pool = fresh if len(fresh) >= 2 else bank
        n = min(schedule.QUESTIONS_PER_REVIEW, len(pool))
        if n == 0:
            continue
        items.append(
            Item(s.curriculum.by_id[card.topic], card, tuple(draw(pool, seed=chosen, n=n)))
        )
    return Review(chosen, tuple(items), due.backlog, now)


def review_json(review: Review) -> dict[str, Any]:
    """``{"due": [{"topic", "due", "recall", "title", "questions"}], "backlog", "seed"}``:
    the questions without their keys."""
    return {
        "due": [
            {
                **_due_json(i.card),
                "title": i.topic.title,
                "questions": [
                    {
                        "id": q.id,
                        "kind": q.kind,
                        "prompt": q.prompt,
                        **({"options": list(q.options)} if q.options is not None else {}),
                    }
                    for q in i.questions
                ],
            }
            for i in review.items
        ],
        "backlog": review.backlog,
        "seed": review.seed,
    }


def check_answers(review: Review, answers: Mapping[str, Answer]) -> None:
    """InputError naming every unknown question id and every unreadable answer."""
    from mlpath.app.quiz import check_answers_for

    check_answers_for(
        (q for i in review.items for q in i.questions),
        answers,
        "today's review",
        f"See today's questions with `mlpath review --seed {review.seed} --json`.",
    )


def rests_on(s: Session, state: State, topic: str) -> list[str]:
    """The later topics that rest on ``topic`` (depend on it, directly or not) and that the
    learner has finished or still plans, finished ones first."""
    from mlpath.review.placement import Graph

    data = s.store.load(events=False)
    profile, plan = s.saved(data)
    track = profile.track if profile else "pytorch"
    graph = Graph.from_curriculum(s.curriculum, track)
    later = graph.descendants.get(topic, frozenset())
    planned = set(plan.topics) if plan else set()
    order = s.curriculum.position
    done = sorted((t for t in later if t in state.done), key=order.__getitem__)
    todo = sorted((t for t in later if t in planned and t not in state.done), key=order.__getitem__)
    return done + todo


def submit(
    s: Session,
    review: Review,
    answers: Mapping[str, Answer],
    seconds: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Grade each topic with at least one answer (missing answers count as wrong; a topic with
    none is left due), rate it, reschedule it and record a ``review`` event per topic.

    Returns ``{"reviewed": [{"topic", "score", "total", "rating", "due", "recall",
    "rests_on_it", "results"}], "skipped": [topic], "backlog"}``.
    """
    from mlpath.quiz.grading import expected, grade

    check_answers(review, answers)
    seconds = seconds or {}
    reviewed: list[dict[str, Any]] = []
    skipped: list[str] = []
    records = []
    for item in review.items:
        if not any(q.id in answers for q in item.questions):
            skipped.append(item.topic.id)
            continue
        correct = [grade(q, answers.get(q.id)) for q in item.questions]
        score, total = sum(correct), len(correct)
        rating = schedule.rate(score, total, seconds.get(item.topic.id))
        due = schedule.reschedule(item.card, rating, review.at, fuzz=s.review_fuzz)
        records.append((item, score, total, rating, due))
        reviewed.append(
            {
                "topic": item.topic.id,
                "score": score,
                "total": total,
                "rating": schedule.RATINGS[rating],
                "due": due.date().isoformat(),
                "recall": round(item.card.recall, 3),
                "rests_on_it": [],
                "results": [
                    {
                        "id": q.id,
                        "correct": ok,
                        "expected": expected(q),
                        "explanation": q.explanation,
                    }
                    for q, ok in zip(item.questions, correct, strict=True)
                ],
            }
        )
    if records:
        with s.store.transaction() as data:
            for item, score, total, rating, due in records:
                took = seconds.get(item.topic.id)
                data.events.append(
                    new_event(
                        data.events,
                        "review",
                        s.now(),
                        topic=item.topic.id,
                        date=s.today.isoformat(),
                        reviewed_at=review.at.isoformat(timespec="seconds"),
                        rating=rating,
                        score=score,
                        total=total,
                        seconds=round(took, 1) if took is not None else None,
                        due=due.isoformat(timespec="seconds"),
                        questions=[q.id for q in item.questions],
                    )
                )
            state = s.state(data)
        for r in reviewed:
            if r["rating"] == "again":
                r["rests_on_it"] = rests_on(s, state, r["topic"])
    return {"reviewed": reviewed, "skipped": skipped, "backlog": review.backlog}
