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


def test_the_tensorflow_track_gets_keras_labs_for_the_mlp_the_cnn_and_the_rnn(
    bundled: Curriculum,
) -> None:
    for topic_id in ("keras-training", "convolutional-networks", "lstm-gru"):
        topic = bundled.by_id[topic_id]
        meta = catalog.lab_for(topic.id, topic.lab, "tensorflow")
        assert meta is not None and meta.track == "tensorflow" and "keras" in meta.requires


def test_the_pytorch_track_never_gets_a_keras_lab(bundled: Curriculum) -> None:
    for topic in bundled.in_track("pytorch"):
        meta = catalog.lab_for(topic.id, topic.lab, "pytorch")
        assert meta is None or meta.track in (None, "pytorch"), topic.id
