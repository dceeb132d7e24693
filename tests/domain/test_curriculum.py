from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.domain.curriculum import Curriculum, bundled_path, load, parse
from mlpath.domain.schema import find_cycle, json_schema, validate_document
from mlpath.errors import AmbiguousTopic, CurriculumError, TopicNotFound
from tests.conftest import tiny_document, topic


def problems_of(doc: Any) -> list[str]:
    _, problems = validate_document(doc)
    return problems


def test_tiny_document_is_valid(tiny_doc: dict[str, Any]) -> None:
    assert problems_of(tiny_doc) == []


def test_every_problem_is_reported_at_once_naming_topic_and_field(tiny_doc: dict[str, Any]) -> None:
    t = tiny_doc["topics"]
    t[1]["prerequisites"] = ["ghost"]  # unknown prerequisite
    t[2]["phase"] = "nowhere"  # unknown phase
    t[3]["hours"] = 0  # non-positive hours
    t[4]["title"] = "  "  # empty title
    t.append(dict(t[0]))  # duplicate id
    t[0]["prerequisites"] = ["networks"]  # cycle vectors -> networks -> ... -> vectors
    problems = problems_of(tiny_doc)
    text = "\n".join(problems)
    assert "topic 'calculus': field 'prerequisites': unknown topic 'ghost'" in text
    assert "topic 'probability': field 'phase': unknown phase 'nowhere'" in text
    assert "topic 'regression': field 'hours'" in text
    assert "topic 'classification': field 'title'" in text
    assert "topic 'vectors': field 'id': duplicate id" in text
    assert "cycle" in text and "vectors" in text and "networks" in text
    assert len(problems) >= 6


def test_track_mixing_is_rejected(tiny_doc: dict[str, Any]) -> None:
    tiny_doc["topics"][7]["prerequisites"] = [
        "torch"
    ]  # keras (tensorflow) requires torch (pytorch)
    assert any("tensorflow topic cannot require" in p for p in problems_of(tiny_doc))


@pytest.mark.parametrize(
    "doc",
    [
        None,
        [],
        "x",
        3,
        {"topics": "no"},
        {"title": "t", "phases": []},
        {"title": "t", "phases": [{"id": "a", "title": "A"}], "topics": [3, None]},
    ],
)
def test_garbage_documents_give_problems_not_tracebacks(doc: Any) -> None:
    assert problems_of(doc)


def test_cycle_is_printed_as_a_path() -> None:
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b"], "b": []}) is None


def test_parse_raises_curriculum_error_listing_problems(tiny_doc: dict[str, Any]) -> None:
    tiny_doc["topics"][1]["prerequisites"] = ["ghost"]
    with pytest.raises(CurriculumError) as info:
        parse(json.dumps(tiny_doc), "custom.json")
    assert "custom.json has 1 problem" in str(info.value)
    assert info.value.problems == ["topic 'calculus': field 'prerequisites': unknown topic 'ghost'"]
    with pytest.raises(CurriculumError, match="not valid JSON"):
        parse("{", "broken.json")


def test_unknown_fields_are_kept(tiny_doc: dict[str, Any]) -> None:
    tiny_doc["topics"][0]["quiz"] = {"q": 1}
    c = parse(json.dumps(tiny_doc))
    assert c.by_id["vectors"].extra == {"quiz": {"q": 1}}
    assert c.by_id["regression"].lab == "linear-regression-gd"


def test_load_caches_validated_hashes(tmp_path: Path, tiny_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load(tiny_path, cache_dir=cache)
    assert list((cache / "curricula").glob("*.json"))
    again = load(tiny_path, cache_dir=cache)
    assert again == first
    # an edited file is validated again and its problems reported
    doc = tiny_document()
    doc["topics"][0]["hours"] = -1
    tiny_path.write_text(json.dumps(doc))
    with pytest.raises(CurriculumError, match="hours"):
        load(tiny_path, cache_dir=cache)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CurriculumError, match="not found"):
        load(tmp_path / "nope.json")


def test_find_by_id_prefix_title_and_errors(tiny: Curriculum) -> None:
    assert tiny.find("REGRESSION").id == "regression"
    assert tiny.find("Extra Reading").id == "extra-reading"
    assert tiny.find("netw").id == "networks"
    with pytest.raises(AmbiguousTopic) as amb:
        tiny.find("c")
    assert set(amb.value.candidates) == {"calculus", "classification"}
    with pytest.raises(TopicNotFound) as nf:
        tiny.find("regresion")
    assert "regression" in nf.value.suggestions


def test_renamed_ids_resolve(tiny_doc: dict[str, Any]) -> None:
    tiny_doc["renamed"] = {"linear-algebra": "vectors"}
    c = parse(json.dumps(tiny_doc))
    assert c.canonical_id("linear-algebra") == "vectors"
    assert c.find("linear-algebra").id == "vectors"
    tiny_doc["renamed"] = {"x": "ghost"}
    assert any("renames to unknown topic" in p for p in problems_of(tiny_doc))


def test_json_schema_names_the_public_fields() -> None:
    schema = json_schema()
    topic_props = schema["$defs"]["TopicModel"]["properties"]
    for f in (
        "id",
        "title",
        "phase",
        "summary",
        "objectives",
        "prerequisites",
        "hours",
        "resources",
        "track",
        "optional",
    ):
        assert f in topic_props
    assert set(schema["properties"]) >= {"schema_version", "title", "phases", "topics"}


def test_bundled_curriculum_is_valid() -> None:
    c = parse(bundled_path().read_bytes(), "bundled")
    assert len(c.topics) >= 15


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    doc = tiny_document()
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from(["top", "topic", "resource"]))
        if target == "top":
            doc[
                draw(st.sampled_from(["title", "phases", "topics", "schema_version", "renamed"]))
            ] = draw(json_values)
        elif target == "topic" and isinstance(doc.get("topics"), list) and doc["topics"]:
            t = draw(st.sampled_from(doc["topics"]))
            if isinstance(t, dict):
                t[draw(st.sampled_from([*topic("x", "math"), "track", "optional"]))] = draw(
                    json_values
                )
        elif (
            isinstance(doc.get("topics"), list)
            and doc["topics"]
            and isinstance(doc["topics"][0], dict)
        ):
            doc["topics"][0]["resources"] = [draw(json_values)]
    return doc


@settings(max_examples=300, deadline=None)
@given(doc=st.one_of(json_values, mutated_documents()))
def test_any_json_gives_a_curriculum_or_a_list_of_problems(doc: Any) -> None:
    try:
        c = parse(json.dumps(doc))
    except CurriculumError as exc:
        assert exc.problems or "not valid JSON" in str(exc)
    else:
        assert c.topics
