"""The launch-day satisfaction card (满意度评分卡, V5, seed 002) and the follow-up list.

"客户领取礼物后由客户大使引导在满意度评分卡上打分" - a buyer scores the card after the gift, the
event's last desk; "将打分小于4的客户列出来,万科销售主任或经理亲自回访补救" - every card below 4
goes on the list for a call by the sales director or manager. The score follows
:class:`sim.domain.satisfaction.SatisfactionModel` (assumptions): the group's queueing at the
desks and its time in the waiting area. It is computed from :class:`EventTimes`, so the SimPy
day and the vectorised screen give the same cards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from sim.domain.satisfaction import DEFAULT, SatisfactionModel


class CardTimes(Protocol):
    """What the card reads of :class:`sim.event.kpis.EventTimes` (arrays (replications,
    groups); ``start`` is ``inf`` for a group never served at the desk)."""

    @property
    def valid(self) -> np.ndarray: ...
    @property
    def arrival(self) -> np.ndarray: ...
    @property
    def arrive(self) -> dict[str, np.ndarray]: ...
    @property
    def start(self) -> dict[str, np.ndarray]: ...
    @property
    def wait_from(self) -> np.ndarray | None: ...
    @property
    def wait_to(self) -> np.ndarray | None: ...


@dataclass(frozen=True)
class FollowUp:
    """One buyer group on the follow-up list (回访名单): its card below the threshold."""

    replication: int  # the row of the times (the replication)
    group: int  # the group's index within the day
    arrival: float  # minutes since midnight
    desk_wait_min: float  # queueing at the desks, in all
    area_min: float  # time in the waiting area
    card: int


@dataclass(frozen=True)
class Cards:
    """Every card holder's waits and card, arrays of shape (replications, groups)."""

    holders: np.ndarray  # groups that reached the last desk (the gift) and get a card
    desk_wait: np.ndarray
    area: np.ndarray
    card: np.ndarray


def score_cards(times: CardTimes, posts: list[str], model: SatisfactionModel = DEFAULT) -> Cards:
    """The cards of the groups that reached the event's last desk (the gift desk on a launch
    day); a holder left unserved in a queue scores ``model.unserved_card``."""
    last = posts[-1]
    holders = times.valid & ~np.isnan(times.arrive[last])
    wait = np.zeros(times.valid.shape)
    served = np.ones(times.valid.shape, dtype=bool)
    for p in posts:
        visit = ~np.isnan(times.arrive[p])
        start = times.start[p]
        served &= ~(visit & np.isinf(start))
        with np.errstate(invalid="ignore"):
            wait += np.where(visit & np.isfinite(start), start - times.arrive[p], 0.0)
    area = np.zeros(times.valid.shape)
    if times.wait_from is not None and times.wait_to is not None:
        with np.errstate(invalid="ignore"):
            stay = times.wait_to - times.wait_from
        area = np.where(np.isfinite(stay), stay, 0.0)
    card = model.cards(wait, area, np.zeros(wait.shape), served)
    return Cards(holders, wait, area, card)


def card_kpis(times: CardTimes, posts: list[str], model: SatisfactionModel = DEFAULT,
              ) -> dict[str, np.ndarray]:  # fmt: skip
    """The satisfaction card KPIs per replication: mean card, follow-up calls, share below."""
    c = score_cards(times, posts, model)
    n = c.holders.sum(axis=1)
    low = (c.holders & (c.card < model.follow_up_below)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "card_mean": np.where(n > 0, np.where(c.holders, c.card, 0).sum(axis=1) / n, np.nan),
            "card_follow_ups": low.astype(float),
            "card_low_share": np.where(n > 0, low / n, np.nan),
        }


def follow_up_list(times: CardTimes, posts: list[str], model: SatisfactionModel = DEFAULT,
                   ) -> list[FollowUp]:  # fmt: skip
    """The buyers scoring below ``model.follow_up_below``, by replication and arrival."""
    c = score_cards(times, posts, model)
    rows, groups = np.nonzero(c.holders & (c.card < model.follow_up_below))
    out = [
        FollowUp(int(r), int(g), float(times.arrival[r, g]), float(c.desk_wait[r, g]),
                 float(c.area[r, g]), int(c.card[r, g]))
        for r, g in zip(rows, groups, strict=True)
    ]  # fmt: skip
    return sorted(out, key=lambda f: (f.replication, f.arrival, f.group))
