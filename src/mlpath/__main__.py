"""Entry point: ``mlpath`` and ``python -m mlpath``."""

from __future__ import annotations


def main() -> None:
    from mlpath.cli import app

    app(prog_name="mlpath")


if __name__ == "__main__":
    main()
