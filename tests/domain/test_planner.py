from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlpath.domain.curriculum import Curriculum, from_document
from mlpath.domain.planner import Plan, Profile, make_plan, pack_weeks, select_topics
from mlpath.errors import InputError, PlanError, TopicNotFound
from tests.conftest import TODAY, topic


def profile(**kw: object) -> Profile:
    base: dict[str, object] = {"hours_per_week": 10, "start": TODAY}
    base.update(kw)
    return Profile(**base)  # type: ignore[arg-type]


def assert_prereqs_first(c: Curriculum, plan: Plan, track: str = "pytorch") -> None:
    pos = {t: i for i, t in enumerate(plan.topics)}
    for tid in plan.topics:
        for p in c.by_id[tid].prerequisites:
            if p in pos:
                assert pos[p] < pos[tid], f"{p} must come before {tid}"


def test_default_goals_are_all_non_optional_topics_of_the_track(tiny: Curriculum) -> None:
    plan = make_plan(tiny, profile())
    assert set(plan.topics) == {
        "vectors",
        "calculus",
        "probability",
        "regression",
        "classification",
        "networks",
        "torch",
        "deploy",
    }
    assert "keras" not in plan.topics and "extra-reading" not in plan.topics


def test_tensorflow_track_swaps_framework_topics(tiny: Curriculum) -> None:
    plan = make_plan(tiny, profile(track="tensorflow"))
    assert "keras" in plan.topics and "torch" not in plan.topics
    assert plan.topics.index("keras") < plan.topics.index("deploy")


def test_phases_strategy_follows_phase_order(tiny: Curriculum) -> None:
    plan = make_plan(tiny, profile())
    assert plan.topics[:3] == ("vectors", "calculus", "probability")
    assert_prereqs_first(tiny, plan)


def test_just_in_time_puts_prerequisites_right_before_first_use(tiny: Curriculum) -> None:
    plan = make_plan(tiny, profile(strategy="just-in-time"))
    assert_prereqs_first(tiny, plan)
    order = list(plan.topics)
    # probability is only needed by classification, so it comes right before it
    assert order.index("probability") == order.index("classification") - 1
    assert order.index("probability") > order.index("regression")


def test_goal_closure_walks_prerequisites_only(tiny: Curriculum) -> None:
    plan = make_plan(tiny, profile(goals=("regression",)))
    assert set(plan.topics) == {"vectors", "calculus", "regression"}


def test_known_topics_stop_the_walk(tiny: Curriculum) -> None:
    # knowing regression means vectors and calculus (reachable only through it) are not planned
    plan = make_plan(tiny, profile(goals=("classification",), known=("regression",)))
    assert set(plan.topics) == {"probability", "classification"}


def test_done_topics_are_not_planned_and_logged_time_shortens_topics(tiny: Curriculum) -> None:
    plan = make_plan(tiny, profile(), done={"vectors"}, spent={"calculus": 2})
    assert "vectors" not in plan.topics
    assert plan.topic_hours["calculus"] == 3


def test_weeks_are_full_except_the_last_and_split_long_topics(tiny: Curriculum) -> None:
    plan = make_plan(tiny, profile(hours_per_week=4))
    for w in plan.weeks[:-1]:
        assert w.hours == pytest.approx(4)
    assert 0 < plan.weeks[-1].hours <= 4
    assert sum(w.hours for w in plan.weeks) == pytest.approx(plan.total_hours)
    assert len(plan.weeks_of("networks")) >= 2  # 8 h topic over 4 h weeks
    assert plan.weeks[1].start == TODAY + timedelta(days=7)
    assert plan.weeks[0].end == TODAY + timedelta(days=6)


def test_finish_date_is_within_last_week(tiny: Curriculum) -> None:
    plan = make_plan(tiny, profile(hours_per_week=100))
    assert plan.finish is not None
    assert len(plan.weeks) == 1 and TODAY <= plan.finish <= plan.weeks[0].end
    assert plan.total_hours == 3 + 5 + 4 + 6 + 5 + 8 + 4 + 3


def test_plan_roundtrips_through_json(tiny: Curriculum) -> None:
    plan = make_plan(tiny, profile(hours_per_week=7.5))
    again = Plan.from_dict(plan.to_dict())
    assert again.to_dict() == plan.to_dict()
    assert again.topic_hours == plan.topic_hours


@pytest.mark.parametrize("hours", [0, 0.4, 100.5, -3, float("nan")])
def test_hours_out_of_range_rejected(tiny: Curriculum, hours: float) -> None:
    with pytest.raises(InputError):
        make_plan(tiny, profile(hours_per_week=hours))


def test_unknown_goal_and_wrong_track_goal(tiny: Curriculum) -> None:
    with pytest.raises(TopicNotFound):
        make_plan(tiny, profile(goals=("nope",)))
    with pytest.raises(PlanError, match="tensorflow"):
        make_plan(tiny, profile(goals=("keras",)))


def test_pack_weeks_handles_fractional_hours() -> None:
    weeks = pack_weeks([("a", 20), ("b", 70)], 0.5, date(2026, 1, 5))
    assert [w.hours for w in weeks] == [0.5, 0.5, 0.5]
    assert [i.topic for i in weeks[0].items] == ["a", "b"]


# --------------------------------------------------------------------------- properties


@st.composite
def random_curricula(draw: st.DrawFn) -> Curriculum:
    n = draw(st.integers(1, 25))
    topics = []
    for i in range(n):
        prereqs = (
            draw(st.lists(st.integers(0, max(0, i - 1)), max_size=min(i, 4), unique=True))
            if i
            else []
        )
        track = draw(st.sampled_from([None, None, None, "pytorch", "tensorflow"]))
        extra = {"track": track} if track else {}
        topics.append(
            topic(
                f"t{i}",
                draw(st.sampled_from(["a", "b", "c"])),
                [f"t{p}" for p in prereqs],
                hours=draw(st.sampled_from([0.5, 1, 2.25, 3, 7, 12])),
                optional=draw(st.booleans()) and i % 5 == 0,
                **extra,
            )
        )
    # a topic of one track may not require the other track's topic
    by = {t["id"]: t for t in topics}
    for t in topics:
        t["prerequisites"] = [
            p
            for p in t["prerequisites"]
            if not (t.get("track") and by[p].get("track") not in (None, t.get("track")))
        ]
    order = draw(st.permutations(topics))  # file order independent of dependency order
    doc = {"title": "r", "phases": [{"id": p, "title": p} for p in "abc"], "topics": list(order)}
    return from_document(doc)


@settings(max_examples=150, deadline=None)
@given(
    c=random_curricula(),
    hours=st.sampled_from([0.5, 3, 10, 40]),
    strategy=st.sampled_from(["phases", "just-in-time"]),
    track=st.sampled_from(["pytorch", "tensorflow"]),
    data=st.data(),
)
def test_plan_properties(
    c: Curriculum, hours: float, strategy: str, track: str, data: st.DataObject
) -> None:
    ids = [t.id for t in c.in_track(track)]
    goals = tuple(data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))) if ids else ()
    known = tuple(data.draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))) if ids else ()
    prof = Profile(hours, TODAY, goals, known, track, strategy)
    plan = make_plan(c, prof)
    # 1. prerequisites first, and every prerequisite on the track is planned or known
    pos = {t: i for i, t in enumerate(plan.topics)}
    for tid in plan.topics:
        for p in c.by_id[tid].prerequisites:
            if c.by_id[p].in_track(track):
                assert p in pos or p in known
                if p in pos:
                    assert pos[p] < pos[tid]
    # 2. only the track's topics, no known ones, no duplicates
    assert all(c.by_id[t].in_track(track) for t in plan.topics)
    assert not set(plan.topics) & set(known)
    assert len(set(plan.topics)) == len(plan.topics)
    # 3. exactly the closure
    assert set(plan.topics) == select_topics(c, prof)
    # 4. weeks full but the last, hours conserved, topics in order
    for w in plan.weeks[:-1]:
        assert w.hours == pytest.approx(hours, abs=0.02)
    assert sum(w.hours for w in plan.weeks) == pytest.approx(
        plan.total_hours, abs=0.01 * len(plan.weeks) + 0.01
    )
    flat = list(dict.fromkeys(i.topic for w in plan.weeks for i in w.items))
    assert flat == list(plan.topics)
    # 5. deterministic
    assert make_plan(c, prof).to_dict() == plan.to_dict()


# ------------------------------------------------------------ just-in-time (issue 14, section 3)


def ancestors_in(c: Curriculum, tid: str, within: set[str]) -> set[str]:
    seen: set[str] = set()
    stack = [p for p in c.by_id[tid].prerequisites if p in within]
    while stack:
        p = stack.pop()
        if p not in seen:
            seen.add(p)
            stack.extend(q for q in c.by_id[p].prerequisites if q in within)
    return seen


def assert_just_in_time(c: Curriculum, jit: Plan, phases: Plan) -> None:
    """The two properties of issue 14: non-foundation order kept, foundations just in time."""
    first = c.phases[0].id
    is_math = {t: c.by_id[t].phase == first for t in jit.topics}
    assert [t for t in jit.topics if not is_math[t]] == [
        t for t in phases.topics if not is_math[t]
    ], "topics outside the first phase keep their `phases` order"
    planned = set(jit.topics)
    needs = {t: ancestors_in(c, t, planned) for t in jit.topics}
    # a foundation topic that some later topic outside the first phase needs
    needed = {
        m for m in planned if is_math[m] and any(m in needs[t] for t in planned if not is_math[t])
    }
    order = list(jit.topics)
    for i, m in enumerate(order):
        if m not in needed:
            continue
        j = next(k for k in range(i + 1, len(order)) if order[k] not in needed)
        anchor = order[j]
        assert m in needs[anchor], f"{m} is not needed by {anchor}, the topic it was moved before"
        between = order[i + 1 : j]
        assert all(t in needs[anchor] for t in between), (
            f"only what {anchor} needs may sit between {m} and {anchor}: {between}"
        )


@settings(max_examples=200, deadline=None)
@given(
    c=random_curricula(),
    track=st.sampled_from(["pytorch", "tensorflow"]),
    data=st.data(),
)
def test_just_in_time_keeps_the_syllabus_and_moves_only_foundations(
    c: Curriculum, track: str, data: st.DataObject
) -> None:
    ids = [t.id for t in c.in_track(track)]
    goals = tuple(data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))) if ids else ()
    known = tuple(data.draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))) if ids else ()
    jit = make_plan(c, Profile(10, TODAY, goals, known, track, "just-in-time"))
    phases = make_plan(c, Profile(10, TODAY, goals, known, track, "phases"))
    assert set(jit.topics) == set(phases.topics)
    assert_just_in_time(c, jit, phases)


@st.composite
def syllabus_curricula(draw: st.DrawFn) -> Curriculum:
    """Random curricula shaped like a syllabus: outside the first phase ("a"), a topic only
    requires topics of its own or an earlier phase, and first-phase topics require only
    first-phase topics or topics of the second phase (as eigenvectors require NumPy)."""
    n = draw(st.integers(1, 25))
    phase_names = "abcd"
    phases = [draw(st.sampled_from(phase_names)) for _ in range(n)]
    topics = []
    for i in range(n):
        allowed = [
            j
            for j in range(i)
            if (phases[j] <= phases[i] if phases[i] != "a" else phases[j] in "ab")
            or phases[j] == "a"
        ]
        prereqs = (
            draw(st.lists(st.sampled_from(allowed), max_size=3, unique=True)) if allowed else []
        )
        topics.append(topic(f"t{i}", phases[i], [f"t{p}" for p in prereqs]))
    order = draw(st.permutations(topics))
    doc = {
        "title": "s",
        "phases": [{"id": p, "title": p} for p in phase_names],
        "topics": list(order),
    }
    return from_document(doc)


@settings(max_examples=200, deadline=None)
@given(c=syllabus_curricula(), strategy=st.sampled_from(["phases", "just-in-time"]), data=st.data())
def test_a_later_phase_comes_first_only_as_a_prerequisite(
    c: Curriculum, strategy: str, data: st.DataObject
) -> None:
    ids = [t.id for t in c.topics]
    goals = tuple(data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)))
    plan = make_plan(c, Profile(10, TODAY, goals, (), "pytorch", strategy))
    first = c.phases[0].id
    rank = c.phase_index
    planned = set(plan.topics)
    ml = [t for t in plan.topics if c.by_id[t].phase != first]
    for i, a in enumerate(ml):
        for b in ml[i + 1 :]:
            if rank[c.by_id[a].phase] > rank[c.by_id[b].phase]:
                assert a in ancestors_in(c, b, planned), f"{a} comes before {b} without need"
