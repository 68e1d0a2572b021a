"""Changing one meal of a saved plan item by item, as the web page's meal editor does.

Each function changes one meal, records every change in ``plan.edits`` (``set``, ``add``, ``remove``,
with a note that says the change in words, e.g. ``swap: day 2 dinner, tofu → tempeh``) and rescores
the plan (:func:`mealplan.workbench.edit.rescore`), so ``verify`` trusts the amounts a person chose and
still checks every hard rule. Items are named by their position in the meal, so a food that appears
twice (soy milk on the cereal and as the drink) is changed where it was meant.

- :func:`set_amount`, :func:`remove_item`, :func:`add_item`: an amount, an item out, a food in;
- :func:`swap_item`: one food for another (:mod:`.alternatives` ranks them);
- :func:`swap_dish`: the meal becomes another dish of the library, at a portion near the old meal's energy.

Every function returns a :class:`MealChange`: the rescored plan and the change in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mealplan.errors import InputError
from mealplan.food_data.names import short_name
from mealplan.food_data.table import FoodTable
from mealplan.optimizer.candidates import eligible_foods
from mealplan.plan import Plan, PlanEdit, PlanItem, day_index, slot_index
from mealplan.workbench.edit import MAX_ITEM_G, new_item, rescore


@dataclass(frozen=True)
class MealChange:
    """A changed plan (rescored) and what changed, in words for the history."""

    plan: Plan
    label: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def checked_grams(grams: float, what: str = "amount") -> float:
    """``grams`` when it is an amount one meal may hold: more than 0 and at most ``MAX_ITEM_G``.

    Raises:
        InputError: naming the amount and what is allowed.
    """
    if not isinstance(grams, int | float) or isinstance(grams, bool) or not math.isfinite(grams):
        raise InputError(f"{what} {grams!r}: give a number of grams more than 0 and at most {MAX_ITEM_G:g}.")
    if not 0 < grams <= MAX_ITEM_G:
        raise InputError(f"{what} {grams:g} g: give more than 0 and at most {MAX_ITEM_G:g} g of one food in a meal.")
    return float(grams)


def _meal(plan: Plan, day: int, meal: str) -> tuple[int, int]:
    return day_index(plan, day), slot_index(plan, day, meal)


def item_at(plan: Plan, day: int, meal: str, index: int) -> PlanItem:
    di, si = _meal(plan, day, meal)
    items = plan.days[di].slots[si].items
    if not 0 <= index < len(items):
        raise InputError(f"item {index + 1}: day {day} {meal} has {len(items)} item(s), 1 to {len(items)}.")
    return items[index]


def person_reasons(plan: Plan, foods: FoodTable, ids: list[str]) -> dict[str, str]:
    """Of ``ids``, the foods the plan's rules keep out for this person (diet, allergies, ``exclude``,
    ``forbid``, ``dislikes``, life-stage safety) or that are not in the table, with why."""
    known = [f for f in ids if f in foods.foods.index]
    out = {f: "not in the food table" for f in ids if f not in foods.foods.index}
    if known:
        elig = eligible_foods(foods, plan.rules)
        at = elig.foods.positions(known)
        out |= {f: str(elig.person[i]) for f, i in zip(known, at.tolist(), strict=True) if elig.person[i]}
    return out


def allowed_food(plan: Plan, foods: FoodTable, food_id: str) -> None:
    """Raise unless the plan's rules let this person eat ``food_id`` (in the table, not kept out by the
    diet, an allergy, ``exclude``, ``forbid``, ``dislikes`` or safety)."""
    why = person_reasons(plan, foods, [food_id]).get(food_id)
    if why == "not in the food table":
        raise InputError(f"food {food_id!r} is not in the food table; search for foods by name.")
    if why:
        name = short_name(str(foods.foods.at[food_id, "name"]))
        raise InputError(f"{name} ({food_id}) cannot be served in this plan: {why}.")


def _changed(
    plan: Plan,
    foods: FoodTable,
    day: int,
    meal: str,
    items: list[PlanItem],
    records: list[PlanEdit],
    slot_update: dict[str, Any] | None = None,
) -> Plan:
    if not items:
        raise InputError(f"day {day} {meal}: that would leave the meal empty; keep at least one food.")
    di, si = _meal(plan, day, meal)
    slot = plan.days[di].slots[si]
    days = list(plan.days)
    slots = list(days[di].slots)
    slots[si] = slot.model_copy(update={"items": items, **(slot_update or {})})
    days[di] = days[di].model_copy(update={"slots": slots})
    return rescore(plan.model_copy(update={"days": days, "edits": [*plan.edits, *records]}), foods)


def _edit(action: str, day: int, meal: str, food_id: str, before: float, after: float, note: str) -> PlanEdit:
    return PlanEdit(
        action=action,
        day=day,
        slot=meal,
        food_id=food_id,
        grams_before=round(before, 6),
        grams_after=round(after, 6),
        note=note,
        at=_now(),
    )


def _price(item: PlanItem) -> float | None:
    return None if item.cost is None or not item.grams else item.cost / item.grams * 100.0


def set_amount(plan: Plan, foods: FoodTable, day: int, meal: str, index: int, grams: float) -> MealChange:
    """Item ``index`` (0-based) of a meal at ``grams``."""
    grams = checked_grams(grams)
    old = item_at(plan, day, meal, index)
    label = f"amount: day {day} {meal}, {short_name(old.name)} {old.grams:.0f} → {grams:.0f} g"
    fresh = new_item(old.food_id, grams, foods, role=old.role, price=_price(old))
    items = list(plan.days[day_index(plan, day)].slots[slot_index(plan, day, meal)].items)
    items[index] = fresh.model_copy(update={"range_g": old.range_g})
    record = _edit("set", day, meal, old.food_id, old.grams, grams, label)
    return MealChange(_changed(plan, foods, day, meal, items, [record]), label)


def remove_item(plan: Plan, foods: FoodTable, day: int, meal: str, index: int) -> MealChange:
    """A meal without item ``index``."""
    old = item_at(plan, day, meal, index)
    label = f"remove: day {day} {meal}, {short_name(old.name)}"
    items = list(plan.days[day_index(plan, day)].slots[slot_index(plan, day, meal)].items)
    del items[index]
    record = _edit("remove", day, meal, old.food_id, old.grams, 0.0, label)
    return MealChange(_changed(plan, foods, day, meal, items, [record]), label)


def add_item(plan: Plan, foods: FoodTable, day: int, meal: str, food_id: str, grams: float) -> MealChange:
    """A meal with ``grams`` of ``food_id`` added (a food the plan's rules allow)."""
    grams = checked_grams(grams)
    allowed_food(plan, foods, food_id)
    items = list(plan.days[day_index(plan, day)].slots[slot_index(plan, day, meal)].items)
    if any(i.food_id == food_id for i in items):
        raise InputError(
            f"day {day} {meal} already has {short_name(str(foods.foods.at[food_id, 'name']))}: change "
            "its amount instead."
        )
    item = new_item(food_id, grams, foods, role="added")
    label = f"add: day {day} {meal}, {short_name(item.name)} {grams:.0f} g"
    record = _edit("add", day, meal, food_id, 0.0, grams, label)
    return MealChange(_changed(plan, foods, day, meal, [*items, item], [record]), label)


def swap_item(plan: Plan, foods: FoodTable, day: int, meal: str, index: int, food_id: str, grams: float) -> MealChange:
    """Item ``index`` of a meal replaced by ``grams`` of ``food_id``, in the same role (the drink stays
    the drink)."""
    grams = checked_grams(grams)
    old = item_at(plan, day, meal, index)
    if food_id == old.food_id:
        return set_amount(plan, foods, day, meal, index, grams)
    allowed_food(plan, foods, food_id)
    items = list(plan.days[day_index(plan, day)].slots[slot_index(plan, day, meal)].items)
    if any(i.food_id == food_id for k, i in enumerate(items) if k != index):
        raise InputError(f"day {day} {meal} already has that food: change its amount instead.")
    fresh = new_item(food_id, grams, foods, role=old.role)
    label = f"swap: day {day} {meal}, {short_name(old.name)} → {short_name(fresh.name)} {grams:.0f} g"
    items[index] = fresh.model_copy(update={"range_g": old.range_g})
    records = [
        _edit("remove", day, meal, old.food_id, old.grams, 0.0, label),
        _edit("add", day, meal, food_id, 0.0, grams, label),
    ]
    return MealChange(_changed(plan, foods, day, meal, items, records), label)


@dataclass(frozen=True)
class DishChoice:
    """A dish as it would be served at one meal: its ingredients for this person and the portion."""

    dish_id: str
    title: str
    method: str
    portion: float
    items: list[tuple[str, float, str, tuple[float, float]]]  # food id, grams, role, range


def swap_dish(plan: Plan, foods: FoodTable, day: int, meal: str, choice: DishChoice) -> MealChange:
    """A meal that becomes dish ``choice`` (from :func:`mealplan.workbench.alternatives.dish_choice`);
    the meal's drink stays."""
    di, si = _meal(plan, day, meal)
    slot = plan.days[di].slots[si]
    for fid, grams, _, _ in choice.items:
        allowed_food(plan, foods, fid)
        checked_grams(grams, f"{fid}")
    drinks = [i for i in slot.items if i.role == "drink"]
    items = [
        new_item(fid, g, foods, role=role).model_copy(update={"range_g": rng}) for fid, g, role, rng in choice.items
    ]
    label = f"swap dish: day {day} {meal}, {slot.title} → {choice.title}"
    records = [_edit("remove", day, meal, i.food_id, i.grams, 0.0, label) for i in slot.items if i.role != "drink"]
    records += [_edit("add", day, meal, i.food_id, 0.0, i.grams, label) for i in items]
    update = {
        "title": choice.title,
        "meal_kind": "dish",
        "dish_id": choice.dish_id,
        "pattern_id": None,
        "method": choice.method,
        "portion": choice.portion,
        "leftover_of": None,
    }
    return MealChange(_changed(plan, foods, day, meal, [*items, *drinks], records, update), label)
