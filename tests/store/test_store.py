"""The store as a library: checks, backups and their rotation, restore, migrations, the lock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from mlpath.errors import InputError, StoreCorrupt, StoreError, StoreLocked, StoreTooNew
from mlpath.store import backups, migrations
from mlpath.store.file import Store, StoreData, parse_store
from mlpath.store.format import check_shape

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class Clock:
    """A clock that moves one minute per call, so backup names are predictable."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def log_event(seq: int, hours: float = 1.0, topic: str = "vectors") -> dict[str, Any]:
    return {
        "seq": seq,
        "type": "log",
        "at": "2026-11-24T09:00:00+00:00",
        "topic": topic,
        "date": "2026-11-24",
        "hours": hours,
    }


def make_store(tmp_path: Path) -> Store:
    return Store(tmp_path / "home", lock_timeout=0, clock=Clock())


def append_logs(store: Store, n: int) -> None:
    for _ in range(n):
        with store.transaction() as data:
            data.events.append(log_event(len(data.events) + 1))


def good_backup_events(store: Store) -> list[int]:
    return [b.events for b in store.backups() if b.problem is None and b.file.automatic]


# --------------------------------------------------------------------------- saving


def test_transaction_saves_and_backs_up_the_previous_generation(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 3)
    assert len(store.load().events) == 3
    # the first save had nothing to back up; then one backup per save, of the previous file
    assert good_backup_events(store) == [2, 1]
    assert [b.number for b in store.backups()] == [1, 2]


def test_nothing_is_written_when_the_block_raises_or_changes_nothing(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 1)
    before = store.path.read_bytes()
    with pytest.raises(RuntimeError), store.transaction() as data:
        data.events.append(log_event(2))
        raise RuntimeError("boom")
    with store.transaction():
        pass
    assert store.path.read_bytes() == before
    assert store.backups() == []


def test_no_store_file_is_created_by_a_transaction_that_changes_nothing(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    with store.transaction():
        pass
    assert not store.path.exists()


def test_rotation_keeps_the_last_five_good_generations(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 9)
    assert good_backup_events(store) == [8, 7, 6, 5, 4]
    names = sorted(p.name for p in store.backup_dir.iterdir())
    assert len(names) == 5 and all(n.startswith("progress-0000") for n in names)


def test_damaged_backups_never_push_good_ones_out(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 6)  # backups of 5, 4, 3, 2, 1 events
    # three newer backups get damaged on disk (empty, truncated, not JSON)
    for raw in (b"", b'{"schema_version": 1, "events": [', b"\x00\xff garbage"):
        backups.next_path(store.backup_dir, T0 + timedelta(days=1)).write_bytes(raw)
    append_logs(store, 1)  # a save: rotation runs
    found = store.backups()
    assert [b.events for b in found if b.problem is None] == [6, 5, 4, 3, 2]
    assert sum(b.problem is not None for b in found) == 3


def test_to_prune_counts_only_good_automatic_backups(tmp_path: Path) -> None:
    def f(gen: int, tag: str | None = None) -> backups.BackupFile:
        return backups.BackupFile(tmp_path / f"{gen}", gen, T0, tag)

    files = [f(9), f(8, "pre-migration-v0"), f(7), f(6), f(5), f(4), f(3), f(2), f(1)]
    bad = {tmp_path / "7", tmp_path / "5"}
    pruned = backups.to_prune(files, lambda p: p not in bad, keep=3)
    assert pruned == [tmp_path / "3", tmp_path / "2", tmp_path / "1"]  # kept: good 9, 6, 4


def test_a_damaged_store_is_never_saved_over_nor_backed_up(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 6)
    before = sorted(store.backup_dir.iterdir())
    store.path.write_bytes(b"")
    with pytest.raises(StoreCorrupt), store.transaction() as data:
        data.events.append(log_event(99))
    assert store.path.read_bytes() == b""
    assert sorted(store.backup_dir.iterdir()) == before


def test_identical_generations_are_not_backed_up_twice(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 2)
    store.restore(1)  # back to 1 event; the 2-event store is kept as 'before-restore'
    append_logs(store, 1)  # the file now equals backup 1: no duplicate generation
    assert good_backup_events(store) == [1]


# --------------------------------------------------------------------------- checks


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "is empty"),
        (b"  \n", "is empty"),
        (b'{"schema_version": 1, "events": [{"seq"', "not valid JSON"),
        (b"[1, 2]", "holds a list"),
        (b'{"events": []}', "no valid schema_version"),
        (b'{"schema_version": "1", "events": []}', "no valid schema_version"),
        (b'{"schema_version": 1, "events": {}}', "'events' must be a list"),
        (b'{"schema_version": 1, "events": [], "plan": []}', "'plan' is not an object"),
        (b'{"schema_version": 1, "events": [], "profile": {"hours_per_week": "x"}}', "'profile'"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_damaged_documents_raise_naming_the_file(tmp_path: Path, raw: bytes, words: str) -> None:
    path = tmp_path / "progress.json"
    with pytest.raises(StoreCorrupt) as info:
        parse_store(raw, path)
    assert str(path) in info.value.message and words in info.value.message
    assert "mlpath store restore" in (info.value.hint or "")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreTooNew, match="newer mlpath"):
        parse_store(json.dumps({"schema_version": 99, "events": []}).encode(), tmp_path / "p.json")


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (
            {"seq": 1, "type": "log", "topic": "a", "date": "2026-13-01", "hours": 1},
            "no valid date",
        ),
        (
            {"seq": 1, "type": "log", "topic": "a", "date": "2026-01-01", "hours": -1},
            "invalid hours",
        ),
        (
            {"seq": 1, "type": "log", "topic": "a", "date": "2026-01-01", "hours": float("nan")},
            "invalid hours",
        ),
        ({"seq": 1, "type": "done", "topic": 3, "date": "2026-01-01"}, "no topic"),
        ({"seq": 1, "type": "done", "topic": "a"}, "no valid date"),
        ({"seq": 1, "type": "done", "topic": "a", "at": "yesterday"}, "invalid 'at'"),
        ({"seq": 1, "type": "undone", "target": "1"}, "no valid target"),
        ({"seq": 1, "type": "plan", "profile": {}, "plan": {}}, "(plan) 'profile'"),
        ({"seq": 1, "type": "teleport"}, "unknown type"),
        ({"seq": "1", "type": "undone", "target": 1}, "'seq'"),
        ("done", "is not an object"),
    ],
)
def test_wrongly_typed_events_are_named(event: Any, words: str) -> None:
    problems = check_shape({"schema_version": 1, "events": [event]})
    assert any(words in p for p in problems), problems


def test_out_of_order_seq_is_damage() -> None:
    problems = check_shape({"schema_version": 1, "events": [log_event(2), log_event(2)]})
    assert problems == ["event #2 has a missing or out-of-order 'seq'"]


# --------------------------------------------------------------------------- restore


def test_restore_keeps_a_damaged_store_aside_byte_for_byte(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 4)
    damage = b'{"schema_version": 1, "events": [{"seq": 1, "ty'
    store.path.write_bytes(damage)
    done = store.restore(2)
    assert done.backup.events == 2 and len(store.load().events) == 2
    assert done.kept_aside is not None and done.kept_aside.read_bytes() == damage
    assert done.kept_aside.name.startswith("progress.json.damaged-")
    assert done.previous_backup is None


def test_restore_of_a_good_store_backs_it_up_first(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 3)
    current = store.path.read_bytes()
    done = store.restore(None)  # the newest good backup: 2 events
    assert len(store.load().events) == 2
    assert done.previous_backup is not None and done.previous_backup.read_bytes() == current
    assert "before-restore" in done.previous_backup.name
    assert store.backups()[0].file.tag == "before-restore"


def test_restore_refuses_bad_choices(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    with pytest.raises(StoreError, match="no backups"):
        store.restore(None)
    append_logs(store, 2)
    with pytest.raises(InputError, match="no backup number 5"):
        store.restore(5)
    with pytest.raises(StoreError, match="changed while you were choosing"):
        store.restore(1, expect=tmp_path / "other.json")
    store.backups()[0].file.path.write_bytes(b"{")
    with pytest.raises(StoreError, match="Backup 1"):
        store.restore(1)
    with pytest.raises(StoreError, match="None of the backups"):
        store.restore(None)
    assert len(store.load().events) == 2


def test_restore_moves_an_unreadable_store_aside(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 2)
    store.path.unlink()
    store.path.mkdir()  # cannot be read as a file
    done = store.restore(1)
    assert done.kept_aside is not None and done.kept_aside.is_dir()
    assert len(store.load().events) == 1


# --------------------------------------------------------------------------- migrations


def v0_document() -> dict[str, Any]:
    """The positional format of schema 0: no seq; 'undone' points at a list index."""
    return {
        "schema_version": 0,
        "profile": None,
        "plan": None,
        "events": [
            {
                "type": "log",
                "at": "2026-11-01T09:00:00+00:00",
                "topic": "vectors",
                "date": "2026-11-01",
                "hours": 2,
            },
            {
                "type": "done",
                "at": "2026-11-02T09:00:00+00:00",
                "topic": "calculus",
                "date": "2026-11-02",
            },
            {"type": "undone", "at": "2026-11-03T09:00:00+00:00", "target_index": 0},
        ],
    }


def test_v0_is_upgraded_in_memory_without_writing(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.home.mkdir()
    raw = json.dumps(v0_document()).encode()
    store.path.write_bytes(raw)
    data = store.load()
    assert data.migrated_from == 0 and data.schema_version == migrations.CURRENT
    assert [e["seq"] for e in data.events] == [1, 2, 3]
    assert data.events[2]["target"] == 1 and "target_index" not in data.events[2]
    assert store.path.read_bytes() == raw and store.backups() == []


def test_the_next_save_keeps_a_pre_migration_backup_that_never_rotates(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.home.mkdir()
    raw = json.dumps(v0_document()).encode()
    store.path.write_bytes(raw)
    with store.transaction() as data:
        data.events.append(log_event(4))
    assert json.loads(store.path.read_bytes())["schema_version"] == migrations.CURRENT
    append_logs(store, 8)
    tagged = [b for b in store.backups() if b.file.tag]
    assert [b.file.tag for b in tagged] == ["pre-migration-v0"]
    assert tagged[0].file.path.read_bytes() == raw and tagged[0].schema_version == 0


def test_migrations_run_in_order_and_a_missing_step_is_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def step(n: int) -> migrations.Migration:
        def run(doc: dict[str, Any]) -> dict[str, Any]:
            calls.append(n)
            return {**doc, "events": [*doc["events"], log_event(len(doc["events"]) + 1, n + 1)]}

        return run

    monkeypatch.setattr(migrations, "CURRENT", 3)
    monkeypatch.setattr(migrations, "MIGRATIONS", {0: migrations._v0_to_v1, 1: step(1), 2: step(2)})
    data = parse_store(json.dumps(v0_document()).encode(), tmp_path / "p.json")
    assert calls == [1, 2] and data.schema_version == 3 and data.migrated_from == 0
    assert [e.get("hours") for e in data.events[-2:]] == [2, 3]
    monkeypatch.setattr(migrations, "MIGRATIONS", {0: migrations._v0_to_v1, 2: step(2)})
    with pytest.raises(StoreCorrupt, match="no upgrade is known from schema 1"):
        parse_store(json.dumps(v0_document()).encode(), tmp_path / "p.json")


def test_a_v0_file_that_does_not_fit_its_version_is_damage(tmp_path: Path) -> None:
    doc = v0_document()
    doc["events"][2]["target_index"] = 7
    with pytest.raises(StoreCorrupt, match=r"\(schema 0\) cannot be upgraded"):
        parse_store(json.dumps(doc).encode(), tmp_path / "p.json")


# --------------------------------------------------------------------------- lock


def test_a_held_lock_makes_a_transaction_fail_cleanly(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 1)
    before = store.path.read_bytes()
    with FileLock(str(store.lock_path)), pytest.raises(StoreLocked, match="Another mlpath"):
        append_logs(store, 1)
    assert store.path.read_bytes() == before
    append_logs(store, 1)  # released: works again
    assert len(store.load().events) == 2


@pytest.mark.parametrize("value", ["abc", "-1", "inf", "nan"])
def test_bad_lock_timeout_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("MLPATH_LOCK_TIMEOUT", value)
    with pytest.raises(InputError, match="MLPATH_LOCK_TIMEOUT"):
        Store(tmp_path)


def test_stale_temp_files_of_a_killed_save_are_removed_under_the_lock(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    append_logs(store, 2)
    (store.home / ".progress.json.abc123.tmp").write_bytes(b"half")
    (store.backup_dir / ".progress-000009-x.json.k.tmp").write_bytes(b"half")
    assert store.load().events  # reading leaves them alone
    assert len(list(store.home.glob(".*.tmp"))) == 1
    append_logs(store, 1)
    assert not list(store.home.glob(".*.tmp")) and not list(store.backup_dir.glob(".*.tmp"))


def test_store_data_round_trips() -> None:
    data = StoreData(events=[log_event(1)])
    assert parse_store(json.dumps(data.to_json()).encode(), Path("x")).events == data.events


def test_a_version_1_store_upgrades_unchanged_apart_from_its_version() -> None:
    from mlpath.store import migrations as m

    doc = {"schema_version": 1, "events": [{"seq": 1, "type": "log", "topic": "t",
                                            "date": "2026-01-01", "hours": 1}]}  # fmt: skip
    upgraded = m.migrate(json.loads(json.dumps(doc)), 1)
    assert upgraded == {**doc, "schema_version": m.CURRENT} and doc["schema_version"] == 1
    assert m.MIGRATIONS[1](doc) == {**doc, "schema_version": 2}
