"""The day's food rules: a food's own daily maximum over all its meals, a dish served once a day, and
one food of a family a day ("Soymilk", "Coffee").

The week's variety (a dish at most so many times a week, a food on at most so many days) is carried
in from the days before by the planner (``optimizer/week.py``): it shapes which options a day gets.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from mealplan.food_data.vocab import family
from mealplan.optimizer import expr
from mealplan.optimizer.model.spec import MEAL_USE

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def add_daily_max(b: Build) -> None:
    """A food's own daily maximum holds over all its meals and drinks (and a larger portion's scale)."""
    pool_foods = {f.id: f for f in b.spec.foods}
    per_food: dict[str, list] = {}
    for (f, _, _), v in b.n.items():
        per_food.setdefault(f, []).append((v, pool_foods[f].step_g))
    for f, terms in sorted(per_food.items()):
        cap = pool_foods[f].daily_max_g
        if math.isfinite(cap) and sum(pool_foods[f].step_g * (v.upBound or 0.0) for v, _ in terms) > cap:
            expr.add_le(b.prob, terms, cap, f"daily_max_{expr.safe_name(f)}")


def add_once_a_day(b: Build) -> None:
    """A dish is served once a day (a leftover is the next day's); a pool food at one meal a day, and
    one food of a family; a dish's required protein food counts as that food served at its meal (one
    tofu meal a day, whether a dish's or a pattern's)."""
    for dish in b.spec.dishes:
        uses = [(v, 1.0) for (j, _), v in b.z.items() if j == dish.id]
        if len(uses) > 1:
            expr.add_le(b.prob, uses, 1.0, f"dish_once_{expr.safe_name(dish.id)}")
    pool_foods = {f.id: f for f in b.spec.foods}
    fams: dict[str, list] = {}
    for (f, _, use), v in b.y.items():
        if use == MEAL_USE:
            key = family(pool_foods[f].name) if b.rules.one_per_family else f
            fams.setdefault(key, []).append(v)
    dishes = b.dishes
    for (j, _), v in b.z.items():
        for key in {fam if b.rules.one_per_family else f for f, fam in dishes[j].proteins}:
            fams.setdefault(key, []).append(v)
    for i, (_, vs) in enumerate(sorted(fams.items())):
        if len(vs) > 1:
            expr.add_le(b.prob, [(v, 1.0) for v in vs], 1.0, f"once_{i}")
