"""The store lock: exclusive across processes, bounded wait, released when the holder dies."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlpath.store.lock import LockTimeout, _filelock, exclusive

HOLD = (
    "import sys, time; from pathlib import Path; from mlpath.store.lock import exclusive\n"
    "with exclusive(Path(sys.argv[1]), 5):\n"
    "    print('held', flush=True); time.sleep(60)\n"
)


def _holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_process_waits_then_times_out_and_gets_it_after_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "store.lock"
    proc = _holder(path)
    try:
        start = time.monotonic()
        with pytest.raises(LockTimeout), exclusive(path, 0.3):
            pass
        assert time.monotonic() - start >= 0.3
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    with exclusive(path, 2):  # the kernel released the dead holder's lock
        assert path.exists()


def test_the_lock_is_reentrant_after_release(tmp_path: Path) -> None:
    path = tmp_path / "store.lock"
    for _ in range(3):
        with exclusive(path, 0.1):
            pass


@pytest.mark.parametrize("lock", [exclusive, _filelock], ids=["fcntl", "filelock"])
def test_both_implementations_exclude_each_other(tmp_path: Path, lock) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "store.lock"
    other = _filelock if lock is exclusive else exclusive
    with lock(path, 1), pytest.raises(LockTimeout), other(path, 0.2):
        pass
