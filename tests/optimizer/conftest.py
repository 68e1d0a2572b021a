"""Shared fixtures for the planner tests: a tiny hand-checkable food table, its targets and rules,
and the real bundled table (loaded once per session).

The tiny table has 15 foods with round, textbook-like values per 100 g. What a day must contain can
be worked out on paper from it, for example:
- no food has vitamin D, so a vitamin D goal is missed by exactly the goal;
- the only vegan protein foods are lentils and tofu (legumes), and a food is served at one meal a
  day, so a vegan day has lentils at one main meal and tofu at the other;
- no vegan food has vitamin B12 (lentils have no value at all), so a vegan day misses it entirely;
- "Milk, whole" and "Milk, nonfat" are one family ("milk"), as are the two spinach foods.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from mealplan.food_data.nutrients import BY_ID
from mealplan.food_data.table import SR24_SOURCE, FoodTable
from mealplan.optimizer.rules import BREAKFAST_CORE, PRODUCE_CATEGORIES, PROTEIN_CATEGORIES, SIDE_CATEGORIES
from mealplan.plan import PlanRules, SlotRule
from mealplan.targets.model import Target, Targets

NAN = math.nan
TINY_NUTRIENTS = (
    "energy",
    "protein",
    "fat",
    "carbohydrate",
    "calcium",
    "magnesium",
    "potassium",
    "sodium",
    "vitamin_b12",
    "vitamin_d",
)
MAIN = "lunch;dinner"
ANY = "breakfast;lunch;dinner;snack"
# id: name, category, diet, allergens, serving name, serving g, max g a day, slots, price per 100 g,
#     then TINY_NUTRIENTS per 100 g (vitamin D is unknown or zero everywhere).
TINY_FOODS = {
    "t_oat": ("Oats, rolled", "grains", "vegan", "gluten", "½ cup", 40, 120, "breakfast;snack", 0.30,
              [380, 13, 7, 68, 50, 140, 360, 5, 0, 0]),
    "t_bread": ("Bread, whole-wheat", "grains", "vegan", "gluten", "1 slice", 32, 128, "breakfast;lunch;snack",
                0.40, [252, 12, 3.5, 43, 161, 76, 254, 450, 0, 0]),
    "t_rice": ("Rice, brown, cooked", "grains", "vegan", "", "1 cup", 195, 390, MAIN, 0.20,
               [112, 2.3, 0.8, 24, 10, 39, 79, 5, 0, 0]),
    "t_milk": ("Milk, whole", "dairy and fortified alternatives", "vegetarian", "milk", "1 cup", 244, 732, ANY,
               0.10, [61, 3.2, 3.3, 4.8, 113, 10, 132, 43, 0.45, NAN]),
    "t_skim": ("Milk, nonfat", "dairy and fortified alternatives", "vegetarian", "milk", "1 cup", 245, 735, ANY,
               0.10, [34, 3.4, 0.1, 5, 122, 11, 156, 42, 0.5, NAN]),
    "t_yogurt": ("Yogurt, plain", "dairy and fortified alternatives", "vegetarian", "milk", "1 container", 170,
                 510, "breakfast;snack", 0.50, [61, 3.5, 3.3, 4.7, 121, 12, 155, 46, 0.37, NAN]),
    "t_banana": ("Banana, raw", "fruits", "vegan", "", "1 medium", 118, 354, ANY, 0.25,
                 [89, 1.1, 0.3, 23, 5, 27, 358, 1, 0, 0]),
    "t_chicken": ("Chicken breast, roasted", "poultry", "omnivore", "", "1 piece", 100, 300, MAIN, 1.00,
                  [165, 31, 3.6, 0, 15, 29, 256, 74, 0.34, NAN]),
    "t_salmon": ("Salmon, baked", "seafood", "pescatarian", "fish", "1 fillet", 150, 300, MAIN, 2.00,
                 [206, 22, 12, 0, 15, 30, 384, 61, 3.0, NAN]),
    "t_lentil": ("Lentils, boiled", "legumes", "vegan", "", "1 cup", 198, 396, MAIN, 0.30,
                 [116, 9, 0.4, 20, 19, 36, 369, 2, NAN, 0]),
    "t_tofu": ("Tofu, firm", "legumes", "vegan", "soy", "½ cup", 126, 378, MAIN, 0.60,
               [144, 17, 9, 3, 683, 58, 237, 14, 0, 0]),
    "t_spinach": ("Spinach, cooked", "vegetables", "vegan", "", "1 cup", 180, 360, MAIN, 0.50,
                  [23, 3, 0.3, 3.8, 136, 87, 466, 70, 0, 0]),
    "t_spinach_raw": ("Spinach, raw", "vegetables", "vegan", "", "1 cup", 30, 90, MAIN, 0.60,
                      [23, 2.9, 0.4, 3.6, 99, 79, 558, 79, 0, 0]),
    "t_broccoli": ("Broccoli, cooked", "vegetables", "vegan", "", "1 cup", 156, 312, MAIN, 0.40,
                   [35, 2.4, 0.4, 7, 40, 21, 293, 41, 0, 0]),
    "t_oil": ("Oil, olive", "fats and oils", "vegan", "", "1 tbsp", 13.5, 40, MAIN, 0.80,
              [884, 0, 100, 0, 1, 0, 1, 2, 0, 0]),
}  # fmt: skip


def table_from(
    foods: dict[str, tuple],
    nutrients: tuple[str, ...],
    units: dict[str, str],
    changes: dict[str, dict[str, object]] | None = None,
    extra: dict[str, object] | None = None,
) -> FoodTable:
    """A FoodTable with every curation column from ``(name, category, diet, allergens, serving name,
    serving g, max g, slots, price, nutrient values)`` tuples; ``changes`` maps a food id to column
    overrides and ``extra`` adds columns to every food."""
    rows = {}
    for fid, (name, cat, diet, allergens, sname, sg, max_g, slots, price, values) in foods.items():
        rows[fid] = {
            "name": name,
            "usda_group": "",
            "source": SR24_SOURCE,
            "deprecated": False,
            "category": cat,
            "diet": diet,
            "allergens": allergens,
            "as_eaten": True,
            "serving_name": sname,
            "serving_g": float(sg),
            "max_g": float(max_g),
            "slots": slots,
            "planner": True,
            "price": price,
            **dict(zip(nutrients, map(float, values), strict=True)),
            **(extra or {}),
            **(changes or {}).get(fid, {}),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "id"
    measures = pd.DataFrame(
        {
            "id": list(foods),
            "measure": [v[4] for v in foods.values()],
            "grams": [float(v[5]) for v in foods.values()],
        }
    )
    return FoodTable(foods=table, measures=measures, units=dict(units))


def tiny_table(*, common: bool = False, **changes: dict[str, object]) -> FoodTable:
    """The tiny table with every curation column; ``changes`` maps a food id to column overrides.

    With ``common=True`` the optional ``common`` column is added (every food an everyday food).
    """
    units = {n: BY_ID[n].unit for n in TINY_NUTRIENTS}
    return table_from(TINY_FOODS, TINY_NUTRIENTS, units, changes, {"common": True} if common else None)


def target(nutrient: str, lo: float | None, hi: float | None = None, priority: float = 1.0) -> Target:
    """One target with registry name and unit."""
    return Target(
        nutrient=nutrient,
        name=BY_ID[nutrient].name,
        unit=BY_ID[nutrient].unit,
        min=lo,
        max=hi,
        min_source="test" if lo is not None else "",
        max_source="test" if hi is not None else "",
        priority=priority,
        weekly=False,
        suspected=False,
    )


AMDR = {"protein": (10.0, 35.0), "fat": (20.0, 35.0), "carbohydrate": (45.0, 65.0)}


def tiny_targets(energy: tuple[float, float] = (1400.0, 1800.0), **items: tuple[float | None, float | None]) -> Targets:
    """Targets for the tiny table: calcium, magnesium, potassium, B12, vitamin D goals, a sodium maximum.

    ``items`` replaces or adds targets: ``sodium=(None, 600)``.
    """
    spec: dict[str, tuple[float | None, float | None]] = {
        "protein": (46.0, None),
        "calcium": (1000.0, None),
        "magnesium": (320.0, None),
        "potassium": (2600.0, None),
        "vitamin_b12": (2.4, None),
        "vitamin_d": (15.0, None),
        "sodium": (None, 1500.0),
        **items,
    }
    lo, hi = energy
    return Targets(
        profile_id="tiny",
        life_stage="test",
        energy_kcal=(lo + hi) / 2,
        energy_min=lo,
        energy_max=hi,
        energy_source="test",
        amdr=dict(AMDR),
        items={n: target(n, a, b) for n, (a, b) in spec.items()},
    )


def tiny_rules(targets: Targets | None = None, **changes: object) -> PlanRules:
    """Day rules for the tiny table: breakfast, lunch, dinner with the planner's slot structure."""
    targets = targets or tiny_targets()
    slots = [
        SlotRule(name="breakfast", min_items=2, max_items=3, energy_share=(0.15, 0.40), needs_one_of=BREAKFAST_CORE),
        SlotRule(
            name="lunch", min_items=2, max_items=4, energy_share=(0.20, 0.45), needs_protein=True, needs_produce=True
        ),
        SlotRule(
            name="dinner", min_items=2, max_items=4, energy_share=(0.25, 0.50), needs_protein=True, needs_produce=True
        ),
    ]
    values: dict[str, object] = {
        "diet": "omnivore",
        "allergies": [],
        "exclude": [],
        "dislikes": [],
        "likes": [],
        "slots": slots,
        "group_max_g": {"fats and oils": 40.0},
        "group_min_g": {"vegetables": 150.0},
        "min_portion_servings": 0.5,
        "portion_step_servings": 0.25,
        "min_distinct_foods_per_day": 6,
        "max_days_per_food": 3,
        "protein_categories": list(PROTEIN_CATEGORIES),
        "produce_categories": list(PRODUCE_CATEGORIES),
        "side_categories": list(SIDE_CATEGORIES),
        "weekly_nutrients": [],
        "energy_min": targets.energy_min,
        "energy_max": targets.energy_max,
        "amdr": dict(targets.amdr),
        "budget": None,
        "objective": "shortfall",
    }
    values.update(changes)
    return PlanRules(**values)


@pytest.fixture
def tiny() -> FoodTable:
    """The tiny food table."""
    return tiny_table()


@pytest.fixture(scope="session")
def bundled() -> FoodTable:
    """The real bundled, curated table (cached once per process by ``load_bundled``)."""
    from mealplan.food_data.table import load_bundled

    return load_bundled()


PLAN_WEEK = Path(__file__).resolve().parents[1] / "fixtures" / "plan_week.json"


@pytest.fixture(scope="module")
def plan():
    """The hand-made, realistic week plan the report and shopping tests render."""
    from mealplan.plan import Plan

    return Plan.model_validate_json(PLAN_WEEK.read_text())


@pytest.fixture(scope="session")
def sr24() -> FoodTable:
    """The raw SR24 table (no curation), for household measures and nutrient sources."""
    from mealplan.food_data.nutrients import BY_ID, NUTRIENT_IDS
    from mealplan.food_data.table import read_sr24

    foods, measures = read_sr24()
    return FoodTable(foods=foods, measures=measures, units={n: BY_ID[n].unit for n in NUTRIENT_IDS})
