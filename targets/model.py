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
    """All daily targets of one profile.

    Besides the daily bounds on nutrients (``items``), some rules hold per meal, per day for a kind
    of food or per week; the day model enforces them (each with its source, printed by ``mealplan
    targets``). Every one has a default that changes nothing, so older plans load as they were:

    - ``meal_max``: nutrient id -> at most this much at one meal or snack (lactose 12 g with lactose
      intolerance); ``meal_max_source`` the reason per nutrient. Lactose per food:
      :func:`mealplan.food_data.lactose.lactose_per_100g` (the bundled table has no lactose column).
    - ``meal_mass_max_g``: grams of food (drinks apart) at one meal or snack (bariatric surgery);
      ``meal_mass_source``.
    - ``drinks_with_meals``: False when drinks go between meals, never beside food at a meal
      (bariatric surgery); ``drinks_source``.
    - ``daily_max_g``: food kind -> grams a day at most (children: ``milk`` by age, ``juice`` by
      age); ``weekly_max_g``: kind -> grams a week at most (``seafood``: pregnancy and breastfeeding
      340, children by age); ``weekly_min_g``: kind -> grams a week to aim for, a soft goal that
      yields to the diet and allergies (``seafood`` 227 in pregnancy). The kinds are defined in
      ``food_data/data/clinical_rules.yaml`` (``food_data.clinical_rules.kind_mask``); the sources
      are in ``food_kind_source`` keyed ``daily:milk``, ``weekly:seafood``, ``weekly_min:seafood``.
    - ``portion_scale``: household portions (servings and per-food caps) are scaled by this for a
      child (0.5 under 4); ``portion_source``.
    - ``hot_drinks_allowed``: the hot-drink kinds that may be served (``coffee``, ``tea``,
      ``decaf``, ``herbal tea``); None: no restriction (adults who gave no habit); [] none (children);
      ``hot_drinks_source``.
    - ``fluid_max_ml``: drinks (beverages and milk drinks) in ml a day at most (dialysis: the renal
      team's fluid limit); ``fluid_source``.
    - ``amdr_source``: macro -> why its range differs from the AMDR (kidney disease's protein limit).
    - ``supplements``: nutrient or UL column -> amount a day already taken as supplements (counted
      against the upper limits here; food maxima are already reduced by it).
    - ``conditions``: the clinical rules applied (``ckd 3b``, ``bariatric``, ``warfarin``, ``child``,
      ``lactose intolerance``...), for reports.
    Daily bands (vitamin K with warfarin) are ``min``/``max`` on the target itself.
    """

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
    meal_max: dict[str, float] = {}
    meal_max_source: dict[str, str] = {}
    meal_mass_max_g: float | None = None
    meal_mass_source: str = ""
    drinks_with_meals: bool = True
    drinks_source: str = ""
    daily_max_g: dict[str, float] = {}
    weekly_max_g: dict[str, float] = {}
    weekly_min_g: dict[str, float] = {}
    food_kind_source: dict[str, str] = {}
    portion_scale: float = 1.0
    portion_source: str = ""
    hot_drinks_allowed: list[str] | None = None
    hot_drinks_source: str = ""
    fluid_max_ml: float | None = None
    fluid_source: str = ""
    amdr_source: dict[str, str] = {}
    supplements: dict[str, float] = {}
    conditions: list[str] = []

    def rules_beyond_items(self) -> list[tuple[str, str]]:
        """The per-meal, per-kind, portion, drink and fluid rules in words, each with its source
        (``("lactose at most 12 g a meal", "NIH ...")``), in a fixed order; [] for most people."""
        out: list[tuple[str, str]] = []
        out += [(f"{n} at most {g:g} g a meal", self.meal_max_source.get(n, "")) for n, g in self.meal_max.items()]
        if self.meal_mass_max_g is not None:
            out.append((f"at most {self.meal_mass_max_g:g} g of food a meal", self.meal_mass_source))
        if not self.drinks_with_meals:
            out.append(("drinks between meals, not with them", self.drinks_source))
        for field, words, key in (
            (self.daily_max_g, "at most {g:g} g a day", "daily"),
            (self.weekly_max_g, "at most {g:g} g a week", "weekly"),
            (self.weekly_min_g, "about {g:g} g a week (a goal)", "weekly_min"),
        ):
            out += [
                (f"no {kind}" if g == 0 and key != "weekly_min" else f"{kind} {words.format(g=g)}",
                 self.food_kind_source.get(f"{key}:{kind}", ""))
                for kind, g in field.items()
            ]  # fmt: skip
        if self.portion_scale != 1.0:
            out.append((f"portions x {self.portion_scale:g}", self.portion_source))
        if self.hot_drinks_allowed is not None:
            drinks = ", ".join(self.hot_drinks_allowed) or "none"
            out.append((f"coffee and tea served: {drinks}", self.hot_drinks_source))
        if self.fluid_max_ml is not None:
            out.append((f"drinks at most {self.fluid_max_ml:g} ml a day", self.fluid_source))
        out += [(f"{macro} range widened", why) for macro, why in self.amdr_source.items()]
        return out
