"""Progress is never lost: faults, crashes, concurrency, damaged files, restore, curriculum
changes and `mlpath doctor`, all through the command line."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from mlpath.store import migrations
from mlpath.store.file import Store
from tests.conftest import TODAY, tiny_document

MUTATING = [["done", "probability"], ["log", "calculus", "1.5"], ["plan", "--hours", "8"], ["undo"]]
READ_ONLY = [
    ["next"],
    ["report"],
    ["show", "vectors"],
    ["topics"],
    ["next", "--json"],
    ["report", "--json"],
]


def store_path(home: Path) -> Path:
    return home / "progress.json"


def temp_files(home: Path) -> list[Path]:
    return [p for p in home.rglob("*") if p.name.endswith(".tmp") and "cache" not in p.parts]


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process commands skip the real fsync (slow on some disks, and durability across a
    power cut cannot be observed here); fault tests replace it again, subprocesses keep it."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.fixture
def progress(cli, home: Path) -> bytes:  # type: ignore[no-untyped-def]
    """A store with a plan, a topic done and some time logged; returns its bytes."""
    for args in (["plan", "--hours", "10"], ["done", "vectors"], ["log", "calculus", "2"]):
        assert cli(*args).exit_code == 0
    return store_path(home).read_bytes()


# --------------------------------------------------------------------------- fault injection


def _failing(err: int, real: Any = None, only: str | None = None) -> Any:
    def fail(*args: Any, **kwargs: Any) -> Any:
        if only is None or any(str(a).endswith(only) for a in args):
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    return fail


class _FailingFile:
    """A file object whose write fails, as on a full disk."""

    def __init__(self, fh: Any, err: int) -> None:
        self._fh, self._err = fh, err

    def write(self, _data: bytes) -> int:
        raise OSError(self._err, os.strerror(self._err))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


FAULTS = {
    "replace-ENOSPC": lambda mp: mp.setattr(os, "replace", _failing(errno.ENOSPC)),
    "replace-EIO-store-only": lambda mp: mp.setattr(
        os, "replace", _failing(errno.EIO, os.replace, only="progress.json")
    ),
    "fsync-EIO": lambda mp: mp.setattr(os, "fsync", _failing(errno.EIO)),
    "write-ENOSPC": lambda mp: mp.setattr(
        os, "fdopen", lambda *a, _real=os.fdopen, **k: _FailingFile(_real(*a, **k), errno.ENOSPC)
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("args", MUTATING, ids=" ".join)
def test_a_failing_save_leaves_the_previous_store_intact(
    cli,
    home: Path,
    progress: bytes,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
    args: list[str],  # type: ignore[no-untyped-def]
) -> None:
    with monkeypatch.context() as mp:
        FAULTS[fault](mp)
        r = cli(*args)
    assert r.exit_code == 1, r.output
    assert "Could not save" in r.output and "previous progress is intact" in r.output
    assert "Traceback" not in r.output
    assert store_path(home).read_bytes() == progress
    assert temp_files(home) == []
    assert cli(*args).exit_code == 0  # the disk recovered: the same command now works


# --------------------------------------------------------------------------- damaged files

DAMAGE = {
    "empty": b"",
    "truncated": None,  # the first half of a real store
    "invalid-json": b'{"schema_version": 1, "events": [}',
    "wrong-types": b'{"schema_version": 1, "profile": null, "plan": null, "events": {"seq": 1}}',
    "wrong-event-types": b'{"schema_version": 1, "events": [{"seq": 1, "type": "log", '
    b'"topic": "vectors", "date": "soon", "hours": "two"}]}',
    "newer-schema": b'{"schema_version": 7, "events": [], "something": "new"}',
}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("args", MUTATING + READ_ONLY, ids=" ".join)
def test_a_damaged_store_stops_every_command_and_is_left_untouched(
    cli,
    home: Path,
    progress: bytes,
    damage: str,
    args: list[str],  # type: ignore[no-untyped-def]
) -> None:
    raw = DAMAGE[damage] if DAMAGE[damage] is not None else progress[: len(progress) // 2]
    store_path(home).write_bytes(raw)
    backups_before = sorted((home / "progress.json.bak").iterdir())
    r = cli(*args)
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    text = " ".join(r.output.split())
    assert str(store_path(home)) in text
    if damage == "newer-schema":
        assert "newer mlpath" in text and "Upgrade mlpath" in text
    else:
        assert "mlpath store restore" in text and "left untouched" in text
    assert store_path(home).read_bytes() == raw
    assert sorted((home / "progress.json.bak").iterdir()) == backups_before


def test_doctor_reports_a_damaged_store_and_exits_1(cli, home: Path, progress: bytes) -> None:  # type: ignore[no-untyped-def]
    store_path(home).write_bytes(b"")
    r = cli("doctor")
    assert r.exit_code == 1
    text = " ".join(r.output.split())
    assert "is empty" in text and "mlpath store restore" in text and "good backup" in text
    d = json.loads(cli("doctor", "--json").stdout)
    assert d["ok"] is False and d["store"]["loads"] is False
    assert store_path(home).read_bytes() == b""


# --------------------------------------------------------------------------- restore


def test_store_restore_brings_back_progress_and_keeps_the_damaged_file(
    cli,
    home: Path,
    progress: bytes,  # type: ignore[no-untyped-def]
) -> None:
    listing = json.loads(cli("store", "list", "--json").stdout)["backups"]
    assert [b["events"] for b in listing] == [2, 1]
    store_path(home).write_bytes(progress[:40])
    r = cli("store", "restore", "--yes")
    assert r.exit_code == 0, r.output
    assert "Restored backup 1" in r.output and "damaged store was kept" in r.output
    aside = list(home.glob("progress.json.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == progress[:40]
    assert json.loads(cli("report", "--json").stdout)["completed_topics"] == 1
    assert cli("log", "calculus", "2").exit_code == 0  # mutating works again


def test_store_restore_asks_which_and_confirms(cli, home: Path, progress: bytes, runner) -> None:  # type: ignore[no-untyped-def]
    from mlpath.cli.app import app

    r = runner.invoke(app, ["store", "restore"], input="2\n")
    assert r.exit_code == 0, r.output
    assert "Restore which backup?" in r.output and "Restored backup 2" in r.output
    assert len(Store(home).load().events) == 1
    before = store_path(home).read_bytes()
    r = runner.invoke(app, ["store", "restore", "1"], input="n\n")
    assert r.exit_code == 1 and store_path(home).read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["store", "restore", "9", "--yes"], 2, "no backup number 9"),
        (["store", "restore", "0", "--yes"], 2, "no backup number 0"),
        (["store", "restore", "abc"], 2, "Invalid value"),
        (["store", "restore", "--json"], 2, "give a backup NUMBER"),
        (["store", "frob"], 2, "No such command"),
    ],
)
def test_store_commands_reject_bad_input(
    cli,
    home: Path,
    progress: bytes,
    args: list[str],  # type: ignore[no-untyped-def]
    code: int,
    words: str,
) -> None:
    r = cli(*args)
    assert r.exit_code == code and words in r.output
    assert store_path(home).read_bytes() == progress


def test_restore_with_no_backups_says_so(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("store", "restore", "--yes")
    assert r.exit_code == 1 and "no backups" in r.output


def test_bad_lock_timeout_is_a_usage_error(
    cli,
    home: Path,
    progress: bytes,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLPATH_LOCK_TIMEOUT", "soon")
    r = cli("done", "calculus")
    assert r.exit_code == 2 and "MLPATH_LOCK_TIMEOUT" in r.output
    assert store_path(home).read_bytes() == progress


def test_a_locked_store_fails_with_a_clear_message(
    cli,
    home: Path,
    progress: bytes,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from filelock import FileLock

    monkeypatch.setenv("MLPATH_LOCK_TIMEOUT", "0")
    with FileLock(str(home / "progress.json.lock")):
        r = cli("done", "calculus")
    assert r.exit_code == 1 and "Another mlpath command is using" in r.output
    assert store_path(home).read_bytes() == progress


# --------------------------------------------------------------------------- curriculum changes


def _write_curriculum(path: Path, doc: dict[str, Any]) -> None:
    path.write_text(json.dumps(doc))


def test_progress_on_removed_topics_is_kept_and_reported(
    cli,
    home: Path,
    progress: bytes,
    tiny_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    doc = tiny_document()
    doc["topics"] = [t for t in doc["topics"] if t["id"] != "vectors"]
    for t in doc["topics"]:
        t["prerequisites"] = [p for p in t["prerequisites"] if p != "vectors"]
    _write_curriculum(tiny_path, doc)
    rep = json.loads(cli("report", "--json").stdout)
    assert rep["orphaned_progress"] == {
        "vectors": {"done": TODAY.isoformat(), "logged_hours": 0, "lab_passed": False}
    }
    assert "not in this curriculum (kept):\n  vectors (done" in cli("report").output
    d = json.loads(cli("doctor", "--json").stdout)
    assert "vectors" in d["curriculum"]["orphaned_progress"]
    doctor = cli("doctor")
    assert doctor.exit_code == 0 and "Progress on topics not in this curriculum" in doctor.output
    assert cli("done", "calculus").exit_code == 0  # mutating keeps the orphaned event
    events = Store(home).load().events
    assert any(e.get("topic") == "vectors" and e["type"] == "done" for e in events)


def test_renamed_topics_carry_progress_and_the_saved_plan(
    cli,
    home: Path,
    progress: bytes,
    tiny_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    doc = json.loads(
        json.dumps(tiny_document())
        .replace('"vectors"', '"linear-algebra"')
        .replace("/vectors", "/linear-algebra")
    )
    doc["renamed"] = {"vectors": "linear-algebra"}
    _write_curriculum(tiny_path, doc)
    listed = {t["id"]: t["status"] for t in json.loads(cli("topics", "--json").stdout)}
    assert listed["linear-algebra"] == "done"
    rep = json.loads(cli("report", "--json").stdout)
    assert rep["orphaned_progress"] == {} and rep["completed_topics"] == 1
    assert json.loads(cli("next", "--json").stdout)["topic"]["id"] == "calculus"
    assert "already marked done" in cli("done", "vectors").output  # the old id still resolves


def test_doctor_on_a_healthy_setup(cli, home: Path, progress: bytes) -> None:  # type: ignore[no-untyped-def]
    r = cli("doctor")
    assert r.exit_code == 0, r.output
    for words in (
        "Paths",
        "progress.json.bak",
        "Versions",
        "pydantic",
        "3 events",
        "Everything looks fine",
    ):
        assert words in r.output
    d = json.loads(cli("doctor", "--json").stdout)
    assert d["ok"] and d["store"]["events"] == 3 and len(d["store"]["backups"]) == 2
    assert d["curriculum"]["valid"] and d["curriculum"]["topics"] == 10
    assert set(d["paths"]) >= {"store", "backups", "lock", "cache", "curriculum"}
    assert set(d["versions"]) >= {"mlpath", "python", "typer", "rich", "pydantic"}
    assert "numpy" in d["optional_packages"]


def test_doctor_reports_an_invalid_curriculum(cli, tmp_path: Path, home: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x", "phases": [], "topics": []}')
    r = cli("doctor", "--curriculum", str(bad))
    assert r.exit_code == 1 and "problem" in r.output
    assert (
        json.loads(cli("doctor", "--json", "--curriculum", str(bad)).stdout)["curriculum"]["valid"]
        is False
    )


def test_an_older_store_is_read_without_writing_and_upgraded_on_the_next_change(
    cli,
    home: Path,  # type: ignore[no-untyped-def]
) -> None:
    home.mkdir()
    v0 = {
        "schema_version": 0,
        "profile": None,
        "plan": None,
        "events": [
            {
                "type": "done",
                "at": "2026-11-20T10:00:00+00:00",
                "topic": "vectors",
                "date": "2026-11-20",
            },
            {
                "type": "log",
                "at": "2026-11-21T10:00:00+00:00",
                "topic": "calculus",
                "date": "2026-11-21",
                "hours": 1.5,
            },
        ],
    }
    raw = json.dumps(v0).encode()
    store_path(home).write_bytes(raw)
    assert json.loads(cli("show", "calculus", "--json").stdout)["logged_hours"] == 1.5
    assert "older format (schema 0)" in cli("doctor").output
    assert store_path(home).read_bytes() == raw
    assert cli("done", "calculus").exit_code == 0
    saved = json.loads(store_path(home).read_bytes())
    assert saved["schema_version"] == migrations.CURRENT
    assert [e["seq"] for e in saved["events"]] == [1, 2, 3]
    kept = list((home / "progress.json.bak").glob("*pre-migration-v0.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == raw


# --------------------------------------------------------------------------- processes


def _env(home: Path, tiny_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "MLPATH_HOME": str(home),
        "MLPATH_CURRICULUM": str(tiny_path),
        "MLPATH_TODAY": TODAY.isoformat(),
        "MLPATH_LOCK_TIMEOUT": "60",
        "NO_COLOR": "1",
    }


def _log(
    hours: float, env: dict[str, str], stderr: int = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "mlpath", "log", "vectors", f"{hours:.2f}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def _logged_hours(home: Path) -> list[float]:
    return sorted(e["hours"] for e in Store(home).load().events if e["type"] == "log")


def test_sixteen_processes_appending_at_once_lose_nothing(home: Path, tiny_path: Path) -> None:
    env = _env(home, tiny_path)
    # warm the validated-curriculum cache, so the 16 do not all validate it at once
    subprocess.run(
        [sys.executable, "-m", "mlpath", "show", "vectors"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    procs = [_log((i + 1) / 100, env, subprocess.PIPE) for i in range(16)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 16, errors
    assert _logged_hours(home) == [(i + 1) / 100 for i in range(16)]
    seqs = [e["seq"] for e in Store(home).load().events]
    assert seqs == list(range(1, 17))


def test_sigkill_at_random_moments_never_loses_a_finished_command(
    home: Path, tiny_path: Path
) -> None:
    """Rounds of concurrent `mlpath log`, each process killed at a random moment of its life
    (or left to finish). After every round the store loads and holds every event of every
    process that exited 0. Bounded to a few seconds."""
    env = _env(home, tiny_path)
    rng = random.Random(4)
    start = time.monotonic()
    probe = _log(0.01, env)
    probe.wait(timeout=60)
    lifetime = max(0.05, time.monotonic() - start)  # how long one command takes here
    confirmed = [0.01]
    hours = 0.01
    rounds = 0
    while time.monotonic() - start < 3.0 and rounds < 20:
        rounds += 1
        batch = []
        for _ in range(3):
            hours = round(hours + 0.01, 2)
            batch.append((hours, _log(hours, env), rng.uniform(0.3, 1.3) * lifetime))
        t0 = time.monotonic()
        for h, proc, kill_at in sorted(batch, key=lambda b: b[2]):
            delay = kill_at - (time.monotonic() - t0)
            if delay > 0:
                time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            if proc.returncode == 0:
                confirmed.append(h)
        on_disk = _logged_hours(home)  # raises if the store were damaged
        assert set(confirmed) <= set(on_disk)
        assert len(on_disk) == len(set(on_disk))  # no event recorded twice
    last = _log(9.99, env)  # a command after all the kills still works
    assert last.wait(timeout=60) == 0 and 9.99 in _logged_hours(home)


@pytest.mark.parametrize("target", ["curriculum", "store"])
def test_deeply_nested_json_is_refused_without_a_traceback(
    cli,  # type: ignore[no-untyped-def]
    home: Path,
    tmp_path: Path,
    target: str,
) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    if target == "store":
        home.mkdir()
        store_path(home).write_bytes(deep)
        r = cli("next")
    else:
        (tmp_path / "deep.json").write_bytes(deep)
        r = cli("curriculum", "check", str(tmp_path / "deep.json"))
    assert r.exit_code == 1 and "nested too deeply" in " ".join(r.output.split())
