"""The lab contract, checked: every file a packaged lab needs, and enough mistakes.

Kept apart from :mod:`mlpath.labs.catalog` (which finds labs) and
:mod:`mlpath.labs.mistakes` (which reads their wrong solutions), since it uses both.
"""

from __future__ import annotations

import ast

from mlpath.errors import LabError
from mlpath.labs.catalog import LAB_FILES, get_lab, lab_folder, read_lab_file
from mlpath.labs.hints import parse_hints
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
        problems += _hint_problems(lab_id, (folder / "hints.json").read_text(encoding="utf-8"))
    try:
        n_wrong = len(mistakes(lab_id)) if (folder / "solution.py").is_file() else 0
    except LabError as exc:
        return [*problems, str(exc)]
    if n_wrong < 2:
        problems.append(f"{lab_id}: needs at least two wrong/*.toml mistakes, found {n_wrong}")
    return problems


def declared_checks(checks_source: str) -> list[str]:
    """Names of the functions that ``checks.py`` decorates with ``@check(...)``, in order.

    Read from the source (nothing is imported); shared checks that a lab imports and
    registers another way are not seen, so keyed hints must name a local check.
    """
    names = []
    for node in ast.parse(checks_source).body:
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                func = dec.func if isinstance(dec, ast.Call) else dec
                if getattr(func, "id", getattr(func, "attr", None)) == "check":
                    names.append(node.name)
    return names


def _hint_problems(lab_id: str, text: str) -> list[str]:
    try:
        hints = parse_hints(text, lab_id)
    except LabError as exc:
        return [f"{lab_id}: hints.json: {exc}"]
    if isinstance(hints, list):
        return []
    try:
        declared = declared_checks(read_lab_file(lab_id, "checks.py"))
    except (LabError, SyntaxError):
        return []  # reported as a missing or broken checks.py elsewhere
    problems = [
        f"{lab_id}: hints.json has hints for {name!r}, which checks.py does not declare"
        for name in hints
        if name not in declared
    ]
    problems += [
        f"{lab_id}: hints.json has no hint for the check {name!r}"
        for name in declared
        if name not in hints
    ]
    return problems
