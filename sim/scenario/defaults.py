"""Default section values built without a validator of their own (memory, issue 17 item 5).

A default written ``default_factory=lambda: Targets()`` validates ``{}`` with the section's own
validator, which pydantic builds on first use (the models defer their build) next to the copy
that the whole :class:`~sim.scenario.schema.Scenario` validator already holds: one more
validator, serializer and core schema per defaulted section, kept for the life of the process.
A default is a constant written in the code, so it is constructed instead
(``model_construct``: no validation, nothing built); the values are written as the validator
would leave them (floats for float fields). tests/test_scenario_defaults.py checks that every
such default equals the same values validated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def constant(model: type[M], **values: Any) -> Callable[[], M]:
    """A ``default_factory`` giving ``model(**values)`` without building ``model``'s validator.

    ``values`` are field names (not aliases) with their validated values, e.g.
    ``constant(Fixed, dist="fixed", value=2.0)``.
    """

    def factory() -> M:
        return model.model_construct(**values)

    factory.__qualname__ = f"constant({model.__name__})"
    return factory
