"""Money and head rounding rules of the fee plan.

- Money is :class:`~decimal.Decimal` in 元, rounded to the fen (0.01 元) with ROUND_HALF_UP
  at every step of the cost build-up that multiplies by a rate (as a build-up sheet shows each
  line to the fen); sums of rounded amounts are exact.
- Heads are whole people, worked out from hours in :mod:`sim.fee.heads`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
HUNDRED = Decimal(100)

ZERO = Decimal(0)
SIXTY = Decimal(60)  # minutes an hour



def fen(amount: Decimal) -> Decimal:
    """``amount`` rounded to the fen, halves away from zero (ROUND_HALF_UP)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def pct_of(amount: Decimal, pct: Decimal) -> Decimal:
    """``pct`` percent of ``amount``, to the fen."""
    return fen(amount * pct / HUNDRED)


def yuan(amount: Decimal) -> str:
    """``12,345.60``: an amount with thousands separators and two decimals."""
    return f"{amount:,.2f}"
