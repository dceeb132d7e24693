"""The lab contract, checked: every file a packaged lab needs, and enough mistakes.

Kept apart from :mod:`mlpath.labs.catalog` (which finds labs) and
:mod:`mlpath.labs.mistakes` (which reads their wrong solutions), since it uses both.
"""

from __future__ import annotations

import json

from mlpath.errors import LabError
from mlpath.labs.catalog import LAB_FILES, get_lab, lab_folder
from mlpath.labs.mistakes import mistakes


def validate_lab(lab_id: str) -> list[str]:
    """Every layout problem of one packaged lab (empty when it follows the lab contract)."""
    problems: list[str] = []
    folder = lab_folder(lab_id)
    problems += [f"{lab_id}: missing {name}" for name in LAB_FILES if not (folder / name).is_file()]
    try:
        meta = get_lab(lab_id)
    except LabError as exc:
        return [*problems, str(exc)]
    problems += [
        f"{lab_id}: variant {track!r} names unknown lab {other!r}"
        for track, other in meta.variants.items()
        if not (lab_folder(other) / "meta.json").is_file()
    ]
    if (folder / "hints.json").is_file():
        try:
            hints = json.loads((folder / "hints.json").read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            hints = None
            problems.append(f"{lab_id}: hints.json is not valid JSON: {exc}")
        if hints is not None and not (
            isinstance(hints, list)
            and len(hints) >= 1
            and all(isinstance(h, str) and h for h in hints)
        ):
            problems.append(f"{lab_id}: hints.json must be a non-empty array of strings")
    try:
        n_wrong = len(mistakes(lab_id)) if (folder / "solution.py").is_file() else 0
    except LabError as exc:
        return [*problems, str(exc)]
    if n_wrong < 2:
        problems.append(f"{lab_id}: needs at least two wrong/*.toml mistakes, found {n_wrong}")
    return problems
