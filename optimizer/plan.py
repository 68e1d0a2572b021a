"""Result models: the Plan a day or week solve returns, and its JSON schema (stable, versioned).

JSON layout (``Plan.model_dump_json``), schema version 1.1 (1.1 added ``rules.met_tolerance`` and
``rules.max_protein_items_per_meal``; a version 1 plan reads as 1.1 with their defaults)::

    {schema_version, kind: "day"|"week", profile_id, created_with, disclaimer,
     red_flags: [{id, message, advice}], triage: TriageResult | null, targets: Targets,
     rules: PlanRules,
     days: [{index, energy_kcal, macros_pct: {protein, fat, carbohydrate},
             slots: [{name, energy_kcal, items: [{food_id, name, category, grams, servings,
                                                  serving_name, serving_g, household}]}],
             totals: {nutrient: NutrientTotal}}],
     week_totals: {nutrient: NutrientTotal} | null,   # daily average over the week
     shortfalls: [Shortfall], solve: SolveInfo, food_sources: [str], cost: float | null}
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mealplan.optimizer.status import SolveStatus
from mealplan.optimizer.targets import Targets
from mealplan.triage import RedFlag, TriageResult

SCHEMA_VERSION = "1.1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanItem(_Model):
    """One food in one meal slot."""

    food_id: str
    name: str
    category: str
    grams: float
    servings: float = Field(description="number of default servings")
    serving_name: str = Field(description='household measure of one serving, e.g. "1 medium"')
    serving_g: float
    household: str = Field(description='portion in words, e.g. "1½ × 1 medium (177 g)"')
    cost: float | None = None


class SlotPlan(_Model):
    """One meal slot of a day."""

    name: str
    energy_kcal: float
    items: list[PlanItem]


class NutrientTotal(_Model):
    """A nutrient's total for a day (or the week's daily average) against its target."""

    nutrient: str
    unit: str
    amount: float
    min: float | None = None
    max: float | None = None
    pct_of_min: float | None = None
    met: bool = True
    unknown_items: int = Field(0, description="items whose food has no value for this nutrient (counted 0)")


class DayPlan(_Model):
    """One day: slots with items, totals for every targeted nutrient."""

    index: int
    energy_kcal: float
    macros_pct: dict[str, float]
    slots: list[SlotPlan]
    totals: dict[str, NutrientTotal]


class FoodSuggestion(_Model):
    """A food that would help close a shortfall, and the rule that keeps it out."""

    food_id: str
    name: str
    per_serving: float
    blocked_by: str


class Shortfall(_Model):
    """A target the plan does not reach, with why and what would close it."""

    nutrient: str
    name: str
    unit: str
    scope: str = Field(description='"day 3" or "week average"')
    target: float
    achieved: float
    short_by: float
    pct_of_target: float
    causes: list[str]
    would_close: list[FoodSuggestion] = []


class SolveInfo(_Model):
    """How the plan was solved."""

    solver: str
    status: SolveStatus
    gap: float | None = None
    objective: float | None = None
    build_seconds: float
    solve_seconds: float
    total_seconds: float
    variables: int
    constraints: int
    candidates: int = 0
    notes: list[str] = []


class SlotRule(_Model):
    """Structure rules of one meal slot."""

    name: str
    min_items: int
    max_items: int
    energy_share: tuple[float, float]
    needs_protein: bool = False
    needs_produce: bool = False
    needs_one_of: list[str] = Field([], description="at least one item from these categories")


class PlanRules(_Model):
    """Every rule the plan was built under, recorded so verification can check them independently."""

    diet: str
    allergies: list[str]
    exclude: list[str]
    dislikes: list[str]
    likes: list[str]
    slots: list[SlotRule]
    group_max_g: dict[str, float]
    group_min_g: dict[str, float]
    min_portion_servings: float
    portion_step_servings: float
    min_distinct_foods_per_day: int
    max_days_per_food: int
    protein_categories: list[str]
    produce_categories: list[str]
    side_categories: list[str] = Field(
        [],
        description="accompaniments (oils, condiments, drinks): not counted toward min_items or distinct foods",
    )
    one_per_family: bool = Field(
        True, description="at most one food a day per family (the name's first part: 'Soymilk', 'Coffee')"
    )
    weekly_nutrients: list[str]
    energy_min: float
    energy_max: float
    amdr: dict[str, tuple[float, float]]
    budget: float | None = None
    objective: Literal["shortfall", "cost"] = "shortfall"
    max_protein_items_per_meal: int | None = Field(
        None, ge=1, description="at most this many protein foods (protein_categories) in one meal; None: no limit"
    )
    met_tolerance: float = Field(
        0.001,
        ge=0,
        lt=0.05,
        description="a minimum counts as met within this fraction of it (the solver's optimality tolerance)",
    )


class Plan(_Model):
    """A day or week meal plan with totals, shortfalls and solve information."""

    schema_version: str = SCHEMA_VERSION
    kind: Literal["day", "week"]
    profile_id: str
    created_with: str
    disclaimer: str
    red_flags: list[RedFlag]
    triage: TriageResult | None
    targets: Targets
    rules: PlanRules
    days: list[DayPlan]
    week_totals: dict[str, NutrientTotal] | None = None
    shortfalls: list[Shortfall]
    solve: SolveInfo
    food_sources: list[str]
    cost: float | None = None
