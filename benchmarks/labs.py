"""Time every lab's reference solution through the real checker.

    python benchmarks/labs.py [--runs 5] [--only ID ...] [--markdown]

For each packaged lab, the reference solution is written as a learner's ``lab.py``
and checked by the same runner ``mlpath check`` uses (a supervisor and a worker
process, with the timeout, memory cap and thread pinning), so each time includes
starting Python and importing NumPy, scikit-learn or torch. Prints the median wall
time per lab against its target (3 s classic, 15 s deep learning), the slowest
check's median time, and flags a run whose slowest time comes within 50% of the
lab's timeout. ``--markdown`` prints the table for README.md and docs/labs.md.
Exits 1 when a lab misses its target or does not pass.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mlpath.labs import catalog, runner, workspace

TARGET = {False: 3.0, True: 15.0}


def time_lab(lab_id: str, runs: int) -> tuple[list[float], list[list[float]], str]:
    """Wall times of ``runs`` checks of the solution, each check's times, and the last status."""
    meta = catalog.get_lab(lab_id)
    walls: list[float] = []
    per_check: list[list[float]] = []
    status = ""
    with tempfile.TemporaryDirectory() as tmp:
        lab_file = Path(tmp) / workspace.LAB_FILE
        lab_file.write_text(catalog.read_lab_file(lab_id, "solution.py"), encoding="utf-8")
        for _ in range(runs):
            start = time.perf_counter()
            result = runner.run_lab(meta, lab_file, topic=meta.topic)
            walls.append(time.perf_counter() - start)
            per_check.append(list(result.check_seconds))
            status = result.status
    return walls, per_check, status


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.1f}, "
        f"Python {platform.python_version()}, {runner.THREADS} thread(s) per check; "
        f"median of {args.runs} runs per lab\n"
    )
    rows = []
    all_ok = True
    for lab_id in args.only or catalog.lab_ids():
        meta = catalog.get_lab(lab_id)
        if catalog.missing_packages(meta):
            print(f"{lab_id:<24}skipped: needs {', '.join(catalog.missing_packages(meta))}")
            continue
        dl = meta.is_deep_learning
        walls, per_check, status = time_lab(lab_id, args.runs)
        median = statistics.median(walls)
        slowest_check = max(
            (statistics.median(times) for times in zip(*per_check, strict=False)), default=0.0
        )
        flags = []
        if status != "passed":
            flags.append(status)
        if median > TARGET[dl]:
            flags.append("over target")
        if max(walls) > 0.5 * meta.timeout:
            flags.append(f"within 50% of its {meta.timeout} s timeout")
        all_ok &= not flags
        kind = "deep learning" if dl else "classic"
        rows.append((lab_id, kind, median, max(walls), slowest_check, meta.timeout, flags))
        print(
            f"{lab_id:<24}{kind:<15}{median:>7.1f}s  max {max(walls):>5.1f}s  "
            f"slowest check {slowest_check:>5.1f}s  target {TARGET[dl]:>4.0f}s  "
            f"timeout {meta.timeout:>4}s  {', '.join(flags) or 'ok'}",
            flush=True,
        )
    if args.markdown:
        print("\n| lab | kind | median | max | slowest check | target | timeout |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for lab_id, kind, median, worst, check, timeout, flags in rows:
            mark = " ⚠" if flags else ""
            print(
                f"| {lab_id}{mark} | {kind} | {median:.1f} s | {worst:.1f} s | {check:.1f} s "
                f"| {TARGET[kind == 'deep learning']:.0f} s | {timeout} s |"
            )
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
