"""Rotation policies, found by name.

Adding a policy means adding one module in this package, named after the policy, that defines
a :class:`RotationPolicy` subclass with that ``name`` (``round_robin.py`` defines the policy
``round_robin``); it is discovered automatically. The names are the modules' names, so listing
them imports no policy, and a policy's module is imported when the policy is first asked for
(a day under one policy does not load the others: memory, issue 17 item 5).

A policy sees the office only through the read-only views of :mod:`sim.policies.view`:
:class:`~sim.policies.view.OfficeView` (the reps, the day type, today's phone team, the
``rotation:`` settings, the clock, the policy's own random stream, the office-wide turn counts)
and the rep, group and call views the desk passes to its hooks. It changes nothing by
assignment: a turn taken or skipped, a make-up owed or used, a loan, a hold, a wake-up or a
grabbing incident is a call on the office view, named after its rule. This package imports
only :mod:`sim.domain` and :mod:`sim.core`; the office implements the view.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from sim.core.schema import closest
from sim.policies.base import PolicyError, RotationPolicy

_NOT_POLICIES = ("base", "view")  # the interface modules


class UnknownPolicyError(KeyError):
    """No policy has this name; the message lists the known ones and the closest."""

    def __str__(self) -> str:
        return str(self.args[0])


@cache
def _names() -> tuple[str, ...]:
    """The policy names: the modules of this package but the private and interface ones."""
    found = {info.name for info in pkgutil.iter_modules(__path__)}
    return tuple(sorted(n for n in found if not n.startswith("_") and n not in _NOT_POLICIES))


@cache
def _load(name: str) -> type[RotationPolicy]:
    """The policy ``name`` from its module, which must define exactly one class by that name."""
    module = importlib.import_module(f"{__name__}.{name}")
    named = {
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, RotationPolicy) and obj.name == name
    }
    if len(named) != 1:
        raise RuntimeError(
            f"policy module {module.__name__} must define one RotationPolicy named '{name}' "
            f"(found {len(named)})"
        )
    return named.pop()


def known_policies() -> list[str]:
    """The names of every registered policy, sorted."""
    return list(_names())


def policy_class(name: str) -> type[RotationPolicy]:
    """The policy class registered under ``name``; an unknown name lists the known ones."""
    if name not in _names():
        hint = closest(name, known_policies())
        did = f" (did you mean '{hint}'?)" if hint else ""
        raise UnknownPolicyError(
            f"unknown policy '{name}'{did}; known policies: {', '.join(known_policies())}"
        )
    return _load(name)


__all__ = ["PolicyError", "RotationPolicy", "UnknownPolicyError", "known_policies", "policy_class"]
