"""The limits of a checker run cannot be escaped (issue 13 §2): memory, processes, output."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mlpath.labs import runner
from tests.labs.conftest import MakeLab

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc, prctl")


def test_shared_memory_that_escapes_rlimit_data_is_stopped(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    # MAP_SHARED|MAP_ANONYMOUS is not counted by RLIMIT_DATA; the PSS watch sees it.
    lab = learner(
        """
        import mmap, time
        def double(x):
            m = mmap.mmap(-1, 1 << 30)          # 1 GiB, over the 256 MB cap
            for i in range(0, 1 << 30, 4096):
                m[i] = 1
            time.sleep(5)
            return 2.0 * x
        """
    )
    start = time.monotonic()
    result = runner.run_lab(make_lab(), lab, topic="doubling", memory_mb=256, timeout=60)
    assert time.monotonic() - start < 30
    assert result.status == "error"
    assert "memory cap of 256 MB" in result.checks[0].message
    assert result.checks[1].message.startswith("Not run")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize(
    "spawn",
    [
        # a child in its own session, outliving a normal run
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], "
        "start_new_session=True).pid",
        # a double fork with setsid: the grandchild is orphaned at once
        "double_fork()",
    ],
    ids=["new-session", "double-fork"],
)
def test_every_descendant_ends_with_the_run(
    spawn: str, make_lab: MakeLab, learner: Callable[[str], Path], tmp_path: Path
) -> None:
    pids = tmp_path / "pids.txt"
    lab = learner(
        f"""
        import os, subprocess, sys, time
        def double_fork():
            r, w = os.pipe()
            if os.fork() == 0:
                os.setsid()
                pid = os.fork()
                if pid == 0:
                    time.sleep(60)
                    os._exit(0)
                os.write(w, str(pid).encode())
                os._exit(0)
            return int(os.read(r, 32))
        def double(x):
            with open({str(pids)!r}, "a") as f:
                f.write(str({spawn}) + "\\n")
            return 2.0 * x
        """
    )
    result = runner.run_lab(make_lab(), lab, topic="doubling", timeout=30)
    assert result.status == "passed"
    spawned = [int(p) for p in pids.read_text().split()]
    assert len(spawned) == 2
    deadline = time.monotonic() + 5
    while any(_pid_alive(p) for p in spawned) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_pid_alive(p) for p in spawned)


def test_descendants_end_on_a_timeout_too(
    make_lab: MakeLab, learner: Callable[[str], Path], tmp_path: Path
) -> None:
    pids = tmp_path / "pids.txt"
    lab = learner(
        f"""
        import subprocess, sys, time
        def double(x):
            p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                                 start_new_session=True)
            open({str(pids)!r}, "w").write(str(p.pid))
            while True:
                time.sleep(0.1)
        """
    )
    result = runner.run_lab(make_lab(), lab, topic="doubling", timeout=3)
    assert "did not finish within 3 s" in result.message
    pid = int(pids.read_text())
    deadline = time.monotonic() + 5
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _pid_alive(pid)


def test_output_is_capped_and_read_in_bounded_chunks(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    lab = learner(
        """
        import os
        def double(x):
            chunk = b"x" * (1 << 20)
            for _ in range(256):            # 256 MiB of output
                os.write(1, chunk)
            print("the last line")
            return 2.0 * x
        """
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = runner.run_lab(make_lab(), lab, topic="doubling", timeout=60)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.status == "passed"
    assert len(result.output.encode()) <= runner.OUTPUT_KEEP
    assert result.output.rstrip().endswith("the last line")
    assert grown_mb < 64  # the parent never held the whole output
