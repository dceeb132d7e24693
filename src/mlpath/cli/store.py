"""The store commands: ``store list``, ``store restore`` and ``doctor``. Thin: parse, call, render.

:func:`register` adds them to the main Typer app; the work is in :mod:`mlpath.store.file`
and :mod:`mlpath.app.doctor`.
"""

from typing import Annotated, Any

import typer

LEVEL_MARKS = {"ok": ("✓", "green"), "warning": ("!", "yellow"), "problem": ("✗", "red")}


def _when(info: Any) -> str:
    return f"{info.file.created:%Y-%m-%d %H:%M} UTC"


def backups_table(found: list[Any]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Backups (newest first)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("saved")
    table.add_column("events", justify="right")
    table.add_column("kind")
    table.add_column("status")
    for b in found:
        table.add_row(
            str(b.number),
            _when(b),
            "—" if b.events is None else str(b.events),
            b.file.tag or "automatic",
            "ok" if b.problem is None else Text.assemble(("damaged:", "red"), f" {b.problem}"),
        )
    return table


def register(app: typer.Typer) -> None:
    """Add ``store`` (list, restore) and ``doctor`` to ``app``."""
    from mlpath.cli.app import CurriculumOpt, JsonOpt, _Group, session
    from mlpath.cli.hot import console, emit_json

    store_app = typer.Typer(
        cls=_Group,
        no_args_is_help=True,
        help="List the automatic backups of your progress and restore one.",
    )
    app.add_typer(store_app, name="store")

    @store_app.command("list")
    def store_list(as_json: JsonOpt = False) -> None:
        """List the backups of your progress: when each was saved and how many events it holds.

        Example: mlpath store list
        """
        s = session(None)
        found = s.store.backups()
        if as_json:
            emit_json({"store": str(s.store.path), "backups": [b.as_dict() for b in found]})
            return
        if not found:
            console().print(
                f"No backups yet in {s.store.backup_dir}. mlpath makes one each time "
                "it saves your progress.",
                markup=False,
            )
            return
        console().print(backups_table(found))

    @store_app.command("restore")
    def store_restore(
        number: Annotated[
            int | None,
            typer.Argument(
                help="Backup number from `mlpath store list` (1 = newest). Default: ask.",
                show_default=False,
            ),
        ] = None,
        yes: Annotated[
            bool,
            typer.Option(
                "--yes", "-y", help="Do not ask: restore NUMBER, or the newest good backup."
            ),
        ] = False,
        as_json: JsonOpt = False,
    ) -> None:
        """Bring back a backup of your progress; a damaged store is kept aside, not deleted.

        Without NUMBER it lists the backups and asks which one. The store it replaces is
        kept: backed up if it loads, else renamed progress.json.damaged-<time>.

        Example: mlpath store restore 1 --yes
        """
        from mlpath.errors import InputError

        s = session(None)
        if as_json and number is None and not yes:
            raise InputError("With --json, give a backup NUMBER or --yes (the newest good backup).")
        expect = None
        if not yes:
            chosen = s.store.choose_backup(number)  # raises when there is nothing to restore
            out = console()
            if number is None:
                found = s.store.backups()
                out.print(backups_table(found))
                number = typer.prompt("Restore which backup?", default=chosen.number, type=int)
                chosen = s.store.choose_backup(number)
            else:
                typer.confirm(
                    f"Replace {s.store.path} with backup {chosen.number} from "
                    f"{_when(chosen)} ({chosen.events} events)?",
                    abort=True,
                )
            expect = chosen.file.path
        done = s.store.restore(number, expect=expect)
        if as_json:
            emit_json(
                {
                    "restored": done.backup.as_dict(),
                    "store": str(s.store.path),
                    "kept_aside": str(done.kept_aside) if done.kept_aside else None,
                    "previous_backup": str(done.previous_backup) if done.previous_backup else None,
                }
            )
            return
        lines = [
            f"✓ Restored backup {done.backup.number} from {_when(done.backup)} "
            f"({done.backup.events} events) into {s.store.path}."
        ]
        if done.kept_aside:
            lines.append(f"The damaged store was kept as {done.kept_aside}.")
        if done.previous_backup:
            lines.append(
                f"The store it replaced was backed up as {done.previous_backup.name}; "
                "restore that one to go back."
            )
        for line in lines:
            console().print(line, markup=False)

    @app.command()
    def doctor(curriculum: CurriculumOpt = None, as_json: JsonOpt = False) -> None:
        """Check your setup: paths, versions, store, backups and curriculum. Exits 1 on a problem.

        Example: mlpath doctor --json
        """
        from mlpath.app.doctor import diagnose

        s = session(curriculum)
        d = diagnose(s.home, curriculum)
        if as_json:
            emit_json(d.as_dict())
        else:
            console().print(doctor_view(d))
        if not d.ok:
            raise typer.Exit(1)


def doctor_view(d: Any) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    def grid(title: str, rows: dict[str, Any]) -> Table:
        t = Table.grid(padding=(0, 2))
        t.title, t.title_justify, t.title_style = title, "left", "bold"
        t.add_column(style="dim")
        t.add_column()
        for k, v in rows.items():
            t.add_row(k, "not installed" if v is None else str(v))
        return t

    parts: list[Any] = [
        grid("Paths", d.paths),
        Text(""),
        grid("Versions", d.versions),
        Text(""),
        Text("Checks", style="bold"),
    ]
    for c in d.checks:
        mark, style = LEVEL_MARKS[c.level]
        parts.append(Text.assemble((f"{mark} ", style), f"{c.name}: ", c.message))
        if c.fix:
            parts.append(Text(f"    → {c.fix}", style="dim"))
    verdict = "Everything looks fine." if d.ok else "Something needs attention (see ✗ above)."
    parts.append(Text("\n" + verdict, style="bold green" if d.ok else "bold red"))
    return Group(*parts)
