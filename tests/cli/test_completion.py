"""Shell completion: topic ids (with titles) through Click's completion machinery, and a fast
path that prints exactly what that machinery prints from the full app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer.main
from typer._completion_classes import completion_init
from typer.completion import shell_complete

from mlpath.cli.app import app
from mlpath.cli.completion import fast_complete

VAR = "_MLPATH_COMPLETE"


def request(shell: str, line: str) -> dict[str, str]:
    """The environment a shell's completion script sets for ``line`` (cursor at its end)."""
    env = {"_MLPATH_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        words = line.split()
        if line.endswith(" "):
            words.append("")
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return env


def through_click(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys) -> str:  # type: ignore[no-untyped-def]
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    completion_init()
    root = typer.main.get_command(app)
    assert shell_complete(root, {}, "mlpath", VAR, env[VAR]) == 0
    return str(capsys.readouterr().out)


def fast(env: dict[str, str], capsys) -> str | None:  # type: ignore[no-untyped-def]
    status = fast_complete({**os.environ, **env})
    return None if status is None else str(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path))
    monkeypatch.delenv("MLPATH_CURRICULUM", raising=False)


@pytest.mark.parametrize("command", ["done", "log", "show", "lab", "check", "hint", "solution"])
def test_topic_commands_complete_ids(command: str, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    out = through_click(request("bash", f"mlpath {command} linear-"), monkeypatch, capsys)
    assert out.split() == ["linear-systems", "linear-transformations", "linear-regression"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize(
    "line",
    ["mlpath done line", "mlpath show ", "mlpath check grad", "mlpath plan --hours 5 --goal trans",
     "mlpath graph --goal bayes", "mlpath log zzz"],
)  # fmt: skip
def test_fast_path_prints_what_click_prints(shell: str, line: str, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    env = request(shell, line)
    quick = fast(env, capsys)
    assert quick is not None
    assert quick == through_click(env, monkeypatch, capsys)


def test_titles_are_shown_beside_ids(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    zsh = through_click(request("zsh", "mlpath show bayes"), monkeypatch, capsys)
    assert '"bayes-theorem":"Bayes\'\' theorem"' in zsh
    fish = through_click(request("fish", "mlpath done bayes"), monkeypatch, capsys)
    assert fish == "bayes-theorem\tBayes' theorem\n"


@pytest.mark.parametrize(
    "line",
    ["mlpath ", "mlpath do", "mlpath done --", "mlpath log vectors ", "mlpath plan --hours "],
)
def test_everything_else_is_left_to_typer(line: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert fast(request("bash", line), capsys) is None


def test_the_app_installs_completion_for_bash_zsh_and_fish(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    for shell in ("bash", "zsh", "fish"):
        monkeypatch.setenv("_MLPATH_COMPLETE", f"source_{shell}")
        completion_init()
        shell_complete(typer.main.get_command(app), {}, "mlpath", VAR, f"source_{shell}")
        assert "_MLPATH_COMPLETE" in capsys.readouterr().out
