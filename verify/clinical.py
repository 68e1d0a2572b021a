"""The clinical rules of the targets (schema 2.1 fields of ``Targets``; each is off by default).

- ``meal_limits``: ``meal_max`` (nutrient -> at most this much at one meal or snack, drinks
  included: lactose 12 g with lactose intolerance; lactose by ``food_data.lactose.lactose_per_100g``,
  any other nutrient by the table's column, an unknown value counting 0) and ``meal_mass_max_g`` (grams
  of food at one meal or snack, its drinks apart: bariatric surgery).
- ``food_kind_limits``: ``daily_max_g`` (kind -> grams a day: children's milk and juice) and
  ``weekly_max_g`` (kind -> grams in each block of 7 days: fish in pregnancy), every item counted,
  drinks included; a kind's foods are those ``food_data.clinical_rules.kind_mask`` names.
- ``food_kind_goals``: ``weekly_min_g`` is a goal that yields to the diet and allergies, not a
  limit: a week short of it is reported among the verification's ``accepted`` items (as soft rules
  bent by an edit are), never as a failure. A block shorter than 7 days aims at its share of the goal.

``portion_scale`` (a child's portions) changes the ranges a plan records (a dish ingredient's
``range_g``, which ``dish_ranges`` checks); there is nothing else to check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from mealplan.food_data.clinical_rules import load_clinical_rules
from mealplan.plan import Plan, PlanItem, week_blocks
from mealplan.verify.lookup import Found, Lookup

CLINICAL_CHECKS: tuple[str, ...] = ("meal_limits", "food_kind_limits", "food_kind_goals")
ABS = 1e-6
WEEK = 7


def clinical_problems(plan: Plan, look: Lookup, tol: float) -> tuple[Found, Found]:
    """``(problems, notes)`` of the clinical rules, each ``(check, where, message)``; notes are goals
    not reached (``weekly_min_g``), reported apart and never failing the plan."""
    t = plan.targets
    out: Found = []
    for day in plan.days:
        for slot in day.slots:
            where = f"day {day.index}, {slot.name}"
            for nut, limit in sorted(t.meal_max.items()):
                amount = look.lactose(slot.items) if nut == "lactose" else look.amount(slot.items, nut)
                if amount > limit * (1 + tol) + ABS:
                    unit = look.foods.units.get(nut, "g")
                    why = t.meal_max_source.get(nut) or "targets.meal_max"
                    out.append(("meal_limits", where, f"{nut}: {amount:.1f} {unit} at the meal; at most {limit:g} "
                                f"{unit} a meal ({why})"))  # fmt: skip
            food = sum(i.grams for i in slot.items if i.role != "drink")
            if t.meal_mass_max_g is not None and food > t.meal_mass_max_g * (1 + tol) + ABS:
                out.append(("meal_limits", where, f"the food weighs {food:,.0f} g; at most {t.meal_mass_max_g:,.0f} g "
                            f"a meal, drinks apart ({t.meal_mass_source or 'targets.meal_mass_max_g'})"))  # fmt: skip
    kinds, unknown = _kinds(plan, look)
    out += unknown
    for kind, limit in sorted(t.daily_max_g.items()):
        for day in plan.days if kind in kinds else ():
            items = [i for s in day.slots for i in s.items if kinds[kind](i)]
            grams = sum(i.grams for i in items)
            if grams > limit * (1 + tol) + ABS:
                out.append(("food_kind_limits", f"day {day.index}", f"{kind}: {grams:,.0f} g ({_foods(items, look)}); "
                            f"at most {limit:,.0f} g a day ({_why(plan, 'daily', kind)})"))  # fmt: skip
    notes: Found = []
    blocks = week_blocks([d.index for d in plan.days])
    by_index = {d.index: d for d in plan.days}
    for k, block in enumerate(blocks, start=1):
        where = "week" if len(blocks) == 1 else f"week {k}"
        items_of = {kind: [i for d in block for s in by_index[d].slots for i in s.items if test(i)]
                    for kind, test in kinds.items()}  # fmt: skip
        for kind, limit in sorted(t.weekly_max_g.items()):
            grams = sum(i.grams for i in items_of.get(kind, []))
            if kind in kinds and grams > limit * (1 + tol) + ABS:
                out.append(("food_kind_limits", where, f"{kind}: {grams:,.0f} g in {_span(block)} "
                            f"({_foods(items_of[kind], look)}); at most {limit:,.0f} g a week "
                            f"({_why(plan, 'weekly', kind)})"))  # fmt: skip
        for kind, goal in sorted(t.weekly_min_g.items()):
            aim = goal * len(block) / WEEK  # a shorter last block aims at its share
            grams = sum(i.grams for i in items_of.get(kind, []))
            if kind in kinds and grams < aim * (1 - tol) - ABS:
                goal_text = (
                    f"{goal:,.0f} g a week"
                    if len(block) == WEEK
                    else (f"{aim:,.0f} g in {len(block)} days ({goal:,.0f} g a week)")
                )
                notes.append(("food_kind_goals", where, f"{kind}: {grams:,.0f} g in {_span(block)}; "
                              f"the goal is about {goal_text} ({_why(plan, 'weekly_min', kind)}): a goal, not a "
                              "limit"))  # fmt: skip
    return out, notes


def _kinds(plan: Plan, look: Lookup) -> tuple[dict[str, Callable[[PlanItem], bool]], Found]:
    """kind -> a test of an item, for the kinds the targets name; and a problem per unknown kind."""
    t = plan.targets
    known = load_clinical_rules().kinds
    kinds: dict[str, Callable[[PlanItem], bool]] = {}
    problems = []
    for kind in sorted({*t.daily_max_g, *t.weekly_max_g, *t.weekly_min_g}):
        if kind not in known:
            problems.append(("food_kind_limits", "targets", f"unknown food kind {kind!r}; known: {', '.join(known)}"))
        else:
            kinds[kind] = functools.partial(look.is_kind, kind)
    return kinds, problems


def _foods(items: list[PlanItem], look: Lookup) -> str:
    grams: dict[str, float] = {}
    for i in items:
        grams[look.label(i)] = grams.get(look.label(i), 0.0) + i.grams
    return ", ".join(f"{g:,.0f} g {label}" for label, g in grams.items())


def _why(plan: Plan, key: str, kind: str) -> str:
    return plan.targets.food_kind_source.get(f"{key}:{kind}") or f"targets.{key}_g"


def _span(block: list[int]) -> str:
    return f"day {block[0]}" if len(block) == 1 else f"days {block[0]}-{block[-1]}"
