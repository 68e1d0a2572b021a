"""Food groups: the day's grams per planner category, over pattern items and dish ingredients alike
(fats and oils, sweets and condiments capped; at least some vegetables every day), and the goals of
the person's USDA Food Pattern: each food group's amount (cup-eq, oz-eq) with a shortfall paid for,
whole grains and whole fruit at least half of their group, added sugars and saturated fat under
their share of energy. The food-group amounts are pseudo-nutrients ``fg:<component>`` of every food
(``food_data.food_groups``), so the day's amount of a pattern row is linear in the amounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mealplan.optimizer import expr
from mealplan.optimizer.expr import safe_name
from mealplan.optimizer.model.spec import MealSpec
from mealplan.optimizer.model.weights import FOOD_GROUP_WEIGHT, WEEKLY_GROUP_WEIGHT

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def _categories(b: Build, spec: MealSpec) -> np.ndarray:
    return np.array([spec.categories.get(f, "") for _, f, _, _ in b.amounts], dtype=object)


def add_category_grams(b: Build) -> None:
    """Daily grams per category within the rules' maxima and minima."""
    cats = _categories(b, b.spec)
    qty = np.array(b.qty, dtype=object)
    water = b.spec.facts.water[0] if b.spec.facts.water else None
    plain_water = np.array([f == water for _, f, _, _ in b.amounts], dtype=bool)
    for cat, limit in sorted(b.rules.group_max_g.items()):
        mask = (cats == cat) & ~plain_water  # water to drink is no beverage to cap (a fluid limit is its own rule)
        if mask.any():
            b.rule(list(zip(qty[mask], b.grams[mask], strict=True)), "<=", limit,
                   f"group_max_{safe_name(cat)}", f"{cat} at most {limit:g} g a day")  # fmt: skip
    for cat, limit in sorted(b.rules.group_min_g.items()):
        mask = cats == cat
        b.rule(list(zip(qty[mask], b.grams[mask], strict=True)), ">=", limit,
               f"group_min_{safe_name(cat)}", f"{cat} at least {limit:g} g a day")  # fmt: skip


def group_key(component: str) -> str:
    """The pseudo-nutrient of a food-group component (per 100 g, like a nutrient)."""
    return f"fg:{component}"


def _row(b: Build, row: str):
    """The day's amount of a pattern row as (variable, coefficient) pairs."""
    total = np.zeros(len(b.qty))
    for comp, factor in b.spec.facts.group_rows.get(row, {}).items():
        key = group_key(comp)
        if key in b.coef:
            total = total + factor * b.coef[key]
    return total


def add_food_group_goals(b: Build) -> None:
    """The day's food-group goals (goal programming, like the nutrients), shares and energy limits."""
    facts = b.spec.facts
    weekly = b.rules.food_groups.weekly if b.rules.food_groups is not None else {}
    for row, goal in sorted(b.spec.food_goals.items()):
        if goal <= 0 or row not in facts.group_rows:
            continue
        d = expr.continuous(b.prob, f"short_fg_{safe_name(row)}", 0.0, goal)
        expr.add_ge(b.prob, [*zip(b.qty, _row(b, row), strict=True), (d, 1.0)], goal, f"goal_fg_{safe_name(row)}")
        b.objective.append((d, (WEEKLY_GROUP_WEIGHT if row in weekly else FOOD_GROUP_WEIGHT) / goal))
    # Soft maxima: refined grains at most the pattern's amount; added sugars and saturated fat at most their
    # share of the energy requirement (of the requirement, not of the day's energy: a row of one sign, which
    # the solver handles far better than ``kcal - 10 % x E``, and the day's energy stays within 5 % of it).
    maxima = [(f"fg_{row}", _row(b, row), cap) for row, cap in sorted(facts.group_max.items()) if cap > 0]
    for key, (kcal, pct) in sorted(facts.energy_pct_max.items()):
        if key in b.coef:
            maxima.append((f"pct_{key}", kcal * b.coef[key], pct / 100.0 * b.targets.energy_kcal))
    for name, coef, cap in maxima:
        over = expr.continuous(b.prob, f"over_{safe_name(name)}")
        expr.add_le(b.prob, [*zip(b.qty, coef, strict=True), (over, -1.0)], cap, f"max_{safe_name(name)}")
        b.objective.append((over, FOOD_GROUP_WEIGHT / max(cap, 1e-6)))
