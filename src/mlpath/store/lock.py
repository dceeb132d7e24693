"""An exclusive cross-process lock on a file, waiting at most a given time.

On POSIX this is ``fcntl.flock``: the kernel releases it when the holder exits
or is killed, so a crashed mlpath never leaves a stale lock behind. Elsewhere
the filelock library does the same job. ``fcntl`` is used directly because
importing filelock costs more (about 15 ms) than the rest of ``mlpath done``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(Exception):
    """Another process held the lock for longer than the timeout without making progress."""


class LockFailed(OSError):
    """The lock could not be taken for another reason (ENOLCK on NFS, EIO...)."""


# How much longer than the timeout a waiter keeps waiting while the lock keeps changing
# hands (a burst of commands from a script): each new holder restarts the timeout.
PATIENCE = 12


@contextmanager
def exclusive(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block.

    A waiter gives up after ``timeout`` seconds without progress: each holder writes a
    token of its own into the lock file, and a new token (the lock changed hands) starts
    the wait again, up to PATIENCE times the timeout in all. The lock file is never
    followed through a symbolic link.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX
        with _filelock(path, timeout):
            yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LockFailed(
                exc.errno, "it is a symbolic link (remove it; mlpath recreates it)", str(path)
            ) from None
        raise LockFailed(exc.errno, exc.strerror, str(path)) from None
    try:
        start = time.monotonic()
        deadline = start + timeout
        last_holder = _holder(fd)
        delay = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                now = time.monotonic()
                if now >= deadline:
                    holder = _holder(fd)
                    if holder == last_holder or now - start >= PATIENCE * max(timeout, 0):
                        raise LockTimeout(str(path)) from None
                    last_holder, deadline = holder, now + timeout  # progress: wait on
                time.sleep(delay)
                delay = min(2 * delay, 0.05)
            except OSError as exc:
                raise LockFailed(exc.errno, exc.strerror, str(path)) from None
        _claim(fd)
        try:
            yield
        finally:
            # Closing the file releases the lock whatever happens here, so a failure to
            # unlock explicitly is harmless and must not turn a saved change into an error.
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)


def _holder(fd: int) -> bytes:
    """The token the current (or last) holder wrote into the lock file."""
    try:
        return os.pread(fd, 64, 0)
    except OSError:
        return b""


def _claim(fd: int) -> None:
    """Write this holder's token (best effort: it only helps waiters see progress)."""
    token = f"{os.getpid()} {time.monotonic_ns()}\n".encode()
    with contextlib.suppress(OSError):
        os.pwrite(fd, token.ljust(40), 0)


@contextmanager
def _filelock(path: Path, timeout: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LockTimeout(str(path)) from None
    try:
        yield
    finally:
        lock.release()
