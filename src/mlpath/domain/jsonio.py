"""Parsing JSON with one nesting decision for every command.

:func:`json.loads` fails with RecursionError at a depth that depends on how deep the
caller's stack already is, so the same file could load in one command and be
"nested too deeply" in another. :func:`loads` first measures the nesting of the text
(linear, without recursion) and refuses anything deeper than :data:`MAX_DEPTH`, so
every command takes the same decision about the same file.
"""

from __future__ import annotations

import json
import re

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 200

_DELETE = bytes(sorted(set(range(256)) - set(b'[]{}"')))
_STRING = re.compile(rb'"[^"]*"')
_INNERMOST = re.compile(rb"\[\]|\{\}")


class JsonTooDeep(ValueError):
    """The JSON text nests arrays and objects more than MAX_DEPTH deep."""


def deeper_than(raw: bytes, max_depth: int) -> bool:
    """True when the JSON text ``raw`` nests arrays and objects more than ``max_depth`` deep.

    Without recursion, in passes that run in C: escapes, then everything but brackets
    and quotes, then strings are removed; then each pass removes the innermost bracket
    pairs, so what is left after ``max_depth`` passes is what nests deeper. (For text
    that is not valid JSON the answer does not matter: the parser refuses it.)
    """
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return False
    # escaped backslashes, then escaped quotes (left to right, as a parser pairs them)
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = raw.translate(None, delete=_DELETE)
    # strings without brackets are now "" (removing a closing quote and the next opening
    # one merges two strings: also harmless); the few strings left are removed whole
    skeleton = _STRING.sub(b"", skeleton.replace(b'""', b""))
    for _ in range(max_depth):
        skeleton, removed = _INNERMOST.subn(b"", skeleton)
        if not skeleton or not removed:
            return False
    return bool(skeleton)


def loads(raw: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(raw)``, or JsonTooDeep when it nests more than ``max_depth`` deep.

    Raises what json.loads raises for invalid text (JSONDecodeError, UnicodeDecodeError).
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if deeper_than(data, max_depth):
        raise JsonTooDeep(f"nested more than {max_depth} deep")
    try:
        return json.loads(raw)
    except RecursionError:  # not reached below MAX_DEPTH; kept as a safety net
        raise JsonTooDeep(f"nested more than {max_depth} deep") from None
