"""The strict, frozen pydantic base that every scenario section derives from."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate that best matches ``name`` (for 'did you mean' hints), if any is close."""
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return found[0] if found else None


class StrictModel(BaseModel):
    """Immutable; unknown keys are rejected with the closest valid name."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        known = {f.alias or name for name, f in cls.model_fields.items()} | set(cls.model_fields)
        for key in data:
            if key not in known:
                valid = sorted(f.alias or n for n, f in cls.model_fields.items())
                hint = closest(str(key), valid)
                did_you_mean = f"did you mean '{hint}'? " if hint else ""
                raise PydanticCustomError(
                    "unknown_key",
                    "unknown key '{key}': {hint}valid keys here are {valid}",
                    {"key": key, "hint": did_you_mean, "valid": ", ".join(valid)},
                )
        return data
