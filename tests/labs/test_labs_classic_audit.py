"""The classic labs' audit (issue 15) stays done: mistakes with real whys, a correct
alternative, and hints targeted at every declared check.

Read from the files only (no child process), so this runs in a fraction of a second; the
self-test (test_labs_selftest.py) proves that the mistakes fail and the alternatives pass.
"""

from __future__ import annotations

import ast
import json
import tomllib

import pytest

from mlpath.labs import catalog, mistakes

CLASSIC = [
    "gradient-check",
    "probability-simulation",
    "hypothesis-testing",
    "eda",
    "linear-regression-gd",
    "regularization",
    "logistic-regression",
    "decision-tree",
    "kmeans",
    "linalg-pca",
    "anomaly-detection",
    "sklearn-pipeline",
    "bias-variance-cv",
    "error-analysis",
]


def _declared_checks(lab_id: str) -> list[str]:
    """Names of the functions decorated with @check(...) in the lab's checks.py."""
    tree = ast.parse(catalog.read_lab_file(lab_id, "checks.py"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Name)
                    and deco.func.id == "check"
                ):
                    names.append(node.name)
    return names


def test_the_list_names_real_labs() -> None:
    assert set(CLASSIC) <= set(catalog.lab_ids())


@pytest.mark.parametrize("lab_id", CLASSIC)
def test_at_least_five_mistakes_with_real_whys(lab_id: str) -> None:
    solution_doc = ast.get_docstring(ast.parse(catalog.read_lab_file(lab_id, "solution.py"))) or ""
    names = mistakes.mistake_names(lab_id)
    assert len(names) >= 5, f"{lab_id} has {len(names)} mistakes"
    for name in names:
        why = tomllib.loads(catalog.read_lab_file(lab_id, f"wrong/{name}"))["why"].strip()
        assert why != solution_doc.strip(), f"{lab_id}/wrong/{name}: placeholder why"
        assert len(why) >= 40, f"{lab_id}/wrong/{name}: say what was done and why it is wrong"


@pytest.mark.parametrize("lab_id", CLASSIC)
def test_a_correct_alternative(lab_id: str) -> None:
    assert mistakes.alternative_names(lab_id), f"{lab_id} has no right/*.toml"


@pytest.mark.parametrize("lab_id", CLASSIC)
def test_hints_target_every_declared_check(lab_id: str) -> None:
    hints = json.loads(catalog.read_lab_file(lab_id, "hints.json"))
    declared = _declared_checks(lab_id)
    assert isinstance(hints, dict), f"{lab_id}: hints.json must be keyed by check name"
    assert set(hints) == set(declared), (
        f"{lab_id}: hints for {sorted(set(hints) - set(declared))} name no check; "
        f"checks without hints: {sorted(set(declared) - set(hints))}"
    )
    for name, levels in hints.items():
        assert isinstance(levels, list) and levels, f"{lab_id}: {name} needs at least one hint"
        assert all(isinstance(h, str) and h.strip() for h in levels), f"{lab_id}: {name}"
