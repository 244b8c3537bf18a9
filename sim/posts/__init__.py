"""Service post kinds (岗位类型) as plug-ins, and the staffed-post mechanics they share.

Layer: just above :mod:`sim.core`, below everything that names a post (the domain's KPI
catalogue, the scenario's ``staffing:`` section, the office day, the fee plan). A kind is one
module in :mod:`sim.posts.kinds` defining ``KIND`` (:class:`~sim.posts.kind.PostKind`);
:func:`kinds` finds them all, in journey order. Adding a kind edits no other module.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from sim.posts import kinds as _kinds_package
from sim.posts.kind import PostBehaviour, PostKind, PostSpec


@cache
def kinds() -> tuple[PostKind, ...]:
    """Every post kind, in journey order (:attr:`PostKind.order`, then key)."""
    found: dict[str, PostKind] = {}
    for info in pkgutil.iter_modules(_kinds_package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{_kinds_package.__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if not isinstance(kind, PostKind):
            raise RuntimeError(f"post kind module {module.__name__} defines no KIND (a PostKind)")
        if kind.key in found:
            raise RuntimeError(f"two post kinds have the key '{kind.key}'")
        found[kind.key] = kind
    return tuple(sorted(found.values(), key=lambda k: (k.order, k.key)))


def post_keys() -> tuple[str, ...]:
    """The keys of every post kind, in journey order."""
    return tuple(k.key for k in kinds())


def kind_of(key: str) -> PostKind | None:
    """The kind with this key, if there is one."""
    return next((k for k in kinds() if k.key == key), None)


__all__ = ["PostBehaviour", "PostKind", "PostSpec", "kind_of", "kinds", "post_keys"]
