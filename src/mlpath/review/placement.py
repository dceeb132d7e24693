"""The placement test's model: a probability of mastery per topic, consistent with the graph.

A learner's true knowledge is taken to be *closed under prerequisites* (knowledge-space
theory): whoever knows a topic knows its prerequisites. An answer is noisy: a learner who
knows the topic slips with probability ``slip``; one who does not guesses right with the
question's guess rate (1/options for a choice question, :data:`MIN_GUESS` for a numeric one).

Each answer on topic ``t`` has a log likelihood ratio, ``log((1-slip)/guess)`` when right and
``log(slip/(1-guess))`` when wrong; ``e[t]`` is their sum. Closure carries the evidence along
the graph in one direction each:

- a right answer on ``t`` (positive ``e[t]``) is evidence that ``t`` *and every prerequisite
  below it* is known: it counts for ``t`` and all of its ancestors;
- a wrong answer (negative ``e[t]``) is evidence that ``t`` *and every topic resting on it* is
  unknown: it counts for ``t`` and all of its descendants.

So ``logit P(u) = prior + Σ_{d ∈ {u} ∪ descendants(u)} max(e[d], 0) + Σ_{a ∈ {u} ∪ ancestors(u)}
min(e[a], 0)``. For an edge ``p -> u`` the first sum for ``p`` runs over a superset of ``u``'s
and the second over a subset, so ``P(p) >= P(u)`` always holds: the probabilities never
contradict the graph. (The sums treat answers on different topics as independent evidence;
that slightly overcounts, and is what makes the model fast enough to run after every answer.)

With noise-free answers on a closed state no topic ever gets evidence of both signs, so every
topic the questions can reach ends on its true side.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mlpath.domain.curriculum import Curriculum

SLIP = 0.1
MIN_GUESS = 0.05  # a numeric answer is rarely right by chance, but never count it impossible
PRIOR = 0.5
HIGH, LOW = 0.9, 0.1
MAX_QUESTIONS = 30


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


@dataclass(frozen=True)
class Graph:
    """A prerequisite DAG: the topics in a fixed order and each topic's transitive closure."""

    topics: tuple[str, ...]
    prerequisites: Mapping[str, tuple[str, ...]]
    ancestors: Mapping[str, frozenset[str]] = field(default_factory=dict)
    descendants: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, prerequisites: Mapping[str, Iterable[str]]) -> Graph:
        """From ``topic -> its direct prerequisites``, in topological-compatible input order;
        prerequisites outside the mapping are ignored."""
        topics = tuple(prerequisites)
        known = set(topics)
        direct = {t: tuple(p for p in prerequisites[t] if p in known) for t in topics}
        ancestors: dict[str, frozenset[str]] = {}

        def up(t: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
            if t not in ancestors:
                if t in seen:
                    raise ValueError(f"prerequisite cycle through {t!r}")
                acc: set[str] = set()
                for p in direct[t]:
                    acc |= {p} | up(p, seen | {t})
                ancestors[t] = frozenset(acc)
            return ancestors[t]

        for t in topics:
            up(t)
        below: dict[str, set[str]] = {t: set() for t in topics}
        for t, anc in ancestors.items():
            for a in anc:
                below[a].add(t)
        return cls(topics, direct, ancestors, {t: frozenset(d) for t, d in below.items()})

    @classmethod
    def from_curriculum(cls, curriculum: Curriculum, track: str) -> Graph:
        """The graph of a curriculum's track (the other track's topics left out)."""
        return cls.build({t.id: t.prerequisites for t in curriculum.topics if t.in_track(track)})

    def is_closed(self, known: Iterable[str]) -> bool:
        """Whether a set of topics holds every prerequisite of each of its topics."""
        k = set(known)
        return all(self.ancestors[t] <= k for t in k)

    def fringe(self, known: Iterable[str]) -> set[str]:
        """The ready-to-learn (outer) fringe: unknown topics whose prerequisites are all known."""
        k = set(known)
        return {t for t in self.topics if t not in k and set(self.prerequisites[t]) <= k}


@dataclass
class Placement:
    """The running test: evidence per topic, the probabilities, the next topic to ask."""

    graph: Graph
    askable: frozenset[str]  # topics with questions left in the bank
    slip: float = SLIP
    prior: float = PRIOR
    max_questions: int = MAX_QUESTIONS
    evidence: dict[str, float] = field(default_factory=dict)  # topic -> e[t]
    asked: int = 0
    _pos: dict[str, float] = field(default_factory=dict)  # Σ over {u} ∪ descendants
    _neg: dict[str, float] = field(default_factory=dict)  # Σ over {u} ∪ ancestors

    def __post_init__(self) -> None:
        for t in self.graph.topics:
            self._pos.setdefault(t, 0.0)
            self._neg.setdefault(t, 0.0)

    # --------------------------------------------------------------------- the model

    def logit(self, topic: str) -> float:
        return _logit(self.prior) + self._pos[topic] + self._neg[topic]

    def probability(self, topic: str) -> float:
        return _sigmoid(self.logit(topic))

    def probabilities(self) -> dict[str, float]:
        return {t: self.probability(t) for t in self.graph.topics}

    def update(self, topic: str, correct: bool, guess: float) -> None:
        """Bayes with slip and guess: add the answer's log likelihood ratio to ``topic``."""
        g = min(max(guess, MIN_GUESS), 1 - self.slip - 1e-6)
        ratio = (1 - self.slip) / g if correct else self.slip / (1 - g)
        self.add_evidence(topic, math.log(ratio))
        self.asked += 1

    def add_evidence(self, topic: str, log_ratio: float) -> None:
        """Add evidence on ``topic`` and carry it along the graph (not counted as a question)."""
        old = self.evidence.get(topic, 0.0)
        new = old + log_ratio
        self.evidence[topic] = new
        d_pos, d_neg = max(new, 0.0) - max(old, 0.0), min(new, 0.0) - min(old, 0.0)
        if d_pos:
            for t in (topic, *self.graph.ancestors[topic]):
                self._pos[t] += d_pos
        if d_neg:
            for t in (topic, *self.graph.descendants[topic]):
                self._neg[t] += d_neg

    def resolved(self, topic: str) -> bool:
        p = self.probability(topic)
        return p > HIGH or p < LOW

    # --------------------------------------------------------------------- the test

    def next_topic(self) -> str | None:
        """The askable topic nearest 50% (None: stop).

        The test stops at ``max_questions``, or when every askable topic is above 90% or
        below 10%; an unresolved topic without questions then cannot move any further.
        Ties (at the start, every topic is at the prior) go to the topic that splits the
        unresolved topics most evenly into those it would confirm and those it would rule out.
        """
        if self.asked >= self.max_questions:
            return None
        open_ = [t for t in self.graph.topics if t in self.askable and not self.resolved(t)]
        if not open_:
            return None
        unresolved = {t for t in self.graph.topics if not self.resolved(t)}
        position = {t: i for i, t in enumerate(self.graph.topics)}

        def key(t: str) -> tuple[float, int, int]:
            below = len(unresolved & self.graph.ancestors[t])
            above = len(unresolved & self.graph.descendants[t])
            return (round(abs(self.probability(t) - 0.5), 9), -min(below, above), position[t])

        return min(open_, key=key)

    def known(self) -> list[str]:
        """The proposed known set: topics more likely known than not (closed, in graph order)."""
        return [t for t in self.graph.topics if self.probability(t) > 0.5]

    def uncertain(self) -> list[str]:
        return [t for t in self.graph.topics if not self.resolved(t)]


def baseline(graph: Graph) -> list[str]:
    """Asking nothing: the planner's default, every topic unknown."""
    return []


def accuracy(graph: Graph, estimate: Sequence[str], truth: Iterable[str]) -> float:
    """The share of topics classified right (known vs unknown)."""
    est, true = set(estimate), set(truth)
    right = sum((t in est) == (t in true) for t in graph.topics)
    return right / len(graph.topics) if graph.topics else 1.0
