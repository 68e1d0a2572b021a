"""The person's limits per meal and per kind of food (``Targets`` clinical fields): a meal's lactose
(lactose intolerance), a meal's food mass (after bariatric surgery), and grams a day of a kind of food
(milk, juice) or what its weekly limit leaves for today (fish), with a kind's weekly minimum as a goal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mealplan.optimizer import expr
from mealplan.optimizer.model.weights import KIND_MIN_WEIGHT

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def add_meal_limits(b: Build) -> None:
    """At most ``meal_max[nutrient]`` of a nutrient in each meal, and at most ``meal_mass_max_g`` of food."""
    facts = b.spec.facts
    if not facts.meal_max and facts.meal_mass_max_g is None:
        return
    slot_of = np.array([a[3] for a in b.amounts], dtype=object)
    food = ~b.drink_mask()
    for slot in b.rules.slots:
        inside = (slot_of == slot.name).astype(float)
        for nut, cap in sorted(facts.meal_max.items()):
            if nut in b.coef:
                why = b.targets.meal_max_source.get(nut, "")
                b.rule(b.total(nut, inside), "<=", cap, f"meal_max_{nut}_{slot.name}",
                       f"{nut} at most {cap:g} g at {slot.name} ({why})")  # fmt: skip
        if facts.meal_mass_max_g is not None:
            grams, cap = b.grams * inside * food, facts.meal_mass_max_g
            label = f"{slot.name}: food at most {cap:,.0f} g ({b.targets.meal_mass_source})"
            b.rule(list(zip(b.qty, grams, strict=True)), "<=", cap, f"meal_mass_{slot.name}", label)


def add_kind_limits(b: Build) -> None:
    """Grams of a kind of food today: at most ``kind_max_g`` (hard), and ``kind_min_g`` as a goal."""
    spec = b.spec
    if not spec.kind_max_g and not spec.kind_min_g:
        return
    for kind in sorted(set(spec.kind_max_g) | set(spec.kind_min_g)):
        terms = b.grams_of(spec.facts.kinds.get(kind, frozenset()))
        if kind in spec.kind_max_g:
            cap = spec.kind_max_g[kind]
            src = b.targets.food_kind_source
            why = src.get(f"daily:{kind}") or src.get(f"weekly:{kind}", "")
            b.rule(terms, "<=", cap, f"kind_max_{expr.safe_name(kind)}", f"{kind} at most {cap:,.0f} g today ({why})")
        goal = spec.kind_min_g.get(kind, 0.0)
        if goal > 0:
            d = expr.continuous(b.prob, f"short_kind_{expr.safe_name(kind)}", 0.0, goal)
            expr.add_ge(b.prob, [*terms, (d, 1.0)], goal, f"kind_min_{expr.safe_name(kind)}")
            b.objective.append((d, KIND_MIN_WEIGHT / goal))
