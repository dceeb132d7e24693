"""Use cases: what each command does, from the learner's environment to a saved store.

:mod:`mlpath.app.session` is the one place that reads the environment and the
clock; the other modules take a session, call the pure domain, and save through
the store. May import :mod:`mlpath.domain`, :mod:`mlpath.store`, :mod:`mlpath.labs`,
:mod:`mlpath.export` and :mod:`mlpath.errors`; never the shell (:mod:`mlpath.cli`),
Typer or Rich.
"""
