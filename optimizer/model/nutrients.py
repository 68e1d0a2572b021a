"""Nutrients: macronutrient ranges (AMDR or a diet pattern), maxima below the upper limits (hard) with
a price for sitting far above a target (soft), and every target's minimum as a goal with a
shortfall variable, so a plan always comes back with its shortfalls named."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from mealplan.optimizer import expr
from mealplan.optimizer.model.spec import Deferred
from mealplan.optimizer.model.weights import EXCESS_WEIGHT, MACRO_KCAL, SHORTFALL_WEIGHT

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def add_macros(b: Build) -> None:
    """Each macronutrient's share of energy within its range: ``kcal_m - lo*E >= 0`` and ``<= hi``."""
    day = b.day_energy()
    for macro, (lo, hi) in sorted(b.rules.amdr.items()):
        kcal = MACRO_KCAL.get(macro)
        if kcal is None:
            continue
        m = list(zip(b.qty, b.coef[macro] * kcal, strict=True))
        why = b.rules.amdr_overrides.get(macro, "AMDR")
        b.rule(m + [(v, -lo / 100.0 * c) for v, c in day], ">=", 0.0, f"amdr_{macro}_lo",
               f"{macro} at least {lo:g} % of energy ({why})")  # fmt: skip
        b.rule(m + [(v, -hi / 100.0 * c) for v, c in day], "<=", 0.0, f"amdr_{macro}_hi",
               f"{macro} at most {hi:g} % of energy ({why})")  # fmt: skip


def add_upper_limits(b: Build) -> None:
    """Hard maxima (a margin below the UL that applies to food, the CDRR, a dietitian's maximum), and
    the soft maximum far above a target: ``intake - excess <= soft_max``, the excess paid for per UL
    (in the polish step) or per soft maximum (in the MILP, when there is no UL)."""
    for nut, t in sorted(b.targets.items.items()):
        if t.max is not None and nut in b.coef:
            b.rule(b.total(nut), "<=", t.max, f"max_{nut}", f"{t.name} at most {t.max:g} {t.unit} ({t.max_source})")
        if t.soft_max and nut in b.coef:
            if t.ul:  # paid in the polish step only: the row would only make the MILP's rows denser
                b.deferred.append(Deferred(nut, tuple(b.total(nut)), t.soft_max, EXCESS_WEIGHT / t.ul))
                continue
            over = expr.continuous(b.prob, f"excess_{nut}")
            expr.add_le(b.prob, b.total(nut) + [(over, -1.0)], t.soft_max, f"soft_max_{nut}")
            b.objective.append((over, EXCESS_WEIGHT / t.soft_max))


def add_goals(b: Build) -> None:
    """Every nutrient's goal for the day: ``total + shortfall >= goal``, the shortfall paid per whole
    target missed times the nutrient's priority."""
    for nut, goal in sorted(b.spec.goals.items()):
        weight = SHORTFALL_WEIGHT * b.targets.items[nut].priority / goal if goal > 0 else 0.0
        if goal <= 0 or nut not in b.coef or not math.isfinite(weight):
            continue
        d = expr.continuous(b.prob, f"short_{nut}", 0.0, goal)
        b.shortfall[nut] = d
        expr.add_ge(b.prob, b.total(nut) + [(d, 1.0)], goal, f"goal_{nut}")
        b.objective.append((d, weight))
