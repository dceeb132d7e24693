"""The stored summary must always agree with folding the full event log."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.domain.progress import derive, from_summary, new_event
from mlpath.errors import StoreCorrupt
from mlpath.store.file import Store
from mlpath.store.format import StoreData, read_summary, serialize

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
TOPICS = ["a", "b", "c", "d"]


@st.composite
def event_logs(draw: st.DrawFn) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from(["done", "log", "lab", "undone"]))
        day = date(2026, 1, 1).replace(day=draw(st.integers(1, 28))).isoformat()
        if kind == "undone":
            if not events:
                continue
            target = draw(st.sampled_from(events))["seq"]
            events.append(new_event(events, "undone", NOW, target=target))
        else:
            hours = draw(st.sampled_from([None, 0.5, 2.0])) if kind != "log" else 1.5
            events.append(
                new_event(
                    events,
                    kind,
                    NOW,
                    topic=draw(st.sampled_from(TOPICS)),
                    date=day,
                    hours=hours,
                    status="passed" if kind == "lab" else None,
                )
            )
    return events


@settings(max_examples=150, deadline=None)
@given(events=event_logs())
def test_summary_state_equals_the_fold_of_the_log(events: list[dict[str, object]]) -> None:
    raw = serialize(StoreData(events=events))
    quick = read_summary(raw)
    assert quick is not None and quick.events == []
    state = from_summary(quick.summary or {}, lambda t: t)
    full = derive(events)
    assert state == full
    assert json.loads(raw)["events"] == events  # still one plain JSON document


def _store_with_history(home: Path) -> Store:
    store = Store(home)
    with store.transaction() as data:
        for i in range(5):
            data.events.append(
                new_event(data.events, "log", NOW, topic="a", date="2026-11-20", hours=1)
            )
            data.events.append(
                new_event(data.events, "done", NOW, topic=TOPICS[i % 4], date="2026-11-21")
            )
    return store


def test_read_only_load_uses_the_summary_and_full_load_the_log(tmp_path: Path) -> None:
    store = _store_with_history(tmp_path)
    quick = store.load(events=False)
    assert quick.summary is not None and quick.events == []
    full = store.load()
    assert full.summary is None and len(full.events) == 10
    assert from_summary(quick.summary, lambda t: t) == derive(full.events)


def test_a_log_that_does_not_match_its_checksum_is_parsed_in_full(tmp_path: Path) -> None:
    store = _store_with_history(tmp_path)
    raw = store.path.read_bytes()
    i = raw.rfind(b'"hours":1')  # in the log itself, after the summary
    edited = raw[:i] + b'"hours":3' + raw[i + 9 :]  # valid JSON, a different log
    store.path.write_bytes(edited)
    data = store.load(events=False)
    assert data.summary is None and derive(data.events).logged["a"] == 7
    store.path.write_bytes(raw[: len(raw) - 40])  # truncated: the full parse reports damage
    with pytest.raises(StoreCorrupt, match="not valid JSON"):
        store.load(events=False)


def test_files_without_a_summary_still_load(tmp_path: Path) -> None:
    store = _store_with_history(tmp_path)
    doc = json.loads(store.path.read_bytes())
    del doc["summary"]
    store.path.write_text(json.dumps(doc, indent=2))  # e.g. a hand-edited, re-indented file
    data = store.load(events=False)
    assert data.summary is None and len(data.events) == 10


def test_renamed_topics_fall_back_to_the_full_fold() -> None:
    events: list[dict[str, object]] = []
    events.append(new_event(events, "done", NOW, topic="old-id", date="2026-11-20"))
    summary = read_summary(serialize(StoreData(events=events)))
    assert summary is not None and summary.summary is not None
    assert from_summary(summary.summary, lambda t: t) is not None
    assert from_summary(summary.summary, lambda t: "new-id" if t == "old-id" else t) is None


def test_cli_next_and_report_agree_with_and_without_the_summary(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "10")
    cli("done", "vectors")
    cli("log", "calculus", "2")
    fast_next, fast_report = cli("next", "--json").stdout, cli("report", "--json").stdout
    path = home / "progress.json"
    doc = json.loads(path.read_bytes())
    del doc["summary"]
    path.write_text(json.dumps(doc))
    assert cli("next", "--json").stdout == fast_next
    assert cli("report", "--json").stdout == fast_report
