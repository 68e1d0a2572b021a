"""What a solved day model says, in plan terms: one ``SlotPlan`` per meal, a named dish with its
ingredients or a filled pattern with a generated name, and the drink."""

from __future__ import annotations

from mealplan.food_data.names import short_name
from mealplan.food_data.patterns import meal_name
from mealplan.optimizer.inputs import MealInputs
from mealplan.optimizer.model import DRINK_USE, MealModel, PatternOption
from mealplan.plan import PlanItem, PlanRules, SlotPlan


def read_slots(built: MealModel, inputs: MealInputs, rules: PlanRules, prices: dict[str, float] | None, household):
    """The plan's meals from a solved model: one ``SlotPlan`` per slot, in the rules' order."""
    slots = []
    for slot in rules.slots:
        s = slot.name
        items: list[PlanItem] = []
        title, kind, dish_id, pattern_id, method, portion = "", "pattern", None, None, None, None
        for (j, ss), zv in built.z.items():
            if ss == s and (zv.value() or 0.0) > 0.5:
                dish = built.dishes[j]
                kind, dish_id, title, method = "dish", j, dish.name, dish.method
                total = default = 0.0
                left_out = []  # optional ingredients the day does without: the method still names them
                for i, fid in enumerate(dish.foods):
                    g = built.x[(j, s, i)].value() or 0.0
                    default += dish.grams[i]
                    if g <= 1e-6:
                        left_out.append(short_name(inputs.names[fid]))
                        continue
                    total += g
                    hi = built.x[(j, s, i)].upBound  # the slot's range (larger on a day of fewer meals)
                    items.append(_item(fid, g, dish.roles[i], inputs, prices, household, (dish.lo[i], hi)))
                portion = round(total / default, 3) if default > 0 else None
                if left_out:
                    left = ", ".join(left_out[:-1]) + " and " + left_out[-1] if len(left_out) > 1 else left_out[0]
                    method = f"{method} This time without the {left}."
        for (k, ss), pv in built.p.items():
            if ss == s and (pv.value() or 0.0) > 0.5:
                pattern_id = k
        role_of = {}
        if pattern_id is not None:
            role_of = {pool: e.key for e in built.patterns[pattern_id].entries for pool in e.pools}
        drink = None
        for (fid, ss, use), nv in built.n.items():
            steps = nv.value() or 0.0
            if ss != s or steps <= 1e-6:
                continue
            f = built.foods[fid]
            role = "drink" if use == DRINK_USE else role_of.get(f.pool, f.pool)
            it = _item(fid, steps * f.step_g, role, inputs, prices, household, None)
            if use == DRINK_USE:
                drink = it
            else:
                items.append(it)
        if pattern_id is not None:
            labels = {f.id: f.label for f in built.foods.values()}
            title = pattern_title(built.patterns[pattern_id], items, labels)
            items.sort(key=lambda i: (_ROLE_ORDER.get(i.role, 99), -i.grams, i.food_id))
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
