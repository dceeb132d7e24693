"""Reading a store file in bounded memory: its head, checksums and events, chunk by chunk.

A save that appends to a long history, ``doctor`` and the backup checks go through these
instead of reading the whole file: a 1 MiB window moves over it (``os.pread`` on one file
descriptor), so the memory a command needs does not grow with the file. Anything
unexpected raises :class:`NotStreamable`; the caller then reads the file whole, as
before, which also decides (and words) what is wrong with it.
"""

from __future__ import annotations

import binascii
import codecs
import json
import os
import re
from collections.abc import Iterator
from itertools import chain

from mlpath.domain.jsonio import MAX_DEPTH, deeper_than

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any, BinaryIO


CHUNK = 1 << 20
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_BLANK = ("", " ", "\t", "\n", "\r")  # '' at the window's end: read on


class NotStreamable(Exception):
    """Internal: the file is not laid out as expected; read it whole instead."""


class Changed(Exception):
    """Internal: the file's bytes changed under us while it was being copied."""


def find(fd: int, size: int, marker: bytes) -> tuple[bytes, int]:
    """The bytes before the first ``marker`` in the file, and its offset (NotStreamable if
    there is none)."""
    buf = bytearray()
    while len(buf) < size:
        chunk = os.pread(fd, min(CHUNK, size - len(buf)), len(buf))
        if not chunk:
            break
        start = max(0, len(buf) - len(marker) + 1)
        buf += chunk
        cut = buf.find(marker, start)
        if cut >= 0:
            return bytes(buf[:cut]), cut
    raise NotStreamable


def byte_at(fd: int, offset: int) -> bytes:
    return os.pread(fd, 1, offset)


def crc(fd: int, start: int, end: int, value: int = 0) -> int:
    """The CRC-32 of the file's bytes ``[start, end)``, continuing from ``value``."""
    for chunk in chunks(fd, start, end):
        value = binascii.crc32(chunk, value)
    return value


def copy(fd: int, out: BinaryIO, start: int, end: int) -> int:
    """Write the file's bytes ``[start, end)`` to ``out``; return their CRC-32."""
    value = 0
    for chunk in chunks(fd, start, end):
        value = binascii.crc32(chunk, value)
        out.write(chunk)
    return value


def chunks(fd: int, start: int, end: int) -> Iterator[bytes]:
    """The file's bytes ``[start, end)``, at most :data:`CHUNK` at a time (Changed if the file
    is shorter than that)."""
    offset = start
    while offset < end:
        chunk = os.pread(fd, min(CHUNK, end - offset), offset)
        if not chunk:
            raise Changed
        offset += len(chunk)
        yield chunk


def same_bytes(fd: int, other: int, size: int) -> bool:
    """Whether two open files hold the same ``size`` bytes (compared chunk by chunk)."""
    offset = 0
    while offset < size:
        a = os.pread(fd, CHUNK, offset)
        if not a or a != os.pread(other, len(a), offset):
            return False
        offset += len(a)
    return os.pread(other, 1, size) == b""


def events(fd: int, start: int, end: int) -> Iterator[Any]:
    """Each element of the JSON array that is the file's bytes ``[start, end)``, parsed a window
    at a time, as :func:`mlpath.domain.jsonio.loads` of the whole file parses it (text that
    is not valid JSON, or nests too deeply, raises NotStreamable).

    A window's whole events are parsed with one ``json.loads``: they end where the window's
    last ``},{"seq":`` is, which in valid JSON only stands between two objects (a quote
    after ``{`` opens a key). A boundary inside an event leaves brackets open, so that
    parse fails, and so does one of damaged text: then, and for the end of the array, the
    events are read one at a time (:class:`_ArrayReader`), which also words any fault."""
    source = chunks(fd, start, end)
    first = next(source, b"")
    opening = len(first) - len(first.lstrip(b" \t\n\r"))
    if first[opening : opening + 1] != b"[":
        return _ArrayReader(chain([first], source)).items()
    return _batches(first[opening + 1 :], source)


_BOUNDARY = b'},{"seq":'


def _batches(pending: bytes, source: Iterator[bytes]) -> Iterator[Any]:
    after = "open"  # the array has just opened (it may be empty)
    while True:
        cut = pending.rfind(_BOUNDARY)
        if cut >= 0:
            raw = b"[" + pending[: cut + 1] + b"]"
            try:
                text = raw.decode("utf-8", "surrogatepass")
                if deeper_than(raw, MAX_DEPTH - 1):  # the log is inside the document
                    raise NotStreamable
                batch = json.loads(text)
            except (ValueError, RecursionError, NotStreamable):
                break  # read on one at a time, which decides
            yield from batch
            pending, after = pending[cut + 2 :], "comma"
        chunk = next(source, None)
        if chunk is None:
            break
        pending += chunk
    yield from _ArrayReader(chain([pending], source), after).items()


class _ArrayReader:
    """A JSON array's elements from its bytes, given in chunks; a window of text moves on."""

    def __init__(self, source: Iterator[bytes], after: str = "") -> None:
        self.source = source
        self.after = after  # "open": just after the '[', "comma": just after a ','; '': before
        self.decode = codecs.getincrementaldecoder("utf-8")("surrogatepass").decode
        self.text, self.pos, self.done = "", 0, False

    def more(self) -> bool:
        """Read the next chunk into the window; False at the end of the bytes."""
        if self.done:
            return False
        chunk = next(self.source, None)
        try:
            fresh = self.decode(chunk or b"", final=chunk is None)
        except UnicodeDecodeError:
            raise NotStreamable from None
        self.done = chunk is None
        self.text, self.pos = self.text[self.pos :] + fresh, 0
        return True

    def peek(self) -> str:
        """Skip whitespace; the next character ('' at the end)."""
        while True:
            match = _WS.match(self.text, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos : self.pos + 1]

    def value(self) -> Any:
        """The JSON value at the window's position (read further until it is whole)."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except RecursionError:
                raise NotStreamable from None
            except ValueError:
                if self.more():
                    continue
                raise NotStreamable from None
            if end == len(self.text) and self.more():
                continue  # a number may go on in the next chunk
            text, start = self.text, self.pos
            if end - start > 2 * (MAX_DEPTH - 2) and (  # shorter text cannot nest that deep
                text.count("[", start, end) + text.count("{", start, end) > MAX_DEPTH - 2
            ):
                raw = text[start:end].encode("utf-8", "surrogatepass")
                if deeper_than(raw, MAX_DEPTH - 2):  # inside the document and its log
                    raise NotStreamable
            self.pos = end
            return value

    def items(self) -> Iterator[Any]:
        if not self.after:
            if self.peek() != "[":
                raise NotStreamable
            self.pos += 1
        if self.after != "comma" and self.peek() == "]":
            self.pos += 1
        else:
            while True:
                if self.text[self.pos : self.pos + 1] in _BLANK:
                    self.peek()
                yield self.value()
                c = self.text[self.pos : self.pos + 1]  # what a save writes: no whitespace
                if c in _BLANK:
                    c = self.peek()
                self.pos += 1
                if c == "]":
                    break
                if c != ",":
                    raise NotStreamable
        if self.peek() != "":
            raise NotStreamable
