"""The local JSON progress store: one file, ``progress.json``.

It holds ``schema_version``, the current plan inputs (``profile``) and plan, and
the append-only event log from which all progress is derived (see
:mod:`mlpath.domain.progress`).

Safety rules, because a learner's progress is months of their life:

- Saves are atomic: a temporary file in the same directory is written, flushed
  and fsynced, then ``os.replace``-d over the store, and the directory fsynced.
- Every mutating command holds an exclusive cross-process lock
  (``progress.json.lock``) for its whole read-modify-write
  (:meth:`Store.transaction`); a second one waits ``MLPATH_LOCK_TIMEOUT``
  seconds (default 5), then fails with a clear message.
- Before each save the current file, which has just been read and checked, is
  copied to ``progress.json.bak/``; the last 5 good generations are kept (see
  :mod:`mlpath.store.backups`). A file that does not load is never saved over and never
  becomes a backup.
- Reading never writes. A missing file means a new learner; a file that is
  empty, unreadable, invalid or from a newer mlpath is never treated as empty:
  it raises and is left untouched. ``mlpath store restore`` brings back a backup.
- Older files are upgraded in memory (:mod:`mlpath.store.migrations`) and saved in the
  new format by the next mutating command, after a ``pre-migration`` backup.
- A long history is never held whole by a save: when the stored summary verifies, the
  saved log's bytes are copied and the new events appended (:mod:`mlpath.store.log`).
"""

from __future__ import annotations

import errno
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from mlpath.errors import (
    InputError,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreTooNew,
    StoreWriteError,
)
from mlpath.store import backups, migrations
from mlpath.store.atomic import user_mode, write_atomic
from mlpath.store.format import (
    SCHEMA_VERSION,
    Damaged,
    StoreData,
    TooNew,
    encode,
    encode_head,
    parse_document,
    serialize,
)
from mlpath.store.log import (
    Opened,
    Scanned,
    appended,
    copied,
    inspect,
    open_verified,
    read_stored_summary,
    same_content,
)
from mlpath.store.log import scan as scan_file
from mlpath.store.stream import Changed

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any, BinaryIO

__all__ = [
    "SCHEMA_VERSION",
    "BackupInfo",
    "Restored",
    "Store",
    "StoreData",
    "default_home",
    "parse_store",
    "user_mode",
    "write_atomic",
]
STORE_NAME = "progress.json"
LOCK_TIMEOUT = 5.0
MAX_STORE_BYTES = 2 << 30  # 2 GiB: decades of daily events are a few MiB

# Stores this process has saved, durably: an error after that (printing the result,
# releasing the lock) must not be reported as a failed change (a retry would repeat it).
_saved: list[Path] = []


def saved_this_process() -> bool:
    """True once any change was durably saved by this process."""
    return bool(_saved)


def default_home() -> Path:
    """Where progress lives: ``$MLPATH_HOME`` if set, else the user data directory."""
    env = os.environ.get("MLPATH_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("mlpath", appauthor=False)


# --------------------------------------------------------------------------- reading


def _recovery_hint(path: Path) -> str:
    return (
        f"The file was left untouched. Run `mlpath store restore` to bring back a backup, "
        f"or move {path.name} aside to start afresh."
    )


def parse_store(raw: bytes, path: Path) -> StoreData:
    """Parse and check the store file's bytes; raise StoreCorrupt/StoreTooNew naming the file."""
    try:
        return parse_document(raw)
    except Damaged as exc:
        raise StoreCorrupt(f"The progress store {path} {exc}.", hint=_recovery_hint(path)) from None
    except TooNew as exc:
        raise StoreTooNew(
            f"The progress store {path} was written by a newer mlpath (schema {exc.version}; "
            f"this one understands {migrations.CURRENT}).",
            hint="Upgrade mlpath (`pip install -U mlpath`). The file was not changed.",
        ) from None


# --------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class BackupInfo:
    """A backup file and what it holds (``problem`` says why it cannot be restored)."""

    number: int  # 1 = newest
    file: backups.BackupFile
    events: int | None
    schema_version: int | None
    problem: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "path": str(self.file.path),
            "created": self.file.created.isoformat(timespec="seconds"),
            "kind": self.file.tag or "automatic",
            "events": self.events,
            "schema_version": self.schema_version,
            "ok": self.problem is None,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup used and where the replaced files went."""

    backup: BackupInfo
    kept_aside: Path | None  # where a damaged store was moved
    previous_backup: Path | None  # where a good store that was replaced was backed up


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Store:
    """The progress store at ``home/progress.json``, its lock and its backups."""

    def __init__(
        self,
        home: Path,
        *,
        lock_timeout: float | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.home = home
        self.path = home / STORE_NAME
        self.lock_path = home / (STORE_NAME + ".lock")
        self.backup_dir = home / (STORE_NAME + ".bak")
        self.clock = clock
        self.lock_timeout = lock_timeout if lock_timeout is not None else lock_timeout_from_env()

    def exists(self) -> bool:
        return self.path.exists()

    def read_raw(self) -> bytes | None:
        """The file's bytes, or None when there is no store yet.

        Only a regular file (or a link to one) of at most MAX_STORE_BYTES is read; a
        FIFO or a device is refused without blocking."""
        from mlpath.domain.files import NotRegular, read_regular

        try:
            return read_regular(self.path, MAX_STORE_BYTES)
        except FileNotFoundError:
            return None
        except NotRegular as exc:
            raise StoreCorrupt(
                f"The progress store {self.path} cannot be used: {exc.strerror}.",
                hint=_recovery_hint(self.path),
            ) from None
        except OSError as exc:
            raise StoreCorrupt(
                f"Cannot read the progress store {self.path}: {exc.strerror}.",
                hint="Check the file's permissions.",
            ) from None

    def load(self, *, events: bool = True) -> StoreData:
        """Read the store (never writes). A missing file is a new, empty store.

        With ``events=False`` the event log may be left unread and its stored
        summary returned instead (``StoreData.summary``), which keeps frequent
        read-only commands fast however long the history grows.
        """
        if not events and (quick := self._read_summary()) is not None:
            return quick
        raw = self.read_raw()
        return StoreData() if raw is None else parse_store(raw, self.path)

    def scan(self) -> Scanned | None:
        """The store checked an event at a time (:func:`mlpath.store.log.scan`): its events
        stay in the file. None when it must be read whole (missing, damaged, older...)."""
        return scan_file(self.path, MAX_STORE_BYTES)

    def _read_summary(self) -> StoreData | None:
        """The stored summary; the log is only checksummed, a window at a time."""
        return read_stored_summary(self.path, MAX_STORE_BYTES)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store's cross-process lock, waiting at most ``lock_timeout`` seconds."""
        from mlpath.store.lock import LockFailed, LockTimeout, exclusive

        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreWriteError(f"Cannot create {self.home}: {exc.strerror}.") from None
        try:
            with exclusive(self.lock_path, self.lock_timeout):
                self._remove_stale_temp_files()
                yield
        except LockTimeout:
            raise StoreLocked(
                f"Another mlpath command is using {self.path} (waited {self.lock_timeout:g} s "
                "without it making progress).",
                hint="Wait for it to finish and try again; set MLPATH_LOCK_TIMEOUT to wait longer.",
            ) from None
        except LockFailed as exc:
            hint = (
                "This file system does not support locks (NFS without a lock daemon?). "
                "Set MLPATH_HOME to a folder on a local disk."
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS)
                else "Check the disk and the folder's permissions, then run the command again."
            )
            raise StoreWriteError(
                f"Cannot lock {self.lock_path}: {exc.strerror}. Nothing was changed.", hint=hint
            ) from None

    @contextmanager
    def transaction(self) -> Iterator[StoreData]:
        """Lock, load, let the caller change the data, then back up and save atomically.

        Nothing is written if the block raises or changes nothing. When the stored
        summary verifies (:func:`mlpath.store.log.open_verified`), the saved events stay
        in the file: the block gets an append-only :class:`~mlpath.store.log.EventLog`,
        and the save copies the saved log's bytes and appends the new events, so its
        memory does not grow with the history. Otherwise the file is read and checked
        whole, as it always was.
        """
        with self.locked():
            opened = open_verified(self.path, MAX_STORE_BYTES)
            if opened is not None:
                try:
                    yield from self._append(opened)
                finally:
                    os.close(opened.fd)
                return
            raw = self.read_raw()
            data = StoreData() if raw is None else parse_store(raw, self.path)
            before = encode(data)
            yield data
            after = encode(data)
            if after != before:
                if raw is not None:
                    old = data.migrated_from
                    self._backup(raw, None if old is None else f"pre-migration-v{old}")
                self._save(serialize(data, events_json=after[1]))
                data.migrated_from = None

    def _append(self, opened: Opened) -> Iterator[StoreData]:
        """The transaction on a store opened with its log unread."""
        log = opened.log
        data = replace(opened.head.data, summary=None, events=log)
        before = encode_head(data)
        yield data
        if data.events is not log:  # the block set a whole new list: save it as it is
            payload: bytes | Callable[[BinaryIO], None] = serialize(data)
        elif log.added or encode_head(data) != before:
            payload = appended(opened, data)
        else:
            return
        self._backup_opened(opened)
        try:
            self._save(payload)
        except Changed:
            raise StoreError(
                f"{self.path} was changed by another program while mlpath was saving it; "
                "nothing was changed.",
                hint="Run the command again.",
            ) from None

    def _save(self, payload: bytes | Callable[[BinaryIO], None]) -> None:
        write_atomic(self.path, payload)
        _saved.append(self.path)
        with suppress(OSError):  # best effort: the change is saved
            backups.prune(self.backup_dir, self._backup_is_good)

    # ----------------------------------------------------------------------- backups

    def backups(self) -> list[BackupInfo]:
        """Every backup, newest first, with its number of events or what is wrong with it."""
        return [
            BackupInfo(n, f, *inspect(f.path, MAX_STORE_BYTES))
            for n, f in enumerate(backups.list_files(self.backup_dir), start=1)
        ]

    def _backup_is_good(self, path: Path) -> bool:
        return inspect(path, MAX_STORE_BYTES)[2] is None

    def _backup_opened(self, opened: Opened) -> None:
        """Keep the opened (checked) store as a backup: a hard link to it, else a copy; nothing
        when the newest automatic backup already holds it."""
        newest = next((b for b in backups.list_files(self.backup_dir) if b.automatic), None)
        if newest is not None and same_content(newest.path, opened):
            return
        self._make_backup_dir()
        target = backups.next_path(self.backup_dir, self.clock(), None)
        try:
            info = os.lstat(self.path)
            if (info.st_dev, info.st_ino) == (opened.info.st_dev, opened.info.st_ino):
                os.link(self.path, target, follow_symlinks=False)
                return
        except OSError:
            pass  # a linked store or a folder without hard links: copy it
        try:
            write_atomic(target, copied(opened))
        except Changed:
            raise StoreError(
                f"{self.path} was changed by another program while mlpath was backing it up; "
                "nothing was changed.",
                hint="Run the command again.",
            ) from None

    def _make_backup_dir(self) -> None:
        try:
            self.backup_dir.mkdir(exist_ok=True)
        except OSError as exc:
            raise StoreWriteError(
                f"Cannot create the backup folder {self.backup_dir}: {exc.strerror}. "
                "Nothing was changed.",
            ) from None

    def _backup(self, raw: bytes, tag: str | None) -> Path | None:
        """Copy the current (checked) file's bytes into the backup folder."""
        if tag is None:
            newest = next((b for b in backups.list_files(self.backup_dir) if b.automatic), None)
            try:
                if newest is not None and _read_backup(newest.path) == raw:
                    return None  # this generation is already kept
            except OSError:
                pass
        self._make_backup_dir()
        target = backups.next_path(self.backup_dir, self.clock(), tag)
        if tag is None and self._link(target, raw):
            return target
        write_atomic(target, raw)
        return target

    def _link(self, target: Path, raw: bytes) -> bool:
        """Keep the current file as a backup by hard-linking it: it is already durable, and the
        save that follows replaces the store's name, never its content. False where linking is
        not possible (then the caller copies)."""
        try:
            if self.path.is_symlink() or self.path.stat().st_size != len(raw):
                return False  # a linked store is copied: backups are always real files
            os.link(self.path, target, follow_symlinks=False)
        except OSError:
            return False
        return True

    def restore(self, number: int | None = None, *, expect: Path | None = None) -> Restored:
        """Replace the store with backup ``number`` (1 = newest; None: the newest good one).

        A damaged current file is kept aside as ``progress.json.damaged-<time>``; a good
        one is backed up first (tagged ``before-restore``), so a restore can be undone.
        ``expect`` is the file the learner chose from a listing: if another command made
        a backup meanwhile (so numbers moved), nothing is restored.
        """
        with self.locked():
            chosen = self.choose_backup(number)
            if expect is not None and chosen.file.path != expect:
                raise StoreError(
                    "The backups changed while you were choosing; nothing was restored.",
                    hint="Run `mlpath store restore` again.",
                )
            try:
                raw = _read_backup(chosen.file.path)
            except OSError as exc:
                raise StoreError(f"Cannot read {chosen.file.path}: {exc.strerror}.") from None
            aside = previous = None
            try:
                current = self.read_raw()
            except StoreCorrupt:
                current, aside = None, self._move_aside()  # unreadable: move it, not copy
            if current is not None:
                try:
                    parse_document(current)
                except (Damaged, TooNew):
                    aside = self._copy_aside(current)
                else:
                    previous = self._backup(current, "before-restore")
            write_atomic(self.path, raw)
            _saved.append(self.path)
            with suppress(OSError):  # best effort: the restore is done
                backups.prune(self.backup_dir, self._backup_is_good)
            return Restored(chosen, aside, previous)

    def choose_backup(self, number: int | None) -> BackupInfo:
        """Backup ``number``, or the newest good one; raise StoreError when unusable."""
        found = self.backups()
        if not found:
            raise StoreError(
                f"There are no backups of {self.path} yet (they are kept in {self.backup_dir}).",
                hint="Backups are made each time mlpath saves your progress.",
            )
        if number is None:
            good = [b for b in found if b.problem is None]
            if not good:
                raise StoreError(f"None of the backups in {self.backup_dir} can be read.")
            return good[0]
        if not 1 <= number <= len(found):
            raise InputError(
                f"There is no backup number {number}; choose 1 to {len(found)}.",
                hint="Run `mlpath store list` to see them.",
            )
        chosen = found[number - 1]
        if chosen.problem is not None:
            raise StoreError(
                f"Backup {number} ({chosen.file.path.name}) {chosen.problem}.",
                hint="Choose another backup.",
            )
        return chosen

    def _aside_path(self) -> Path:
        base = self.home / f"{STORE_NAME}.damaged-{backups.stamp(self.clock())}"
        path, n = base, 1
        while path.exists():
            n += 1
            path = base.with_name(f"{base.name}-{n}")
        return path

    def _copy_aside(self, raw: bytes) -> Path:
        target = self._aside_path()
        write_atomic(target, raw)
        return target

    def _move_aside(self) -> Path:
        target = self._aside_path()
        try:
            os.replace(self.path, target)
        except OSError as exc:
            raise StoreWriteError(f"Cannot move {self.path} aside: {exc.strerror}.") from None
        return target

    def _remove_stale_temp_files(self) -> None:
        """Temp files left by a killed save (only ever removed while holding the lock)."""
        for folder in (self.home, self.backup_dir):
            try:
                names = os.listdir(folder)
            except OSError:  # no backup folder yet, or unlistable: nothing to tidy
                continue
            for name in names:
                if name.startswith(".progress") and name.endswith(".tmp"):
                    with suppress(OSError):
                        os.unlink(folder / name)


def lock_timeout_from_env() -> float:
    """Seconds to wait for the lock: ``MLPATH_LOCK_TIMEOUT``, default 5; InputError if invalid."""
    value = os.environ.get("MLPATH_LOCK_TIMEOUT")
    if not value:
        return LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < math.inf:
        raise InputError(f"MLPATH_LOCK_TIMEOUT must be a number of seconds (got {value!r}).")
    return seconds


def _read_backup(path: Path) -> bytes:
    from mlpath.domain.files import read_regular

    return read_regular(path, MAX_STORE_BYTES)
