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
from collections.abc import Callable
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


def _source(lab_id: str, candidate: str) -> str:
    if candidate in ("solution.py", "starter.py"):
        return catalog.read_lab_file(lab_id, candidate)
    if candidate.startswith("right/"):
        return next(
            a.source for a in mistakes.alternatives(lab_id) if f"right/{a.name}" == candidate
        )
    return next(m.source for m in mistakes.mistakes(lab_id) if f"wrong/{m.name}" == candidate)


@pytest.fixture(scope="module")
def batch(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str], runner.LabResult]:
    """Results of a lab's selected candidates, all checked in one batch of the runner.

    The checks of a lab are loaded once; each candidate still gets a fresh worker
    process and a fresh import of its own lab.py, so each result stands alone.
    """
    results: dict[tuple[str, str], runner.LabResult] = {}

    def get(lab_id: str, candidate: str) -> runner.LabResult:
        if (lab_id, candidate) not in results:
            meta = catalog.get_lab(lab_id)
            wanted = [
                item.callspec.params["candidate"]
                for item in request.session.items
                if hasattr(item, "callspec")
                and item.callspec.params.get("lab_id") == lab_id
                and "candidate" in item.callspec.params
            ] or [candidate]
            root = tmp_path_factory.mktemp(lab_id)
            files = []
            for i, name in enumerate(wanted):
                if name == "starter.py":
                    files.append(workspace.create_lab(meta, meta.topic, root / f"c{i}").lab_file)
                    continue
                folder = root / f"c{i}"
                folder.mkdir()
                (folder / workspace.LAB_FILE).write_text(_source(lab_id, name), encoding="utf-8")
                files.append(folder / workspace.LAB_FILE)
            for name, result in zip(
                wanted, runner.run_labs(meta, files, topic=meta.topic), strict=True
            ):
                results[(lab_id, name)] = result
        return results[(lab_id, candidate)]

    return get


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
def test_lab(
    lab_id: str, candidate: str, tmp_path: Path, batch: Callable[[str, str], runner.LabResult]
) -> None:
    meta = _meta_or_skip(lab_id)
    if candidate == "starter.py":
        created = workspace.create_lab(meta, meta.topic, tmp_path)
        assert workspace.is_untouched(created.lab_file, meta), (
            "a fresh lab.py must be not-attempted"
        )
        result = batch(lab_id, candidate)
        assert result.status in ("failed", "error"), _describe(result)
        assert result.checks[0].name not in ("import", "checker"), "the starter must import cleanly"
        return
    result = batch(lab_id, candidate)
    if candidate == "solution.py":
        assert result.status == "passed", _describe(result)
        assert result.declared == len(result.checks) > 0
        assert all(c.status == "passed" for c in result.checks)
        return
    if candidate.startswith("right/"):
        alt = next(a for a in mistakes.alternatives(lab_id) if f"right/{a.name}" == candidate)
        assert result.status == "passed", f"{candidate} ({alt.why}) is correct\n{_describe(result)}"
        return
    mistake = next(m for m in mistakes.mistakes(lab_id) if f"wrong/{m.name}" == candidate)
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
