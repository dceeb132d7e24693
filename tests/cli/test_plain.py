"""``mlpath.cli.plain`` prints exactly what the Rich console prints, without Rich."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.cli.plain import printed
from mlpath.cli.text import console

ENVS = [
    {},  # piped: no escape codes at all
    {"NO_COLOR": "1"},
    {"FORCE_COLOR": "1"},  # a terminal: yellow and dim
    {"FORCE_COLOR": "1", "NO_COLOR": "1"},  # no colour, but dim stays
    {"FORCE_COLOR": ""},
    {"TTY_COMPATIBLE": "1", "TERM": "xterm-256color"},
    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    {"FORCE_COLOR": "1", "TERM": "dumb", "COLUMNS": "30"},
    {"FORCE_COLOR": "1", "COLORTERM": "truecolor"},
]
LINES = [
    ("✓ Done: Vectors and vector operations (vectors), 2.5 h", None),
    ("Note: recorded, but its prerequisites are not done yet: vectors, calculus.", "yellow"),
    ("No evidence yet for this topic. Take its quiz (80% counts): `mlpath quiz vectors`.", None),
    ("Mathematical foundations: 1/24 topics · overall 0.7% (4/539 h)", "dim"),
    ("", None),
    ("   leading spaces and  double  spaces   ", "yellow"),
    ("averyveryverylongwordthatmustbefoldedoverseverallinesofthescreen x", None),
]


def rich_print(lines: list[tuple[str, str | None]], env: dict[str, str]) -> str:
    out = io.StringIO()
    con = console(file=out, _environ=env)
    for text, style in lines:
        con.print(text, style=style, markup=False)
    return out.getvalue()


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("columns", ["1", "7", "20", "40", "60", "80", "120"])
def test_same_text_as_rich(env: dict[str, str], columns: str) -> None:
    env = {"COLUMNS": columns, **env}
    assert printed(LINES, env, io.StringIO()) == rich_print(LINES, env)


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(st.sampled_from([*"ab c-✓·—…:`(", "  ", "xyzxyzxyz"])).map("".join),
    columns=st.integers(1, 50),
    env=st.sampled_from(ENVS),
    style=st.sampled_from([None, "yellow", "dim"]),
)
def test_same_text_as_rich_for_any_simple_text(
    text: str, columns: int, env: dict[str, str], style: str | None
) -> None:
    env = {"COLUMNS": str(columns), **env}
    lines = [(text, style), ("after", "dim")]
    assert printed(lines, env, io.StringIO()) == rich_print(lines, env)


@pytest.mark.parametrize(
    "text", ["wide 漢字", "tab\there", "new\nline", "escape \x1b[31m", "combining e\u0301"]
)
def test_anything_else_is_left_to_rich(text: str) -> None:
    assert printed([(text, None)], {}, io.StringIO()) is None
    assert printed([("fine", "bold")], {}, io.StringIO()) is None
