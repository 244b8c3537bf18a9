"""Closed-form queueing results (Erlang B and C, M/M/c waits) for validation and sizing.

Conventions: ``c`` servers (reps, VIP rooms), arrival rate ``lam`` and service rate ``mu`` per
unit of time (the simulator uses minutes), offered load ``a = lam / mu`` in Erlangs. Waits are
in the same time unit as ``1 / mu``. The queue discipline is FCFS with no abandonment.

For an unstable queue (``a >= c``) the functions do not raise: every arrival waits
(:func:`erlang_c` is 1), the mean wait is infinite, and any wait target is missed. That keeps
sizing loops simple; invalid inputs (negative rates, no servers) raise :class:`ValueError`.
"""

from __future__ import annotations

import math

__all__ = ["erlang_b", "erlang_c", "mmc_mean_wait", "mmc_wait_tail", "required_agents"]


def _check_servers(c: int, minimum: int) -> None:
    if isinstance(c, bool) or not isinstance(c, int) or c < minimum:
        raise ValueError(f"the number of servers must be an integer >= {minimum} (got {c!r})")


def _check_nonnegative(name: str, value: float) -> None:
    if not value >= 0 or math.isinf(value):  # also rejects nan
        raise ValueError(f"{name} must be finite and >= 0 (got {value!r})")


def _check_rates(lam: float, mu: float) -> None:
    _check_nonnegative("lam", lam)
    if not mu > 0 or math.isinf(mu):
        raise ValueError(f"mu must be finite and > 0 (got {mu!r})")


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of the Erlang loss system M/G/c/c with offered load ``a`` Erlangs.

    Uses the recursion ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``, which stays in
    ``[0, 1]`` and never forms ``a**c`` or ``c!`` (stable for thousands of servers). The result
    depends on the holding-time distribution only through its mean (insensitivity).
    """
    _check_servers(c, 0)
    _check_nonnegative("a", a)
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival must wait in M/M/c with offered load ``a`` Erlangs.

    ``C = c B / (c - a (1 - B))`` with ``B = erlang_b(c, a)``; 1.0 when ``a >= c`` (unstable).
    """
    _check_servers(c, 1)
    _check_nonnegative("a", a)
    if a >= c:
        return 1.0
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


def mmc_mean_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue ``Wq`` of M/M/c: ``C(c, a) / (c mu - lam)``; ``inf`` if unstable."""
    _check_servers(c, 1)
    _check_rates(lam, mu)
    if lam >= c * mu:
        return math.inf
    return erlang_c(c, lam / mu) / (c * mu - lam)


def mmc_wait_tail(c: int, lam: float, mu: float, t: float) -> float:
    """``P(Wq > t)`` in M/M/c: ``C(c, a) exp(-(c mu - lam) t)``; 1.0 if unstable or ``t < 0``.

    Given that it waits, an arrival's wait is exponential with rate ``c mu - lam``.
    """
    _check_servers(c, 1)
    _check_rates(lam, mu)
    if math.isnan(t):
        raise ValueError("t must be a number (got nan)")
    if t < 0 or lam >= c * mu:
        return 1.0
    return erlang_c(c, lam / mu) * math.exp(-(c * mu - lam) * t)


def required_agents(
    lam: float, mu: float, target_wait: float, service_level: float, limit: int = 100_000
) -> int:
    """The smallest ``c >= 1`` with ``P(Wq <= target_wait) >= service_level`` in M/M/c.

    ``service_level`` is a share in ``[0, 1)`` (e.g. 0.8 for "80 % served within the target");
    a level of 1 can only be met without arrivals. The queue is always required to be stable
    (``c > lam / mu``). Raises :class:`ValueError` if no ``c <= limit`` meets the target.
    """
    _check_rates(lam, mu)
    _check_nonnegative("target_wait", target_wait)
    if not 0 <= service_level <= 1:
        raise ValueError(f"service_level must be a share in [0, 1] (got {service_level!r})")
    a = lam / mu
    if lam == 0:
        return 1
    if service_level == 1:
        raise ValueError("a service level of 1 cannot be met when groups arrive (lam > 0)")
    b = 1.0  # erlang_b(c, a), updated incrementally: O(c) in all
    for c in range(1, limit + 1):
        b = a * b / (c + a * b)
        if c <= a:
            continue
        wait_prob = c * b / (c - a * (1.0 - b))
        if 1.0 - wait_prob * math.exp(-(c * mu - lam) * target_wait) >= service_level:
            return c
    raise ValueError(f"no c <= {limit} meets the target (offered load {a:.4g} Erlangs)")
