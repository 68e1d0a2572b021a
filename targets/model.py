"""The targets of one person: each nutrient's daily minimum and maximum with where each bound comes
from, the energy requirement and range, and what the plan must tell the person. Computed by
:func:`mealplan.targets.compute.compute_targets`; recorded in every plan.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

# A goal stays at least 5 % below the day's maximum: a minimum raised for a suspected shortfall, and a
# weekly nutrient's goal for one day. (The maximum itself keeps its margin below the UL: target_rules.yaml.)
GOAL_CEILING = 0.95


class Target(BaseModel):
    """One nutrient's daily target with the provenance of each bound."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nutrient: str
    name: str
    unit: str
    min: float | None
    max: float | None
    min_source: str
    max_source: str
    priority: float
    weekly: bool
    suspected: bool
    ul: float | None = None  # the upper limit that applies to food (UL, not CDRR), for the plan's %UL
    soft_max: float | None = None  # above this (far above the target) the day model pays a little

    @model_validator(mode="after")
    def _ordered(self) -> Target:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"{self.nutrient}: min {self.min:g} is above max {self.max:g}")
        return self


class Targets(BaseModel):
    """All daily targets of one profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile_id: str
    life_stage: str
    energy_kcal: float
    energy_min: float
    energy_max: float
    energy_source: str
    amdr: dict[str, tuple[float, float]]
    items: dict[str, Target]
    energy_goal_min: float | None = None  # the +-5 % aim inside the hard range (None in older plans)
    energy_goal_max: float | None = None
    appetite: Literal["normal", "poor"] = "normal"
    appetite_source: str = ""
    food_mass_max_g: float | None = None  # grams of food and drink a day (poor appetite)
    food_mass_source: str = ""
    notes: list[str] = []  # what the plan must tell the person (medicines, B12 from fortified foods)
