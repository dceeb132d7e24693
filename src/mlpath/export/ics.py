"""The plan as an RFC 5545 calendar of study sessions (built with the icalendar library).

Each plan week's hours are split over the learner's study days (default Monday
to Friday) at one time of day. A full week gives every study day the same
share of the weekly hours; the plan's last week simply ends early. Topics are
poured into the sessions in plan order, so a session may carry the end of one
topic and the start of the next.

Every session's UID is made of its date and the learner's store identity, never
of its content: re-importing the calendar after ``mlpath done`` or a new plan
updates the sessions already in the calendar instead of adding copies.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mlpath.domain.planner import Plan
from mlpath.domain.text import clean
from mlpath.errors import ExportError, InputError
from mlpath.export.snapshot import Snapshot

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_DAYS = (0, 1, 2, 3, 4)
DEFAULT_TIME = time(19, 0)
PRODID = "-//mlpath//study plan//EN"


@dataclass(frozen=True)
class IcsOptions:
    """How the sessions are laid out, and what the CLI knows about the learner and the clock."""

    days: tuple[int, ...] = DEFAULT_DAYS  # 0 = Monday
    at: time = DEFAULT_TIME
    tz: tzinfo = field(default_factory=lambda: ZoneInfo("UTC"))
    identity: str = "local"  # the learner's store identity: part of every UID
    stamp: datetime = datetime(2000, 1, 1, tzinfo=UTC)  # DTSTAMP: when the file was made
    revision: int = 0  # SEQUENCE: grows with every change to the store


@dataclass(frozen=True)
class StudySession:
    day: date
    week: int
    parts: tuple[tuple[str, int], ...]  # (topic id, minutes), in plan order

    @property
    def minutes(self) -> int:
        return sum(m for _, m in self.parts)


def parse_days(text: str) -> tuple[int, ...]:
    """'mon,wed,sat' (or full names, any case) -> weekday numbers, Monday = 0."""
    days: set[int] = set()
    for word in (w.strip().lower() for w in text.split(",")):
        index = next(
            (i for i, name in enumerate(WEEKDAYS) if len(word) >= 3 and name.startswith(word)), None
        )
        if index is None:
            raise InputError(
                f"--days must list weekdays like mon,wed,sat (got {word!r} in {text!r})."
            )
        days.add(index)
    return tuple(sorted(days))


def parse_time(text: str) -> time:
    """'19:00' or '7:30' -> a time of day."""
    try:
        hour, minute = (int(part) for part in text.strip().split(":"))
        return time(hour, minute)
    except ValueError:
        raise InputError(f"--time must be a time of day like 19:00 (got {text!r}).") from None


def zone(name: str) -> ZoneInfo:
    """An IANA time zone such as Europe/Paris."""
    shown = name if len(name) <= 60 else name[:60] + "…"
    try:
        if len(name) > 200:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long, say
        raise InputError(
            f"--tz must be an IANA time zone such as Europe/Paris (got {shown!r})."
        ) from None


def sessions(plan: Plan, days: tuple[int, ...]) -> list[StudySession]:
    """The plan's study sessions: each week's topics poured, in order, into its study days."""
    if not days:
        raise InputError("--days must name at least one weekday.")
    out: list[StudySession] = []
    for week in plan.weeks:
        queue = deque((item.topic, round(item.hours * 60)) for item in week.items)
        week_minutes = sum(m for _, m in queue)
        dates = [d for d in (week.start + timedelta(n) for n in range(7)) if d.weekday() in days]
        # a full week is shared evenly; rounding never leaves minutes behind
        base, extra = divmod(max(round(plan.hours_per_week * 60), week_minutes), len(dates))
        for n, day in enumerate(dates):
            room = base + (n < extra)
            parts: list[tuple[str, int]] = []
            while queue and room > 0:
                tid, minutes = queue.popleft()
                take = min(room, minutes)
                parts.append((tid, take))
                room -= take
                if minutes > take:
                    queue.appendleft((tid, minutes - take))
            if parts:
                out.append(StudySession(day, week.index, tuple(parts)))
    return out


def _duration(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    return " ".join(p for p in (f"{hours} h" if hours else "", f"{mins} min" if mins else "") if p)


def describe(snap: Snapshot, session: StudySession) -> str:
    """The event's description: each topic's share, objectives and resource links."""
    lines = [
        f"Week {session.week} of {len(snap.plan.weeks)} · {_duration(session.minutes)} of study"
    ]
    for tid, minutes in session.parts:
        topic = snap.curriculum.by_id.get(tid)
        done = " ✓ done" if snap.status(tid) == "done" else ""
        lines += ["", f"{snap.title(tid)} ({tid}) · {_duration(minutes)}{done}"]
        if topic is None:
            continue
        if topic.objectives:
            lines += ["You will be able to:", *(f"• {o}" for o in topic.objectives)]
        if topic.resources:
            lines += ["Resources:"]
            lines += [
                f"• {r.title}{f' ({r.section})' if r.section else ''}: {r.url}"
                for r in topic.resources
            ]
    lines += [
        "",
        "When you finish a topic: mlpath done <topic>. Then export again to update this calendar.",
    ]
    return "\n".join(lines)


def store_identity(events: Sequence[Mapping[str, Any]]) -> str:
    """A short, stable id of the learner's store: a hash of when its first event was recorded."""
    first = str(events[0].get("at", "")) if events else ""
    return hashlib.sha256(f"mlpath:{first}".encode()).hexdigest()[:12]


def uid(identity: str, day: date) -> str:
    """The stable UID of the study session on ``day`` (there is at most one a day)."""
    return f"study-{day:%Y%m%d}-{identity}@mlpath"


def render(snap: Snapshot, options: IcsOptions | None = None) -> str:
    """The plan's study sessions as an iCalendar (.ics) file, with its VTIMEZONE."""
    try:
        return _render(snap, options)
    except OverflowError:
        raise ExportError(
            "Your plan's dates run too close to the year 9999 for a calendar.",
            hint="Make a new plan with an earlier --start: mlpath plan --start today",
        ) from None


def _render(snap: Snapshot, options: IcsOptions | None) -> str:
    from icalendar import Calendar, Event

    options = options or IcsOptions()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # Every text goes in as vText, which escapes newlines, commas and semicolons (an
    # X- property is otherwise written raw); control characters are replaced first.
    cal.add("x-wr-calname", _text(f"mlpath: {snap.curriculum.title}"))
    tz_name = getattr(options.tz, "key", None)
    if tz_name:
        cal.add("x-wr-timezone", _text(tz_name))
    found = sessions(snap.plan, options.days)
    if not found:  # a calendar file needs at least one event (RFC 5545)
        raise ExportError(
            "Your plan has no study sessions left to put in a calendar: all its topics are done.",
            hint="Set new goals with `mlpath plan --goal TOPIC`, then export again.",
        )
    for s in found:
        start = datetime.combine(s.day, options.at, tzinfo=options.tz)
        event = Event()
        event.add("uid", uid(options.identity, s.day))
        event.add("dtstamp", options.stamp.astimezone(UTC))
        event.add("sequence", options.revision)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=s.minutes))
        event.add("summary", _text("Study: " + " + ".join(snap.title(tid) for tid, _ in s.parts)))
        event.add("description", _text(describe(snap, s)))
        event.add("categories", ["Study"])
        cal.add_component(event)
    cal.add_missing_timezones(
        first_date=date(found[0].day.year, 1, 1),
        last_date=date(min(found[-1].day.year + 1, date.max.year), 12, 31),
    )
    return str(cal.to_ical().decode("utf-8"))


def _text(value: str) -> Any:
    """An iCalendar TEXT value: escaped by icalendar, without control characters."""
    from icalendar import vText

    return vText(clean(value.replace("\r\n", "\n").replace("\r", "\n")))
