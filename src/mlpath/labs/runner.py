"""Run a lab's checks against the learner's ``lab.py`` in a separate, limited process.

The child (:mod:`mlpath.labs._child`) runs in the learner's lab folder with a
timeout, a memory cap and a limited number of threads, and reports one JSON line
per event. Whatever happens to it (a crash, garbage, a hang) ends here as a
:class:`LabResult` with a message for the learner, never as a traceback.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import queue
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.resources import as_file
from pathlib import Path
from typing import IO, Any

from mlpath.errors import LabError
from mlpath.labs.catalog import LabMeta, lab_folder
from mlpath.labs.checking import CheckResult as CheckOutcome

# RLIMIT_DATA for the child. Measured peaks of VmData on Linux (CPython 3.11, 2 threads):
# numpy ~90 MB, scikit-learn ~250 MB, torch + a backward pass ~230 MB, Keras 3 on torch
# with a fit() ~480 MB. 4 GiB leaves room for any lab while stopping a runaway n x n array.
DEFAULT_MEMORY_MB = 4096
MAX_THREADS = 4
OUTPUT_TAIL = 3000
EXIT_GRACE = 5.0  # seconds the child may take to exit after its last report
STATUSES = ("passed", "failed", "error", "not-attempted")

ProgressFn = Callable[[int, int, str | None], None]  # (finished, total, title of the running check)


@dataclass(frozen=True)
class LabResult:
    topic: str
    lab: str
    status: str  # one of STATUSES
    message: str
    checks: tuple[CheckOutcome, ...] = ()
    declared: int = 0
    seconds: float = 0.0
    output: str = ""  # the tail of what the learner's code printed

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` form: topic, lab, status, message, checks, and the run's details."""
        return {
            "topic": self.topic,
            "lab": self.lab,
            "status": self.status,
            "message": self.message,
            "checks": [c.as_dict() for c in self.checks],
            "declared": self.declared,
            "seconds": round(self.seconds, 2),
            "output": self.output,
        }


def not_attempted(topic: str, lab_id: str) -> LabResult:
    """The result for a ``lab.py`` still identical to its starter."""
    return LabResult(
        topic,
        lab_id,
        "not-attempted",
        "lab.py is unchanged from the starter: implement the functions marked "
        "`raise NotImplementedError`, then check again.",
    )


def summarize(checks: tuple[CheckOutcome, ...], declared: int) -> tuple[str, str]:
    """Overall status and summary line: passed only when every declared check ran and passed."""
    statuses = [c.status for c in checks]
    n_passed = statuses.count("passed")
    if declared > 0 and len(checks) == declared and n_passed == declared:
        return "passed", f"All {declared} checks passed."
    status = "failed" if "failed" in statuses and "error" not in statuses else "error"
    return status, f"{n_passed} of {declared} checks passed."


def timeout_message(timeout: float) -> str:
    suggestion = max(300, int(timeout) * 2)
    return (
        f"Your code did not finish within {timeout:g} s: look for an infinite loop or an "
        f"oversized loop, or rerun with --timeout {suggestion}."
    )


def _package_root() -> Path:
    import mlpath

    return Path(mlpath.__file__).resolve().parent.parent


def child_env(
    base: Mapping[str, str], *, tensorflow_present: bool, threads: int, package_root: Path
) -> dict[str, str]:
    """The child's environment: the caller's, plus the settings that make checks safe and quiet."""
    env = dict(base)
    if not tensorflow_present:
        env.setdefault("KERAS_BACKEND", "torch")  # Keras 3 labs run on torch without TensorFlow
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, str(threads))
    env["MPLBACKEND"] = "Agg"  # plt.show() must not open a window and wait
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # no __pycache__ in the learner's folder
    env["PYTHONIOENCODING"] = "utf-8"
    env.setdefault("PYTHONHASHSEED", "0")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    installed = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    if str(package_root) not in installed:  # running from a source tree: let the child find mlpath
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(package_root), env.get("PYTHONPATH")])
        )
    return env


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    try:
        for line in stream:
            lines.put(line)
    except (OSError, ValueError):  # the parent closed the pipe after giving up
        pass
    lines.put(None)


def _wait_quietly(proc: subprocess.Popen[str], seconds: float) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=seconds)


def _kill(proc: subprocess.Popen[str]) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)  # the whole group: also joblib/loky workers
        elif proc.poll() is None:
            proc.kill()
    except OSError:  # already gone
        pass


@dataclass
class _Run:
    """What the parent has learnt from the child's report so far."""

    declared: list[tuple[str, str]] | None = None
    imported: bool = False
    checks: list[CheckOutcome] = field(default_factory=list)
    ended: bool = False
    broken: str | None = None
    garbage: str | None = None

    def feed(self, line: str) -> None:
        try:
            event = json.loads(line)
            kind = event["event"]
        except (ValueError, TypeError, KeyError):
            self.garbage = self.garbage or line.strip()[:200]
            return
        if kind == "start":
            self.declared = [(c["name"], c["title"]) for c in event["checks"]]
        elif kind == "imported":
            self.imported = True
        elif kind == "check":
            self.checks.append(
                CheckOutcome(event["name"], event["title"], event["status"], event["message"])
            )
        elif kind == "end":
            self.ended = True
        elif kind == "broken":
            self.broken = event["message"]

    def running_title(self) -> str | None:
        if self.declared is None or len(self.checks) >= len(self.declared):
            return None
        return self.declared[len(self.checks)][1]


def _stopped(run: _Run, problem: str, *, before_import: str) -> tuple[CheckOutcome, ...]:
    """The outcomes after the child stopped early: the running check gets ``problem``."""
    if run.declared is None:
        return (CheckOutcome("checker", "The checker starts", "error", problem),)
    if not run.imported and not run.checks:
        return (CheckOutcome("import", "lab.py imports", "error", before_import),)
    done = list(run.checks)
    for i, (name, title) in enumerate(run.declared[len(done) :]):
        message = problem if i == 0 else "Not run: the checker stopped before this check."
        done.append(CheckOutcome(name, title, "error", message))
    return tuple(done)


def _crash_problem(returncode: int, memory_mb: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return (
            f"Python crashed ({name}) while running your code. If it builds very large "
            f"arrays it may have hit the checker's memory cap of {memory_mb} MB; otherwise "
            "the output below may show why."
        )
    return (
        f"The checker stopped unexpectedly (exit status {returncode}): look for sys.exit(), "
        "os._exit() or code that kills the process in lab.py; the output below may show why."
    )


def _collect(
    run: _Run, lines: queue.Queue[str | None], timeout: float, on_progress: ProgressFn | None
) -> bool:
    """Read the child's report until it ends or ``timeout`` passes; True if it timed out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return True
        if line is None:
            return False
        run.feed(line)
        if run.ended:  # don't wait for EOF: a stray grandchild may hold the pipe open
            return False
        if on_progress is not None and run.declared is not None:
            on_progress(len(run.checks), len(run.declared), run.running_title())


def run_lab(
    meta: LabMeta,
    lab_file: Path,
    *,
    topic: str,
    timeout: float | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
    env: Mapping[str, str] | None = None,
    on_progress: ProgressFn | None = None,
    python: str | None = None,
) -> LabResult:
    """Run the checks of ``meta`` against ``lab_file`` in a child process and report the result.

    ``timeout`` defaults to the lab's own (``meta.timeout``); ``python`` is the interpreter
    (default: this one). Never raises for anything the learner's code does.
    """
    limit = float(timeout if timeout is not None else meta.timeout)
    child_environ = child_env(
        os.environ if env is None else env,
        tensorflow_present=importlib.util.find_spec("tensorflow") is not None,
        # BLAS threads help torch, but make small scikit-learn fits many times slower
        # on a busy machine (measured: LogisticRegression up to 40x), so classic labs get one.
        threads=min(MAX_THREADS, os.cpu_count() or 1) if meta.is_deep_learning else 1,
        package_root=_package_root(),
    )
    lab_file = lab_file.resolve()
    run = _Run()
    start = time.perf_counter()
    with as_file(lab_folder(meta.id) / "checks.py") as checks, tempfile.TemporaryFile() as err:
        cmd = [
            python or sys.executable,
            "-m",
            "mlpath.labs._child",
            str(checks),
            str(lab_file),
            str(memory_mb),
        ]
        proc = subprocess.Popen(
            cmd,
            cwd=lab_file.parent,
            env=child_environ,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=os.name == "posix",
        )
        if proc.stdout is None:  # cannot happen with stdout=PIPE; never an assert (-O)
            raise LabError("The checker process could not be started.")
        lines: queue.Queue[str | None] = queue.Queue()
        pump = threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True)
        pump.start()
        try:
            timed_out = _collect(run, lines, limit, on_progress)
            if not timed_out:
                _wait_quietly(proc, EXIT_GRACE)
        finally:
            _kill(proc)  # on a timeout, and stray workers (joblib, loky) after a normal end
            returncode = proc.wait()
            pump.join(timeout=EXIT_GRACE)
            proc.stdout.close()
        err.seek(0)
        output = err.read().decode("utf-8", errors="replace")[-OUTPUT_TAIL:]
    seconds = time.perf_counter() - start
    return _result(meta, topic, run, timed_out, returncode, limit, memory_mb, seconds, output)


def _result(
    meta: LabMeta,
    topic: str,
    run: _Run,
    timed_out: bool,
    returncode: int,
    limit: float,
    memory_mb: int,
    seconds: float,
    output: str,
) -> LabResult:
    if run.broken is not None:
        message = (
            f"The checks of lab {meta.id!r} could not be loaded ({run.broken}). "
            "This is a bug in mlpath."
        )
        checks: tuple[CheckOutcome, ...] = (
            CheckOutcome("checker", "The checker starts", "error", message),
        )
        return LabResult(topic, meta.id, "error", message, checks, 0, seconds, output)
    declared = len(run.declared) if run.declared is not None else 0
    if timed_out:
        problem = timeout_message(limit)
        before_import = (
            f"lab.py did not finish importing within {limit:g} s: code at the top level of lab.py "
            "(outside any function) loops or trains too long; move it into a function or under "
            '`if __name__ == "__main__":`.'
        )
        checks = _stopped(run, problem, before_import=before_import)
        return LabResult(topic, meta.id, "error", problem, checks, declared, seconds, output)
    if not run.ended or run.garbage is not None:
        problem = (
            f"The checker's report could not be read (it began {run.garbage!r})."
            if run.garbage is not None and run.ended
            else _crash_problem(returncode, memory_mb)
        )
        checks = _stopped(run, problem, before_import=problem)
        return LabResult(topic, meta.id, "error", problem, checks, declared, seconds, output)
    outcomes = tuple(run.checks)
    status, message = summarize(outcomes, declared)
    return LabResult(topic, meta.id, status, message, outcomes, declared, seconds, output)
