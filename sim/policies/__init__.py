"""Rotation policies, found by name.

Adding a policy means adding one module in this package that defines a
:class:`RotationPolicy` subclass with a unique ``name``; it is discovered automatically.

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
def _registry() -> dict[str, type[RotationPolicy]]:
    found: dict[str, type[RotationPolicy]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in _NOT_POLICIES:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, RotationPolicy) and obj.name:
                if obj.name in found and found[obj.name] is not obj:
                    raise RuntimeError(f"two policies are named '{obj.name}'")
                found[obj.name] = obj
    return found


def known_policies() -> list[str]:
    """The names of every registered policy, sorted."""
    return sorted(_registry())


def policy_class(name: str) -> type[RotationPolicy]:
    """The policy class registered under ``name``; an unknown name lists the known ones."""
    registry = _registry()
    if name not in registry:
        hint = closest(name, known_policies())
        did = f" (did you mean '{hint}'?)" if hint else ""
        raise UnknownPolicyError(
            f"unknown policy '{name}'{did}; known policies: {', '.join(known_policies())}"
        )
    return registry[name]


__all__ = ["PolicyError", "RotationPolicy", "UnknownPolicyError", "known_policies", "policy_class"]
