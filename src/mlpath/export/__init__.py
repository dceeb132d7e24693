"""Take the plan elsewhere: calendar, Markdown, CSV/JSON, HTML report, prerequisite graph.

Every exporter is a pure function of a :class:`~mlpath.export.snapshot.Snapshot`
(curriculum, profile, plan, progress, today) that returns text; nothing here
reads the clock, the environment or files. The CLI (:mod:`mlpath.cli.export`)
loads the snapshot and writes the result.

One module per format: :mod:`.ics`, :mod:`.markdown`, :mod:`.tabular` (CSV and
JSON), :mod:`.html` and :mod:`.graph`.

May import :mod:`mlpath.domain` and :mod:`mlpath.errors`; never the store, the
use cases or the shell.
"""

from __future__ import annotations

import importlib
from typing import Any

from mlpath.errors import InputError
from mlpath.export.snapshot import Snapshot

# format -> (module, function); modules are imported on use so that `md` never loads icalendar
FORMATS: dict[str, tuple[str, str]] = {
    "ics": ("ics", "render"),
    "md": ("markdown", "render"),
    "csv": ("tabular", "to_csv"),
    "json": ("tabular", "to_json"),
    "html": ("html", "render"),
}


def export(fmt: str, snap: Snapshot, options: Any = None) -> str:
    """The plan in ``fmt`` (one of :data:`FORMATS`); ``options`` only matter for ``ics``."""
    try:
        module_name, function = FORMATS[fmt.lower()]
    except KeyError:
        raise InputError(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r}).") from None
    module = importlib.import_module(f"mlpath.export.{module_name}")
    render = getattr(module, function)
    return render(snap, options) if options is not None else render(snap)  # type: ignore[no-any-return]


__all__ = ["FORMATS", "Snapshot", "export"]
