"""Shared fixtures: a tiny curriculum, a store in tmp_path, a fixed today, a CLI runner."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlpath.domain.curriculum import Curriculum, from_document

TODAY = date(2026, 11, 24)  # a Tuesday


def topic(
    tid: str, phase: str, prereqs: list[str] | None = None, hours: float = 4, **extra: Any
) -> dict[str, Any]:
    return {
        "id": tid,
        "title": tid.replace("-", " ").title(),
        "phase": phase,
        "summary": f"About {tid}. It matters.",
        "objectives": [f"Explain {tid}", f"Apply {tid}", f"Test {tid}"],
        "prerequisites": prereqs or [],
        "hours": hours,
        "resources": [
            {
                "title": f"{tid} notes",
                "url": f"https://example.org/{tid}",
                "kind": "article",
                "section": None,
                "free": True,
            }
        ],
        **extra,
    }


def tiny_document() -> dict[str, Any]:
    """Nine topics over three phases, two framework tracks, one optional topic."""
    return {
        "schema_version": 1,
        "title": "Tiny ML",
        "phases": [
            {"id": "math", "title": "Math"},
            {"id": "ml", "title": "Machine learning"},
            {"id": "dl", "title": "Deep learning"},
        ],
        "topics": [
            topic("vectors", "math", hours=3),
            topic("calculus", "math", hours=5),
            topic("probability", "math", hours=4),
            topic("regression", "ml", ["vectors", "calculus"], hours=6, lab="linear-regression-gd"),
            topic("classification", "ml", ["regression", "probability"], hours=5),
            topic("networks", "dl", ["classification"], hours=8),
            topic("torch", "dl", ["networks"], hours=4, track="pytorch"),
            topic("keras", "dl", ["networks"], hours=4, track="tensorflow"),
            topic("deploy", "dl", ["torch", "keras"], hours=3),
            topic("extra-reading", "math", ["vectors"], hours=2, optional=True),
        ],
    }


@pytest.fixture
def tiny_doc() -> dict[str, Any]:
    return tiny_document()


@pytest.fixture
def tiny() -> Curriculum:
    return from_document(tiny_document(), "tiny")


@pytest.fixture
def tiny_path(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_document()))
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "home"
    monkeypatch.setenv("MLPATH_HOME", str(h))
    monkeypatch.setenv("MLPATH_TODAY", TODAY.isoformat())
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("MLPATH_REVIEW_FUZZ", "0")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("MLPATH_CACHE", str(tmp_path / "cache"))  # not the user's cache
    monkeypatch.delenv("MLPATH_CURRICULUM", raising=False)
    return h


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(home: Path, tiny_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run mlpath against the tiny curriculum in an isolated home: cli("plan", "--hours", "10")."""
    from mlpath.cli.app import app

    monkeypatch.setenv("MLPATH_CURRICULUM", str(tiny_path))

    def run(*args: str, today: str | None = None):  # type: ignore[no-untyped-def]
        if today:
            monkeypatch.setenv("MLPATH_TODAY", today)
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
