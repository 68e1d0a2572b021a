"""Locking meals of a saved plan (``mealplan lock``): the meals a re-plan keeps as they are.

The re-plan itself is the planner's (:func:`mealplan.optimizer.replan.replan`): it plans the day with
the same one day path as a new plan.
"""

from __future__ import annotations

from mealplan.errors import InputError
from mealplan.plan import MealRef, Plan, slot_index


def lock_meals(plan: Plan, meals: list[tuple[int, str]], unlock: bool = False) -> Plan:
    """``plan`` with ``meals`` (day, slot) added to (or, ``unlock``, removed from) its locked meals.

    Raises:
        InputError: an unknown day or meal.
    """
    for day, slot in meals:
        slot_index(plan, day, slot)
    refs = [MealRef(day=d, slot=s) for d, s in dict.fromkeys(meals)]
    if unlock:
        locked = [m for m in plan.locked if m not in refs]
    else:
        locked = list(plan.locked) + [m for m in refs if m not in plan.locked]
    locked.sort(key=lambda m: (m.day, [s.name for s in plan.rules.slots].index(m.slot)))
    return plan.model_copy(update={"locked": locked})


def parse_meal_ref(text: str) -> tuple[int, str]:
    """``DAY:MEAL`` (``3:dinner``) as ``(3, "dinner")``.

    Raises:
        InputError: not in that form.
    """
    day, sep, meal = text.partition(":")
    if not sep or not day.strip().isdigit() or not meal.strip():
        raise InputError(f"--lock {text!r}: give DAY:MEAL, e.g. --lock 3:dinner")
    return int(day), meal.strip()
