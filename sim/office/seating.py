"""F6 seating as a component: the VIP rooms (asked for by important and appointment groups and
serious buyers, waited for up to a limit, prepared by the butler during the sandbox talk and
cleared after) and the negotiation tables, with the VIP-room KPIs of the day."""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any

import simpy

from sim.core.quick_process import QuickProcess
from sim.office.components import DayComponent
from sim.office.kpis import mean_or_nan, p90, ratio
from sim.office.pools import CountPool, ItemPool
from sim.office.reception import Reception
from sim.office.recorder import Recorder
from sim.office.visitors import Group
from sim.scenario.schema import Scenario


class Seat:
    """Where a group negotiates: a VIP room (its number) or a table (``table``: one of the
    limited tables taken, to give back). A plain class, not a frozen dataclass: one is made
    per negotiating group, and a frozen dataclass sets each field through
    ``object.__setattr__`` (speed, issue 17)."""

    __slots__ = ("room", "table")

    def __init__(self, room: int | None, table: bool) -> None:
        self.room = room
        self.table = table


class Seating(DayComponent):
    """VIP rooms and negotiation tables."""

    report_order = 11

    def __init__(
        self, env: simpy.Environment, scenario: Scenario, reception: Reception | None,
        recorder: Recorder,
    ) -> None:  # fmt: skip
        self.env = env
        self.vip = scenario.vip_rooms
        self.open = scenario.day.open
        self.reception = reception
        self.recorder = recorder
        self.rooms = ItemPool(env, list(range(self.vip.count)))
        self.tables = CountPool(env, scenario.tables) if scenario.tables else None

    def take(self, g: Group) -> Generator[simpy.Event, Any, Seat]:
        """A VIP room if the group asks for one and gets it in time (the butler readies it),
        else a table (waiting for one if tables are limited)."""
        g.seat_request = self.env._now
        room = (yield from self._vip_room(g)) if g.asks_vip else None
        table = False
        if room is None:
            g.seat = "table"
            if self.tables is not None:
                table = True
                g.waiting_for = "a negotiation table (F6)"
                if not self.tables.take():
                    yield self.tables.wait()
        elif isinstance(g.prepared, simpy.Event):
            g.waiting_for = "the butler's room preparation (G1)"
            yield g.prepared  # begun during the sandbox talk: usually done by now
        elif self.reception is not None:
            yield from self.reception.prepare_room()  # G1 readies the room first
        g.seat_start = self.env._now
        return Seat(room, table)

    @property
    def has_rooms(self) -> bool:
        """Whether the office has VIP rooms at all."""
        return self.vip.count > 0

    def prepare_early(self) -> simpy.Event | None:
        """G1, seed 003: X1 asks the butler during the sandbox talk ("VIP几,已经做好接待准备"),
        so the room's preparation starts then, not when the group asks for its seat. The
        process ends when the room is ready; ``None`` when no post prepares rooms."""
        if self.reception is None or not self.reception.prepares_rooms:
            return None
        return QuickProcess(self.env, self.reception.prepare_room())

    def give_back(self, g: Group, seat: Seat) -> None:
        """The group stands up: the room is cleared (by the butler, if any) and given back;
        the table is free at once."""
        if seat.room is not None:
            self._return_room(seat.room, g)
        if seat.table and self.tables is not None:
            self.tables.release()

    def _return_room(self, room: int, g: Group) -> None:
        self.recorder.room_use(room, g, g.seat_start, self.env._now)
        if self.reception is None:
            self.rooms.put(room)
            return
        self.reception.clear_room(partial(self.rooms.put, room))

    def _vip_room(self, g: Group) -> Generator[simpy.Event, Any, int | None]:
        vip = self.vip
        if vip.count == 0 or (vip.when_full == "table" and not self.rooms.items):
            return None
        g.waiting_for = "a VIP room (F6)"
        room = self.rooms.take()
        if room is None:
            get = self.rooms.wait()
            if vip.max_wait_min is None:
                room = yield get
            else:
                yield get | self.env.timeout(vip.max_wait_min)
                if not get.triggered:
                    self.rooms.cancel(get)
                    return None
                room = get.value
        g.seat = "vip"
        return room

    def kpis(self, end: float) -> dict[str, float]:
        """VIP-room requests, waits, groups seated at a table instead, and occupancy."""
        acc = self.recorder.acc
        span = end - self.open  # occupancy over the day, from opening
        return {
            "vip_requests": float(len(acc.vip_wait)),
            "vip_wait_mean": mean_or_nan(acc.vip_wait),
            "vip_wait_p90": p90(acc.vip_wait),
            "vip_to_table_share": ratio(acc.vip_to_table, len(acc.vip_wait)),
            "vip_occupancy": ratio(acc.room_busy, self.vip.count * span),
        }
