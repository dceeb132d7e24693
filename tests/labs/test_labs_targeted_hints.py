"""Targeted hints: a lab's hints.json keyed by check name covers every declared check.

The targeted format is a JSON object ``{check function name: [hint, ...]}``, hints weakest
first, so that ``mlpath hint`` can show the hint for the first check that fails now.
This test reads ``checks.py`` statically (no lab packages needed).
"""

from __future__ import annotations

import ast
import json

import pytest

from mlpath.labs import catalog


def _declared_checks(lab_id: str) -> list[str]:
    tree = ast.parse((catalog.lab_folder(lab_id) / "checks.py").read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                func = deco.func if isinstance(deco, ast.Call) else deco
                if getattr(func, "id", getattr(func, "attr", None)) == "check":
                    names.append(node.name)
    return names


def _targeted_labs() -> list[str]:
    found = []
    for lab_id in catalog.lab_ids():
        hints = json.loads((catalog.lab_folder(lab_id) / "hints.json").read_text(encoding="utf-8"))
        if isinstance(hints, dict):
            found.append(lab_id)
    return found


@pytest.mark.parametrize("lab_id", _targeted_labs())
def test_every_declared_check_has_hints_weakest_first(lab_id: str) -> None:
    hints = json.loads((catalog.lab_folder(lab_id) / "hints.json").read_text(encoding="utf-8"))
    declared = _declared_checks(lab_id)
    assert declared, f"{lab_id}: no @check found in checks.py"
    missing, unknown = sorted(set(declared) - set(hints)), sorted(set(hints) - set(declared))
    assert not missing and not unknown, (
        f"{lab_id}: hints.json keys must be exactly the declared checks; "
        f"missing {missing}, unknown {unknown}"
    )
    for name, levels in hints.items():
        assert isinstance(levels, list) and levels, f"{lab_id}: {name} needs at least one hint"
        assert all(isinstance(h, str) and h.strip() for h in levels), f"{lab_id}: {name}"
