"""Money and head rounding rules of the fee plan.

- Money is :class:`~decimal.Decimal` in 元, rounded to the fen (0.01 元) with ROUND_HALF_UP
  at every step of the cost build-up that multiplies by a rate (as a build-up sheet shows each
  line to the fen); sums of rounded amounts are exact.
- Heads are whole people: ``heads = ceil(posts × relief factor)``, computed exactly in decimal
  (so 50 posts × 1.1 is 55 heads, never 56 through a binary rounding error).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
HUNDRED = Decimal(100)


def fen(amount: Decimal) -> Decimal:
    """``amount`` rounded to the fen, halves away from zero (ROUND_HALF_UP)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def pct_of(amount: Decimal, pct: Decimal) -> Decimal:
    """``pct`` percent of ``amount``, to the fen."""
    return fen(amount * pct / HUNDRED)


def heads_for(posts: int | Decimal, relief: Decimal) -> int:
    """Whole people to staff ``posts`` posts at ``relief`` heads per post: ceil(posts × relief)."""
    return int((Decimal(posts) * relief).to_integral_value(rounding=ROUND_CEILING))


def yuan(amount: Decimal) -> str:
    """``12,345.60``: an amount with thousands separators and two decimals."""
    return f"{amount:,.2f}"
