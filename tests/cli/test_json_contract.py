"""Every command's --json output matches the JSON Schema documented for it in docs/json.md."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from mlpath.cli.app import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "json.md"
SECTION = re.compile(r"^## `mlpath ([a-z ]+)`$.*?^```json\n(.*?)^```", re.M | re.S)
TYPES: dict[str, Any] = {
    "string": str,
    "boolean": bool,
    "null": type(None),
    "object": dict,
    "array": list,
}


def schemas() -> dict[str, Any]:
    return {name: json.loads(body) for name, body in SECTION.findall(DOC.read_text())}


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, TYPES[kind])


def problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """The ways ``value`` breaks ``schema`` (the subset of JSON Schema that docs/json.md uses)."""
    if "oneOf" in schema:
        fits = [s for s in schema["oneOf"] if not problems(value, s, where)]
        return [] if len(fits) == 1 else [f"{where}: matches {len(fits)} of oneOf"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in {schema['enum']}"]
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, k) for k in kinds):
            return [f"{where}: {type(value).__name__} is not {'/'.join(kinds)}"]
    out: list[str] = []
    if isinstance(value, dict):
        props = schema.get("properties", {})
        out += [f"{where}: missing {k!r}" for k in schema.get("required", []) if k not in value]
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                out += problems(item, props[key], f"{where}.{key}")
            elif extra is False:
                out.append(f"{where}: undocumented key {key!r}")
            elif isinstance(extra, dict):
                out += problems(item, extra, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            out += problems(item, schema["items"], f"{where}[{i}]")
    return out


def leaf_commands() -> dict[str, Any]:
    """Every command of the app by its full name, e.g. ``store list``."""
    out: dict[str, Any] = {}

    def walk(group: Any, prefix: str) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                walk(command, f"{prefix}{name} ")
            else:
                out[prefix + name] = command

    walk(typer.main.get_command(app), "")
    return out


def test_every_command_has_json_and_a_documented_schema() -> None:
    documented = schemas()
    for name, command in leaf_commands().items():
        options = {o for p in command.params for o in getattr(p, "opts", ())}
        assert "--json" in options, f"`mlpath {name}` has no --json"
        assert name in documented, f"`mlpath {name}` has no schema in docs/json.md"


def test_the_validator_rejects_what_it_should() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    assert problems({"a": 1}, schema) == []
    assert problems({"a": 1.5}, schema) and problems({}, schema) and problems([], schema)
    assert problems({"a": 1, "b": 2}, {**schema, "additionalProperties": False})


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MLPATH_LABS", str(tmp_path / "labs"))
    monkeypatch.setenv("MLPATH_TODAY", "2026-11-24")
    monkeypatch.delenv("MLPATH_CURRICULUM", raising=False)
    runner = CliRunner()
    documented = schemas()
    seen: set[str] = set()

    def invoke(name: str, *args: str, code: int = 0) -> Any:
        r = runner.invoke(app, [*name.split(), *args, "--json"], catch_exceptions=False)
        assert r.exit_code == code, r.output
        data = json.loads(r.stdout)
        assert problems(data, documented[name]) == [], (name, problems(data, documented[name]))
        seen.add(name)
        return data

    invoke.seen = seen  # type: ignore[attr-defined]
    return invoke


def test_every_command_output_matches_its_schema(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lab = "partial-derivatives-gradients"
    run("plan", "--hours", "6")
    run("next")
    run("done", "vectors", "--hours", "2")
    run("done", "vectors", "--hours", "2")  # already done: not recorded
    run("log", "matrices", "1.33")
    run("undo")
    run("show", "vectors")
    run("topics")
    run("report")
    run("lab", lab)
    run("check", lab, code=1)
    run("hint", lab)
    run("solution", lab, "--yes")
    run("export", "--format", "csv")
    run("export", "--format", "md", "-o", str(tmp_path / "plan.md"))
    run("graph", "--goal", "bayes-theorem")
    run("curriculum check")
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert run("curriculum check", str(bad), code=1)["ok"] is False
    run("curriculum schema")
    run("store list")
    run("store restore", "1", "--yes")
    run("doctor")
    run("week")
    run("history")
    run("skip", "python-basics")
    run("reopen", "python-basics")
    quiz = run("quiz", "matrices", "--seed", "3")
    answers = {q["id"]: ("A" if q.get("options") else 1) for q in quiz["questions"]}
    (tmp_path / "answers.json").write_text(json.dumps(answers))
    run("quiz", "matrices", "--seed", "3", "--answers", str(tmp_path / "answers.json"))
    run("questions check")
    run("questions schema")
    run("review")
    run("placement", "--seed", "1")
    assert run.seen == set(leaf_commands())  # type: ignore[attr-defined]


def test_plan_hours_are_exact_and_weeks_add_up(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = run("plan", "--hours", "6")
    for week in plan["weeks"][:-1]:
        assert sum(i["minutes"] for i in week["items"]) == 6 * 60
        assert sum(i["hours"] for i in week["items"]) == pytest.approx(6, abs=1e-9)
