"""The validated-curriculum cache: keyed by a cryptographic hash, and never changes results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpath.domain.curriculum import bundled_path, load, parse
from mlpath.domain.jsonio import JsonTooDeep, deeper_than, loads
from mlpath.errors import CurriculumError
from tests.conftest import tiny_document


def _fields(c: Any) -> Any:
    return (
        c.title,
        c.phases,
        c.topics,
        c.schema_version,
        dict(c.renamed),
        [t.extra for t in c.topics],
    )


def test_cached_and_fresh_loads_are_identical_for_the_bundled_curriculum(tmp_path: Path) -> None:
    fresh = load(bundled_path())
    first = load(bundled_path(), cache_dir=tmp_path)
    cached = load(bundled_path(), cache_dir=tmp_path)
    assert list((tmp_path / "curricula").glob("*.json"))
    assert _fields(fresh) == _fields(first) == _fields(cached)


def test_coerced_values_are_the_same_on_every_run(tmp_path: Path) -> None:
    doc = tiny_document()
    doc["topics"][9]["optional"] = "false"  # pydantic coerces it to False
    doc["topics"][0]["hours"] = "3"
    doc["topics"][1]["title"] = "  Calculus  "
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc))
    runs = [load(path, cache_dir=tmp_path / "cache") for _ in range(3)]
    assert all(_fields(r) == _fields(runs[0]) for r in runs)
    assert runs[2].by_id["extra-reading"].optional is False
    assert runs[2].by_id["vectors"].hours == 3.0


def test_a_file_with_the_old_key_of_a_validated_one_is_validated(tmp_path: Path) -> None:
    """The key is BLAKE2b of the bytes: another file (same size, say) is never trusted."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(tiny_document()))
    load(good, cache_dir=tmp_path / "cache")
    bad_doc = tiny_document()
    del bad_doc["topics"][0]["title"]
    bad = tmp_path / "good.json"
    bad.write_text(json.dumps(bad_doc))
    with pytest.raises(CurriculumError, match="title"):
        load(bad, cache_dir=tmp_path / "cache")


def test_a_damaged_or_forged_cache_entry_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(tiny_document()))
    load(path, cache_dir=tmp_path / "cache")
    (entry,) = (tmp_path / "cache" / "curricula").glob("*.json")
    entry.write_text('{"blake2b": "nope", "validated": {}}')
    assert load(path, cache_dir=tmp_path / "cache").title == "Tiny ML"
    entry.write_text(json.dumps({"blake2b": entry.stem, "validated": {"title": 1}}))
    assert load(path, cache_dir=tmp_path / "cache").title == "Tiny ML"


texts = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=8).filter(
    lambda s: s.strip() != ""
)


@st.composite
def valid_curricula(draw: st.DrawFn) -> dict[str, Any]:
    doc = tiny_document()
    for t in doc["topics"]:
        t["title"] = draw(texts)
        t["hours"] = draw(st.one_of(st.integers(1, 50), st.floats(0.1, 50), st.just("2.5")))
        if draw(st.booleans()):
            t["optional"] = draw(st.sampled_from([True, False, "true", "false", 0, 1]))
        t["summary"] = draw(st.text(max_size=10).map(lambda s: f" {s} "))
    return doc


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=valid_curricula())
def test_cached_and_fresh_loads_are_identical_for_random_valid_curricula(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    raw = json.dumps(doc)
    path = tmp_path / "random.json"
    path.write_text(raw)
    fresh = parse(raw)
    first = load(path, cache_dir=tmp_path / "cache")
    cached = load(path, cache_dir=tmp_path / "cache")
    assert _fields(fresh) == _fields(first) == _fields(cached)


def test_lab_fields_are_plain_ids(tmp_path: Path) -> None:
    for lab in ("../../x", "/etc", "a/b", "Lab"):
        doc = tiny_document()
        doc["topics"][3]["lab"] = lab
        with pytest.raises(CurriculumError, match="lab"):
            parse(json.dumps(doc))


def test_lone_surrogates_are_refused_with_a_message() -> None:
    raw = json.dumps(tiny_document()).replace("Tiny ML", "Tiny \\ud800")
    with pytest.raises(CurriculumError, match="surrogate"):
        parse(raw)


def test_special_and_huge_files_are_refused_without_reading(tmp_path: Path) -> None:
    import os

    with pytest.raises(CurriculumError, match="not a regular file"):
        load(Path("/dev/zero"))
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(CurriculumError, match="not a regular file"):
        load(fifo)
    with pytest.raises(CurriculumError, match="folder"):
        load(tmp_path)


def test_nesting_is_decided_the_same_way_at_any_stack_depth() -> None:
    deep = ("[" * 300 + "]" * 300).encode()
    shallow = ("[" * 150 + "]" * 150).encode()
    assert deeper_than(deep, 200) and not deeper_than(shallow, 200)
    tricky = json.dumps({"s": ']]]]\\"[[' * 100, "a": [[[1]]]}).encode()
    assert not deeper_than(tricky, 200)

    def nested(n: int) -> Any:
        if n == 0:
            with pytest.raises(JsonTooDeep):
                loads(deep)
            return loads(shallow)
        return nested(n - 1)

    assert nested(0) == nested(800)
