"""mlpath's benchmark: whole-process wall time of real commands against the import floor.

    python benchmarks/run.py [--runs 15] [--out benchmarks/out]

Generates (seeded) a 1k and a 10k-topic curriculum and a store with 100,000
events, then runs every case several times, interleaved with its baseline
(``python -c "import typer, rich.console, pydantic, platformdirs"``), and
prints a table of medians and ratios against the targets of issues 5 and 18. Peak
memory (max RSS) of the 10k plan is measured from the child's rusage.

The peer is Watson (``td-watson`` on PyPI), the Python time tracker used for the
same daily habit: it is installed into a venv of its own (``benchmarks/.watson-venv``,
created on the first run, PyPI needed once), and ``watson status`` on a started
frame runs in the same interleaved rounds. ``next``, ``report``, ``done`` and
``week`` (when this mlpath has it) must take at most 0.8x as long.

``next``, ``report`` and ``week`` run again and again on an unchanged store, as when
typed several times a day, so from the second run on they replay their kept screen
(``mlpath/cli/screens.py``); the ``(rendered)`` cases delete the kept screens before
each run, so they measure the full render. ``done`` changes the store, so it runs on a
copy of its own, reset before each run. ``complete done vec<Tab>`` is a bash Tab press
on a topic argument (issue 18: well under 100 ms).

mlpath runs through a console script like the one ``pip install`` writes (Watson's
``watson`` is one too); ``done (python -m)`` shows the ``python -m mlpath`` form.

mlpath is run from this checkout's ``src`` (``PYTHONPATH``), whatever else is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))  # the mlpath byte-compiled below is this checkout's
PY = sys.executable
BASELINE = [PY, "-c", "import typer, rich.console, pydantic, platformdirs"]


ENTRY = [PY, "-m", "mlpath"]  # replaced by the console script main() writes
CONSOLE_SCRIPT = """#!{python}
# -*- coding: utf-8 -*-
import re
import sys
from mlpath.__main__ import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""


def mlpath(*args: str) -> list[str]:
    return [*ENTRY, *args]


def console_script(folder: Path) -> Path:
    """``mlpath`` as ``pip install`` writes it (the same launcher as Watson's ``watson``), so
    that both are run the way they are typed; ``python -m`` adds runpy (~5 ms)."""
    path = folder / "bin" / "mlpath"
    path.parent.mkdir(parents=True)
    path.write_text(CONSOLE_SCRIPT.format(python=PY))
    path.chmod(0o755)
    return path


def timed(cmd: list[str], env: dict[str, str], before: object = None) -> tuple[float, int]:
    """Wall seconds and max RSS (KiB) of one run; ``before`` prepares the run (untimed)."""
    if callable(before):
        before()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss


def measure(
    cases: dict[str, tuple[list[str], dict[str, str], object]], runs: int
) -> dict[str, list[float]]:
    """Run every case ``runs`` times, round-robin with the baseline, so load affects all alike."""
    times: dict[str, list[float]] = {name: [] for name in ["baseline", *cases]}
    env0 = dict(os.environ)
    for cmd, env, before in cases.values():  # warm-up: caches, page cache, bytecode
        timed(cmd, env, before)
    for _ in range(runs):
        times["baseline"].append(timed(BASELINE, env0)[0])
        for name, (cmd, env, before) in cases.items():
            times[name].append(timed(cmd, env, before)[0])
    return times


WATSON_VENV = Path(__file__).resolve().parent / ".watson-venv"
PEER = 0.8  # the daily commands take at most this share of `watson status`


def watson() -> Path:
    """The ``watson`` executable of the benchmark's own venv, installed from PyPI if needed."""
    exe = WATSON_VENV / ("Scripts" if os.name == "nt" else "bin") / "watson"
    if not exe.exists():
        import venv

        venv.create(WATSON_VENV, with_pip=True)
        pip = exe.parent / "pip"
        subprocess.run([str(pip), "install", "--quiet", "td-watson"], check=True)
    return exe


def has_command(name: str, env: dict[str, str]) -> bool:
    ok = subprocess.run(mlpath(name, "--help"), env=env, capture_output=True).returncode == 0
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = ap.parse_args()
    out: Path = args.out
    shutil.rmtree(out, ignore_errors=True)
    # Byte-compile mlpath as `pip install` does, so that a source checkout run with
    # PYTHONDONTWRITEBYTECODE (or a read-only tree) is measured like an installed mlpath.
    import compileall

    import mlpath as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    ENTRY[:] = [str(console_script(out))]
    c1k = generate.write(out / "c1k.json", generate.curriculum(1_000))
    c10k = generate.write(out / "c10k.json", generate.curriculum(10_000))

    outside = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    outside.pop("PYTHONPATH", None)
    paths = [str(SRC), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    base_env = {
        **outside,
        "MLPATH_TODAY": "2026-11-24",
        "MLPATH_CACHE": str(out / "cache"),  # not the user's cache
        "PYTHONPATH": os.pathsep.join(paths),
    }
    base_env.pop("MLPATH_CURRICULUM", None)
    fresh_home, big_home, done_home = out / "fresh", out / "big", out / "done"
    fresh = {**base_env, "MLPATH_HOME": str(fresh_home)}
    big = {**base_env, "MLPATH_HOME": str(big_home)}
    done_env = {**base_env, "MLPATH_HOME": str(done_home)}
    subprocess.run(
        mlpath("plan", "--hours", "10"), env=fresh, check=True, stdout=subprocess.DEVNULL
    )
    store = json.loads((fresh_home / "progress.json").read_text())
    plan_ids = store["plan"]["topics"]
    generate.write(big_home / "progress.json", generate.history(store, 100_000, plan_ids))
    # one real command rewrites the generated history in mlpath's own format, as any use would
    subprocess.run(mlpath("log", plan_ids[0], "1"), env=big, check=True, stdout=subprocess.DEVNULL)
    journey_home = out / "journey"
    journey_env = {**base_env, "MLPATH_HOME": str(journey_home)}
    generate.write(journey_home / "progress.json", generate.journey(store, plan_ids))
    subprocess.run(
        mlpath("log", plan_ids[0], "1"), env=journey_env, check=True, stdout=subprocess.DEVNULL
    )
    pristine = (fresh_home / "progress.json").read_bytes()

    done_home.mkdir()

    def reset_done() -> None:  # `done` changes the store: start every run from the same one
        (done_home / "progress.json").write_bytes(pristine)

    # the `(rendered)` cases: a cache of their own (the curriculum is remembered there),
    # whose kept screens are deleted before each run
    rendered = {**fresh, "MLPATH_CACHE": str(out / "cache-rendered")}

    def forget_screens() -> None:
        shutil.rmtree(out / "cache-rendered" / "screens", ignore_errors=True)

    for env in (
        fresh,
        big,
        journey_env,
    ):  # the first call of each curriculum validates it and caches the hash
        subprocess.run(mlpath("next"), env=env, check=True, stdout=subprocess.DEVNULL)
    plan_home = out / "planhome"
    plan_env = {**base_env, "MLPATH_HOME": str(plan_home)}

    def reset_plan_home() -> None:  # every plan run starts from a new learner
        shutil.rmtree(plan_home, ignore_errors=True)

    watson_exe = watson()
    watson_env = {**outside, "WATSON_DIR": str(out / "watson")}
    subprocess.run(
        [str(watson_exe), "start", "study", "+ml"],
        env=watson_env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cases = {
        "watson status": ([str(watson_exe), "status"], watson_env, None),
        "next": (mlpath("next"), fresh, None),
        "report": (mlpath("report"), fresh, None),
        "done": (mlpath("done", plan_ids[0]), done_env, reset_done),
        "done (python -m)": ([PY, "-m", "mlpath", "done", plan_ids[0]], done_env, reset_done),
        **({"week": (mlpath("week"), fresh, None)} if has_command("week", fresh) else {}),
        "next (rendered)": (mlpath("next"), rendered, forget_screens),
        "report (rendered)": (mlpath("report"), rendered, forget_screens),
        **(
            {"week (rendered)": (mlpath("week"), rendered, forget_screens)}
            if has_command("week", fresh)
            else {}
        ),
        "complete done vec<Tab>": (
            mlpath(),
            {
                **fresh,
                "_MLPATH_COMPLETE": "complete_bash",
                "COMP_WORDS": "mlpath done vec",
                "COMP_CWORD": "2",
            },
            None,
        ),
        "next (100k events)": (mlpath("next"), big, None),
        "report (100k events)": (mlpath("report"), big, None),
        "report (2-year journey)": (mlpath("report"), journey_env, None),
        "history (2-year journey)": (mlpath("history"), journey_env, None),
        "plan 1k": (
            mlpath("plan", "--curriculum", str(c1k), "--hours", "10", "--json"),
            plan_env,
            reset_plan_home,
        ),
        "plan 10k": (
            mlpath("plan", "--curriculum", str(c10k), "--hours", "10", "--json"),
            plan_env,
            reset_plan_home,
        ),
        "python -c pass": ([PY, "-c", "pass"], base_env, None),
    }
    times = measure(cases, args.runs)
    med = {k: statistics.median(v) for k, v in times.items()}
    _, rss_10k = timed(cases["plan 10k"][0], plan_env, reset_plan_home)
    floor = med["baseline"]
    startup = med["python -c pass"]
    scale = (med["plan 10k"] - startup) / (med["plan 1k"] - startup)
    peer = med["watson status"]
    targets = {
        name: (f"≤ {PEER}× watson status", med[name] / peer, PEER)
        for name in ("next", "report", "done", "week", "done (python -m)")
        if name in med
    }
    targets |= {
        "next (100k events)": ("≤ 1.2× fresh next", med["next (100k events)"] / med["next"], 1.2),
        "report (100k events)": (
            "≤ 1.2× fresh report",
            med["report (100k events)"] / med["report"],
            1.2,
        ),
        "report (2-year journey)": (
            "≤ 1.2× fresh report",
            med["report (2-year journey)"] / med["report"],
            1.2,
        ),
        "plan 10k": ("≤ 10× floor", med["plan 10k"] / floor, 10.0),
    }
    for name in ("next (rendered)", "report (rendered)", "week (rendered)"):
        if name in med:  # shown against the peer, without a target of their own
            targets[name] = ("(× watson status)", med[name] / peer, float("inf"))
    tab = "complete done vec<Tab>"
    targets[tab] = ("< 100 ms (× floor)", med[tab] / floor, 0.1 / floor)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {args.runs} interleaved runs per case\n"
    )
    print(f"{'case':<24}{'median':>10}{'ratio':>9}  {'target':<24}{'met':>4}")
    print(f"{'import floor':<24}{floor * 1000:>8.0f}ms{'1.00':>9}")
    for name in cases:
        if name == "python -c pass":
            continue
        line = f"{name:<24}{med[name] * 1000:>8.0f}ms"
        if name in targets:
            label, ratio, limit = targets[name]
            met = "" if limit == float("inf") else ("yes" if ratio <= limit else "NO")
            line += f"{ratio:>9.2f}  {label:<24}{met:>4}"
        else:
            line += f"{med[name] / floor:>9.2f}"
        print(line.rstrip())
    print(
        f"{'plan 10k / 1k (−start-up)':<24}{'':>10}{scale:>9.2f}  "
        f"{'≤ 12×':<24}{'yes' if scale <= 12 else 'NO':>4}"
    )
    print(
        f"\nratios: against the import floor; next/report/done/week (and rendered) against "
        f"`watson status` ({peer * 1000:.0f}ms)"
    )
    print(f"peak memory of `plan` on 10k topics: {rss_10k / 1024:.0f} MiB (max RSS)")


if __name__ == "__main__":
    main()
