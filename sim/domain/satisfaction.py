"""The satisfaction model (满意度): what lowers a visitor's 1–5 score (V1, V5; seed 002).

Seed 002 gives the causes and the use of the score, not a formula: "开盘当天选房时间较紧,整体
满意度下降" (tight, long selection lowers satisfaction); "尽量通过吃的、玩的、看的来安抚为客户情绪,
分散其因排队而引起的不满" (food and entertainment in the waiting area soften the queue); grabbing
"同时上去至少两个人询问客户,造成客户感觉不好" (V1); "客户领取礼物后…在满意度评分卡上打分" (the card
after the gift); "将打分小于4的客户列出来,…亲自回访补救" (scores below 4 get a follow-up call).

The model: a group starts at 5 and loses penalty points; each full point takes one point off
the card (1 at least):

- queueing at the desks (or for a rep) beyond ``wait_grace_min`` in all: one point per
  ``wait_min_per_point`` minutes;
- time in the waiting area (with food and entertainment, seed 002): one point per
  ``area_min_per_point`` minutes;
- being grabbed (V1 抢客): ``grab_points``;
- never served (left in a queue at the end of the day): card ``unserved_card``.

Every number is an ASSUMPTION (A), to calibrate against real cards; the defaults say that a
quarter hour of queueing is accepted, that each further 20 minutes costs a point, that an
hour in a waiting area with food and shows costs one, and that a grabbing incident costs one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SatisfactionModel:
    """The parameters of the 1–5 score; all assumptions (A), see the module text."""

    wait_grace_min: float = 15.0
    wait_min_per_point: float = 20.0
    area_min_per_point: float = 60.0
    grab_points: float = 1.0
    unserved_card: int = 1
    follow_up_below: int = 4  # seed 002: "打分小于4的客户" get a follow-up call

    def points(self, wait: np.ndarray, area: np.ndarray, grabbed: np.ndarray) -> np.ndarray:
        """Penalty points for each group (arrays of equal shape; ``nan`` counts as zero)."""
        over = np.maximum(np.nan_to_num(wait) - self.wait_grace_min, 0.0)
        points = (
            over / self.wait_min_per_point
            + np.nan_to_num(area) / self.area_min_per_point
            + self.grab_points * np.asarray(grabbed, dtype=float)
        )
        return np.asarray(points, dtype=float)

    def cards(
        self, wait: np.ndarray, area: np.ndarray, grabbed: np.ndarray, served: np.ndarray
    ) -> np.ndarray:
        """The 1–5 card of each group: 5 minus the full penalty points, at least 1; a group
        never served scores ``unserved_card``."""
        card = np.clip(5 - np.floor(self.points(wait, area, grabbed) + 1e-9), 1, 5)
        return np.where(served, card, self.unserved_card).astype(int)

    def card(self, wait: float, area: float = 0.0, grabbed: bool = False) -> int:
        """The card of one served group."""
        one = np.asarray([1.0])
        return int(self.cards(one * wait, one * area, one * grabbed, one > 0)[0])


DEFAULT = SatisfactionModel()
