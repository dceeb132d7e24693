"""The lab engine: find labs, run their checks in a separate process, hints, workspaces.

The labs themselves are data in :mod:`mlpath.labs.content` (one folder per lab:
``meta.json``, README, starter, solution, checks, hints, ``wrong/`` mistakes);
this package holds only the machinery. May import :mod:`mlpath.errors` and the
standard library; never the domain, the store, the use cases, the shell or Rich.
"""
