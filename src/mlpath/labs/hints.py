"""Hints, one level at a time.

A lab ships ``hints.json`` (progressively stronger hints). Which level the learner
has seen is kept in ``.mlpath-hints.json`` in their lab folder, so each
``mlpath hint TOPIC`` shows the next one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mlpath.errors import InputError, LabError
from mlpath.labs.catalog import read_lab_file

HINTS_STATE = ".mlpath-hints.json"
SCHEMA_VERSION = 1


def load_hints(lab_id: str) -> list[str]:
    """The hints of a lab, weakest first."""
    try:
        hints = json.loads(read_lab_file(lab_id, "hints.json"))
    except json.JSONDecodeError as exc:
        raise LabError(f"The hints of lab {lab_id!r} are not valid JSON: {exc}") from None
    if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
        raise LabError(f"The hints of lab {lab_id!r} must be a JSON array of strings.")
    return hints


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


def read_shown(folder: Path) -> int:
    """How many hint levels the learner has seen (0 when no state is kept yet)."""
    try:
        data = json.loads((folder / HINTS_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    shown = data.get("shown") if isinstance(data, dict) else None
    return shown if isinstance(shown, int) and shown >= 0 else 0


def write_shown(folder: Path, lab_id: str, shown: int) -> None:
    """Remember that levels ``1..shown`` were seen."""
    state = {"schema_version": SCHEMA_VERSION, "lab": lab_id, "shown": shown}
    try:
        (folder / HINTS_STATE).write_text(json.dumps(state) + "\n", encoding="utf-8")
    except OSError as exc:
        raise LabError(f"Cannot save hint progress in {folder}: {exc.strerror or exc}.") from None


def take_hints(
    folder: Path, lab_id: str, *, level: int | None = None, show_all: bool = False
) -> tuple[HintSelection, list[str]]:
    """Select the hints to show for the lab in ``folder``, record them, and return them."""
    hints = load_hints(lab_id)
    selection = select(read_shown(folder), len(hints), level=level, show_all=show_all)
    write_shown(folder, lab_id, selection.shown)
    return selection, [hints[i - 1] for i in selection.levels]
