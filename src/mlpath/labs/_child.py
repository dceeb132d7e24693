"""The checker's supervisor: ``python -m mlpath.labs._child CHECKS MEMORY_MB THREADS``.

It loads the lab's checks once (no learner code has run yet), reports them as
declared, then serves runs: for each JSON line ``{"run": N, "lab": PATH}`` on its
stdin it forks a worker (:mod:`mlpath.labs._worker`) that imports that ``lab.py``
fresh and runs the checks, and while the worker runs it

- relays the worker's signed report, prefixed ``W``, line by line (bounded);
- keeps the last 64 KiB of what the learner's code printed (read in bounded chunks);
- watches the memory the whole tree really uses (PSS) and ends it over the cap;
- ends every descendant when the worker ends or stdin closes (the parent's stop
  signal), having made itself a child subreaper so that none can slip away.

The first stdin line is the run key (hex); see :mod:`mlpath.labs.protocol`.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import traceback
from pathlib import Path
from typing import Any

from mlpath.labs import sandbox

OUTPUT_KEEP = 64 * 1024
READ_CHUNK = 64 * 1024
MAX_LINE = 256 * 1024
POLL = 0.05  # seconds between memory polls


def _send(kind: str, payload: bytes | dict[str, Any]) -> None:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    line = kind.encode() + b" " + data.replace(b"\n", b" ") + b"\n"
    while line:
        line = line[os.write(1, line) :]


class _Control:
    """Lines from the parent on fd 0; ``closed`` once it hangs up (the stop signal)."""

    def __init__(self) -> None:
        self.buf = b""
        self.closed = False

    def feed(self) -> None:
        data = os.read(0, 4096)
        self.buf += data
        self.closed = self.closed or not data

    def line(self) -> bytes | None:
        while b"\n" not in self.buf and not self.closed:
            self.feed()
        if b"\n" not in self.buf:
            return None
        line, _, self.buf = self.buf.partition(b"\n")
        return line


def _pin_threads(threads: int) -> None:
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)  # checks.py may have asked for more; the engine decides


def _worker(
    key: bytearray, run: int, lab: str, fds: tuple[int, int, int, int], declared: Any, mem: int
) -> None:
    """In the forked child: become the worker and never return."""
    report_r, report_w, out_r, out_w = fds
    rc = 70
    try:
        os.close(report_r)
        os.close(out_r)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_w, 1)  # the learner's prints and C libraries' output: kept as output
        os.dup2(out_w, 2)
        os.close(null)
        os.close(out_w)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.chdir(Path(lab).parent)
        from mlpath.labs._worker import serve

        rc = serve(key, run, lab, report_w, declared, mem)
    except BaseException:  # a bug in mlpath: show it in the output, fail the run
        traceback.print_exc()
    finally:
        os._exit(rc)


def _serve_one(
    key: bytearray, control: _Control, cmd: dict[str, Any], declared: Any, mem: int
) -> bool:
    """One run; False once the parent hung up."""
    run, lab = int(cmd["run"]), str(cmd["lab"])
    report_r, report_w = os.pipe()
    out_r, out_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _worker(key, run, lab, (report_r, report_w, out_r, out_w), declared, mem)
    os.close(report_w)
    os.close(out_w)
    me = os.getpid()
    tail, line = bytearray(), bytearray()
    open_fds = {report_r, out_r}
    status: int | None = None
    killed: str | None = None
    used = 0
    next_poll = 0.0
    while status is None and killed is None:
        watched = [*open_fds, *([] if control.closed else [0])]
        ready, _, _ = select.select(watched, [], [], POLL)
        for fd in ready:
            if fd == 0:
                control.feed()
                continue
            data = os.read(fd, READ_CHUNK)
            if not data:
                open_fds.discard(fd)
            elif fd == out_r:
                tail += data
                del tail[:-OUTPUT_KEEP]
            else:
                line = _relay(line + data)
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
        elif control.closed:
            killed = "stopped"
        elif _monotonic() >= next_poll:
            next_poll = _monotonic() + POLL
            used = sandbox.tree_memory([me, *sandbox.descendants(me)], mem)
            if used > mem:
                killed = "memory"
    if status is None:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    sandbox.end_tree(me)
    for fd in list(open_fds):  # every writer is gone: read what is left, bounded
        while select.select([fd], [], [], 0.5)[0] and (data := os.read(fd, READ_CHUNK)):
            if fd == out_r:
                tail += data
                del tail[:-OUTPUT_KEEP]
            else:
                line = _relay(line + data)
    if line:
        _send("W", bytes(line[:MAX_LINE]))
    os.close(report_r)
    os.close(out_r)
    _send(
        "S",
        {
            "event": "exit",
            "run": run,
            "returncode": os.waitstatus_to_exitcode(status),
            "killed": killed,
            "memory_mb": round(used / 2**20) if killed == "memory" else None,
            "output": tail.decode("utf-8", errors="replace"),
        },
    )
    return not control.closed


def _monotonic() -> float:
    import time

    return time.monotonic()


def _relay(buf: bytearray) -> bytearray:
    """Send every complete line of ``buf`` as a ``W`` line; return the rest (bounded)."""
    while (nl := buf.find(b"\n")) >= 0:
        _send("W", bytes(buf[:nl][:MAX_LINE]))
        del buf[: nl + 1]
    if len(buf) > MAX_LINE:  # a line that long is not the checker's: pass on a piece
        _send("W", bytes(buf[:MAX_LINE]))
        buf.clear()
    return buf


def main(argv: list[str] | None = None) -> int:
    """Load the checks, then serve runs until stdin closes."""
    checks_path, memory_mb, threads = (argv if argv is not None else sys.argv[1:])[:3]
    sandbox.become_subreaper()
    control = _Control()
    first = control.line()
    try:
        key = bytearray(bytes.fromhex((first or b"").decode()))
    except ValueError:
        key = bytearray()
    if len(key) < 16:
        _send("S", {"event": "broken", "message": "no run key was given"})
        return 2
    from mlpath.labs.checking import load_checks

    try:
        declared = load_checks(Path(checks_path))
        _pin_threads(int(threads))
    except BaseException as exc:  # a broken lab, not the learner's fault: report, don't crash
        _send("S", {"event": "broken", "message": f"{type(exc).__name__}: {exc}"})
        return 3
    _send("S", {"event": "declared", "checks": [[n, t] for n, t, _ in declared]})
    mem = int(memory_mb) * 2**20
    while (raw := control.line()) is not None:
        if raw.strip() and not _serve_one(key, control, json.loads(raw), declared, mem):
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
