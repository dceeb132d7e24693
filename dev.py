#!/usr/bin/env python3
"""Set up and run mlpath from a clone with nothing but Python 3.11+.

    python3 dev.py plan [--hours 10]   install mlpath into ./.venv and make a study plan
    python3 dev.py test [PYTEST ARGS]  install every extra (labs, deep learning, dev tools) and test
    python3 dev.py setup               only install that development environment

torch is installed explicitly before the extras so that pip never resolves a bare
``torch`` (which would fetch CUDA builds); set MLPATH_TORCH_INDEX to a package
index such as https://download.pytorch.org/whl/cpu to choose where it comes from.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
TORCH = os.environ.get("MLPATH_TORCH", "torch==2.13.0")
ACTIVATE = r".venv\Scripts\activate" if os.name == "nt" else "source .venv/bin/activate"
HOW_TO_RUN = """
mlpath is installed in ./.venv, which is not on your PATH. Either run it from there:
    {bin}/mlpath next
or activate the environment once per shell, then type `mlpath`:
    {activate}
    mlpath next"""


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def pip(*args: str) -> None:
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args)


def ensure(marker: str, *extras: str) -> None:
    """Create the virtualenv and install mlpath (with ``extras``) unless already done."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may be run by any python3)
        sys.exit("mlpath needs Python 3.11 or newer.")
    stamp = VENV / marker
    if stamp.exists() and stamp.stat().st_mtime >= (ROOT / "pyproject.toml").stat().st_mtime:
        return
    if not PY.exists():
        venv.create(VENV, with_pip=True)
    if extras:
        index = os.environ.get("MLPATH_TORCH_INDEX")
        pip(TORCH, *(["--index-url", index] if index else []))
    pip("-e", f".[{','.join(extras)}]" if extras else ".")
    stamp.touch()


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in ("plan", "test", "setup"):
        sys.exit(__doc__)
    command, rest = argv[0], argv[1:]
    if command == "plan":
        ensure(".installed")
        run(BIN / "mlpath", "plan", *(rest or ["--hours", "10"]))
        print(HOW_TO_RUN.format(bin=BIN.relative_to(ROOT), activate=ACTIVATE))
    else:
        ensure(".installed-dev", "dl", "dev")
        if command == "test":
            run(PY, "-m", "pytest", *rest)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
