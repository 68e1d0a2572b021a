"""Building the day model: the variables and rows of each constraint family, in one fixed order.

``build_meal_model`` makes a :class:`Build` (the problem, its variables so far and the objective's
terms) and hands it to one function per constraint family, each in its own module: the meals
(``meals.py``), the day's food rules (``variety.py``), drinks (``drinks.py``), requirements
(``requirements.py``), energy (``energy.py``), nutrients (``nutrients.py``: macros, upper limits,
goals), food groups (``groups.py``) and preferences (``preferences.py``: likes and cost). A new rule is
a new function, not a new branch. The order is part of the model: the solver's path (and so which of
two equally good plans comes back) follows the order of columns and rows.

This module builds and never solves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pulp

from mealplan.optimizer import expr
from mealplan.optimizer.model import (
    drinks,
    energy,
    groups,
    limits,
    meals,
    nutrients,
    pairings,
    preferences,
    requirements,
    variety,
)
from mealplan.optimizer.model.spec import MealModel, MealSpec
from mealplan.optimizer.model.weights import MACRO_KCAL
from mealplan.plan import PlanRules
from mealplan.targets.model import Targets

Pairs = list[tuple[pulp.LpVariable, float]]


@dataclass
class Build:
    """A day model while it is built: the problem, its variables and the objective's terms.

    ``amounts`` lists every quantity variable with its food, grams per unit and meal; the nutrient
    totals read them (``totals``, made once the meals, variety and requirements have made them all).
    """

    prob: pulp.LpProblem
    spec: MealSpec
    rules: PlanRules
    targets: Targets
    prices: dict[str, float] | None = None
    elastic: bool = False
    firm: tuple[str, ...] = ()  # labels starting with these stay hard in an elastic model
    slacks: dict[str, pulp.LpVariable] = field(default_factory=dict)
    z: dict = field(default_factory=dict)
    x: dict = field(default_factory=dict)
    p: dict = field(default_factory=dict)
    n: dict = field(default_factory=dict)
    y: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)  # (dish, slot, ingredient) -> units of a counted ingredient
    drink_ids: set[int] = field(default_factory=set)  # id() of the amounts that are a meal's drink (water too)
    shortfall: dict[str, pulp.LpVariable] = field(default_factory=dict)
    objective: Pairs = field(default_factory=list)
    pull: Pairs = field(default_factory=list)  # the polish's pull to the energy requirement
    excess: Pairs = field(default_factory=list)  # the polish's price of intake near a UL
    deferred: list = field(default_factory=list)  # rows the MILP leaves to the polish (spec.Deferred)
    slot_energy: dict[str, pulp.LpVariable] = field(default_factory=dict)  # meal -> its kcal (energy.add_slot_energy)
    amounts: list[tuple[pulp.LpVariable, str, float, str]] = field(default_factory=list)  # (var, food, g/unit, slot)
    coef: dict[str, np.ndarray] = field(default_factory=dict)  # nutrient -> per unit of each amount
    qty: list[pulp.LpVariable] = field(default_factory=list)
    grams: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def dishes(self):
        return {d.id: d for d in self.spec.dishes}

    @property
    def pool_foods(self):
        return {f.id: f for f in self.spec.foods}

    def rule(self, pairs: Pairs, sense: str, rhs: float, name: str, label: str) -> None:
        """A hard rule; in an elastic model (the diagnosis of a conflict) with a named slack."""
        terms = list(pairs)
        if self.elastic and not (self.firm and label.startswith(self.firm)):
            s = expr.continuous(self.prob, f"slack_{len(self.slacks) + 1}")
            self.slacks[label] = s
            terms.append((s, 1.0 if sense == ">=" else -1.0))
        if sense == ">=":
            expr.add_ge(self.prob, terms, rhs, name)
        elif sense == "<=":
            expr.add_le(self.prob, terms, rhs, name)
        else:
            expr.add_eq(self.prob, terms, rhs, name)

    def totals(self) -> None:
        """The nutrient coefficients of every quantity variable (once all of them exist)."""
        facts = self.spec.facts
        extra = {*facts.meal_max, *facts.energy_pct_max}
        extra |= {groups.group_key(c) for row in facts.group_rows.values() for c in row}
        needed = sorted(set(self.targets.items) | {"energy", *MACRO_KCAL} | extra)
        nuts = self.spec.nutrients
        self.qty = [a[0] for a in self.amounts]
        self.coef = {
            nut: np.array([nuts.get(f, {}).get(nut, 0.0) * g / 100.0 for _, f, g, _ in self.amounts]) for nut in needed
        }
        self.grams = np.array([g for _, _, g, _ in self.amounts])

    def day_energy(self) -> Pairs:
        """The day's energy: the sum of its meals' kcal variables."""
        return [(v, 1.0) for v in self.slot_energy.values()]

    def drink_mask(self) -> np.ndarray:
        """Which amounts are drinks (a meal's drink or its water), in the order of ``amounts``."""
        return np.array([id(a[0]) in self.drink_ids for a in self.amounts], dtype=bool)

    def grams_of(self, foods: Iterable[str]) -> Pairs:
        """The day's grams of these foods (every meal, drinks too) as (variable, coefficient) pairs."""
        mask = np.isin(np.array([a[1] for a in self.amounts], dtype=object), sorted(foods))
        return list(zip(self.qty, self.grams * mask, strict=True))

    def total(self, nut: str, mask: np.ndarray | None = None) -> Pairs:
        """The day's total of ``nut`` (or of the amounts ``mask`` selects) as (variable, coefficient) pairs."""
        c = self.coef[nut] if mask is None else self.coef[nut] * mask
        return list(zip(self.qty, c, strict=True))


def build_meal_model(
    spec: MealSpec,
    rules: PlanRules,
    targets: Targets,
    *,
    prices: dict[str, float] | None = None,
    elastic: bool = False,
    firm: tuple[str, ...] = (),
) -> MealModel:
    """Build the MILP for one day of meals (see :mod:`mealplan.optimizer.model.spec` for the formulation).

    Args:
        spec: The day's options and goals.
        rules: The plan's rules.
        targets: The person's targets.
        prices: Prices per 100 g, for a budget and the cost objective (or its tie-break).
        elastic: Every hard rule gets a named slack and the objective is their sum: the diagnosis of
            a day whose rules conflict.
        firm: With ``elastic``, rules whose labels start with these stay hard.
    """
    b = Build(pulp.LpProblem(f"mealplan_day{spec.day}", pulp.LpMinimize), spec, rules, targets, prices, elastic, firm)
    meals.add_meals(b)
    variety.add_daily_max(b)
    drinks.add_day_limit(b)
    variety.add_once_a_day(b)
    requirements.add_requirements(b)
    b.totals()
    energy.add_slot_energy(b)
    energy.add_energy(b)
    nutrients.add_macros(b)
    nutrients.add_upper_limits(b)
    nutrients.add_goals(b)
    energy.add_meal_shares(b)
    groups.add_category_grams(b)
    preferences.add_likes(b)
    preferences.add_cost(b)
    pairings.add_pairings(b)
    drinks.add_drink_rules(b)
    limits.add_meal_limits(b)
    limits.add_kind_limits(b)
    groups.add_food_group_goals(b)
    expr.set_objective(b.prob, [(s, 1.0) for s in b.slacks.values()] if elastic else b.objective)
    return MealModel(
        objective=b.objective,
        pull=b.pull,
        excess=b.excess,
        deferred=b.deferred,
        prob=b.prob,
        z=b.z,
        x=b.x,
        p=b.p,
        n=b.n,
        y=b.y,
        shortfall=b.shortfall,
        slacks=b.slacks,
        dishes=b.dishes,
        patterns={k.id: k for k in spec.patterns},
        foods=b.pool_foods,
    )
