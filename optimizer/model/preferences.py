"""Preferences: the person's likes (a small price for a day without a liked food) and cost (a budget
as a hard rule; the cost objective, or a tie-break when every food has a price)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mealplan.optimizer import expr
from mealplan.optimizer.model.weights import COST_TIEBREAK, COST_WEIGHT, LIKE_WEIGHT

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def add_likes(b: Build) -> None:
    """A penalty for each liked pattern none of whose foods is served that day."""
    dishes = {d.id: d for d in b.spec.dishes}
    for i, (_, liked_foods) in enumerate(sorted(b.spec.liked.items())):
        wanted = set(liked_foods)
        uses = [(v, 1.0) for k, v in b.y.items() if k[0] in wanted]
        uses += [(v, 1.0) for (j, _), v in b.z.items() if wanted & set(dishes[j].foods)]
        if not uses:
            continue
        miss = expr.binary(b.prob, f"skip_like_{i}")
        expr.add_ge(b.prob, [(miss, 1.0)] + uses, 1.0, f"like_{i}")
        b.objective.append((miss, LIKE_WEIGHT))


def add_cost(b: Build) -> None:
    """The day's cost: within the budget (hard), and in the objective when asked for (or as a
    tie-break when every food has a price)."""
    if b.prices is None:
        return
    price = np.array([float(b.prices.get(f, np.nan)) * g / 100.0 for _, f, g, _ in b.amounts])
    all_priced = not np.isnan(price).any()
    price = np.nan_to_num(price)
    if b.rules.budget is not None:
        b.rule(list(zip(b.qty, price, strict=True)), "<=", b.rules.budget, "budget",
               f"cost at most {b.rules.budget:g} a day (budget)")  # fmt: skip
    if b.rules.objective == "cost" or all_priced:
        weight = COST_WEIGHT if b.rules.objective == "cost" else COST_TIEBREAK
        b.objective.extend((v, weight * c) for v, c in zip(b.qty, price, strict=True))
