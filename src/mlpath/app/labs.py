"""The use cases behind ``mlpath lab``, ``check``, ``hint`` and ``solution``.

Each takes a :class:`~mlpath.app.session.Session` (curriculum, store, today) and the
labs folder, calls the lab library, and returns plain data for the CLI to render.
A passed check is recorded as a ``lab`` event in one store transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlpath.app.session import Session
from mlpath.domain.curriculum import Topic
from mlpath.domain.progress import new_event
from mlpath.labs import hints as hints_mod
from mlpath.labs.catalog import LabMeta, ensure_installed, get_lab, read_lab_file, require_lab
from mlpath.labs.runner import LabResult, ProgressFn, not_attempted, run_lab
from mlpath.labs.workspace import (
    CreatedLab,
    create_lab,
    folder_lab_id,
    is_untouched,
    lab_dir,
    require_lab_file,
)


def _track(s: Session, topic: Topic) -> str | None:
    profile = s.store.load().profile or {}
    track = profile.get("track")
    return track if isinstance(track, str) else topic.track


def resolve(s: Session, query: str, root: Path | None = None) -> tuple[Topic, LabMeta]:
    """The topic named by ``query`` and its lab on the learner's track.

    When the learner's folder (under ``root``) already holds a lab, that lab is used,
    so that switching track later does not check a PyTorch file with Keras checks.
    """
    topic = s.curriculum.find(query)
    meta = require_lab(topic.id, topic.lab, _track(s, topic))
    recorded = folder_lab_id(lab_dir(root, topic.id)) if root is not None else None
    if recorded and recorded != meta.id and recorded in {*meta.variants.values(), topic.lab}:
        meta = get_lab(recorded)
    return topic, meta


def open_lab(s: Session, query: str, root: Path) -> tuple[Topic, LabMeta, CreatedLab]:
    """Create the learner's lab folder for a topic (never overwriting their ``lab.py``)."""
    topic, meta = resolve(s, query)
    ensure_installed(meta)
    return topic, meta, create_lab(meta, topic.id, root)


@dataclass(frozen=True)
class CheckReport:
    topic: Topic
    result: LabResult
    recorded: bool  # a new "lab passed" event was saved


def check_lab(
    s: Session,
    query: str,
    root: Path,
    *,
    timeout: float | None = None,
    on_progress: ProgressFn | None = None,
) -> CheckReport:
    """Run a topic's lab checks on the learner's ``lab.py``; record a first pass."""
    topic, meta = resolve(s, query, root)
    lab_file = require_lab_file(root, topic.id)
    ensure_installed(meta)
    if is_untouched(lab_file, meta):
        return CheckReport(topic, not_attempted(topic.id, meta.id), False)
    result = run_lab(meta, lab_file, topic=topic.id, timeout=timeout, on_progress=on_progress)
    recorded = result.passed and _record_pass(s, topic.id, meta.id)
    return CheckReport(topic, result, recorded)


def _record_pass(s: Session, topic_id: str, lab_id: str) -> bool:
    with s.store.transaction() as data:
        if topic_id in s.state(data).labs_passed:
            return False
        data.events.append(
            new_event(
                data.events,
                "lab",
                s.now(),
                topic=topic_id,
                lab=lab_id,
                date=s.today.isoformat(),
                status="passed",
            )
        )
    return True


def lab_passed(s: Session, topic_id: str) -> bool:
    """Whether the store holds a (not undone) pass of this topic's lab."""
    return topic_id in s.state(s.store.load()).labs_passed


def take_hints(
    s: Session, query: str, root: Path, *, level: int | None = None, show_all: bool = False
) -> tuple[Topic, hints_mod.HintSelection, list[str]]:
    """The next hint level(s) of a topic's lab, remembered in the learner's folder."""
    topic, meta = resolve(s, query, root)
    folder = require_lab_file(root, topic.id).parent
    selection, texts = hints_mod.take_hints(folder, meta.id, level=level, show_all=show_all)
    return topic, selection, texts


def solution(s: Session, query: str, root: Path) -> tuple[Topic, LabMeta, str, bool]:
    """The reference solution of a topic's lab, and whether the learner has passed it."""
    topic, meta = resolve(s, query, root)
    return topic, meta, read_lab_file(meta.id, "solution.py"), lab_passed(s, topic.id)


def lab_statuses(s: Session, root: Path) -> dict[str, str]:
    """Each lab topic's lab: ``passed``, ``started`` (its lab.py exists) or ``not started``."""
    passed = s.state(s.store.load(events=False)).labs_passed
    return {
        t.id: "passed"
        if t.id in passed
        else ("started" if (lab_dir(root, t.id) / "lab.py").is_file() else "not started")
        for t in s.curriculum.topics
        if t.lab
    }
