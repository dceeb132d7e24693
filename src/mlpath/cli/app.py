"""The mlpath command line: parse options, call the library, render the result.

Every learner-facing error is an :class:`mlpath.errors.MlpathError`; it is
caught once, in :class:`_Group`, printed to stderr and turned into a non-zero exit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from mlpath.app.session import Session, parse_date
from mlpath.cli import hot as views
from mlpath.cli.completion import complete_topic, topic_arg
from mlpath.cli.hot import console, emit_json, output_failed, report_error
from mlpath.errors import InputError, MlpathError


class _Group(TyperGroup):
    """Turns MlpathError into a short message and an exit status, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MlpathError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:  # output that cannot be written, or an I/O error
            raise typer.Exit(output_failed(exc)) from None

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_flags(command, ctx)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _plain_flags(self, ctx)
        super().format_help(ctx, formatter)


def _plain_flags(command: Any, ctx: Any) -> None:
    """Flags show no ``<bool>`` type in help: they take no value."""
    for param in command.get_params(ctx):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""


def unwrap_help(doc: str | None) -> str | None:
    """A docstring whose paragraphs are each one line, for help to wrap to the terminal.

    Typer keeps the line breaks of a docstring and then wraps again, which leaves
    stray short lines; paragraphs are joined here, except "Example:" lines.
    """
    if not doc:
        return doc
    import inspect

    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


app = typer.Typer(
    cls=_Group,
    help="mlpath: plan your machine-learning self-study to your real hours, and track it.\n\n"
    "Start with `mlpath plan --hours 10`, then `mlpath next`.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
curriculum_app = typer.Typer(
    cls=_Group, help="Check a curriculum file or print its JSON Schema.", no_args_is_help=True
)
app.add_typer(curriculum_app, name="curriculum")

CurriculumOpt = Annotated[
    Path | None,
    typer.Option(
        "--curriculum",
        envvar="MLPATH_CURRICULUM",
        help="Use this curriculum JSON file instead of the bundled one.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")]
TopicArg = Annotated[str, topic_arg()]


def session(curriculum: Path | None) -> Session:
    return Session(curriculum_path=curriculum)


@app.callback()
def _status(ctx: typer.Context) -> None:
    """Without a command: one screen of where you stand (the fast path does the same)."""
    if ctx.invoked_subcommand is None:
        from mlpath.cli.fast import _env_curriculum

        views.show_status(_env_curriculum())


# ----------------------------------------------------------------------------- plan


@app.command()
def plan(
    hours: Annotated[
        float | None,
        typer.Option(
            "--hours",
            help="Weekly study hours (0.5–100). Required the first time, then remembered.",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help="First day of week 1 (YYYY-MM-DD). Default: today."),
    ] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(
            "--goal",
            help="Topic to reach (repeatable). Default: the whole track. 'all' resets.",
            autocompletion=complete_topic,
        ),
    ] = None,
    known: Annotated[
        list[str] | None,
        typer.Option(
            "--known", help="Topic you already master (repeatable).", autocompletion=complete_topic
        ),
    ] = None,
    track: Annotated[
        str | None,
        typer.Option("--track", help="Framework track: pytorch (default) or tensorflow."),
    ] = None,
    strategy: Annotated[
        str | None,
        typer.Option(
            "--strategy",
            help="phases (default: math first) or just-in-time "
            "(math right before the ML that needs it).",
        ),
    ] = None,
    week_start: Annotated[
        str | None,
        typer.Option("--week-start", help="Weekday your weeks start on (e.g. monday)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what a re-plan would change; save nothing.")
    ] = False,
    curriculum: CurriculumOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Order the curriculum by prerequisites into weeks that fit your hours, and save the plan.

    With no planning option it prints the saved plan and changes nothing. Any of
    --hours, --start, --goal, --known, --track, --strategy or --week-start re-plans
    from today and keeps all progress; options you leave out keep their values.

    Example: mlpath plan --hours 6 --dry-run
    """
    from mlpath.app import journey as journeys
    from mlpath.app import study as commands

    s = session(curriculum)
    options = {
        "hours": hours,
        "start": parse_date(start, s.today, "--start") if start else None,
        "goals": goal,
        "known": known,
        "track": track,
        "strategy": strategy,
        "week_start": journeys.parse_weekday(week_start) if week_start else None,
    }
    if all(v is None for v in options.values()):
        if dry_run:
            raise InputError(
                "--dry-run needs a planning option to try, e.g. mlpath plan --hours 6 --dry-run"
            )
        saved = journeys.saved_plan(s)
        if as_json:
            emit_json(saved.to_dict())
            return
        from mlpath.cli.render import plan_view

        console().print(plan_view(saved, s.curriculum))
        return
    if dry_run:
        change = journeys.dry_run(s, **options)
        if as_json:
            emit_json(change)
            return
        from mlpath.cli.render_journey import dry_run_view

        console().print(dry_run_view(change, s.curriculum))
        return
    result = commands.make_and_save_plan(s, **options)
    note = commands.past_note(
        result.start,
        s.today,
        "--start",
        "Its first weeks count as already due, so you show as behind; "
        "leave out --start to plan from today.",
    )
    if as_json:
        emit_json({**result.to_dict(), "warnings": [note] if note else []})
        return
    from mlpath.cli.render import plan_view

    out = console()
    out.print(plan_view(result, s.curriculum))
    if note:
        out.print(note, style="yellow", markup=False)
    out.print("Next: run `mlpath next` to see what to study first.", style="dim")


# ----------------------------------------------------------------------------- next


@app.command("next")
def next_(curriculum: CurriculumOpt = None, as_json: JsonOpt = False) -> None:
    """Show what to study now, from which resources, and whether you are on track.

    Example: mlpath next
    """
    views.show_next(curriculum, as_json)


# ----------------------------------------------------------------------------- progress


@app.command()
def done(
    topic: TopicArg,
    hours: Annotated[
        float | None, typer.Option("--hours", help="Study time to record with it.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Date finished (YYYY-MM-DD, today, yesterday).")
    ] = None,
    curriculum: CurriculumOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark a topic as finished.

    Example: mlpath done linear-regression --hours 3
    """
    views.mark_done(topic, hours, on, curriculum, as_json)


@app.command()
def log(
    topic: TopicArg,
    hours: Annotated[float, typer.Argument(help="Hours studied, e.g. 1.5.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Study date (YYYY-MM-DD, today, yesterday).")
    ] = None,
    curriculum: CurriculumOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record study time on a topic without finishing it.

    Example: mlpath log chain-rule 1.5
    """
    from mlpath.app import study as commands

    s = session(curriculum)
    result = commands.record_log(s, topic, hours, parse_date(on, s.today) if on else s.today)
    if as_json:
        emit_json(result)
        return
    out = console()
    out.print(result["message"], markup=False)
    for note in result["warnings"]:
        out.print(note, style="yellow", markup=False)


@app.command()
def undo(curriculum: CurriculumOpt = None, as_json: JsonOpt = False) -> None:
    """Revert the last change (done, log, plan or lab) and say what was reverted.

    Example: mlpath undo
    """
    from mlpath.app import study as commands

    result = commands.undo_last(session(curriculum))
    if as_json:
        emit_json(result)
        return
    console().print(result["message"], markup=False)


# ----------------------------------------------------------------------------- browse


@app.command()
def show(
    topic: TopicArg,
    curriculum: CurriculumOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print a topic in full: summary, objectives, prerequisites, resources, your status.

    Example: mlpath show backpropagation
    """
    from mlpath.app import study as commands

    s = session(curriculum)
    t, status, state = commands.topic_status(s, topic)
    if as_json:
        emit_json(
            {
                **commands.topic_json(t),
                "status": status,
                "logged_hours": state.logged.get(t.id, 0.0),
                "lab_passed": t.id in state.labs_passed,
            }
        )
        return
    from mlpath.cli.render import topic_view

    lab = "passed" if t.id in state.labs_passed else None
    console().print(topic_view(t, s.curriculum, status, state.logged.get(t.id, 0.0), lab))


@app.command()
def topics(
    phase: Annotated[str | None, typer.Option("--phase", help="Only this phase id.")] = None,
    curriculum: CurriculumOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the curriculum with each topic's status (done, in progress, planned, known).

    Example: mlpath topics --phase math
    """
    from mlpath.app import study as commands
    from mlpath.app.labs import lab_statuses
    from mlpath.labs.workspace import labs_root

    s = session(curriculum)
    statuses, _ = commands.all_statuses(s)
    labs = lab_statuses(s, labs_root(None, os.environ, Path.home()))
    evidence, counts = commands.topic_evidence(s)
    if phase is not None:
        if phase not in s.curriculum.phase_index:
            raise InputError(
                f"Unknown phase {phase!r}. Phases: {', '.join(s.curriculum.phase_index)}."
            )
        statuses = {k: v for k, v in statuses.items() if s.curriculum.by_id[k].phase == phase}
    if as_json:
        emit_json(
            [
                {
                    "id": t.id,
                    "title": t.title,
                    "phase": t.phase,
                    "hours": t.hours,
                    "status": statuses[t.id],
                    "lab": t.lab,
                    "lab_status": labs.get(t.id) or None,
                    "evidence": evidence.get(t.id, False),
                }
                for t in s.curriculum.topics
                if t.id in statuses
            ]
        )
        return
    from mlpath.cli.render import topics_view

    if phase is not None:
        counts = {**counts, "phases": [p for p in counts["phases"] if p["id"] == phase]}
    console().print(topics_view(s.curriculum, statuses, labs, counts))


@app.command()
def report(curriculum: CurriculumOpt = None, as_json: JsonOpt = False) -> None:
    """Show where you stand: completion, pace, projected finish, streak and a burn-up chart.

    Example: mlpath report --json
    """
    views.show_report(curriculum, as_json)


# ----------------------------------------------------------------------------- curriculum


@curriculum_app.command("check")
def curriculum_check(
    path: Annotated[
        Path | None, typer.Argument(help="Curriculum file (default: the one in use).")
    ] = None,
    curriculum: CurriculumOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate a curriculum file and list every problem at once.

    Example: mlpath curriculum check my-curriculum.json
    """
    from mlpath.domain.curriculum import bundled_path, parse, read_curriculum
    from mlpath.errors import CurriculumError

    target = path or curriculum or bundled_path()
    try:
        c = parse(read_curriculum(target), str(target))
    except CurriculumError as exc:
        if not as_json:
            raise
        emit_json({"path": str(target), "ok": False, "problems": exc.problems or [exc.message]})
        raise typer.Exit(exc.exit_code) from None
    hours = sum(t.hours for t in c.topics)
    if as_json:
        emit_json(
            {
                "path": str(target),
                "ok": True,
                "topics": len(c.topics),
                "phases": len(c.phases),
                "hours": hours,
            }
        )
        return
    console().print(
        f"✓ {target}: {len(c.topics)} topics in {len(c.phases)} phases, {hours:g} h. No problems.",
        markup=False,
    )


@curriculum_app.command("schema")
def curriculum_schema(
    as_json: Annotated[
        bool, typer.Option("--json", help="Accepted for symmetry: the schema is always JSON.")
    ] = False,
) -> None:
    """Print the JSON Schema of curriculum files.

    Example: mlpath curriculum schema > curriculum.schema.json
    """
    from mlpath.domain.schema import json_schema

    emit_json(json_schema())


def _register_extensions() -> None:
    """Commands that live in their own modules register themselves here."""
    import importlib

    for name in (
        "mlpath.cli.labs",
        "mlpath.cli.store",
        "mlpath.cli.export",
        "mlpath.cli.quiz",
        "mlpath.cli.journey",
        "mlpath.cli.review",
    ):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(app)


def _unwrap_all(t: typer.Typer) -> None:
    for info in t.registered_commands:
        if info.callback is not None:
            info.callback.__doc__ = unwrap_help(info.callback.__doc__)
    for group in t.registered_groups:
        if group.typer_instance is not None:
            _unwrap_all(group.typer_instance)


_register_extensions()
_unwrap_all(app)
