"""The learner's lab folders: ``<labs dir>/<topic-id>/lab.py`` and its README.

Creating a lab writes only files that do not exist yet, so the learner's work is
never overwritten. A small ``.mlpath-lab.json`` records which lab the folder holds
and the fingerprint of the starter it began from, so that an untouched ``lab.py``
is reported as not attempted even after an upgrade changes the starter.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mlpath.errors import LabError
from mlpath.labs.catalog import LabMeta, read_lab_file

LAB_FILE = "lab.py"
README_FILE = "README.md"
STATE_FILE = ".mlpath-lab.json"
ENV_VAR = "MLPATH_LABS"
DEFAULT_DIRNAME = "mlpath-labs"
SCHEMA_VERSION = 1


def labs_root(option: Path | None, env: Mapping[str, str], home: Path) -> Path:
    """Where lab folders live: ``--dir``, else ``$MLPATH_LABS``, else ``~/mlpath-labs``."""
    if option is not None:
        return option.expanduser()
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    return home / DEFAULT_DIRNAME


def lab_dir(root: Path, topic_id: str) -> Path:
    """The folder of one topic's lab."""
    return root / topic_id


@dataclass(frozen=True)
class CreatedLab:
    folder: Path
    lab_file: Path
    created: bool  # False when lab.py was already there (and left untouched)


def _write_new(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` only if it does not exist; True if written."""
    try:
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        return False
    return True


def normalize(text: str) -> str:
    """Source text with line endings, trailing spaces and trailing blank lines made uniform."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def fingerprint(text: str) -> str:
    """SHA-256 of the normalized text."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def create_lab(meta: LabMeta, topic_id: str, root: Path) -> CreatedLab:
    """Create ``root/<topic-id>/`` with ``lab.py`` and ``README.md``; never overwrite either."""
    folder = lab_dir(root, topic_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        starter = read_lab_file(meta.id, "starter.py")
        created = _write_new(folder / LAB_FILE, starter)
        _write_new(folder / README_FILE, read_lab_file(meta.id, "README.md"))
        if created:
            state = {
                "schema_version": SCHEMA_VERSION,
                "lab": meta.id,
                "topic": topic_id,
                "starter_sha256": fingerprint(starter),
            }
            (folder / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise LabError(
            f"Cannot create the lab folder {folder}: {exc.strerror or exc}.",
            hint="Choose another place with --dir DIR or the MLPATH_LABS environment variable.",
        ) from None
    return CreatedLab(folder, folder / LAB_FILE, created)


def read_state(folder: Path) -> dict[str, object]:
    """The folder's ``.mlpath-lab.json`` (empty when absent or unreadable: a convenience only)."""
    try:
        data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def folder_lab_id(folder: Path) -> str | None:
    """The lab id recorded when the folder was created, if any."""
    lab = read_state(folder).get("lab")
    return lab if isinstance(lab, str) else None


def require_lab_file(root: Path, topic_id: str) -> Path:
    """The learner's ``lab.py`` for a topic; :class:`LabError` with the next step if missing."""
    path = lab_dir(root, topic_id) / LAB_FILE
    if not path.is_file():
        raise LabError(
            f"There is no lab for {topic_id!r} in {root} yet.",
            hint=f"Create it with `mlpath lab {topic_id}` (or pass the --dir you used).",
        )
    return path


def is_untouched(lab_file: Path, meta: LabMeta) -> bool:
    """True while ``lab.py`` is still the starter it was created from (or today's starter)."""
    current = fingerprint(lab_file.read_text(encoding="utf-8", errors="replace"))
    known = {fingerprint(read_lab_file(meta.id, "starter.py"))}
    recorded = read_state(lab_file.parent).get("starter_sha256")
    if isinstance(recorded, str):
        known.add(recorded)
    return current in known


LAST_CHECK_FILE = ".mlpath-check.json"


def first_failing(checks: list[tuple[str, str]]) -> str | None:
    """The name of the first check that did not pass, from ``(name, status)`` pairs."""
    return next((name for name, status in checks if status != "passed"), None)


def save_last_check(lab_file: Path, lab_id: str, checks: list[tuple[str, str]]) -> None:
    """Remember the outcome of the latest check of ``lab_file`` (for targeted hints).

    Best effort: a folder that cannot be written only means the next hint re-runs the checks.
    """
    state = {
        "schema_version": SCHEMA_VERSION,
        "lab": lab_id,
        "lab_sha256": hashlib.sha256(lab_file.read_bytes()).hexdigest(),
        "checks": [{"name": n, "status": s} for n, s in checks],
    }
    with contextlib.suppress(OSError):
        (lab_file.parent / LAST_CHECK_FILE).write_text(json.dumps(state) + "\n", encoding="utf-8")


def last_check(lab_file: Path, lab_id: str) -> list[tuple[str, str]] | None:
    """The saved outcome of the latest check, if ``lab.py`` is byte-identical since then."""
    try:
        state = json.loads((lab_file.parent / LAST_CHECK_FILE).read_text(encoding="utf-8"))
        current = hashlib.sha256(lab_file.read_bytes()).hexdigest()
        if state["lab"] != lab_id or state["lab_sha256"] != current:
            return None
        return [(str(c["name"]), str(c["status"])) for c in state["checks"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
