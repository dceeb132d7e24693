"""The checker's child process: ``python -m mlpath.labs._child CHECKS LAB MEMORY_MB``.

It runs in the learner's lab folder, caps its own memory, and reports on a private
copy of stdout, one JSON object per line::

    {"event": "start", "checks": [{"name", "title"}, ...]}    checks.py loaded
    {"event": "imported"}                                     lab.py imported
    {"event": "check", "name", "title", "status", "message"}  one per check, in order
    {"event": "end"}                                          all done
    {"event": "broken", "message"}                            checks.py itself failed to load

Everything the learner's code prints goes to stderr, so it cannot garble the report.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

MAX_MESSAGE = 4000


def cap_memory(limit_bytes: int) -> None:
    """Cap the data segment (heap + private writable mappings) at ``limit_bytes`` where supported.

    RLIMIT_DATA rather than RLIMIT_AS: address-space reservations (thread arenas,
    CUDA's unified memory) do not count, only memory the process can write to.
    """
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the timeout still applies
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        soft = limit_bytes if hard == resource.RLIM_INFINITY else min(limit_bytes, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
    except (ValueError, OSError):  # a platform that refuses it (macOS may): run uncapped
        pass


def _emitter(out: IO[str]) -> Callable[..., None]:
    def emit(event: str, **fields: Any) -> None:
        if isinstance(fields.get("message"), str) and len(fields["message"]) > MAX_MESSAGE:
            fields["message"] = fields["message"][:MAX_MESSAGE] + " [...]"
        out.write(json.dumps({"event": event, **fields}) + "\n")
        out.flush()

    return emit


def main(argv: list[str] | None = None) -> int:
    """Run the checks of ``CHECKS`` against ``LAB``; the report goes to the original stdout."""
    checks_path, lab_path, memory_mb = (argv if argv is not None else sys.argv[1:])[:3]
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # from here on, fd 1 (the learner's prints, C libraries) goes to stderr
    emit = _emitter(out)
    cap_memory(int(memory_mb) * 1024 * 1024)

    from mlpath.labs.checking import LabImportError, import_lab, load_checks, run_check

    try:
        declared = load_checks(Path(checks_path))
    except BaseException as exc:  # a broken lab, not the learner's fault: report, don't crash
        emit("broken", message=f"{type(exc).__name__}: {exc}")
        return 3
    emit("start", checks=[{"name": name, "title": title} for name, title, _ in declared])
    lab_file = Path(lab_path)
    try:
        lab = import_lab(lab_file)
    except LabImportError as exc:
        emit("check", name="import", title="lab.py imports", status="error", message=str(exc))
        emit("end")
        return 0
    emit("imported")
    for name, title, fn in declared:
        result = run_check(name, title, fn, lab, lab_file)
        emit("check", **result.as_dict())
    emit("end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
