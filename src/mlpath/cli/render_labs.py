"""Rich renderings of lab results, created labs and hints. No computation here."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group, RenderableType
from rich.text import Text

from mlpath.app.labs import HintReport
from mlpath.cli.layout import hanging, indented
from mlpath.labs.runner import LabResult
from mlpath.labs.workspace import CreatedLab

MARKS = {
    "passed": ("✓", "green"),
    "failed": ("✗", "red"),
    "error": ("!", "bold red"),
    "not-attempted": ("·", "yellow"),
}
OUTPUT_LINES = 15


def result_view(result: LabResult, title: str) -> RenderableType:
    """One line per check (with its message when it did not pass), then the verdict."""
    parts: list[RenderableType] = [Text(f"{title} · lab {result.lab}", style="bold")]
    for c in result.checks:
        mark, style = MARKS.get(c.status, ("?", "red"))
        parts.append(Text.assemble((f" {mark} ", style), c.title))
        if c.status != "passed":
            message = Text(c.message, style="" if c.status == "failed" else "red")
            parts.append(indented(message, 4))
    if result.output.strip() and not result.passed:
        lines = result.output.rstrip().splitlines()[-OUTPUT_LINES:]
        parts.append(Text("\nLast lines your code printed:", style="dim"))
        parts.append(indented(Text("\n".join(lines), style="dim"), 4))
    mark, style = MARKS.get(result.status, ("?", "red"))
    timing = f" ({result.seconds:.1f} s)" if result.seconds else ""
    if result.checks:
        parts.append(Text(""))
    parts.append(
        hanging(f"{result.status.upper()}:", Text(result.message + timing), f"bold {style}")
    )
    return Group(*parts)


def next_step(
    result: LabResult, topic_id: str, recorded: bool, lab_file: Path | None = None
) -> RenderableType:
    """What to do after a check."""
    if result.passed:
        note = "Recorded: lab passed. " if recorded else ""
        return Text(f"{note}Mark the topic finished with `mlpath done {topic_id}`.", style="green")
    if result.status == "not-attempted":
        return Group(
            Text("Open your lab file and implement its functions:"),
            indented(Text(str(lab_file) if lab_file else "lab.py in your lab folder"), 2),
            Text(f"`mlpath hint {topic_id}` helps when stuck."),
        )
    return Text(
        f"Fix lab.py and run `mlpath check {topic_id}` again; "
        f"`mlpath hint {topic_id}` gives a hint.",
        style="dim",
    )


def created_view(created: CreatedLab, topic_id: str, title: str) -> RenderableType:
    """Where the lab is, and what to do next."""
    if not created.created:
        return Group(
            Text(f"Your lab for {title} is already there (left untouched):", style="bold"),
            Text(f"  {created.lab_file}"),
            Text(f"Run `mlpath check {topic_id}` when you are ready.", style="dim"),
        )
    return Group(
        Text(f"Created your lab for {title} in {created.folder}", style="bold green"),
        Text(f"  {Path(created.lab_file).name:<10} the one file you edit"),
        Text(f"  {'README.md':<10} the task, the data and what is checked"),
        Text(
            f"Implement the functions in lab.py, then run `mlpath check {topic_id}`.", style="dim"
        ),
    )


def hints_view(report: HintReport) -> RenderableType:
    """Numbered hints for the failing check, and a pointer to the solution after the last one."""
    topic_id, selection, texts = report.topic.id, report.selection, report.texts
    if report.all_passed:
        return Text(f"Every check passes: no hint needed. `mlpath check {topic_id}` records it.")
    total = selection.total
    if total == 0:
        if report.check is not None:
            return Text(
                f"The check {report.check!r} fails and has no hint: "
                f"`mlpath check {topic_id}` shows its message."
            )
        return Text("This lab has no hints.")
    parts: list[RenderableType] = []
    if report.check is not None:
        what = report.check_title or report.check
        parts.append(Text(f"For the first check that fails: {what}", style="italic"))
    for level, text in zip(selection.levels, texts, strict=True):
        parts.append(Text(f"Hint {level} of {total}", style="bold"))
        parts.append(Text(text + "\n"))
    if selection.levels and selection.levels[-1] >= total:
        parts.append(
            Text(
                f"That was the last hint. `mlpath solution {topic_id}` "
                "shows the reference solution.",
                style="dim",
            )
        )
    else:
        parts.append(Text(f"Run `mlpath hint {topic_id}` again for a stronger hint.", style="dim"))
    return Group(*parts)
