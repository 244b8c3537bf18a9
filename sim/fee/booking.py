"""The rate card's ``booking:`` block (issue 19 item 2): how event staff are booked and the
price per unit per post. A scenario's ``event.booking`` wins field by field; the prices are
the card's. A post without a price here is priced by its ``event_rate`` when that rate's
``per`` is the booking unit (hour or day); otherwise the fee plan names the missing price."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, field_validator

from sim.core.schema import NoBool, TypeDoc
from sim.fee.card_sections import known_post
from sim.scenario.event_booking import BookingTerms

UnitPrice = Annotated[
    Decimal, NoBool, Field(gt=0, decimal_places=2, allow_inf_nan=False),
    TypeDoc("元", "greater than 0, to the fen (at most 2 decimals)"),
]  # fmt: skip


class CardBooking(BookingTerms):
    """Booking terms of the rate card, with 元 per booking unit per post."""

    prices: Annotated[
        dict[str, UnitPrice], TypeDoc("mapping post: 元", "post ids; 元 per unit (hour, half "
                                      "day or day) greater than 0, to the fen"),
    ] = Field(default_factory=dict, description="元 per booking unit per post (e.g. "
              "{security: 320} per day)")  # fmt: skip

    @field_validator("prices")
    @classmethod
    def _known(cls, prices: dict[str, Decimal]) -> dict[str, Decimal]:
        for post in prices:
            known_post(post, loc=(post,))
        return prices

    def terms(self) -> BookingTerms:
        """The terms without the prices."""
        return BookingTerms().model_copy(
            update={k: getattr(self, k) for k in self.model_fields_set if k != "prices"})
