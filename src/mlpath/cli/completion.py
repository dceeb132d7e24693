"""Shell completion of topic arguments (bash, zsh, fish), through Click's completion machinery.

``mlpath --install-completion`` installs the script; the shell then calls
``mlpath`` with ``_MLPATH_COMPLETE=complete_<shell>`` set, and Click asks
:func:`complete_topic` for the values. It answers from the curriculum cache (no
pydantic) so that a Tab press costs about as much as ``mlpath next``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def topic_candidates(incomplete: str, curriculum: Path | None = None) -> list[tuple[str, str]]:
    """(id, title) of the topics whose id starts with ``incomplete``; titles help choose."""
    from mlpath.cli.screens import cache_dir
    from mlpath.domain.curriculum import load
    from mlpath.errors import MlpathError

    folder = cache_dir(os.environ)  # the user cache, as for every command: never the home
    try:
        cur = load(curriculum, cache_dir=Path(folder) if folder else None)
    except MlpathError:
        return []  # a broken curriculum completes nothing rather than printing an error
    prefix = incomplete.lower()
    return [(t.id, t.title) for t in cur.topics if t.id.startswith(prefix)]


def complete_topic(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Typer ``autocompletion`` callback for every argument or option that names a topic."""
    chosen = ctx.params.get("curriculum") or os.environ.get("MLPATH_CURRICULUM")
    return topic_candidates(incomplete, Path(chosen) if chosen else None)


def topic_arg() -> Any:
    """The ``TOPIC`` argument of every command that takes one, with completion."""
    import typer

    return typer.Argument(
        help="Topic id, unique id prefix, title, or a lab's name.", autocompletion=complete_topic
    )


TOPIC_COMMANDS = ("done", "log", "show", "lab", "check", "hint", "solution", "quiz")
TOPIC_OPTIONS = {"plan": ("--goal", "--known"), "graph": ("--goal",)}


def _split(line: str) -> list[str]:
    """Shell words as Click splits them (an unfinished quote ends the last word)."""
    import shlex

    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:
        out.append(lex.token)
    return out


def _request(env: Any) -> tuple[str, list[str], str] | None:
    """(shell, words before the one completed, that word), read as Typer's shell classes do."""
    instruction = env.get("_MLPATH_COMPLETE", "")
    if instruction == "complete_bash":
        words = _split(env.get("COMP_WORDS", ""))
        cword = int(env.get("COMP_CWORD", "0") or 0)
        return "bash", words[1:cword], words[cword] if cword < len(words) else ""
    if instruction in ("complete_zsh", "complete_fish"):
        line = env.get("_TYPER_COMPLETE_ARGS", "")
        args = _split(line)[1:]
        if args and not line.endswith(" "):
            return instruction[9:], args[:-1], args[-1]
        return instruction[9:], args, ""
    return None


def _zsh_escape(text: str) -> str:
    return (
        text.replace('"', '""')
        .replace("'", "''")
        .replace("$", "\\$")
        .replace("`", "\\`")
        .replace(":", r"\\:")
    )


def fast_complete(env: Any) -> int | None:
    """Answer a Tab press on a topic without building the Typer app, or None to let Typer answer.

    Only the plain cases take this path: the first argument of a topic command
    (``mlpath done lin<Tab>``) and the value of ``--goal``/``--known``. The output is
    byte for byte what Click's completion machinery prints from the full app
    (tests/cli/test_completion.py compares the two for every shell); building that app
    costs ~0.2 s, more than a Tab press should.
    """
    import sys

    request = _request(env)
    if request is None:
        return None
    shell, words, incomplete = request
    if not words or incomplete.startswith("-"):
        return None
    command = words[0]
    plain_arg = command in TOPIC_COMMANDS and len(words) == 1
    option = command in TOPIC_OPTIONS and len(words) >= 2 and words[-1] in TOPIC_OPTIONS[command]
    if not (plain_arg or option):
        return None
    chosen = env.get("MLPATH_CURRICULUM")
    found = topic_candidates(incomplete, Path(chosen) if chosen else None)
    if shell == "bash":
        out = "\n".join(tid for tid, _ in found)
    elif shell == "zsh":
        items = "\n".join(f'"{_zsh_escape(t)}":"{_zsh_escape(h)}"' for t, h in found)
        out = f"_arguments '*: :(({items}))'" if found else "_files"
    else:
        action = env.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return 0 if found else 1
        out = "\n".join(f"{t}\t{' '.join(h.split(chr(9)))}" for t, h in found) if action else ""
    sys.stdout.write(out + "\n")
    return 0
