"""What a valid ``progress.json`` is: parsing, type checks and upgrading to the current schema.

Pure functions over bytes and plain data; the file itself is handled by
:mod:`mlpath.store.file`. Problems are raised as :class:`Damaged` (a short reason) or
:class:`TooNew`, which the store turns into learner-facing errors naming the file.
"""

from __future__ import annotations

import binascii
import json
import math
import mmap
from collections.abc import Callable, Iterable, MutableSequence, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from mlpath.domain.planner import Plan, Profile
from mlpath.domain.progress import EVENT_TYPES, derive, summarize
from mlpath.store import migrations

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION = migrations.CURRENT


@dataclass
class StoreData:
    """The store's content as plain data (always in the current schema)."""

    profile: dict[str, Any] | None = None
    plan: dict[str, Any] | None = None
    # A list, or in a transaction on a long history a mlpath.store.log.EventLog (the saved
    # events stay in the file until iterated; append-only)
    events: MutableSequence[dict[str, Any]] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION
    migrated_from: int | None = None  # the file's version when it was upgraded in memory
    # Set by read_summary() instead of ``events``: the derived state stored with the file.
    summary: dict[str, Any] | None = None
    # Top-level members this mlpath does not know (from a newer tool, or added by hand):
    # kept as they are and written back on every save.
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "profile": self.profile,
            "plan": self.plan,
            **self.extra,
            "events": self.events,
        }


KNOWN_KEYS = ("schema_version", "profile", "plan", "summary", "events")
# The largest number of hours (or any other number) a valid store holds: far beyond any
# real study time, and far enough from float overflow that sums and products stay finite.
MAX_NUMBER = 1e6


class Damaged(Exception):
    """Internal: what is wrong with a store document, in a few words."""


class TooNew(Exception):
    """Internal: the document's schema_version is newer than this mlpath's."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def parse_document(raw: bytes) -> StoreData:
    """The store data in ``raw``, upgraded to the current schema; raise Damaged or TooNew."""
    from mlpath.domain.jsonio import JsonTooDeep, loads

    if not raw.strip():
        raise Damaged("is empty")
    try:
        doc = loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise Damaged(f"is not valid JSON (truncated or damaged: {exc})") from None
    except JsonTooDeep:
        raise Damaged("is not a progress store (nested too deeply)") from None
    if not isinstance(doc, dict):
        raise Damaged(f"holds a {type(doc).__name__}, not an object")
    version = doc.get("schema_version")
    if type(version) is not int or version < 0:
        raise Damaged("has no valid schema_version")
    if version > migrations.CURRENT:
        raise TooNew(version)
    migrated_from = None
    if version < migrations.CURRENT:
        try:
            doc = migrations.migrate(dict(doc), version)
        except migrations.MigrationFailed as exc:
            raise Damaged(f"(schema {version}) cannot be upgraded: {exc}") from None
        migrated_from = version
    problems = check_shape(doc)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise Damaged("is damaged: " + "; ".join(problems[:5]) + more)
    return StoreData(
        profile=doc.get("profile"),
        plan=doc.get("plan"),
        events=doc["events"],
        schema_version=migrations.CURRENT,
        migrated_from=migrated_from,
        extra={k: v for k, v in doc.items() if k not in KNOWN_KEYS},
    )


def _is_date(value: Any, kind: type[date] = date) -> bool:
    try:
        kind.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and 0 <= value <= MAX_NUMBER


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def profile_problem(profile: Any) -> str | None:
    """Why a saved profile cannot be used, or None."""
    if not isinstance(profile, dict):
        return "is not an object"
    if not _number(profile.get("hours_per_week")) or not _is_date(profile.get("start")):
        return "has no valid hours_per_week or start"
    if not all(_str_list(profile.get(k, [])) for k in ("goals", "known")):
        return "has invalid goals or known topics"
    if not all(isinstance(profile.get(k, ""), str) for k in ("track", "strategy")):
        return "has an invalid track or strategy"
    return _loads_as(Profile.from_dict, profile)


def plan_problem(plan: Any) -> str | None:
    """Why a saved plan cannot be used, or None."""
    if not isinstance(plan, dict):
        return "is not an object"
    if not _str_list(plan.get("topics")) or not isinstance(plan.get("weeks"), list):
        return "has no valid topics or weeks"
    for w in plan["weeks"]:
        items = w.get("items") if isinstance(w, dict) else None
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("topic"), str) and _number(i.get("hours"))
            for i in items
        ):
            return "has an invalid week"
    return _loads_as(Plan.from_dict, plan)


def _loads_as(build: Callable[[dict[str, Any]], object], value: dict[str, Any]) -> str | None:
    try:
        build(value)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return f"cannot be read ({type(exc).__name__}: {exc})"
    return None


def check_shape(doc: dict[str, Any]) -> list[str]:
    """Every problem with the store document's types (fast: runs on every command)."""
    problems = []
    for key, check in (("profile", profile_problem), ("plan", plan_problem)):
        if doc.get(key) is not None and (why := check(doc[key])):
            problems.append(f"'{key}' {why}")
    events = doc.get("events")
    if not isinstance(events, list):
        return [*problems, "'events' must be a list"]
    last = 0
    for i, e in enumerate(events):
        problems += [f"event #{i + 1} {p}" for p in event_problems(e, last)]
        if isinstance(e, dict) and type(e.get("seq")) is int and e["seq"] > last:
            last = e["seq"]
        if len(problems) > 20:
            break
    return problems


def event_problems(e: Any, last_seq: int) -> list[str]:
    if not isinstance(e, dict):
        return ["is not an object"]
    out = []
    seq, kind = e.get("seq"), e.get("type")
    if type(seq) is not int or seq <= last_seq:
        out.append("has a missing or out-of-order 'seq'")
    if "at" in e and not _is_date(e["at"], datetime):
        out.append("has an invalid 'at' timestamp")
    if kind not in EVENT_TYPES:
        return [*out, f"has unknown type {kind!r}"]
    if kind in ("done", "log", "lab", "quiz", "review", "skip", "reopen"):
        if not isinstance(e.get("topic"), str):
            out.append(f"({kind}) has no topic")
        if not _is_date(e.get("date")) and ("date" in e or not _is_date(e.get("at"), datetime)):
            out.append(f"({kind}) has no valid date")
    if "hours" in e and e["hours"] is not None and not _number(e["hours"]):
        out.append("has invalid hours")
    if kind == "quiz":
        out += _quiz_problems(e)
    if kind == "review":
        out += _review_problems(e)
    if kind == "placement":
        out += _placement_problems(e)
    if kind == "undone" and type(e.get("target")) is not int:
        out.append("(undone) has no valid target")
    if kind == "plan":
        if "date" in e and not _is_date(e["date"]):
            out.append("(plan) has an invalid date")
        for key, check in (("profile", profile_problem), ("plan", plan_problem)):
            if why := check(e.get(key)):
                out.append(f"(plan) '{key}' {why}")
    return out


def _quiz_problems(e: dict[str, Any]) -> list[str]:
    score, total = e.get("score"), e.get("total")
    if type(score) is not int or type(total) is not int or not 0 <= score <= total:
        return ["(quiz) has no valid score and total"]
    if not isinstance(e.get("passed"), bool) or not _number(e.get("percent")):
        return ["(quiz) has no valid percent and passed"]
    questions = e.get("questions")
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        return ["(quiz) has no valid question list"]
    return []


def _review_problems(e: dict[str, Any]) -> list[str]:
    if type(e.get("rating")) is not int or not 1 <= e["rating"] <= 4:
        return ["(review) has no valid rating (1-4)"]
    at = e.get("reviewed_at")
    if not isinstance(at, str) or not _is_date(at, datetime):
        return ["(review) has no valid reviewed_at (a UTC timestamp)"]
    if datetime.fromisoformat(at).tzinfo is None:
        return ["(review) has no valid reviewed_at (a UTC timestamp)"]
    if e.get("seconds") is not None and not _number(e["seconds"]):
        return ["(review) has invalid seconds"]
    return _quiz_problems({**e, "percent": 0, "passed": False})


def _placement_problems(e: dict[str, Any]) -> list[str]:
    if not _is_date(e.get("date")):
        return ["(placement) has no valid date"]
    if not _str_list(e.get("known")) or not _str_list(e.get("evidence", [])):
        return ["(placement) has no valid known topics"]
    if not isinstance(e.get("asked"), list):
        return ["(placement) has no valid asked list"]
    return []


# --------------------------------------------------------------------------- the file's layout
#
# The file is one JSON object whose last member is the event log:
#
#   {"schema_version":1,"profile":{...},"plan":{...},
#    "summary":{"events":N,"crc32":C,"state":{...}},"events":[...]}
#
# ``summary.state`` is :func:`mlpath.domain.progress.summarize` of the log and ``crc32`` the
# CRC-32 of the log's JSON text. Commands that only read (``next``, ``report``) parse
# the small head and, when the checksum matches, use the summary instead of parsing
# and folding a log that may hold years of events. Anything unexpected falls back to
# the full parse, which also reports damage.

_EVENTS = b',"events":'


def _dumps(value: Any) -> bytes:
    # A lone surrogate (which a JSON file may hold as "\\ud800") is written back as the same
    # escape: "backslashreplace" produces exactly JSON's \\uXXXX form, inside a string.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "backslashreplace"
    )


def _head(data: StoreData) -> dict[str, Any]:
    return {
        "schema_version": data.schema_version,
        "profile": data.profile,
        "plan": data.plan,
        **{k: v for k, v in data.extra.items() if k not in KNOWN_KEYS},
    }


def encode(data: StoreData) -> tuple[bytes, bytes]:
    """The head and the event log as JSON (cheap to compare: no summary is derived)."""
    return _dumps(_head(data)), _dumps(data.events)


def encode_head(data: StoreData) -> bytes:
    """The head (everything but the log and its summary) as JSON, to tell if it changed."""
    return _dumps(_head(data))


def state_checksum(state: Any) -> int:
    """The CRC-32 of the summary's state as written, so an edited summary is not trusted."""
    return binascii.crc32(_dumps(state))


def log_tail(events: Sequence[dict[str, Any]], reverted: set[Any] | None = None) -> dict[str, Any]:
    """What a save appending to the log needs of it without reading it: its last event (the
    next ``seq``) and the ``undone`` targets beyond it (events not yet made that are already
    reverted, which only a hand-edited log can hold)."""
    from mlpath.domain.progress import reverted_seqs

    last = events[-1] if events else None
    return tail_after(last, reverted_seqs(events) if reverted is None else reverted)


def tail_after(last: dict[str, Any] | None, targets: Any) -> dict[str, Any]:
    """The log tail whose last event is ``last``, with the ``undone`` targets ``targets``."""
    seq = last.get("seq") if isinstance(last, dict) else None
    last_seq = seq if type(seq) is int else 0
    ahead = sorted(t for t in targets if type(t) is int and t > last_seq)
    return {"last": last, "ahead": ahead}


def make_summary(
    count: int, crc: int, state: dict[str, Any], tail: dict[str, Any]
) -> dict[str, Any]:
    """The ``summary`` member: the log's size, its CRC-32, its derived state and its tail,
    each with a checksum so that an edited summary is never trusted."""
    return {
        "events": count,
        "crc32": crc,
        "state_crc32": state_checksum(state),
        "state": state,
        "log": tail,
        "log_crc32": tail_checksum(count, crc, tail),
    }


def tail_checksum(count: Any, crc: Any, tail: Any) -> int:
    """The CRC-32 binding the log tail to the log it describes (its size and checksum)."""
    return binascii.crc32(_dumps([count, crc, tail]))


def file_head(data: StoreData, summary: dict[str, Any]) -> bytes:
    """The file's bytes before the event log's JSON: the head with its summary."""
    return _dumps({**_head(data), "summary": summary})[:-1] + _EVENTS


def serialize(data: StoreData, events_json: bytes | None = None) -> bytes:
    """The bytes of the store file for ``data``, with its summary."""
    if events_json is None:
        events_json = _dumps(data.events)
    state = summarize(derive(data.events))
    crc = binascii.crc32(events_json)
    summary = make_summary(len(data.events), crc, state, log_tail(data.events))
    return file_head(data, summary) + events_json + b"}"


def dumps_event(event: dict[str, Any]) -> bytes:
    """One event's JSON, exactly as :func:`serialize` writes it inside the log."""
    return _dumps(event)


@dataclass(frozen=True)
class Head:
    """The small part of a file written by :func:`serialize`: everything before the log."""

    data: StoreData  # profile, plan, extra and the stored summary's state (no events)
    summary: dict[str, Any]
    tail: dict[str, Any] | None  # the checked log tail; None in files without one


def parse_head(head: bytes) -> Head | None:
    """The head of a file written by :func:`serialize` (its bytes before ``,"events":``), when
    it is in the current schema, its profile and plan are valid and its summary's state and
    tail checksums match; None otherwise (then the whole file decides). The event log's own
    CRC-32 is for the caller to check against ``summary["crc32"]``."""
    from mlpath.domain.jsonio import loads

    try:
        doc = loads(head + b"}")
    except ValueError:  # invalid or nested too deeply: the full parse decides
        return None
    summary = doc.get("summary") if isinstance(doc, dict) else None
    if not isinstance(summary, dict) or doc.get("schema_version") != migrations.CURRENT:
        return None
    state = summary.get("state")
    if not isinstance(state, dict) or summary.get("state_crc32") != state_checksum(state):
        return None  # the summary was edited: the events decide
    if type(summary.get("crc32")) is not int:
        return None
    for key, check in (("profile", profile_problem), ("plan", plan_problem)):
        if doc.get(key) is not None and check(doc[key]):
            return None
    tail = summary.get("log")
    count = summary.get("events")
    if not (
        isinstance(tail, dict)
        and type(count) is int
        and summary.get("log_crc32") == tail_checksum(count, summary["crc32"], tail)
    ):
        tail = None
    extra = {k: v for k, v in doc.items() if k not in KNOWN_KEYS}
    data = StoreData(profile=doc.get("profile"), plan=doc.get("plan"), summary=state, extra=extra)
    return Head(data, summary, tail)


def read_summary(raw: bytes | mmap.mmap) -> StoreData | None:
    """The head and summary of a file written by :func:`serialize`, or None to parse in full.

    ``raw`` may be the file's bytes or a memory map of it: the event log is only
    checksummed, never copied. The summary is trusted only when the file is in the
    current schema, its head is valid and the CRC-32 of the event log matches.
    """
    cut = raw.find(_EVENTS)
    if cut < 0 or raw[-1:] != b"}":
        return None
    head = parse_head(raw[:cut])
    if head is None:
        return None
    with memoryview(raw) as view:
        crc = binascii.crc32(view[cut + len(_EVENTS) : -1])
    return head.data if head.summary["crc32"] == crc else None


EVENTS_KEY = _EVENTS


def summary_problem(raw: bytes, events: Iterable[dict[str, Any]]) -> str | None:
    """Why the summary stored in the file ``raw`` disagrees with ``events`` (its event log,
    already parsed in full), or None when it agrees or the file has no summary."""
    cut = raw.find(_EVENTS)
    if cut < 0:
        return None
    from mlpath.domain.jsonio import loads

    try:
        head = loads(raw[:cut] + b"}")
    except ValueError:
        return None
    summary = head.get("summary") if isinstance(head, dict) else None
    if summary is None:
        return None
    try:
        state = derive(events)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return summary_mismatch(summary, state)


def summary_mismatch(summary: Any, state: Any) -> str | None:
    """Why a file's stored ``summary`` member disagrees with ``state`` (the
    :class:`~mlpath.domain.progress.State` its event log derives), or None when it agrees or
    there is none."""
    if summary is None:
        return None
    if not isinstance(summary, dict) or summary.get("state") != json.loads(
        _dumps(summarize(state))
    ):
        return "does not match its events (it is ignored, and rewritten by the next change)"
    if summary.get("state_crc32") != state_checksum(summary["state"]):
        return "has no valid checksum (it is ignored, and rewritten by the next change)"
    return None
