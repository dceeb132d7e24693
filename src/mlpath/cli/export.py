"""The export commands: ``export`` and ``graph``. Thin: parse, call :mod:`mlpath.export`, write.

:func:`register` adds them to the main Typer app. Nothing heavy is imported here
(icalendar loads only for ``--format ics``). This module and :mod:`mlpath.app.session`
are the only ones that read the clock and the environment (the local time zone).
"""

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mlpath.cli.completion import complete_topic
from mlpath.cli.hot import emit_json

OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of printing it.", show_default=False
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the output file without asking.")]
TrackOpt = Annotated[
    str | None,
    typer.Option(
        "--track",
        help="pytorch or tensorflow. Default: your saved plan's track.",
        show_default=False,
    ),
]
_WRITTEN = {
    "ics": "Import it into your calendar app; import it again after a change to update it.",
    "html": "Open it in any browser; it works offline.",
}


def local_zone() -> Any:
    """The system's IANA time zone ($TZ, /etc/localtime, /etc/timezone), else UTC."""
    from zoneinfo import ZoneInfo

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    target = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in target:
        candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name)
            except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
                continue
    return ZoneInfo("UTC")


def write_output(
    text: str, output: Path | None, force: bool, fmt: str, home: Path, as_json: bool = False
) -> None:
    """Print ``text``, or write it to ``output``, replacing a file only when confirmed or forced.

    With ``as_json``, print what was done as JSON instead (the text itself when not written).

    A file is written atomically with the user's umask; a symbolic link is written
    through (the link stays). Nothing is ever written inside the mlpath home ``home``
    (the store, its lock and its backups live there).
    """
    from mlpath.domain.text import clean, clean_output
    from mlpath.errors import ExportError

    text = clean_output(text)  # curriculum and store text never controls a terminal
    if output is None or str(output) == "-":
        if as_json:
            emit_json({"format": fmt, "output": None, "bytes": len(text.encode()), "content": text})
        else:
            sys.stdout.write(text)
        return
    shown = clean(str(output))
    try:
        _write_file(text, output, force, fmt, home, shown)
    except OSError as exc:  # a name too long, a path through a file, a dangling link...
        raise ExportError(
            f"Cannot write {shown}: {exc.strerror or exc}.",
            hint="Choose another file with -o.",
        ) from None
    if as_json:
        emit_json({"format": fmt, "output": str(output), "bytes": len(text.encode())})
    else:
        typer.echo(f"Wrote {shown}. {_WRITTEN.get(fmt, '')}".rstrip())


def _write_file(text: str, output: Path, force: bool, fmt: str, home: Path, shown: str) -> None:
    from mlpath.domain.text import clean
    from mlpath.errors import ExportError, StoreWriteError
    from mlpath.store.file import user_mode, write_atomic

    target = Path(os.path.realpath(output))
    inside = Path(os.path.realpath(home))
    if target == inside or inside in target.parents:
        raise ExportError(
            f"Cannot write {shown}: it is inside the mlpath home {inside}, "
            "where your progress is kept.",
            hint="Choose a file elsewhere with -o.",
        )
    if target.is_dir():
        raise ExportError(f"{shown} is a folder.", hint="Give a file name, e.g. -o plan." + fmt)
    if output.exists() and not force:
        try:
            typer.confirm(f"{shown} exists. Replace it?", abort=True, err=True)
        except typer.Abort:
            raise ExportError(
                f"{shown} already exists and was left unchanged.",
                hint="Add --force to replace it, or choose another file with -o.",
            ) from None
    if not target.parent.is_dir():
        raise ExportError(
            f"Cannot write {shown}: the folder {clean(str(target.parent))} does not exist.",
            hint="Create the folder first, or choose another file with -o.",
        )
    try:
        write_atomic(
            target,
            text.encode("utf-8"),
            unchanged="Any existing file is unchanged.",
            mode=user_mode(),
        )
    except StoreWriteError as exc:
        raise ExportError(
            exc.message,
            hint="Check that you may write to that folder and that the disk is not full.",
        ) from None


def register(app: typer.Typer) -> None:
    """Add ``export`` and ``graph`` to ``app``."""
    from mlpath.cli.app import CurriculumOpt, JsonOpt, session

    @app.command()
    def export(
        fmt: Annotated[
            str,
            typer.Option("--format", "-f", help="ics, md, csv, json or html.", show_default=False),
        ],
        output: OutputOpt = None,
        force: ForceOpt = False,
        days: Annotated[
            str | None,
            typer.Option(
                "--days",
                help="ics: study days, e.g. mon,wed,sat. Default: mon,tue,wed,thu,fri.",
                show_default=False,
            ),
        ] = None,
        at: Annotated[
            str | None,
            typer.Option(
                "--time",
                help="ics: start time of each session (HH:MM). Default: 19:00.",
                show_default=False,
            ),
        ] = None,
        tz: Annotated[
            str | None,
            typer.Option(
                "--tz",
                help="ics: IANA time zone, e.g. Europe/Paris. Default: this computer's.",
                show_default=False,
            ),
        ] = None,
        track: TrackOpt = None,
        curriculum: CurriculumOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Export your saved plan and progress: a calendar (ics), a printable plan (md),
        a spreadsheet (csv), data (json) or a self-contained report page (html).

        Prints to the terminal unless -o is given; an existing file is replaced only
        after you confirm it, or with --force. See docs/exports.md.

        Example: mlpath export --format ics --days mon,wed,sat --time 07:30 -o study.ics
        """
        from mlpath.errors import InputError
        from mlpath.export import FORMATS, Snapshot
        from mlpath.export import export as render

        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise InputError(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r}).")
        if fmt != "ics" and (days or at or tz):
            raise InputError("--days, --time and --tz only apply to --format ics.")
        s = session(curriculum)
        cur = s.curriculum  # a bad curriculum is reported before a missing plan
        data = s.store.load()
        profile, plan = s.require_plan(data)
        snap = Snapshot.for_track(cur, profile, plan, s.state(data), s.today, track)
        options = None
        if fmt == "ics":
            from mlpath.export import ics

            options = ics.IcsOptions(
                days=ics.parse_days(days) if days else ics.DEFAULT_DAYS,
                at=ics.parse_time(at) if at else ics.DEFAULT_TIME,
                tz=ics.zone(tz) if tz else local_zone(),
                identity=ics.store_identity(data.events),
                stamp=s.now(),
                revision=int(data.events[-1]["seq"]) if data.events else 0,
            )
        write_output(render(fmt, snap, options), output, force, fmt, s.home, as_json)

    @app.command()
    def graph(
        goal: Annotated[
            list[str] | None,
            typer.Option(
                "--goal",
                help="Only what this topic needs (repeatable). Default: the whole track.",
                show_default=False,
                autocompletion=complete_topic,
            ),
        ] = None,
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="text (a tree), mermaid or dot (Graphviz).")
        ] = "text",
        output: OutputOpt = None,
        force: ForceOpt = False,
        track: TrackOpt = None,
        curriculum: CurriculumOpt = None,
        as_json: Annotated[
            bool,
            typer.Option("--json", help="Print the graph as JSON data (topics, status, edges)."),
        ] = False,
    ) -> None:
        """Draw the prerequisite graph, with the topics you finished marked.

        Example: mlpath graph --goal backpropagation --format dot -o prereqs.dot
        """
        from mlpath.export.graph import as_data, render

        s = session(curriculum)
        cur = s.curriculum
        data = s.store.load()
        profile = data.profile or {}
        what: dict[str, Any] = {
            "track": (track or profile.get("track") or "pytorch").lower(),
            "goals": [cur.find(g).id for g in goal or ()],
            "done": s.state(data).done,
            "known": profile.get("known", ()),
        }
        if as_json and output is None:
            emit_json(as_data(cur, **what))
            return
        write_output(render(cur, fmt, **what), output, force, fmt.lower(), s.home, as_json)
