"""The kept screens of ``next``, ``report`` and ``week`` (mlpath/cli/screens.py).

A kept screen is replaced here by a marker, so that a run which prints the marker
replayed it and a run which prints the real screen rendered afresh. Each input the
screen depends on is changed in turn: the marker must then not be printed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import mlpath
from mlpath.cli import fast, hot, screens
from mlpath.store.file import STORE_NAME, default_home

MARKER = "A KEPT SCREEN\n"
LINK_ID = re.compile(r"id=\d+;")  # Rich numbers the hyperlinks of a terminal at random
COMMANDS = (["next"], ["report"], ["week"], ["next", "--json"], ["week", "--json"])


@pytest.fixture
def planned(cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    """A learner with a plan and one topic done, working in ``tmp_path/work``."""
    cli("plan", "--hours", "10")
    cli("done", "vectors")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert fast.run(argv) == 0
    return capsys.readouterr().out


def plant(argv: list[str]) -> None:
    """Replace the kept screen of ``argv`` (under the present key) by the marker."""
    slot = screens.open_slot(argv, os.environ)
    assert slot is not None
    screens.store(*slot, MARKER, float("inf"))


def slot_path(argv: list[str]) -> Path:
    slot = screens.open_slot(argv, os.environ)
    assert slot is not None
    return Path(slot[0])


@pytest.mark.parametrize("argv", COMMANDS)
def test_a_repeated_command_replays_its_screen(
    planned: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    first = run(argv, capsys)
    assert slot_path(argv).is_file()
    assert run(argv, capsys) == first  # replayed: the same text
    plant(argv)
    assert run(argv, capsys) == MARKER  # ...and it was the kept one


def _touch_store(home: Path, mp: pytest.MonkeyPatch) -> None:
    path = home / STORE_NAME
    path.write_bytes(path.read_bytes())  # the same bytes: only the file's identity changes


def _edit_store_head(home: Path, mp: pytest.MonkeyPatch) -> None:
    path = home / STORE_NAME
    st = path.stat()
    raw = path.read_bytes().replace(b'"hours_per_week":10.0', b'"hours_per_week":12.0', 1)
    path.write_bytes(raw)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # even with the old mtime


def _record(home: Path, mp: pytest.MonkeyPatch) -> None:
    assert fast.run(["done", "calculus"]) == 0


def _edit_curriculum(home: Path, mp: pytest.MonkeyPatch) -> None:
    path = Path(os.environ["MLPATH_CURRICULUM"])
    doc = json.loads(path.read_text())
    doc["topics"][0]["title"] = "Vectors, renamed"
    path.write_text(json.dumps(doc))


def _same_curriculum_rewritten(home: Path, mp: pytest.MonkeyPatch) -> None:
    path = Path(os.environ["MLPATH_CURRICULUM"])
    path.write_bytes(path.read_bytes())


def _questions_beside(home: Path, mp: pytest.MonkeyPatch) -> None:
    (Path(os.environ["MLPATH_CURRICULUM"]).parent / "questions").mkdir()


def _env(name: str, value: str | None) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def change(home: Path, mp: pytest.MonkeyPatch) -> None:
        if value is None:
            mp.delenv(name)
        else:
            mp.setenv(name, value)

    change.__name__ = f"{name}={value}"
    return change


def _version(home: Path, mp: pytest.MonkeyPatch) -> None:
    mp.setattr(mlpath, "__version__", mlpath.__version__ + ".post1")


def _cwd(home: Path, mp: pytest.MonkeyPatch) -> None:
    other = home.parent / "elsewhere"
    other.mkdir()
    mp.chdir(other)


def _source_edited(home: Path, mp: pytest.MonkeyPatch) -> None:
    mp.setattr(screens, "_source_part", lambda: "an edited checkout")


CHANGES = [
    _touch_store,
    _edit_store_head,
    _record,
    _edit_curriculum,
    _same_curriculum_rewritten,
    _questions_beside,
    _env("MLPATH_TODAY", "2026-11-25"),
    _env("COLUMNS", "60"),
    _env("NO_COLOR", None),
    _env("FORCE_COLOR", "1"),
    _env("TERM", "dumb"),
    _env("COLORTERM", "truecolor"),
    _env("LINES", "10"),
    _env("MLPATH_REVIEW_FUZZ", "1"),
    _env("MLPATH_QUESTIONS", "elsewhere"),
    _version,
    _cwd,
    _source_edited,
]


@pytest.mark.parametrize("argv", [["next"], ["report"], ["week", "--json"]])
@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__.strip("_"))
def test_any_change_of_an_input_renders_afresh(
    planned: Path,
    argv: list[str],
    change: Callable[[Path, pytest.MonkeyPatch], None],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run(argv, capsys)
    plant(argv)
    assert run(argv, capsys) == MARKER
    change(planned, monkeypatch)
    capsys.readouterr()
    fresh = run(argv, capsys)
    assert fresh != MARKER
    monkeypatch.setenv("MLPATH_CACHE", "off")
    uncached = run(argv, capsys)  # what the command prints without any cache
    assert LINK_ID.sub("", uncached) == LINK_ID.sub("", fresh)


def test_other_arguments_have_their_own_screen(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["next"], capsys)
    plant(["next"])
    assert run(["next", "--json"], capsys) != MARKER
    assert run(["next", "--curriculum", os.environ["MLPATH_CURRICULUM"]], capsys) != MARKER
    assert run(["next"], capsys) == MARKER


def test_the_date_and_the_terminal_are_part_of_the_key(
    planned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = screens.key(["next"], os.environ)
    monkeypatch.setattr(screens.time, "localtime", lambda: screens.time.gmtime(0))
    assert screens.key(["next"], os.environ) != before
    monkeypatch.undo()
    monkeypatch.setattr(screens, "_terminal_part", lambda: "200x50,-,-|tty=True|utf-8|strict")
    assert screens.key(["next"], os.environ) != before


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"garbage",
        b"mlpath-screen 1\n",
        b"mlpath-screen 1\nnot numbers\n",
        b"mlpath-screen 1\n5 99999999999 3\nwrongkey\nabc",
        b"mlpath-screen 2\n",
        b"\xff\xfe\x00binary",
    ],
)
def test_a_damaged_or_foreign_slot_is_ignored_and_replaced(
    planned: Path, damage: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run(["next"], capsys)
    path = slot_path(["next"])
    path.write_bytes(damage)
    assert run(["next"], capsys) == first
    assert path.read_bytes().startswith(screens.MAGIC) and path.read_bytes() != damage


def test_a_slot_for_another_key_or_cut_short_is_ignored(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["next"], capsys)
    path, wanted = screens.open_slot(["next"], os.environ) or ("", b"")
    screens.store(path, wanted + b"x", MARKER, float("inf"))  # another key
    assert run(["next"], capsys) != MARKER
    screens.store(path, wanted, MARKER, float("inf"))
    Path(path).write_bytes(Path(path).read_bytes()[:-3])  # cut short
    assert run(["next"], capsys) != MARKER
    assert screens.lookup(path, wanted, 0.0) is not None  # rewritten whole


def test_an_expired_screen_is_not_replayed(
    planned: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, wanted = screens.open_slot(["next"], os.environ) or ("", b"")
    screens.store(path, wanted, MARKER, 1000.0)
    assert screens.lookup(path, wanted, 999.0) == MARKER
    assert screens.lookup(path, wanted, 1000.0) is None
    assert run(["next"], capsys) != MARKER


def test_a_screen_that_may_change_any_moment_is_not_kept(
    planned: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hot, "next_screen", lambda **kw: ("changing\n", 0.0))
    assert run(["next"], capsys) == "changing\n"
    assert not slot_path(["next"]).exists()


def test_a_cache_that_cannot_be_written_is_silent(
    planned: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("MLPATH_CACHE", str(blocker))
    first = run(["next"], capsys)
    assert run(["next"], capsys) == first
    assert capsys.readouterr().err == ""
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_no_store_no_screen(home: Path, tmp_path: Path) -> None:
    assert screens.open_slot(["next"], {**os.environ, "MLPATH_HOME": str(tmp_path / "x")}) is None
    assert screens.open_slot(["next"], {**os.environ, "MLPATH_CACHE": "off"}) is None


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


def test_reading_commands_never_write_under_the_home(
    planned: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MLPATH_CACHE")  # the default place: the user cache directory
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    before = _tree(planned)
    for argv in COMMANDS:
        run(list(argv), capsys)
        run(list(argv), capsys)  # the second replays
    with monkeypatch.context() as mp:  # a Tab press (cli/completion.py) writes nothing there
        mp.setenv(fast.COMPLETE_VAR, "complete_bash")
        mp.setenv("COMP_WORDS", "mlpath done vec")
        mp.setenv("COMP_CWORD", "2")
        assert run([], capsys) == "vectors\n"
    assert _tree(planned) == before
    if sys.platform.startswith("linux"):
        assert len(list((tmp_path / "xdg" / "mlpath" / "screens").iterdir())) == len(COMMANDS)


@pytest.mark.parametrize("xdg", [None, "/somewhere/else"])
def test_the_folders_are_those_of_platformdirs(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    from platformdirs import user_cache_path

    from mlpath.app.session import cache_home

    for name in ("MLPATH_CACHE", "MLPATH_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME"):
        if xdg is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, xdg)
    assert screens.cache_dir(os.environ) == str(user_cache_path("mlpath", appauthor=False))
    assert screens.cache_dir(os.environ) == str(cache_home())
    assert screens.home_dir(os.environ) == str(default_home())


def test_editing_a_source_file_changes_its_part_of_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for sub in screens._SOURCE_DIRS:
        (tmp_path / sub).mkdir(exist_ok=True)
        (tmp_path / sub / "module.py").write_text("")
    monkeypatch.setattr(screens, "_PACKAGE", str(tmp_path))
    before = screens._source_part()
    st = (tmp_path / "cli" / "module.py").stat()
    os.utime(tmp_path / "cli" / "module.py", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert screens._source_part() != before


def test_the_store_name_is_the_stores() -> None:
    assert screens.STORE_NAME == STORE_NAME


def test_unchanged_until(planned: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime, timedelta
    from types import SimpleNamespace

    from mlpath.app import review
    from mlpath.app.session import Session

    s = Session()
    state = s.state(s.store.load(events=False))
    assert review.unchanged_until(s, state) == float("inf")  # MLPATH_TODAY: a fixed clock
    s.today = datetime.now(UTC).date()
    assert review.unchanged_until(s, state) == float("inf")  # no reviews scheduled
    soon = datetime.now(UTC) + timedelta(hours=3)
    later = SimpleNamespace(due=soon + timedelta(days=2), is_due=lambda now: False)
    card = SimpleNamespace(due=soon, is_due=lambda now: False)
    monkeypatch.setattr(review, "topic_cards", lambda *a: [later, card])
    assert review.unchanged_until(s, state) == soon.timestamp()
    assert review.unchanged_until(s, state, recall_shown=True) == 0.0
    due = SimpleNamespace(due=soon, is_due=lambda now: True)
    monkeypatch.setattr(review, "topic_cards", lambda *a: [card, due])
    assert review.unchanged_until(s, state) == 0.0


def test_a_fifo_in_place_of_a_slot_is_never_waited_on(
    planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import signal

    path = slot_path(["next"])
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)

    def hung(signum: int, frame: object) -> None:
        raise AssertionError("next waited on a FIFO at its kept-screen slot")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        out = run(["next"], capsys)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert out and out != MARKER
    assert path.is_file()  # replaced by a real slot


def test_a_link_planted_at_the_temporary_name_is_not_followed(
    planned: Path, tmp_path: Path
) -> None:
    path, wanted = screens.open_slot(["next"], os.environ) or ("", b"")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    os.symlink(victim, f"{path}.{os.getpid()}.tmp")
    screens.store(path, wanted, MARKER, float("inf"))
    assert victim.read_text() == "mine\n"
    assert screens.lookup(path, wanted, 0.0) == MARKER
