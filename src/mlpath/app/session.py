"""What every command needs, gathered once: the curriculum, the store, today.

This is the one place that reads the environment (``MLPATH_HOME``,
``MLPATH_CURRICULUM`` via the CLI option, ``MLPATH_TODAY``) and the clock; the
library below it takes everything as arguments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

from mlpath.domain.bounds import check_date
from mlpath.domain.curriculum import Curriculum, load
from mlpath.domain.planner import Plan, Profile
from mlpath.domain.progress import State, derive, from_summary
from mlpath.errors import InputError, NoPlan
from mlpath.store.file import Store, StoreData, default_home


def today_from_env() -> date:
    """Today, or ``MLPATH_TODAY`` (YYYY-MM-DD) when set, for demos and tests."""
    value = os.environ.get("MLPATH_TODAY")
    if value:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InputError(
                f"MLPATH_TODAY must be a date like 2026-01-31 (got {value[:40]!r})."
            ) from None
        return check_date(day, "MLPATH_TODAY")
    return date.today()


def parse_date(value: str, today: date, option: str = "--date") -> date:
    """Parse YYYY-MM-DD, 'today' or 'yesterday' for an option, with a learner-friendly error."""
    text = value.strip().lower()
    if text == "today":
        return check_date(today, option)
    if text == "yesterday":
        return check_date(date.fromordinal(max(today.toordinal() - 1, 1)), option)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise InputError(
            f"{option} must be a date like {today.isoformat()}, 'today' or 'yesterday' "
            f"(got {shown!r})."
        ) from None
    return check_date(day, option)


def cache_home() -> Path | None:
    """Where the validated-curriculum cache lives: ``$MLPATH_CACHE`` if set, else the
    user cache directory (never MLPATH_HOME: reading commands write nothing there).
    ``MLPATH_CACHE=off`` disables it."""
    value = os.environ.get("MLPATH_CACHE")
    if value:
        return None if value == "off" else Path(value).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("mlpath", appauthor=False)


@dataclass
class Session:
    """Where a command runs: its curriculum, home, question folder and today."""

    curriculum_path: Path | None = None
    home: Path = field(default_factory=default_home)
    questions_path: Path | None = None  # --questions / MLPATH_QUESTIONS
    today: date = field(default_factory=today_from_env)
    # FSRS interval fuzzing (MLPATH_REVIEW_FUZZ=0 turns it off, as the tests do)
    review_fuzz: bool = field(
        default_factory=lambda: os.environ.get("MLPATH_REVIEW_FUZZ", "1") != "0"
    )

    @cached_property
    def curriculum(self) -> Curriculum:
        return load(self.curriculum_path, cache_dir=cache_home())

    @property
    def questions_dir(self) -> Path:
        """The question bank in use: --questions, else a ``questions/`` folder next to a custom
        curriculum, else the bundled one."""
        from mlpath.quiz.paths import bundled_dir

        if self.questions_path is not None:
            return self.questions_path
        if self.curriculum_path is not None:
            beside = self.curriculum_path.resolve().parent / "questions"
            if beside.is_dir():
                return beside
        return bundled_dir()

    @cached_property
    def store(self) -> Store:
        return Store(self.home)

    def now(self) -> datetime:
        """The timestamp recorded on events (the real clock; the study date is separate)."""
        return datetime.now(UTC)

    def state(self, data: StoreData) -> State:
        """The learner's progress (from the stored summary when read without events)."""
        canonical = self.curriculum.canonical_id
        if data.summary is not None:
            quick = from_summary(data.summary, canonical)
            if quick is not None:
                return quick
            data = self.store.load()
        from mlpath.store.log import EventLog

        if isinstance(data.events, EventLog):  # in a transaction: the summary plus what is new
            return data.events.derive(canonical)
        return derive(data.events, canonical)

    def saved(self, data: StoreData) -> tuple[Profile | None, Plan | None]:
        """The saved profile and plan as this curriculum sees them.

        Renamed topic ids are followed; goals and known topics the curriculum no
        longer has are left out (in memory only: the store keeps what it holds).
        """
        ids, canonical = self.curriculum.by_id, self.curriculum.canonical_id
        profile = plan = None
        if data.profile:
            p = Profile.from_dict(data.profile)
            goals = tuple(g for g in map(canonical, p.goals) if g in ids)
            known = tuple(k for k in map(canonical, p.known) if k in ids)
            profile = replace(p, goals=goals, known=known)
        if data.plan:
            weeks = [
                {**w, "items": [{**i, "topic": canonical(i["topic"])} for i in w["items"]]}
                for w in data.plan["weeks"]
            ]
            topics = list(dict.fromkeys(map(canonical, data.plan["topics"])))
            plan = Plan.from_dict({**data.plan, "topics": topics, "weeks": weeks})
        return profile, plan

    def require_plan(self, data: StoreData) -> tuple[Profile, Plan]:
        """The saved profile and plan, or NoPlan with a hint on how to make one."""
        profile, plan = self.saved(data)
        if profile is None or plan is None:
            raise NoPlan()
        return profile, plan
