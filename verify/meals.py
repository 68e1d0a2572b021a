"""Verification of the meal rules of a schema 2.0 plan: named meals, their parts, and the rules that
make a meal read right (``PlanRules.meal_rules``).

Like :mod:`verify.verifier`, this reads only the plan and the food table: foods are recognised by
their USDA names and categories, never by the model's pools, so a model that mislabels a food
cannot pass its own check. A 1.x plan (no ``meal_rules``) skips these checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

from mealplan.food_data.vocab import slot_kind
from mealplan.plan import MealRules, Plan, PlanItem, SlotPlan, week_blocks

MEAL_CHECKS: tuple[str, ...] = (
    "meal_names",
    "meal_parts",
    "meal_rules",
    "safety",
    "dish_ranges",
    "dish_variety",
    "food_mass",
)
MAIN = ("lunch", "dinner")
RANGE_SLACK = 1e-6  # grams

_SALT = re.compile(r"^salt\b", re.I)
_HOT = re.compile(r"\b(coffee|tea)\b", re.I)
_CEREAL = re.compile(r"^cereals ready-to-eat", re.I)
_MILK = re.compile(
    r"\bmilk\b|soymilk|yogurt|\b(soy|almond|rice|oat|coconut|hemp)\b.{0,20}\b(drink|beverage)"
    r"|beverage.*\b(soy|almond|rice|oat)",
    re.I,
)
_CARRIER = re.compile(
    r"\b(bread|toast|crackers?|muffins?|bagels?|rice cakes?|tortillas?|pita|crispbread|rolls?)\b", re.I
)
_EGG_PART = re.compile(r"\begg.*\b(white|yolk)s?\b", re.I)
_NUT_BUTTER = re.compile(r"\b(peanut|almond|cashew|nut|sunflower seed|sesame)\s+butter\b|\btahini\b", re.I)
_NUTS = re.compile(r"^(nuts|seeds|peanuts)\b", re.I)
_SIDE_CATEGORIES = ("condiments and spices", "sweets and snacks")


def _meals(plan: Plan) -> Iterator[tuple[int, SlotPlan]]:
    for day in plan.days:
        for slot in day.slots:
            yield day.index, slot


def meal_problems(plan: Plan, table: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Every meal-rule problem of ``plan`` as (check, where, message); none for 1.x plans."""
    rules = plan.rules.meal_rules
    if rules is None:  # a 1.x plan: its safety rules (none recorded then) and meal rules do not apply
        return []
    out: list[tuple[str, str, str]] = []
    cap = plan.targets.food_mass_max_g  # poor appetite: the day's food and drink, at most
    for d in plan.days if cap is not None else []:
        grams = sum(i.grams for slot in d.slots for i in slot.items)
        if cap is not None and grams > cap * (1 + 1e-6) + RANGE_SLACK:
            out.append(("food_mass", f"day {d.index}", f"food and drink weigh {grams:,.1f} g; at most {cap:,.1f} g "
                        f"a day ({plan.targets.food_mass_source})"))  # fmt: skip

    def name(item: PlanItem) -> str:
        return str(table.at[item.food_id, "name"]) if item.food_id in table.index else item.name

    def category(item: PlanItem) -> str:
        return str(table.at[item.food_id, "category"]) if item.food_id in table.index else item.category

    dish_days: dict[str, list[int]] = {}
    for day, slot in _meals(plan):
        where = f"day {day}, {slot.name}"
        out += [(c, where, m) for c, m in _names(slot)]
        if slot_kind(slot.name) in MAIN:
            out += [(c, where, m) for c, m in _parts(slot, rules)]
            # a leftover lunch is the same cooking, eaten again: the week counts cookings
            if slot.dish_id and slot.leftover_of is None and day not in plan.rules.variety_relaxed_days:
                dish_days.setdefault(slot.dish_id, []).append(day)
        out += [("meal_rules", where, m) for m in meal_rule_problems(slot, rules, name, category)]
        for item in slot.items:
            for rule in plan.rules.safety:
                if rule.hits(name(item), category(item)):
                    out.append(("safety", f"{where}, {item.food_id} ({name(item)})", rule.why))
                    break
        if slot.meal_kind == "dish":
            for item in slot.items:
                if item.role == "drink" or item.range_g is None:
                    continue
                lo, hi = item.range_g
                if not lo - RANGE_SLACK <= item.grams <= hi + RANGE_SLACK:
                    out.append(("dish_ranges", f"{where}, {item.food_id} ({item.name})",
                                f"{item.grams:.6g} g is outside the dish's range {lo:g}-{hi:g} g"))  # fmt: skip
    dinners = {day: slot.dish_id for day, slot in _meals(plan) if slot_kind(slot.name) == "dinner" and slot.dish_id}
    for day, slot in _meals(plan):  # a leftover is yesterday's dinner dish, or the week counts it as a cooking
        if slot.leftover_of is not None and (slot.leftover_of != day - 1 or dinners.get(day - 1) != slot.dish_id):
            out.append(("dish_variety", f"day {day}, {slot.name}", f"marked as the leftover of day "
                        f"{slot.leftover_of}'s dinner, which was not {slot.dish_id}"))  # fmt: skip
    if rules.no_main_dish_two_days_running:
        chosen: dict[int, set[str]] = {}
        for day, slot in _meals(plan):
            relaxed = day in plan.rules.variety_relaxed_days
            if slot_kind(slot.name) in MAIN and slot.dish_id and slot.leftover_of is None and not relaxed:
                chosen.setdefault(day, set()).add(slot.dish_id)
        for day, dishes in sorted(chosen.items()):
            for dish in sorted(dishes & chosen.get(day - 1, set())):
                out.append(("dish_variety", f"day {day}, {dish}", f"chosen for lunch or dinner on day {day - 1} too"))
    weeks = week_blocks([d.index for d in plan.days])
    for dish, days in sorted(dish_days.items()):
        for week in weeks:  # each week of a longer plan
            on = [d for d in days if d in week]
            if len(on) > rules.dish_max_per_week:
                out.append(("dish_variety", dish, f"served at lunch or dinner on days {on}; at most "
                            f"{rules.dish_max_per_week} times a week"))  # fmt: skip
    return out


def _names(slot: SlotPlan) -> Iterator[tuple[str, str]]:
    if not slot.title.strip():
        yield "meal_names", "the meal has no name"
    if slot.meal_kind == "dish" and (not slot.dish_id or not slot.method):
        yield "meal_names", "a dish meal must give its dish_id and method"
    if slot.meal_kind == "pattern" and not slot.pattern_id:
        yield "meal_names", "a pattern meal must give its pattern_id"


def _parts(slot: SlotPlan, rules: MealRules) -> Iterator[tuple[str, str]]:
    roles = {i.role for i in slot.items if i.role != "drink"}
    missing = [r for r in rules.main_meal_parts if r not in roles]
    if missing:
        yield "meal_parts", f"a lunch or dinner needs {', '.join(rules.main_meal_parts)}; missing {', '.join(missing)}"


def meal_rule_problems(slot: SlotPlan, rules: MealRules, name, category) -> list[str]:
    """The point-by-point meal rules one meal breaks (empty when it reads right)."""
    out = []
    kind = slot_kind(slot.name)
    in_dish = slot.meal_kind == "dish"
    loose = [i for i in slot.items if not in_dish or i.role == "drink"]  # items served on their own
    has_carrier = any(_CARRIER.search(name(i)) or i.role in ("bread", "crackers") for i in slot.items)
    nut_butter = nuts = 0.0
    legumes = 0
    for item in slot.items:
        n, cat = name(item), category(item)
        label = f"{item.food_id} ({n})"
        if rules.no_salt_items and _SALT.search(n):
            out.append(f"table salt is a line item: {label}")
        if _HOT.search(n) and cat == "beverages" and kind not in rules.hot_drink_slots:
            out.append(f"coffee or tea at {kind}: {label} (only at {', '.join(rules.hot_drink_slots)})")
        if rules.whole_eggs_only and _EGG_PART.search(n):
            out.append(f"egg whites or yolks on their own: {label} (whole eggs only)")
        if cat in ("vegetables", "fruits") and item.grams > rules.produce_max_g + RANGE_SLACK:
            out.append(f"{item.grams:.0f} g of {label}: a vegetable or fruit is at most {rules.produce_max_g:g} g")
        if item.role == "drink" or re.search(r"\b(water|milk|beverage)\b", n, re.I):
            pass  # coconut water and almond milk are drinks, not nuts
        elif _NUT_BUTTER.search(n):
            nut_butter += item.grams
        elif cat == "nuts and seeds" or _NUTS.search(n):
            nuts += item.grams
    for item in loose:
        n, cat = name(item), category(item)
        label = f"{item.food_id} ({n})"
        if (item.role == "drink" or cat == "beverages") and item.grams > rules.drink_max_g + RANGE_SLACK:
            out.append(f"{item.grams:.0f} g of {label}: a drink is at most {rules.drink_max_g:g} g (2 cups)")
        if cat in _SIDE_CATEGORIES or item.role in ("sauce", "spread"):
            if rules.condiments_need_carrier and not has_carrier:
                out.append(f"{label} on its own: condiments and spreads go in a dish or on bread or crackers")
            if item.grams > rules.condiment_max_g + RANGE_SLACK:
                out.append(
                    f"{item.grams:.0f} g of {label}: a condiment or spread is at most {rules.condiment_max_g:g} g"
                )
        if cat == "legumes" and item.role != "dip" and not _NUT_BUTTER.search(n) and not _NUTS.search(n):
            legumes += 1
    if rules.cereal_needs_milk and any(_CEREAL.search(name(i)) for i in slot.items):
        if not any(_MILK.search(name(i)) for i in slot.items if not _CEREAL.search(name(i))):
            out.append("ready-to-eat cereal without milk, a milk alternative or yogurt")
    if legumes > rules.max_plain_legumes_per_meal:
        out.append(f"{legumes} plain legume foods; at most {rules.max_plain_legumes_per_meal} outside a dish")
    if nut_butter > rules.nut_butter_max_g + RANGE_SLACK:
        out.append(f"{nut_butter:.0f} g of nut butter; at most {rules.nut_butter_max_g:g} g (2 tbsp) a meal")
    if nuts > rules.nuts_max_g + RANGE_SLACK:
        out.append(f"{nuts:.0f} g of nuts and seeds; at most {rules.nuts_max_g:g} g (2 oz) a meal")
    return out
