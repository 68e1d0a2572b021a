"""A plan's nutrient totals, recomputed from the food table: per day, as a week's average, and the
shortfalls they leave against the targets (each explained).

Used by the planner after solving and by anything that changes a plan's items afterwards (an edit,
a re-plan), so totals always come from the food data, never from the solver's own numbers.
"""

from __future__ import annotations

import math

from mealplan.food_data.food_groups import totals as food_group_totals
from mealplan.food_data.hei import hei2020_of_foods
from mealplan.food_data.table import FoodTable
from mealplan.optimizer.explain import explain_shortfall
from mealplan.optimizer.model import MACRO_KCAL
from mealplan.plan import (
    DayPlan,
    DietQuality,
    NutrientTotal,
    PlanItem,
    PlanRules,
    Shortfall,
    SlotPlan,
    week_blocks,
    week_scope,
)
from mealplan.targets.model import Targets

MACROS = ("protein", "fat", "carbohydrate")


def day_plan(d: int, slots: list[SlotPlan], foods: FoodTable, targets: Targets, rules: PlanRules) -> DayPlan:
    """A day's plan from its meals: totals for every targeted nutrient, recomputed from the table."""
    all_items = [i for s in slots for i in s.items]
    used = sorted({i.food_id for i in all_items})
    rows = foods.rows.take(used)
    totals = {}
    for nut in sorted(set(targets.items) | {"energy", *MACROS}):
        per_100g = dict(zip(used, rows[nut].astype(float).tolist(), strict=True)) if nut in rows else {}
        amount, unknown = 0.0, 0
        for it in all_items:
            a, missing = _amount(per_100g, it)
            amount += a
            unknown += missing
        totals[nut] = _total(nut, amount, unknown, targets.items.get(nut), foods, rules.met_tolerance)
    energy = totals["energy"].amount
    macros = {m: round(100.0 * totals[m].amount * MACRO_KCAL[m] / energy, 3) if energy else 0.0 for m in MACROS}
    groups = {}
    if rules.food_groups is not None:  # the day's food-pattern equivalents (schema 2.1)
        grams: dict[str, float] = {}
        for it in all_items:
            grams[it.food_id] = grams.get(it.food_id, 0.0) + it.grams
        groups = {k: round(v, 6) for k, v in food_group_totals(foods, grams).items() if v}
    return DayPlan(
        index=d, energy_kcal=round(energy, 3), macros_pct=macros, slots=slots, totals=totals, food_groups=groups
    )


def _amount(per_100g: dict[str, float], item: PlanItem) -> tuple[float, int]:
    """An item's amount of a nutrient (0 and one unknown item when the food's value is unknown)."""
    value = per_100g.get(item.food_id)
    if value is None or math.isnan(value):
        return 0.0, 1
    return float(value) * item.grams / 100.0, 0


def _pct(amount: float, lo: float | None) -> float | None:
    """Percent of a minimum; None without a minimum or when it is too small to divide by (1e-308)."""
    if not lo:
        return None
    pct = 100.0 * amount / lo
    return round(pct, 3) if math.isfinite(pct) else None


def _total(nut: str, amount: float, unknown: int, t, foods: FoodTable, tolerance: float) -> NutrientTotal:
    lo = t.min if t is not None and t.min else None
    hi = t.max if t is not None else None
    unit = t.unit if t is not None else foods.units.get(nut, "")
    return _nutrient_total(nut, unit, amount, unknown, lo, hi, tolerance)


def _nutrient_total(
    nut: str, unit: str, amount: float, unknown: int, lo: float | None, hi: float | None, tolerance: float
) -> NutrientTotal:
    """A total against its minimum (met within ``tolerance``, the solver's) and maximum."""
    return NutrientTotal(
        nutrient=nut,
        unit=unit,
        amount=round(amount, 6),
        min=lo,
        max=hi,
        pct_of_min=_pct(amount, lo),
        met=lo is None or amount >= lo * (1 - tolerance),
        unknown_items=unknown,
    )


def week_average(day_plans: list[DayPlan], tolerance: float) -> dict[str, NutrientTotal]:
    """The daily average over the plan's days of each total, against the same bounds."""
    n = len(day_plans)
    return {
        nut: _nutrient_total(
            nut,
            first.unit,
            sum(dp.totals[nut].amount for dp in day_plans) / n,
            sum(dp.totals[nut].unknown_items for dp in day_plans),
            first.min,
            first.max,
            tolerance,
        )
        for nut, first in day_plans[0].totals.items()
    }


def shortfalls_of(
    day_plans: list[DayPlan],
    week_totals: dict[str, NutrientTotal] | None,
    targets: Targets,
    rules: PlanRules,
    foods: FoodTable,
    elig,
) -> list[Shortfall]:
    """Every target minimum a plan misses, most important first, each with why (``elig``: the
    eligibility of foods, from :func:`optimizer.candidates.eligible_foods`). A weekly nutrient is judged
    on each week's average (:func:`mealplan.plan.week_blocks`)."""
    out = []
    for nut, t in sorted(targets.items.items(), key=lambda kv: (-kv[1].priority, kv[0])):
        if not t.min:
            continue
        if nut in rules.weekly_nutrients and week_totals is not None:
            weeks = week_blocks([dp.index for dp in day_plans])
            by_index = {dp.index: dp for dp in day_plans}
            scopes = [
                (week_scope(k, len(weeks)), week_totals[nut] if len(weeks) == 1 else
                 week_average([by_index[i] for i in week], rules.met_tolerance)[nut])
                for k, week in enumerate(weeks, start=1)
            ]  # fmt: skip
        else:
            scopes = [(f"day {dp.index}", dp.totals[nut]) for dp in day_plans]
        for scope, total in scopes:
            if total.met:
                continue
            short = explain_shortfall(
                t,
                scope,
                t.min,
                total.amount,
                table=foods,
                allowed=elig.allowed,
                blocked=elig.blocked,
                energy_max=rules.energy_max,
            )
            if targets.food_mass_max_g is not None:  # poor appetite: less food to carry every target
                cause = f"poor appetite: food and drink at most {targets.food_mass_max_g:,.0f} g a day"
                short = short.model_copy(update={"causes": [*short.causes, cause]})
            out.append(short)
    return out


def quality_of(days: list[DayPlan], plan, foods: FoodTable) -> dict:
    """The plan fields that follow its days' items (schema 2.1): the week's food groups and the diet
    quality, for a plan whose days were changed (an edit, a rescore, a re-plan)."""
    if plan.rules.food_groups is None:
        return {}
    week = week_food_groups(days) if plan.kind == "week" else None
    return {"week_food_groups": week, "diet_quality": diet_quality(days, foods)}


def week_food_groups(days: list[DayPlan]) -> dict[str, float]:
    """The food groups' daily average over the plan's days."""
    out: dict[str, float] = {}
    for d in days:
        for k, v in d.food_groups.items():
            out[k] = out.get(k, 0.0) + v
    return {k: round(v / len(days), 6) for k, v in sorted(out.items())}


def diet_quality(days: list[DayPlan], foods: FoodTable) -> list[DietQuality]:
    """The HEI-2020 of each week of the plan (of the day, for a day plan), from its items and the table."""
    out = []
    blocks = week_blocks([d.index for d in days])
    by_index = {d.index: d for d in days}
    for w, block in enumerate(blocks, start=1):
        grams: dict[str, float] = {}
        for i in block:
            for s in by_index[i].slots:
                for it in s.items:
                    grams[it.food_id] = grams.get(it.food_id, 0.0) + it.grams
        score = hei2020_of_foods(foods, grams)
        scope = f"day {block[0]}" if len(days) == 1 else week_scope(w, len(blocks)).removesuffix(" average")
        out.append(
            DietQuality(
                scope=scope,
                total=round(score.total, 2),
                components={c.id: round(c.points, 3) for c in score.components},
                max_points={c.id: c.max_points for c in score.components},
            )
        )
    return out
