"""V1 joint agency (联合代理): two agencies (the reps' ``team``) share one office.

Weekdays run one shared rotation over both agencies (round robin in the scenario's rep order).
On weekends and holidays, ``rotation.joint_agency.weekend_mode`` decides: ``shared`` keeps the
shared rotation; ``grab`` (抢客) lets the agencies rush a new group. Grabbing is between the
agencies, "去抢对方公司的客户" (seed 002): within one agency the rotation holds, so each agency
sends only its rep on turn (its first free rep in the shared order). The first free rep always
goes; the rep on turn of each other agency also goes with chance ``approach_share``. When two
or more go, it is a grabbing incident: one of them (at random) gets the group, the group loses
``dispute`` minutes at the door and every rep who approached loses them too. The draws come
from the policy's own stream, so the visitors stay the same as under any other policy.
"""

from __future__ import annotations

from sim.policies.round_robin import RoundRobin
from sim.policies.view import GroupView, OfficeView, RepView

GRAB_DAYS = ("weekend", "holiday")


class JointAgency(RoundRobin):
    """Shared rotation on weekdays; shared rotation or grabbing on weekends (V1)."""

    name = "joint_agency"
    description = "V1: two agencies; shared rotation on weekdays, grabbing (抢客) at weekends"

    def __init__(self, office: OfficeView) -> None:
        super().__init__(office)
        spec = office.rotation.joint_agency
        self.grab = office.day_type in GRAB_DAYS and spec.weekend_mode == "grab"
        self.approach = spec.approach_share
        self.dispute = spec.dispute
        self._incident: tuple[list[RepView], float] | None = None  # from choose to on_assigned

    def choose(self, group: GroupView, now: float) -> RepView | None:
        """Shared rotation, or in grab mode the winner among the reps who rushed the group."""
        if not self.grab:
            return super().choose(group, now)
        free = [r for r in self.order if r.available]
        if not free:
            return None
        rng = self.office.rng
        rivals: dict[str, RepView] = {}  # each other agency's rep on turn
        for rep in free[1:]:
            if rep.team != free[0].team:
                rivals.setdefault(rep.team, rep)
        rushing = [free[0]] + [r for r in rivals.values() if rng.random() < self.approach]
        winner = rushing[int(rng.integers(len(rushing)))] if len(rushing) > 1 else free[0]
        if len(rushing) > 1:
            minutes = max(0.0, float(self.dispute.batch(rng, 1)[0]))
            self._incident = ([r for r in rushing if r is not winner], minutes)
        return winner

    def on_assigned(self, group: GroupView, rep: RepView, now: float) -> None:
        """The winner moves to the back; a grabbing incident costs everyone who rushed."""
        super().on_assigned(group, rep, now)
        incident, self._incident = self._incident, None
        if incident is None:
            return
        losers, minutes = incident
        office = self.office
        office.record_grab([rep, *losers], minutes)
        office.delay(group, minutes)
        for loser in losers:
            office.hold(loser, minutes)
