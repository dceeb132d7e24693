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
import secrets
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib.resources import as_file
from pathlib import Path
from typing import IO, Any

from mlpath.labs.catalog import LabMeta, lab_folder
from mlpath.labs.checking import CheckResult as CheckOutcome
from mlpath.labs.protocol import Report

# The memory cap: PSS of the whole process tree (watched by the supervisor) and RLIMIT_DATA
# of the worker. Measured peaks (CPython 3.11): numpy ~90 MB, scikit-learn ~250 MB, torch +
# a backward pass ~230 MB, Keras 3 on torch with a fit() ~480 MB. 4 GiB leaves room for any
# lab while stopping a runaway n x n array.
DEFAULT_MEMORY_MB = 4096
# Threads for BLAS/OpenMP and torch in every child (see docs/labs.md for the measurement).
THREADS = 1
OUTPUT_KEEP = 64 * 1024  # the last 64 KiB of what the learner's code printed
MAX_REPORT_LINE = 2 * OUTPUT_KEEP + 2**20
MAX_TIMEOUT = 24 * 3600.0
EXIT_GRACE = 5.0  # seconds the supervisor may take to end its tree after a stop
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
    check_seconds: tuple[float, ...] = ()  # wall time of each reported check, in order

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
        while line := stream.readline(MAX_REPORT_LINE):  # bounded, whatever the child sends
            lines.put(line)
    except (OSError, ValueError):  # the parent closed the pipe after giving up
        pass
    lines.put(None)


def _tail(file: IO[bytes], limit: int) -> str:
    """The last ``limit`` bytes of ``file``, read without reading the rest."""
    file.seek(0, os.SEEK_END)
    file.seek(max(0, file.tell() - limit))
    return file.read(limit).decode("utf-8", errors="replace")


def _stopped(report: Report, problem: str, *, before_import: str) -> tuple[CheckOutcome, ...]:
    """The outcomes after the run stopped early: the running check gets ``problem``."""
    if report.declared is None:
        return (CheckOutcome("checker", "The checker starts", "error", problem),)
    if not report.imported and not report.checks:
        return (CheckOutcome("import", "lab.py imports", "error", before_import),)
    done = list(report.checks)
    for i, (name, title) in enumerate(report.declared[len(done) :]):
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


def memory_message(used_mb: int | None, memory_mb: int) -> str:
    used = f" (it reached {used_mb} MB across its processes)" if used_mb else ""
    return (
        f"Your code used more than the checker's memory cap of {memory_mb} MB{used} and was "
        "stopped: look for an array far larger than the data (an n x n matrix, a copy per "
        "loop step) or data kept across iterations."
    )


def tamper_message(reason: str) -> str:
    return (
        f"This run cannot count: {reason}. A lab passes only when the checker's own checks "
        "pass; remove the code in lab.py that writes to the checker or changes it."
    )


def _kill(proc: subprocess.Popen[str]) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)  # the whole group: also joblib/loky workers
        elif proc.poll() is None:
            proc.kill()
    except OSError:  # already gone
        pass


class _Supervisor:
    """One supervisor process: loads the checks once, then checks lab files one at a time."""

    def __init__(
        self, cmd: list[str], cwd: Path, env: dict[str, str], err: IO[bytes], deadline: float
    ) -> None:
        self.key = secrets.token_bytes(32)
        self.deadline = deadline  # for loading the checks: counted in the first run's time
        self.declared: list[tuple[str, str]] | None = None
        self.broken: str | None = None
        self.alive = True
        self.proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=os.name == "posix",
        )
        if self.proc.stdin is None or self.proc.stdout is None:  # pragma: no cover
            raise RuntimeError("the checker's pipes were not created")
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.pump = threading.Thread(target=_pump, args=(self.proc.stdout, self.lines), daemon=True)
        self.pump.start()
        self._send(self.key.hex())

    def _send(self, text: str) -> None:
        try:
            stdin = self.proc.stdin
            if stdin is not None:
                stdin.write(text + "\n")
                stdin.flush()
        except (OSError, ValueError):
            self.alive = False

    def run(
        self, run: int, lab_file: Path, limit: float, on_progress: ProgressFn | None
    ) -> tuple[Report, bool]:
        """Check one file; returns its report and whether it timed out."""
        report = Report(self.key, run, declared=self.declared, broken=self.broken)
        if self.broken is not None:
            return report, False
        if self.declared is None and self.broken is None:
            self.deadline = max(self.deadline, time.monotonic())
        else:
            self.deadline = time.monotonic() + limit
        self._send(json.dumps({"run": run, "lab": str(lab_file)}))
        while report.exit is None:
            try:
                line = self.lines.get(timeout=max(0.0, self.deadline - time.monotonic()))
            except queue.Empty:
                self.stop(report)
                return report, True
            if line is None:
                self.alive = False
                break
            report.feed(line)
            if self.declared is None and report.declared is not None:
                self.declared = report.declared
                self.deadline = time.monotonic() + limit
            self.broken = report.broken
            if report.broken is not None:
                break
            if on_progress is not None and report.declared is not None:
                on_progress(len(report.checks), len(report.declared), report.running_title())
        return report, False

    def stop(self, report: Report | None = None) -> None:
        """Hang up (the supervisor then ends the whole tree), and make sure it is gone."""
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        except OSError:
            pass
        grace = time.monotonic() + EXIT_GRACE
        while report is not None and report.exit is None and time.monotonic() < grace:
            try:
                line = self.lines.get(timeout=max(0.0, grace - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            report.feed(line)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=max(0.1, grace - time.monotonic()))
        _kill(self.proc)  # a supervisor that did not exit, and anything left in its group
        self.proc.wait()
        self.pump.join(timeout=EXIT_GRACE)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.alive = False


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
    return run_labs(
        meta,
        [lab_file],
        topic=topic,
        timeout=timeout,
        memory_mb=memory_mb,
        env=env,
        on_progress=on_progress,
        python=python,
    )[0]


def run_labs(
    meta: LabMeta,
    lab_files: Sequence[Path],
    *,
    topic: str,
    timeout: float | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
    env: Mapping[str, str] | None = None,
    on_progress: ProgressFn | None = None,
    python: str | None = None,
) -> list[LabResult]:
    """Check several lab files against one lab, loading its checks once (batch mode).

    Each file is imported fresh in a worker process of its own, with its own timeout,
    memory cap and report, so each result is what ``run_lab`` alone would give.
    """
    limit = min(float(timeout if timeout is not None else meta.timeout), MAX_TIMEOUT)
    child_environ = child_env(
        os.environ if env is None else env,
        tensorflow_present=importlib.util.find_spec("tensorflow") is not None,
        threads=THREADS,
        package_root=_package_root(),
    )
    files = [f.resolve() for f in lab_files]
    results: list[LabResult] = []
    with as_file(lab_folder(meta.id) / "checks.py") as checks, tempfile.TemporaryFile() as err:
        cmd = [
            python or sys.executable,
            "-m",
            "mlpath.labs._child",
            str(checks),
            str(memory_mb),
            str(THREADS),
        ]
        sup: _Supervisor | None = None
        for run, lab_file in enumerate(files):
            if sup is None or not sup.alive:
                if sup is not None:
                    sup.stop()
                sup = _Supervisor(cmd, lab_file.parent, child_environ, err, 0.0)
                sup.deadline = time.monotonic() + limit
            start = time.perf_counter()
            report, timed_out = sup.run(run, lab_file, limit, on_progress)
            seconds = time.perf_counter() - start
            output = (
                str(report.exit.get("output", ""))
                if report.exit is not None
                else _tail(err, OUTPUT_KEEP)
            )
            result = _result(meta, topic, report, timed_out, limit, memory_mb, seconds, output)
            results.append(replace(result, check_seconds=tuple(report.check_seconds)))
        if sup is not None:
            sup.stop()
    return results


def _result(
    meta: LabMeta,
    topic: str,
    report: Report,
    timed_out: bool,
    limit: float,
    memory_mb: int,
    seconds: float,
    output: str,
) -> LabResult:
    if report.broken is not None:
        message = (
            f"The checks of lab {meta.id!r} could not be loaded ({report.broken}). "
            "This is a bug in mlpath."
        )
        checks: tuple[CheckOutcome, ...] = (
            CheckOutcome("checker", "The checker starts", "error", message),
        )
        return LabResult(topic, meta.id, "error", message, checks, 0, seconds, output)
    declared = len(report.declared) if report.declared is not None else 0
    exit_ = report.exit or {}
    if timed_out:
        problem = timeout_message(limit)
        before_import = (
            f"lab.py did not finish importing within {limit:g} s: code at the top level of lab.py "
            "(outside any function) loops or trains too long; move it into a function or under "
            '`if __name__ == "__main__":`.'
        )
        checks = _stopped(report, problem, before_import=before_import)
        return LabResult(topic, meta.id, "error", problem, checks, declared, seconds, output)
    returncode = exit_.get("returncode")
    if report.tampered is not None:
        problem = tamper_message(report.tampered)
    elif exit_.get("killed") == "memory":
        problem = memory_message(exit_.get("memory_mb"), memory_mb)
    elif report.garbage is not None and report.declared is not None:
        problem = f"The checker's report could not be read (it began {report.garbage!r})."
    elif not report.ended or returncode != 0:
        code = returncode if isinstance(returncode, int) else -int(signal.SIGKILL)
        problem = _crash_problem(code, memory_mb)
    else:
        outcomes = tuple(report.checks)
        status, message = summarize(outcomes, declared)
        return LabResult(topic, meta.id, status, message, outcomes, declared, seconds, output)
    checks = _stopped(report, problem, before_import=problem)
    return LabResult(topic, meta.id, "error", problem, checks, declared, seconds, output)
