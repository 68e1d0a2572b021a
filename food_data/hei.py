"""The Healthy Eating Index 2020 (HEI-2020, ages 2 and older) from food-group totals and nutrients.

The HEI scores how well a set of foods (a day, a week) follows the Dietary Guidelines, 0-100, from
13 components, each a density per 1,000 kcal (or a share of energy, or a fatty-acid ratio) scored
linearly between a standard for zero and a standard for its maximum points.

Sources: Shams-White MM et al. "Healthy Eating Index-2020: Review and Update Process to Reflect the
Dietary Guidelines for Americans, 2020-2025", J Acad Nutr Diet 2023;123(9):1280-1288 (HEI-2020 keeps
the HEI-2015 components and standards for ages 2 and older); Krebs-Smith SM et al. "Update of the
Healthy Eating Index: HEI-2015", J Acad Nutr Diet 2018;118(9):1591-1602; the National Cancer
Institute's HEI scoring algorithm (SAS macro ``hei2015.score.macro.sas``), whose conventions this
module follows:
- Legumes: since HEI-2015, legumes (beans, peas, lentils) count toward all four of Total Vegetables
  and Greens and Beans (as cup-eq) and Total Protein Foods and Seafood and Plant Proteins (as oz-eq,
  ``legume_oz_per_cup`` per cup-eq). HEI-2005 and HEI-2010 allocated them to protein foods first,
  until that standard was met; HEI-2015/2020 no longer do.
- Added sugars: teaspoon-equivalents are turned into energy at 16 kcal each (4 g x 4 kcal), as the
  NCI algorithm does (FPED's tsp-eq weighs 4.2 g).
- Sodium: g per 1,000 kcal (mg / kcal); saturated fat: 9 kcal per g.
- No energy: every component scores 0. Fatty acids with no saturated fat: 10 when there is mono- or
  polyunsaturated fat, else 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from mealplan.food_data.food_group_rules import load_rules
from mealplan.food_data.food_groups import groups_of
from mealplan.food_data.table import FoodTable

KCAL_PER_TSP_ADDED_SUGAR = 16.0  # the NCI HEI algorithm's conversion (4 g x 4 kcal/g)
KCAL_PER_G_FAT = 9.0
# Nutrients the HEI reads besides the food groups: table column -> argument of hei2020.
NUTRIENTS = ("energy", "sodium", "saturated_fat", "monounsaturated_fat", "polyunsaturated_fat")

Kind = Literal["adequacy", "moderation"]


@dataclass(frozen=True)
class Standard:
    """One HEI-2020 component: how its amount is measured and scored."""

    id: str
    name: str
    max_points: float
    kind: Kind  # adequacy: more is better; moderation: less is better
    unit: str
    zero_at: float  # the amount that scores 0
    max_at: float  # the amount that scores max_points (or better)


# HEI-2020 for ages 2 and older (Shams-White 2023, Table 1; identical to HEI-2015).
STANDARDS: tuple[Standard, ...] = (
    Standard("total_fruits", "Total Fruits", 5, "adequacy", "cup-eq per 1,000 kcal", 0.0, 0.8),
    Standard("whole_fruits", "Whole Fruits", 5, "adequacy", "cup-eq per 1,000 kcal", 0.0, 0.4),
    Standard("total_vegetables", "Total Vegetables", 5, "adequacy", "cup-eq per 1,000 kcal", 0.0, 1.1),
    Standard("greens_and_beans", "Greens and Beans", 5, "adequacy", "cup-eq per 1,000 kcal", 0.0, 0.2),
    Standard("whole_grains", "Whole Grains", 10, "adequacy", "oz-eq per 1,000 kcal", 0.0, 1.5),
    Standard("dairy", "Dairy", 10, "adequacy", "cup-eq per 1,000 kcal", 0.0, 1.3),
    Standard("total_protein_foods", "Total Protein Foods", 5, "adequacy", "oz-eq per 1,000 kcal", 0.0, 2.5),
    Standard("seafood_plant_proteins", "Seafood and Plant Proteins", 5, "adequacy", "oz-eq per 1,000 kcal", 0.0, 0.8),
    Standard("fatty_acids", "Fatty Acids", 10, "adequacy", "(MUFA + PUFA) / SFA", 1.2, 2.5),
    Standard("refined_grains", "Refined Grains", 10, "moderation", "oz-eq per 1,000 kcal", 4.3, 1.8),
    Standard("sodium", "Sodium", 10, "moderation", "g per 1,000 kcal", 2.0, 1.1),
    Standard("added_sugars", "Added Sugars", 10, "moderation", "% of energy", 26.0, 6.5),
    Standard("saturated_fats", "Saturated Fats", 10, "moderation", "% of energy", 16.0, 8.0),
)

# Which food-group components (food_group_rules.yaml) make each food-group HEI component, and with
# which factor ("legumes_oz": legumes at the rules' legume_oz_per_cup oz-eq per cup-eq).
_PROTEIN = ("meat", "cured_meat", "poultry", "eggs", "seafood_high_n3", "seafood_low_n3", "nuts_seeds", "soy")
_SEA_PLANT = ("seafood_high_n3", "seafood_low_n3", "nuts_seeds", "soy")
FOOD_GROUPS: dict[str, tuple[str, ...]] = {
    "total_fruits": ("fruit_whole", "fruit_juice"),
    "whole_fruits": ("fruit_whole",),
    "total_vegetables": ("veg_dark_green", "veg_red_orange", "veg_starchy", "veg_other", "legumes"),
    "greens_and_beans": ("veg_dark_green", "legumes"),
    "whole_grains": ("grain_whole",),
    "dairy": ("dairy",),
    "total_protein_foods": (*_PROTEIN, "legumes_oz"),
    "seafood_plant_proteins": (*_SEA_PLANT, "legumes_oz"),
    "refined_grains": ("grain_refined",),
}


class HEIComponent(BaseModel):
    """One component's score: its amount (density, share of energy or ratio) against its standards."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    points: float
    max_points: float
    amount: float
    unit: str
    max_at: float
    zero_at: float


class HEIScore(BaseModel):
    """An HEI-2020 score: the total (0-100) and its 13 components, for the given energy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    total: float
    components: tuple[HEIComponent, ...]
    energy_kcal: float
    unknown: tuple[str, ...] = ()  # nutrients unknown for some food (counted as 0), from hei2020_of_foods

    def component(self, component_id: str) -> HEIComponent:
        for c in self.components:
            if c.id == component_id:
                return c
        raise KeyError(component_id)


def hei2020(
    groups: Mapping[str, float],
    energy_kcal: float,
    sodium_mg: float,
    saturated_fat_g: float,
    monounsaturated_fat_g: float,
    polyunsaturated_fat_g: float,
) -> HEIScore:
    """The HEI-2020 (ages 2 and older) of food-group totals and nutrients over a day or a week.

    Args:
        groups: Food-group totals over the same period, component id (``food_groups.component_ids``)
            -> amount (cup-eq, oz-eq, tsp-eq); components not given count as 0.
        energy_kcal: Energy over the period.
        sodium_mg, saturated_fat_g, monounsaturated_fat_g, polyunsaturated_fat_g: Over the period.

    Raises:
        ValueError: for a component id that is not one, or a negative amount.
    """
    known = set(load_rules().ids)
    bad = sorted(k for k in groups if k not in known)
    if bad:
        raise ValueError(f"food-group components {bad} are unknown; allowed: {', '.join(load_rules().ids)}")
    amounts = [energy_kcal, sodium_mg, saturated_fat_g, monounsaturated_fat_g, polyunsaturated_fat_g, *groups.values()]
    if any(not math.isfinite(a) or a < 0 for a in amounts):
        raise ValueError(f"HEI amounts must be finite and not negative; got {amounts}")
    legume_oz = load_rules().constants["legume_oz_per_cup"]
    totals = dict(groups) | {"legumes_oz": groups.get("legumes", 0.0) * legume_oz}
    density = {}
    per_1000 = energy_kcal / 1000.0
    for hei_id, parts in FOOD_GROUPS.items():
        total = sum(totals.get(p, 0.0) for p in parts)
        density[hei_id] = total / per_1000 if energy_kcal > 0 else 0.0
    unsaturated = monounsaturated_fat_g + polyunsaturated_fat_g
    if saturated_fat_g > 0:
        density["fatty_acids"] = unsaturated / saturated_fat_g
    else:  # no saturated fat: the best ratio there is when there is any other fat, else no fat to score
        density["fatty_acids"] = math.inf if unsaturated > 0 else math.nan
    if energy_kcal > 0:
        density["sodium"] = sodium_mg / energy_kcal  # mg/kcal = g per 1,000 kcal
        density["added_sugars"] = 100 * groups.get("added_sugars", 0.0) * KCAL_PER_TSP_ADDED_SUGAR / energy_kcal
        density["saturated_fats"] = 100 * saturated_fat_g * KCAL_PER_G_FAT / energy_kcal
    components = tuple(_score(s, density.get(s.id, 0.0), energy_kcal) for s in STANDARDS)
    return HEIScore(total=sum(c.points for c in components), components=components, energy_kcal=energy_kcal)


def _score(s: Standard, amount: float, energy_kcal: float) -> HEIComponent:
    """Points for one component: linear between its standards, capped at both ends."""
    if energy_kcal <= 0 or math.isnan(amount):
        points = 0.0
    elif math.isinf(amount):
        points = s.max_points
    elif s.kind == "adequacy":
        points = s.max_points * min(1.0, max(0.0, (amount - s.zero_at) / (s.max_at - s.zero_at)))
    else:
        points = s.max_points * min(1.0, max(0.0, (s.zero_at - amount) / (s.zero_at - s.max_at)))
    shown = amount if math.isfinite(amount) else 0.0
    return HEIComponent(id=s.id, name=s.name, points=points, max_points=s.max_points, amount=shown, unit=s.unit,
                        max_at=s.max_at, zero_at=s.zero_at)  # fmt: skip


def hei2020_of_foods(table: FoodTable, grams: Mapping[str, float]) -> HEIScore:
    """The HEI-2020 of amounts of foods (food id -> grams eaten over a day or a week), from the
    table's food-group equivalents and nutrients. A nutrient unknown for a food counts as 0 and is
    named in ``unknown``.

    Raises:
        KeyError: for a food id not in the table.
    """
    ids = list(grams)
    weights = np.array([grams[i] for i in ids], dtype=float) / 100.0
    groups = dict(zip(load_rules().ids, (weights @ groups_of(table, ids)).tolist(), strict=True))
    rows = table.rows.take(ids)
    sums: dict[str, float] = {}
    unknown = []
    for column in NUTRIENTS:
        values = np.asarray(rows[column], dtype=float) if column in rows else np.full(len(ids), np.nan)
        missing = np.isnan(values) & (weights > 0)
        if missing.any():
            unknown.append(column)
        sums[column] = float(np.nansum(values * weights))
    score = hei2020(groups, sums["energy"], sums["sodium"], sums["saturated_fat"], sums["monounsaturated_fat"],
                    sums["polyunsaturated_fat"])  # fmt: skip
    return score.model_copy(update={"unknown": tuple(unknown)})
