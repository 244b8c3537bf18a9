"""Important-visit tiers (参观分级接待, seed 003): what each tier 1–4 changes, as defaults.

Seed 003 tiers the visits: 一类 centre leaders and important foreign guests, 二类 inspections by
superiors, 三类 peer companies, 四类 ordinary groups and prospective tenants, "不同级别的参观接待,
对接待的需求重点是不同的" (each tier its own staffing). Its protocol for an important activity:
"提前一小时,只放行预约客户" (booked visitors only from 1 h before), "提前半小时,园区清场,包括:
保洁、施工人员" (the grounds cleared, cleaners included, 30 min before), "提前20分钟,全体接待人员
… 到别墅入口礼宾岗恭候" (all receiving staff at the entrance 20 min before).

The seed gives the protocol in full for the top tier only; how far down it applies and how many
of each post line up for tiers 2–4 are ASSUMPTIONS (A) to calibrate per office: tiers 1–2 get
the whole protocol with everyone of the receiving posts; tier 3 keeps the office open and lines
up one person of the duty manager, butler and door posts; tier 4 is received like a delegation
(V3) by the duty manager alone. A scenario's explicit ``staff``, ``booked_only_before_min`` or
``clear_grounds_before_min`` overrides the tier's default.
"""

from __future__ import annotations

from dataclasses import dataclass

EVERYONE = 1_000  # "全体接待人员": every person of the post (capped at the post's people)

RECEIVING_POSTS = ("duty_manager", "butler", "door", "water_bar", "gate", "parking")


@dataclass(frozen=True)
class TierDefaults:
    """What a tier does unless the visit says otherwise."""

    staff: dict[str, int]  # people of each post lined up at the entrance
    booked_only_before_min: float  # walk-ins refused from this long before (0: never)
    clear_grounds_before_min: float  # cleaners off the grounds from this long before (0: never)


TIERS: dict[int, TierDefaults] = {
    1: TierDefaults({k: EVERYONE for k in RECEIVING_POSTS}, 60, 30),
    2: TierDefaults({k: EVERYONE for k in RECEIVING_POSTS}, 60, 30),
    3: TierDefaults({"duty_manager": 1, "butler": 1, "door": 1}, 0, 0),
    4: TierDefaults({"duty_manager": 1}, 0, 0),
}
