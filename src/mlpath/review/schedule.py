"""When to review each finished topic: FSRS (py-fsrs) replayed over mlpath's own review log.

The store never holds an fsrs ``Card``: it holds ``review`` events (when, the rating, the time
taken and the due date chosen). A topic's card is rebuilt by replaying that log from the day the
topic was both finished and backed by evidence, which counts as its first review (rated Good).
A later fsrs version, or new FSRS parameters, therefore loses nothing: the log is the truth and
the cards are a view of it. The due date recorded with each review is kept on replay, so a
fuzzed interval stays the interval the learner was shown.

Reviews are per topic, not per flashcard, so the scheduler has no learning or relearning
steps (``learning_steps=()``): a failed review shortens the next interval instead of asking
again in ten minutes. Every time is UTC-aware and passed in; nothing here reads the clock.
"""

from __future__ import annotations

import binascii
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from mlpath.domain.progress import State, evidence_date, has_evidence

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATINGS = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}
QUESTIONS_PER_REVIEW = 3  # 2 when the bank has fewer fresh questions left
MINUTES_PER_REVIEW = 5.0  # three questions and their explanations (the planner's estimate)
DAILY_LIMIT = 10  # reviews per day at most, after a break as on any day
FAST_SECONDS = 20.0  # all right at most this fast per question: Easy
SLOW_SECONDS = 120.0  # all right but slower than this per question: Hard
LOW_RECALL = 0.7  # the report lists topics predicted below this


@dataclass(frozen=True)
class TopicCard:
    """A topic's review schedule today."""

    topic: str
    due: datetime
    recall: float  # predicted probability of recall now (FSRS retrievability)
    stability: float  # days for recall to fall to 90%
    reviews: int  # reviews in the log (the first evidence not counted)
    last_review: datetime
    card: Any  # the fsrs Card, for rescheduling

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


def scheduler(fuzz: bool = False) -> Any:
    """The FSRS scheduler mlpath uses: no (re)learning steps; fuzzing off for tests."""
    import fsrs

    return fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=fuzz)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def utc(value: str) -> datetime:
    """An ISO timestamp as an aware UTC datetime (a naive one is taken as UTC)."""
    dt = datetime.fromisoformat(value)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def start_of(topic: str, state: State) -> date | None:
    """The day a topic's schedule starts: finished and backed by evidence (else None)."""
    if topic not in state.done or not has_evidence(topic, state):
        return None
    evidence = evidence_date(topic, state)
    return max(state.done[topic], evidence) if evidence else state.done[topic]


def replay(
    topic: str, start: date, log: Sequence[Sequence[Any]], now: datetime, fuzz: bool = False
) -> TopicCard:
    """The topic's card after its first evidence (``start``, Good) and every logged review."""
    import fsrs

    sched = scheduler(fuzz=False)  # replay is deterministic; recorded dues carry any fuzz
    first = _noon(start)
    card = fsrs.Card(card_id=binascii.crc32(topic.encode()) or 1, due=first)
    card, _ = sched.review_card(card, fsrs.Rating(GOOD), review_datetime=first)
    last, count = first, 0
    for entry in sorted(log, key=lambda e: utc(e[0])):
        at = utc(entry[0])
        if at < last:
            continue  # a review older than the evidence (e.g. the evidence was undone)
        card, _ = sched.review_card(card, fsrs.Rating(int(entry[1])), review_datetime=at)
        if len(entry) > 3 and entry[3]:
            card.due = utc(entry[3])
        last, count = at, count + 1
    return TopicCard(
        topic=topic,
        due=card.due,
        recall=_recall(sched, card, now),
        stability=float(card.stability or 0.0),
        reviews=count,
        last_review=last,
        card=card,
    )


def _recall(sched: Any, card: Any, now: datetime) -> float:
    return round(float(sched.get_card_retrievability(card, now)), 4)


def cards(state: State, now: datetime, topics: Iterable[str] | None = None) -> list[TopicCard]:
    """The card of every finished, evidence-backed topic (of ``topics`` when given)."""
    wanted = set(topics) if topics is not None else None
    out = []
    for topic in state.done:
        if wanted is not None and topic not in wanted:
            continue
        start = start_of(topic, state)
        if start is not None:
            out.append(replay(topic, start, state.reviews.get(topic, []), now))
    return out


def reviewed_on(state: State, day: date) -> set[str]:
    """Topics reviewed on ``day`` (UTC)."""
    return {t for t, log in state.reviews.items() if any(utc(e[0]).date() == day for e in log)}


@dataclass(frozen=True)
class Due:
    """Today's reviews: at most the daily limit, lowest predicted recall first."""

    today: tuple[TopicCard, ...]
    backlog: int  # due but over today's limit: they wait for the next days

    @property
    def total(self) -> int:
        return len(self.today) + self.backlog


def due_now(
    all_cards: Iterable[TopicCard], now: datetime, *, limit: int = DAILY_LIMIT, done_today: int = 0
) -> Due:
    """The due cards, lowest recall first, capped at ``limit`` minus reviews done today.

    After a break this never becomes a wall of reviews: the rest stay in the backlog and
    the most forgotten topics come first, as Anki orders an overdue queue.
    """
    due = sorted((c for c in all_cards if c.is_due(now)), key=lambda c: (c.recall, c.due, c.topic))
    room = max(0, limit - done_today)
    return Due(tuple(due[:room]), max(0, len(due) - room))


def rate(correct: int, total: int, seconds: float | None = None) -> int:
    """The FSRS rating of a review from correctness and time.

    Half right or less (0 or 1 of 2 or 3): Again. Not all right (2 of 3): Hard. All right:
    Easy when at most :data:`FAST_SECONDS` per question, Hard when slower than
    :data:`SLOW_SECONDS`, else Good. Without a time (answers from a script), Good.
    """
    if total <= 0 or correct * 2 <= total:
        return AGAIN
    if correct < total:
        return HARD
    if seconds is None:
        return GOOD
    per_question = seconds / total
    if per_question <= FAST_SECONDS:
        return EASY
    return HARD if per_question > SLOW_SECONDS else GOOD


def reschedule(card: TopicCard, rating: int, at: datetime, fuzz: bool = False) -> datetime:
    """The next due date after a review rated ``rating`` at ``at``."""
    import fsrs

    new, _ = scheduler(fuzz).review_card(card.card, fsrs.Rating(rating), review_datetime=at)
    due: datetime = new.due
    return due


def _next_due(card: Any, sched: Any, at: datetime) -> Any:
    import fsrs

    new, _ = sched.review_card(card, fsrs.Rating(GOOD), review_datetime=at)
    return new


def forecast(
    all_cards: Iterable[TopicCard], start: datetime, end: datetime
) -> list[tuple[str, date]]:
    """The reviews expected in ``[start, end)``: each card's due dates, assuming every review
    goes well (Good) and is done on the day it is due. Overdue cards count once, at ``start``."""
    sched = scheduler(False)
    out: list[tuple[str, date]] = []
    for c in all_cards:
        card, when = c.card, max(c.due, start)
        while when < end:
            out.append((c.topic, when.date()))
            card = _next_due(card, sched, when)
            when = max(card.due, when + timedelta(days=1))
    return sorted(out, key=lambda x: (x[1], x[0]))


def minutes_per_week(all_cards: Iterable[TopicCard], now: datetime, weeks: int = 8) -> float:
    """Review minutes a week to reserve: the forecast over the next ``weeks`` weeks, averaged
    (at :data:`MINUTES_PER_REVIEW` each), rounded up to 5 minutes."""
    n = len(forecast(all_cards, now, now + timedelta(weeks=weeks)))
    minutes = n * MINUTES_PER_REVIEW / weeks
    return float(5 * math.ceil(minutes / 5))


def retention(
    all_cards: Sequence[TopicCard], phase_of: Mapping[str, str], phases: Sequence[str]
) -> dict[str, Any]:
    """Predicted recall today per phase (mean over its scheduled topics) and the topics below
    :data:`LOW_RECALL`, lowest first."""
    per_phase = []
    for ph in phases:
        in_phase = [c.recall for c in all_cards if phase_of.get(c.topic) == ph]
        if in_phase:
            mean = round(sum(in_phase) / len(in_phase), 3)
            per_phase.append({"id": ph, "topics": len(in_phase), "recall": mean})
    low = sorted((c for c in all_cards if c.recall < LOW_RECALL), key=lambda c: c.recall)
    return {
        "phases": per_phase,
        "below_70": [{"topic": c.topic, "recall": c.recall} for c in low],
        "scheduled_topics": len(all_cards),
    }
