"""``mlpath doctor``: where everything is, which versions run, and whether the store,
its backups and the curriculum are healthy. Reads only; never raises for what it finds.

Each finding is a :class:`Check` with a level: ``ok``, ``warning`` (worth knowing,
nothing is lost) or ``problem`` (a command will fail; the check says what to do).
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlpath.domain.progress import State
from mlpath.errors import CurriculumError, MlpathError, StoreError
from mlpath.store.file import LOCK_TIMEOUT, Store, StoreData, lock_timeout_from_env

CORE_PACKAGES = ("typer", "rich", "pydantic", "platformdirs", "filelock")
LAB_PACKAGES = (
    "numpy",
    "scipy",
    "scikit-learn",
    "pandas",
    "matplotlib",
    "palmerpenguins",
    "torch",
    "keras",
)


@dataclass(frozen=True)
class Check:
    name: str
    level: str  # "ok" | "warning" | "problem"
    message: str
    fix: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "level": self.level, "message": self.message, "fix": self.fix}


@dataclass
class Diagnosis:
    paths: dict[str, str]
    versions: dict[str, str | None]
    optional: dict[str, str | None]
    store: dict[str, Any]
    curriculum: dict[str, Any]
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.level != "problem" for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "paths": self.paths,
            "versions": self.versions,
            "optional_packages": self.optional,
            "store": self.store,
            "curriculum": self.curriculum,
            "checks": [c.as_dict() for c in self.checks],
        }


def package_version(name: str) -> str | None:
    """The installed version of a distribution, or None (nothing is imported)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def diagnose(home: Path, curriculum_path: Path | None) -> Diagnosis:
    """Everything ``mlpath doctor`` reports, as data."""
    from mlpath import __version__
    from mlpath.app.session import cache_home
    from mlpath.domain.curriculum import bundled_path

    store = Store(home, lock_timeout=LOCK_TIMEOUT)
    source = curriculum_path or bundled_path()
    d = Diagnosis(
        paths={
            "home": str(home),
            "store": str(store.path),
            "backups": str(store.backup_dir),
            "lock": str(store.lock_path),
            "cache": str(cache_home() or "off"),
            "curriculum": str(source),
        },
        versions={
            "mlpath": package_version("mlpath") or __version__,
            "python": platform.python_version(),
            **{name: package_version(name) for name in CORE_PACKAGES},
        },
        optional={name: package_version(name) for name in LAB_PACKAGES},
        store={},
        curriculum={"path": str(source), "bundled": curriculum_path is None},
    )
    data = _check_store(d, store)
    _check_backups(d, store, data is None and store.exists())
    curriculum = _check_curriculum(d, source)
    _check_environment(d)
    if data is not None and curriculum is not None:
        from mlpath.domain.progress import derive
        from mlpath.domain.report import describe_orphans, orphaned_progress

        state = (
            derive(data.events, curriculum.canonical_id)
            if curriculum.renamed
            else _plain_state(data)
        )
        orphans = orphaned_progress(curriculum, state)
        d.curriculum["orphaned_progress"] = orphans
        if orphans:
            d.checks.append(
                Check(
                    "progress",
                    "warning",
                    f"Progress on topics not in this curriculum (kept): "
                    f"{describe_orphans(orphans)}.",
                    "If a topic was renamed, declare it in the curriculum's "
                    '"renamed" map (old -> new).',
                )
            )
    return d


def _plain_state(data: StoreData) -> State:
    """The state ``data``'s events derive (without renames). A log streamed from the file
    keeps it, so that the checks read the file once more, not once each."""
    from mlpath.domain.progress import derive
    from mlpath.store.log import EventLog

    return data.events.derive() if isinstance(data.events, EventLog) else derive(data.events)


def _check_store(d: Diagnosis, store: Store) -> StoreData | None:
    from mlpath.store.file import parse_store

    d.store.update(
        exists=store.exists(),
        loads=False,
        events=None,
        last_event=None,
        schema_version=None,
        problem=None,
    )
    scanned = store.scan()  # checked an event at a time, never held whole
    raw = None
    try:
        if scanned is not None:
            data: StoreData | None = scanned.data
        else:
            raw = store.read_raw()
            data = None if raw is None else parse_store(raw, store.path)
    except StoreError as exc:
        d.store["problem"] = exc.message
        d.checks.append(Check("store", "problem", exc.message, exc.hint))
        return None
    if data is None:
        d.store["loads"] = True
        d.checks.append(
            Check(
                "store",
                "ok",
                "No progress recorded yet (the store is created by "
                "the first `mlpath plan`, `done` or `log`).",
            )
        )
        return None
    from mlpath.domain.progress import describe

    last = data.events[-1] if data.events else None
    d.store.update(
        loads=True,
        events=len(data.events),
        last_event=last,
        schema_version=data.schema_version if data.migrated_from is None else data.migrated_from,
    )
    summary = f"{len(data.events)} events"
    if last is not None:
        summary += f"; last: {describe(last)} (recorded {str(last.get('at', ''))[:16]})"
    d.checks.append(Check("store", "ok", f"The store loads: {summary}."))
    from mlpath.store.format import summary_mismatch, summary_problem

    if scanned is not None:
        why = summary_mismatch(scanned.summary, _plain_state(data))
    else:
        why = None if raw is None else summary_problem(raw, data.events)
    if why:
        d.store["summary_problem"] = why
        d.checks.append(
            Check(
                "store",
                "warning",
                f"The summary stored in {store.path.name} {why}.",
                "Nothing is lost: progress is counted from the events. "
                "Any change (or `mlpath store restore`) rewrites the summary.",
            )
        )
    if data.migrated_from is not None:
        d.checks.append(
            Check(
                "store",
                "ok",
                f"The store is in an older format (schema {data.migrated_from}); it is upgraded on "
                "the next change, after a backup of the old file.",
            )
        )
    return data


def _check_backups(d: Diagnosis, store: Store, store_damaged: bool) -> None:
    found = store.backups()
    good = [b for b in found if b.problem is None]
    d.store["backups"] = [b.as_dict() for b in found]
    damaged_aside = sorted(p.name for p in store.home.glob(store.path.name + ".damaged-*"))
    d.store["kept_aside"] = damaged_aside
    if store_damaged:
        if good:
            d.checks.append(
                Check(
                    "backups",
                    "ok",
                    f"{len(good)} good backup(s); the newest is from "
                    f"{good[0].file.created:%Y-%m-%d %H:%M} UTC with {good[0].events} "
                    "events.",
                    "Run `mlpath store restore` to bring it back.",
                )
            )
        else:
            d.checks.append(
                Check(
                    "backups",
                    "problem",
                    "There is no good backup to restore.",
                    f"Move {store.path} aside to start afresh, or repair it by hand.",
                )
            )
    else:
        d.checks.append(
            Check("backups", "ok", f"{len(good)} good backup(s) in {store.backup_dir}.")
        )
    for b in found:
        if b.problem is not None:
            d.checks.append(
                Check(
                    "backups",
                    "warning",
                    f"Backup {b.number} ({b.file.path.name}) {b.problem}.",
                    "It is never restored; you may delete it.",
                )
            )
    if damaged_aside:
        d.checks.append(
            Check(
                "backups",
                "ok",
                "Damaged stores kept aside by a restore: " + ", ".join(damaged_aside) + ".",
            )
        )


def _check_curriculum(d: Diagnosis, source: Path) -> Any:
    from mlpath.domain.curriculum import parse, read_curriculum

    try:
        c = parse(read_curriculum(source), str(source))
    except CurriculumError as exc:
        d.curriculum.update(valid=False, problems=exc.problems or [exc.message])
        d.checks.append(Check("curriculum", "problem", exc.message, exc.hint))
        return None
    d.curriculum.update(
        valid=True,
        title=c.title,
        topics=len(c.topics),
        phases=len(c.phases),
        renamed=dict(c.renamed),
    )
    d.checks.append(
        Check(
            "curriculum",
            "ok",
            f"{source.name} is valid: {len(c.topics)} topics in "
            f"{len(c.phases)} phases, {len(c.renamed)} renamed id(s).",
        )
    )
    return c


def _check_environment(d: Diagnosis) -> None:
    try:
        timeout = lock_timeout_from_env()
    except MlpathError as exc:
        d.checks.append(Check("lock", "problem", exc.message, "Unset it or give seconds, e.g. 10."))
    else:
        d.store["lock_timeout_s"] = timeout
    missing = [n for n, v in d.optional.items() if v is None]
    if missing:
        d.checks.append(
            Check(
                "labs",
                "ok",
                "Optional lab packages not installed: " + ", ".join(missing) + ".",
                "Only labs need them: pip install 'mlpath[labs]' (and 'mlpath[dl]').",
            )
        )
    if os.environ.get("MLPATH_HOME"):
        d.checks.append(
            Check("home", "ok", "MLPATH_HOME is set: progress is kept in " + d.paths["home"])
        )
