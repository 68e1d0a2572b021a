"""Required foods and dishes (``require`` in a profile, ``--require`` on the command line) as day-model rules.

A requirement names a food id or a dish id, optionally days, a meal and grams. Checked before
solving: an id that is neither a food nor a dish, a day beyond the plan, a meal the profile does not
have, and a requirement that another hard rule (diet, allergy, exclude, forbid, safety) keeps out,
each named with the rules involved. A required food that no pattern pool or allowed dish serves
becomes an item of its own (pool ``required``) at the meals the requirement allows.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, cast

from mealplan.errors import ConfigError, ConflictError
from mealplan.food_data.pairings import pairing_rules
from mealplan.food_data.table import FoodTable
from mealplan.food_data.vocab import slot_kind
from mealplan.optimizer.inputs import MealInputs, blocked_foods
from mealplan.optimizer.model import REQUIRED_POOL, PoolFood, Required
from mealplan.plan import PlanRules

if TYPE_CHECKING:
    import pandas as pd

# Without grams a required food is served at least this many servings (a dish ingredient may be small).
MIN_SERVINGS = 0.25
OTHERS_SHOWN = 3  # rules named on the other side of a conflict
REQUIRED_MAX_G = 500.0  # a required food served outside a dish, at most, at one meal


def check_requirements(rules: PlanRules, foods: FoodTable, inputs: MealInputs, days: int) -> None:
    """Raise when a requirement cannot be met whatever the solver does, naming every rule involved.

    Raises:
        ConfigError: an unknown food or dish id, a day beyond the plan, a meal the plan does not have.
        ConflictError: another hard rule keeps the food or dish out.
    """
    problems, conflicts = [], []
    dish_ids = {d.id for d in inputs.dishes} | set(inputs.blocked_dishes)
    kinds = {slot_kind(s.name) for s in rules.slots}
    for k, r in enumerate(rules.require):
        known = r.food in foods.foods.index
        where = f"require[{k}] ({r.label()}{', ' + str(foods.foods.at[r.food, 'name']) if known else ''})"
        if r.food not in dish_ids and not known:
            problems.append(f"{where}: {r.food!r} is neither a food id nor a dish id (`mealplan foods search`, "
                            "`mealplan dishes list` find them)")  # fmt: skip
            continue
        late = [d for d in r.days if d > days]
        if late:
            problems.append(f"{where}: day {late[0]} is beyond the plan's {days} day(s)")
        if r.meal is not None and r.meal not in kinds:
            problems.append(f"{where}: the plan has no {r.meal}; its meals are {', '.join(sorted(kinds))}")
        most = _most_a_meal(r.food, inputs)
        if r.grams is not None and most is not None and r.grams > most:
            problems.append(f"{where}: {r.grams:g} g is more than one meal serves of it (at most {most:g} g)")
        if r.food in inputs.blocked_dishes:
            conflicts.append(f"{where} conflicts with the dish's {inputs.blocked_dishes[r.food]}")
        elif r.food not in dish_ids:
            why = blocked_foods(foods, [r.food], rules).get(r.food)
            if why is not None:
                conflicts.append(f"{where} conflicts with {why}")
    if problems:
        raise ConfigError("The required foods and dishes are not valid:", problems)
    if conflicts:
        raise ConflictError("Required foods or dishes conflict with other hard rules:", conflicts)


def _most_a_meal(food: str, inputs: MealInputs) -> float | None:
    """The most grams of ``food`` one meal can serve (a day of fewer meals may double a portion), or
    None when only a required item of its own would serve it (``REQUIRED_MAX_G``)."""
    tops = [max(f.max_steps, f.drink_max_steps) * f.step_g * 2 for f in inputs.all_foods if f.id == food]
    tops += [hi * 2 for d in inputs.dishes for f, hi in zip(d.foods, d.hi, strict=True) if f == food]
    return max(tops, default=None) if tops else REQUIRED_MAX_G


def with_required_foods(inputs: MealInputs, rules: PlanRules, foods: FoodTable) -> MealInputs:
    """``inputs`` with every required food a day model can serve: a pool food (kept in the day's few),
    or else an item of the ``required`` pool (a dish that has it may still serve it instead)."""
    wanted = list(dict.fromkeys(r.food for r in rules.require if r.food in foods.foods.index))
    if not wanted:
        return inputs
    pool = {f.id: f for f in inputs.all_foods}
    chosen = {f.id for f in inputs.foods}
    add_first = [pool[f] for f in wanted if f in pool and f not in chosen]
    extra = []
    nutrients, names = dict(inputs.nutrients), dict(inputs.names)
    categories, serving = dict(inputs.categories), dict(inputs.serving)
    for fid in dict.fromkeys(wanted):
        if fid in pool:
            continue
        row = cast("pd.Series", foods.foods.loc[fid])  # one food id: one row
        serving_g = float(row.get("serving_g", 100.0))
        if not (serving_g > 0 and math.isfinite(serving_g)):
            serving_g = 100.0
        nutrients[fid] = {
            k: float(v) for k, v in row.items() if k in _nutrient_columns(inputs) and v == v and _number(v)
        }
        names[fid], categories[fid] = str(row["name"]), str(row["category"])
        serving[fid] = (str(row.get("serving_name", "100 g")), serving_g)
        # One gram per step: the amount is continuous between nothing and REQUIRED_MAX_G.
        label = names[fid].split(",")[0].lower()
        extra.append(PoolFood(id=fid, name=names[fid], category=categories[fid], pool=REQUIRED_POOL, step_g=1.0,
                              min_steps=0, max_steps=int(REQUIRED_MAX_G), label=label))  # fmt: skip
    all_foods = [*inputs.all_foods, *extra]
    return dataclasses.replace(
        inputs,
        foods=[*inputs.foods, *add_first, *extra],
        all_foods=all_foods,
        facts=_apart_from_required(inputs, rules, foods, wanted, [f.id for f in all_foods]),
        nutrients=nutrients,
        names=names,
        categories=categories,
        serving=serving,
    )


def _nutrient_columns(inputs: MealInputs) -> set[str]:
    return {k for v in inputs.nutrients.values() for k in v}


def _number(v: object) -> bool:
    try:
        return math.isfinite(float(v))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def required_for_day(rules: PlanRules, day: int, inputs: MealInputs, foods: FoodTable) -> list[Required]:
    """The requirements of day ``day`` as day-model rules (no days given: the plan's first day)."""
    out = []
    for r in rules.require:
        if (r.days and day not in r.days) or (not r.days and day != 1):
            continue
        slots = tuple(s.name for s in rules.slots if r.meal is None or slot_kind(s.name) == r.meal)
        min_g = 0.0
        if r.food in foods.foods.index:
            serving_g = inputs.serving.get(r.food, ("", float(cast(float, foods.foods.at[r.food, "serving_g"]))))[1]
            min_g = MIN_SERVINGS * serving_g if serving_g > 0 else 10.0
        out.append(Required(item=r.food, slots=slots, grams=r.grams, min_g=min_g, label=f"{r.label()} (day {day})"))
    return out


def apply_requirements(spec, rules: PlanRules, inputs: MealInputs, foods: FoodTable):
    """Day ``spec.day``'s model inputs with its requirements: the rules, the required dishes among its
    options, and neither the week's variety nor yesterday's protein keeping a required item out."""
    required = required_for_day(rules, spec.day, inputs, foods)
    if not required:
        return spec
    items = {r.item for r in required}
    have = {d.id for d in spec.dishes}
    dishes = [*spec.dishes, *(d for d in inputs.dishes if d.id in items and d.id not in have)]
    banned = {kind: ids - items for kind, ids in spec.banned_dishes.items()}
    forbidden = {(f, s) for f, s in spec.forbidden if f not in items}
    return dataclasses.replace(spec, required=required, dishes=dishes, banned_dishes=banned, forbidden=forbidden)


def name_every_rule(error, spec, rules: PlanRules, targets, prices, solver: str, time_limit: float, threads: int):
    """``error`` (a day's conflict) naming every rule involved, not only the fewest that could give: the
    day is diagnosed again with those rules held firm, which shows the rules on the other side (a
    carbohydrate cap and the AMDR's 45 %, two dishes required at one dinner and "one dish a meal"), and
    again with those held too, until no other rule gives or ``OTHERS_SHOWN`` are named."""
    from mealplan.optimizer.explain import conflict_error
    from mealplan.optimizer.model import build_meal_model
    from mealplan.optimizer.solve import solve

    named = [p for p in error.problems if not p.startswith("no single rule")]
    if not named:
        return error
    others: list[str] = []
    while len(others) < OTHERS_SHOWN:  # (the rules found held firm too, until no other gives)
        firm = (*named, *others)
        built = build_meal_model(spec, rules, targets, prices=prices, elastic=True, firm=firm)
        outcome = solve(built.prob, solver=solver, time_limit=time_limit, gap=0.0, threads=threads)
        if not outcome.has_solution:
            break
        found = conflict_error({k: (v.value() or 0.0) for k, v in built.slacks.items()}, spec.day).problems
        # The rules that gave most (conflict_error lists them by how far they gave), not every nudge.
        new = [o for o in found if o not in firm and not o.startswith("no single rule")]
        if not new:
            break
        others += new[: OTHERS_SHOWN - len(others)]
    problems = [*named, *(f"{o} (conflicts with the rule above)" for o in others)]
    if any("(AMDR)" in p for p in problems):
        problems.append(
            "hint: a profile's diet_pattern (low-carb, mediterranean, dash, high-protein) or its macros "
            "replace the AMDR ranges"
        )
    if problems == error.problems:
        return error
    return type(error)(error.message, problems)


def _apart_from_required(inputs: MealInputs, rules: PlanRules, foods: FoodTable, wanted: list[str], ids: list[str]):
    """The day's facts with the pairing rules of each required food against every food: a required food
    sits in meals outside its own patterns (tahini at a tofu lunch), so the pairs the patterns alone
    could never make (left out of ``facts.never_together``) matter for it."""
    if rules.meal_rules is None or not rules.meal_rules.pairings:
        return inputs.facts
    pairs = {p for p in pairing_rules(ids, foods).never_together if p[0] in wanted or p[1] in wanted}
    return dataclasses.replace(inputs.facts, never_together=tuple(sorted({*inputs.facts.never_together, *pairs})))
