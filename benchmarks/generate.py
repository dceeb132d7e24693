"""Seeded synthetic inputs for the benchmark: big curricula and long histories."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any


def curriculum(n_topics: int, seed: int = 7, mean_prereqs: int = 3) -> dict[str, Any]:
    """A valid curriculum of ``n_topics`` in 5 phases; each topic has ~3 earlier prerequisites."""
    rng = random.Random(seed)
    phases = [{"id": f"phase-{i}", "title": f"Phase {i}"} for i in range(5)]
    topics = []
    for i in range(n_topics):
        k = min(i, rng.randint(mean_prereqs - 1, mean_prereqs + 1))
        lo = max(0, i - 200)  # prerequisites come from the recent past, like a real syllabus
        prereqs = sorted({f"t{j}" for j in rng.sample(range(lo, i), k)}) if k else []
        topics.append(
            {
                "id": f"t{i}",
                "title": f"Topic {i}",
                "phase": phases[min(4, i * 5 // n_topics)]["id"],
                "summary": "A synthetic topic. It exists to be planned.",
                "objectives": ["Do one thing", "Do another thing", "Check both"],
                "prerequisites": prereqs,
                "hours": rng.choice([1, 2, 3, 4, 5, 6, 8]),
                "resources": [
                    {
                        "title": "Notes",
                        "url": f"https://example.org/t{i}",
                        "kind": "notes",
                        "section": None,
                        "free": True,
                    }
                ],
            }
        )
    return {
        "schema_version": 1,
        "title": f"Synthetic {n_topics}",
        "phases": phases,
        "topics": topics,
    }


def history(
    store: dict[str, Any], n_events: int, topic_ids: list[str], seed: int = 11
) -> dict[str, Any]:
    """``store`` with ``n_events`` log/done events appended (spread over the last three years)."""
    rng = random.Random(seed)
    events = list(store["events"])
    seq = events[-1]["seq"] if events else 0
    start = date(2023, 11, 24)
    stamp = datetime(2026, 11, 1, tzinfo=UTC).isoformat(timespec="seconds")
    done: set[str] = set()
    for i in range(n_events):
        seq += 1
        day = (start + timedelta(days=i * 1095 // n_events)).isoformat()
        tid = rng.choice(topic_ids)
        if tid not in done and rng.random() < 0.02:
            done.add(tid)
            events.append({"seq": seq, "type": "done", "at": stamp, "topic": tid, "date": day})
        else:
            events.append(
                {
                    "seq": seq,
                    "type": "log",
                    "at": stamp,
                    "topic": tid,
                    "date": day,
                    "hours": rng.choice([0.5, 1, 1.5, 2]),
                }
            )
    return {**store, "events": events}


def journey(store: dict[str, Any], topic_ids: list[str], seed: int = 13) -> dict[str, Any]:
    """``store`` (one plan) with a two-year history holding four re-plans: about an hour of
    study a day, topics finished in plan order, and a re-plan every ~5 months at new hours."""
    rng = random.Random(seed)
    events = list(store["events"])
    first = events[0]
    seq = events[-1]["seq"]
    start = date.fromisoformat(first["profile"]["start"]) - timedelta(days=730)
    stamp = datetime(2026, 11, 1, tzinfo=UTC).isoformat(timespec="seconds")
    first = {**first, "date": start.isoformat()}
    first["profile"] = {**first["profile"], "start": start.isoformat()}
    events = [first]
    replans = {146, 292, 438, 584}
    topic = 0
    for day in range(730):
        today = (start + timedelta(days=day)).isoformat()
        if day in replans:
            seq += 1
            profile = {**first["profile"], "start": today, "hours_per_week": rng.choice([4, 6, 8])}
            events.append({**first, "seq": seq, "date": today, "profile": profile})
        if rng.random() < 0.7 and topic < len(topic_ids):
            seq += 1
            hours = rng.choice([0.5, 1, 1.5, 2])
            events.append(
                {
                    "seq": seq,
                    "type": "log",
                    "at": stamp,
                    "topic": topic_ids[topic],
                    "date": today,
                    "hours": hours,
                }
            )
            if rng.random() < 0.2:
                seq += 1
                events.append(
                    {
                        "seq": seq,
                        "type": "done",
                        "at": stamp,
                        "topic": topic_ids[topic],
                        "date": today,
                    }
                )
                topic += 1
    return {**store, "events": events}


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, separators=(",", ":")))
    return path
