"""The vocabulary lab checks are written in, and the loop that runs them.

A lab's ``checks.py`` declares checks with :func:`check` and compares with
:func:`close`, :func:`expect`, :func:`at_least` and :func:`at_most`, which raise
:class:`CheckFailed` with a message written for a learner. :func:`run_checks` runs
every declared check against the learner's module and never raises: each check
ends as ``passed``, ``failed`` or ``error``.

This module is imported in the checker's child process; it imports NumPy lazily
so that it also loads where NumPy is absent.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

CheckFn = Callable[[ModuleType], None]

# Registry filled by @check while a checks.py is imported; run_checks clears it.
_REGISTRY: list[tuple[str, str, CheckFn]] = []


class CheckFailed(AssertionError):
    """A check found a wrong answer; the message says what and by how much."""


class LabImportError(Exception):
    """The learner's lab.py could not be imported (syntax error, failing import...)."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    title: str
    status: str  # "passed" | "failed" | "error"
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "title": self.title,
            "status": self.status,
            "message": self.message,
        }


def check(title: str) -> Callable[[CheckFn], CheckFn]:
    """Declare a check. Checks run in the order they are defined.

    The decorated function receives the learner's imported ``lab`` module and
    raises :class:`CheckFailed` (via the helpers below) when the answer is wrong.
    """

    def register(fn: CheckFn) -> CheckFn:
        _REGISTRY.append((fn.__name__, title, fn))
        return fn

    return register


def expect(condition: object, message: str) -> None:
    """Fail with ``message`` unless ``condition`` is true."""
    if not condition:
        raise CheckFailed(message)


def _fmt(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def close(
    got: Any, expected: Any, *, rtol: float = 1e-7, atol: float = 0.0, what: str = "result"
) -> None:
    """Compare numbers or arrays elementwise: ``|got - expected| <= atol + rtol * |expected|``.

    On failure the message names ``what``, the tolerance, the worst element, its
    index, and the values there. Shapes must match exactly (no broadcasting).
    """
    import numpy as np

    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(
            f"{what}: expected a number or an array of numbers, "
            f"got {type(got).__name__} {_fmt(got)}."
        ) from None
    e = np.asarray(expected, dtype=float)
    if g.shape != e.shape:
        raise CheckFailed(f"{what}: expected shape {e.shape}, got shape {g.shape}.")
    tol_text = f"rtol={rtol:g}, atol={atol:g}"
    if g.size == 0:
        return
    nan_mismatch = np.isnan(g) != np.isnan(e)
    if nan_mismatch.any():
        idx = tuple(int(i) for i in np.argwhere(nan_mismatch)[0])
        where = f" at index {idx}" if g.ndim else ""
        raise CheckFailed(
            f"{what}: got {g[idx] if g.ndim else float(g)}{where}, "
            f"expected {e[idx] if e.ndim else float(e)} "
            "(NaN appears where it should not: look for a division by zero or log of 0)."
        )
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(g - e)
        # rtol means nothing where the answer is exactly 0: allow rounding there
        allowed = np.where(e == 0, max(atol, ZERO_ATOL), atol + rtol * np.abs(e))
        excess = np.where(np.isnan(e), -np.inf, diff - allowed)
    if (excess <= 0).all():
        return
    flat = int(np.argmax(excess))
    worst = tuple(int(i) for i in np.unravel_index(flat, g.shape)) if g.ndim else ()
    gi, ei = float(g[worst]), float(e[worst])
    gap = _gap(gi, ei, float(allowed[worst]))
    if g.ndim == 0:
        raise CheckFailed(f"{what}: expected {_num(ei)}, got {_num(gi)} ({gap}; {tol_text}).")
    n_bad = int((excess > 0).sum())
    raise CheckFailed(
        f"{what}: {n_bad} of {g.size} elements differ beyond tolerance ({tol_text}). "
        f"Worst at index {worst if len(worst) > 1 else worst[0]}: expected {_num(ei)}, "
        f"got {_num(gi)} ({gap})."
    )


ZERO_ATOL = 1e-12  # where the expected value is exactly 0, differences below this are rounding


def _num(x: float) -> str:
    """A number for a learner: 6 significant digits, and 0 for what is rounding noise."""
    if x != 0 and abs(x) < 1e-12:
        return f"{x:.2g} (zero up to rounding)"
    return f"{x:.6g}"


def _gap(got: float, expected: float, allowed: float) -> str:
    """How far off, absolutely and (where it means something) relatively, and what is allowed."""
    diff = abs(got - expected)
    text = f"off by {diff:.3g}, allowed {allowed:.3g}"
    if expected != 0 and diff == diff:  # not NaN
        text += f"; that is {diff / abs(expected):.2%} of the expected value"
    if got == got and expected == expected and got == -expected != 0:
        text += "; the sign is flipped"
    return text


def at_least(value: float, floor: float, *, what: str) -> None:
    """Fail unless ``value >= floor``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise CheckFailed(
            f"{what}: expected a number, got {type(value).__name__} {_fmt(value)}."
        ) from None
    if not v >= floor:
        raise CheckFailed(f"{what} is {v:.4g}; it must be at least {floor:.4g}.")


def at_most(value: float, ceiling: float, *, what: str) -> None:
    """Fail unless ``value <= ceiling``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise CheckFailed(
            f"{what}: expected a number, got {type(value).__name__} {_fmt(value)}."
        ) from None
    if not v <= ceiling:
        raise CheckFailed(f"{what} is {v:.4g}; it must be at most {ceiling:.4g}.")


def _resolve(target: str) -> tuple[Any, str, Any]:
    """``"numpy.linalg.lstsq"`` -> (the ``numpy.linalg`` object, ``"lstsq"``, the function)."""
    parts = target.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:-1]:
            owner = getattr(owner, attr)
        return owner, parts[-1], getattr(owner, parts[-1])
    raise ValueError(f"cannot resolve {target!r}")


@contextmanager
def forbid(lab: ModuleType, *targets: str, rule: str) -> Iterator[None]:
    """Inside the block, a call of any of ``targets`` by the learner's code fails the check.

    ``targets`` are dotted paths (``"numpy.linalg.lstsq"``, ``"sklearn.linear_model.Ridge"``).
    Each is replaced where it is defined and wherever the learner's module holds the same
    object under another name (``from numpy.linalg import lstsq as solve``), so that a lab's
    "implement it yourself" rule cannot be dodged by an alias. ``rule`` is what the lab's
    README asks for, and becomes the message. Targets that are not installed are skipped.
    """
    patched: list[tuple[Any, str, Any]] = []
    called: list[str] = []

    def trap(name: str, original: Any) -> Any:
        def forbidden(*args: Any, **kwargs: Any) -> Any:
            called.append(name)
            raise CheckFailed(
                f"{rule} Your code called {name}, which this lab asks you to write yourself."
            )

        return forbidden

    try:
        for target in targets:
            try:
                owner, attr, original = _resolve(target)
            except (ValueError, AttributeError):
                continue
            replacement = trap(target, original)
            patched.append((owner, attr, original))
            setattr(owner, attr, replacement)
            for name, value in list(vars(lab).items()):
                if value is original:
                    patched.append((lab, name, original))
                    setattr(lab, name, replacement)
        yield
    finally:
        for owner, attr, original in reversed(patched):
            setattr(owner, attr, original)
    if called:  # the learner caught our CheckFailed: still a failure
        raise CheckFailed(
            f"{rule} Your code called {called[0]}, which this lab asks you to write yourself."
        )


def source_uses(
    lab: ModuleType,
    function: str,
    *,
    operators: tuple[type[ast.AST], ...] = (),
    calls: tuple[str, ...] = (),
) -> list[str]:
    """What of ``operators`` (e.g. ``ast.MatMult``) and ``calls`` (names such as ``"matmul"``,
    ``"dot"``) the learner's ``function`` uses in its source, each as ``"line N: what"``.

    For rules no patch can enforce (the ``@`` operator of NumPy arrays is a C slot).
    """
    fn = getattr(lab, function, None)
    if fn is None:
        return []
    try:
        tree = ast.parse(inspect.getsource(fn))
        first = inspect.getsourcelines(fn)[1]
    except (OSError, TypeError, SyntaxError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, operators):
            found.append(f"line {first + node.lineno - 1}: the {type(node.op).__name__} operator")
        elif isinstance(node, ast.Call):
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if name in calls:
                found.append(f"line {first + node.lineno - 1}: {name}()")
    return found


def learner_error(exc: BaseException, lab_path: Path) -> str:
    """Describe an exception for a learner, pointing at the deepest line of their own file."""
    frames = traceback.extract_tb(exc.__traceback__)
    resolved = str(lab_path.resolve())
    mine = [f for f in frames if f.filename and str(Path(f.filename).resolve()) == resolved]
    head = f"{type(exc).__name__}: {exc}".strip()
    if isinstance(exc, MemoryError):
        head += " (out of memory: look for an array far larger than the data, e.g. an n x n matrix)"
    elif isinstance(exc, SystemExit):
        head = "lab.py called sys.exit() or exit(); remove that call so the checks can run"
    if isinstance(exc, NotImplementedError) and mine:
        f = mine[-1]
        return f"{f.name}() is not implemented yet (lab.py line {f.lineno})."
    if mine:
        f = mine[-1]
        line = (f.line or "").strip()
        return f"{head}\n  raised in lab.py, line {f.lineno}, in {f.name}: {line}"
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"SyntaxError in lab.py, line {exc.lineno}: {exc.msg}"
    return head


def _load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def import_lab(lab_path: Path) -> ModuleType:
    """Import the learner's file as module ``lab``; raise LabImportError with a learner message."""
    lab_dir = str(lab_path.parent.resolve())
    if lab_dir not in sys.path:
        sys.path.insert(0, lab_dir)
    try:
        return _load_module("lab", lab_path)
    except (Exception, SystemExit) as exc:  # any failure while importing is the learner's to fix
        raise LabImportError(learner_error(exc, lab_path)) from exc


def load_checks(checks_path: Path) -> list[tuple[str, str, CheckFn]]:
    """Import a lab's ``checks.py``; return its checks as ``(name, title, fn)`` in order."""
    _REGISTRY.clear()
    _load_module("mlpath_lab_checks", checks_path)
    declared = list(_REGISTRY)
    _REGISTRY.clear()
    return declared


def run_check(name: str, title: str, fn: CheckFn, lab: ModuleType, lab_path: Path) -> CheckResult:
    """Run one check against the learner's module; never raises for the learner's mistakes."""
    try:
        fn(lab)
    except CheckFailed as exc:
        return CheckResult(name, title, "failed", str(exc))
    except (Exception, SystemExit) as exc:  # the learner's exception, reported with their line
        return CheckResult(name, title, "error", learner_error(exc, lab_path))
    return CheckResult(name, title, "passed", "ok")


def run_checks(checks_path: Path, lab_path: Path) -> list[CheckResult]:
    """Import ``lab_path`` as the learner's module and run every check of ``checks_path``.

    Never raises for problems in the learner's code: an import failure becomes a
    single ``error`` result named ``import``.
    """
    declared = load_checks(checks_path)
    try:
        lab = import_lab(lab_path)
    except LabImportError as exc:
        return [CheckResult("import", "lab.py imports", "error", str(exc))]
    return [run_check(name, title, fn, lab, lab_path) for name, title, fn in declared]
