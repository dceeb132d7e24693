"""Time every lab's reference solution through the real checker.

    python benchmarks/labs.py [--runs 3] [--only ID ...]

For each packaged lab, the reference solution is written as a learner's
``lab.py`` and checked by the same runner ``mlpath check`` uses (a child
process with its timeout and memory cap), so each time includes starting
Python and importing NumPy, scikit-learn or torch. Prints the median per lab
against its budget: 3 s for classic labs, 30 s for deep-learning labs.
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

BUDGET = {False: 3.0, True: 30.0}


def time_lab(lab_id: str, runs: int) -> tuple[float, str]:
    meta = catalog.get_lab(lab_id)
    times, status = [], ""
    with tempfile.TemporaryDirectory() as tmp:
        lab_file = Path(tmp) / workspace.LAB_FILE
        lab_file.write_text(catalog.read_lab_file(lab_id, "solution.py"), encoding="utf-8")
        for _ in range(runs):
            start = time.perf_counter()
            result = runner.run_lab(meta, lab_file, topic=meta.topic)
            times.append(time.perf_counter() - start)
            status = result.status
    return statistics.median(times), status


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; median of {args.runs} runs per lab\n"
    )
    print(f"{'lab':<24}{'kind':<16}{'median':>8}  {'budget':>6}  status")
    all_ok = True
    for lab_id in args.only or catalog.lab_ids():
        meta = catalog.get_lab(lab_id)
        dl = meta.is_deep_learning
        seconds, status = time_lab(lab_id, args.runs)
        ok = status == "passed" and seconds <= BUDGET[dl]
        all_ok &= ok
        kind = "deep learning" if dl else "classic"
        flag = "" if ok else "  <-- over budget"
        print(f"{lab_id:<24}{kind:<16}{seconds:>7.1f}s  {BUDGET[dl]:>5.0f}s  {status}{flag}")
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
