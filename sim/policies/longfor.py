"""The Longfor reception rulebook (龙湖接待规则, R1–R12), as one rotation policy.

- R1/R3: today's phone group is ``office.phone_team`` (the model swaps it daily when the
  scenario says so); every other rep is in the visit group. Each group keeps its own turn order,
  the scenario's rep list order; reps off duty (rest days, breaks) are passed over.
- Turns: the next group goes to the first free rep of the visit order, who then moves to the
  back (a busy rep keeps its place). A make-up turn (补位) is an extra reception: the oldest
  owed make-up of a free rep is used first, and using it does not move the rep.
- R4/R9: whenever fewer than ``rotation.standing_by`` visit reps are free, the phone group lends
  its next free rep in support order (the lender moves to the back of that order, used or not);
  lent reps stand behind the visit group. R3 "接电组确保来电接听": a loan never takes the last
  phone rep who is free and not lent, so the phones stay covered, unless no visit rep is on
  duty at all (R1 "以满足接访为第一原则": the visitors first, and one phone rep is lent even
  with ``standing_by: 0``); a lent rep standing idle
  answers a call when no phone rep is free. Lent reps go back once enough visit reps are free
  again; one who received a group gets a make-up phone turn (R8).
- R4a: a rep who served an appointment group gets a make-up turn. A booking that names its
  rep is served outside the rotation: it takes no turn and charges no R7 skip.
- R5: non-sales visitors never reach the desk (the model); surveys take a turn like any group.
- R6: a returning customer goes to their own rep, "原接待人员按一轮接待处理": the reception is the
  rep's turn of this round, the rep on turn keeps theirs. A rep on turn moves to the back; a
  rep further down the order keeps their place and is passed over when the order next reaches
  them (wherever they stood, the round costs them exactly one turn). R7: a customer who names
  a rep is served by that rep; if the rep was not on turn, "按轮空处理,等下一轮再按顺序轮值": the
  turn counts as skipped and the rep is passed over when the order next reaches them (also
  when standing last, where moving to the back would cost nothing). Both wait up to
  ``rotation.own_rep_wait_min`` for a busy rep; an off-duty rep, or the end of the wait, sends
  the group to the rotation, and whoever serves it gets a make-up turn.
- R10: every answered call is a phone turn: the phone rep who answers moves to the back.
- V2 (``rotation.important_to_experienced``): an important group is received only by an
  experienced rep (熟手), the first free one by make-up, turn or loan; the others keep their
  places. With no experienced rep on duty, the group takes the rotation like any other. Own
  reps (R6, R7) still serve their own customers.
- R12: on a media open day (``day.type: media``) no customer is received.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.domain.labels import APPOINTMENT
from sim.policies.base import RotationPolicy, experienced_on_duty
from sim.policies.view import CallView, GroupView, OfficeView, RepView

Fits = Callable[[RepView], bool]


def _to_back(order: list[RepView], rep: RepView) -> None:
    order.remove(rep)
    order.append(rep)


def _anyone(rep: RepView) -> bool:
    return True


def _experienced(rep: RepView) -> bool:
    return rep.experienced


def _lender(support_order: list[RepView], lent: list[RepView], keep: int) -> RepView | None:
    """The first free phone rep not lent, in support order, if more than ``keep`` are free
    and not lent (R3: ``keep`` stay at the phones). Counts no further than it must (speed)."""
    first, free = None, 0
    for rep in support_order:
        if rep.available and rep not in lent:
            if first is None:
                first = rep
            free += 1
            if free > keep:
                return first
    return None


class Longfor(RotationPolicy):
    """R1–R12: visit and phone groups, stand-by lending, make-up turns, own reps."""

    name = "longfor"
    description = "Longfor rulebook R1–R12: lending, make-up turns, own reps, phone turns"

    def __init__(self, office: OfficeView) -> None:
        super().__init__(office)
        team = office.phone_team
        self.visit_order = [r for r in office.reps if team is None or r.team != team]
        self.phone_order = [r for r in office.reps if team is not None and r.team == team]
        self.support_order = list(self.phone_order)  # R9: who is lent next
        self.owed: list[RepView] = []  # make-up visit turns, oldest first
        self.owed_phone: list[RepView] = []  # make-up phone turns (R8)
        self.lent: list[RepView] = []  # phone reps standing by at the desk (R4)
        self.helped: set[int] = set()  # lent reps who received a group while lent
        self.passed: dict[int, int] = {}  # R6/R7: turns already charged, by rep index
        self.pick: tuple[str, bool] = ("turn", False)  # how choose() picked, after a fallback
        self.woken: set[int] = set()
        self._phone_makeup: RepView | None = None
        # the rotation settings are frozen: read once, not on every decision (speed, issue 17)
        rotation = office.rotation
        self._standing_by = rotation.standing_by
        self._own_rep_wait = rotation.own_rep_wait_min
        self._important_to_experienced = rotation.important_to_experienced
        self._makeup_after_appointment = rotation.makeup_after_appointment

    # -- visitors ---------------------------------------------------------------------------
    def receives(self, group: GroupView, now: float) -> bool:
        """R12: a media open day receives no customers."""
        return self.office.day_type != "media"

    def choose(self, group: GroupView, now: float) -> RepView | None:
        """The own rep (R6, R7), a make-up turn, the visit order, then lent reps (R4)."""
        self._rebalance()
        fallback = False
        if group.owner >= 0:
            owner = self.office.reps[group.owner]
            if owner.available:
                self.pick = ("own", False)
                return owner
            deadline = group.at_desk + self._own_rep_wait
            if owner.on_duty and now < deadline:  # busy: the group waits for them a while
                if group.gid not in self.woken:
                    self.woken.add(group.gid)
                    self.office.wake(deadline)
                return None
            fallback = True
        rep, how = self._rotation_pick(self._fits(group))
        if rep is not None:
            self.pick = (how, fallback)  # the desk assigns a returned rep at once
        return rep

    def _fits(self, group: GroupView) -> Fits:
        """V2: only experienced reps for an important group, when the scenario says so."""
        if (
            group.important and self._important_to_experienced
            and experienced_on_duty(self.office)
        ):  # fmt: skip
            return _experienced
        return _anyone

    def _rotation_pick(self, fits: Fits) -> tuple[RepView | None, str]:
        for owed in self.owed:
            if owed.available and fits(owed):
                return owed, "makeup"
        on_turn = self._next_in_order(self.visit_order, fits)
        if on_turn is not None:
            return on_turn, "turn"
        for rep in self.lent:
            if rep.available and fits(rep):
                return rep, "lent"
        return None, ""

    def _next_in_order(self, order: list[RepView], fits: Fits = _anyone) -> RepView | None:
        """The first free rep of ``order``; a rep whose turn was already charged (R6, R7) is
        passed over once (to the back) before the order goes on."""
        passed = self.passed
        while True:
            rep = _first_free(order, fits)
            if rep is None or not passed or not passed.get(rep.index):
                return rep
            passed[rep.index] -= 1
            _to_back(order, rep)

    def on_assigned(self, group: GroupView, rep: RepView, now: float) -> None:
        """Keep the books: turns, skips, make-ups (R4a, R6, R7), then the stand-by (R4)."""
        how, fallback = self.pick
        self.woken.discard(group.gid)
        if how == "own":
            self._own_rep_served(group, rep)
        elif how == "makeup":
            self.owed.remove(rep)
            self.office.use_makeup(rep)
        elif how == "lent":
            self.office.grant_turn(rep)
            self.helped.add(rep.index)
        else:
            self.office.grant_turn(rep)
            _to_back(self.visit_order, rep)
        if fallback:
            self.office.record_fallback()
            self._grant_makeup(rep)
        if group.source == APPOINTMENT and self._makeup_after_appointment:
            self._grant_makeup(rep)  # R4a
        self._rebalance()

    def _own_rep_served(self, group: GroupView, rep: RepView) -> None:
        """R6: the reception is the own rep's turn of this round; R7: a named rep not on turn
        loses their next turn (轮空); R4a: a booking's own rep is outside the rotation."""
        if group.source == APPOINTMENT:
            return  # R4a: the booking takes no turn and charges no skip (the make-up follows)
        order = self.phone_order if rep in self.phone_order else self.visit_order
        on_turn = self._on_turn(order, rep)
        if group.designated and not on_turn:
            self.office.skip_turn(rep)  # R7: 轮空
        else:
            self.office.grant_turn(rep)  # R6 (or a named rep on turn anyway): the turn is used
        if on_turn:
            _to_back(order, rep)
        else:  # the round's turn is spent: passed over when the order next reaches the rep
            self.passed[rep.index] = self.passed.get(rep.index, 0) + 1

    def _on_turn(self, order: list[RepView], rep: RepView) -> bool:
        """Whether ``rep`` (now busy with the group) is the one the order would pick now."""
        pick = (r for r in order if (r.available or r is rep) and not self.passed.get(r.index))
        return next(pick, None) is rep

    def _grant_makeup(self, rep: RepView) -> None:
        self.office.grant_makeup(rep)
        (self.owed_phone if rep in self.phone_order else self.owed).append(rep)

    def on_released(self, rep: RepView, group: GroupView, now: float) -> None:
        """A rep is free again: maybe a lent rep can go back to the phones."""
        self._rebalance()

    def on_lost(self, group: GroupView, now: float) -> None:
        """Forget a group that left."""
        self.woken.discard(group.gid)

    # -- R4, R8, R9: the stand-by and lending ----------------------------------------------
    def _rebalance(self) -> None:
        # runs on every decision: plain loops, the usual cases first (speed, issue 17)
        standing_by = self._standing_by
        own_free = 0
        if not self.lent:  # the usual case: done once enough stand by (as below, sooner)
            enough = standing_by or 1
            for rep in self.visit_order:
                if rep.available:
                    own_free += 1
                    if own_free >= enough:
                        return
        else:
            for rep in self.visit_order:
                if rep.available:
                    own_free += 1
        if own_free:
            if own_free >= standing_by:  # enough stand by: free lent reps go back
                for rep in self.lent:
                    if rep.available:  # someone to give back (a plain check first: speed)
                        self._give_back_free()
                        break
                return
            visit_on_duty, need = True, standing_by
        else:
            visit_on_duty = False
            for rep in self.visit_order:  # any() over a generator, as a plain loop (speed)
                if rep.on_duty:
                    visit_on_duty = True
                    break
            # R1 以满足接访为第一原则: with no visit rep on duty at all, the phone group lends
            # one even where the scenario keeps nobody standing by (standing_by: 0)
            need = standing_by if visit_on_duty else max(standing_by, 1)
            if need == 0:
                if self.lent:
                    self._give_back_free()
                return
        lent_free = 0
        for rep in self.lent:
            if rep.available:
                lent_free += 1
        # R3 接电组确保来电接听: one phone rep always stays, unless no visit rep is on duty at
        # all (R1: then the visitors come first)
        keep = 1 if visit_on_duty else 0
        while own_free + lent_free < need:
            lender = _lender(self.support_order, self.lent, keep)
            if lender is None:
                return
            _to_back(self.support_order, lender)  # R9: in turn, used or not
            self.lent.append(lender)
            self.office.lend(lender)
            lent_free += 1  # the lender is free: lent as a free phone rep

    def _give_back_free(self) -> None:
        """Enough visit reps stand by: every free lent rep goes back to the phones."""
        for rep in [r for r in self.lent if r.available]:
            self._give_back(rep)

    def _give_back(self, rep: RepView) -> None:
        self.lent.remove(rep)
        if rep.index in self.helped:  # R8: helped the desk, so a make-up phone turn
            self.helped.discard(rep.index)
            self.owed_phone.append(rep)
            self.office.grant_phone_makeup(rep)

    # -- R10: phone turns ------------------------------------------------------------------
    def choose_phone_rep(self, call: CallView, now: float) -> RepView | None:
        """A make-up phone turn first (R8), then the phone order, then an idle lent rep (R3:
        the phone group answers its calls wherever it stands), then a visit rep if allowed."""
        if not self.phone_order:
            return super().choose_phone_rep(call, now)
        self._phone_makeup = None
        owed = next((r for r in self.owed_phone if r.available and r not in self.lent), None)
        if owed is not None:
            self._phone_makeup = owed
            return owed
        pick = self._next_in_order(self.phone_order, self._not_lent)
        if pick is None:
            pick = next((r for r in self.lent if r.available), None)  # R3: an idle lent rep
        if pick is not None:
            return pick
        if self.office.visit_reps_answer_calls:
            return next((r for r in self.visit_order if r.available), None)
        return None

    def _not_lent(self, rep: RepView) -> bool:
        return rep not in self.lent

    def on_call_answered(self, rep: RepView, now: float) -> None:
        """R10: one answered call, one phone turn."""
        if rep is self._phone_makeup:
            self.owed_phone.remove(rep)
            self.office.use_makeup(rep)
        elif rep in self.phone_order:
            _to_back(self.phone_order, rep)
        self._phone_makeup = None
        self._rebalance()


def _first_free(order: list[RepView], fits: Fits) -> RepView | None:
    """The first free rep of ``order`` that ``fits``."""
    if fits is _anyone:
        for rep in order:
            if rep.available:
                return rep
        return None
    for rep in order:
        if rep.available and fits(rep):
            return rep
    return None

