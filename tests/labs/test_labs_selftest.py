"""Every packaged lab tests itself, through the same subprocess runner a learner uses.

For each lab: its layout follows the lab contract, the reference solution passes
(every declared check ran and passed), the untouched starter is not-attempted and
imports cleanly, and every plausible mistake (``wrong/*.toml``, applied to the
solution) fails with a message containing its ``expect`` phrase, and every correct
alternative (``right/*.toml``) passes.
Deep-learning labs are marked ``dl`` and skipped only where their packages are absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlpath.errors import LabError
from mlpath.labs import catalog, mistakes, runner, validate, workspace


def _marks(lab_id: str) -> list[pytest.MarkDecorator]:
    try:
        meta = catalog.get_lab(lab_id)
    except LabError:
        return []  # test_layout reports it
    return [pytest.mark.dl, pytest.mark.slow] if meta.is_deep_learning else []


def _candidates() -> list[object]:
    params: list[object] = []
    for lab_id in catalog.lab_ids():
        marks = _marks(lab_id)
        names = [
            "solution.py",
            "starter.py",
            *(f"wrong/{name}" for name in mistakes.mistake_names(lab_id)),
            *(f"right/{name}" for name in mistakes.alternative_names(lab_id)),
        ]
        params += [pytest.param(lab_id, name, id=f"{lab_id}:{name}", marks=marks) for name in names]
    return params


def _meta_or_skip(lab_id: str) -> catalog.LabMeta:
    meta = catalog.get_lab(lab_id)
    missing = catalog.missing_packages(meta)
    if missing and meta.is_deep_learning:
        pytest.skip(f"{lab_id} needs {', '.join(missing)}")
    return meta


def _run(meta: catalog.LabMeta, source: str, folder: Path) -> runner.LabResult:
    folder.mkdir(parents=True, exist_ok=True)
    lab_file = folder / workspace.LAB_FILE
    lab_file.write_text(source, encoding="utf-8")
    return runner.run_lab(meta, lab_file, topic=meta.topic)


def _describe(result: runner.LabResult) -> str:
    return (
        "\n".join(f"  [{c.status}] {c.name}: {c.message}" for c in result.checks)
        + "\n"
        + result.output
    )


@pytest.mark.parametrize("lab_id", catalog.lab_ids())
def test_layout(lab_id: str) -> None:
    assert validate.validate_lab(lab_id) == []


@pytest.mark.parametrize(("lab_id", "candidate"), _candidates())
def test_lab(lab_id: str, candidate: str, tmp_path: Path) -> None:
    meta = _meta_or_skip(lab_id)
    if candidate == "starter.py":
        created = workspace.create_lab(meta, meta.topic, tmp_path)
        assert workspace.is_untouched(created.lab_file, meta), (
            "a fresh lab.py must be not-attempted"
        )
        result = runner.run_lab(meta, created.lab_file, topic=meta.topic)
        assert result.status in ("failed", "error"), _describe(result)
        assert result.checks[0].name not in ("import", "checker"), "the starter must import cleanly"
        return
    if candidate == "solution.py":
        result = _run(meta, catalog.read_lab_file(lab_id, candidate), tmp_path / "lab")
        assert result.status == "passed", _describe(result)
        assert result.declared == len(result.checks) > 0
        assert all(c.status == "passed" for c in result.checks)
        return
    if candidate.startswith("right/"):
        alt = next(a for a in mistakes.alternatives(lab_id) if f"right/{a.name}" == candidate)
        result = _run(meta, alt.source, tmp_path / "lab")
        assert result.status == "passed", f"{candidate} ({alt.why}) is correct\n{_describe(result)}"
        return
    mistake = next(m for m in mistakes.mistakes(lab_id) if f"wrong/{m.name}" == candidate)
    result = _run(meta, mistake.source, tmp_path / "lab")
    needle = mistake.expect.lower()
    assert result.status in ("failed", "error"), f"{candidate} ({mistake.why}) passed every check"
    failing = [c.message.lower() for c in result.checks if c.status != "passed"]
    assert any(needle in m for m in failing), (
        f"no failing message contains {needle!r}:\n{_describe(result)}"
    )


def test_a_copied_solution_is_not_mistaken_for_the_starter(tmp_path: Path) -> None:
    meta = catalog.get_lab("gradient-check")
    created = workspace.create_lab(meta, meta.topic, tmp_path)
    shutil.copy(catalog.lab_folder(meta.id) / "solution.py", created.lab_file)
    assert not workspace.is_untouched(created.lab_file, meta)
