"""The recorder's plain-float satisfaction card (V1, V5) equals the domain model's card.

Expected cards by hand from the defaults (15 min grace, a point per further 20 min, a point
for being grabbed, 1 at least)."""

from __future__ import annotations

import pytest

from sim.domain.satisfaction import DEFAULT
from sim.office.recorder import served_card


@pytest.mark.parametrize(
    ("wait", "grabbed", "card"),
    [
        (0.0, False, 5),
        (34.99, False, 5),  # 19.99 min over the grace: no full point
        (35.0, False, 4),  # exactly one point
        (55.0, False, 3),
        (0.0, True, 4),  # V1: grabbed costs a point
        (35.0, True, 3),
        (1000.0, False, 1),  # never below 1
    ],
)
def test_card_by_hand(wait: float, grabbed: bool, card: int) -> None:
    assert served_card(wait, grabbed) == card
    assert DEFAULT.card(wait, 0.0, grabbed) == card


def test_card_equals_the_domain_model_on_a_grid() -> None:
    for i in range(0, 4000):
        wait = i * 0.05
        for grabbed in (False, True):
            assert served_card(wait, grabbed) == DEFAULT.card(wait, 0.0, grabbed), (wait, grabbed)
