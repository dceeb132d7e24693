"""The shell: the Typer app, one module per command group, the fast path, Rich rendering.

No logic lives here: each command parses its options, calls one use case in
:mod:`mlpath.app`, and renders the result. It may import :mod:`mlpath.app`,
:mod:`mlpath.domain`, :mod:`mlpath.labs` and :mod:`mlpath.export` (for their
types and rendering data), and :mod:`mlpath.errors`. Nothing imports it.
"""
