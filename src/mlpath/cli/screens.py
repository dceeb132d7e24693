"""The rendered screens of ``next``, ``report`` and ``week``, kept between runs.

Typing ``mlpath next`` twice shows the same screen twice, and rendering it costs
more than everything else (importing Rich alone takes longer than Python's start-up).
So the fast path keeps the text it printed, with a **key** made of everything that
could change it, and prints the kept text again while the key is unchanged:

- the mlpath version and the modification times of its source files;
- the command line, the working directory and the ``MLPATH_*`` environment;
- the store file's identity (device, inode, size, modification and change times)
  and the CRC-32 of its head, which holds the plan and the summary with its checksum;
- the curriculum file (its path, identity and fingerprint: size and CRC-32) and the
  question folder beside a custom curriculum;
- today (local and UTC dates, ``MLPATH_TODAY``);
- what Rich decides the look from: whether stdout is a terminal, the terminal sizes,
  ``COLUMNS``, ``LINES``, ``NO_COLOR``, ``FORCE_COLOR``, ``TERM``, ``COLORTERM``,
  ``TTY_COMPATIBLE``, ``TTY_INTERACTIVE``, the output encoding.

A screen that depends on the time of day (spaced reviews are due, or the report shows
predicted recall) is kept only until the next moment it could change, or not at all
(``expires``). The cache lives in the user cache directory (``$MLPATH_CACHE`` when set;
``MLPATH_CACHE=off`` turns it off), never under ``MLPATH_HOME``: reading commands write
nothing there. Each command line has one slot, replaced atomically; a slot that cannot
be read, is damaged, or was written for another key is ignored, and a failure to write
one is silent.

This module imports nothing but ``os``, ``stat``, ``sys``, ``time`` and ``binascii``: a replay
runs nothing else.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from binascii import crc32

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

MAGIC = b"mlpath-screen 1\n"
COMMANDS = ("next", "report", "week")
STORE_NAME = "progress.json"  # mlpath.store.file.STORE_NAME (tests/cli/test_screens_cache.py)
HEAD_END = b',"events":['
HEAD_MAX = 1 << 20
CURRICULUM_MAX = 64 << 20
MAX_SCREEN = 1 << 20
RICH_ENV = (
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "PYTHONIOENCODING",
)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SOURCE_DIRS = ("", "cli", "app", "domain", "review", "store", "quiz")


def cache_dir(env: Mapping[str, str]) -> str | None:
    """The cache folder: ``$MLPATH_CACHE``, else the user cache directory (as platformdirs
    says, without importing it on Linux and macOS); None when ``MLPATH_CACHE=off``."""
    value = env.get("MLPATH_CACHE")
    if value:
        return None if value == "off" else os.path.expanduser(value)
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/mlpath")
    if sys.platform.startswith("linux"):
        base = env.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return os.path.join(base, "mlpath")
    from platformdirs import user_cache_dir

    return user_cache_dir("mlpath", appauthor=False)


def home_dir(env: Mapping[str, str]) -> str:
    """``mlpath.store.file.default_home`` as a string."""
    value = env.get("MLPATH_HOME")
    if value:
        return os.path.expanduser(value)
    if sys.platform.startswith("linux"):
        base = env.get("XDG_DATA_HOME", "").strip() or os.path.expanduser("~/.local/share")
        return os.path.join(base, "mlpath")
    from platformdirs import user_data_dir

    return user_data_dir("mlpath", appauthor=False)


def _identity(path: str) -> str:
    st = os.stat(path)
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _read(path: str, limit: int, until: bytes = b"") -> tuple[os.stat_result, bytes]:
    """The identity and first ``limit`` bytes of a regular file (or fewer: up to the first
    ``until``); never waits on a FIFO or a device (the command then says what is wrong)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path} is not a regular file")
        data = b""
        while len(data) < limit and (chunk := os.read(fd, min(limit - len(data), 1 << 16))):
            data += chunk
            if until and until in data[-len(chunk) - len(until) :]:
                break
        return st, data
    finally:
        os.close(fd)


def _store_part(home: str) -> str:
    """The store file's identity and the CRC-32 of its head (plan, profile, summary)."""
    st, head = _read(os.path.join(home, STORE_NAME), HEAD_MAX, HEAD_END)
    end = head.find(HEAD_END)
    part = head[:end] if end >= 0 else head
    return (
        f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:"
        f"{crc32(part):08x}:{len(part)}"
    )


def _curriculum_option(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--curriculum" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--curriculum="):
            return arg.split("=", 1)[1]
    return None


def _bundled(name: str) -> str:
    """Like ``mlpath.domain.curriculum.bundled_path`` and ``mlpath.quiz.paths.bundled_dir``."""
    packaged = os.path.join(_PACKAGE, "data", name)
    if os.path.exists(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(_PACKAGE)), "data", name)


def _curriculum_part(argv: Sequence[str], env: Mapping[str, str]) -> str:
    chosen = _curriculum_option(argv) or env.get("MLPATH_CURRICULUM") or None
    path = os.path.realpath(chosen) if chosen else _bundled("curriculum.json")
    st, raw = _read(path, CURRICULUM_MAX)
    if len(raw) == CURRICULUM_MAX:
        raise OSError("too large to keep screens for")
    parts = [path, f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}:{st.st_ctime_ns}"]
    parts.append(f"{len(raw)}:{crc32(raw):08x}")  # the fingerprint
    questions = os.path.join(os.path.dirname(path), "questions") if chosen else None
    if questions is None or not os.path.isdir(questions):
        questions = _bundled("questions")
    try:
        parts.append(questions + "=" + _identity(questions))
    except OSError:
        parts.append(questions + "=-")
    return "|".join(parts)


def _source_part() -> str:
    """The newest modification time of mlpath's own source files, so that an edited
    checkout never replays a screen an older version drew."""
    newest = 0
    for sub in _SOURCE_DIRS:
        with os.scandir(os.path.join(_PACKAGE, sub)) as it:
            for entry in it:
                if entry.name.endswith(".py"):
                    newest = max(newest, entry.stat().st_mtime_ns)
    return str(newest)


def _terminal_part() -> str:
    out = []
    for fd in (0, 1, 2):
        try:
            size = os.get_terminal_size(fd)
            out.append(f"{size.columns}x{size.lines}")
        except (OSError, ValueError):
            out.append("-")
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError, OSError):
        tty = False
    encoding = getattr(sys.stdout, "encoding", None)
    errors = getattr(sys.stdout, "errors", None)
    return f"{','.join(out)}|tty={tty}|{encoding}|{errors}"


def key(argv: Sequence[str], env: Mapping[str, str]) -> bytes | None:
    """Everything the screen of ``argv`` depends on, or None when it cannot be cached
    (no store yet, an unreadable file: the command itself then says what is wrong)."""
    from mlpath import __version__

    if os.name != "posix":  # Rich writes to a legacy Windows console through its API
        return None
    home = home_dir(env)
    try:
        parts = [
            f"mlpath {__version__} {_PACKAGE} {_source_part()}",
            "\0".join(argv),
            os.getcwd(),
            "\0".join(f"{k}={v}" for k, v in sorted(env.items()) if k.startswith("MLPATH_")),
            "\0".join(f"{k}={env.get(k)}" for k in RICH_ENV),
            home,
            _store_part(home),
            _curriculum_part(argv, env),
            time.strftime("%Y-%m-%d", time.localtime())
            + " "
            + time.strftime("%Y-%m-%d", time.gmtime()),
            _terminal_part(),
            sys.platform,
        ]
    except (OSError, ValueError):
        return None
    try:
        return "\n".join(parts).encode("utf-8", "surrogateescape")
    except UnicodeError:
        return None


def slot(directory: str, argv: Sequence[str], env: Mapping[str, str]) -> str:
    """The one file that keeps the screen of this command line for this home."""
    who = "\0".join([*argv, os.getcwd(), home_dir(env), env.get("MLPATH_CURRICULUM", "")])
    name = f"{argv[0]}-{crc32(who.encode('utf-8', 'surrogateescape')):08x}.screen"
    return os.path.join(directory, "screens", name)


def lookup(path: str, wanted: bytes, now: float) -> str | None:
    """The kept text at ``path`` if it was written for ``wanted`` and has not expired."""
    try:  # a regular file only: a FIFO or a device in its place is never waited on
        _, raw = _read(path, MAX_SCREEN + len(wanted) + 64)
    except OSError:
        return None
    if not raw.startswith(MAGIC):
        return None
    try:
        header, body = raw[len(MAGIC) :].split(b"\n", 1)
        size, expires, body_size = (int(x) for x in header.split(b" "))
        if body[:size] != wanted or body[size : size + 1] != b"\n":
            return None
        text = body[size + 1 :]
        if len(text) != body_size or now >= expires:
            return None
        return text.decode("utf-8", "surrogateescape")
    except (ValueError, UnicodeError):
        return None


def store(path: str, wanted: bytes, text: str, expires: float) -> None:
    """Keep ``text`` at ``path`` for ``wanted`` until ``expires`` (epoch seconds); atomic
    (a temporary file renamed over the slot), and silent when it cannot be written."""
    try:
        body = text.encode("utf-8", "surrogateescape")
    except UnicodeError:
        return
    if len(body) > MAX_SCREEN:
        return
    stamp = int(min(expires, 2**62))
    data = b"".join([MAGIC, f"{len(wanted)} {stamp} {len(body)}\n".encode(), wanted, b"\n", body])
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(tmp):  # left by a killed run with the same pid
            os.unlink(tmp)
        # a new file of our own: never through a link planted in a shared cache folder
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        import contextlib  # only here: it is not free to import

        with contextlib.suppress(OSError):
            os.unlink(tmp)


def open_slot(argv: Sequence[str], env: Mapping[str, str]) -> tuple[str, bytes] | None:
    """The slot of ``argv`` and the key its screen must have been kept for, or None when
    nothing is kept (the cache is off, or the key cannot be made). Made before the
    command reads anything, so that a screen is never kept under a newer key."""
    directory = cache_dir(env)
    if directory is None:
        return None
    wanted = key(argv, env)
    return None if wanted is None else (slot(directory, argv, env), wanted)
