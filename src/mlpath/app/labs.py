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
from mlpath.errors import TopicNotFound
from mlpath.labs import hints as hints_mod
from mlpath.labs.catalog import (
    LabMeta,
    ensure_installed,
    get_lab,
    lab_ids,
    read_lab_file,
    require_lab,
)
from mlpath.labs.runner import LabResult, ProgressFn, not_attempted, run_lab
from mlpath.labs.workspace import (
    CreatedLab,
    create_lab,
    first_failing,
    folder_lab_id,
    is_untouched,
    lab_dir,
    last_check,
    require_lab_file,
    save_last_check,
)


def _track(s: Session, topic: Topic) -> str | None:
    profile = s.store.load().profile or {}
    track = profile.get("track")
    return track if isinstance(track, str) else topic.track


def _topic_for_lab(s: Session, lab_id: str) -> Topic | None:
    """The topic whose lab is ``lab_id`` (directly or as a track variant)."""
    for topic in s.curriculum.topics:
        if topic.lab == lab_id:
            return topic
    for topic in s.curriculum.topics:
        if topic.lab and lab_id in get_lab(topic.lab).variants.values():
            return topic
    return None


def find_topic(s: Session, query: str) -> tuple[Topic, str | None]:
    """The topic named by ``query`` (a topic id, prefix or title, or a lab id), and the lab
    id when ``query`` named a lab. Unknown names raise TopicNotFound with suggestions
    from both topic and lab ids."""
    q = query.strip().lower()
    if q not in s.curriculum.by_id and q in lab_ids():
        topic = _topic_for_lab(s, q)
        if topic is not None:
            return topic, q
    try:
        return s.curriculum.find(query), None
    except TopicNotFound:
        import difflib

        labs = difflib.get_close_matches(q, lab_ids(), n=3, cutoff=0.6)
        raise TopicNotFound(query, [*s.curriculum.suggest(q), *labs][:5]) from None


def resolve(s: Session, query: str, root: Path | None = None) -> tuple[Topic, LabMeta]:
    """The topic named by ``query`` and its lab on the learner's track.

    ``query`` may name the lab itself (``mlpath check kmeans``): that lab is used.
    When the learner's folder (under ``root``) already holds a lab, that lab is used,
    so that switching track later does not check a PyTorch file with Keras checks.
    """
    topic, named_lab = find_topic(s, query)
    if named_lab is not None:
        return topic, get_lab(named_lab)
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
    save_last_check(lab_file, meta.id, [(c.name, c.status) for c in result.checks])
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


@dataclass(frozen=True)
class HintReport:
    topic: Topic
    selection: hints_mod.HintSelection
    texts: list[str]
    check: str | None  # the failing check the hints are for (keyed hints), else None
    check_title: str | None
    all_passed: bool  # keyed hints and nothing fails: no hint is needed


def take_hints(
    s: Session,
    query: str,
    root: Path,
    *,
    level: int | None = None,
    show_all: bool = False,
    on_progress: ProgressFn | None = None,
) -> HintReport:
    """The next hint level(s) for the first check of a topic's lab that fails now.

    With keyed hints, the failing check comes from the latest ``mlpath check`` when
    ``lab.py`` is unchanged since (byte for byte), else from running the checks again.
    """
    topic, meta = resolve(s, query, root)
    lab_file = require_lab_file(root, topic.id)
    titles: dict[str, str] = {}
    failing: str | None = None
    keyed = isinstance(hints_mod.load_hints(meta.id), dict)
    if keyed:
        outcome = last_check(lab_file, meta.id)
        if outcome is None:
            ensure_installed(meta)
            result = run_lab(meta, lab_file, topic=topic.id, on_progress=on_progress)
            outcome = [(c.name, c.status) for c in result.checks]
            titles = {c.name: c.title for c in result.checks}
            save_last_check(lab_file, meta.id, outcome)
        failing = first_failing(outcome)
        if failing is None:
            empty = hints_mod.HintSelection([], 0, 0)
            return HintReport(topic, empty, [], None, None, True)
    selection, texts = hints_mod.take_hints(
        lab_file.parent, meta.id, failing=failing, level=level, show_all=show_all
    )
    return HintReport(topic, selection, texts, failing, titles.get(failing or ""), False)


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
