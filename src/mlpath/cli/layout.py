"""Width-aware building blocks for every screen: ids and URLs are never cut.

* An **id** is something the learner types back (``mlpath done <id>``): it is put in
  a column that never wraps and never shrinks below the longest id, or, when the
  terminal is too narrow for that beside the title, under the title in the same cell.
* A **URL** may be longer than the terminal: it is folded onto continuation lines
  (aligned with its first line, never cut with an ellipsis) and carries an OSC 8
  hyperlink, which Rich emits only where it writes styles to a terminal.
* Continuation lines of labelled text hang under the text, not at column 0.
* Counts are written with their plural, and every percentage with :func:`percent`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 topic``, ``2 topics``; ``many`` for irregular plurals."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def percent(value: float) -> str:
    """The one way a percentage is shown (:func:`mlpath.domain.metrics.percent_label`)."""
    from mlpath.domain.metrics import percent_label

    return percent_label(value)


def hours(value: float) -> str:
    """Hours on screen: two decimals at most (JSON keeps the exact value)."""
    return f"{round(value, 2):g} h"


def link(url: str, style: str = "cyan") -> Text:
    """A URL that folds instead of being cut, clickable where the terminal supports OSC 8."""
    return Text(url, style=Style.parse(style) + Style(link=url), overflow="fold")


def topic_id(tid: str, style: str = "dim") -> Text:
    """An id that is never wrapped nor shortened."""
    return Text(tid, style=style, no_wrap=True, overflow="ignore")


def id_width(ids: Iterable[str]) -> int:
    return max((len(i) for i in ids), default=2)


def hanging(label: str | Text, body: RenderableType, label_style: str = "bold") -> Table:
    """``label body`` where the body's continuation lines start under the body."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=label_style)
    grid.add_column(ratio=1)
    grid.add_row(label, body)
    return grid


def indented(body: RenderableType, indent: int = 4) -> Padding:
    """``body`` with every line (continuations included) indented."""
    return Padding(body, (0, 0, 0, indent))


def side_by_side(width: int, idw: int, fixed: int, min_title: int = 24) -> bool:
    """Whether a title column of ``min_title`` fits beside an id column of ``idw``.

    ``fixed`` is the width of the other columns and the padding between them.
    """
    return width - idw - fixed >= min_title


class Fit:
    """A renderable built for the width it is given (a panel's inside, the terminal)."""

    def __init__(self, build: Callable[[int], RenderableType]) -> None:
        self.build = build

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.build(options.max_width)
