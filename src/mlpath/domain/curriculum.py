"""The curriculum as plain, immutable data, and how it is loaded.

Files are validated at the edge by :mod:`mlpath.domain.schema` (pydantic). A file whose
content hash was validated before is loaded straight into these dataclasses
without importing pydantic, which keeps frequent commands such as
``mlpath next`` fast.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from mlpath.errors import AmbiguousTopic, CurriculumError, TopicNotFound

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import Any

TRACKS = ("pytorch", "tensorflow")


@dataclass(frozen=True)
class Resource:
    """A book, course, video or article to study a topic from."""

    title: str
    url: str
    kind: str = "article"
    section: str | None = None
    free: bool = True


@dataclass(frozen=True)
class Phase:
    """A stage of the curriculum (e.g. the math foundations)."""

    id: str
    title: str


@dataclass(frozen=True)
class Topic:
    """One unit of study: its hours, prerequisites, objectives and resources."""

    id: str
    title: str
    phase: str
    hours: float
    summary: str = ""
    objectives: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    track: str | None = None
    optional: bool = False
    lab: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def in_track(self, track: str) -> bool:
        """True when the topic belongs to every track or to ``track``."""
        return self.track is None or self.track == track


@dataclass(frozen=True)
class Curriculum:
    """The whole curriculum: phases and topics, looked up by id (old ids followed)."""

    title: str
    phases: tuple[Phase, ...]
    topics: tuple[Topic, ...]
    schema_version: int = 1
    renamed: Mapping[str, str] = field(default_factory=dict)
    source: str = "<memory>"

    @cached_property
    def by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def position(self) -> dict[str, int]:
        """Index of each topic id in file order (for deterministic tie-breaks)."""
        return {t.id: i for i, t in enumerate(self.topics)}

    @cached_property
    def phase_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.phases)}

    @cached_property
    def phase_titles(self) -> dict[str, str]:
        return {p.id: p.title for p in self.phases}

    def topic(self, topic_id: str) -> Topic:
        try:
            return self.by_id[topic_id]
        except KeyError:
            raise TopicNotFound(topic_id, self.suggest(topic_id)) from None

    def canonical_id(self, topic_id: str) -> str:
        """Follow declared renames (old -> new) so old progress keeps its meaning."""
        seen = set()
        while topic_id in self.renamed and topic_id not in seen:
            seen.add(topic_id)
            topic_id = self.renamed[topic_id]
        return topic_id

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        import difflib

        lowered = {t.title.lower(): t.id for t in self.topics}
        ids = difflib.get_close_matches(query.lower(), list(self.by_id), n=limit, cutoff=0.6)
        titles = difflib.get_close_matches(query.lower(), list(lowered), n=limit, cutoff=0.6)
        out = list(dict.fromkeys([*ids, *(lowered[t] for t in titles)]))
        return out[:limit]

    def find(self, query: str) -> Topic:
        """Resolve a learner's topic argument: an id, a unique id prefix, or a title.

        Matching is case-insensitive. Raises AmbiguousTopic listing the
        candidates, or TopicNotFound with close suggestions.
        """
        q = query.strip().lower()
        if not q:
            raise TopicNotFound(query)
        if q in self.by_id:
            return self.by_id[q]
        renamed = self.canonical_id(q)
        if renamed in self.by_id:
            return self.by_id[renamed]
        by_title = [t for t in self.topics if t.title.lower() == q]
        if len(by_title) == 1:
            return by_title[0]
        candidates = by_title or [t for t in self.topics if t.id.startswith(q)]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise AmbiguousTopic(query, [t.id for t in candidates])
        raise TopicNotFound(query, self.suggest(q))

    def in_track(self, track: str) -> list[Topic]:
        return [t for t in self.topics if t.in_track(track)]


# --------------------------------------------------------------------------- loading


def bundled_path() -> Path:
    """Path of the curriculum shipped with mlpath (inside the wheel, or the source tree)."""
    package = Path(__file__).resolve().parent.parent  # .../mlpath
    packaged = package / "data" / "curriculum.json"
    if packaged.is_file():
        return packaged
    return package.parent.parent / "data" / "curriculum.json"


def from_document(doc: Mapping[str, Any], source: str = "<memory>") -> Curriculum:
    """Build the dataclasses from an already-validated document (no checks)."""
    topics = []
    known = {f for f in Topic.__dataclass_fields__ if f != "extra"}
    for t in doc["topics"]:
        topics.append(
            Topic(
                id=t["id"],
                title=t["title"].strip(),
                phase=t["phase"],
                hours=float(t["hours"]),
                summary=t.get("summary", ""),
                objectives=tuple(t.get("objectives", ())),
                prerequisites=tuple(t.get("prerequisites", ())),
                resources=tuple(
                    Resource(
                        title=r["title"],
                        url=r["url"],
                        kind=r.get("kind", "article"),
                        section=r.get("section"),
                        free=bool(r.get("free", True)),
                    )
                    for r in t.get("resources", ())
                ),
                track=t.get("track"),
                optional=bool(t.get("optional", False)),
                lab=t.get("lab"),
                extra={k: v for k, v in t.items() if k not in known},
            )
        )
    return Curriculum(
        title=doc["title"],
        phases=tuple(Phase(p["id"], p["title"]) for p in doc["phases"]),
        topics=tuple(topics),
        schema_version=int(doc.get("schema_version", 1)),
        renamed=dict(doc.get("renamed", {})),
        source=source,
    )


MAX_CURRICULUM_BYTES = 64 << 20
# a JSON \u escape of a surrogate (lone ones cannot be encoded for any output)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse(raw: bytes | str, source: str = "<memory>") -> Curriculum:
    """Parse and fully validate a curriculum; raise CurriculumError listing every problem."""
    return from_document(validated_document(raw, source), source)


def validated_document(raw: bytes | str, source: str = "<memory>") -> dict[str, Any]:
    """The curriculum in ``raw`` as the schema reads it (coerced, whitespace stripped,
    defaults filled); CurriculumError listing every problem if it is not valid."""
    from mlpath.domain.jsonio import JsonTooDeep, loads

    try:
        doc = loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CurriculumError(
            f"{source} is not valid JSON ({exc}).",
            hint="Fix the file, then run `mlpath curriculum check`.",
        ) from None
    except JsonTooDeep:
        raise CurriculumError(f"{source} is not a curriculum (nested too deeply).") from None
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if _SURROGATE_ESCAPE.search(data) or (isinstance(raw, str) and _SURROGATE.search(raw)):
        try:
            json.dumps(doc, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise CurriculumError(
                f"{source} holds text that is not valid Unicode (a lone surrogate such as "
                "\\ud800).",
                hint="Fix the file, then run `mlpath curriculum check`.",
            ) from None
    from mlpath.domain.schema import validate_document

    model, problems = validate_document(doc)
    if model is None:
        n = len(problems)
        raise CurriculumError(
            f"{source} has {n} problem{'s' * (n != 1)}:",
            problems,
            hint="Fix them, then run `mlpath curriculum check` again.",
        )
    return model.model_dump()


def read_curriculum(source: Path) -> bytes:
    """The bytes of a curriculum file: a regular file of at most MAX_CURRICULUM_BYTES."""
    from mlpath.domain.files import read_regular

    try:
        return read_regular(source, MAX_CURRICULUM_BYTES)
    except FileNotFoundError:
        raise CurriculumError(
            f"Curriculum file not found: {source}",
            hint="Check the path given with --curriculum or MLPATH_CURRICULUM.",
        ) from None
    except OSError as exc:
        raise CurriculumError(
            f"Cannot read curriculum file {source}: {exc.strerror}.",
            hint="Give the path of a curriculum JSON file.",
        ) from None


try:  # CPython's own BLAKE2, without hashlib's OpenSSL start-up (~3 ms on every command)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - other interpreters
    from hashlib import blake2b as _blake2b


def load(path: Path | None = None, *, cache_dir: Path | None = None) -> Curriculum:
    """Load a curriculum file (default: the bundled one).

    When ``cache_dir`` is given, the validated form of each file that validated is kept
    there under the BLAKE2b hash of the file's bytes, and a file whose hash is found
    is built from that validated form without importing pydantic (whose import alone
    costs more than the rest of a command like ``mlpath next``). The cached and the
    fresh path give identical curricula: both build from the schema's output.
    """
    source = path or bundled_path()
    raw = read_curriculum(source)
    digest = _blake2b(raw, digest_size=32).hexdigest()
    entry = cache_dir / "curricula" / f"{digest}.json" if cache_dir else None
    if entry is not None:
        cached = _read_cached(entry, digest)
        if cached is not None:
            try:
                return from_document(cached, str(source))
            except (KeyError, TypeError, ValueError, AttributeError):
                pass  # a damaged cache entry: validate again
    validated = validated_document(raw, str(source))
    curriculum = from_document(validated, str(source))
    if entry is not None:
        _remember(entry, digest, validated)
    return curriculum


def _read_cached(entry: Path, digest: str) -> dict[str, Any] | None:
    from mlpath.domain.files import read_regular

    try:
        doc = json.loads(read_regular(entry, MAX_CURRICULUM_BYTES * 2))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("blake2b") != digest:
        return None
    validated = doc.get("validated")
    return validated if isinstance(validated, dict) else None


def _remember(entry: Path, digest: str, validated: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    try:
        payload = json.dumps({"blake2b": digest, "validated": validated}).encode()
        entry.parent.mkdir(parents=True, exist_ok=True)
        for old in sorted(entry.parent.glob("*.json"), key=_mtime)[:-31]:
            old.unlink()
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        os.replace(tmp, entry)
    except (OSError, ValueError):
        pass


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
