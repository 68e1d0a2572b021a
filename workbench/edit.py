"""Editing a saved plan by hand, and rescoring it from the food data.

``edit_plan`` sets, removes or adds items of one meal and records each change in ``plan.edits``;
``rescore`` recomputes every day's totals, the week's average, the shortfalls (with why) and the
cost from the food table, and records as ``"hand"`` edits the items someone changed in the JSON
itself (an amount that no longer matches its servings, an item given only as ``food_id`` and
``grams``). ``verify`` then trusts the recorded items' amounts (off the portion grid, outside a
dish's range) and still checks every hard rule; a change no edit records is tampering.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast

import pandas as pd
from pydantic import ValidationError

from mealplan.errors import InputError
from mealplan.food_data.household import household
from mealplan.food_data.table import FoodTable
from mealplan.numbers import cell_float
from mealplan.optimizer.candidates import eligible_foods
from mealplan.optimizer.totals import day_plan, quality_of, shortfalls_of, week_average
from mealplan.optimizer.upper_limits import highest_ul
from mealplan.plan import Plan, PlanEdit, PlanItem, SlotPlan, day_index, loosened_rules, slot_index

MAX_ITEM_G = 2000.0  # more than this of one food in one meal is a typo, not an edit


@dataclass(frozen=True)
class ItemEdit:
    """One change to a meal: ``set`` an item's grams, ``add`` a food, ``remove`` an item."""

    action: Literal["set", "add", "remove"]
    food_id: str
    grams: float | None = None


def parse_item_edit(action: Literal["set", "add", "remove"], text: str) -> ItemEdit:
    """``ID=GRAMS`` for ``--set`` and ``--add``, ``ID`` for ``--remove``.

    Raises:
        InputError: naming the flag, the bad value and the form allowed.
    """
    flag = f"--{action}"
    if action == "remove":
        fid = text.strip()
        if not fid or "=" in fid:
            raise InputError(f"{flag} {text!r}: give a food id, e.g. {flag} 09040")
        return ItemEdit("remove", _food_id(fid))
    fid, sep, grams = text.partition("=")
    try:
        value = float(grams)
    except ValueError:
        value = math.nan
    if not sep or not fid.strip() or not math.isfinite(value):
        raise InputError(f"{flag} {text!r}: give ID=GRAMS, e.g. {flag} 12166=30")
    if not 0 < value <= MAX_ITEM_G:
        raise InputError(
            f"{flag} {text!r}: grams {value:g} is not allowed; give more than 0 and at most {MAX_ITEM_G:g}"
        )
    return ItemEdit(action, _food_id(fid.strip()), value)


def _food_id(text: str) -> str:
    return text.zfill(5) if text.isdigit() else text


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_item(food_id: str, grams: float, foods: FoodTable, role: str = "", price: float | None = None) -> PlanItem:
    """A plan item for ``grams`` of a food, its name, category, serving and household text from the table.

    Raises:
        InputError: the food is not in the table.
    """
    if food_id not in foods.foods.index:
        raise InputError(f"food {food_id!r} is not in the food table; `mealplan foods search NAME` finds a food's id.")
    row = cast("pd.Series", foods.foods.loc[food_id])
    serving_g = float(row.get("serving_g", 100.0))
    serving_name = str(row.get("serving_name", "100 g"))
    if not (serving_g > 0 and math.isfinite(serving_g)):
        serving_name, serving_g = "100 g", 100.0
    servings = grams / serving_g
    return PlanItem(
        food_id=food_id,
        name=str(row["name"]),
        category=str(row["category"]),
        role=role,
        grams=round(grams, 6),
        servings=round(servings, 9),
        serving_name=serving_name,
        serving_g=serving_g,
        household=household(servings, serving_name, grams, lambda: foods.measures_of(food_id)),
        cost=None if price is None else round(price * grams / 100.0, 4),
    )


def _price(item: PlanItem) -> float | None:
    """The item's price per 100 g, from its cost (the plan's own prices)."""
    return None if item.cost is None or not item.grams else item.cost / item.grams * 100.0


def edit_plan(
    plan: Plan, foods: FoodTable, day: int, meal: str, edits: list[ItemEdit], note: str = "", parent: str | None = None
) -> Plan:
    """``plan`` with ``edits`` made to one meal, every change recorded, and rescored.

    Raises:
        InputError: an unknown day, meal or food; ``--set``/``--remove`` of a food the meal does not
            have; ``--add`` of one it has.
    """
    di = day_index(plan, day)
    si = slot_index(plan, day, meal)
    slot = plan.days[di].slots[si]
    items = list(slot.items)
    records = []
    at = _now()
    for e in edits:
        where = [k for k, it in enumerate(items) if it.food_id == e.food_id]
        have = ", ".join(f"{it.food_id} ({it.name.split(',')[0]})" for it in items) or "no foods"
        if e.action in ("set", "remove") and not where:
            hint = " (use --add to add it)" if e.action == "set" else ""
            raise InputError(
                f"--{e.action} {e.food_id}: day {day} {meal} has no food {e.food_id}{hint}; it has {have}."
            )
        if e.action == "add" and where:
            raise InputError(f"--add {e.food_id}: day {day} {meal} already has it; use --set {e.food_id}=GRAMS.")
        if e.action == "remove":
            before = sum(items[k].grams for k in where)
            items = [it for it in items if it.food_id != e.food_id]
            records.append(PlanEdit(action="remove", day=day, slot=meal, food_id=e.food_id, grams_before=before,
                                    grams_after=0.0, note=note, at=at))  # fmt: skip
            continue
        if e.grams is None:  # an ItemEdit made in Python without grams (parse_item_edit always gives them)
            raise InputError(f"--{e.action} {e.food_id}: give ID=GRAMS, e.g. --{e.action} {e.food_id}=30")
        if e.action == "set":  # the meal's first item of that food (the others, e.g. soy milk as the drink, stay)
            k = where[0]
            old = items[k]
            fresh = new_item(e.food_id, e.grams, foods, role=old.role, price=_price(old))
            items[k] = fresh.model_copy(update={"range_g": old.range_g})
            before = old.grams
        else:
            items.append(new_item(e.food_id, e.grams, foods, role="added"))
            before = 0.0
        records.append(PlanEdit(action=e.action, day=day, slot=meal, food_id=e.food_id, grams_before=before,
                                grams_after=e.grams, note=note, at=at))  # fmt: skip
    if not items:
        raise InputError(f"day {day} {meal}: the edits leave the meal empty; keep at least one food.")
    days = list(plan.days)
    slots = list(days[di].slots)
    slots[si] = slot.model_copy(update={"items": items})
    days[di] = days[di].model_copy(update={"slots": slots})
    edited = plan.model_copy(update={"days": days, "edits": [*plan.edits, *records], "parent_id": parent})
    return rescore(edited, foods)


def rescore(plan: Plan | dict[str, Any], foods: FoodTable) -> Plan:
    """Recompute totals, the week's average, the shortfalls and the cost of a plan from the food data.

    ``plan`` may be the raw JSON of a hand-edited plan: an item given as ``{"food_id", "grams"}``
    alone is completed from the food table, and every item whose grams no longer match its servings
    is recorded as a ``"hand"`` edit (rebuilt from the table at its new grams).

    Raises:
        InputError: an item names a food that is not in the table.
    """
    if isinstance(plan, dict):
        plan = _complete_items(plan, foods)
    check_rescorable(plan)
    hand: list[PlanEdit] = []
    at = _now()
    days = []
    for day in plan.days:
        slots = []
        for slot in day.slots:
            items = []
            for it in slot.items:
                if it.food_id not in foods.foods.index:
                    raise InputError(f"day {day.index} {slot.name}: food {it.food_id!r} is not in the food table.")
                changed = not math.isclose(it.grams, it.servings * it.serving_g, rel_tol=1e-6, abs_tol=1e-6)
                if changed or it.name == "":
                    before = None if it.name == "" else round(it.servings * it.serving_g, 6)
                    fresh = new_item(it.food_id, it.grams, foods, role=it.role, price=None)
                    cost = None if it.cost is None or not before else round(it.cost / before * it.grams, 4)
                    it = fresh.model_copy(update={"range_g": it.range_g, "cost": cost})
                    hand.append(PlanEdit(action="hand", day=day.index, slot=slot.name, food_id=it.food_id,
                                         grams_before=before, grams_after=it.grams,
                                         note="changed in the JSON, found by rescore", at=at))  # fmt: skip
                items.append(it)
            energy = sum(_energy(foods, i.food_id) * i.grams / 100.0 for i in items)
            slots.append(slot.model_copy(update={"items": items, "energy_kcal": round(energy, 3)}))
        days.append(day_plan(day.index, slots, foods, plan.targets, plan.rules))
    week = week_average(days, plan.rules.met_tolerance) if plan.kind == "week" else None
    shortfalls = shortfalls_of(days, week, plan.targets, plan.rules, foods, eligible_foods(foods, plan.rules))
    cost = plan.cost
    if cost is not None:
        cost = round(sum(i.cost or 0.0 for d in days for s in d.slots for i in s.items) / len(days), 4)
    return plan.model_copy(
        update={
            "days": days,
            "week_totals": week,
            "shortfalls": shortfalls,
            "cost": cost,
            "edits": [*plan.edits, *hand],
            "highest_ul": highest_ul(days, plan.targets),
            **quality_of(days, plan, foods),
        }
    )


def check_rescorable(plan: Plan) -> None:
    """Refuse what rescoring would launder: hard rules loosened by hand, and days numbered twice.

    Rescoring recomputes amounts from the food data and records hand-changed items as edits, which
    ``verify`` then trusts; it never accepts a changed rule (the rules come from the profile).

    Raises:
        InputError: naming each loosened rule, or the day numbers.
    """
    loosened = loosened_rules(plan)
    if loosened:
        raise InputError(
            "The plan's hard rules were loosened by hand after it was made; rescore recomputes amounts, not "
            "rules: change the profile and plan again (`mealplan plan`), or put the rules back:",
            loosened,
        )
    indices = [d.index for d in plan.days]
    first = indices[0] if indices else 1
    if indices != list(range(first, first + len(indices))) or first not in (0, 1):
        raise InputError(
            f"days: the plan's day numbers are {indices[:30]}{' ...' if len(indices) > 30 else ''}; each day has "
            f"its own number, 1 to {len(indices)} in order."
        )


def _energy(foods: FoodTable, food_id: str) -> float:
    v = cell_float(foods.foods.at[food_id, "energy"]) if "energy" in foods.foods.columns else None
    return 0.0 if v is None else v


def _complete_items(data: dict[str, Any], foods: FoodTable) -> Plan:
    """A raw plan whose items given as ``food_id`` and ``grams`` alone are filled from the table (name ""
    marks them for rescore to record)."""
    for day in data.get("days", []) or []:
        for slot in day.get("slots", []) or []:
            for it in slot.get("items", []) or []:
                if isinstance(it, dict) and "food_id" in it and "name" not in it:
                    fid = _food_id(str(it["food_id"]))
                    grams = it.get("grams")
                    if not isinstance(grams, int | float) or not 0 < grams <= MAX_ITEM_G:
                        raise InputError(
                            f"day {day.get('index')} {slot.get('name')}: item {fid}: grams {grams!r}; "
                            f"give a number more than 0 and at most {MAX_ITEM_G:g}."
                        )
                    it.update(new_item(fid, float(grams), foods, role=it.get("role", "added")).model_dump())
                    it["name"] = ""
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        from mealplan.plan_files import _json_path

        listed = [f"{_json_path(e['loc'])}: {e['msg']}" for e in exc.errors()[:20]]
        raise InputError("The plan is not a valid mealplan Plan:", listed) from None


def slot_of(plan: Plan, day: int, meal: str) -> SlotPlan:
    """Day ``day``'s meal ``meal`` (errors name the day or meal and list what exists)."""
    return plan.days[day_index(plan, day)].slots[slot_index(plan, day, meal)]
