"""Hints that target what is failing, one level at a time.

A lab ships ``hints.json`` in one of two forms:

- keyed by check function name, each a list of hints from gentle to direct::

      {"gradient": ["Which terms depend on w?", "Differentiate the residual..."], "fit": [...]}

  ``mlpath hint`` then shows the next hint *for the first check that fails now*;
- a plain list of progressively stronger hints for the whole lab (the older form).

Which levels the learner has seen is kept in ``.mlpath-hints.json`` in their lab folder,
per check for the keyed form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mlpath.errors import InputError, LabError
from mlpath.labs.catalog import read_lab_file

HINTS_STATE = ".mlpath-hints.json"
SCHEMA_VERSION = 2

Hints = dict[str, list[str]] | list[str]


def parse_hints(text: str, lab_id: str) -> Hints:
    """The hints in ``text``: a dict of check name -> hints, or a list of hints."""
    try:
        hints = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LabError(f"The hints of lab {lab_id!r} are not valid JSON: {exc}") from None
    if isinstance(hints, list) and all(isinstance(h, str) and h for h in hints):
        return hints
    if (
        isinstance(hints, dict)
        and hints
        and all(
            isinstance(v, list) and v and all(isinstance(h, str) and h for h in v)
            for v in hints.values()
        )
    ):
        return {str(k): list(v) for k, v in hints.items()}
    raise LabError(
        f"The hints of lab {lab_id!r} must be an object mapping each check to a non-empty "
        "list of hints, or an array of hints."
    )


def load_hints(lab_id: str) -> Hints:
    """The hints of a lab, weakest first."""
    return parse_hints(read_lab_file(lab_id, "hints.json"), lab_id)


@dataclass(frozen=True)
class HintSelection:
    levels: list[int]  # 1-based levels to show, in order
    shown: int  # highest level seen after this call
    total: int

    @property
    def last_seen(self) -> bool:
        """True once the learner has seen every hint."""
        return self.shown >= self.total


def select(
    shown: int, total: int, *, level: int | None = None, show_all: bool = False
) -> HintSelection:
    """Which hints to show, given that levels ``1..shown`` were seen before.

    By default the next level (repeating the last one when all were seen);
    ``level`` picks one level; ``show_all`` shows every level.
    """
    if total == 0:
        return HintSelection([], 0, 0)
    if show_all:
        return HintSelection(list(range(1, total + 1)), total, total)
    if level is not None:
        if not 1 <= level <= total:
            raise InputError(f"--level must be between 1 and {total} for this lab; got {level}.")
        return HintSelection([level], max(shown, level), total)
    nxt = min(max(shown, 0) + 1, total)
    return HintSelection([nxt], max(shown, nxt), total)


def _read_state(folder: Path) -> dict[str, object]:
    try:
        data = json.loads((folder / HINTS_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_shown(folder: Path, check: str | None = None) -> int:
    """How many hint levels the learner has seen (of ``check``'s hints when given)."""
    data = _read_state(folder)
    by_check = data.get("by_check")
    if check is not None:
        shown = by_check.get(check) if isinstance(by_check, dict) else None
    else:
        shown = data.get("shown")
    return shown if isinstance(shown, int) and shown >= 0 else 0


def write_shown(folder: Path, lab_id: str, shown: int, check: str | None = None) -> None:
    """Remember that levels ``1..shown`` were seen (of ``check``'s hints when given)."""
    state = _read_state(folder)
    by_check = state.get("by_check")
    by_check = dict(by_check) if isinstance(by_check, dict) else {}
    if check is not None:
        by_check[check] = shown
    else:
        state["shown"] = shown
    state.update(schema_version=SCHEMA_VERSION, lab=lab_id, by_check=by_check)
    try:
        (folder / HINTS_STATE).write_text(json.dumps(state) + "\n", encoding="utf-8")
    except OSError as exc:
        raise LabError(f"Cannot save hint progress in {folder}: {exc.strerror or exc}.") from None


def take_hints(
    folder: Path,
    lab_id: str,
    *,
    failing: str | None = None,
    level: int | None = None,
    show_all: bool = False,
) -> tuple[HintSelection, list[str]]:
    """Select the hints to show for the lab in ``folder``, record them, and return them.

    For keyed hints, ``failing`` names the check they are for (the first failing one).
    """
    hints = load_hints(lab_id)
    if isinstance(hints, list):
        texts, check = hints, None
    else:
        check = failing if failing in hints else None
        texts = hints[check] if check is not None else []
    selection = select(read_shown(folder, check), len(texts), level=level, show_all=show_all)
    if texts:
        write_shown(folder, lab_id, selection.shown, check)
    return selection, [texts[i - 1] for i in selection.levels]
