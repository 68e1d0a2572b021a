"""Food groups: the day's grams per planner category, over pattern items and dish ingredients alike
(fats and oils, sweets and condiments capped; at least some vegetables every day)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mealplan.optimizer.expr import safe_name
from mealplan.optimizer.model.spec import MealSpec

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def _categories(b: Build, spec: MealSpec) -> np.ndarray:
    return np.array([spec.categories.get(f, "") for _, f, _, _ in b.amounts], dtype=object)


def add_category_grams(b: Build) -> None:
    """Daily grams per category within the rules' maxima and minima."""
    cats = _categories(b, b.spec)
    qty = np.array(b.qty, dtype=object)
    for cat, limit in sorted(b.rules.group_max_g.items()):
        mask = cats == cat
        if mask.any():
            b.rule(list(zip(qty[mask], b.grams[mask], strict=True)), "<=", limit,
                   f"group_max_{safe_name(cat)}", f"{cat} at most {limit:g} g a day")  # fmt: skip
    for cat, limit in sorted(b.rules.group_min_g.items()):
        mask = cats == cat
        b.rule(list(zip(qty[mask], b.grams[mask], strict=True)), ">=", limit,
               f"group_min_{safe_name(cat)}", f"{cat} at least {limit:g} g a day")  # fmt: skip
