"""The journey commands: ``week``, ``history``, ``skip`` and ``reopen``. Thin: parse, call
:mod:`mlpath.app.journey`, render. :func:`register` adds them to the main Typer app."""

from typing import Annotated

import typer

TopicArg = Annotated[str, typer.Argument(help="Topic id, unique id prefix, or title.")]


def register(app: typer.Typer) -> None:
    from mlpath.cli.app import CurriculumOpt, JsonOpt, session
    from mlpath.cli.hot import console, emit_json

    @app.command()
    def week(curriculum: CurriculumOpt = None, as_json: JsonOpt = False) -> None:
        """Show this week: its topics with hours planned and done, and the days left.

        Example: mlpath week
        """
        from mlpath.cli.hot import show_week

        show_week(curriculum, as_json)  # the fast path runs the same (mlpath/cli/fast.py)

    @app.command()
    def history(curriculum: CurriculumOpt = None, as_json: JsonOpt = False) -> None:
        """Show the whole journey week by week: hours studied, topics finished, plan changes.

        Example: mlpath history --json
        """
        from mlpath.app import journey

        data = journey.history(session(curriculum))
        if as_json:
            emit_json(data)
            return
        from mlpath.cli.render_journey import history_view

        console().print(history_view(data))

    @app.command()
    def skip(topic: TopicArg, curriculum: CurriculumOpt = None, as_json: JsonOpt = False) -> None:
        """Count a topic as known, without hours. `mlpath undo` takes it back.

        Example: mlpath skip python-basics
        """
        from mlpath.app import journey

        message = journey.skip(session(curriculum), topic)
        if as_json:
            emit_json({"topic": topic, "message": message})
            return
        console().print(message, markup=False)

    @app.command()
    def reopen(topic: TopicArg, curriculum: CurriculumOpt = None, as_json: JsonOpt = False) -> None:
        """Un-finish one topic, keeping everything recorded after it. `mlpath undo` takes it back.

        Example: mlpath reopen linear-regression
        """
        from mlpath.app import journey

        message = journey.reopen(session(curriculum), topic)
        if as_json:
            emit_json({"topic": topic, "message": message})
            return
        console().print(message, markup=False)
