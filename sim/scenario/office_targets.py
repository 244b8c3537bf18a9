"""The ``office_sizing:`` section: service targets of a normal office day for ``salesim size``.

An office scenario (no ``event:``) states what "service holds" means — the share of groups
lost, the P90 wait for a rep, calls answered within the ring target (P1), the wait for a VIP
room, each post's response target — and how surely: on a share of simulated days with every
target met on the same day (``share_of_days``), or by the one-sided upper confidence bound of
each target's mean (``upper_ci_mean``). docs/office-sizing.md explains the search.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from sim.core.schema import FieldError, NoBool, StrictModel, did_you_mean

POST_TARGET_METRIC = "over_target"
"""Each post's target is on ``post.<post>.over_target``: the share of its responses slower than
the post's own ``target_response_min``."""


def office_kpi_keys() -> tuple[str, ...]:
    """The fixed office KPI keys a target may name (per-post keys ``post.<post>.<metric>`` too)."""
    from sim.domain.kpis import fixed_kpis  # the catalogue only when a target is checked

    return tuple(k.key for k in fixed_kpis())


class OfficeTargetSpec(StrictModel):
    """A target, e.g. {kpi: lost_share, op: '<=', value: 0.03}; shares are fractions."""

    kpi: Annotated[str, Field(min_length=1)] = Field(
        description="an office KPI key (`salesim run --json` lists them), or post.<post>.<metric>"
    )
    op: Literal["<=", ">="] = Field("<=", description="'<=' or '>='")
    value: Annotated[float, NoBool, Field(allow_inf_nan=False)] = Field(
        description="the target value, in the KPI's unit (minutes; shares as 0.03 for 3%)"
    )

    @field_validator("kpi")
    @classmethod
    def _known(cls, key: str) -> str:
        from sim.domain.kpis import describe_kpi  # the catalogue only when a target is checked

        try:
            describe_kpi(key)
        except KeyError:
            keys = office_kpi_keys()
            raise FieldError(f"unknown office KPI{did_you_mean(key, keys)}", value=key) from None
        return key


class OfficeSizing(StrictModel):
    """Targets for ``salesim size`` on a normal office day and how surely they must hold."""

    mode: Literal["share_of_days", "upper_ci_mean"] = Field(
        "share_of_days",
        description="'share_of_days': every target met on the same day on at least "
        "`confidence` of days (joint); 'upper_ci_mean': the one-sided `confidence` bound of "
        "each target's mean meets it",
    )
    confidence: Annotated[float, NoBool, Field(gt=0.5, lt=1)] = Field(
        0.9, description="share of days, or confidence level"
    )
    targets: tuple[OfficeTargetSpec, ...] = Field(
        (), description="the targets (list of {kpi, op, value})"
    )
    post_over_target_max: Annotated[float, NoBool, Field(ge=0, le=1)] | None = Field(
        None,
        description="each staffed post: share of responses over its target_response_min at "
        "most this (a target on post.<post>.over_target); null = no post targets",
    )
    max_added: Annotated[int, NoBool, Field(ge=0, le=200)] = Field(
        30, description="the search adds at most this many people or rooms to the scenario's plan"
    )
