"""Curriculum and store text is printed as data: control characters shown, never obeyed."""

from __future__ import annotations

import io

import pytest
from rich.text import Text

from mlpath.cli.text import SafeConsole, error_line, safe_text
from mlpath.domain.text import REPLACEMENT


def render(renderable: object, width: int = 60) -> str:
    out = io.StringIO()
    SafeConsole(file=out, width=width, color_system=None).print(renderable)
    return out.getvalue()


@pytest.mark.parametrize("control", ["\r", "\x1b", "\x07", "\x0b", "\x0c", "\x9b", "\u202e"])
def test_an_error_message_shows_each_control_character_as_a_replacement(control: str) -> None:
    shown = render(error_line("Error:", f"field 'renamed.{control}': bad"))
    assert f"renamed.{REPLACEMENT}'" in shown
    assert control not in shown


def test_markup_in_text_is_shown_not_interpreted() -> None:
    shown = render(error_line("Error:", "[link=javascript:alert(1)]x[/] [/]"))
    assert "[link=javascript:alert(1)]x[/] [/]" in shown


def test_safe_text_keeps_styles_and_replaces_one_for_one() -> None:
    text = Text("a\x1bb", style="bold")
    cleaned = safe_text(text)
    assert cleaned.plain == f"a{REPLACEMENT}b" and cleaned.style == "bold"
