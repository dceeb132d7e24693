"""Entry point: ``mlpath`` and ``python -m mlpath``."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from mlpath.cli.fast import run

    status: str | int | None = None
    try:
        status = run(sys.argv[1:])
        if status is None:
            from mlpath.cli.app import app

            try:
                app(prog_name="mlpath")
            except SystemExit as exc:
                status = exc.code
        sys.stdout.flush()  # here, not at exit, so that a failure is reported properly
    except OSError as exc:
        from mlpath.cli.hot import output_failed

        failed = output_failed(exc)
        status = failed if status in (0, None) else status
        _discard_stdout()
    sys.exit(status)


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    main()
