"""A fast path for the commands typed many times a day: ``next``, ``report``, ``week``, ``done``.

Typer builds a pydantic validator for every parameter when it runs a command,
which costs more than the command itself. For the plain forms of these three
commands this module parses ``argv`` directly and calls the same
:mod:`mlpath.cli.hot` functions the Typer commands call. Anything it does not
recognise exactly (``--help``, an unknown option, a malformed number...) is left
to Typer, which then produces the usual help or usage error.

``next``, ``report`` and ``week`` print a kept screen when nothing it depends on
changed (:mod:`mlpath.cli.screens`): that replay imports neither Rich nor the library.
Only ``os``, ``sys`` and ``time`` are imported at the top here, for the same reason.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

_VALUE_OPTIONS = {
    "next": {"--curriculum"},
    "report": {"--curriculum"},
    "week": {"--curriculum"},
    "done": {"--curriculum", "--hours", "--date"},
}
_ARGS = {"next": 0, "report": 0, "week": 0, "done": 1}
COMPLETE_VAR = "_MLPATH_COMPLETE"


def parse(argv: list[str]) -> tuple[str, dict[str, Any]] | None:
    """Parse a plain hot-command line, or return None to let Typer handle it."""
    if not argv or argv[0] not in _VALUE_OPTIONS:
        return None
    command, rest = argv[0], argv[1:]
    options: dict[str, str] = {}
    positional: list[str] = []
    as_json = False
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--json" and not as_json:
            as_json = True
        elif "=" in arg and arg.split("=", 1)[0] in _VALUE_OPTIONS[command]:
            name, value = arg.split("=", 1)
            if name in options:
                return None
            options[name] = value
        elif arg in _VALUE_OPTIONS[command] and i + 1 < len(rest) and arg not in options:
            options[arg] = rest[i + 1]
            i += 1
        elif arg.startswith("-") or len(positional) >= _ARGS[command]:
            return None
        else:
            positional.append(arg)
        i += 1
    if len(positional) != _ARGS[command]:
        return None
    import math
    from pathlib import Path

    curriculum = options.get("--curriculum")
    kwargs: dict[str, Any] = {
        "curriculum": Path(curriculum) if curriculum else _env_curriculum(),
        "as_json": as_json,
    }
    if command == "done":
        hours = None
        if "--hours" in options:
            try:
                hours = float(options["--hours"])
            except ValueError:
                return None
            if math.isinf(hours):
                return None
        kwargs.update(topic=positional[0], hours=hours, on=options.get("--date"))
    return command, kwargs


def _env_curriculum() -> Path | None:
    from pathlib import Path

    value = os.environ.get("MLPATH_CURRICULUM")
    return Path(value) if value else None


def run(argv: list[str]) -> int | None:
    """Run a plain hot command and return its exit status, or None if Typer must handle it."""
    if COMPLETE_VAR in os.environ:  # the shell asks for completions: see cli/completion.py
        from mlpath.cli.completion import fast_complete

        return fast_complete(os.environ)
    slot: tuple[str, bytes] | None = None
    if argv and argv[0] in ("next", "report", "week"):
        from mlpath.cli import screens

        slot = screens.open_slot(argv, os.environ)
        if slot is not None:
            kept = screens.lookup(*slot, time.time())
            if kept is not None:
                sys.stdout.write(kept)
                return 0
    parsed = ("status", {"curriculum": _env_curriculum()}) if not argv else parse(argv)
    if parsed is None:
        return None
    command, kwargs = parsed
    from mlpath.cli import hot as views
    from mlpath.errors import MlpathError

    screens_of: dict[str, Callable[..., tuple[str, float]]] = {
        "next": views.next_screen,
        "report": views.report_screen,
        "week": views.week_screen,
    }
    actions: dict[str, Callable[..., None]] = {
        "done": views.mark_done,
        "status": views.show_status,  # `mlpath` alone
    }
    try:
        if command in screens_of:
            text, expires = screens_of[command](**kwargs)
            sys.stdout.write(text)
            if slot is not None and expires > time.time():
                from mlpath.cli import screens

                screens.store(*slot, text, expires)
        else:
            actions[command](**kwargs)
    except MlpathError as exc:
        views.report_error(exc)
        return exc.exit_code
    except OSError as exc:
        return views.output_failed(exc)
    return 0
