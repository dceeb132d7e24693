"""Where question banks live: cheap to import (no pydantic), for commands such as ``done``."""

from __future__ import annotations

from pathlib import Path


def bundled_dir() -> Path:
    """The bank shipped with mlpath (inside the wheel, or the source tree)."""
    package = Path(__file__).resolve().parent.parent  # .../mlpath
    packaged = package / "data" / "questions"
    if packaged.is_dir():
        return packaged
    return package.parent.parent / "data" / "questions"


def bank_files(path: Path) -> list[Path]:
    """The bank files of a folder (sorted), or the one file given."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.json") if p.is_file())
    return [path]


def has_quiz(directory: Path, topic: str) -> bool:
    """True when ``directory`` holds a bank file for ``topic``."""
    return (directory / f"{topic}.json").is_file()


def is_project(topic_id: str) -> bool:
    """Project topics are judged by their project, not by a quiz."""
    return topic_id.startswith("project-") or topic_id == "end-to-end-project"
