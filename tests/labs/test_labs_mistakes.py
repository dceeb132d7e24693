"""Wrong solutions are edits of the reference solution; broken edits fail loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpath.errors import LabError
from mlpath.labs import catalog
from mlpath.labs.mistakes import apply_edits, mistakes

SOLUTION = "def double(x):\n    return 2.0 * x\n\n\ndef half(x):\n    return x / 2\n"


def test_edits_apply_in_order() -> None:
    out = apply_edits(SOLUTION, [("2.0 * x", "x"), ("x / 2", "x / 3")], "lab/wrong/a.toml")
    assert out == "def double(x):\n    return x\n\n\ndef half(x):\n    return x / 3\n"


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        ([("3.0 * x", "x")], "matches 0 times"),
        ([("return", "yield")], "matches 2 times"),
        ([("", "x")], "matches 0 times"),
        ([("2.0 * x", "2.0 * x")], "change nothing"),
    ],
)
def test_edits_that_do_not_apply_exactly_once_are_refused(
    edits: list[tuple[str, str]], message: str
) -> None:
    with pytest.raises(LabError, match=message):
        apply_edits(SOLUTION, edits, "lab/wrong/a.toml")


def test_a_malformed_mistake_file_names_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lab = tmp_path / "fake"
    (lab / "wrong").mkdir(parents=True)
    (lab / "solution.py").write_text(SOLUTION)
    (lab / "wrong" / "bad.toml").write_text('why = "x"\n[[edit]]\nold = "2.0"\n')
    monkeypatch.setattr(catalog, "_root", lambda: tmp_path)
    with pytest.raises(LabError, match=r"fake/wrong/bad\.toml: not a valid mistake file"):
        mistakes("fake")


@pytest.mark.parametrize("lab_id", catalog.lab_ids())
def test_every_packaged_mistake_applies_and_really_changes_the_code(lab_id: str) -> None:
    found = mistakes(lab_id)
    solution = catalog.read_lab_file(lab_id, "solution.py")
    assert len(found) >= 2
    for m in found:
        assert m.source != solution and m.expect and m.why
        compile(m.source, f"{lab_id}/wrong/{m.name}", "exec")  # still valid Python
