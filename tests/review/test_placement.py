"""The placement model: updates stay consistent with the graph (hypothesis), noise-free answers
recover the true state exactly, the stopping rule, and the real curriculum."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.review.placement import HIGH, LOW, Graph, Placement


@st.composite
def dags(draw: st.DrawFn) -> Graph:
    n = draw(st.integers(1, 14))
    prereqs = {}
    for i in range(n):
        earlier = list(range(i))
        chosen = (
            draw(st.lists(st.sampled_from(earlier), max_size=3, unique=True)) if earlier else []
        )
        prereqs[f"t{i}"] = [f"t{j}" for j in chosen]
    return Graph.build(prereqs)


@st.composite
def closed_states(draw: st.DrawFn, graph: Graph) -> set[str]:
    order = draw(st.permutations(list(graph.topics)))
    k = draw(st.integers(0, len(graph.topics)))
    known: set[str] = set()
    for t in order:  # add topics whose prerequisites are known, up to k
        if len(known) < k and set(graph.prerequisites[t]) <= known:
            known.add(t)
    return known


def consistent(test: Placement) -> bool:
    p = test.probabilities()
    return all(p[q] >= p[t] - 1e-12 for t in test.graph.topics for q in test.graph.prerequisites[t])


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_updates_stay_consistent_with_the_graph(data: st.DataObject) -> None:
    graph = data.draw(dags())
    test = Placement(graph, frozenset(graph.topics), max_questions=1000)
    answers = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(graph.topics), st.booleans(), st.sampled_from([0, 0.25, 0.5])
            ),
            max_size=25,
        )
    )
    assert consistent(test)
    for topic, correct, guess in answers:
        before = test.probability(topic)
        test.update(topic, correct, guess)
        after = test.probability(topic)
        assert (after > before) if correct else (after < before)
        assert consistent(test)
        assert all(0 < p < 1 for p in test.probabilities().values())
    assert graph.is_closed(test.known())


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_noise_free_answers_recover_the_true_state_exactly(data: st.DataObject) -> None:
    graph = data.draw(dags())
    truth = data.draw(closed_states(graph))
    guess = data.draw(st.sampled_from([0.0, 0.25, 0.5]))
    test = Placement(graph, frozenset(graph.topics), max_questions=10_000)
    while (topic := test.next_topic()) is not None:
        test.update(topic, topic in truth, guess)
    assert set(test.known()) == truth
    assert all(test.probability(t) > HIGH or test.probability(t) < LOW for t in graph.topics)
    assert graph.fringe(test.known()) == graph.fringe(truth)


def test_a_right_answer_lifts_prerequisites_and_a_wrong_one_sinks_dependents() -> None:
    g = Graph.build({"a": [], "b": ["a"], "c": ["b"], "d": []})
    test = Placement(g, frozenset(g.topics))
    test.update("b", True, 0.25)
    p = test.probabilities()
    assert p["a"] == p["b"] > 0.5 == p["c"] == p["d"]
    test.update("b", False, 0.25)
    test.update("b", False, 0.25)
    p = test.probabilities()
    assert p["b"] < 0.5 and p["c"] == p["b"] and p["a"] == 0.5


def test_choice_answers_count_less_than_numbers() -> None:
    g = Graph.build({"a": []})
    choice, number = Placement(g, frozenset("a")), Placement(g, frozenset("a"))
    choice.update("a", True, 0.25)
    number.update("a", True, 0.0)
    assert 0.5 < choice.probability("a") < number.probability("a")


def test_it_stops_at_the_question_limit_and_when_settled() -> None:
    g = Graph.build({f"t{i}": [f"t{i - 1}"] if i else [] for i in range(40)})
    test = Placement(g, frozenset(g.topics), max_questions=3)
    for _ in range(3):
        topic = test.next_topic()
        assert topic is not None
        test.update(topic, random.Random(topic).random() < 0.5, 0.25)
    assert test.next_topic() is None
    # a topic without questions that no answer can reach does not keep the test going
    g = Graph.build({"a": [], "project": ["a"]})
    test = Placement(g, frozenset({"a"}))
    test.update("a", True, 0.0)
    assert test.next_topic() is None and test.uncertain() == ["project"]


def test_the_first_question_splits_a_chain_in_the_middle() -> None:
    g = Graph.build({f"t{i}": [f"t{i - 1}"] if i else [] for i in range(21)})
    assert Placement(g, frozenset(g.topics)).next_topic() == "t10"


def test_noise_free_on_the_real_curriculum_and_bank() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import placement as bench  # benchmarks/placement.py

    from mlpath.domain.curriculum import load
    from mlpath.quiz.bank import load_topic
    from mlpath.quiz.paths import bundled_dir

    curriculum = load()
    graph = Graph.from_curriculum(curriculum, "pytorch")
    d = bundled_dir()
    bank = {
        t: q
        for t in graph.topics
        if (d / f"{t}.json").is_file() and (q := load_topic(d, t, curriculum))
    }
    rng = random.Random(7)
    for _ in range(15):
        truth = bench.true_state(graph, rng)
        test = bench.run_one(graph, bank, truth, rng, slip=0.1, noise=False, max_questions=10_000)
        # every topic with questions comes out exactly right
        assert {t for t in test.known() if t in bank} == truth & set(bank)
        # and so does every other topic that some answer could reach
        for t in graph.topics:
            if test.resolved(t):
                assert (test.probability(t) > 0.5) == (t in truth)
