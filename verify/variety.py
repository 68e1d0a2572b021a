"""The week's variety of breakfasts and snacks (schema 2.1 meal rules).

- ``breakfast_variety``: the same breakfast (a dish by its id, a pattern meal by its pattern id: the
  meal's shape) on at most ``meal_rules.breakfast_max_per_week`` days in each block of 7 days;
- ``snack_variety``: the same snack at most ``meal_rules.snack_max_per_week`` times in each block
  (a day of several snacks may count a snack twice).
- with ``meal_rules.no_light_dish_two_days_running``, a dish served at breakfast or a snack is not
  served at breakfast or a snack the next day (``breakfast_variety``, or ``snack_variety`` for a snack).

The days ``rules.variety_relaxed_days`` lists are excused, as the dish-variety check excuses them
(the plan's notes say why). The days-per-food rule, with ``food_days_cover_dishes``, is the
``days_per_food`` check of :mod:`verify.foods`.
"""

from __future__ import annotations

from mealplan.food_data.vocab import LIGHT_MEALS, slot_kind
from mealplan.plan import Plan, SlotPlan, week_blocks

VARIETY_CHECKS: tuple[str, ...] = ("breakfast_variety", "snack_variety")


def meal_key(slot: SlotPlan) -> str | None:
    """What makes two meals "the same": ``dish <id>`` or ``pattern <id>``; None for a 1.x meal of foods."""
    if slot.meal_kind == "dish" and slot.dish_id:
        return f"dish {slot.dish_id}"
    if slot.meal_kind == "pattern" and slot.pattern_id:
        return f"pattern {slot.pattern_id}"
    return None


def variety_problems(plan: Plan) -> list[tuple[str, str, str]]:
    """Problems of the breakfast and snack variety rules, as ``(check, where, message)``."""
    rules = plan.rules.meal_rules
    if rules is None:
        return []
    out: list[tuple[str, str, str]] = []
    relaxed = set(plan.rules.variety_relaxed_days)
    weeks = week_blocks([d.index for d in plan.days])
    for check, kind, unit in (("breakfast_variety", "breakfast", "days"), ("snack_variety", "snack", "times")):
        limit = rules.most_per_week(kind)
        if limit is None:
            continue
        served: dict[str, list[int]] = {}
        for day in plan.days:
            if day.index in relaxed:
                continue
            for slot in day.slots:
                key = meal_key(slot)
                if key is not None and slot_kind(slot.name) == kind:
                    served.setdefault(key, []).append(day.index)
        for key, days in sorted(served.items()):
            for week in weeks:  # each week of a longer plan
                on = [d for d in days if d in week]
                if len(on) > limit:
                    out.append((check, key, f"served as {kind} {len(on)} times (days {', '.join(map(str, on))}); "
                                f"the same {kind} at most {limit} {unit} a week"))  # fmt: skip
    if rules.no_light_dish_two_days_running:
        out += _light_dishes_two_days_running(plan, relaxed)
    return out


def _light_dishes_two_days_running(plan: Plan, relaxed: set[int]) -> list[tuple[str, str, str]]:
    """A breakfast or snack dish served at breakfast or a snack on the day before as well."""
    light = {
        day.index: {s.dish_id for s in day.slots if s.dish_id and slot_kind(s.name) in LIGHT_MEALS} for day in plan.days
    }
    out = []
    for day in plan.days:
        if day.index in relaxed:
            continue
        for slot in day.slots:
            kind = slot_kind(slot.name)
            if kind in LIGHT_MEALS and slot.dish_id in light.get(day.index - 1, set()):
                out.append((f"{kind}_variety", f"day {day.index}, {slot.name}",
                            f"dish {slot.dish_id} was a breakfast or snack on day {day.index - 1} too; "
                            "not two days running"))  # fmt: skip
    return out
