"""How well the placement test finds what a learner knows: simulated learners, real curriculum.

    PYTHONPATH=src python benchmarks/placement.py [--learners 400] [--seed 1] [--track pytorch]

Each simulated learner has a true knowledge state closed under prerequisites: the first k
topics of a random topological order of the track (k uniform from 0 to every topic), so
learners who know nothing, a little, half or nearly everything are equally common. They take
the real test on the bundled curriculum and question bank: the real topic choice, real
questions drawn from the bank (a topic without questions cannot be asked), answering with slip
0.1 on a topic they know and, on one they do not know, guessing right with probability 1/4 on a
4-option choice question (1/n for n options, 1/(2^n - 1) for select-all, 0 for a number).

Reported: the median and 90th-percentile number of questions asked; per-topic classification
accuracy (known vs unknown) against the baseline of asking nothing (every topic unknown, what
the planner assumes without --known); and how often the ready-to-learn fringe (unknown topics
whose prerequisites are all known) comes out exactly right. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from mlpath.domain.curriculum import load
from mlpath.quiz.bank import Question, load_topic
from mlpath.quiz.draw import Drawn, draw, guess_rate
from mlpath.quiz.paths import bundled_dir
from mlpath.review.placement import Graph, Placement, accuracy, baseline


def true_state(graph: Graph, rng: random.Random) -> set[str]:
    """The first k topics of a random topological order (closed under prerequisites)."""
    k = rng.randint(0, len(graph.topics))
    known: set[str] = set()
    while len(known) < k:
        ready = [t for t in graph.topics if t not in known and set(graph.prerequisites[t]) <= known]
        known.add(rng.choice(ready))
    return known


def learner_guess(q: Drawn) -> float:
    """The simulated learner's chance of guessing right (0 for a number)."""
    return guess_rate(q)


def run_one(
    graph: Graph,
    bank: dict[str, list[Question]],
    truth: set[str],
    rng: random.Random,
    *,
    slip: float,
    noise: bool = True,
    max_questions: int = 30,
) -> Placement:
    test = Placement(graph, frozenset(bank), max_questions=max_questions)
    asked: dict[str, set[str]] = {t: set() for t in bank}
    while (topic := test.next_topic()) is not None:
        seed = rng.randrange(2**31)
        left = [q for q in bank[topic] if q.id not in asked[topic]]
        if not left:
            asked[topic] = set()
            left = bank[topic]
        q = draw(left, seed=seed, n=1)[0]
        asked[topic].add(q.id)
        knows = topic in truth
        if noise:
            correct = rng.random() >= slip if knows else rng.random() < learner_guess(q)
        else:
            correct = knows
        test.update(topic, correct, guess_rate(q))
    return test


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--track", default="pytorch")
    ap.add_argument("--max-questions", type=int, default=30)
    args = ap.parse_args()

    started = time.perf_counter()
    curriculum = load()
    graph = Graph.from_curriculum(curriculum, args.track)
    directory = bundled_dir()
    bank = {
        t: qs
        for t in graph.topics
        if (directory / f"{t}.json").is_file() and (qs := load_topic(directory, t, curriculum))
    }
    rng = random.Random(args.seed)
    asked, acc, base, fringe = [], [], [], []
    for _ in range(args.learners):
        truth = true_state(graph, rng)
        test = run_one(graph, bank, truth, rng, slip=0.1, max_questions=args.max_questions)
        estimate = test.known()
        asked.append(test.asked)
        acc.append(accuracy(graph, estimate, truth))
        base.append(accuracy(graph, baseline(graph), truth))
        fringe.append(graph.fringe(estimate) == graph.fringe(truth))
    asked.sort()
    result = {
        "learners": args.learners,
        "topics": len(graph.topics),
        "topics_with_questions": len(bank),
        "max_questions": args.max_questions,
        "median_questions": statistics.median(asked),
        "p90_questions": asked[min(len(asked) - 1, int(0.9 * len(asked)))],
        "accuracy": round(statistics.mean(acc), 4),
        "baseline_accuracy": round(statistics.mean(base), 4),
        "fringe_exact": round(sum(fringe) / len(fringe), 4),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(f"placement benchmark: {args.learners} simulated learners, track {args.track}")
    print(f"  topics {result['topics']} ({result['topics_with_questions']} with questions)")
    print(f"  questions asked: median {result['median_questions']}, p90 {result['p90_questions']}")
    print(
        f"  per-topic accuracy {result['accuracy']:.1%} "
        f"(asking nothing: {result['baseline_accuracy']:.1%})"
    )
    print(f"  ready-to-learn fringe exactly right: {result['fringe_exact']:.1%}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
