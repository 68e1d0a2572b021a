"""The food-data rules a plan's day models read, gathered once a plan (``MealFacts`` and per-food
extras): drinks (``food_data/data/drinks.yaml``), pairings of pattern foods (``pairings.yaml``),
counted foods (``counted_foods.csv``), everyday foods exempt from the days-per-food rule
(``everyday_foods.yaml``), food kinds for a person's limits (``clinical_rules.yaml``), lactose per food
(``lactose.yaml``) and each food's food-group equivalents (``food_groups``), as pseudo-nutrients
``fg:<component>`` so the day's amounts are linear like any nutrient.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from mealplan.food_data.clinical_rules import kind_mask
from mealplan.food_data.counted import CountedUnit, counted_units
from mealplan.food_data.drinks import DrinkRules, cup_grams, drink_rules, load_drinks
from mealplan.food_data.everyday import everyday_mask
from mealplan.food_data.food_groups import food_groups
from mealplan.food_data.lactose import lactose_per_100g
from mealplan.food_data.pairings import pairing_rules
from mealplan.food_data.patterns import PatternFood
from mealplan.food_data.table import FoodTable
from mealplan.optimizer.model import Drink, MealFacts
from mealplan.optimizer.model.groups import group_key
from mealplan.plan import PlanRules
from mealplan.targets.model import Targets

# Kcal per unit of a limit's key: added sugars are in tsp-eq (4.2 g, counted at 16 kcal as HEI-2020
# does); saturated fat in grams.
KCAL_PER_UNIT = {group_key("added_sugars"): 16.0, "saturated_fat": 9.0}


@dataclass(frozen=True)
class FoodExtras:
    """Per-food facts beyond the nutrients: counted units, everyday foods, food kinds, and the extra
    pseudo-nutrients (food groups, lactose) to add to each food's nutrients."""

    counted: dict[str, CountedUnit]
    everyday: frozenset[str]
    kinds: dict[str, frozenset[str]]
    extra_nutrients: dict[str, dict[str, float]]


def hot_drink_kinds(targets: Targets) -> list[str]:
    """The coffee and tea kinds a plan may serve: the profile's habit (``hot_drinks``) as the targets
    carry it; none when the profile does not say (a plan does not add coffee or tea for its potassium)."""
    return list(targets.hot_drinks_allowed or [])


def drink_facts(
    table: FoodTable, targets: Targets, pool_ids: Iterable[str]
) -> tuple[dict[str, Drink], frozenset[str], DrinkRules]:
    """Each known drink among ``pool_ids`` as the model reads it: the meals it may come with (a habit
    drink only when the person's hot-drink kinds name it). Water, the default drink, is left out: it
    is added to every meal without another drink when the plan is read."""
    rules = drink_rules(table)
    ids = list(pool_ids)
    names: np.ndarray | list[object] = table.rows.take(ids)["name"] if ids else []
    cats: np.ndarray | list[object] = table.rows.take(ids)["category"] if ids else []
    habit_ok = np.zeros(len(ids), dtype=bool)
    for kind in hot_drink_kinds(targets):
        habit_ok |= kind_mask(kind, names, cats)
    # A drink drinks.yaml does not list (a user's table) is known by its name, as the verifier knows it:
    # a milk, a juice, or coffee and tea (only by habit); any other is a drink of any meal.
    milk, juice = kind_mask("milk", names, cats), kind_mask("juice", names, cats)
    hot = np.zeros(len(ids), dtype=bool)
    for kind in ("coffee", "tea", "decaf", "herbal tea"):
        hot |= kind_mask(kind, names, cats)
    every_meal = frozenset({"breakfast", "lunch", "dinner", "snack"})
    out, left_out = {}, set()
    for i, fid in enumerate(ids):
        d = rules.drinks.get(fid)
        habit = d.habit if d is not None else bool(hot[i])
        if fid in rules.default or (habit and not habit_ok[i]):
            left_out.add(fid)
        elif d is not None:
            out[fid] = Drink(kind=d.kind, meals=d.meals, milk=d.milk_drink, cup_g=d.cup_g)
        else:
            kind = "milk" if milk[i] else "juice" if juice[i] else "other"
            out[fid] = Drink(kind=kind, meals=every_meal, milk=bool(milk[i]), cup_g=cup_grams(table, fid) or 240.0)
    return out, frozenset(left_out), rules


def meal_facts(
    table: FoodTable,
    rules: PlanRules,
    targets: Targets,
    pool: dict[str, PatternFood],
    drink_pool: Iterable[str],
    kinds: dict[str, frozenset[str]],
    nutrients: dict[str, dict[str, float]] | None = None,
) -> MealFacts:
    """The plan-level facts of its day models (see ``MealFacts``). With ``nutrients`` (each candidate
    food's, food groups included), a food-group row no candidate food gives is no goal (eggs for a
    vegan: a cost no plan can avoid, which only slows the solver)."""
    drinks, not_drinks, drules = drink_facts(table, targets, drink_pool)
    meal = rules.meal_rules
    meal_drinks = meal.drinks if meal is not None else None
    drinks_on = meal_drinks is not None
    water = None
    if meal_drinks is not None and meal_drinks.water_default and meal_drinks.with_meals and drules.default:
        water = (drules.default[0], meal_drinks.water_g)
    pairs = pairing_rules(pool, table) if meal is not None and meal.pairings else None
    goals = rules.food_groups
    group_rows, group_max, pct = {}, {}, {}
    if goals is not None:
        group_rows = dict(goals.sources)
        if nutrients is not None:
            given = {k for per in nutrients.values() for k, v in per.items() if v}
            group_rows = {r: c for r, c in group_rows.items() if any(group_key(k) in given for k in c)}
        if goals.refined_grains_max is not None and "refined_grains" in group_rows:
            group_max = {"refined_grains": goals.refined_grains_max}
        pct = {group_key("added_sugars"): (KCAL_PER_UNIT[group_key("added_sugars")], goals.added_sugars_pct_max),
               "saturated_fat": (KCAL_PER_UNIT["saturated_fat"], goals.saturated_fat_pct_max)}  # fmt: skip
    poured_max = meal_drinks.poured_max_g if meal_drinks is not None else None
    among = list(nutrients) if nutrients is not None else [*pool, *drinks]
    poured = frozenset(load_drinks().poured.members(table, among)) if poured_max is not None else frozenset()
    return MealFacts(
        drinks=drinks,
        not_drinks=not_drinks,
        drinks_with_meals=targets.drinks_with_meals,
        milk_drinks_per_day=drules.milk_drinks_per_day if drinks_on else None,
        drinks_per_day=drules.drinks_per_day if drinks_on else None,
        water=water,
        milk_pools=drules.milk_pools,
        cups_per_day=dict(drules.cups_per_day),
        poured=poured,
        poured_max_g=poured_max,
        drink_share=drules.max_energy_share if drinks_on else None,
        fluid_max_g=targets.fluid_max_ml,
        never_together=pairs.never_together if pairs is not None else (),
        needs=dict(pairs.needs) if pairs is not None else {},  # (no partner at all: the food is never served)
        kinds=kinds,
        meal_max=dict(targets.meal_max),
        meal_mass_max_g=targets.meal_mass_max_g,
        group_rows=group_rows,
        group_max=group_max,
        energy_pct_max=pct,
    )


def not_at(table: FoodTable, pool: dict[str, PatternFood], rules: PlanRules) -> dict[str, frozenset[str]]:
    """Pool food -> the meal kinds whose pattern meals never hold it (no bagel as a dinner starch)."""
    if rules.meal_rules is None or not rules.meal_rules.pairings:
        return {}
    return dict(pairing_rules(pool, table).not_at)


def food_extras(table: FoodTable, ids: list[str], rules: PlanRules, targets: Targets) -> FoodExtras:
    """Counted units, everyday foods, the person's food kinds and extra pseudo-nutrients of ``ids``."""
    rows = table.rows.take(ids)
    whole = rules.meal_rules is not None and rules.meal_rules.whole_units
    units = counted_units(table) if whole else {}
    counted = {f: units[f] for f in ids if f in units}
    everyday = frozenset(np.asarray(ids, dtype=object)[everyday_mask(rows)].tolist()) if len(ids) else frozenset()
    names, cats = rows["name"], rows["category"]
    wanted = {k.split(":", 1)[-1] for k in targets.food_kind_source} | set(targets.daily_max_g)
    wanted |= set(targets.weekly_max_g) | set(targets.weekly_min_g)
    kinds = {k: frozenset(np.asarray(ids, dtype=object)[kind_mask(k, names, cats)].tolist()) for k in sorted(wanted)}
    extra: dict[str, dict[str, float]] = {f: {} for f in ids}
    if rules.food_groups is not None:
        comp, matrix = food_groups(table)
        at = table.rows.positions(ids, missing=-1)
        for col, c in enumerate(comp):
            values = np.where(at >= 0, matrix[np.maximum(at, 0), col], 0.0)
            for f, v in zip(ids, values.tolist(), strict=True):
                if v:
                    extra[f][group_key(c)] = v
    if "lactose" in targets.meal_max:
        measured = rows["lactose"].astype(float) if "lactose" in rows else None
        allergens = rows["allergens"] if "allergens" in rows else [""] * len(ids)
        sugars = rows["sugars"].astype(float) if "sugars" in rows else np.full(len(ids), math.nan)
        groups = rows["usda_group"] if "usda_group" in rows else None
        lac = lactose_per_100g(names, allergens, sugars, groups, measured)
        for f, v in zip(ids, lac.tolist(), strict=True):
            extra[f]["lactose"] = v
    return FoodExtras(counted, everyday, kinds, extra)
