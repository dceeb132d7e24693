"""Short lines of plain text printed exactly as the Rich console would print them, without
importing Rich (which costs more than the rest of ``mlpath done``).

:func:`printed` takes lines with an optional style (``yellow`` or ``dim``) and returns
the very bytes :func:`mlpath.cli.text.console` would write for ``print(line, style=...,
markup=False)``: the same terminal detection (``TTY_COMPATIBLE``, ``FORCE_COLOR``,
whether stdout is a terminal, ``TERM=dumb``), the same width (the terminal's, else
``COLUMNS``, else 80), the same colour rules (none when not a terminal; ``NO_COLOR``
drops the colour but keeps ``dim``) and the same word wrapping (Rich's ``divide_line``,
folding words longer than a line). It answers None for anything it does not handle,
such as a character outside :data:`SIMPLE` (wide or combining characters, controls),
and the caller then prints through Rich. ``tests/cli/test_plain.py`` compares the two.
"""

from __future__ import annotations

import itertools
import os
import re
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import TextIO

# printable ASCII and a few punctuation marks Rich counts as one cell
SIMPLE = re.compile(r"[\x20-\x7e✓·—–…→←’‘“”×≥≤°%]*\Z")
_WORD = re.compile(r"\s*\S+\s*")
_CODES = {"yellow": "33", "dim": "2"}
_COLOURS = {"yellow"}
MAX_LINE = 10_000


def is_terminal(env: Mapping[str, str], file: TextIO) -> bool:
    """Whether Rich treats ``file`` as a terminal (``Console.is_terminal``)."""
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = env.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return file.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def width(env: Mapping[str, str], terminal: bool) -> int:
    """The width Rich gives a console without one set (``Console.size``)."""
    if terminal and env.get("TERM", "").lower() in ("dumb", "unknown"):
        return 80
    found: int | None = None
    for fd in (0, 1, 2):
        try:
            found = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    columns = env.get("COLUMNS")
    if columns is not None and columns.isdigit():
        found = int(columns)
    return found or 80


def wrap(line: str, size: int) -> list[str]:
    """``line`` (one-cell characters only) cut as ``rich.text.Text.wrap`` cuts it."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if size - offset >= length:
            offset += len(word)
        elif length > size:  # fold it over several lines
            chunks = [word[i : i + size] for i in range(0, len(word), size)]
            for i, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if i == len(chunks) - 1:
                    offset = len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    bounds = [0, *breaks, len(line)]
    out = []
    for lo, hi in itertools.pairwise(bounds):
        piece = line[lo:hi]
        if len(piece) > size:  # Text.rstrip_end, then truncate
            excess = len(piece) - size
            spaces = len(piece) - len(piece.rstrip())
            piece = piece[: len(piece) - min(spaces, excess)][:size]
        out.append(piece)
    return out


def printed(
    lines: Sequence[tuple[str, str | None]],
    env: Mapping[str, str] | None = None,
    file: TextIO | None = None,
) -> str | None:
    """What the console prints for each ``(text, style)``, or None to let Rich print it."""
    env = os.environ if env is None else env
    file = sys.stdout if file is None else file
    if os.name != "posix" or any(
        style not in (None, *_CODES) or len(text) > MAX_LINE or not SIMPLE.match(text)
        for text, style in lines
    ):
        return None
    terminal = is_terminal(env, file)
    size = width(env, terminal)
    colour = terminal and env.get("TERM", "").lower() not in ("dumb", "unknown")
    no_colour = env.get("NO_COLOR", "") != ""
    out = []
    for text, style in lines:
        code = _CODES.get(style or "") if colour else None
        if code and no_colour and style in _COLOURS:
            code = None
        for piece in wrap(text, size):
            out.append(f"\x1b[{code}m{piece}\x1b[0m\n" if code and piece else piece + "\n")
    return "".join(out)
