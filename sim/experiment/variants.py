"""Scenario variants for a comparison: policies × a grid of changed scenario fields.

``--vary vip_rooms.count=2,3,4`` names a dotted field path and the values to try; values are
read as YAML scalars (``8`` an int, ``0.5`` a float, ``wait`` a string, ``"13:00"`` stays a
clock string). Several ``--vary`` options make a full grid, crossed with the policies. Each
variant is validated like a scenario file (:func:`sim.scenario.loader.derive`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from sim.scenario.loader import ScenarioYamlLoader, derive
from sim.scenario.schema import Scenario


class VaryError(ValueError):
    """A ``--vary`` specification that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Vary:
    """One field to vary and the values to try (``texts`` as written, for labels)."""

    path: str
    values: tuple[Any, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """One labelled scenario variant to run."""

    label: str
    scenario: Scenario
    policy: str
    changes: dict[str, Any] = field(default_factory=dict)


def _scalar(text: str) -> Any:
    try:
        value = yaml.load(text, Loader=ScenarioYamlLoader)  # a SafeLoader subclass
    except yaml.YAMLError:
        raise VaryError(f"cannot read the value '{text}'") from None
    if isinstance(value, dict | list):
        raise VaryError(f"'{text}': give plain values (numbers or words), not lists or maps")
    return value


def parse_vary(spec: str) -> Vary:
    """``field.path=v1,v2,...`` → :class:`Vary`."""
    path, sep, rest = spec.partition("=")
    path = path.strip()
    if not sep or not path or not rest.strip():
        raise VaryError(f"--vary '{spec}': write FIELD=VALUE1,VALUE2,... (e.g. reps=8,10,12)")
    texts = tuple(t.strip() for t in rest.split(","))
    if any(not t for t in texts):
        raise VaryError(f"--vary '{spec}': an empty value between commas")
    if len(set(texts)) != len(texts):
        raise VaryError(f"--vary '{spec}': a value is given twice")
    try:
        values = tuple(_scalar(t) for t in texts)
    except VaryError as exc:
        raise VaryError(f"--vary '{spec}': {exc}") from None
    return Vary(path, values, texts)


def _label(policy: str, show_policy: bool, combo: Sequence[tuple[Vary, int]]) -> str:
    parts = [policy] if show_policy else []
    parts += [f"{v.path}={v.texts[i]}" for v, i in combo]
    return " · ".join(parts)


def build_variants(
    scenario: Scenario, policies: Sequence[str] = (), varies: Sequence[Vary] = ()
) -> list[Variant]:
    """Every policy crossed with every combination of the varied values, the first first.

    Raises :class:`VaryError` for repeated policies or fields, and
    :class:`sim.scenario.ScenarioError` when a variant is not a valid scenario.
    """
    chosen = list(policies) or [scenario.policy]
    if len(set(chosen)) != len(chosen):
        raise VaryError(f"--policy: a policy is given twice ({', '.join(chosen)})")
    paths = [v.path for v in varies]
    if len(set(paths)) != len(paths):
        raise VaryError(f"--vary: a field is varied twice ({', '.join(paths)})")
    show_policy = len(chosen) > 1 or not varies
    grid = list(itertools.product(*[[(v, i) for i in range(len(v.values))] for v in varies]))
    variants = []
    for policy in chosen:
        for combo in grid:
            changes = {v.path: v.values[i] for v, i in combo}
            label = _label(policy, show_policy, combo)
            sc = derive(scenario, changes, source=f"--vary {label}") if changes else scenario
            variants.append(Variant(label, sc, policy, changes))
    return variants
