"""The checker's report, signed by the worker and validated by the parent.

The supervisor (:mod:`mlpath.labs._child`) writes one line per event on its stdout,
which no learner code can reach::

    S {"event": "declared", "checks": [[name, title], ...]}   checks.py loaded (before any lab.py)
    S {"event": "broken", "message"}                          checks.py failed to load
    S {"event": "exit", "run", "returncode", "killed", "memory_mb", "output"}
    W <tag> <json>                                            a line of the worker's report, relayed

The worker's report pipe *is* in reach of the learner's code (it runs in the worker),
so each worker line carries an HMAC-SHA256 tag under a per-run key that the parent
made and that the learner's code cannot read by ordinary means (see docs/labs.md);
the JSON holds ``seq`` (0, 1, 2, ...) and ``run``. :class:`Report` accepts exactly
``start`` (naming the declared checks, in order), then ``imported`` and one ``check``
per declared check in order, or one failed ``import`` check, then ``end``. Anything
else makes the run *tampered*, which never passes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

from mlpath.labs.checking import CheckResult

STATUSES = frozenset({"passed", "failed", "error"})


def tag(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


@dataclass
class Report:
    """What the parent has learnt from one run's report so far."""

    key: bytes
    run: int
    declared: list[tuple[str, str]] | None = None
    broken: str | None = None
    started: bool = False
    imported: bool = False
    checks: list[CheckResult] = field(default_factory=list)
    ended: bool = False
    tampered: str | None = None
    garbage: str | None = None
    exit: dict[str, Any] | None = None
    check_seconds: list[float] = field(default_factory=list)  # wall time of each check
    _seq: int = 0
    _last: float = 0.0

    def feed(self, line: str) -> None:
        """One line of the supervisor's stdout."""
        kind, _, rest = line.rstrip("\n").partition(" ")
        if kind == "S":
            try:
                event = json.loads(rest)
                self._supervisor(event)
            except (ValueError, TypeError, KeyError, AttributeError):
                self.garbage = self.garbage or line.strip()[:200]
        elif kind == "W":
            self._worker(rest)
        else:
            self.garbage = self.garbage or line.strip()[:200]

    def _supervisor(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "declared":
            self.declared = [(str(n), str(t)) for n, t in event["checks"]]
        elif kind == "broken":
            self.broken = str(event["message"])
        elif kind == "exit" and event.get("run") == self.run:
            self.exit = event

    def _tamper(self, reason: str) -> None:
        self.tampered = self.tampered or reason

    def _worker(self, rest: str) -> None:
        if self.tampered is not None:
            return
        mac, _, payload = rest.partition(" ")
        if not hmac.compare_digest(mac.encode(), tag(self.key, payload.encode()).encode()):
            self._tamper("a line on the checker's channel was not written by the checker")
            return
        try:
            event = json.loads(payload)
            ok = event["seq"] == self._seq and event["run"] == self.run
        except (ValueError, TypeError, KeyError):
            ok = False
        if not ok:
            self._tamper("the checker's events are out of sequence")
            return
        self._seq += 1
        problem = self._step(event)
        if problem:
            self._tamper(problem)

    def _step(self, event: dict[str, Any]) -> str | None:
        kind = event.get("event")
        if self.ended:
            return "an event came after the end of the report"
        if not self.started:
            if kind != "start" or self.declared is None:
                return "the report did not begin with the declared checks"
            if [tuple(c) for c in event.get("checks", ())] != self.declared:
                return "the report names checks that checks.py does not declare"
            self.started = True
            return None
        if kind == "tampered":
            return f"the checker found that {str(event.get('message'))[:200]}"
        if kind == "end":
            if not (len(self.checks) == len(self.declared or ()) or self._import_failed()):
                return "the report ended before every declared check"
            self.ended = True
            return None
        if kind == "imported" and not self.imported and not self.checks:
            self.imported = True
            self._last = time.monotonic()
            return None
        if kind == "check":
            return self._check(event)
        return f"unexpected event {str(kind)[:40]!r}"

    def _import_failed(self) -> bool:
        return not self.imported and [c.name for c in self.checks] == ["import"]

    def _check(self, event: dict[str, Any]) -> str | None:
        name, title, status = event.get("name"), event.get("title"), event.get("status")
        message = event.get("message")
        if status not in STATUSES or not isinstance(message, str):
            return "a check reported an unknown status"
        if not self.imported:
            if self.checks or name != "import" or status != "error":
                return "a check was reported before lab.py was imported"
        else:
            declared = self.declared or []
            i = len(self.checks)
            if i >= len(declared) or (name, title) != declared[i]:
                return f"check {str(name)[:40]!r} is not the next declared check"
        self.checks.append(CheckResult(str(name), str(title), str(status), message))
        now = time.monotonic()
        self.check_seconds.append(now - self._last if self._last else 0.0)
        self._last = now
        return None

    def running_title(self) -> str | None:
        if self.declared is None or len(self.checks) >= len(self.declared):
            return None
        return self.declared[len(self.checks)][1]
