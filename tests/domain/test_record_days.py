"""The per-topic study days survive their compact encoding, and the lazy record agrees with
the eager one on every day."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from mlpath.domain.metrics import Record
from mlpath.domain.progress import State, decode_days, encode_days, summarize

DAYS = st.dictionaries(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.floats(min_value=0.01, max_value=12, allow_nan=False).map(lambda h: round(h, 2)),
    max_size=40,
)


@given(DAYS)
def test_encoding_round_trips(days: dict[date, float]) -> None:
    assert decode_days(encode_days(days)) == days


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), DAYS, max_size=3), st.data())
def test_a_record_from_stored_text_equals_one_from_decoded_days(
    topic_days: dict[str, dict[date, float]], data: st.DataObject
) -> None:
    eager = State(logged={t: sum(d.values()) for t, d in topic_days.items()})
    eager.topic_days.update(topic_days)
    for days in topic_days.values():
        for d, h in days.items():
            eager.daily[d] = eager.daily.get(d, 0.0) + h
    stored = summarize(eager)["topic_days"]
    lazy = State(logged=eager.logged, daily=eager.daily, _topic_days_raw=stored)
    assert lazy == eager  # decoding on first use gives the same days
    estimates = {"a": 5.0, "b": 20.0, "c": 1.0}
    fresh_lazy = State(logged=eager.logged, daily=eager.daily, _topic_days_raw=stored)
    r_eager, r_lazy = Record(eager, estimates), Record(fresh_lazy, estimates)
    day = data.draw(st.dates(min_value=date(2019, 12, 1), max_value=date(2031, 2, 1)))
    assert r_lazy.done_hours(day) == r_eager.done_hours(day)
    assert r_lazy.done_hours(date(2040, 1, 1)) == r_eager.done_hours(None)
