"""The one exception tree of mlpath.

Every error a learner can cause or meet derives from :class:`MlpathError`; the CLI
catches it once, prints its message to stderr and exits non-zero. Anything else
reaching the user is a bug.

::

    MlpathError
    ├── CurriculumError          a curriculum file is unreadable or invalid (lists every problem)
    ├── StoreError               the progress store cannot be used
    │   ├── StoreCorrupt         empty, truncated, invalid or wrongly typed file
    │   ├── StoreTooNew          written by a newer mlpath (schema_version too high)
    │   ├── StoreLocked          another mlpath holds the lock for too long
    │   └── StoreWriteError      the save failed (disk full, I/O error); the old file is intact
    ├── TopicError               a topic argument does not name exactly one topic
    │   ├── TopicNotFound        no match (carries close suggestions)
    │   └── AmbiguousTopic       several matches (carries the candidates)
    ├── PlanError                planning is impossible with these inputs
    │   └── NoPlan               a command needs a saved plan and there is none
    ├── InputError               a bad option value (date, hours, goal...)
    ├── NothingToUndo            the event log has nothing left to revert
    ├── LabError                 a lab cannot be created, found or run
    │   └── LabDependencyMissing a lab needs optional packages that are not installed
    ├── ExportError              an export cannot be written
    └── QuestionBankError        a question bank is unreadable, invalid or has no quiz for a topic
"""

from __future__ import annotations

from collections.abc import Sequence


class MlpathError(Exception):
    """Base of every error mlpath reports to a learner.

    ``hint`` is an optional next step printed after the message.
    ``exit_code`` is the process exit status the CLI uses.
    """

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class CurriculumError(MlpathError):
    """A curriculum could not be loaded; ``problems`` lists every problem found."""

    def __init__(
        self, message: str, problems: Sequence[str] = (), *, hint: str | None = None
    ) -> None:
        self.problems = list(problems)
        full = message
        if self.problems:
            full += "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(full, hint=hint)


class StoreError(MlpathError):
    """The progress store cannot be used."""


class StoreCorrupt(StoreError):
    """The store file exists but cannot be trusted; it is left untouched."""


class StoreTooNew(StoreError):
    """The store was written by a newer mlpath; it is refused, not rewritten."""


class StoreLocked(StoreError):
    """Another mlpath process holds the store lock."""


class StoreWriteError(StoreError):
    """Saving failed; the previous store file is intact."""


class TopicError(MlpathError):
    """A topic argument does not resolve to exactly one topic."""


class TopicNotFound(TopicError):
    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        hint = (
            "Did you mean: " + ", ".join(self.suggestions) + "?"
            if self.suggestions
            else "Run `mlpath topics` to list every topic id."
        )
        super().__init__(f"No topic matches {query!r}.", hint=hint)


class AmbiguousTopic(TopicError):
    def __init__(self, query: str, candidates: Sequence[str]) -> None:
        self.query = query
        self.candidates = list(candidates)
        super().__init__(
            f"{query!r} matches several topics: " + ", ".join(self.candidates) + ".",
            hint="Use the full topic id.",
        )


class PlanError(MlpathError):
    """A plan cannot be made from these inputs."""


class NoPlan(PlanError):
    def __init__(self) -> None:
        super().__init__(
            "There is no study plan yet.",
            hint="Make one with `mlpath plan --hours 10` (your weekly study hours).",
        )


class InputError(MlpathError):
    """A bad option or argument value."""

    exit_code = 2


class NothingToUndo(MlpathError):
    """The event log has nothing left to revert."""


class LabError(MlpathError):
    """A lab cannot be created, found or run."""


class LabDependencyMissing(LabError):
    """A lab needs optional packages that are not installed."""


class ExportError(MlpathError):
    """An export cannot be written."""


class QuestionBankError(CurriculumError):
    """A question bank could not be loaded or used; ``problems`` lists every problem found."""
