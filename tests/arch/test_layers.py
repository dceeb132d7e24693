"""The package layout is the architecture: imports run one way, shell -> use cases -> the rest.

Every ``import`` in ``src/mlpath`` is read with :mod:`ast` (function-level imports too,
since the CLI defers heavy ones) and checked against the layer table below, which
``docs/architecture.md`` draws as a map.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "mlpath"

# layer -> the mlpath layers it may import (itself always allowed)
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "domain": {"errors"},
    "store": {"errors", "domain"},
    "labs": {"errors"},
    "labs.content": {"labs"},  # checks use the engine's check API
    "export": {"errors", "domain"},
    "quiz": {"errors", "domain"},
    "review": {"errors", "domain", "quiz"},
    "app": {"errors", "domain", "store", "labs", "export", "quiz", "review"},
    "cli": {"errors", "domain", "store", "labs", "export", "quiz", "review", "app"},
    "__main__": {"cli"},
}
# third-party packages that belong to the shell alone
SHELL_ONLY = {"rich", "typer", "click"}
LAYERS = sorted(ALLOWED, key=len, reverse=True)


def layer_of(module: str) -> str:
    """The layer of a dotted module path below ``mlpath`` (``labs.content`` before ``labs``)."""
    for layer in LAYERS:
        if module == layer or module.startswith(layer + "."):
            return layer
    raise AssertionError(f"mlpath.{module} belongs to no layer: add it to ALLOWED and the map")


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        if parts:
            found.append((".".join(parts), path))
    return found


def imports(path: Path, module: str) -> list[str]:
    """Absolute names of everything ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["mlpath", *package[: len(package) - node.level + 1]]
                names.append(".".join([*base, node.module] if node.module else base))
            elif node.module == "mlpath":
                names += [f"mlpath.{alias.name}" for alias in node.names]
            elif node.module:
                names.append(node.module)
    return names


def violations(module: str, path: Path) -> list[str]:
    layer = layer_of(module)
    bad = []
    for name in imports(path, module):
        top = name.split(".")[0]
        if top in SHELL_ONLY and layer not in ("cli",):
            bad.append(f"mlpath.{module} imports {name}: {top} belongs to the shell (cli/)")
        if top == "mlpath" and name not in ("mlpath", "mlpath.__version__"):
            target = layer_of(name.removeprefix("mlpath."))
            if target != layer and target not in ALLOWED[layer]:
                bad.append(f"mlpath.{module} ({layer}) imports {name} ({target})")
    return bad


@pytest.mark.parametrize("module,path", modules(), ids=[m for m, _ in modules()])
def test_imports_run_one_way(module: str, path: Path) -> None:
    assert violations(module, path) == []


def test_the_checker_catches_a_domain_module_that_imports_rich(tmp_path: Path) -> None:
    bad = tmp_path / "planner.py"
    bad.write_text("from rich.table import Table\nfrom mlpath.store.file import Store\n")
    found = violations("domain.planner", bad)
    assert len(found) == 2 and "shell" in found[0] and "(store)" in found[1]


def test_the_checker_catches_the_store_importing_the_cli(tmp_path: Path) -> None:
    bad = tmp_path / "file.py"
    bad.write_text("def f():\n    from mlpath.cli import hot\n")
    assert violations("store.file", bad) == ["mlpath.store.file (store) imports mlpath.cli (cli)"]


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    bad = tmp_path / "graph.py"
    bad.write_text("from ..app import session\n")
    assert violations("export.graph", bad) == [
        "mlpath.export.graph (export) imports mlpath.app (app)"
    ]


def test_lab_modules_do_not_import_each_other_in_a_circle() -> None:
    graph = {
        m: {n.removeprefix("mlpath.") for n in imports(p, m) if n.startswith("mlpath.labs.")}
        for m, p in modules()
        if layer_of(m) == "labs"
    }

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            n == goal or (n not in seen and reaches(n, goal, seen | {n}))
            for n in graph.get(start, ())
        )

    circles = [m for m in graph if reaches(m, m, {m})]
    assert circles == []
