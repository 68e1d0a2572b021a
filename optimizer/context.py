"""What every day of a plan is planned from: the person's rules and targets, prices, which foods they
may eat, their likes, and the dishes and pattern foods of the day models (``PlanContext``).

Made once a plan (``plan_context``) by the planner and by a re-plan of a saved plan, so both plan a
day from the same inputs.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from mealplan.food_data.dishes import DishLibrary, load_dishes
from mealplan.food_data.patterns import load_pattern_foods, load_patterns
from mealplan.food_data.table import SR24_SOURCE, FoodTable, Rows
from mealplan.optimizer.candidates import Eligibility, coverage_scores, eligible_foods, named, ranked
from mealplan.optimizer.inputs import MealInputs, meal_inputs
from mealplan.optimizer.require import check_requirements, with_required_foods
from mealplan.plan import PlanRules
from mealplan.targets.model import Targets

LIKED_PER_PATTERN = 3


@dataclass
class PlanContext:
    """The inputs every day of one plan shares, and how its days are solved."""

    foods: FoodTable
    rules: PlanRules
    targets: Targets
    prices: dict[str, float] | None
    elig: Eligibility
    liked: dict[str, list[str]]
    inputs: MealInputs
    solver: str = "highs"
    threads: int = 1
    gap: float = 0.01


def plan_context(
    foods: FoodTable,
    rules: PlanRules,
    targets: Targets,
    prices: dict[str, float] | None,
    *,
    dishes: DishLibrary | None = None,
    days: int | None = None,
    solver: str = "highs",
    threads: int = 1,
    gap: float = 0.01,
) -> PlanContext:
    """The shared inputs of a plan's days. With ``days``, the requirements are checked against a plan
    of that many days first (a new plan; a re-plan's were checked when it was made).

    Raises:
        ConfigError: a requirement names an unknown food or dish, a day or meal the plan lacks.
        ConflictError: another hard rule keeps a required food or dish out.
    """
    elig = eligible_foods(foods, rules)
    if dishes is None:
        dishes = load_dishes(foods=foods)
    liked = liked_foods(rules.likes, elig.allowed, targets)
    inputs = meal_inputs(foods, dishes, load_patterns(), pattern_pool(foods), rules, targets,
                         keep=liked_keep(liked), person=elig.person)  # fmt: skip
    if rules.require:  # required foods and dishes (optimizer/require.py): checked, then in every day's model
        inputs = with_required_foods(inputs, rules, foods)
        if days is not None:
            check_requirements(rules, foods, inputs, days)
    return PlanContext(foods, rules, targets, prices, elig, liked, inputs, solver, threads, gap)


def liked_foods(patterns: list[str], allowed: Rows, targets: Targets) -> dict[str, list[str]]:
    """For each like pattern, every allowed food it names, best target coverage first.

    Any of them served honours the like (a dish's salmon counts, whichever salmon row it names); the
    first ``LIKED_PER_PATTERN`` of each join the candidates (``liked_keep``).
    """
    out = {}
    for pattern in patterns:
        foods = allowed.where(named(allowed, pattern))
        if foods.empty:
            continue
        score, _ = coverage_scores(foods, targets)
        ids = foods.index
        out[pattern] = [ids[i] for i in ranked(ids, score)]
    return out


def liked_keep(liked: dict[str, list[str]]) -> set[str]:
    """The liked foods that join the candidates: each like pattern's best few."""
    return {f for foods in liked.values() for f in foods[:LIKED_PER_PATTERN]}


def pattern_pool(foods: FoodTable) -> dict:
    """The foods patterns may serve: the hand-picked bundled ones, and a user's own foods placed by category.

    Bundled foods missing from the hand-picked list stay out (they were left out on purpose); a table
    without any of them (``--no-bundled``) has every food placed by its category and name. Kept per
    table object: a batch or web worker places a 20,000-food table's foods once (0.5 s), not per plan.
    """
    if foods not in _POOLS:
        _POOLS[foods] = _pattern_pool(foods)
    return _POOLS[foods]


_POOLS: weakref.WeakKeyDictionary[FoodTable, dict] = weakref.WeakKeyDictionary()


def _pattern_pool(foods: FoodTable) -> dict:
    picked = load_pattern_foods(foods, skip_missing=True)
    own = foods.rows.ids[foods.rows["source"] != SR24_SOURCE] if picked else foods.rows.ids
    if len(own) == 0:
        return picked
    mine = FoodTable(foods.rows.take(own), {}, foods.units, placed=foods.placed)
    placed = load_pattern_foods(mine, skip_missing=True, fallback=True)
    return {**placed, **picked}
