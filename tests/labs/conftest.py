"""Fixtures for the lab engine's tests: tiny fake labs in tmp_path, and the learner's file."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mlpath.labs import catalog
from mlpath.labs.catalog import LabMeta

CHECKS = """
from mlpath.labs.checking import check, close, expect

@check("double doubles")
def doubles(lab):
    close(lab.double(2.0), 4.0, what="double(2.0)")

@check("double keeps the type")
def keeps_type(lab):
    expect(isinstance(lab.double(1.0), float), "double must return a float")
"""
STARTER = '''
def double(x):
    """Return 2 * x."""
    raise NotImplementedError
'''
SOLUTION = "def double(x):\n    return 2.0 * x\n"

MakeLab = Callable[..., LabMeta]


@pytest.fixture
def fake_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty package root for labs; the catalog reads from it instead of mlpath/labs."""
    root = tmp_path / "packaged"
    root.mkdir()
    monkeypatch.setattr(catalog, "_root", lambda: root)
    return root


@pytest.fixture
def make_lab(fake_root: Path) -> MakeLab:
    """Write a fake lab into the fake package root and return its metadata."""

    def make(
        lab_id: str = "double",
        *,
        checks: str = CHECKS,
        starter: str = STARTER,
        load: bool = True,
        **meta: Any,
    ) -> LabMeta | None:
        folder = fake_root / lab_id
        (folder / "wrong").mkdir(parents=True)
        doc = {"id": lab_id, "title": "Doubling", "topic": "doubling", "requires": [], **meta}
        (folder / "meta.json").write_text(json.dumps(doc))
        (folder / "checks.py").write_text(checks)
        (folder / "starter.py").write_text(starter)
        (folder / "solution.py").write_text(SOLUTION)
        (folder / "README.md").write_text("# Doubling\n")
        (folder / "hints.json").write_text(json.dumps(["Think.", "Multiply.", "Return 2 * x."]))
        for name, wrong in (("a.toml", "x"), ("b.toml", "3.0 * x")):
            (folder / "wrong" / name).write_text(
                f'why = "not doubled"\nexpect = "double(2.0)"\n'
                f"[[edit]]\nold = '2.0 * x'\nnew = '{wrong}'\n"
            )
        return catalog.get_lab(lab_id) if load else None

    return make


@pytest.fixture
def learner(tmp_path: Path) -> Callable[[str], Path]:
    """Write a learner's lab.py (dedented) into a fresh folder and return its path."""

    def write(source: str) -> Path:
        folder = tmp_path / "learner"
        folder.mkdir(exist_ok=True)
        path = folder / "lab.py"
        path.write_text(textwrap.dedent(source))
        return path

    return write
