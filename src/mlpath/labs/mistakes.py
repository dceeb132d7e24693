"""Plausible wrong solutions of a lab, kept as edits of its reference solution.

Each ``wrong/<name>.toml`` names one realistic mistake: ``why`` (what is wrong),
``expect`` (a phrase that a failing check's message must contain, proving the
message helps) and one or more ``[[edit]]`` tables, each replacing an ``old``
snippet, which must occur exactly once in ``solution.py``, by ``new``::

    why = "the residual is taken as y - y_hat, so the gradient has the wrong sign."
    expect = "gradient of the MSE"

    [[edit]]
    old = '''
        residuals = X @ w + b - y
    '''
    new = '''
        residuals = y - (X @ w + b)
    '''

Keeping edits rather than whole copies shows each mistake at a glance, and an
edit that no longer applies after the solution changes fails loudly.

``right/<name>.toml`` files have the same form without ``expect``: a different but
correct approach (vectorised instead of a loop, closed form instead of iterative,
another seed...) that must pass, so that no check is fitted to the reference alone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from mlpath.errors import LabError
from mlpath.labs.catalog import lab_folder, read_lab_file


@dataclass(frozen=True)
class Mistake:
    name: str
    why: str
    expect: str
    source: str  # solution.py with the edits applied: the wrong lab.py


def apply_edits(solution: str, edits: list[tuple[str, str]], where: str) -> str:
    """``solution`` with each (old, new) edit applied; every ``old`` must occur exactly once."""
    text = solution
    for i, (old, new) in enumerate(edits, 1):
        count = text.count(old) if old else 0
        if count != 1:
            raise LabError(
                f"{where}: edit {i} must match solution.py exactly once (matches {count} times)."
            )
        text = text.replace(old, new)
    if text == solution:
        raise LabError(f"{where}: the edits change nothing.")
    return text


def load_mistake(lab_id: str, name: str, solution: str) -> Mistake:
    where = f"{lab_id}/wrong/{name}"
    try:
        doc = tomllib.loads(read_lab_file(lab_id, f"wrong/{name}"))
        edits = [(str(e["old"]), str(e["new"])) for e in doc["edit"]]
        why, expect = str(doc["why"]), str(doc["expect"]).strip()
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise LabError(
            f"{where}: not a valid mistake file ({type(exc).__name__}: {exc})."
        ) from None
    if not expect or not edits:
        raise LabError(f"{where}: needs a non-empty 'expect' and at least one [[edit]].")
    return Mistake(name, why, expect, apply_edits(solution, edits, where))


def mistakes(lab_id: str) -> list[Mistake]:
    """Every wrong solution of a packaged lab, sorted by name (raises LabError if one is broken)."""
    wrong = lab_folder(lab_id) / "wrong"
    if not wrong.is_dir():
        return []
    solution = read_lab_file(lab_id, "solution.py")
    names = sorted(f.name for f in wrong.iterdir() if f.name.endswith(".toml"))
    return [load_mistake(lab_id, name, solution) for name in names]


def mistake_names(lab_id: str) -> list[str]:
    return _names(lab_id, "wrong")


def _names(lab_id: str, kind: str) -> list[str]:
    folder = lab_folder(lab_id) / kind
    return (
        sorted(f.name for f in folder.iterdir() if f.name.endswith(".toml"))
        if folder.is_dir()
        else []
    )


@dataclass(frozen=True)
class Alternative:
    name: str
    why: str
    source: str  # solution.py with the edits applied: another correct lab.py


def alternative_names(lab_id: str) -> list[str]:
    return _names(lab_id, "right")


def alternatives(lab_id: str) -> list[Alternative]:
    """Every correct alternative solution of a packaged lab (``right/*.toml``), by name."""
    solution = read_lab_file(lab_id, "solution.py")
    found = []
    for name in alternative_names(lab_id):
        where = f"{lab_id}/right/{name}"
        try:
            doc = tomllib.loads(read_lab_file(lab_id, f"right/{name}"))
            edits = [(str(e["old"]), str(e["new"])) for e in doc["edit"]]
            why = str(doc["why"]).strip()
        except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
            raise LabError(
                f"{where}: not a valid alternative file ({type(exc).__name__}: {exc})."
            ) from None
        if not why or not edits:
            raise LabError(f"{where}: needs a non-empty 'why' and at least one [[edit]].")
        found.append(Alternative(name, why, apply_edits(solution, edits, where)))
    return found
