"""The JSON store: the file (atomic save, lock), its format, migrations and backups.

May import :mod:`mlpath.domain` (the plan and event types it persists) and
:mod:`mlpath.errors`; never the shell, the use cases, Typer or Rich.
"""
