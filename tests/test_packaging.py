"""The wheel carries everything an installed mlpath needs: the curriculum and every lab's files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (found,) = out.glob("mlpath-*.whl")
    return found


def test_the_wheel_contains_the_curriculum_and_the_labs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mlpath/data/curriculum.json" in names
    packaged = json.loads(zipfile.ZipFile(wheel).read("mlpath/data/curriculum.json"))
    assert packaged == json.loads((ROOT / "data" / "curriculum.json").read_text())
    for lab in (ROOT / "src" / "mlpath" / "labs" / "content").iterdir():
        if (lab / "meta.json").is_file():
            for f in lab.rglob("*"):
                if f.is_file() and "__pycache__" not in f.parts:
                    rel = f.relative_to(ROOT / "src").as_posix()
                    assert rel in names, f"{rel} is missing from the wheel"
    assert "mlpath/py.typed" in names


def test_an_installed_mlpath_finds_its_data_without_the_source_tree(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import mlpath.domain.curriculum as c, mlpath.labs.catalog as k;"
        "cur = c.load(); print(c.bundled_path()); print(len(cur.topics), len(k.lab_ids()))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()
    assert Path(out[0]).is_relative_to(site), "the curriculum must come from the installed package"
    topics, labs = map(int, out[1].split())
    assert topics >= 80 and labs >= 24
