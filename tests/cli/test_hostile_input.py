"""Hostile curricula, stores and options (issue 13): plain text, safe exports, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlpath.cli.app import app
from tests.conftest import TODAY, tiny_document

ESC = "\x1b"
EVIL = (
    "Vec\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ "
    "[link=javascript:alert(1)]x[/link] [/] \x9b31m"
)


def _run(home: Path, curriculum: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    base = {
        "MLPATH_HOME": str(home),
        "MLPATH_CURRICULUM": str(curriculum),
        "MLPATH_TODAY": TODAY.isoformat(),
        "MLPATH_CACHE": str(home.parent / "cache"),
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }
    return CliRunner().invoke(app, list(args), env={**base, **(env or {})})


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    doc = tiny_document()
    t = doc["topics"][0]
    t["title"] = EVIL
    t["summary"] = EVIL
    t["objectives"] = ["[/]", EVIL, "[bold]not bold"]
    t["resources"][0]["title"] = EVIL
    doc["phases"][0]["title"] = "[/]" + EVIL
    doc["title"] = "Tiny\nBEGIN:VEVENT\r\nSUMMARY:injected"
    t["resources"].append(
        {"title": "bad", "url": "javascript:alert(1)", "kind": "article", "free": True}
    )
    t["resources"].append(
        {"title": "crlf", "url": "https://x.org/\r\n# Heading\r\n- [ ] task", "free": True}
    )
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(doc))
    return path


def _assert_plain(output: str) -> None:
    assert ESC not in output and "\x9b" not in output and "\x07" not in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    "args",
    [
        ["show", "vectors"],
        ["next"],
        ["topics"],
        ["report"],
        ["plan", "--hours", "10"],
        ["done", "vectors"],
        ["graph"],
        ["export", "--format", "md"],
        ["export", "--format", "csv"],
        ["export", "--format", "json"],
        ["export", "--format", "html"],
    ],
)
def test_curriculum_text_is_printed_as_plain_text(
    tmp_path: Path, evil: Path, args: list[str]
) -> None:
    home = tmp_path / "home"
    assert _run(home, evil, "plan", "--hours", "10").exit_code == 0
    r = _run(home, evil, *args)
    assert r.exit_code == 0, r.output
    _assert_plain(r.output)
    if args[0] in ("show", "next"):
        assert "[link=javascript:alert(1)]" in r.output  # shown, not obeyed
        assert "[/]" in r.output and "[bold]not bold" in r.output


def test_curriculum_check_does_not_echo_escape_sequences(tmp_path: Path) -> None:
    doc = tiny_document()
    doc["topics"][0]["id"] = "bad\x1b[2Jid"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc))
    r = _run(tmp_path / "home", path, "curriculum", "check", str(path))
    assert r.exit_code == 1
    _assert_plain(r.output)


def test_json_output_escapes_what_a_terminal_obeys(tmp_path: Path, evil: Path) -> None:
    home = tmp_path / "home"
    _run(home, evil, "plan", "--hours", "10")
    r = _run(home, evil, "show", "vectors", "--json")
    assert r.exit_code == 0
    _assert_plain(r.output)
    assert json.loads(r.output)["title"] == EVIL


def test_ics_escapes_every_property(tmp_path: Path, evil: Path) -> None:
    home = tmp_path / "home"
    _run(home, evil, "plan", "--hours", "10")
    for optimize in ("", "1"):
        out = tmp_path / f"plan{optimize}.ics"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "mlpath",
                "export",
                "--format",
                "ics",
                "--tz",
                "UTC",
                "-o",
                str(out),
            ],
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join(sys.path),
                "MLPATH_HOME": str(home),
                "MLPATH_CURRICULUM": str(evil),
                "MLPATH_TODAY": TODAY.isoformat(),
                "PYTHONOPTIMIZE": optimize,
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        text = out.read_bytes().decode()
        from icalendar import Calendar

        cal = Calendar.from_ical(text)
        assert all(c.name == "VEVENT" for c in cal.subcomponents if c.name != "VTIMEZONE")
        lines = text.split("\r\n")
        assert lines.count("BEGIN:VEVENT") == len(cal.walk("VEVENT"))
        assert "\nSUMMARY:injected" not in text.replace("\r\n", "\n")
        assert ESC not in text


def test_markdown_and_html_link_only_to_web_addresses(tmp_path: Path, evil: Path) -> None:
    home = tmp_path / "home"
    _run(home, evil, "plan", "--hours", "10")
    md = _run(home, evil, "export", "--format", "md").output
    assert "](<javascript:" not in md and "](<data:" not in md
    assert not re.search(r"^# Heading", md, re.M) and not re.search(r"^- \[ \] task", md, re.M)
    html = _run(home, evil, "export", "--format", "html").output
    assert 'href="javascript:' not in html
    from mlpath.domain.text import safe_url

    assert safe_url("https://ok.org/a") and safe_url("HTTP://ok.org")
    for bad in (
        "javascript:x",
        "data:text/html,x",
        "mailto:a@b",
        "https://a\r\nb",
        "//x",
        "http:x",
    ):
        assert safe_url(bad) is None


def test_long_unbroken_text_renders_fast(tmp_path: Path) -> None:
    doc = tiny_document()
    doc["topics"][0]["summary"] = "a" * 8_000_000
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc))
    start = time.perf_counter()
    r = _run(tmp_path / "home", path, "show", "vectors")
    assert r.exit_code == 0
    assert time.perf_counter() - start < 20
    assert "more characters" in r.output


@pytest.mark.parametrize(
    "args,env",
    [
        (["plan", "--hours", "10", "--start", "9999-12-31"], {}),
        (["plan", "--hours", "0.5", "--start", "9998-01-01"], {}),
        (["plan", "--hours", "nan"], {}),
        (["plan", "--hours", "inf"], {}),
        (["plan", "--hours", "1e308"], {}),
        (["done", "vectors", "--date", "yesterday"], {"MLPATH_TODAY": "0001-01-01"}),
        (["done", "vectors", "--date", "0001-01-01"], {}),
        (["log", "vectors", "0.004"], {}),
        (["log", "vectors", "1e308"], {}),
        (["log", "vectors", "nan"], {}),
        (["check", "regression", "--timeout", "inf"], {}),
        (["check", "regression", "--timeout", "1e308"], {}),
        (["export", "--format", "ics", "--tz", "x" * 300], {}),
        (["export", "--format", "md", "-o", "/tmp/" + "x" * 300], {}),
        (["export", "--format", "json", "-o", "{home}/progress.json", "--force"], {}),
        (["export", "--format", "json", "-o", "{home}/progress.json.bak/x.json", "--force"], {}),
        (["next", "--curriculum", "/dev/zero"], {}),
    ],
)
def test_edge_values_get_a_message_not_a_traceback(
    tmp_path: Path, tiny_path: Path, args: list[str], env: dict[str, str]
) -> None:
    home = tmp_path / "home"
    assert _run(home, tiny_path, "plan", "--hours", "10").exit_code == 0
    before = (home / "progress.json").read_bytes()
    args = [a.replace("{home}", str(home)) for a in args]
    r = _run(home, tiny_path, *args, env=env)
    assert r.exit_code in (1, 2), (args, r.output)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Error:" in r.output
    assert (home / "progress.json").read_bytes() == before


def test_a_plan_near_year_9999_in_the_store_exports_or_says_why(
    tmp_path: Path, tiny_path: Path
) -> None:
    home = tmp_path / "home"
    assert _run(home, tiny_path, "plan", "--hours", "10", "--start", "2999-12-01").exit_code == 0
    r = _run(home, tiny_path, "export", "--format", "ics", "--tz", "UTC")
    assert r.exit_code == 0, r.output


def test_a_long_prerequisite_chain_draws_as_text(tmp_path: Path) -> None:
    doc = tiny_document()
    chain = [
        {
            "id": f"t{i}",
            "title": f"T{i}",
            "phase": "math",
            "hours": 1,
            "prerequisites": [f"t{i - 1}"] if i else [],
        }
        for i in range(3000)
    ]
    doc["topics"] = chain
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(doc))
    r = _run(tmp_path / "home", path, "graph", "--format", "text")
    assert r.exit_code == 0, r.output
    assert "more prerequisite" in r.output
    for fmt in ("mermaid", "dot"):
        assert _run(tmp_path / "home", path, "graph", "--format", fmt).exit_code == 0


def test_a_fifo_store_is_refused_without_hanging(tmp_path: Path, tiny_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / "progress.json")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "MLPATH_HOME": str(home),
        "MLPATH_CURRICULUM": str(tiny_path),
        "MLPATH_TODAY": TODAY.isoformat(),
    }
    for args in (["next"], ["done", "vectors"], ["doctor"], ["report"]):
        proc = subprocess.run(
            [sys.executable, "-m", "mlpath", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode != 0 or args == ["doctor"]
        assert "Traceback" not in proc.stderr and "regular file" in proc.stdout + proc.stderr


def _cli_env(home: Path, curriculum: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "MLPATH_HOME": str(home),
        "MLPATH_CURRICULUM": str(curriculum),
        "MLPATH_TODAY": TODAY.isoformat(),
    }


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["log", "vectors", "1.25"], ["done", "vectors"], ["undo"]])
def test_output_error_after_a_saved_change_is_a_warning(
    tmp_path: Path, tiny_path: Path, args: list[str]
) -> None:
    home = tmp_path / "home"
    env = _cli_env(home, tiny_path)
    subprocess.run(
        [sys.executable, "-m", "mlpath", "plan", "--hours", "10"],
        env=env,
        check=True,
        capture_output=True,
    )
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "mlpath", *args],
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "was saved" in proc.stderr
    events = json.loads((home / "progress.json").read_text())["events"]
    assert len(events) == 2


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_error_of_a_reading_command_is_an_error(tmp_path: Path, tiny_path: Path) -> None:
    home = tmp_path / "home"
    env = _cli_env(home, tiny_path)
    subprocess.run(
        [sys.executable, "-m", "mlpath", "plan", "--hours", "10"],
        env=env,
        check=True,
        capture_output=True,
    )
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "mlpath", "report"],
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "Nothing was changed" in proc.stderr


def test_reading_commands_never_create_a_cache_in_the_home(tmp_path: Path, tiny_path: Path) -> None:
    home = tmp_path / "home"
    r = CliRunner().invoke(
        app,
        ["show", "vectors"],
        env={
            "MLPATH_HOME": str(home),
            "MLPATH_CURRICULUM": str(tiny_path),
            "XDG_CACHE_HOME": str(tmp_path / "xdg"),
            "MLPATH_CACHE": "",
        },
    )
    assert r.exit_code == 0
    assert not home.exists()


def test_exports_write_through_symlinks_with_the_umask(tmp_path: Path, tiny_path: Path) -> None:
    home = tmp_path / "home"
    _run(home, tiny_path, "plan", "--hours", "10")
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    old = os.umask(0o022)
    try:
        r = _run(home, tiny_path, "export", "--format", "md", "-o", str(link), "--force")
    finally:
        os.umask(old)
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and real.read_text().startswith("# Study plan")
    assert (real.stat().st_mode & 0o777) == 0o644


def test_no_assert_is_used_for_validation_in_the_package() -> None:
    src = Path(__file__).resolve().parents[2] / "src" / "mlpath"
    found = [
        f"{p}:{n}"
        for p in src.rglob("*.py")
        if "content" not in p.relative_to(src).parts
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if re.match(r"\s*assert\b", line)
    ]
    assert not found, found
