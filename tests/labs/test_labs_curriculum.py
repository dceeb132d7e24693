"""The bundled curriculum and the packaged labs agree with each other."""

from __future__ import annotations

import pytest

from mlpath.domain.curriculum import Curriculum, load
from mlpath.labs import catalog


@pytest.fixture(scope="module")
def bundled() -> Curriculum:
    return load()


def test_every_lab_named_by_the_curriculum_exists_for_that_topic(bundled: Curriculum) -> None:
    for topic in bundled.topics:
        if topic.lab:
            meta = catalog.get_lab(topic.lab)
            assert meta.topic == topic.id, (
                f"{topic.lab} says topic {meta.topic!r}, not {topic.id!r}"
            )


def test_every_packaged_lab_is_reachable_from_the_curriculum(bundled: Curriculum) -> None:
    named = {t.lab for t in bundled.topics if t.lab}
    variants = {v for lab in named for v in catalog.get_lab(lab).variants.values()}
    assert set(catalog.lab_ids()) == named | variants


@pytest.mark.parametrize("track", ["tensorflow", "pytorch"])
def test_a_learner_on_one_track_never_meets_a_lab_of_the_other(
    bundled: Curriculum, track: str
) -> None:
    other = {"tensorflow": "pytorch", "pytorch": "tensorflow"}[track]
    for topic in bundled.in_track(track):
        meta = catalog.lab_for(topic.id, topic.lab, track)
        assert meta is None or meta.track in (None, track), (
            f"{topic.id}: a {track}-track learner gets the {other} lab {meta and meta.id}"
        )


def test_every_deep_learning_lab_of_a_shared_topic_has_a_twin_on_the_other_track(
    bundled: Curriculum,
) -> None:
    shared = [t for t in bundled.topics if t.track is None and t.lab]
    for topic in shared:
        meta = catalog.get_lab(topic.lab or "")
        if meta.track is None:
            continue
        twin = catalog.lab_for(topic.id, topic.lab, "tensorflow")
        assert twin is not None and twin.track == "tensorflow" and "keras" in twin.requires, (
            topic.id
        )
        assert twin.topic == topic.id
