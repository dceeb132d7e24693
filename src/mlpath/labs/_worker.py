"""The worker: imports one learner's ``lab.py`` and runs the declared checks on it.

Forked by the supervisor (:mod:`mlpath.labs._child`) once per candidate, after the
checks were loaded, so each candidate gets a fresh import of its ``lab.py`` and
nothing of another candidate's run.

The learner's code runs here, so this module defends the verdict against it
(the threat model is in docs/labs.md):

- the signing key lives only in the main thread; the learner's module is imported,
  and each check runs, in a thread of its own whose stack holds no reference to it;
- an audit hook refuses, outside the main thread, the ways to reach another thread's
  frames or any object (``sys._current_frames``, ``gc.get_objects``/``get_referrers``/
  ``get_referents``, ``sys.settrace``/``setprofile``) and changing the code or classes
  of the checker (``__code__`` of its functions, attributes of its classes);
- the check functions, the checking helpers and ``builtins`` are snapshotted before
  the learner's module is imported; each check starts from the snapshot, and a check
  after which anything differs is an error;
- a check's outcome is read only once its thread has ended, and must be exactly one.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any

from mlpath.labs.checking import (
    CheckFn,
    CheckResult,
    LabImportError,
    import_lab,
    run_check,
)

MAX_MESSAGE = 4000
_GUARDED_EVENTS = frozenset(
    {
        "sys._current_frames",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
        "sys.settrace",
        "sys.setprofile",
    }
)
_isinstance = isinstance  # for the audit hook, which runs while builtins may be patched


def cap_memory(limit_bytes: int) -> None:
    """Cap the data segment where supported: an early, readable MemoryError for huge arrays.

    The supervisor's PSS watch is the real cap (shared mappings escape RLIMIT_DATA).
    """
    try:
        import resource
    except ImportError:  # Windows: no rlimits
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        soft = limit_bytes if hard == resource.RLIM_INFINITY else min(limit_bytes, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
    except (ValueError, OSError):
        pass


def _checker_modules() -> list[ModuleType]:
    return [
        m
        for name, m in list(sys.modules.items())
        if _isinstance(m, ModuleType)
        and (name.startswith("mlpath.labs") or name == "mlpath_lab_checks")
    ]


class _Guard:
    """The checker's code as it was before the learner's module was imported."""

    def __init__(self, declared: list[tuple[str, str, CheckFn]]) -> None:
        self.modules = [(m, dict(vars(m))) for m in _checker_modules()]
        self.builtins = dict(vars(builtins))
        functions: dict[int, FunctionType] = {}
        for _, snapshot in self.modules:
            for value in snapshot.values():
                if _isinstance(value, FunctionType):
                    functions[id(value)] = value
        for _, _, fn in declared:
            if isinstance(fn, FunctionType):
                functions[id(fn)] = fn
        self.code = [
            (f, f.__code__, f.__defaults__, f.__kwdefaults__, f.__closure__)
            for f in functions.values()
        ]
        self.classes = [
            (c, dict(vars(c)))
            for _, snap in self.modules
            for c in snap.values()
            if _isinstance(c, type) and _is_engine(c)
        ]

    def changed(self) -> str | None:
        """What of the checker differs from the snapshot (restoring it), or None."""
        found: str | None = None
        for module, snapshot in self.modules:
            current = vars(module)
            for key, value in snapshot.items():
                if current.get(key, _MISSING) is not value:
                    found = found or f"{module.__name__}.{key}"
                    current[key] = value
        current = vars(builtins)
        for key, value in self.builtins.items():
            if current.get(key, _MISSING) is not value:
                found = found or f"builtins.{key}"
                current[key] = value
        for f, code, defaults, kwdefaults, closure in self.code:
            if f.__code__ is not code or f.__defaults__ is not defaults:
                found = found or f"the code of {f.__qualname__}"
                f.__code__, f.__defaults__ = code, defaults
            if f.__kwdefaults__ is not kwdefaults or f.__closure__ is not closure:
                found = found or f"the code of {f.__qualname__}"
        for cls, attrs in self.classes:
            if dict(vars(cls)) != attrs:
                found = found or f"the class {cls.__qualname__}"
        return found


_MISSING = object()


def _is_engine(cls: type) -> bool:
    module = str(cls.__dict__.get("__module__", ""))
    return module.startswith("mlpath.labs") and not module.startswith("mlpath.labs.content")


def _install_audit_hook(main: int, checker_files: frozenset[str]) -> None:
    get_ident = threading.get_ident

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if get_ident() == main:
            return
        if event in _GUARDED_EVENTS:
            raise RuntimeError(f"lab.py may not call {event} while it is being checked.")
        if event == "object.__setattr__" and args:
            target = args[0]
            if _isinstance(target, type) and _is_engine(target):
                raise RuntimeError("lab.py may not change the checker's classes.")
            if _isinstance(target, FunctionType) and target.__code__.co_filename in checker_files:
                raise RuntimeError("lab.py may not change the checker's functions.")

    sys.addaudithook(hook)


def _in_thread(fn: Callable[..., Any], *args: Any) -> tuple[list[Any], int | None]:
    """Run ``fn(*args)`` on a fresh thread and wait until that thread no longer exists.

    Returns the outcomes it recorded (exactly one, unless something else wrote there)
    and its native id (None where the platform gives none).
    """
    box: list[Any] = []
    go = threading.Event()

    def target() -> None:
        go.wait()
        out: Any = _ESCAPED
        try:
            out = fn(*args)
        except BaseException:  # anything escaping run_check
            out = _ESCAPED
        finally:
            box.append(out)

    t = threading.Thread(target=target, name="mlpath-check", daemon=True)
    t.start()
    tid = t.native_id  # read before the learner's code can run: it waits for `go`
    go.set()
    t.join()
    task = Path(f"/proc/self/task/{tid}")
    while tid is not None and sys.platform.startswith("linux") and task.exists():
        time.sleep(0.001)  # join() can be fooled (its lock is reachable); the kernel cannot
    return box, tid


_ESCAPED = object()


def _signer(key: bytearray, run: int, fd: int) -> Callable[..., None]:
    base = hmac.new(bytes(key), digestmod=hashlib.sha256)
    key[:] = bytes(len(key))  # the key now exists only inside `base`
    seq = [0]

    def emit(event: str, **fields: Any) -> None:
        message = fields.get("message")
        if isinstance(message, str) and len(message) > MAX_MESSAGE:
            fields["message"] = message[:MAX_MESSAGE] + " [...]"
        payload = json.dumps({"seq": seq[0], "run": run, "event": event, **fields}).encode()
        seq[0] += 1
        h = base.copy()
        h.update(payload)
        data = h.hexdigest().encode() + b" " + payload + b"\n"
        while data:
            data = data[os.write(fd, data) :]

    return emit


def serve(
    key: bytearray,
    run: int,
    lab_path: str,
    report_fd: int,
    declared: list[tuple[str, str, CheckFn]],
    memory_bytes: int,
) -> int:
    """Check ``lab_path``; the signed report goes to ``report_fd``. Returns the exit status."""
    emit = _signer(key, run, report_fd)
    del key
    cap_memory(memory_bytes)
    lab_file = Path(lab_path)
    emit("start", checks=[[name, title] for name, title, _ in declared])
    guard = _Guard(declared)
    checker_files = frozenset(code.co_filename for _, code, *_ in guard.code)
    _install_audit_hook(threading.get_ident(), checker_files)

    box, _ = _in_thread(_import, lab_file)
    changed = guard.changed()
    if len(box) != 1 or changed:
        return _tampered(emit, changed)
    lab = box[0]
    if _isinstance(lab, LabImportError) or lab is _ESCAPED:
        message = str(lab) if lab is not _ESCAPED else "lab.py could not be imported."
        emit("check", name="import", title="lab.py imports", status="error", message=message)
        emit("end")
        return 0
    emit("imported")
    for name, title, fn in declared:
        box, _ = _in_thread(run_check, name, title, fn, lab, lab_file)
        changed = guard.changed()
        out = box[0] if len(box) == 1 else None  # builtins were restored by changed()
        if changed:
            out = CheckResult(
                name,
                title,
                "error",
                f"lab.py changed the checker ({changed}) while this check ran; "
                "a lab passes only by computing the answers.",
            )
        elif out is _ESCAPED:
            out = CheckResult(name, title, "error", "Your code stopped the check abnormally.")
        if not (type(out) is CheckResult and out.name == name and out.title == title):
            return _tampered(emit, None)
        emit("check", **out.as_dict())
    emit("end")
    return 0


def _import(lab_file: Path) -> ModuleType | LabImportError:
    try:
        return import_lab(lab_file)
    except LabImportError as exc:
        return exc


def _tampered(emit: Callable[..., None], changed: str | None) -> int:
    """Report no verdict: the run ends without ``end``, and the parent calls it tampered."""
    what = f"lab.py changed {changed}" if changed else "the checker's results were interfered with"
    emit("tampered", message=what)
    return 4
