"""Saves on a long history append to the file: the saved log is copied, never parsed or
re-encoded, and the new summary is the old one plus the new events. Whatever path a save
takes, the file is byte for byte what saving the whole log afresh writes."""

from __future__ import annotations

import json
import os
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.domain.progress import derive, extend, from_summary, new_event, summarize
from mlpath.errors import StoreError
from mlpath.store import stream
from mlpath.store.file import Store
from mlpath.store.format import StoreData, parse_document, serialize
from mlpath.store.log import EventLog, open_verified, scan

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
TOPICS = ["a", "b", "c", "d", "e"]
PROFILE = {"hours_per_week": 5, "start": "2026-01-01", "goals": [], "known": []}
PLAN = {
    "topics": ["a"],
    "weeks": [
        {
            "index": 1,
            "start": "2026-01-01",
            "end": "2026-01-07",
            "items": [{"topic": "a", "hours": 1}],
        }
    ],
    "total_hours": 1,
    "finish": "2026-01-07",
}

Event = dict[str, Any]


def _event(draw: st.DrawFn, events: list[Event]) -> Event | None:
    kind = draw(
        st.sampled_from(
            ["done", "log", "lab", "quiz", "review", "skip", "reopen", "placement", "plan"]
            + ["undone"] * 2
        )
    )
    day = (date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 60)))).isoformat()
    topic = draw(st.sampled_from(TOPICS))
    if kind == "undone":
        if not events:
            return None
        target = draw(st.sampled_from(events))["seq"]
        return new_event(events, "undone", NOW, target=target)
    if kind == "plan":
        return new_event(events, "plan", NOW, date=day, profile=PROFILE, plan=PLAN)
    if kind == "placement":
        known = draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True))
        return new_event(events, kind, NOW, date=day, known=known, evidence=known, asked=[])
    fields: dict[str, Any] = {"topic": topic, "date": day}
    if kind in ("done", "log"):
        fields["hours"] = draw(st.sampled_from([None, 0.25, 0.5, 1.5, 2.0, 0.1, 0.7]))
        if kind == "log" and fields["hours"] is None:
            fields["hours"] = 1.0
    if kind == "lab":
        fields["status"] = "passed"
    if kind == "quiz":
        score = draw(st.integers(0, 5))
        fields |= {"score": score, "total": 5, "percent": score * 20.0}
        fields |= {"passed": score >= 4, "questions": ["q"]}
    if kind == "review":
        fields |= {"reviewed_at": f"{day}T10:00:00+00:00", "rating": draw(st.integers(1, 4))}
        fields |= {"score": 1, "total": 2, "questions": ["q"], "seconds": 3.5}
    return new_event(events, kind, NOW, **fields)


@st.composite
def logs(draw: st.DrawFn, size: int = 40) -> list[Event]:
    events: list[Event] = []
    for _ in range(draw(st.integers(0, size))):
        e = _event(draw, events)
        if e is not None:
            events.append(e)
    return events


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value))


@settings(max_examples=300, deadline=None)
@given(events=logs(), cut=st.integers(0, 40))
def test_the_summary_plus_new_events_is_the_full_recount(events: list[Event], cut: int) -> None:
    """The incremental summary (stored summary, then each new event folded in) is the summary of
    counting the whole log again, whenever no new event is an undo."""
    cut = min(cut, len(events))
    head, rest = events[:cut], events[cut:]
    if any(e["type"] == "undone" for e in rest):
        rest = [e for e in rest if e["type"] != "undone"]
        events = head + rest
    stored = _json(summarize(derive(head)))  # as read back from the file
    state = from_summary(stored, lambda t: t)
    assert state is not None
    quick = summarize(extend(state, rest))
    assert json.dumps(quick) == json.dumps(summarize(derive(events)))


def _save_whole(home: Path, events: list[Event]) -> None:
    home.mkdir(parents=True, exist_ok=True)
    data = StoreData(profile=PROFILE, plan=PLAN, events=events)
    (home / "progress.json").write_bytes(serialize(data))


@settings(max_examples=60, deadline=None)
@given(events=logs(size=25), cut=st.integers(0, 25))
def test_appending_saves_write_what_a_whole_save_writes(
    tmp_path_factory: pytest.TempPathFactory, events: list[Event], cut: int
) -> None:
    """Event by event through transactions (undos included), the file stays byte for byte the
    file a save of the whole log writes."""
    home = tmp_path_factory.mktemp("home")
    cut = min(cut, len(events))
    _save_whole(home, events[:cut])
    store = Store(home)
    for e in events[cut:]:
        with store.transaction() as data:
            assert isinstance(data.events, EventLog)
            assert data.events[-1] == events[e["seq"] - 2] if e["seq"] > 1 else True
            data.events.append(e)
        expected = serialize(StoreData(profile=PROFILE, plan=PLAN, events=events[: e["seq"]]))
        assert (home / "progress.json").read_bytes() == expected
    assert store.load().events == events


def _long_store(home: Path, n: int) -> Path:
    events: list[Event] = []
    for i in range(n):
        day = (date(2024, 1, 1) + timedelta(days=i % 700)).isoformat()
        events.append(new_event(events, "log", NOW, topic=TOPICS[i % 5], date=day, hours=0.5))
    _save_whole(home, events)
    return home / "progress.json"


def _peak(fn: Any) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _save_peak(home: Path) -> int:
    store = Store(home)

    def save() -> None:
        with store.transaction() as data:
            data.events.append(new_event(data.events, "done", NOW, topic="a", date="2026-01-02"))

    return _peak(save)


def test_a_save_on_a_long_history_does_not_hold_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Appending one event allocates what the summary needs, not what the log holds: four times
    the events (over the same days) need no more memory, far less than the file's size
    (before: about 10 times the file's size, growing with it)."""
    monkeypatch.setattr(stream, "CHUNK", 1 << 16)
    small = _long_store(tmp_path / "small", 15_000)
    path = _long_store(tmp_path / "big", 60_000)
    size = path.stat().st_size
    peak_small, peak = _save_peak(small.parent), _save_peak(path.parent)
    assert peak < peak_small * 1.25 and peak < size / 2, (peak_small, peak, size)
    data = Store(path.parent).load()
    assert len(data.events) == 60_001 and data.events[-1]["type"] == "done"
    backup = next((path.parent / "progress.json.bak").iterdir())
    assert backup.stat().st_nlink == 1 and backup.stat().st_size == size  # the old file, linked


def _undo_and_check_peaks(home: Path, n: int) -> tuple[int, int, int]:
    path = _long_store(home, n)
    store = Store(home)

    def undo() -> None:
        from mlpath.domain.progress import last_undoable

        with store.transaction() as data:
            target = last_undoable(data.events)
            data.events.append(new_event(data.events, "undone", NOW, target=target["seq"]))

    def check() -> None:
        scanned = store.scan()
        assert scanned is not None and len(scanned.data.events) == n + 1
        derive(scanned.data.events)
        assert [b.events for b in store.backups()] == [n]

    peaks = (_peak(undo), _peak(check), path.stat().st_size)
    full = derive(parse_document(path.read_bytes()).events)
    assert derive(store.load().events) == full and len(full.logged) == 5
    return peaks


def test_undo_and_doctor_read_a_long_history_in_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting the log again (after an undo) and checking it (doctor, the backup listing)
    parse it an event at a time: the memory is the read window's and the state's."""
    monkeypatch.setattr(stream, "CHUNK", 1 << 16)  # both files span many windows
    peaks = [_undo_and_check_peaks(tmp_path / str(n), n) for n in (15_000, 60_000)]
    (undo_small, check_small, _), (undo_big, check_big, size) = peaks
    assert undo_big < undo_small * 1.25 and undo_big < size / 2, peaks
    assert check_big < check_small * 1.25 and check_big < size / 2, peaks


def test_a_store_without_a_log_tail_is_saved_whole_once(tmp_path: Path) -> None:
    """Files written before the log tail existed load and save as before; the save adds it."""
    events: list[Event] = []
    events.append(new_event(events, "log", NOW, topic="a", date="2026-01-02", hours=1.0))
    _save_whole(tmp_path, events)
    doc = json.loads((tmp_path / "progress.json").read_bytes())
    del doc["summary"]["log"], doc["summary"]["log_crc32"]
    (tmp_path / "progress.json").write_text(json.dumps(doc, separators=(",", ":")))
    assert open_verified(tmp_path / "progress.json", 1 << 30) is None
    store = Store(tmp_path)
    with store.transaction() as data:
        assert isinstance(data.events, list)
        data.events.append(new_event(data.events, "done", NOW, topic="a", date="2026-01-02"))
    opened = open_verified(tmp_path / "progress.json", 1 << 30)
    assert opened is not None
    os.close(opened.fd)


def test_an_undo_target_beyond_the_log_is_respected(tmp_path: Path) -> None:
    """A hand-made log may already revert an event not yet recorded: appending that event
    counts it as reverted, as a full recount does."""
    events: list[Event] = [new_event([], "log", NOW, topic="a", date="2026-01-02", hours=1.0)]
    events.append(new_event(events, "undone", NOW, target=3))
    _save_whole(tmp_path, events)
    store = Store(tmp_path)
    with store.transaction() as data:
        data.events.append(
            new_event(data.events, "log", NOW, topic="b", date="2026-01-02", hours=2)
        )
        assert "b" not in derive(list(data.events)).logged
    raw = (tmp_path / "progress.json").read_bytes()
    assert raw == serialize(
        StoreData(profile=PROFILE, plan=PLAN, events=parse_document(raw).events)
    )
    assert json.loads(raw)["summary"]["state"]["logged"] == {"a": 1.0}


def test_a_log_changed_during_the_save_is_not_saved_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _long_store(tmp_path, 10)
    before = path.read_bytes()
    real = stream.copy

    def tampered(fd: int, out: Any, start: int, end: int) -> int:
        return real(fd, out, start, end) + 1

    monkeypatch.setattr(stream, "copy", tampered)
    store = Store(tmp_path)
    with (
        pytest.raises(StoreError, match="changed by another program"),
        store.transaction() as data,
    ):
        data.events.append(new_event(data.events, "done", NOW, topic="a", date="2026-01-02"))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_the_event_log_is_append_only(tmp_path: Path) -> None:
    _long_store(tmp_path, 3)
    with Store(tmp_path).transaction() as data:
        log = data.events
        assert isinstance(log, EventLog) and len(log) == 3 and log[0]["seq"] == 1
        with pytest.raises(TypeError):
            log[0] = {}
        with pytest.raises(TypeError):
            del log[0]
        assert [e["seq"] for e in log] == [1, 2, 3]


def test_scan_refuses_what_the_full_parse_refuses(tmp_path: Path) -> None:
    """Any damage sends the check to the full parse, which words it."""
    path = _long_store(tmp_path, 5)
    good = path.read_bytes()
    assert scan(path, 1 << 30) is not None

    def last(old: bytes, new: bytes) -> bytes:  # in the log, after the summary
        before, _, after = good.rpartition(old)
        return before + new + after

    for bad in (
        last(b'"seq":3', b'"seq":1'),
        good[:-2] + b",]}",
        last(b'"hours":0.5}]', b'"hours":-1}]'),
        good[:-1] + b" x}",
        last(b'"type":"log"', b'"type":"nope"'),
        last(b'"topic":"a"', b'"topic":"\xff"'),
    ):
        path.write_bytes(bad)
        assert scan(path, 1 << 30) is None
        assert open_verified(path, 1 << 30) is None


def test_a_log_that_changes_while_it_is_read_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = _long_store(tmp_path, 5)
    with Store(tmp_path).transaction() as data:
        assert isinstance(data.events, EventLog)
        path.write_bytes(path.read_bytes() + b" ")  # another program, not holding the lock
        with pytest.raises(StoreError, match="changed while mlpath was reading it"):
            list(data.events)


@pytest.mark.parametrize("edit", [None, (b'"hours":0.5}]', b'"hours":2.5}]')])
def test_doctor_streaming_and_full_checks_agree(tmp_path: Path, edit: Any) -> None:
    """The summary check on a scanned log says what it says on the parsed file."""
    from mlpath.store.format import summary_mismatch, summary_problem

    path = _long_store(tmp_path, 50)
    if edit is not None:
        before, _, after = path.read_bytes().rpartition(edit[0])
        path.write_bytes(before + edit[1] + after)
    raw = path.read_bytes()
    scanned = Store(tmp_path).scan()
    assert scanned is not None and isinstance(scanned.data.events, EventLog)
    full = parse_document(raw)
    assert list(scanned.data.events) == full.events and scanned.data.events[-1] == full.events[-1]
    why = summary_mismatch(scanned.summary, scanned.data.events.derive())
    assert why == summary_problem(raw, full.events)
    assert (why is None) == (edit is None)
