"""The consoles every command prints through: data is shown as plain text, always.

Curriculum and store text may hold anything (escape sequences, Rich markup such as
``[link=javascript:...]`` or ``[/]``, lone surrogates, one 8 MB word). These consoles

- never parse markup (``markup=False``): styles come from :class:`rich.text.Text` spans;
- replace every control character and lone surrogate one for one
  (:func:`mlpath.domain.text.clean`) in each piece of text before it is laid out, and
  strip any that remain from what is written;
- show at most :data:`MAX_SHOWN` characters of one piece of text, so that laying out an
  enormous unbroken word stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

from mlpath.domain.text import clean, has_unsafe

MAX_SHOWN = 20_000


def safe_text(text: Text) -> Text:
    """``text`` with control characters replaced (styles kept) and cut to MAX_SHOWN."""
    if len(text) > MAX_SHOWN:
        cut = text[:MAX_SHOWN]
        cut.append(f"… ({len(text) - MAX_SHOWN} more characters)")
        text = cut
    plain = text.plain
    if has_unsafe(plain):
        text = text.copy()
        text.plain = clean(plain)
    return text


class SafeConsole(Console):
    """A Rich console that shows every piece of text as plain, clean text."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("highlight", False)
        kwargs.setdefault("emoji", False)
        kwargs["markup"] = False
        super().__init__(**kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return safe_text(super().render_str(text, **kwargs))

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        if isinstance(renderable, Text):
            renderable = safe_text(renderable)
        for segment in super().render(renderable, options):
            if segment.control is None and has_unsafe(segment.text):
                segment = Segment(clean(segment.text, ""), segment.style, segment.control)
            yield segment


def console(**kwargs: Any) -> SafeConsole:
    """The console for a command's output (stdout)."""
    return SafeConsole(**kwargs)


def err_console() -> SafeConsole:
    """The console for errors and warnings (stderr)."""
    return SafeConsole(stderr=True)


def error_line(label: str, message: str, style: str = "bold red") -> RenderableType:
    """``label`` in ``style`` followed by ``message`` as plain text, its continuation lines
    starting under the message rather than at column 0."""
    from mlpath.cli.layout import hanging

    return hanging(label, Text(clean(message)), label_style=style)
