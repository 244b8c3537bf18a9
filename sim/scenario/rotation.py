"""The ``rotation:`` section: settings of the rotation rulebook (轮序规则) that policies read.

The rules themselves live in the policies (``sim/policies/``); this section holds the numbers
and switches a planner sets per office: how many reps stand by (R4), how long a returning or
named-rep group waits for its own rep (R6, R7), the daily swap of visit and phone groups (R1),
make-up turns after appointments (R4a), mentoring of new reps (V4) and the weekend mode of a
joint agency office (V1).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.core.distributions import Distribution, Fixed
from sim.core.schema import NoBool, NonNegative, Share, StrictModel
from sim.scenario.defaults import constant


class JointAgencyRules(StrictModel):
    """V1 joint agency (联合代理): two agencies (the reps' `team`) share one office.

    Weekdays always run one shared rotation. On weekends and holidays `grab` lets the free reps
    of both agencies approach a new group (抢客); `shared` keeps the shared rotation.
    """

    weekend_mode: Literal["shared", "grab"] = Field(
        "grab", description="weekends/holidays: 'shared' rotation or 'grab' (抢客)"
    )
    approach_share: Share = Field(
        0.5,
        description="grab mode: chance that each further free rep also approaches a new group "
        "(the first free rep always does)",
    )
    dispute: Distribution = Field(
        default_factory=constant(Fixed, dist="fixed", value=3.0),
        description="grab mode: minutes a grabbing incident costs the group and every rep who "
        "approached it (争抢耗时)",
    )


class Rotation(StrictModel):
    """Rotation rulebook settings (轮序规则) used by the policies; defaults follow Longfor."""

    standing_by: Annotated[int, NoBool, Field(ge=0, le=20)] = Field(
        2,
        description="R4: reps of the visit group who must stand by at the desk; when fewer are "
        "free the phone group lends one (longfor)",
    )
    own_rep_wait_min: NonNegative = Field(
        10,
        description="R6/R7: minutes a returning or named-rep group waits for its busy rep "
        "before another rep serves it (with a make-up turn)",
    )
    swap_teams_daily: bool = Field(
        False,
        description="R1: the visit group and the phone group (staffing.phones.phone_team) swap "
        "every day; replication k is day k, so odd replications swap the two teams",
    )
    makeup_after_appointment: bool = Field(
        True, description="R4a: a rep who served an appointment group gets a make-up turn"
    )
    important_to_experienced: bool = Field(
        False,
        description="V2 with longfor: an important group is received only by an experienced rep "
        "(熟手轮序); the other reps keep their places",
    )
    people_per_rep: Annotated[int, NoBool, Field(ge=1, le=1000)] = Field(
        10,
        description="V3, seed 003 (如果贵宾人多,则需多名置业顾问跟随客户进行讲解): a party of "
        "more than this many people gets one rep per this many (rounded up), the further reps the "
        "free ones at once (no waiting), held for the visit. 10 is an assumption (one sandbox "
        "talk to about ten listeners) to calibrate",
    )
    mentor_new_reps: bool = Field(
        False,
        description="V4: a new rep (experienced: false) signs a deal only with an experienced "
        "rep beside them, who is held for the signing stage",
    )
    mentor_wait_max_min: NonNegative = Field(
        15,
        description="V4: the longest a new rep's signing waits for a mentor; then the new rep "
        "signs alone (counted as a signing without a mentor). An assumption to calibrate: a "
        "wait with no end could lock the office (a new rep's group holding the last table while "
        "the experienced reps' groups wait for it)",
    )
    joint_agency: JointAgencyRules = Field(
        default_factory=constant(JointAgencyRules),
        description="V1: weekend mode of a joint agency office (policy joint_agency)",
    )
