"""A lab pass cannot be faked (issue 13 §1): each attack below must end without a pass.

Every attack is a learner's lab.py that implements nothing (``double`` returns the
wrong answer or raises) and tries to make the checker say PASSED anyway.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mlpath.labs import protocol, runner
from tests.labs.conftest import MakeLab

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process model")

# What a report of a pass looked like before: lines a learner could copy.
FAKE_PASS = [
    {"event": "start", "checks": [{"name": "doubles", "title": "double doubles"}]},
    {"event": "imported"},
    {
        "event": "check",
        "name": "doubles",
        "title": "double doubles",
        "status": "passed",
        "message": "ok",
    },
    {"event": "end"},
]
FAKE_LINES = "".join(json.dumps(e) + "\n" for e in FAKE_PASS)

ATTACKS = {
    "fake lines on stdout": f"""
import sys
sys.stdout.write({FAKE_LINES!r}); sys.stdout.flush()
def double(x):
    return 3 * x
""",
    "fake lines on every inherited fd": f"""
import os
for fd in range(0, 64):
    try:
        os.write(fd, {FAKE_LINES!r}.encode())
    except OSError:
        pass
def double(x):
    return 3 * x
""",
    "fake lines on every fd, during a check": f"""
import os
def double(x):
    for fd in range(0, 64):
        try:
            os.write(fd, {FAKE_LINES!r}.encode())
        except OSError:
            pass
    return 3 * x
""",
    "fake lines on /proc/self/fd, then exit": f"""
import os
def double(x):
    for name in os.listdir("/proc/self/fd"):
        try:
            os.write(int(name), {FAKE_LINES!r}.encode())
        except OSError:
            pass
    os._exit(0)
""",
    "stack walk replacing the check's code": """
import sys
def double(x):
    f = sys._getframe(1)
    while f is not None:
        for v in list(f.f_globals.values()) + list(f.f_locals.values()):
            if callable(v) and hasattr(v, "__code__") and v.__module__ != "lab":
                try:
                    v.__code__ = (lambda *a, **k: None).__code__
                except Exception:
                    pass
        f = f.f_back
    return 3 * x
""",
    "stack walk replacing the check functions in the declared list": """
import sys
def _noop(lab):
    return None
def double(x):
    f = sys._getframe(1)
    while f is not None:
        for v in list(f.f_locals.values()):
            if isinstance(v, list):
                for i, item in enumerate(v):
                    if isinstance(item, tuple) and len(item) == 3 and callable(item[2]):
                        v[i] = (item[0], item[1], _noop)
        f = f.f_back
    return 3 * x
""",
    "patching mlpath.labs.checking.close": """
import mlpath.labs.checking as checking
checking.close = lambda *a, **k: None
checking.expect = lambda *a, **k: None
import sys
for name, mod in list(sys.modules.items()):
    if name.startswith("mlpath_lab_checks"):
        mod.close = checking.close
        mod.expect = checking.expect
def double(x):
    return 3 * x
""",
    "patching the checks' globals from inside a check": """
import sys
def double(x):
    g = sys._getframe(1).f_globals
    g["close"] = lambda *a, **k: None
    g["expect"] = lambda *a, **k: None
    return 3 * x
""",
    "replacing close's code": """
import mlpath.labs.checking as checking
def double(x):
    checking.close.__code__ = (lambda *a, **k: None).__code__
    return 3 * x
""",
    "making CheckFailed harmless": """
import mlpath.labs.checking as checking
checking.CheckFailed.__init__ = lambda self, *a: None
def double(x):
    return 3 * x
""",
    "patching builtins the checker uses": """
import builtins
builtins.len = lambda x: 1
builtins.isinstance = lambda *a: True
def double(x):
    return 3 * x
""",
    "reading other threads' frames": """
import sys
def double(x):
    for frame in sys._current_frames().values():
        pass
    return 3 * x
""",
    "searching the object graph": """
import gc
def double(x):
    for obj in gc.get_objects():
        pass
    return 3 * x
""",
    "a tracer that skips the rest of the check": """
import sys
def double(x):
    target = sys._getframe(1)
    def tracer(frame, event, arg):
        if frame is target and event == "line":
            frame.f_lineno = frame.f_code.co_firstlineno + 1
        return tracer
    target.f_trace = tracer
    sys.settrace(tracer)
    return 3 * x
""",
    "faking the outcome in the checker's box, then raising": """
import sys
from mlpath.labs.checking import CheckResult
def double(x):
    f = sys._getframe(1)
    while f is not None:
        for v in f.f_locals.values():
            if isinstance(v, list) and not v:
                v.append(CheckResult("doubles", "double doubles", "passed", "ok"))
        f = f.f_back
    raise KeyboardInterrupt
""",
    "raising an exception whose message raises": """
class Evil(Exception):
    def __str__(self):
        raise Evil()
def double(x):
    raise Evil()
""",
    "releasing the thread's join early with a faked outcome": """
import sys, threading, time
from mlpath.labs.checking import CheckResult
def double(x):
    f = sys._getframe(1)
    while f is not None:
        for v in f.f_locals.values():
            if isinstance(v, list) and not v:
                v.append(CheckResult("doubles", "double doubles", "passed", "ok"))
        f = f.f_back
    t = threading.current_thread()
    lock = getattr(t, "_tstate_lock", None)
    if lock is not None:
        lock.release()
    time.sleep(0.5)
    return 3 * x
""",
}

ONE_CHECK = """
from mlpath.labs.checking import check, close

@check("double doubles")
def doubles(lab):
    close(lab.double(2.0), 4.0, what="double(2.0)")
"""


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_an_attack_never_passes(
    attack: str, make_lab: MakeLab, learner: Callable[[str], Path]
) -> None:
    meta = make_lab(checks=ONE_CHECK)
    result = runner.run_lab(meta, learner(ATTACKS[attack]), topic="doubling", timeout=20)
    assert result.status in ("failed", "error"), result
    assert not result.passed
    assert all(c.status != "passed" for c in result.checks), result.checks


def test_a_fake_check_line_cannot_be_signed_without_the_key() -> None:
    key = bytes(range(32))
    report = protocol.Report(key, 0, declared=[("doubles", "double doubles")])
    payload = json.dumps({"seq": 0, "run": 0, "event": "start", "checks": [["doubles", "x"]]})
    report.feed("W " + protocol.tag(b"another key" * 3, payload.encode()) + " " + payload)
    assert report.tampered and not report.ended


def _signed(key: bytes, events: list[dict[str, object]], run: int = 0) -> list[str]:
    lines = []
    for seq, event in enumerate(events):
        payload = json.dumps({"seq": seq, "run": run, **event})
        lines.append("W " + protocol.tag(key, payload.encode()) + " " + payload)
    return lines


DECLARED = [("a", "A"), ("b", "B")]
START = {"event": "start", "checks": [["a", "A"], ["b", "B"]]}


def _check(name: str, title: str, status: str = "passed") -> dict[str, object]:
    return {"event": "check", "name": name, "title": title, "status": status, "message": "ok"}


@pytest.mark.parametrize(
    ("events", "why"),
    [
        ([START, {"event": "imported"}, _check("a", "A"), {"event": "end"}], "ended early"),
        ([START, START, {"event": "imported"}], "second start"),
        (
            [START, {"event": "imported"}, _check("b", "B"), _check("a", "A"), {"event": "end"}],
            "out of order",
        ),
        (
            [START, {"event": "imported"}, _check("a", "A"), _check("zz", "Z"), {"event": "end"}],
            "undeclared name",
        ),
        (
            [
                {"event": "start", "checks": [["a", "A"]]},
                {"event": "imported"},
                _check("a", "A"),
                {"event": "end"},
            ],
            "fewer checks declared",
        ),
        ([START, _check("a", "A"), _check("b", "B"), {"event": "end"}], "no import"),
        (
            [
                START,
                {"event": "imported"},
                _check("a", "A"),
                _check("b", "B", "great"),
                {"event": "end"},
            ],
            "unknown status",
        ),
        (
            [
                START,
                {"event": "imported"},
                _check("a", "A"),
                _check("b", "B"),
                {"event": "end"},
                {"event": "end"},
            ],
            "after the end",
        ),
    ],
)
def test_the_parent_accepts_only_the_declared_sequence(
    events: list[dict[str, object]], why: str
) -> None:
    key = b"k" * 32
    report = protocol.Report(key, 0, declared=list(DECLARED))
    for line in _signed(key, events):
        report.feed(line)
    assert report.tampered is not None or not report.ended, why


def test_a_replayed_or_reordered_line_is_refused() -> None:
    key = b"k" * 32
    good = [START, {"event": "imported"}, _check("a", "A"), _check("b", "B"), {"event": "end"}]
    lines = _signed(key, good)
    report = protocol.Report(key, 0, declared=list(DECLARED))
    for line in [lines[0], lines[1], lines[2], lines[2], lines[3], lines[4]]:
        report.feed(line)
    assert report.tampered
    other_run = protocol.Report(key, 1, declared=list(DECLARED))
    for line in lines:
        other_run.feed(line)
    assert other_run.tampered  # a report from another run in the batch


def test_the_genuine_sequence_is_accepted() -> None:
    key = b"k" * 32
    good = [START, {"event": "imported"}, _check("a", "A"), _check("b", "B"), {"event": "end"}]
    report = protocol.Report(key, 0, declared=list(DECLARED))
    for line in _signed(key, good):
        report.feed(line)
    assert report.ended and report.tampered is None and len(report.checks) == 2


def test_a_tampered_run_says_why(make_lab: MakeLab, learner: Callable[[str], Path]) -> None:
    result = runner.run_lab(
        make_lab(checks=ONE_CHECK),
        learner(ATTACKS["fake lines on every fd, during a check"]),
        topic="doubling",
    )
    assert result.status == "error" and "cannot count" in result.message
