"""What a solved day model says, in plan terms: one ``SlotPlan`` per meal, a named dish with its
ingredients or a filled pattern with a generated name, and the drink."""

from __future__ import annotations

from mealplan.food_data.dishes import dish_text
from mealplan.food_data.names import short_name
from mealplan.food_data.patterns import meal_name
from mealplan.optimizer.inputs import MealInputs
from mealplan.optimizer.model import DRINK_USE, MealModel, PatternOption
from mealplan.plan import PlanItem, PlanRules, SlotPlan


def read_slots(built: MealModel, inputs: MealInputs, rules: PlanRules, prices: dict[str, float] | None, household):
    """The plan's meals from a solved model: one ``SlotPlan`` per slot, in the rules' order.

    A dish's title and method are written from the ingredients served (``food_data.dishes.dish_text``:
    an optional ingredient left out is in neither); a counted food's grams are whole units; a meal
    without another drink gets a glass of water when the rules say water is the default drink.
    """
    slots = []
    drinks = rules.meal_rules.drinks if rules.meal_rules is not None else None
    for slot in rules.slots:
        s = slot.name
        title, kind, dish_id, pattern_id, method, portion = "", "pattern", None, None, None, None
        items: list[PlanItem] = []
        for (j, ss), zv in built.z.items():
            if ss == s and (zv.value() or 0.0) > 0.5:
                kind, dish_id = "dish", j
                items, portion = _dish_items(built, j, s, inputs, prices, household)
                served = {i.food_id for i in items}
                dish = inputs.library.get(j)
                title, method = (
                    dish_text(dish, served) if dish is not None else (built.dishes[j].name, built.dishes[j].method)
                )
        for (k, ss), pv in built.p.items():
            if ss == s and (pv.value() or 0.0) > 0.5:
                pattern_id = k
        more, drink = _pool_items(built, s, pattern_id, inputs, prices, household)
        items += more
        if pattern_id is not None:
            labels = {f.id: f.label for f in built.foods.values()}
            title = pattern_title(built.patterns[pattern_id], items, labels)
            items.sort(key=lambda i: (_ROLE_ORDER.get(i.role, 99), -i.grams, i.food_id))
        if drink is None and drinks is not None and drinks.water_default and drinks.with_meals and inputs.water:
            water = inputs.water[0]
            if water in inputs.names:
                drink = _item(water, drinks.water_g, "drink", inputs, prices, household, None)
        if drink is not None:
            items.append(drink)
        energy = sum(inputs.nutrients.get(i.food_id, {}).get("energy", 0.0) * i.grams / 100.0 for i in items)
        slots.append(
            SlotPlan(
                name=s,
                title=title,
                meal_kind=kind,
                dish_id=dish_id,
                pattern_id=pattern_id,
                method=method,
                portion=portion,
                energy_kcal=round(energy, 3),
                items=items,
            )
        )
    return slots


def _dish_items(built: MealModel, j: str, s: str, inputs: MealInputs, prices, household):
    """The ingredients dish ``j`` serves at meal ``s`` (a counted one in whole units), and its portion
    (served grams over the dish's default grams)."""
    dish = built.dishes[j]
    items, total, default = [], 0.0, 0.0
    for i, fid in enumerate(dish.foods):
        g = built.x[(j, s, i)].value() or 0.0
        unit = dish.units[i] if dish.units else 0.0
        if unit > 0:
            g = unit * round(g / unit)  # (the solver's 1.9999999 units are 2)
        default += dish.grams[i]
        if g <= 1e-6:
            continue
        total += g
        hi = built.x[(j, s, i)].upBound  # the slot's range (larger on a day of fewer meals)
        items.append(_item(fid, g, dish.roles[i], inputs, prices, household, (dish.lo[i], hi)))
    return items, (round(total / default, 3) if default > 0 else None)


def _pool_items(built: MealModel, s: str, pattern_id: str | None, inputs: MealInputs, prices, household):
    """The pool foods served at meal ``s``: a pattern's parts (or a required food), and the drink."""
    role_of = {}
    if pattern_id is not None:
        role_of = {pool: e.key for e in built.patterns[pattern_id].entries for pool in e.pools}
    items, drink = [], None
    for (fid, ss, use), nv in built.n.items():
        steps = nv.value() or 0.0
        if ss != s or steps <= 1e-6:
            continue
        f = built.foods[fid]
        if f.whole:
            steps = float(round(steps))
        role = "drink" if use == DRINK_USE else role_of.get(f.pool, f.pool)
        it = _item(fid, steps * f.step_g, role, inputs, prices, household, None)
        if use == DRINK_USE:
            drink = it
        else:
            items.append(it)
    return items, drink


_ROLE_ORDER = {
    r: i
    for i, r in enumerate(
        ["protein", "egg", "cereal", "hot_cereal", "bread", "crackers", "yogurt", "starch", "vegetable", "raw_veg"]
        + ["dip", "cheese", "spread", "milk", "fruit", "nuts", "fat", "sauce"]
    )
}


def pattern_title(pattern: PatternOption, items: list[PlanItem], labels: dict[str, str]) -> str:
    """A pattern meal's name (``food_data.patterns.meal_name``), e.g. "Baked salmon with brown rice,
    broccoli and salsa"."""
    picks: dict[str, list[str]] = {}
    for i in items:
        picks.setdefault(i.role, []).append(labels.get(i.food_id) or short_name(i.name))
    return meal_name(pattern.name.split(), pattern.id, picks)


def _item(fid, grams, role, inputs: MealInputs, prices, household, range_g) -> PlanItem:
    serving_name, serving_g = inputs.serving.get(fid, ("100 g", 100.0))
    if not serving_g > 0:
        serving_name, serving_g = "100 g", 100.0
    servings = grams / serving_g
    price = None if prices is None or fid not in prices else float(prices[fid]) * grams / 100.0
    return PlanItem(
        food_id=fid,
        name=inputs.names[fid],
        category=inputs.categories[fid],
        role=role,
        grams=round(grams, 6),
        servings=round(servings, 9),
        serving_name=serving_name,
        serving_g=serving_g,
        household=household(servings, serving_name, grams, lambda: inputs.measures(fid)),
        cost=None if price is None else round(price, 4),
        range_g=range_g,
    )
