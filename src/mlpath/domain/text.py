"""Text from curriculum files and the store, made safe to print or export.

Curriculum and store text is data, never markup or terminal control: every print
site shows it through :func:`clean` (the CLI's console applies it to everything it
renders, see :mod:`mlpath.cli.text`), and every export links only to addresses that
pass :func:`safe_url`.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (\x9b is a one-byte CSI), the
# Unicode line/paragraph separators, bidirectional overrides and isolates (they reorder
# what a terminal shows), and lone surrogates (they cannot be encoded for output).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
REPLACEMENT = "\ufffd"


def clean(text: str, replacement: str = REPLACEMENT) -> str:
    """``text`` with every control character (and lone surrogate) replaced, one for one.

    Replacing one for one keeps the positions of any styles laid over the text.
    """
    return _UNSAFE.sub(replacement, text)


_UNSAFE_IN_FILE = re.compile(
    "\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def clean_output(text: str) -> str:
    """A whole exported document cleaned like :func:`clean`, keeping CRLF line ends
    (iCalendar and CSV use them)."""
    return _UNSAFE_IN_FILE.sub(REPLACEMENT, text)


def has_unsafe(text: str) -> bool:
    """True when :func:`clean` would change ``text``."""
    return _UNSAFE.search(text) is not None


_CONTROL = re.compile("[\x00-\x20\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe_url(url: str) -> str | None:
    """``url`` when an export may link to it (http or https, no control characters or
    spaces), else None: the export then shows the address as plain text."""
    if _CONTROL.search(url):
        return None
    scheme, sep, rest = url.partition(":")
    if not sep or scheme.lower() not in ("http", "https") or not rest.startswith("//"):
        return None
    return url


def encodable(text: str) -> str:
    """``text`` with lone surrogates written as ``\\udXXX`` escapes, so it encodes as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# Characters JSON leaves raw that a terminal still obeys (DEL, C1 controls such as the
# one-byte CSI \x9b, line separators, bidi overrides) and lone surrogates.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def dumps_json(data: object, indent: int | None = 2) -> str:
    """``data`` as readable JSON (non-ASCII text kept) that is safe to print and encodes
    as UTF-8: what json.dumps leaves raw and a terminal obeys is written as \\uXXXX."""
    import json

    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
