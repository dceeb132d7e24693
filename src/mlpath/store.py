"""The local JSON progress store: one file, ``progress.json``.

It holds ``schema_version``, the current plan inputs (``profile``) and plan, and
the append-only event log from which all progress is derived (see
:mod:`mlpath.progress`).

Safety rules, because a learner's progress is months of their life:

- Saves are atomic: a temporary file in the same directory is written, flushed
  and fsynced, then ``os.replace``-d over the store, and the directory fsynced.
- Every mutating command holds an exclusive cross-process lock for its whole
  read-modify-write (:meth:`Store.transaction`); a second one waits briefly, then
  fails with a clear message.
- Reading never writes. A missing file means a new learner; a file that is
  empty, unreadable, invalid or from a newer mlpath is never treated as empty:
  it raises and is left untouched.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlpath.errors import StoreCorrupt, StoreLocked, StoreTooNew, StoreWriteError
from mlpath.progress import EVENT_TYPES

SCHEMA_VERSION = 1
STORE_NAME = "progress.json"
LOCK_TIMEOUT = 5.0


@dataclass
class StoreData:
    """The store's content as plain data."""

    profile: dict[str, Any] | None = None
    plan: dict[str, Any] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "profile": self.profile,
            "plan": self.plan,
            "events": self.events,
        }


def default_home() -> Path:
    """Where progress lives: ``$MLPATH_HOME`` if set, else the user data directory."""
    env = os.environ.get("MLPATH_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("mlpath", appauthor=False)


def _recovery_hint(path: Path) -> str:
    return (
        f"The file was left untouched. Run `mlpath store restore` to bring back a backup, "
        f"or move {path.name} aside to start afresh."
    )


def parse_store(raw: bytes, path: Path) -> StoreData:
    """Parse and check the store file's bytes; raise StoreCorrupt/StoreTooNew naming the file."""
    if not raw.strip():
        raise StoreCorrupt(f"The progress store {path} is empty.", hint=_recovery_hint(path))
    try:
        doc = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StoreCorrupt(
            f"The progress store {path} is not valid JSON (truncated or damaged: {exc}).",
            hint=_recovery_hint(path),
        ) from None
    if not isinstance(doc, dict):
        raise StoreCorrupt(
            f"The progress store {path} holds a {type(doc).__name__}, not an object.",
            hint=_recovery_hint(path),
        )
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreCorrupt(
            f"The progress store {path} has no valid schema_version.", hint=_recovery_hint(path)
        )
    if version > SCHEMA_VERSION:
        raise StoreTooNew(
            f"The progress store {path} was written by a newer mlpath (schema {version}; "
            f"this one understands {SCHEMA_VERSION}).",
            hint="Upgrade mlpath (`pip install -U mlpath`). The file was not changed.",
        )
    problems = check_shape(doc)
    if problems:
        raise StoreCorrupt(
            f"The progress store {path} is damaged: " + "; ".join(problems[:5])
            + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""),
            hint=_recovery_hint(path),
        )
    return StoreData(
        profile=doc.get("profile"),
        plan=doc.get("plan"),
        events=doc["events"],
        schema_version=version,
    )


def check_shape(doc: dict[str, Any]) -> list[str]:
    """Problems with the store document's types (fast: runs on every command)."""
    problems = []
    for key in ("profile", "plan"):
        if doc.get(key) is not None and not isinstance(doc[key], dict):
            problems.append(f"'{key}' must be an object")
    events = doc.get("events")
    if not isinstance(events, list):
        return [*problems, "'events' must be a list"]
    last = 0
    types = set(EVENT_TYPES)
    for i, e in enumerate(events):
        if not isinstance(e, dict):
            problems.append(f"event #{i + 1} is not an object")
            continue
        seq, kind = e.get("seq"), e.get("type")
        if type(seq) is not int or seq <= last:
            problems.append(f"event #{i + 1} has a missing or out-of-order 'seq'")
        else:
            last = seq
        if kind not in types:
            problems.append(f"event #{i + 1} has unknown type {kind!r}")
        elif kind in ("done", "log", "lab") and not isinstance(e.get("topic"), str):
            problems.append(f"event #{i + 1} ({kind}) has no topic")
        h = e.get("hours")
        if h is not None and (type(h) not in (int, float) or h < 0):
            problems.append(f"event #{i + 1} has invalid hours")
        if len(problems) > 20:
            break
    return problems


class Store:
    """The progress store at ``home/progress.json``."""

    def __init__(self, home: Path, *, lock_timeout: float | None = None) -> None:
        self.home = home
        self.path = home / STORE_NAME
        self.lock_path = home / (STORE_NAME + ".lock")
        env_timeout = os.environ.get("MLPATH_LOCK_TIMEOUT")
        self.lock_timeout = lock_timeout if lock_timeout is not None else (
            float(env_timeout) if env_timeout else LOCK_TIMEOUT
        )

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> StoreData:
        """Read the store (never writes). A missing file is a new, empty store."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return StoreData()
        except OSError as exc:
            raise StoreCorrupt(
                f"Cannot read the progress store {self.path}: {exc.strerror}.",
                hint="Check the file's permissions.",
            ) from None
        return parse_store(raw, self.path)

    @contextmanager
    def transaction(self) -> Iterator[StoreData]:
        """Lock, load, let the caller change the data, then save atomically.

        Nothing is written if the block raises.
        """
        from filelock import FileLock, Timeout

        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreWriteError(f"Cannot create {self.home}: {exc.strerror}.") from None
        lock = FileLock(str(self.lock_path), timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise StoreLocked(
                f"Another mlpath command is using {self.path}.",
                hint="Wait for it to finish and try again.",
            ) from None
        try:
            data = self.load()
            yield data
            self.save(data)
        finally:
            lock.release()

    def save(self, data: StoreData) -> None:
        """Atomically replace the store file with ``data``. Call only while holding the lock."""
        payload = json.dumps(data.to_json(), ensure_ascii=False, separators=(",", ":")).encode()
        write_atomic(self.path, payload)


def write_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` so that the old or the new content survives any crash."""
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise StoreWriteError(
            f"Could not save {path}: {exc.strerror or exc}. Your previous progress is intact.",
            hint="Free some disk space or check permissions, then run the command again.",
        ) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
