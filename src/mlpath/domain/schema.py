"""The curriculum's public file format, as pydantic models, and its validation.

Field names are a public contract: custom curricula and other tools use them.
:func:`validate_document` checks a parsed JSON document and returns *every*
problem it finds, each naming the topic and the field, instead of stopping at
the first. Unknown extra fields are allowed everywhere (later features add
``lab``, quizzes...).
"""

from __future__ import annotations

import re
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SCHEMA_VERSION = 1
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ID_RE = re.compile(ID_PATTERN)


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


class ResourceModel(_Model):
    title: str = Field(min_length=1)
    url: str = Field(min_length=1)
    kind: str = "article"
    section: str | None = None
    free: bool = True


class PhaseModel(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)


class TopicModel(_Model):
    id: str = Field(pattern=ID_PATTERN, description="kebab-case, unique; progress refers to it")
    title: str = Field(min_length=1)
    phase: str = Field(min_length=1, description="a phase id")
    summary: str = ""
    objectives: list[str] = Field(default_factory=list)
    prerequisites: list[str] = Field(default_factory=list, description="topic ids")
    hours: float = Field(gt=0, le=10_000, description="estimated beginner study hours")
    resources: list[ResourceModel] = Field(default_factory=list)
    track: Literal["pytorch", "tensorflow"] | None = None
    optional: bool = False
    lab: str | None = Field(
        default=None, pattern=ID_PATTERN, description="a lab id (a folder of mlpath's labs)"
    )

    @field_validator("prerequisites")
    @classmethod
    def _unique_prerequisites(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists a prerequisite twice")
        return value


class CurriculumModel(_Model):
    schema_version: int = SCHEMA_VERSION
    title: str = Field(min_length=1)
    phases: list[PhaseModel] = Field(min_length=1)
    topics: list[TopicModel] = Field(min_length=1)
    renamed: dict[str, str] = Field(
        default_factory=dict, description="old topic id -> new topic id; progress follows renames"
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a curriculum file."""
    return CurriculumModel.model_json_schema()


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _errors(exc: ValidationError, where: str) -> list[str]:
    out = []
    for err in exc.errors():
        field = _loc(err["loc"]) or "(whole object)"
        msg = err["msg"]
        if err["type"] == "string_pattern_mismatch":
            msg = "must be kebab-case (lowercase letters, digits and single dashes)"
        out.append(f"{where}: field '{field}': {msg}")
    return out


def _topic_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return f"topic '{raw['id']}'"
    return f"topic #{index + 1}"


def validate_document(doc: Any) -> tuple[CurriculumModel | None, list[str]]:
    """Validate a parsed curriculum document.

    Returns the model (or None) and the list of every problem found. Each
    topic is validated on its own so that one bad topic does not hide the
    problems of the others; graph checks (unknown prerequisites, cycles,
    duplicate ids, unknown phases, track mixing) run on the topics that parsed.
    """
    if not isinstance(doc, dict):
        return None, [f"the file must hold a JSON object, not {type(doc).__name__}"]
    problems: list[str] = []
    version = doc.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        problems.append(
            f"schema_version {version} is newer than this mlpath understands ({SCHEMA_VERSION}); "
            "upgrade mlpath"
        )
    raw_topics = doc.get("topics")
    topics: list[TopicModel] = []
    if isinstance(raw_topics, list):
        for i, raw in enumerate(raw_topics):
            try:
                topics.append(TopicModel.model_validate(raw))
            except ValidationError as exc:
                problems += _errors(exc, _topic_label(raw, i))
    shell = {k: v for k, v in doc.items() if k != "topics"}
    shell["topics"] = [{"id": "x", "title": "x", "phase": "x", "hours": 1}]
    try:
        top = CurriculumModel.model_validate(shell)
    except ValidationError as exc:
        problems += _errors(exc, "curriculum")
        top = None
    if raw_topics is None:
        problems.append("curriculum: field 'topics': Field required")
    elif not isinstance(raw_topics, list):
        problems.append("curriculum: field 'topics': must be a list of topic objects")
    elif not raw_topics:
        problems.append("curriculum: field 'topics': must hold at least one topic")
    phase_ids = {p.id for p in top.phases} if top else None
    nodes = [_node(raw) for raw in raw_topics] if isinstance(raw_topics, list) else []
    problems += graph_problems([n for n in nodes if n is not None], phase_ids)
    if top is not None:
        known = {t.id for t in topics}
        for old, new in top.renamed.items():
            if new not in known:
                problems.append(
                    f"curriculum: field 'renamed.{old}': renames to unknown topic '{new}'"
                )
            if old in known:
                problems.append(f"curriculum: field 'renamed.{old}': old id is still a topic")
    if problems or top is None:
        return None, problems
    return top.model_copy(update={"topics": topics}), []


class _Node(NamedTuple):
    """What the graph checks need of a topic, read leniently so that a topic with
    an unrelated problem (say, an empty title) still takes part in them."""

    id: str
    phase: str | None
    prerequisites: list[str]
    track: str | None


def _node(raw: Any) -> _Node | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    prereqs = raw.get("prerequisites", [])
    phase, track = raw.get("phase"), raw.get("track")
    return _Node(
        raw["id"],
        phase if isinstance(phase, str) else None,
        [p for p in prereqs if isinstance(p, str)] if isinstance(prereqs, list) else [],
        track if isinstance(track, str) else None,
    )


def graph_problems(topics: list[_Node], phase_ids: set[str] | None) -> list[str]:
    """Problems of the prerequisite graph: duplicates, unknown ids or phases, cycles, tracks."""
    problems: list[str] = []
    by_id: dict[str, _Node] = {}
    for t in topics:
        if t.id in by_id:
            problems.append(
                f"topic '{t.id}': field 'id': duplicate id (also used by an earlier topic)"
            )
        by_id.setdefault(t.id, t)
        if phase_ids is not None and t.phase is not None and t.phase not in phase_ids:
            problems.append(f"topic '{t.id}': field 'phase': unknown phase '{t.phase}'")
    for t in topics:
        for p in t.prerequisites:
            if p == t.id:
                problems.append(f"topic '{t.id}': field 'prerequisites': lists itself")
            elif p not in by_id:
                problems.append(f"topic '{t.id}': field 'prerequisites': unknown topic '{p}'")
            elif t.track and by_id[p].track and by_id[p].track != t.track:
                problems.append(
                    f"topic '{t.id}': field 'prerequisites': a {t.track} topic cannot require "
                    f"the {by_id[p].track} topic '{p}'"
                )
    cycle = find_cycle(
        {t.id: [p for p in t.prerequisites if p in by_id and p != t.id] for t in by_id.values()}
    )
    if cycle:
        problems.append(f"topic '{cycle[0]}': field 'prerequisites': cycle " + " -> ".join(cycle))
    return problems


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """Return one cycle as a list of ids (first == last), or None. Iterative DFS."""
    color: dict[str, int] = {}
    for root in graph:
        if root in color:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        color[root] = 1
        while stack:
            node, i = stack[-1]
            edges = graph.get(node, [])
            if i < len(edges):
                stack[-1] = (node, i + 1)
                nxt = edges[i]
                state = color.get(nxt, 0)
                if state == 1:
                    return [*path[path.index(nxt) :], nxt]
                if state == 0:
                    color[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                color[node] = 2
                stack.pop()
                path.pop()
    return None


def is_valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))
