"""Upgrading older progress stores, one ``schema_version`` at a time.

:data:`MIGRATIONS` maps a version ``n`` to the function that turns a version-``n``
document into a version ``n + 1`` document; :func:`migrate` applies them in
order up to :data:`CURRENT`. Each function takes and returns plain JSON data and
must not mutate its argument.

Policy (see also :mod:`mlpath.store.file`): migration happens in memory on every
load, so read-only commands work on an old file without writing it; the next
mutating command saves the upgraded document, after keeping the old file as a
``pre-migration`` backup that is never rotated out. A file with a version newer
than :data:`CURRENT` is refused, never rewritten.

To change the store format: bump :data:`CURRENT`, add ``MIGRATIONS[old]``, and
add a test that loads a synthetic file of the old version.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any

Document = dict[str, "Any"]
Migration = Callable[[Document], Document]

CURRENT = 3


class MigrationFailed(Exception):
    """A document claims an old version but does not have that version's shape."""


def _v0_to_v1(doc: Document) -> Document:
    """Version 0 (pre-release) kept events positionally: no ``seq``, and ``undone``
    events pointed at a list index (``target_index``). Version 1 keys them by ``seq``."""
    events = doc.get("events", [])
    if not isinstance(events, list):
        raise MigrationFailed("'events' must be a list")
    upgraded = []
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            raise MigrationFailed(f"event #{i + 1} is not an object")
        new = {k: v for k, v in event.items() if k != "target_index"}
        new["seq"] = i + 1
        if event.get("type") == "undone":
            index = event.get("target_index")
            if type(index) is not int or not 0 <= index < i:
                raise MigrationFailed(f"event #{i + 1} (undone) has no valid target_index")
            new["target"] = index + 1
        upgraded.append(new)
    return {**doc, "events": upgraded, "schema_version": 1}


def _v1_to_v2(doc: Document) -> Document:
    """Version 2 keeps every plan as a version of the learner's journey: each ``plan`` event
    gets the study ``date`` it was made on (its start, the best that version 1 knew), and
    the ``skip``, ``reopen`` and ``quiz`` event kinds exist. Every event is kept as it was;
    the bump makes an older mlpath refuse such a file as too new instead of calling it
    damaged."""
    events = doc.get("events", [])
    if not isinstance(events, list):
        raise MigrationFailed("'events' must be a list")
    upgraded = []
    for event in events:
        if isinstance(event, dict) and event.get("type") == "plan" and "date" not in event:
            profile = event.get("profile")
            start = profile.get("start") if isinstance(profile, dict) else None
            if isinstance(start, str):
                event = {**event, "date": start}
        upgraded.append(event)
    return {**doc, "events": upgraded, "schema_version": 2}


def _v2_to_v3(doc: Document) -> Document:
    """Version 3 adds the ``review`` and ``placement`` events. Nothing in a version-2 file
    changes; the bump makes an older mlpath refuse a file with them as too new."""
    return {**doc, "schema_version": 3}


MIGRATIONS: dict[int, Migration] = {0: _v0_to_v1, 1: _v1_to_v2, 2: _v2_to_v3}


def migrate(doc: Document, version: int) -> Document:
    """Upgrade ``doc`` (of ``version``) to :data:`CURRENT`, applying each step in order.

    Raises MigrationFailed when a step is missing or the document does not fit it.
    """
    while version < CURRENT:
        step = MIGRATIONS.get(version)
        if step is None:
            raise MigrationFailed(f"no upgrade is known from schema {version}")
        doc = step(doc)
        version += 1
        doc["schema_version"] = version
    return doc
