"""The fast path must behave exactly like the Typer commands it stands in for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mlpath.cli.fast import parse


@pytest.mark.parametrize(
    "argv",
    [
        ["next", "--help"],
        ["next", "-h"],
        ["next", "extra"],
        ["next", "--bogus"],
        ["report", "--json", "--json"],
        ["done"],
        ["done", "a", "b"],
        ["done", "x", "--hours", "abc"],
        ["done", "x", "--hours"],
        ["done", "x", "--hours", "1", "--hours", "2"],
        ["plan", "--hours", "10"],
        [],
    ],
)
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert parse(argv) is None


def test_plain_forms_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLPATH_CURRICULUM", raising=False)
    assert parse(["next"]) == ("next", {"curriculum": None, "as_json": False})
    assert parse(["report", "--json", "--curriculum", "c.json"]) == (
        "report",
        {"curriculum": Path("c.json"), "as_json": True},
    )
    assert parse(["done", "vec", "--hours=2.5", "--date", "yesterday"]) == (
        "done",
        {"curriculum": None, "as_json": False, "topic": "vec", "hours": 2.5, "on": "yesterday"},
    )
    monkeypatch.setenv("MLPATH_CURRICULUM", "env.json")
    assert parse(["next"]) == ("next", {"curriculum": Path("env.json"), "as_json": False})


def _mlpath(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlpath", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_fast_path_output_matches_typer(  # type: ignore[no-untyped-def]
    cli, home: Path, tiny_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    env = {**os.environ, "MLPATH_CURRICULUM": str(tiny_path)}
    cli("plan", "--hours", "10")
    cli("done", "vectors", "--date", "2026-11-23")
    commands = [["next"], ["next", "--json"], ["report"], ["report", "--json"], ["week"]]
    for args in [*commands, ["week", "--json"]]:
        typer_run = cli(*args)
        for _ in range(2):  # rendered, then replayed from the kept screen (cli/screens.py)
            fast = _mlpath(*args, env=env)
            assert fast.returncode == typer_run.exit_code == 0
            assert fast.stdout == typer_run.stdout, args
    # done: Rich's console (Typer) and the plain writer (fast path, cli/plain.py), with
    # colour off (piped, NO_COLOR) and on (FORCE_COLOR), at several widths
    looks = [{}, {"NO_COLOR": ""}, {"NO_COLOR": "", "FORCE_COLOR": "1"}, {"FORCE_COLOR": "1"}]
    for look in looks:
        for columns in ("40", "120"):
            for args in (["done", "calc", "--hours", "2"], ["done", "regression"]):
                fast = _mlpath(*args, env={**env, **look, "COLUMNS": columns})
                assert fast.returncode == 0 and "Done: " in fast.stdout
                cli("undo")
                with monkeypatch.context() as mp:
                    for name, value in {**look, "COLUMNS": columns}.items():
                        mp.setenv(name, value)
                    typer_run = cli(*args)
                cli("undo")
                assert fast.stdout == typer_run.stdout, (look, columns, args)
                assert ("\x1b[" in fast.stdout) == ("FORCE_COLOR" in look)


def test_fast_path_errors_match_typer(home: Path, tiny_path: Path) -> None:
    import os

    env = {**os.environ, "MLPATH_CURRICULUM": str(tiny_path)}
    r = _mlpath("next", env=env)
    assert (
        r.returncode == 1
        and "There is no study plan yet" in r.stderr
        and "Traceback" not in r.stderr
    )
    r = _mlpath("done", "zzz", env=env)
    assert r.returncode == 1 and "No topic matches 'zzz'" in r.stderr
    r = _mlpath("done", "vectors", "--hours", "abc", env=env)  # left to Typer: usage error
    assert r.returncode == 2 and "Invalid value" in r.stderr
    assert not (home / "progress.json").exists()
