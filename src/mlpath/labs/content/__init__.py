"""The labs' content: one folder per lab, read through :mod:`importlib.resources`.

Nothing here is imported by mlpath itself except through the lab runner's child
process; ``_shared`` holds checks that several labs use.
"""
