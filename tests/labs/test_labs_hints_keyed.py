"""Every packaged lab keys its hints by check, so `mlpath hint` targets the failing check."""

from __future__ import annotations

import json

import pytest

from mlpath.labs import catalog, validate


@pytest.mark.parametrize("lab_id", catalog.lab_ids())
def test_hints_are_keyed_by_the_labs_own_checks(lab_id: str) -> None:
    hints = json.loads(catalog.read_lab_file(lab_id, "hints.json"))
    assert isinstance(hints, dict), f"{lab_id}: hints.json is a list; key it by check name"
    declared = validate.declared_checks(catalog.read_lab_file(lab_id, "checks.py"))
    assert list(hints) and set(hints) == set(declared), (sorted(hints), declared)
    assert all(
        isinstance(h, list) and h and all(isinstance(x, str) and x for x in h)
        for h in hints.values()
    )
