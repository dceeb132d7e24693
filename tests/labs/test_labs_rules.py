"""The "implement it yourself" rules: forbid() traps library calls, source_uses() reads source."""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import pytest

from mlpath.labs.checking import CheckFailed, forbid, source_uses

np = pytest.importorskip("numpy")


def _module(tmp_path: Path, name: str, source: str) -> types.ModuleType:
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_a_forbidden_call_fails_the_check_even_through_an_alias(tmp_path: Path) -> None:
    lab = _module(
        tmp_path,
        "lab_alias",
        "from numpy.linalg import lstsq as solve\n"
        "def fit(X, y):\n    return solve(X, y, rcond=None)[0]\n",
    )
    X, y = np.eye(3), np.ones(3)
    with (
        pytest.raises(CheckFailed, match=r"numpy\.linalg\.lstsq"),
        forbid(lab, "numpy.linalg.lstsq", rule="Fit by gradient descent."),
    ):
        lab.fit(X, y)
    assert lab.solve is np.linalg.lstsq  # restored afterwards
    assert lab.fit(X, y).tolist() == [1.0, 1.0, 1.0]


def test_catching_the_trap_does_not_escape_it(tmp_path: Path) -> None:
    lab = _module(
        tmp_path,
        "lab_catch",
        "import numpy as np\n"
        "def fit(X, y):\n"
        "    try:\n        return np.linalg.lstsq(X, y, rcond=None)[0]\n"
        "    except Exception:\n        return np.zeros(3)\n",
    )
    with (
        pytest.raises(CheckFailed, match="write yourself"),
        forbid(lab, "numpy.linalg.lstsq", rule="Fit by gradient descent."),
    ):
        lab.fit(np.eye(3), np.ones(3))


def test_an_honest_solution_passes_and_unknown_targets_are_skipped(tmp_path: Path) -> None:
    lab = _module(tmp_path, "lab_honest", "def fit(X, y):\n    return X.T.dot(y)\n")
    with forbid(lab, "numpy.linalg.lstsq", "nosuchpackage.thing", rule="By hand."):
        assert lab.fit(np.eye(2), np.ones(2)).tolist() == [1.0, 1.0]


def test_source_uses_finds_operators_and_calls(tmp_path: Path) -> None:
    lab = _module(
        tmp_path,
        "lab_src",
        "import numpy as np\n"
        "def matmul(A, B):\n"
        "    C = A @ B\n"
        "    return np.dot(A, B)\n"
        "def other(A):\n    return A\n",
    )
    found = source_uses(lab, "matmul", operators=(ast.MatMult,), calls=("dot", "matmul"))
    assert found == ["line 3: the MatMult operator", "line 4: dot()"]
    assert source_uses(lab, "other", operators=(ast.MatMult,), calls=("dot",)) == []
    assert source_uses(lab, "missing", calls=("dot",)) == []
