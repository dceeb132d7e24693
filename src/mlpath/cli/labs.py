"""The lab commands: ``lab``, ``check``, ``hint`` and ``solution``. Thin: parse, call, render.

:func:`register` adds them to the main Typer app; the work is in :mod:`mlpath.labs`.
Nothing heavy is imported here: learner code runs in a child process.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from mlpath.cli.completion import topic_arg

TopicArg = Annotated[str, topic_arg()]
DirOpt = Annotated[
    Path | None,
    typer.Option(
        "--dir",
        help="Folder holding your labs. Default: $MLPATH_LABS, else ~/mlpath-labs.",
        show_default=False,
    ),
]


def _root(option: Path | None) -> Path:
    from mlpath.labs.workspace import labs_root

    return labs_root(option, os.environ, Path.home())


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A transient progress bar on stderr, or a no-op callback when disabled."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from mlpath.cli.text import err_console

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console(),
        transient=True,
    ) as bar:
        task = bar.add_task("Starting the checker…", total=None)

        def update(done: int, total: int, running: str | None) -> None:
            bar.update(task, completed=done, total=total, description=running or "Finishing…")

        yield update


def register(app: typer.Typer) -> None:
    """Add the lab commands to ``app``."""
    from mlpath.cli.app import CurriculumOpt, JsonOpt, session
    from mlpath.cli.hot import console, emit_json

    @app.command()
    def lab(
        topic: TopicArg,
        labs_dir: DirOpt = None,
        curriculum: CurriculumOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Create your lab for a topic: DIR/<topic-id>/lab.py (the file you edit) and README.md.

        Never overwrites your lab.py: if it exists, prints where it is.

        Example: mlpath lab partial-derivatives-gradients --dir ~/study/labs
        """
        from mlpath.app import labs as actions
        from mlpath.cli.render_labs import created_view

        t, meta, created = actions.open_lab(session(curriculum), topic, _root(labs_dir))
        if as_json:
            emit_json(
                {
                    "topic": t.id,
                    "lab": meta.id,
                    "folder": str(created.folder),
                    "lab_file": str(created.lab_file),
                    "created": created.created,
                }
            )
            return
        console().print(created_view(created, t.id, t.title))

    @app.command()
    def check(
        topic: TopicArg,
        labs_dir: DirOpt = None,
        as_json: JsonOpt = False,
        timeout: Annotated[
            float | None,
            typer.Option(
                "--timeout",
                min=1,
                help="Seconds before the run is stopped. Default: the lab's (120).",
                show_default=False,
            ),
        ] = None,
        curriculum: CurriculumOpt = None,
    ) -> None:
        """Check your lab.py in a separate process and report every check.

        Each check ends passed, failed (a wrong answer: expected vs got) or error (your
        code raised: the message shows your line). The run has a timeout and a memory
        cap. A first pass is recorded as evidence for `mlpath done`. Exits 1 unless passed.

        Example: mlpath check partial-derivatives-gradients --timeout 300
        """
        from mlpath.app import labs as actions
        from mlpath.cli.render_labs import next_step, result_view
        from mlpath.domain.bounds import check_timeout

        if timeout is not None:
            timeout = check_timeout(timeout)
        out = console()
        with _progress(not as_json and out.is_terminal and sys.stderr.isatty()) as on_progress:
            report = actions.check_lab(
                session(curriculum),
                topic,
                _root(labs_dir),
                timeout=timeout,
                on_progress=on_progress,
            )
        if as_json:
            emit_json({**report.result.as_dict(), "recorded": report.recorded})
        else:
            out.print(result_view(report.result, report.topic.title))
            from mlpath.labs.workspace import LAB_FILE, lab_dir

            lab_file = lab_dir(_root(labs_dir), report.topic.id) / LAB_FILE
            out.print(next_step(report.result, report.topic.id, report.recorded, lab_file))
        if not report.result.passed:
            raise typer.Exit(1)

    @app.command()
    def hint(
        topic: TopicArg,
        labs_dir: DirOpt = None,
        show_all: Annotated[bool, typer.Option("--all", help="Show every hint at once.")] = False,
        level: Annotated[int | None, typer.Option("--level", help="Show hint number N.")] = None,
        curriculum: CurriculumOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Show the next hint for the first check of your lab that fails now.

        Each call gives a stronger hint for that check. The failing check comes from your
        latest `mlpath check` if lab.py is unchanged since; otherwise the checks run again.

        Example: mlpath hint partial-derivatives-gradients
        """
        from mlpath.app import labs as actions
        from mlpath.cli.render_labs import hints_view

        out = console()
        with _progress(out.is_terminal and sys.stderr.isatty() and not as_json) as on_progress:
            report = actions.take_hints(
                session(curriculum),
                topic,
                _root(labs_dir),
                level=level,
                show_all=show_all,
                on_progress=on_progress,
            )
        if as_json:
            emit_json(
                {
                    "topic": report.topic.id,
                    "check": report.check,
                    "all_passed": report.all_passed,
                    "total": report.selection.total,
                    "hints": [
                        {"level": n, "text": text}
                        for n, text in zip(report.selection.levels, report.texts, strict=True)
                    ],
                }
            )
            return
        out.print(hints_view(report))

    @app.command()
    def solution(
        topic: TopicArg,
        labs_dir: DirOpt = None,
        yes: Annotated[
            bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")
        ] = False,
        curriculum: CurriculumOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Print the reference solution of a topic's lab (asks first if you have not passed it).

        Example: mlpath solution partial-derivatives-gradients --yes > solution.py
        """
        from mlpath.app import labs as actions
        from mlpath.domain.text import clean

        t, meta, text, passed = actions.solution(session(curriculum), topic, _root(labs_dir))
        if as_json and not passed and not yes:
            from mlpath.errors import InputError

            raise InputError(
                f"You have not passed the lab for {t.title} yet.",
                hint="Add --yes to print the solution anyway.",
            )
        if as_json:
            emit_json({"topic": t.id, "lab": meta.id, "lab_passed": passed, "solution": text})
            return
        if not passed and not yes:
            typer.echo(
                f"You have not passed the lab for {clean(t.title)} yet. Reading the solution first "
                "skips the "
                f"practice that makes it stick; `mlpath hint {t.id}` may be enough.",
                err=True,
            )
            typer.confirm("Show the solution anyway?", abort=True, err=True)
        out = console()
        if out.is_terminal:
            from rich.syntax import Syntax

            out.print(Syntax(text, "python", theme="ansi_dark", word_wrap=True))
        else:
            sys.stdout.write(text)
