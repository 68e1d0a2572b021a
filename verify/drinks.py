"""Drinks as people drink (schema 2.1: ``meal_rules.drinks``) and the clinical drink rules of the targets.

- ``drinks``: a meal has at most one drink (an item of role "drink"); none at all when drinks go
  between meals (``drinks.with_meals`` False, or ``targets.drinks_with_meals`` False); water is the
  default drink, a glass of at most ``water_g`` that no other cap counts; other drinks only at the meals
  ``food_data/data/drinks.yaml`` allows for their kind (coffee and tea at breakfast and snacks, juice
  not at lunch or dinner, sweetened milk drinks not at lunch or dinner), each at most
  ``energy_share_max`` of its meal's energy (the drink included); milk drinks a day at most
  ``milk_drinks_per_day``, never beside a meal built on milk, yogurt or a smoothie; drinks other than
  water a day at most ``drinks_per_day`` (when the plan records it); cups a day of a kind at most
  ``cups_per_day`` (cups by each drink's own SR24 cup measure); milk, plant milk and juice in every
  form (drinks, cereal, smoothies; ``drinks.yaml``'s ``poured`` foods) at most ``poured_max_g`` a day
  (when the plan records it).
- ``hot_drinks``: coffee and tea only of the kinds the person drinks (``drinks.hot_drinks``, the
  profile's habit, and ``targets.hot_drinks_allowed``; None: any, []: none). A food's kind (coffee,
  tea, decaf, herbal tea) is read from its name and category by ``food_data.clinical_rules.kind_mask``.
- ``fluids``: the drinks of a day (water included) hold at most ``targets.fluid_max_ml`` (1 g = 1 ml).

A drink is recognised by ``drinks.yaml`` (its id together with its USDA name, as ``drink_rules``
reads it); a drink the file does not name is a milk drink when ``kind_mask("milk")`` says so and is
water when its name says so. A meal is built on milk when its dish is (``drinks.milk_based`` on the
bundled dish library; a dish not in the library by its id or title words and the grams of its milk
foods), or, for a pattern meal, when a food other than the drink is a milk, plant-milk or yogurt food
by the name patterns of ``drinks.yaml``'s ``milk_based.foods``: the same patterns ``milk_based`` reads,
which hold every food of the ``milk`` and ``yogurt`` pools (``milk_based.pools``).
"""

from __future__ import annotations

import re
from collections import defaultdict

from mealplan.food_data.drinks import load_drinks, milk_based
from mealplan.food_data.vocab import slot_kind
from mealplan.plan import DrinkRules, Plan, PlanItem, SlotPlan
from mealplan.verify.lookup import Found, Lookup

DRINK_CHECKS: tuple[str, ...] = ("drinks", "hot_drinks", "fluids")
HOT_KINDS: tuple[str, ...] = ("coffee", "tea", "decaf", "herbal tea")  # the profile's hot_drinks words
ABS = 1e-6
WATER = re.compile(r"^(beverages, )?water\b", re.I)


def drink_problems(plan: Plan, look: Lookup, tol: float) -> Found:
    """Problems of the drink rules, as ``(check, where, message)``; none for plans before 2.1."""
    meal_rules = plan.rules.meal_rules
    rules = meal_rules.drinks if meal_rules is not None else None
    out = _hot_drinks(plan, look, rules) + _fluids(plan, tol)
    if rules is None and plan.targets.drinks_with_meals:
        return out
    for day in plan.days:
        out += _day(plan, day.index, day.slots, look, rules, tol)
    return out


def _day(plan: Plan, day: int, slots: list[SlotPlan], look: Lookup, rules: DrinkRules | None,
         tol: float) -> Found:  # fmt: skip
    out = []
    with_meals = plan.targets.drinks_with_meals and (rules is None or rules.with_meals)
    milk: list[str] = []
    others: list[str] = []  # drinks other than water
    cups: dict[str, float] = defaultdict(float)
    for slot in slots:
        where = f"day {day}, {slot.name}"
        drinks = [i for i in slot.items if i.role == "drink"]
        if drinks and not with_meals:
            why = plan.targets.drinks_source if not plan.targets.drinks_with_meals else "the plan's drink rules"
            out.append(("drinks", where, f"{', '.join(look.label(i) for i in drinks)} at the meal: drinks go "
                        f"between meals, not with them ({why or 'targets.drinks_with_meals'})"))  # fmt: skip
            continue
        if rules is None:
            continue
        if len(drinks) > 1:
            out.append(("drinks", where, f"{len(drinks)} drinks ({', '.join(look.label(i) for i in drinks)}); "
                        "a meal has one drink"))  # fmt: skip
        meal_energy = look.amount(slot.items, "energy")
        kind = slot_kind(slot.name)
        for item in drinks:
            at = f"{where}, {item.food_id} ({item.name})"
            label = look.label(item)
            facts = look.drink(item.food_id)
            if (facts.kind == "water") if facts is not None else bool(WATER.search(look.name(item))):
                if item.grams > rules.water_g * (1 + tol) + ABS:
                    out.append(("drinks", at, f"{item.grams:g} g of water; the glass of water is {rules.water_g:g} g"))
                continue  # water: the default drink, in no other cap
            others.append(f"{slot.name}: {label}")
            if facts is not None and kind not in facts.meals:
                sweet = " (a sweetened milk drink)" if facts.sweetened and facts.milk_drink else ""
                out.append(("drinks", at, f"{label} at {kind}{sweet}: a {facts.kind.replace('_', ' ')} drink is "
                            f"served only at {', '.join(sorted(facts.meals))} (drinks.yaml)"))  # fmt: skip
            energy = look.amount([item], "energy")
            if energy > rules.energy_share_max * meal_energy * (1 + tol) + ABS:
                share = f"{energy / meal_energy:.0%}; a drink gives at most {rules.energy_share_max:.0%}"
                out.append(("drinks", at, f"{label} gives {energy:.0f} of the meal's {meal_energy:.0f} kcal ({share})"))
            if facts.milk_drink if facts is not None else look.is_kind("milk", item):
                milk.append(f"{slot.name}: {label}")
                milk_meal = _milk_meal(slot, look) if rules.no_milk_drink_beside_milk_meal else None
                if milk_meal:
                    out.append(("drinks", at, f"a milk drink beside a meal built on milk, yogurt or a smoothie "
                                f"({milk_meal})"))  # fmt: skip
            drink_kind = facts.kind if facts is not None else ("juice" if look.is_kind("juice", item) else None)
            if drink_kind in rules.cups_per_day:
                cups[drink_kind] += item.grams / look.cup_g(item.food_id)
    most = rules.drinks_per_day if rules is not None else None
    if most is not None and len(others) > most:
        out.append(("drinks", f"day {day}", f"{len(others)} drinks besides water ({'; '.join(others)}); at most "
                    f"{most} a day"))  # fmt: skip
    if rules is not None and len(milk) > rules.milk_drinks_per_day:
        out.append(("drinks", f"day {day}", f"{len(milk)} milk drinks ({'; '.join(milk)}); at most "
                    f"{rules.milk_drinks_per_day} a day"))  # fmt: skip
    for drink_kind, n in sorted(cups.items()):
        cap = rules.cups_per_day[drink_kind] if rules is not None else 0.0
        if n > cap * (1 + tol) + ABS:
            out.append(("drinks", f"day {day}", f"{n:.2f} cups of {drink_kind.replace('_', ' ')}; at most {cap:g} "
                        "a day"))  # fmt: skip
    most_g = rules.poured_max_g if rules is not None else None
    if most_g is not None:
        items = [i for s in slots for i in s.items]
        poured = load_drinks().poured.members(look.foods, [i.food_id for i in items])
        grams = sum(i.grams for i in items if i.food_id in poured)
        if grams > most_g * (1 + tol) + ABS:
            out.append(("drinks", f"day {day}", f"{grams:,.0f} g of milk, plant milk and juice in all (to drink, on "
                        f"cereal, in smoothies); at most {most_g:,.0f} g a day"))  # fmt: skip
    return out


def _milk_meal(slot: SlotPlan, look: Lookup) -> str | None:
    """Why a meal is built on milk, yogurt or a smoothie (None: it is not)."""
    rule = load_drinks().milk_based
    foods = [i for i in slot.items if i.role != "drink"]
    milky = rule.members(look.foods, [i.food_id for i in foods])
    if slot.meal_kind == "dish" and slot.dish_id:
        dish = look.dish(slot.dish_id)
        if dish is not None:
            return f"the dish {slot.dish_id}" if milk_based(dish, look.foods) else None
        # A dish not in the bundled library (a user's file): its words, or its milk foods by weight.
        text = f"{slot.dish_id} {slot.title}".lower()
        grams = sum(i.grams for i in foods if i.food_id in milky)
        if any(re.search(rf"\b{re.escape(w)}", text) for w in rule.words) or grams >= rule.min_g:
            return f"the dish {slot.dish_id}"
        return None
    held = [look.label(i) for i in foods if i.food_id in milky]
    return f"the meal holds {', '.join(held)}" if held else None


def _hot_drinks(plan: Plan, look: Lookup, rules: DrinkRules | None) -> Found:
    t = plan.targets
    given = [(rules.hot_drinks, "the profile's hot drinks") if rules is not None else (None, ""),
             (t.hot_drinks_allowed, t.hot_drinks_source or "targets.hot_drinks_allowed")]  # fmt: skip
    allowed = [(kinds, why) for kinds, why in given if kinds is not None]
    if not allowed:
        return []
    out = []
    for day in plan.days:
        for slot in day.slots:
            for item in slot.items:
                kinds = [k for k in HOT_KINDS if look.is_kind(k, item)]
                for ok, why in allowed if kinds else ():
                    if not set(kinds) & set(ok):
                        served = ", ".join(ok) or "no coffee or tea"
                        where = f"day {day.index}, {slot.name}, {item.food_id} ({item.name})"
                        message = f"{look.label(item)} is {' or '.join(kinds)}; the plan serves {served} ({why})"
                        out.append(("hot_drinks", where, message))
    return out


def _fluids(plan: Plan, tol: float) -> Found:
    cap = plan.targets.fluid_max_ml
    if cap is None:
        return []
    out = []
    for day in plan.days:
        drinks: list[PlanItem] = [i for s in day.slots for i in s.items if i.role == "drink"]
        ml = sum(i.grams for i in drinks)  # 1 g of a drink = 1 ml
        if ml > cap * (1 + tol) + ABS:
            why = plan.targets.fluid_source or "targets.fluid_max_ml"
            out.append(("fluids", f"day {day.index}", f"the drinks hold {ml:,.0f} ml (water included); at most "
                        f"{cap:,.0f} ml a day ({why})"))  # fmt: skip
    return out
