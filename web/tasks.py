"""What the worker processes do for the meal editor, the name search and the handout.

Each function takes a task (plain data: plans travel as JSON) and the worker's food table and dish
library, and returns plain data for the web process. Library errors become ``{"error", "code"}``
in :func:`mealplan.web.jobs.work`, as for plans.

- :func:`names`: the name index of the foods and dishes (the web process keeps it for searches).
- :func:`meal`: what the meal editor shows: each item's household measures, the day's key nutrients,
  and on request the ranked alternatives for one item or for the dish, with their effect on the day.
- :func:`edit`: one change to one meal, recorded, rescored and verified: refused, with the rules it
  would break, when the changed plan fails a check the plan passed before.
- :func:`handout`: the client's handout as PDF bytes (or its HTML).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, cast

from mealplan.errors import InputError

OUNCE_G = 28.349523125
UNITS_FIXED = {"g": ("g", 1.0), "oz": ("oz", OUNCE_G)}


def names(foods, dishes) -> dict[str, Any]:
    from mealplan.workbench.names import NameIndex

    return {"index": NameIndex.build(foods, dishes)}


def units_of(foods, item) -> list[tuple[str, str, float]]:
    """The units an item's amount may be given in: ``(key, label, grams)``, its household measures first."""
    out = []
    for k, (name, grams) in enumerate(foods.measures_of(item.food_id) if item.food_id in foods.foods.index else []):
        if grams > 0:
            out.append((f"m{k}", name, float(grams)))
    if not any(abs(g - item.serving_g) < 1e-6 for _, _, g in out) and item.serving_g > 0:
        out.insert(0, ("serving", item.serving_name, float(item.serving_g)))
    return out + [(key, label, g) for key, (label, g) in UNITS_FIXED.items()]


def _effects(effects) -> list[dict[str, Any]]:
    return [
        asdict(e) | {"pct_before": e.pct_before, "pct_after": e.pct_after, "direction": e.direction} for e in effects
    ]


def _alternatives(found) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "name": a.name,
            "grams": a.grams,
            "household": a.household,
            "score": a.score,
            "effects": _effects(a.effects),
            "portion": a.dish.portion if a.dish else None,
            "method": a.dish.method if a.dish else "",
        }
        for a in found
    ]


def meal(task: dict[str, Any], foods, dishes) -> dict[str, Any]:
    """The meal editor's data for day ``task["day"]``'s meal ``task["meal"]``."""
    from mealplan.plan import Plan, day_index, slot_index
    from mealplan.workbench.alternatives import day_effects, dish_alternatives, food_alternatives

    plan = Plan.model_validate_json(task["plan"])
    day, name = task["day"], task["meal"]
    slot = plan.days[day_index(plan, day)].slots[slot_index(plan, day, name)]
    out: dict[str, Any] = {
        "units": [units_of(foods, i) for i in slot.items],
        "day": _effects(day_effects(plan, plan, foods, day)),
        "alternatives": None,
        "dishes": None,
    }
    swap = task.get("swap")
    if swap is not None:
        out["alternatives"] = _alternatives(food_alternatives(plan, foods, day, name, swap))
    if task.get("dishes"):
        out["dishes"] = _alternatives(dish_alternatives(plan, foods, dishes, day, name))
    return out


def _grams(task: dict[str, Any], foods, item) -> float:
    """The grams an amount and unit come to (the unit one of :func:`units_of`)."""
    try:
        amount = float(task.get("amount", ""))
    except (TypeError, ValueError):
        raise InputError(f"amount {task.get('amount')!r}: give a number, e.g. 1.5") from None
    unit = task.get("unit") or "g"
    units = {key: (label, g) for key, label, g in units_of(foods, item)} if item is not None else dict(UNITS_FIXED)
    if unit not in units:
        allowed = ", ".join(label for label, _ in units.values())
        raise InputError(f"unit {unit!r}: allowed {allowed}.")
    return amount * units[unit][1]


def _new_failures(before, after, foods) -> list[str]:
    from mealplan.verify.verifier import verify_plan

    was = {(p.check, p.where) for p in verify_plan(before, foods).problems}
    now = verify_plan(after, foods)
    return [f"{p.where}: {p.message}" for p in now.problems if (p.check, p.where) not in was]


def edit(task: dict[str, Any], foods, dishes) -> dict[str, Any]:
    """One change to one meal (``op``: amount, remove, add, swap, dish), recorded, rescored, verified."""
    from mealplan.plan import Plan
    from mealplan.workbench import meal_edit
    from mealplan.workbench.alternatives import day_effects, dish_choice

    plan = Plan.model_validate_json(task["plan"])
    day, name, op = task["day"], task["meal"], task["op"]
    index = cast(int, task.get("index"))  # given for the ops that name an item (amount, remove, swap)
    if op == "amount":
        item = meal_edit.item_at(plan, day, name, index)
        change = meal_edit.set_amount(plan, foods, day, name, index, _grams(task, foods, item))
    elif op == "remove":
        change = meal_edit.remove_item(plan, foods, day, name, index)
    elif op == "add":
        change = meal_edit.add_item(plan, foods, day, name, task["food"], _grams(task, foods, None))
    elif op == "swap":
        change = meal_edit.swap_item(plan, foods, day, name, index, task["food"], float(task["grams"]))
    elif op == "dish":
        choice = dish_choice(plan, foods, dishes, task["dish"], float(task["portion"]))
        change = meal_edit.swap_dish(plan, foods, day, name, choice)
    else:
        raise InputError(f"change {op!r}: allowed amount, remove, add, swap, dish.")
    broken = _new_failures(plan, change.plan, foods)
    if broken:
        raise InputError(f"Not changed: {change.label} would break the plan's rules:", broken[:8])
    new = change.plan.model_copy(update={"parent_id": task.get("parent")})
    from mealplan.report import render_html

    return {
        "plan": new.model_dump_json(),
        "html": render_html(new, foods),
        "label": change.label,
        "effects": _effects(day_effects(new, plan, foods, day)),
    }


def handout(task: dict[str, Any], foods) -> dict[str, Any]:
    """The client's handout: ``{"pdf": bytes}`` (or ``{"text": html}`` with ``task["html"]``)."""
    from mealplan.plan import Plan
    from mealplan.report.handout import handout_pdf, render_handout

    plan = Plan.model_validate_json(task["plan"])
    options = {k: task.get(k) for k in ("name", "note", "units", "appendix")}
    if task.get("html"):
        return {"text": render_handout(plan, foods, **options)}
    return {"pdf": handout_pdf(plan, foods, **options)}
