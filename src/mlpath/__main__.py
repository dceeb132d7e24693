"""Entry point: ``mlpath`` and ``python -m mlpath``."""

from __future__ import annotations

import sys


def main() -> None:
    from mlpath.cli.fast import run

    status = run(sys.argv[1:])
    if status is not None:
        sys.exit(status)
    from mlpath.cli.app import app

    app(prog_name="mlpath")


if __name__ == "__main__":
    main()
