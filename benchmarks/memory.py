"""Peak memory (max RSS) and wall time of mlpath commands as the history grows.

    python benchmarks/memory.py [--events 200000 1000000] [--out benchmarks/out]

For each size, a store with that many events (seeded) is generated under the bundled
curriculum's topic ids; then ``next``, ``report``, ``done``, ``log``, ``doctor`` and ``undo``
run once each in a child process, whose max RSS comes from its rusage. Prints a
table (events, store MiB, command, seconds, peak MiB) and writes it as JSON.

The history is generated in a child process: Linux carries a process's peak RSS over
``fork``/``exec`` into the child's, so a benchmark holding a big history itself would
report at least its own size for every command.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

PY = sys.executable
COMMANDS = [
    ["next"],
    ["report"],
    ["done", "linear-regression"],
    ["log", "vectors", "1"],
    ["doctor"],
    ["undo"],  # reverts the `log` above: the log is counted again
]


def peak(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {cmd}: {proc.stderr.read().decode() if proc.stderr else ''}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def write_history(path: Path, n: int) -> None:
    """Append ``n`` seeded events to the store at ``path`` (run in a child process)."""
    root = Path(__file__).resolve().parent.parent
    curriculum = json.loads((root / "data" / "curriculum.json").read_text())
    store = json.loads(path.read_bytes())
    store.pop("summary", None)
    generate.write(path, generate.history(store, n, [t["id"] for t in curriculum["topics"]]))


def main() -> None:
    if sys.argv[1:2] == ["--history"]:
        write_history(Path(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    rows = []
    for n in args.events:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            env = {
                **os.environ,
                "MLPATH_HOME": str(home),
                "MLPATH_TODAY": "2026-11-24",
                "MLPATH_CACHE": str(Path(tmp) / "cache"),
                "PYTHONPATH": str(root / "src"),
            }
            subprocess.run(
                [PY, "-m", "mlpath", "plan", "--hours", "10"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            subprocess.run(
                [PY, __file__, "--history", str(home / "progress.json"), str(n)], check=True
            )
            subprocess.run(
                [PY, "-m", "mlpath", "log", "vectors", "1"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )  # writes the summary once
            size = (home / "progress.json").stat().st_size / 2**20
            for cmd in COMMANDS:
                seconds, mib = peak([PY, "-m", "mlpath", *cmd], env)
                rows.append(
                    {
                        "events": n,
                        "store_mib": round(size, 1),
                        "command": " ".join(cmd),
                        "seconds": round(seconds, 2),
                        "peak_mib": round(mib),
                    }
                )
                print(
                    f"{n:>9} events {size:7.1f} MiB  {' '.join(cmd):<24} "
                    f"{seconds:6.2f} s  {mib:7.0f} MiB",
                    flush=True,
                )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "memory.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
