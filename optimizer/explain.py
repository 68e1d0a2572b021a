"""Explaining plans: why a target is short (problem nutrients) and which hard rules conflict.

A shortfall names the rules that stand in the way, as Optifood reports "problem nutrients":
- the food rules (diet, allergy, exclusion, dislike) when the foods they keep out are rich in it;
- the energy cap with portion limits, when even the densest allowed foods filling the whole energy
  allowance within their daily maxima cannot reach the goal (a fractional-knapsack bound);
- missing composition data, when many allowed foods have no value for the nutrient;
- otherwise the balance with the other targets and the meal structure.
"""

from __future__ import annotations

import numpy as np

from mealplan.errors import ConflictError
from mealplan.food_data.table import FoodTable, Rows
from mealplan.optimizer.candidates import richest_blocked
from mealplan.plan import FoodSuggestion, Shortfall
from mealplan.targets.model import Target


def energy_bound(allowed: Rows, nutrient: str, energy_max: float) -> float:
    """Most of ``nutrient`` any mix of allowed foods can give within the energy cap and daily maxima.

    Greedy by nutrient per kcal is optimal for this single-constraint continuous knapsack.
    """
    if nutrient not in allowed:
        return 0.0
    value = np.nan_to_num(allowed[nutrient].astype(float))
    kcal = np.nan_to_num(allowed["energy"].astype(float))
    cap_g = allowed["max_g"].astype(float)
    order = np.argsort(-(value / np.maximum(kcal, 1e-9)), kind="mergesort")
    budget, got = energy_max, 0.0
    for i in order:
        if value[i] <= 0 or budget <= 0:
            break
        grams = cap_g[i] if kcal[i] <= 0 else min(cap_g[i], budget / kcal[i] * 100.0)
        got += value[i] * grams / 100.0
        budget -= kcal[i] * grams / 100.0
    return got


def explain_shortfall(
    target: Target,
    scope: str,
    goal: float,
    achieved: float,
    *,
    table: FoodTable,
    allowed: Rows,
    blocked: dict[str, str],
    energy_max: float,
) -> Shortfall:
    """A Shortfall with its causes and the blocked foods that would close it."""
    nut = target.nutrient
    causes: list[str] = []
    suggestions = richest_blocked(table, blocked, nut)
    rule_kinds = sorted({reason.split(" (")[0] for _, _, _, reason in suggestions})
    if suggestions:
        causes.append(
            "food rules keep out the richest sources: "
            + "; ".join(f"{name} ({reason})" for _, name, _, reason in suggestions)
        )
    bound = energy_bound(allowed, nut, energy_max)
    if bound < goal:
        causes.append(
            f"energy cap with portion limits: within {energy_max:.0f} kcal the allowed foods can give at most "
            f"{bound:.3g} {target.unit}"
        )
    if nut in allowed:
        missing = int(np.isnan(allowed[nut].astype(float)).sum())
        if missing > 0.3 * len(allowed):
            causes.append(
                f"missing data: {missing} of {len(allowed)} allowed foods have no {target.name} value (counted as 0)"
            )
    if not causes or (rule_kinds and bound >= goal and len(causes) == 1):
        causes.append("balance with the other targets, energy range and meal structure")
    short = max(goal - achieved, 0.0)
    return Shortfall(
        nutrient=nut,
        name=target.name,
        unit=target.unit,
        scope=scope,
        target=goal,
        achieved=achieved,
        short_by=short,
        pct_of_target=100.0 * achieved / goal if goal else 100.0,
        causes=causes,
        would_close=[
            FoodSuggestion(food_id=fid, name=name, per_serving=amount, blocked_by=reason)
            for fid, name, amount, reason in suggestions
        ],
    )


def conflict_error(slacks: dict[str, float], day: int) -> ConflictError:
    """The error for hard rules that cannot hold together, naming them."""
    named = [label for label, value in sorted(slacks.items(), key=lambda kv: -kv[1]) if value > 1e-6]
    if not named:
        named = ["no single rule could be relaxed to restore feasibility (check the food table)"]
    return ConflictError(
        f"No plan for day {day} can satisfy every hard rule. These rules conflict (relaxing them restores "
        "a plan); change the profile's energy, nutrient overrides, exclusions, meals or budget:",
        problems=named,
    )
