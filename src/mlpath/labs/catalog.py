"""The labs that ship with mlpath: discovery, metadata, track variants, dependencies.

A lab is a folder ``mlpath/labs/content/<lab-id>/`` holding ``meta.json`` and the files
named in :data:`LAB_FILES`. Everything is read through :mod:`importlib.resources`
so that it works from an installed wheel as well as from a source checkout.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterable
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mlpath.errors import LabDependencyMissing, LabError

PACKAGE = "mlpath.labs.content"
LAB_FILES = ("meta.json", "README.md", "starter.py", "solution.py", "checks.py", "hints.json")
DEFAULT_TIMEOUT = 120

# Import names that make a lab a deep-learning lab (installed through the `dl` extra).
DL_PACKAGES = frozenset({"torch", "keras", "tensorflow"})
LABS_INSTALL = 'pip install "mlpath[labs]"'
DL_INSTALL = (
    "Install the CPU build of PyTorch first, then the extra:\n"
    "  pip install torch --index-url https://download.pytorch.org/whl/cpu\n"
    '  pip install "mlpath[dl]"'
)


class LabMeta(BaseModel):
    """A lab's ``meta.json``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    topic: str = Field(min_length=1)
    track: Literal["pytorch", "tensorflow"] | None = None
    requires: tuple[str, ...] = ()
    timeout: int = Field(default=DEFAULT_TIMEOUT, gt=0, le=3600)
    variants: dict[str, str] = Field(default_factory=dict)

    @property
    def is_deep_learning(self) -> bool:
        """True for labs that need torch/keras (installed through ``mlpath[dl]``)."""
        return self.track is not None or bool(DL_PACKAGES.intersection(self.requires))


def _root() -> Traversable:
    return files(PACKAGE)


def lab_folder(lab_id: str) -> Traversable:
    """The packaged folder of one lab (it may not exist)."""
    return _root() / lab_id


def lab_ids() -> list[str]:
    """Ids of every packaged lab (folders holding a ``meta.json``), sorted."""
    return sorted(
        entry.name
        for entry in _root().iterdir()
        if entry.is_dir() and (entry / "meta.json").is_file()
    )


def read_lab_file(lab_id: str, name: str) -> str:
    """Text of one packaged file of a lab, e.g. ``starter.py``."""
    path = lab_folder(lab_id) / name
    if not path.is_file():
        raise LabError(f"The lab {lab_id!r} has no {name}; this mlpath installation is incomplete.")
    return path.read_text(encoding="utf-8")


def _parse_meta(lab_id: str, text: str) -> LabMeta:
    try:
        meta = LabMeta.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise LabError(f"labs/{lab_id}/meta.json is not valid JSON: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'meta'}: {err['msg']}"
            for err in exc.errors()
        )
        raise LabError(f"labs/{lab_id}/meta.json is invalid: {problems}") from None
    if meta.id != lab_id:
        raise LabError(
            f"labs/{lab_id}/meta.json says id {meta.id!r}; it must match the folder name."
        )
    return meta


def get_lab(lab_id: str) -> LabMeta:
    """Load and validate the metadata of one lab; :class:`LabError` if it does not exist."""
    meta_file = lab_folder(lab_id) / "meta.json"
    if not meta_file.is_file():
        raise LabError(f"No lab named {lab_id!r} ships with this version of mlpath.")
    return _parse_meta(lab_id, meta_file.read_text(encoding="utf-8"))


def all_labs() -> dict[str, LabMeta]:
    """Every packaged lab by id."""
    return {lab_id: get_lab(lab_id) for lab_id in lab_ids()}


def lab_for(topic_id: str, lab_field: str | None, track: str | None) -> LabMeta | None:
    """The lab a learner on ``track`` does for a topic whose curriculum ``"lab"`` is ``lab_field``.

    ``None`` when the topic has no lab. A lab's ``variants`` maps a track to the lab
    to use instead on that track (e.g. a Keras lab on the TensorFlow track).
    """
    if not lab_field:
        return None
    try:
        meta = get_lab(lab_field)
    except LabError as exc:
        raise LabError(
            f"The topic {topic_id!r} names the lab {lab_field!r}, which cannot be loaded: {exc}",
            hint='Upgrade mlpath, or check the curriculum\'s "lab" field.',
        ) from None
    if track and track in meta.variants:
        return get_lab(meta.variants[track])
    return meta


def require_lab(topic_id: str, lab_field: str | None, track: str | None) -> LabMeta:
    """Like :func:`lab_for` but raise :class:`LabError` when the topic has no lab."""
    meta = lab_for(topic_id, lab_field, track)
    if meta is None:
        raise LabError(
            f"The topic {topic_id!r} has no lab.",
            hint="`mlpath topics` shows which topics have one.",
        )
    return meta


FindSpec = Callable[[str], object]


def missing_packages(meta: LabMeta, find_spec: FindSpec = importlib.util.find_spec) -> list[str]:
    """Import names in ``meta.requires`` that cannot be imported here (nothing is imported)."""
    return [name for name in meta.requires if find_spec(name) is None]


def install_command(packages: Iterable[str], *, deep_learning: bool) -> str:
    """The install instructions for a lab's missing packages."""
    if deep_learning or DL_PACKAGES.intersection(packages):
        return DL_INSTALL
    return LABS_INSTALL


def ensure_installed(meta: LabMeta, find_spec: FindSpec = importlib.util.find_spec) -> None:
    """Raise :class:`LabDependencyMissing` with the install command if a package is absent."""
    missing = missing_packages(meta, find_spec)
    if missing:
        raise LabDependencyMissing(
            f"The lab {meta.id!r} needs {', '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not installed.",
            hint=install_command(missing, deep_learning=meta.is_deep_learning),
        )
