"""A long event log without holding it: the file's events, read on demand, plus new ones.

A transaction on a store whose summary checks out (:func:`open_verified`) gives the
use case an :class:`EventLog` instead of a list: appending, ``len``, the last event and
iterating work as on a list, but the events already saved stay in the file and are
parsed one at a time when iterated (for ``undo``, or a full recount). The save then
copies the saved log's bytes as they are and appends the new events' JSON (see
:meth:`mlpath.store.file.Store.transaction`). :func:`scan` checks a whole file the same
way, an event at a time, for ``doctor`` and the backup listing.
"""

from __future__ import annotations

import binascii
import os
import stat
from collections.abc import Callable, Iterator, MutableSequence
from dataclasses import dataclass, field
from pathlib import Path

from mlpath.domain.progress import (
    Event,
    State,
    apply,
    derive,
    extend,
    from_summary,
)
from mlpath.errors import StoreError
from mlpath.store import migrations, stream
from mlpath.store.format import (
    EVENTS_KEY,
    KNOWN_KEYS,
    Damaged,
    Head,
    StoreData,
    TooNew,
    check_shape,
    dumps_event,
    event_problems,
    file_head,
    make_summary,
    parse_document,
    parse_head,
    tail_after,
)

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any, BinaryIO


_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class Span:
    """Where a file's event log lies: its JSON text is the bytes ``[start, end)``."""

    path: Path
    identity: tuple[int, int, int, int]  # device, inode, size, mtime: the file that was read
    start: int
    end: int
    count: int
    last: Event | None

    def __iter__(self) -> Iterator[Event]:
        try:
            fd = os.open(self.path, _FLAGS)
        except OSError as exc:
            raise self._failed(exc.strerror) from None
        try:
            if _identity(os.fstat(fd)) != self.identity:
                raise stream.Changed
            yield from stream.events(fd, self.start, self.end)
        except (OSError, stream.Changed, stream.NotStreamable):
            raise self._failed(None) from None
        finally:
            os.close(fd)

    def _failed(self, reason: str | None) -> StoreError:
        why = f"cannot be read ({reason})" if reason else "changed while mlpath was reading it"
        return StoreError(
            f"The progress store {self.path} {why}; nothing was changed.",
            hint="Run the command again (`mlpath doctor` checks the file).",
        )


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass(eq=False)
class EventLog(MutableSequence[Event]):
    """The saved events (in the file, read when iterated) followed by the ``added`` ones.

    Append-only: the saved events are parsed afresh on each iteration, so changing one of
    them changes nothing, and replacing or deleting events raises TypeError. ``state`` is
    the saved log's stored summary (None when it is not known to match the log)."""

    saved: Span
    state: dict[str, Any] | None
    ahead: list[int] = field(default_factory=list)  # undone targets beyond the saved log
    added: list[Event] = field(default_factory=list)
    reverted: set[Any] | None = None  # the saved log's undone targets, when a scan found them
    _counted: tuple[int, State] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return self.saved.count + len(self.added)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Event]:
        yield from self.saved
        yield from self.added

    def __reversed__(self) -> Iterator[Event]:
        return reversed(list(self))  # holds the whole log: nothing in mlpath needs it

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError("the saved event log is append-only")

    def __delitem__(self, index: Any) -> None:
        raise TypeError("the saved event log is append-only")

    def insert(self, index: int, value: Event) -> None:
        if index != len(self):
            raise TypeError("the saved event log is append-only")
        self.added.append(value)

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, int):
            raise TypeError("an event log is indexed by position only")
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("event index out of range")
        if index >= self.saved.count:
            return self.added[index - self.saved.count]
        if index == self.saved.count - 1 and self.saved.last is not None:
            return dict(self.saved.last)
        for i, e in enumerate(self.saved):
            if i == index:
                return e
        raise IndexError("event index out of range")

    def quick(self) -> bool:
        """Whether the stored summary plus the added events gives the state (no ``undone``
        among them, and none of them already reverted in the saved log)."""
        ahead = set(self.ahead)
        return self.state is not None and all(
            e.get("type") != "undone" and e.get("seq") not in ahead for e in self.added
        )

    def derive(self, canonical: Any = None) -> State:
        """What :func:`mlpath.domain.progress.derive` of the whole log gives (``plan_event``
        aside, which only a full recount fills in), from the summary when :meth:`quick`."""
        if self.quick() and self.state is not None:
            st = from_summary(self.state, canonical or (lambda t: t))
            if st is not None:
                if canonical is None:
                    return extend(st, self.added)
                for e in self.added:
                    apply(st, e, canonical)
                return st
        if canonical is None and self._counted is not None and self._counted[0] == len(self):
            return self._counted[1]
        st = derive(self, canonical or (lambda t: t), reverted=self.undone_targets())
        if canonical is None:
            self._counted = (len(self), st)  # a second recount would read the file again
        return st

    def undone_targets(self) -> set[Any]:
        """The ``seq`` of every event an ``undone`` event reverts (what
        :func:`mlpath.domain.progress.reverted_seqs` asks for): the saved log's are read once
        and kept, so each later fold reads the file once, not twice."""
        if self.reverted is None:
            self.reverted = {e.get("target") for e in self.saved if e.get("type") == "undone"}
        return self.reverted | {e.get("target") for e in self.added if e.get("type") == "undone"}

    def tail(self) -> dict[str, Any]:
        """The log tail (:func:`mlpath.store.format.log_tail`) of the whole log."""
        last = self.added[-1] if self.added else self.saved.last
        targets = [*self.ahead, *(e.get("target") for e in self.added if e.get("type") == "undone")]
        return tail_after(last, targets)


@dataclass
class Opened:
    """A store file opened for a transaction: its checked head and where its log lies."""

    fd: int
    info: os.stat_result
    head: Head
    log: EventLog
    head_crc: int  # the CRC-32 of the bytes before the log
    body_crc: int  # the CRC-32 of the log's text without its closing ']'


def open_verified(path: Path, limit: int) -> Opened | None:
    """The store at ``path`` opened with its log unread, when its summary and the log's
    checksum verify; None to read it whole (also for a missing or unusual file, so that the
    full read reports it). The caller closes ``fd``."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return None
    try:
        opened = _verified(fd, path, limit)
    except (OSError, stream.NotStreamable, stream.Changed):
        opened = None
    if opened is None:
        os.close(fd)
    return opened


def _verified(fd: int, path: Path, limit: int) -> Opened | None:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= limit:
        return None
    size = info.st_size
    raw_head, cut = stream.find(fd, size, EVENTS_KEY)
    head = parse_head(raw_head)
    if head is None or head.tail is None:
        return None
    start, end = cut + len(EVENTS_KEY), size - 1
    if (
        stream.byte_at(fd, size - 1) != b"}"
        or stream.byte_at(fd, start) != b"["
        or stream.byte_at(fd, end - 1) != b"]"
        or end - start < 2
    ):
        return None
    body = stream.crc(fd, start, end - 1)
    if stream.crc(fd, end - 1, end, body) != head.summary["crc32"]:
        return None
    head_crc = binascii.crc32(raw_head + EVENTS_KEY)
    tail = head.tail
    last, ahead = tail.get("last"), tail.get("ahead")
    count = head.summary["events"]
    if not (
        isinstance(ahead, list)
        and all(type(t) is int for t in ahead)
        and (last is None) == (count == 0)
        and (last is None or (isinstance(last, dict) and type(last.get("seq")) is int))
    ):
        return None
    span = Span(path, _identity(info), start, end, count, last)
    log = EventLog(span, head.summary["state"], list(ahead))
    return Opened(fd, info, head, log, head_crc, body)


@dataclass
class Scanned:
    """A whole store file checked an event at a time (:func:`scan`)."""

    data: StoreData  # ``events`` is an EventLog over the file
    summary: Any  # the file's stored summary member, as it is (None without one)


def scan(path: Path, limit: int) -> Scanned | None:
    """The store at ``path`` checked like :func:`mlpath.store.format.parse_document` does, but
    an event at a time; None when the file is not in the layout a save writes or not in
    the current schema, or has any problem (the full parse then decides and words it)."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return None
    try:
        return _scan(fd, path, limit)
    except (OSError, stream.NotStreamable, stream.Changed):
        return None
    finally:
        os.close(fd)


def _scan(fd: int, path: Path, limit: int) -> Scanned | None:
    from mlpath.domain.jsonio import loads

    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= limit:
        return None
    size = info.st_size
    raw_head, cut = stream.find(fd, size, EVENTS_KEY)
    if stream.byte_at(fd, size - 1) != b"}":
        return None
    try:
        doc = loads(raw_head + b"}")
    except ValueError:
        return None
    if not isinstance(doc, dict) or doc.get("schema_version") != migrations.CURRENT:
        return None
    if type(doc["schema_version"]) is not int or check_shape({**doc, "events": []}):
        return None
    start, end = cut + len(EVENTS_KEY), size - 1
    count, last, last_seq, reverted = 0, None, 0, set()
    for e in stream.events(fd, start, end):
        if event_problems(e, last_seq):
            return None
        if e["type"] == "undone":
            reverted.add(e["target"])
        count, last, last_seq = count + 1, e, e["seq"]
    span = Span(path, _identity(info), start, end, count, last)
    data = StoreData(
        profile=doc.get("profile"),
        plan=doc.get("plan"),
        events=EventLog(span, None, reverted=reverted),
        extra={k: v for k, v in doc.items() if k not in KNOWN_KEYS},
    )
    return Scanned(data, doc.get("summary"))


def appended(opened: Opened, data: StoreData) -> Callable[[BinaryIO], None]:
    """What to write for a transaction that appended to an opened store's log (or changed its
    head only): the new head and summary, the saved log's bytes copied as they are (checked
    against the checksum they were verified with), then the new events' JSON.

    The new summary is the stored one plus the new events (:meth:`EventLog.derive`), which
    is exactly what counting the whole log again gives; after an ``undo`` the log is counted
    again, an event at a time."""
    from mlpath.domain.progress import summarize

    log = opened.log
    parts = [dumps_event(e) for e in log.added]
    tail = (b"," if parts and log.saved.count else b"") + b",".join(parts) + b"]"
    crc = binascii.crc32(tail, opened.body_crc)
    summary = make_summary(len(log), crc, summarize(log.derive()), log.tail())
    head = file_head(data, summary)
    span = log.saved

    def write(out: BinaryIO) -> None:
        out.write(head)
        if stream.copy(opened.fd, out, span.start, span.end - 1) != opened.body_crc:
            raise stream.Changed
        out.write(tail + b"}")

    return write


def copied(opened: Opened) -> Callable[[BinaryIO], None]:
    """What to write for a copy of the opened file, as it was verified."""
    span = opened.log.saved

    def write(out: BinaryIO) -> None:
        size = opened.info.st_size
        if (
            stream.copy(opened.fd, out, 0, span.start) != opened.head_crc
            or stream.copy(opened.fd, out, span.start, span.end - 1) != opened.body_crc
            or stream.copy(opened.fd, out, span.end - 1, size) != binascii.crc32(b"]}")
        ):
            raise stream.Changed

    return write


def same_content(path: Path, opened: Opened) -> bool:
    """Whether the file at ``path`` is the opened file, or a copy of it."""
    try:
        info = os.stat(path)
        if (info.st_dev, info.st_ino) == (opened.info.st_dev, opened.info.st_ino):
            return True
        if info.st_size != opened.info.st_size:
            return False
        fd = os.open(path, _FLAGS)
    except OSError:
        return False
    try:
        return stream.same_bytes(opened.fd, fd, info.st_size)
    except OSError:
        return False
    finally:
        os.close(fd)


def read_stored_summary(path: Path, limit: int) -> StoreData | None:
    """The head and stored summary of the store at ``path`` (:func:`format.read_summary`),
    its log checksummed a window at a time, so that neither a copy nor a map of it stays
    in memory; None to read the file whole."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError:  # missing or unreadable: the full read reports it
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= limit:
            return None  # a FIFO, a device, too large, empty: the full read decides
        size = info.st_size
        raw_head, cut = stream.find(fd, size, EVENTS_KEY)
        if stream.byte_at(fd, size - 1) != b"}":
            return None
        head = parse_head(raw_head)
        if head is None or stream.crc(fd, cut + len(EVENTS_KEY), size - 1) != head.summary["crc32"]:
            return None
        return head.data
    except (OSError, stream.NotStreamable, stream.Changed):
        return None
    finally:
        os.close(fd)


def inspect(path: Path, limit: int) -> tuple[int | None, int | None, str | None]:
    """A store file's (a backup's) number of events, schema version and problem (None when it
    can be restored). A backup whose summary verifies, or that checks out an event at a time, is
    never read whole; any other is parsed in full, which words what is wrong."""
    opened = open_verified(path, limit)
    if opened is not None:
        os.close(opened.fd)
        return len(opened.log), migrations.CURRENT, None
    scanned = scan(path, limit)
    if scanned is not None:
        return len(scanned.data.events), migrations.CURRENT, None
    from mlpath.domain.files import read_regular

    try:
        data = parse_document(read_regular(path, limit))
    except Damaged as exc:
        return None, None, str(exc)
    except TooNew as exc:
        return None, None, f"was written by a newer mlpath (schema {exc.version})"
    except OSError as exc:
        return None, None, f"cannot be read ({exc.strerror})"
    version = data.schema_version if data.migrated_from is None else data.migrated_from
    return len(data.events), version, None
