"""The reception line's cheaper bookkeeping (issue 17 item 2) keeps every answer the same.

- ``Rep.available`` is a plain attribute now, kept by the ``busy`` and ``on_duty`` setters: it
  must equal "on duty and not busy" after any sequence of changes.
- What every day of one ``staffing:`` section builds alike (shifts, staffed posts, people,
  which posts serve each hook) is made once per section: a second day gets the same posts,
  and another section (a changed headcount) gets its own.
- The posts' KPIs count the responses above target from the sorted responses and take the
  peak hour without sorting the hours: the same numbers as the plain formulas.
"""

from __future__ import annotations

import math
from array import array
from itertools import product

import numpy as np
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.rng import Streams
from sim.office.reception import Reception
from sim.office.staff import Rep
from sim.scenario.staffing import Staffing
from tests.test_reception import fixed, post, staffing


def _staffing(water_bar_heads: int = 2) -> Staffing:
    section = staffing(
        shifts={"A": {"start": "09:00", "end": "13:00"}, "B": {"start": "12:00", "end": "18:00"}},
        gate=post(1, 0.5),
        door={"headcount": {"A": 1, "B": 1}, "task": fixed(0.3)},
        water_bar={"headcount": {"A": water_bar_heads, "B": 1}, "task": fixed(3.0)},
        cleaner=post(1, 5.0, "B"),
    )
    return Staffing.model_validate(section)


def _reception(spec: Staffing) -> Reception:
    return Reception(simpy.Environment(540.0), spec, Streams(0, 0), 540.0)


def _people(reception: Reception) -> dict[str, list[tuple[str, str]]]:
    return {
        key: [(p.name, p.shift.name) for p in post.people] for key, post in reception.posts.items()
    }


def test_rep_available_follows_busy_and_on_duty() -> None:
    rep = Rep(0, "R0", "A", True)
    assert rep.available
    changes = [(name, value) for name in ("busy", "on_duty") for value in (True, False)]
    for sequence in product(changes, repeat=3):  # every sequence of three changes
        for name, value in sequence:
            setattr(rep, name, value)
            assert rep.available == (rep.on_duty and not rep.busy)


def test_same_section_same_posts_every_day() -> None:
    spec = _staffing()
    first, second = _reception(spec), _reception(spec)
    assert _people(first) == _people(second)
    assert _people(first)["water_bar"] == [
        ("water_bar-A1", "A"), ("water_bar-A2", "A"), ("water_bar-B1", "B"),
    ]  # fmt: skip
    assert first.serves_seated and second.serves_seated
    assert not first.prepares_rooms  # no butler in this section
    # each day has its own posts and people: nothing of one day's state is shared
    assert first.posts["gate"] is not second.posts["gate"]
    assert first.posts["gate"].people[0] is not second.posts["gate"].people[0]


def test_another_section_gets_its_own_posts() -> None:
    assert len(_reception(_staffing(2)).posts["water_bar"].people) == 3
    assert len(_reception(_staffing(4)).posts["water_bar"].people) == 5
    assert len(_reception(_staffing(2)).posts["water_bar"].people) == 3


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.floats(min_value=0.0, max_value=30.0, allow_nan=False), max_size=200),
    st.dictionaries(
        st.integers(min_value=8, max_value=20),
        st.tuples(
            st.floats(min_value=0.0, max_value=60.0), st.floats(min_value=0.0, max_value=60.0)
        ),
        max_size=12,
    ),
)
def test_post_kpis_equal_the_plain_formulas(
    responses: list[float], hours: dict[int, tuple[float, float]]
) -> None:
    reception = _reception(_staffing())
    gate = reception.posts["gate"]
    gate.response = array("d", responses)
    # busy time is spread over the hours when read; here the hours are given as they are read
    gate._busy_hours = {h: busy for h, (busy, _duty) in hours.items()}
    gate.duty_by_hour = {h: duty for h, (_busy, duty) in hours.items()}
    spec = reception.spec.post_spec("gate")
    assert spec is not None
    target = spec.target_response_min
    kpis = reception.kpis(1080.0)
    util = gate.utilisation_by_hour()
    expected_peak = max(util.values()) if util else math.nan
    assert _same(kpis["post.gate.peak_hour_utilisation"], expected_peak)
    if responses:
        resp = np.array(responses)
        assert kpis["post.gate.over_target"] == sum(1 for r in responses if r > target) / len(
            responses
        )
        assert kpis["post.gate.response_p90"] == float(np.percentile(resp, 90))
        assert kpis["post.gate.response_mean"] == float(resp.mean())
    else:
        assert math.isnan(kpis["post.gate.over_target"])
        assert math.isnan(kpis["post.gate.response_p90"])


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b
