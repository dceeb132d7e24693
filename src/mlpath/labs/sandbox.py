"""The limits of a checker run on the process tree: adoption, memory, and ending everything.

Used by the supervisor (:mod:`mlpath.labs._child`). On Linux the supervisor is a child
subreaper (``prctl(PR_SET_CHILD_SUBREAPER)``), so that every process the learner's code
starts, even with ``setsid`` or a double fork, stays its descendant and can be ended.
Memory is what the tree really uses: the sum of each process's proportional set size
(PSS), which counts shared and file-backed pages once, unlike ``RLIMIT_DATA``.
Elsewhere these functions degrade to no-ops; the timeout still applies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
PROC = Path("/proc")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux); True if it worked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list((PROC / str(pid) / "task").iterdir())
    except OSError:
        return found
    for task in tasks:
        with contextlib.suppress(OSError, ValueError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (Linux; empty elsewhere), parents before children."""
    out: list[int] = []
    todo = [pid]
    while todo:
        kids = _children(todo.pop())
        out += kids
        todo += kids
    return out


def rss_bytes(pid: int) -> int:
    """Resident set size of one process (cheap: ``/proc/<pid>/statm``); 0 if unknown."""
    try:
        return int((PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def pss_bytes(pid: int) -> int:
    """Proportional set size of one process (``/proc/<pid>/smaps_rollup``); 0 if unknown."""
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_memory(pids: list[int], limit: int) -> int:
    """Memory used by ``pids`` together: PSS, read only once their RSS could exceed ``limit``.

    RSS bounds PSS from above, so the cheap sum decides almost every poll.
    """
    rss = sum(rss_bytes(p) for p in pids)
    if rss <= limit:
        return rss
    return sum(pss_bytes(p) for p in pids)


def reap() -> None:
    """Collect every exited child without blocking."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_tree(root: int, *, spare: int | None = None, seconds: float = 3.0) -> None:
    """SIGKILL every descendant of ``root`` (except ``spare``) until none is left, reaping them.

    Repeats because a process may fork while its siblings are being killed; a subreaper
    ``root`` adopts the orphans, so the loop sees them on the next pass.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in descendants(root) if p != spare]
        if not alive:
            return
        for pid in alive:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.005)
        reap()
