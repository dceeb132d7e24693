"""The lab framework: catalog, workspace, hints, the subprocess runner and the lab commands.

Most tests use tiny fake labs written into tmp_path (the catalog's package root is
pointed there), so they exercise the framework, not any real lab's content.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlpath.errors import InputError, LabDependencyMissing, LabError
from mlpath.labs import catalog, hints, runner, validate, workspace
from mlpath.labs.catalog import LabMeta
from tests.labs.conftest import SOLUTION, STARTER

MakeLab = Callable[..., LabMeta]


def statuses(result: runner.LabResult) -> dict[str, str]:
    return {c.name: c.status for c in result.checks}


# ----------------------------------------------------------------------------- catalog


def test_packaged_catalog_holds_the_worked_example() -> None:
    assert "gradient-check" in catalog.lab_ids()
    meta = catalog.get_lab("gradient-check")
    assert meta.topic == "partial-derivatives-gradients"
    assert validate.validate_lab("gradient-check") == []


def test_catalog_lists_only_folders_with_meta(make_lab: MakeLab, fake_root: Path) -> None:
    make_lab("double")
    (fake_root / "not-a-lab").mkdir()
    (fake_root / "stray.py").write_text("")
    assert catalog.lab_ids() == ["double"]
    assert list(catalog.all_labs()) == ["double"]
    assert validate.validate_lab("double") == []


def test_unknown_and_invalid_labs_raise_lab_errors(make_lab: MakeLab, fake_root: Path) -> None:
    with pytest.raises(LabError, match="No lab named 'nope'"):
        catalog.get_lab("nope")
    make_lab("bad", timeout=-1, track="jax", load=False)
    with pytest.raises(LabError) as info:
        catalog.get_lab("bad")
    assert "timeout" in str(info.value) and "track" in str(info.value)
    make_lab("renamed", id="other", load=False)
    with pytest.raises(LabError, match="must match the folder name"):
        catalog.get_lab("renamed")


def test_validate_lab_reports_every_layout_problem(make_lab: MakeLab, fake_root: Path) -> None:
    make_lab("double", variants={"tensorflow": "missing-lab"})
    (fake_root / "double" / "solution.py").unlink()
    (fake_root / "double" / "hints.json").write_text('{"not": "a list"}')
    shutil.rmtree(fake_root / "double" / "wrong")
    problems = validate.validate_lab("double")
    assert len(problems) == 4
    assert any("solution.py" in p for p in problems)
    assert any("missing-lab" in p for p in problems)
    assert any("hints.json" in p for p in problems)
    assert any("wrong/*.toml" in p for p in problems)


def test_lab_for_resolves_the_track_variant(make_lab: MakeLab) -> None:
    make_lab("mlp-torch", track="pytorch", variants={"tensorflow": "mlp-keras"})
    make_lab("mlp-keras", track="tensorflow")
    assert catalog.lab_for("mlp", None, "pytorch") is None
    assert catalog.lab_for("mlp", "mlp-torch", "pytorch").id == "mlp-torch"  # type: ignore[union-attr]
    assert catalog.lab_for("mlp", "mlp-torch", None).id == "mlp-torch"  # type: ignore[union-attr]
    assert catalog.lab_for("mlp", "mlp-torch", "tensorflow").id == "mlp-keras"  # type: ignore[union-attr]
    with pytest.raises(LabError, match="names the lab 'ghost'"):
        catalog.lab_for("mlp", "ghost", None)
    with pytest.raises(LabError, match="has no lab"):
        catalog.require_lab("mlp", None, None)


def test_missing_packages_give_the_exact_install_command(make_lab: MakeLab) -> None:
    classic = make_lab("classic", requires=["numpy", "sklearn"])
    deep = make_lab("deep", requires=["numpy", "torch"])
    absent = {"sklearn", "torch"}

    def find(name: str) -> object:
        return None if name in absent else object()

    assert catalog.missing_packages(classic, find) == ["sklearn"]
    with pytest.raises(LabDependencyMissing) as info:
        catalog.ensure_installed(classic, find)
    assert "sklearn" in str(info.value) and info.value.hint == 'pip install "mlpath[labs]"'
    with pytest.raises(LabDependencyMissing) as info:
        catalog.ensure_installed(deep, find)
    assert "https://download.pytorch.org/whl/cpu" in (info.value.hint or "")
    assert 'pip install "mlpath[dl]"' in (info.value.hint or "")
    catalog.ensure_installed(classic, lambda name: object())  # all present: no error


# ----------------------------------------------------------------------------- workspace


def test_labs_root_prefers_option_then_env_then_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert workspace.labs_root(tmp_path / "x", {"MLPATH_LABS": "/env"}, home) == tmp_path / "x"
    assert (
        workspace.labs_root(None, {"MLPATH_LABS": str(tmp_path / "env")}, home) == tmp_path / "env"
    )
    assert workspace.labs_root(None, {}, home) == home / "mlpath-labs"


def test_create_lab_never_overwrites_the_learners_work(make_lab: MakeLab, tmp_path: Path) -> None:
    meta = make_lab()
    root = tmp_path / "labs"
    first = workspace.create_lab(meta, "doubling", root)
    assert first.created and first.lab_file == root / "doubling" / "lab.py"
    assert first.lab_file.read_text() == STARTER
    assert (root / "doubling" / "README.md").read_text() == "# Doubling\n"
    first.lab_file.write_text("my work")
    (root / "doubling" / "README.md").write_text("my notes")
    again = workspace.create_lab(meta, "doubling", root)
    assert not again.created and again.lab_file == first.lab_file
    assert first.lab_file.read_text() == "my work"
    assert (root / "doubling" / "README.md").read_text() == "my notes"


def test_create_lab_reports_an_unwritable_place(make_lab: MakeLab, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(LabError, match="Cannot create the lab folder"):
        workspace.create_lab(make_lab(), "doubling", blocker)


def test_untouched_starter_is_detected_despite_whitespace(
    make_lab: MakeLab, tmp_path: Path, fake_root: Path
) -> None:
    meta = make_lab()
    lab_file = workspace.create_lab(meta, "doubling", tmp_path).lab_file
    assert workspace.is_untouched(lab_file, meta)
    lab_file.write_text(STARTER.replace("\n", "  \r\n") + "\n\n")
    assert workspace.is_untouched(lab_file, meta)
    # an upgrade changes the packaged starter: the recorded fingerprint still matches
    (fake_root / "double" / "starter.py").write_text(STARTER + "# v2\n")
    assert workspace.is_untouched(lab_file, meta)
    lab_file.write_text(STARTER.replace("raise NotImplementedError", "return 2 * x"))
    assert not workspace.is_untouched(lab_file, meta)


def test_require_lab_file_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(LabError) as info:
        workspace.require_lab_file(tmp_path, "doubling")
    assert "mlpath lab doubling" in (info.value.hint or "")


# ----------------------------------------------------------------------------- hints


def test_hint_selection_progresses_and_stops_at_the_last() -> None:
    assert hints.select(0, 3).levels == [1]
    assert hints.select(1, 3).levels == [2]
    last = hints.select(2, 3)
    assert last.levels == [3] and last.last_seen
    assert hints.select(3, 3).levels == [3]
    assert hints.select(0, 3, show_all=True).levels == [1, 2, 3]
    picked = hints.select(2, 3, level=1)
    assert picked.levels == [1] and picked.shown == 2
    assert hints.select(0, 0).levels == []
    with pytest.raises(InputError):
        hints.select(0, 3, level=4)


def test_hint_state_is_kept_in_the_learners_folder(make_lab: MakeLab, tmp_path: Path) -> None:
    make_lab()
    folder = tmp_path / "lab"
    folder.mkdir()
    seen = [hints.take_hints(folder, "double")[1] for _ in range(4)]
    assert seen == [["Think."], ["Multiply."], ["Return 2 * x."], ["Return 2 * x."]]
    assert json.loads((folder / hints.HINTS_STATE).read_text())["shown"] == 3
    (folder / hints.HINTS_STATE).write_text("{garbage")
    assert hints.take_hints(folder, "double")[1] == ["Think."]


# ----------------------------------------------------------------------------- runner


def test_summary_counts_declared_checks() -> None:
    ok = runner.CheckOutcome("a", "A", "passed", "ok")
    bad = runner.CheckOutcome("b", "B", "failed", "no")
    err = runner.CheckOutcome("c", "C", "error", "boom")
    assert runner.summarize((ok, ok), 2) == ("passed", "All 2 checks passed.")
    assert runner.summarize((ok, ok), 3)[0] == "error"  # one declared check never ran
    assert runner.summarize((), 0)[0] == "error"
    assert runner.summarize((ok, bad), 2) == ("failed", "1 of 2 checks passed.")
    assert runner.summarize((bad, err), 2)[0] == "error"


def test_child_env_sets_safe_defaults_without_overriding_the_user(tmp_path: Path) -> None:
    env = runner.child_env(
        {"PATH": "/bin"}, tensorflow_present=False, threads=2, package_root=tmp_path
    )
    assert env["KERAS_BACKEND"] == "torch" and env["OMP_NUM_THREADS"] == "2"
    assert env["MPLBACKEND"] == "Agg" and env["PATH"] == "/bin"
    assert env["PYTHONPATH"].split(":")[0] == str(tmp_path)
    mine = runner.child_env(
        {"KERAS_BACKEND": "jax", "OMP_NUM_THREADS": "8"},
        tensorflow_present=False,
        threads=2,
        package_root=tmp_path,
    )
    assert mine["KERAS_BACKEND"] == "jax" and mine["OMP_NUM_THREADS"] == "8"
    with_tf = runner.child_env({}, tensorflow_present=True, threads=2, package_root=tmp_path)
    assert "KERAS_BACKEND" not in with_tf


def test_a_correct_lab_passes_with_every_check_counted(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    result = runner.run_lab(make_lab(), learner(SOLUTION), topic="doubling")
    assert result.status == "passed" and result.passed
    assert result.declared == 2 and statuses(result) == {
        "doubles": "passed",
        "keeps_type": "passed",
    }
    data = result.as_dict()
    assert {"topic", "lab", "status", "checks"} <= set(data)
    assert data["topic"] == "doubling" and data["lab"] == "double"
    assert all(set(c) >= {"name", "status", "message"} for c in data["checks"])
    json.dumps(data)  # serialisable as is


def test_a_wrong_answer_fails_with_expected_and_got(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    result = runner.run_lab(
        make_lab(), learner("def double(x):\n    return 3 * x\n"), topic="doubling"
    )
    assert result.status == "failed"
    assert statuses(result) == {"doubles": "failed", "keeps_type": "passed"}
    message = result.checks[0].message
    assert "expected 4" in message and "got 6" in message


def test_the_learners_exception_names_their_line(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    lab = learner(
        """
        def double(x):
            y = x / 0
            return y
        """
    )
    result = runner.run_lab(make_lab(), lab, topic="doubling")
    assert result.status == "error"
    assert all(c.status == "error" for c in result.checks)
    assert "ZeroDivisionError" in result.checks[0].message
    assert "line 3" in result.checks[0].message and "x / 0" in result.checks[0].message


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("import numpy\nimport no_such_package_xyz\n", "line 2"),
        ("def double(x)\n    return 2 * x\n", "SyntaxError in lab.py, line 1"),
    ],
)
def test_an_import_problem_is_one_error_with_the_line(
    make_lab: MakeLab, learner: Callable[[str], Path], source: str, needle: str
) -> None:
    result = runner.run_lab(make_lab(), learner(source), topic="doubling")
    assert result.status == "error" and result.declared == 2
    assert [c.name for c in result.checks] == ["import"]
    assert needle in result.checks[0].message


def test_a_hang_becomes_a_timeout_message_on_the_running_check(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    lab = learner("def double(x):\n    while True:\n        pass\n")
    result = runner.run_lab(make_lab(), lab, topic="doubling", timeout=1)
    assert result.status == "error"
    assert result.message.startswith("Your code did not finish within 1 s")
    assert "--timeout 300" in result.message
    first, second = result.checks
    assert first.status == "error" and "did not finish within 1 s" in first.message
    assert second.status == "error" and second.message.startswith("Not run")
    assert result.seconds < 10


def test_a_hang_at_import_time_points_at_top_level_code(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    result = runner.run_lab(
        make_lab(), learner("while True:\n    pass\n"), topic="doubling", timeout=1
    )
    assert [c.name for c in result.checks] == ["import"]
    assert "top level of lab.py" in result.checks[0].message


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("import os\n    os.abort()", "Python crashed (SIGABRT)"),
        ("import os\n    os._exit(3)", "exit status 3"),
    ],
)
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_crash_of_the_child_is_reported_not_raised(
    make_lab: MakeLab, learner: Callable[[str], Path], body: str, needle: str
) -> None:
    lab = learner(f"def double(x):\n    {body}\n")
    result = runner.run_lab(make_lab(), lab, topic="doubling")
    assert result.status == "error" and needle in result.message
    assert [c.status for c in result.checks] == ["error", "error"]


def test_sys_exit_in_the_learners_code_is_an_error_not_a_stop(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    result = runner.run_lab(
        make_lab(), learner("import sys\ndef double(x):\n    sys.exit(0)\n"), topic="doubling"
    )
    assert statuses(result) == {"doubles": "error", "keeps_type": "error"}
    assert "sys.exit()" in result.checks[0].message


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_DATA is enforced on Linux")
def test_the_memory_cap_turns_a_huge_allocation_into_a_message(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    lab = learner(
        """
        def double(x):
            blob = bytearray(3 * 1024**3)  # 3 GiB, over the 512 MB cap
            return 2.0 * x + len(blob) * 0
        """
    )
    result = runner.run_lab(make_lab(), lab, topic="doubling", memory_mb=512)
    assert result.checks[0].status == "error"
    assert "MemoryError" in result.checks[0].message and "out of memory" in result.checks[0].message


def test_prints_cannot_garble_the_report_and_cwd_is_the_lab_folder(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    lab = learner(
        """
        from pathlib import Path
        FACTOR = float(Path("factor.txt").read_text())
        def double(x):
            print('{"event": "end"}')
            print("not json at all")
            return FACTOR * x
        """
    )
    (lab.parent / "factor.txt").write_text("2")
    result = runner.run_lab(make_lab(), lab, topic="doubling")
    assert result.status == "passed"
    assert "not json at all" in result.output


def test_garbage_from_the_interpreter_is_a_clear_error(
    make_lab: MakeLab, learner: Callable[[str], Path], tmp_path: Path
) -> None:
    fake_python = tmp_path / "fake-python"
    fake_python.write_text("#!/bin/sh\necho 'Segmentation fault in something'\nexit 0\n")
    fake_python.chmod(0o755)
    result = runner.run_lab(
        make_lab(), learner(SOLUTION), topic="doubling", python=str(fake_python)
    )
    assert result.status == "error" and not result.passed
    assert result.checks[0].name == "checker"


def test_broken_checks_are_reported_as_a_bug(
    make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    meta = make_lab(checks="raise RuntimeError('oops')\n")
    result = runner.run_lab(meta, learner(SOLUTION), topic="doubling")
    assert (
        result.status == "error"
        and "could not be loaded" in result.message
        and "oops" in result.message
    )


def test_progress_is_reported_per_check(make_lab: MakeLab, learner: Callable[[str], Path]) -> None:
    seen: list[tuple[int, int, str | None]] = []
    runner.run_lab(
        make_lab(), learner(SOLUTION), topic="doubling", on_progress=lambda *a: seen.append(a)
    )
    assert seen[0] == (0, 2, "double doubles")
    assert seen[-1] == (2, 2, None)


# ----------------------------------------------------------------------------- CLI

LAB_COMMANDS = ("lab", "check", "hint", "solution")


@pytest.fixture
def lab_cli(
    cli: Any, tiny_doc: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """The CLI on a tiny curriculum whose 'calculus' topic has the gradient-check lab."""
    for t in tiny_doc["topics"]:
        t.pop("lab", None)
        if t["id"] == "calculus":
            t["lab"] = "gradient-check"
    path = tmp_path / "labs-curriculum.json"
    path.write_text(json.dumps(tiny_doc))
    monkeypatch.setenv("MLPATH_CURRICULUM", str(path))
    monkeypatch.setenv("MLPATH_LABS", str(tmp_path / "my-labs"))
    return cli


@pytest.mark.parametrize("command", LAB_COMMANDS)
def test_every_lab_command_has_help_with_an_example(command: str) -> None:
    from mlpath.cli.app import app

    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example: mlpath " + command in result.output


def test_the_learners_flow_end_to_end(lab_cli: Any, tmp_path: Path) -> None:
    created = lab_cli("lab", "calculus")
    assert created.exit_code == 0 and "Created your lab" in created.output
    lab_file = tmp_path / "my-labs" / "calculus" / "lab.py"
    assert lab_file.is_file()
    again = lab_cli("lab", "calc")
    assert "already there" in again.output and str(lab_file) in again.output.replace("\n", "")

    untouched = lab_cli("check", "calculus", "--json")
    assert untouched.exit_code == 1
    assert json.loads(untouched.output)["status"] == "not-attempted"

    first_hint = lab_cli("hint", "calculus")
    found = re.search(r"Hint 1 of (\d+)", first_hint.output)
    assert found, first_hint.output
    n = int(found.group(1))  # the hints of the first failing check (see hints.json)
    assert n >= 2
    assert f"Hint 2 of {n}" in lab_cli("hint", "calculus").output
    assert f"Hint 1 of {n}" in lab_cli("hint", "calculus", "--level", "1").output

    from mlpath.cli.app import app

    refused = CliRunner().invoke(app, ["solution", "calculus"], input="n\n")
    assert refused.exit_code == 1 and "not passed" in refused.output

    shutil.copy(catalog.lab_folder("gradient-check") / "solution.py", lab_file)
    passed = lab_cli("check", "calculus")
    assert passed.exit_code == 0 and "PASSED" in passed.output and "Recorded" in passed.output
    assert "\x1b[" not in passed.output  # NO_COLOR (set by the home fixture) is respected
    shown = json.loads(lab_cli("show", "calculus", "--json").output)
    assert shown["lab_passed"] is True

    as_json = json.loads(lab_cli("check", "calculus", "--json").output)
    assert as_json["status"] == "passed" and as_json["recorded"] is False  # recorded once
    assert len(as_json["checks"]) == as_json["declared"] > 0

    solution = lab_cli("solution", "calculus")
    assert solution.exit_code == 0 and "def numerical_gradient" in solution.output


def test_lab_errors_are_short_messages(lab_cli: Any) -> None:
    no_lab = lab_cli("lab", "vectors")
    assert no_lab.exit_code == 1 and "has no lab" in no_lab.output
    no_folder = lab_cli("check", "calculus")
    assert no_folder.exit_code == 1 and "mlpath lab calculus" in no_folder.output
    assert "Traceback" not in no_lab.output + no_folder.output


# ----------------------------------------------------------------------------- targeted hints

KEYED = {"doubles": ["Multiply.", "Return 2 * x."], "keeps_type": ["Floats.", "Use 2.0."]}


def test_keyed_hints_target_the_first_failing_check(
    lab_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_lab: MakeLab
) -> None:
    make_lab("gradient-check")  # a fake lab under the real lab's name
    (catalog._root() / "gradient-check" / "hints.json").write_text(json.dumps(KEYED))
    assert validate.validate_lab("gradient-check") == []
    assert "Created" in lab_cli("lab", "calculus").output
    lab_file = tmp_path / "my-labs" / "calculus" / "lab.py"
    lab_file.write_text("def double(x):\n    return int(2 * x)\n")  # only keeps_type fails
    first = lab_cli("hint", "calculus")
    assert "Floats." in first.output and "double keeps the type" in first.output
    assert "Use 2.0." in lab_cli("hint", "calculus").output
    lab_file.write_text("def double(x):\n    return 3.0 * x\n")  # now `doubles` fails first
    assert "Multiply." in lab_cli("hint", "calculus").output
    lab_file.write_text(SOLUTION)
    assert lab_cli("check", "calculus").exit_code == 0
    assert "no hint needed" in lab_cli("hint", "calculus").output


def test_validate_checks_keyed_hints_against_the_declared_checks(
    make_lab: MakeLab, fake_root: Path
) -> None:
    make_lab("double")
    (fake_root / "double" / "hints.json").write_text(json.dumps({"doubles": ["x"], "ghost": ["y"]}))
    problems = validate.validate_lab("double")
    assert any("'ghost'" in p and "does not declare" in p for p in problems)
    assert any("no hint for the check 'keeps_type'" in p for p in problems)
    (fake_root / "double" / "hints.json").write_text(json.dumps({"doubles": []}))
    assert any("hints.json" in p for p in validate.validate_lab("double"))


def test_lab_names_work_where_topic_ids_do(lab_cli: Any) -> None:
    assert lab_cli("lab", "gradient-check").exit_code == 0
    checked = lab_cli("check", "gradient-check", "--json")
    assert json.loads(checked.output)["status"] == "not-attempted"
    assert lab_cli("solution", "gradient-check", "--yes").exit_code == 0
    unknown = lab_cli("check", "gradient-chek")
    assert unknown.exit_code == 1 and "gradient-check" in unknown.output
    assert "Traceback" not in unknown.output


def test_close_messages_are_readable_for_tiny_and_flipped_values() -> None:
    from mlpath.labs.checking import CheckFailed, close

    close(7.1e-218, 0.0, what="x")  # rounding noise where the answer is exactly 0 passes
    with pytest.raises(CheckFailed) as info:
        close(-4.0, 4.0, what="slope")
    text = str(info.value)
    assert "expected 4, got -4" in text and "sign is flipped" in text and "off by 8" in text
    with pytest.raises(CheckFailed) as info:
        close([1.0, 2.0, 3.5], [1.0, 2.0, 3.0], rtol=1e-3, what="w")
    assert "16.67% of the expected value" in str(info.value)
    with pytest.raises(CheckFailed) as info:
        close(1e-15, 1.0, what="p")
    assert "zero up to rounding" in str(info.value)


def test_a_batch_checks_each_file_fresh_and_alone(
    make_lab: MakeLab, learner: Callable[[str], Path], tmp_path: Path
) -> None:
    cached = """
import functools
from mlpath.labs.checking import check, close

@functools.cache
def _answer(lab):
    return lab.double(2.0)

@check("double doubles")
def doubles(lab):
    close(_answer(lab), 4.0, what="double(2.0)")
"""
    files = []
    for i, body in enumerate(
        ["return 3 * x", "return 2.0 * x", "while True: pass", "return 3 * x"]
    ):
        folder = tmp_path / f"c{i}"
        folder.mkdir()
        (folder / "lab.py").write_text(f"import sys\nSTATE = []\ndef double(x):\n    {body}\n")
        files.append(folder / "lab.py")
    results = runner.run_labs(make_lab(checks=cached), files, topic="doubling", timeout=3)
    assert [r.status for r in results] == ["failed", "passed", "error", "failed"]
    assert "did not finish within 3 s" in results[2].message  # and the batch went on
