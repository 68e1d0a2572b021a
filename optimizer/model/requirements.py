"""Required foods and dishes (``require``): hard rules, each named by its label when rules conflict.
What is required, and where, is worked out before the model (``optimizer/require.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def add_requirements(b: Build) -> None:
    """A required dish is chosen at one of its meals; a required food is served (at least its grams)."""
    dish_ids = {d.id for d in b.spec.dishes}
    for k, r in enumerate(b.spec.required):
        if r.item in dish_ids:
            terms = [(v, 1.0) for (j, s), v in b.z.items() if j == r.item and s in r.slots]
            b.rule(terms, ">=", 1.0, f"require_{k}", r.label)
            continue
        terms = [(v, g) for v, f, g, s in b.amounts if f == r.item and s in r.slots]
        b.rule(terms, ">=", r.grams if r.grams is not None else r.min_g, f"require_{k}", r.label)
        if r.grams is not None:  # (two rules, not one equality: each can give in a conflict's diagnosis)
            b.rule(terms, "<=", r.grams, f"require_max_{k}", f"{r.label}, at most")
