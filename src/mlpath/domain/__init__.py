"""The pure domain: the curriculum, the planner, progress derived from events, the report.

Functions here take plain data and "today" as arguments and return plain data;
they never read the clock or the environment. May import only :mod:`mlpath.errors`
and each other; never the store, the shell, Typer or Rich.
"""
