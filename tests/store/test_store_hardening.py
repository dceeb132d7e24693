"""Store defects of issue 13: summaries, numbers, encoding, unknown keys, links, locks."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlpath.app.doctor import diagnose
from mlpath.cli.app import app
from mlpath.errors import StoreWriteError
from mlpath.store import backups
from mlpath.store.file import Store
from mlpath.store.format import StoreData, parse_document, read_summary, serialize
from tests.conftest import TODAY


def _run(home: Path, curriculum: Path, *args: str) -> Any:
    env = {
        "MLPATH_HOME": str(home),
        "MLPATH_CURRICULUM": str(curriculum),
        "MLPATH_TODAY": TODAY.isoformat(),
        "MLPATH_CACHE": "off",
        "NO_COLOR": "1",
    }
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
def planned(tmp_path: Path, tiny_path: Path) -> Path:
    home = tmp_path / "home"
    for args in (["plan", "--hours", "10"], ["done", "vectors"], ["log", "calculus", "1"]):
        assert _run(home, tiny_path, *args).exit_code == 0
    return home


def test_an_edited_summary_is_not_trusted_and_doctor_says_so(
    planned: Path, tiny_path: Path
) -> None:
    path = planned / "progress.json"
    doc = json.loads(path.read_bytes())
    doc["summary"]["state"]["done"] = {
        t: "2026-11-01" for t in ["vectors", "calculus", "probability", "regression"]
    }
    doc["summary"]["state"]["recent"] = [1, "x", None]
    events = doc.pop("events")
    raw = (
        json.dumps(doc, separators=(",", ":"))[:-1]
        + ',"events":'
        + json.dumps(events, separators=(",", ":"), ensure_ascii=False)
        + "}"
    )
    # keep the events' checksum valid, as a hand edit of the summary alone would
    path.write_text(raw)
    assert read_summary(raw.encode()) is None
    r = _run(planned, tiny_path, "report", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["completed_topics"] == 1
    d = diagnose(planned, tiny_path)
    assert any(c.level == "warning" and "summary" in c.message for c in d.checks)


def test_huge_numbers_are_refused_as_damage(planned: Path, tiny_path: Path) -> None:
    path = planned / "progress.json"
    doc = json.loads(path.read_bytes())
    doc["plan"]["weeks"][0]["items"][0]["hours"] = 1e308
    path.write_text(json.dumps(doc))
    r = _run(planned, tiny_path, "report")
    assert r.exit_code == 1 and "progress store" in r.output
    assert "Traceback" not in r.output


def test_lone_surrogates_survive_saves_and_exports(planned: Path, tiny_path: Path) -> None:
    path = planned / "progress.json"
    doc = json.loads(path.read_bytes())
    doc["events"][1]["note"] = "\ud800"
    path.write_text(json.dumps(doc))
    assert _run(planned, tiny_path, "log", "vectors", "1").exit_code == 0
    assert json.loads(path.read_bytes())["events"][1]["note"] == "\ud800"
    for fmt in ("json", "html", "md", "csv"):
        r = _run(planned, tiny_path, "export", "--format", fmt)
        assert r.exit_code == 0, (fmt, r.output)


def test_every_command_takes_the_same_nesting_decision(planned: Path, tiny_path: Path) -> None:
    path = planned / "progress.json"
    for depth, ok in ((150, True), (975, False)):
        doc = json.loads(path.read_bytes())
        doc["events"][1]["deep"] = "DEEP"
        raw = json.dumps(doc).replace('"DEEP"', "[" * depth + "]" * depth)
        codes = {}
        for args in (
            ["next"],
            ["report"],
            ["done", "probability"],
            ["export", "--format", "json"],
            ["log", "vectors", "1"],
            ["undo"],
        ):
            path.write_text(raw)
            codes[args[0]] = _run(planned, tiny_path, *args).exit_code
        assert set(codes.values()) == ({0} if ok else {1}), codes


def test_unknown_top_level_keys_are_kept(planned: Path, tiny_path: Path) -> None:
    path = planned / "progress.json"
    doc = json.loads(path.read_bytes())
    doc["sync"] = {"device": "laptop", "n": [1, 2]}
    path.write_text(json.dumps(doc))
    assert _run(planned, tiny_path, "log", "vectors", "1").exit_code == 0
    assert json.loads(path.read_bytes())["sync"] == {"device": "laptop", "n": [1, 2]}
    assert read_summary(path.read_bytes()) is not None


def test_a_symlinked_store_is_written_through(tmp_path: Path, tiny_path: Path) -> None:
    home = tmp_path / "home"
    elsewhere = tmp_path / "sync"
    elsewhere.mkdir()
    home.mkdir()
    assert _run(elsewhere, tiny_path, "plan", "--hours", "10").exit_code == 0
    (home / "progress.json").symlink_to(elsewhere / "progress.json")
    assert _run(home, tiny_path, "done", "vectors").exit_code == 0
    assert (home / "progress.json").is_symlink()
    data = Store(elsewhere).load()
    assert [e["type"] for e in data.events] == ["plan", "done"]
    for b in (home / "progress.json.bak").iterdir():
        assert not b.is_symlink() and b.is_file()


def test_the_lock_file_is_never_followed(tmp_path: Path, tiny_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / "victim"
    (home / "progress.json.lock").symlink_to(target)
    r = _run(home, tiny_path, "plan", "--hours", "10")
    assert r.exit_code == 1 and "symbolic link" in r.output
    assert not target.exists()


@pytest.mark.parametrize("code", [errno.ENOLCK, errno.EIO])
def test_lock_errors_are_clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, code: int) -> None:
    import fcntl

    def failing(fd: int, op: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(fcntl, "flock", failing)
    with pytest.raises(StoreWriteError, match="Cannot lock"), Store(tmp_path).transaction() as data:
        data.events.append({"seq": 1, "type": "log"})
    assert not (tmp_path / "progress.json").exists()


def test_an_unlock_error_after_the_save_is_not_a_failure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import fcntl

    real = fcntl.flock

    def flaky(fd: int, op: int) -> None:
        if op == fcntl.LOCK_UN:
            raise OSError(errno.EIO, "I/O error")
        real(fd, op)

    monkeypatch.setattr(fcntl, "flock", flaky)
    with Store(tmp_path).transaction() as data:
        data.events.append({"seq": 1, "type": "undone", "target": 0})
    assert len(Store(tmp_path).load().events) == 1


def test_listing_errors_while_tidying_are_clean(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = os.listdir

    def failing(path: Any = ".") -> list[str]:
        if str(path) == str(tmp_path):
            raise OSError(errno.EIO, "I/O error")
        return real(path)

    real_scandir = os.scandir

    def failing_scan(path: Any = ".") -> Any:
        if str(path) == str(tmp_path):
            raise OSError(errno.EIO, "I/O error")
        return real_scandir(path)

    monkeypatch.setattr(os, "listdir", failing)
    monkeypatch.setattr(os, "scandir", failing_scan)
    with Store(tmp_path).transaction() as data:
        data.events.append({"seq": 1, "type": "undone", "target": 0})


def test_before_restore_backups_are_pruned(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for i in range(3):
        with store.transaction() as data:
            data.events.append({"seq": i + 1, "type": "undone", "target": 0})
    for _ in range(12):
        store.restore(2)
    kinds = [b.tag for b in backups.list_files(store.backup_dir)]
    assert kinds.count("before-restore") <= backups.KEEP


def test_32_writers_on_a_busy_machine_all_succeed(tmp_path: Path, tiny_path: Path) -> None:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "MLPATH_HOME": str(home),
        "MLPATH_CURRICULUM": str(tiny_path),
        "MLPATH_TODAY": TODAY.isoformat(),
        "MLPATH_LOCK_TIMEOUT": "1",
        "MLPATH_CACHE": str(tmp_path / "cache"),
    }
    subprocess.run(
        [sys.executable, "-m", "mlpath", "show", "vectors"],
        env=env,
        check=True,
        capture_output=True,
    )
    script = (
        "import time,sys\nfrom mlpath.store.file import Store\n"
        "s=Store(__import__('pathlib').Path(sys.argv[1]))\n"
        "with s.transaction() as d:\n"
        "    time.sleep(0.2)\n"
        "    d.events.append({'seq': len(d.events)+1, 'type': 'undone', 'target': 0})\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(home)], env=env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(32)
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 32, errors
    assert len(Store(home).load().events) == 32


def test_serialize_round_trips_extra_keys() -> None:
    data = StoreData(events=[], extra={"x": 1})
    assert parse_document(serialize(data)).extra == {"x": 1}
