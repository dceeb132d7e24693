"""Property tests through the command line: random command sequences against a model of
the expected state, random command lines, random store files and random curricula.

Every example runs in its own home folder. os.fsync is a no-op here (speed; durability is
tested with real processes in test_reliability.py).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from mlpath.cli.app import app
from mlpath.domain.progress import derive
from mlpath.domain.schema import validate_document
from mlpath.domain.text import clean
from mlpath.errors import NoPlan
from mlpath.store.file import Store
from mlpath.store.format import Damaged, TooNew, parse_document
from tests.conftest import TODAY, tiny_document
from tests.domain.test_curriculum import json_values, mutated_documents

TOPICS = [t["id"] for t in tiny_document()["topics"]]
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("props")
    (root / "tiny.json").write_text(json.dumps(tiny_document()))
    real_fsync = os.fsync
    os.fsync = lambda fd: None  # restored below; monkeypatch is function-scoped
    try:
        yield root
    finally:
        os.fsync = real_fsync


@contextmanager
def fresh_home(workdir: Path, template: Path | None = None) -> Iterator[Path]:
    home = Path(tempfile.mkdtemp(dir=workdir)) / "home"
    if template is not None:
        shutil.copytree(template, home)
    try:
        yield home
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)


def run(home: Path, workdir: Path, args: list[str], input: str | None = None) -> Result:
    env = {
        "MLPATH_HOME": str(home),
        "MLPATH_CURRICULUM": str(workdir / "tiny.json"),
        "MLPATH_TODAY": TODAY.isoformat(),
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "MLPATH_LOCK_TIMEOUT": "5",
    }
    cwd = os.getcwd()
    os.chdir(workdir)  # relative output names (`-o 0.004`) land in the test's folder
    try:
        return CliRunner().invoke(app, args, env=env, input=input)
    finally:
        os.chdir(cwd)


def assert_clean(r: Result, args: list[str]) -> None:
    """No traceback, no unexpected exception, a documented exit code."""
    assert r.exception is None or isinstance(r.exception, SystemExit), (args, repr(r.exception))
    assert r.exit_code in (0, 1, 2), (args, r.exit_code, r.output)
    assert "Traceback" not in r.output, (args, r.output)


@pytest.fixture(scope="module")
def template(workdir: Path) -> Path:
    """A home with a plan, two topics done and some time logged."""
    home = workdir / "template"
    for args in (
        ["plan", "--hours", "10"],
        ["done", "vectors", "--hours", "2"],
        ["log", "calculus", "1.5"],
        ["done", "calculus"],
    ):
        assert run(home, workdir, args).exit_code == 0
    return home


# --------------------------------------------------------------------------- model-based

HOURS = st.sampled_from(["1", "2.5", "0.25", "0", "-1", "101", "abc"])
OPS = st.one_of(
    st.tuples(st.just("done"), st.sampled_from(TOPICS), st.one_of(st.none(), HOURS)),
    st.tuples(st.just("log"), st.sampled_from(TOPICS), HOURS),
    st.tuples(st.just("plan"), st.sampled_from([None, "6", "10", "0.1"])),
    st.tuples(st.just("undo")),
)


def _hours_ok(text: str) -> bool:
    try:
        return 0 < float(text) <= 100
    except ValueError:
        return False


NO_PLAN_EXIT = NoPlan().exit_code


class Model:
    """The expected state: a stack of effective changes (undo pops the latest)."""

    def __init__(self) -> None:
        self.stack: list[tuple[Any, ...]] = []

    @property
    def done(self) -> set[str]:
        return {e[1] for e in self.stack if e[0] == "done"}

    @property
    def logged(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for e in self.stack:
            if e[0] in ("done", "log") and e[2]:
                out[e[1]] = round(out.get(e[1], 0.0) + e[2], 2)
        return out

    @property
    def has_plan(self) -> bool:
        return any(e[0] == "plan" for e in self.stack)

    def apply(self, op: tuple[Any, ...]) -> tuple[list[str], int]:
        """The argv for ``op`` and its expected exit status; updates the model on success."""
        kind = op[0]
        if kind == "done":
            _, topic, hours = op
            args = ["done", topic] + (["--hours", hours] if hours is not None else [])
            if hours is not None and not _hours_ok(hours):
                return args, 2
            if topic not in self.done:
                self.stack.append(("done", topic, float(hours) if hours else 0.0))
            return args, 0
        if kind == "log":
            _, topic, hours = op
            if not _hours_ok(hours):
                return ["log", topic, hours], 2
            self.stack.append(("log", topic, float(hours)))
            return ["log", topic, hours], 0
        if kind == "plan":
            hours = op[1]
            args = ["plan"] + (["--hours", hours] if hours is not None else [])
            if hours is None:  # prints the saved plan and writes nothing
                return args, (0 if self.has_plan else NO_PLAN_EXIT)
            if float(hours) < 0.5:
                return args, 2
            self.stack.append(("plan",))
            return args, 0
        if not self.stack:
            return ["undo"], 1
        self.stack.pop()
        return ["undo"], 0


@settings(SETTINGS, max_examples=30)
@given(ops=st.lists(OPS, max_size=10))
def test_random_command_sequences_match_the_model(
    workdir: Path, ops: list[tuple[Any, ...]]
) -> None:
    model = Model()
    with fresh_home(workdir) as home:
        for op in ops:
            before = (
                (home / "progress.json").read_bytes() if (home / "progress.json").exists() else None
            )
            args, expected = model.apply(op)
            r = run(home, workdir, args)
            assert_clean(r, args)
            assert r.exit_code == expected, (args, r.output)
            data = Store(home).load()
            if expected != 0 or args == ["plan"]:
                after = (
                    (home / "progress.json").read_bytes()
                    if (home / "progress.json").exists()
                    else None
                )
                assert after == before, args
            state = derive(data.events)
            assert set(state.done) == model.done
            assert {k: round(v, 2) for k, v in state.logged.items()} == model.logged
            assert (data.plan is not None) == model.has_plan
            assert (data.profile is not None) == model.has_plan


# --------------------------------------------------------------------------- random argv

COMMANDS = [
    [],
    ["plan"],
    ["next"],
    ["done"],
    ["log"],
    ["undo"],
    ["show"],
    ["topics"],
    ["report"],
    ["curriculum"],
    ["curriculum", "check"],
    ["curriculum", "schema"],
    ["store"],
    ["store", "list"],
    ["store", "restore"],
    ["doctor"],
]
OPTIONS = [
    "--hours",
    "--date",
    "--goal",
    "--known",
    "--track",
    "--strategy",
    "--start",
    "--phase",
    "--json",
    "--yes",
    "-y",
    "--curriculum",
    "--help",
    "-h",
    "--",
    "-",
    "--nope",
]
VALUES = [
    "10",
    "0",
    "-1",
    "nan",
    "inf",
    "1e309",
    "abc",
    "",
    " ",
    "today",
    "yesterday",
    "2026-01-01",
    "9999-12-31",
    "0001-01-01",
    "vectors",
    "c",
    "all",
    "pytorch",
    "jax",
    "phases",
    "just-in-time",
    "math",
    "1",
    "2",
    "999",
    "\x00",
    "é",
    ".",
    "/",
    "~",
]
TOKENS = st.one_of(
    st.sampled_from(OPTIONS), st.sampled_from(VALUES), st.sampled_from(TOPICS), st.text(max_size=6)
)


@settings(SETTINGS, max_examples=100)
@given(command=st.sampled_from(COMMANDS), rest=st.lists(TOKENS, max_size=5))
def test_random_command_lines_never_crash(
    workdir: Path, template: Path, command: list[str], rest: list[str]
) -> None:
    args = [*command, *rest]
    with fresh_home(workdir, template) as home:
        r = run(home, workdir, args, input="")
        assert_clean(r, args)
        Store(home).load()  # whatever happened, the store still loads


# --------------------------------------------------------------------------- random store files


@st.composite
def damaged_stores(draw: st.DrawFn, base: dict[str, Any]) -> Any:
    doc = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["top", "event", "profile", "plan"]))
        if where == "top":
            doc[draw(st.sampled_from(["schema_version", "events", "profile", "plan"]))] = draw(
                json_values
            )
        elif where == "event" and isinstance(doc.get("events"), list) and doc["events"]:
            e = draw(st.sampled_from(doc["events"]))
            if isinstance(e, dict):
                e[
                    draw(st.sampled_from(["seq", "type", "at", "topic", "date", "hours", "target"]))
                ] = draw(json_values)
        elif isinstance(doc.get(where), dict):
            key = draw(
                st.sampled_from(
                    [
                        "hours_per_week",
                        "start",
                        "goals",
                        "known",
                        "track",
                        "strategy",
                        "topics",
                        "weeks",
                        "total_hours",
                        "finish",
                    ]
                )
            )
            doc[where][key] = draw(json_values)
    return doc


READ_OR_WRITE = [
    ["next"],
    ["report", "--json"],
    ["topics"],
    ["show", "vectors"],
    ["done", "regression"],
    ["log", "probability", "1"],
    ["undo"],
    ["plan"],
    ["doctor"],
    ["store", "list"],
]


@settings(SETTINGS, max_examples=100)
@given(data=st.data(), args=st.sampled_from(READ_OR_WRITE))
def test_any_store_file_loads_and_works_or_is_refused_untouched(
    workdir: Path, template: Path, data: st.DataObject, args: list[str]
) -> None:
    base = json.loads((template / "progress.json").read_bytes())
    doc = data.draw(damaged_stores(base))
    raw = json.dumps(doc).encode()
    try:
        parse_document(raw)
        accepted = True
    except (Damaged, TooNew):
        accepted = False
    with fresh_home(workdir, template) as home:
        (home / "progress.json").write_bytes(raw)
        r = run(home, workdir, args)
        assert_clean(r, args)
        if not accepted:
            assert (home / "progress.json").read_bytes() == raw
            if args != ["store", "list"]:  # listing backups is how one recovers
                assert r.exit_code == 1 and "progress store" in r.output


# --------------------------------------------------------------------------- random curricula


@settings(SETTINGS, max_examples=60)
@given(
    doc=st.one_of(json_values, mutated_documents()),
    args=st.sampled_from(
        [["curriculum", "check"], ["next"], ["plan", "--hours", "10"], ["doctor"]]
    ),
)
def test_any_curriculum_file_is_used_or_every_problem_is_listed(
    workdir: Path, doc: Any, args: list[str]
) -> None:
    path = Path(tempfile.mkdtemp(dir=workdir)) / "c.json"
    path.write_text(json.dumps(doc))
    with fresh_home(workdir) as home:
        r = run(home, workdir, [*args, "--curriculum", str(path)])
    assert_clean(r, args)
    _, problems = validate_document(doc)
    if problems and args[0] == "curriculum":
        assert r.exit_code == 1
        flat = "".join(r.output.split())
        for p in problems:  # printed as plain text: control characters replaced
            assert "".join(clean(p).split()) in flat, p


# --------------------------------------------------------------------------- hostile options

EVERY_COMMAND = [
    ["plan"],
    ["next"],
    ["done", "vectors"],
    ["log", "vectors"],
    ["undo"],
    ["show", "vectors"],
    ["topics"],
    ["report"],
    ["curriculum", "check"],
    ["store", "list"],
    ["store", "restore"],
    ["doctor"],
    ["export", "--format", "ics"],
    ["export", "--format", "md"],
    ["export", "--format", "csv"],
    ["export", "--format", "json"],
    ["export", "--format", "html"],
    ["graph"],
    ["lab", "regression"],
    ["check", "regression"],
    ["hint", "regression"],
    ["solution", "regression"],
]
HOSTILE_OPTIONS = [
    "--hours",
    "--date",
    "--start",
    "--goal",
    "--known",
    "--track",
    "--strategy",
    "--phase",
    "--timeout",
    "--tz",
    "--time",
    "--days",
    "--output",
    "-o",
    "--curriculum",
    "--dir",
    "--level",
    "--format",
]
HOSTILE_VALUES = [
    "inf",
    "-inf",
    "nan",
    "1e308",
    "-1e308",
    "1e-308",
    "0.004",
    "9999-12-31",
    "0001-01-01",
    "9998-01-01",
    "10000-01-01",
    "yesterday",
    "x" * 300,
    "é" * 300,
    "/dev/zero",
    "/dev/null",
    "/dev/full",
    "{fifo}",
    "{home}",
    "{home}/progress.json",
    "\x1b[2J",
    "[/]",
    "\udcff",  # what Python makes of an invalid byte in argv
    "99999999999999999999",
    "-0",
    "",
]


@settings(SETTINGS, max_examples=120)
@given(
    command=st.sampled_from(EVERY_COMMAND),
    rest=st.lists(
        st.tuples(st.sampled_from(HOSTILE_OPTIONS), st.sampled_from(HOSTILE_VALUES)), max_size=3
    ),
    positional=st.one_of(st.none(), st.sampled_from(HOSTILE_VALUES)),
)
def test_hostile_options_never_crash_and_never_change_the_store(
    workdir: Path,
    template: Path,
    command: list[str],
    rest: list[tuple[str, str]],
    positional: str | None,
) -> None:
    with fresh_home(workdir, template) as home:
        fifo = home.parent / "fifo"
        if not fifo.exists():
            os.mkfifo(fifo)
        sub = {"{fifo}": str(fifo), "{home}": str(home)}

        def fill(v: str) -> str:
            for k, real in sub.items():
                v = v.replace(k, real)
            return v

        args = [*command] + ([fill(positional)] if positional is not None else [])
        for option, value in rest:
            args += [option, fill(value)]
        before = (home / "progress.json").read_bytes()
        r = run(home, workdir, args, input="")
        assert_clean(r, args)
        if r.exit_code != 0:
            assert (home / "progress.json").read_bytes() == before, args
        Store(home).load()
