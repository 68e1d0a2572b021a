"""What the day model is made of: the options a meal may be (dishes, patterns and their pool foods),
the day's inputs (``MealSpec``) and the built model with its handles (``MealModel``).

The formulation, for meal slot s:
  z[j,s]    1 when dish j is the meal; x[j,i,s] grams of its ingredient i, within the ingredient's
            range when the dish is chosen and 0 otherwise (lo*z <= x <= hi*z);
  p[k,s]    1 when pattern k is the meal;
  n[f,s,u]  portion steps (continuous) of pool food f at s, used as part of the pattern (u = "meal") or
            as the drink (u = "drink"); y[f,s,u] 1 when it is served (absent or at least a minimum
            portion: the semi-continuous portion rule);
  d[k]      shortfall below nutrient k's goal (goal programming: a plan always comes back).

Sum_j z[j,s] + sum_k p[k,s] = 1 makes each meal one option. A pattern's entries ("one protein",
"one or two vegetables") are rows on the items of the entry's pools, switched on by p[k,s]; a pool no
chosen pattern uses has no items, because its items are capped by the patterns' capacities times p.
Nutrient totals are linear in x and n. Ratios (AMDR, energy shares) are made linear by moving the
energy expression to the left, as in ``4*P - 0.10*E >= 0``.

Once solved, ``MealModel.polish_objective`` fixes the chosen binaries and adds the dishes'
deviation from their default amounts to the objective: the LP that remains keeps dishes as written
wherever the targets allow (in the MILP those variables made every day about 30 % slower).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pulp

from mealplan.optimizer import expr
from mealplan.optimizer.model.weights import DEVIATION_WEIGHT

DRINK_USE, MEAL_USE = "drink", "meal"


@dataclass(frozen=True)
class DishOption:
    """A dish the model may choose, with its ingredients' default amounts and ranges (grams)."""

    id: str
    name: str
    kinds: frozenset[str]
    method: str
    foods: tuple[str, ...]
    grams: tuple[float, ...]
    lo: tuple[float, ...]
    hi: tuple[float, ...]
    roles: tuple[str, ...]
    units: tuple[float, ...] = ()  # grams of one counted unit (or half) of each ingredient; 0: not counted
    milk_based: bool = False  # built on milk, yogurt or a smoothie: no milk drink beside it
    is_drink: bool = False  # a smoothie or shake: no drink but water beside it
    # Its required protein foods as (food id, family): served at one meal a day, like a pattern's foods
    # (no tofu sofritas at lunch and a tofu plate at dinner).
    proteins: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PatternEntry:
    """One part of a pattern: between ``lo`` and ``hi`` items from the foods of ``pools``."""

    key: str
    pools: frozenset[str]
    lo: int
    hi: int


@dataclass(frozen=True)
class PatternOption:
    """A meal pattern: its slots, its generated-name template and its entries."""

    id: str
    name: str
    kinds: frozenset[str]
    entries: tuple[PatternEntry, ...]


@dataclass
class PoolFood:
    """A food the patterns may serve: its pool, its portion step and the steps it may take at a meal."""

    id: str
    name: str
    category: str
    pool: str
    step_g: float
    min_steps: int
    max_steps: int
    drink_max_steps: int = 0  # steps as a drink (0: not a drink)
    label: str = ""  # short name for generated meal names ("roast chicken breast")
    daily_max_g: float = math.inf  # the food's own daily maximum (curation), over every meal and drink
    whole: bool = False  # a counted food: its steps are whole units (or halves), an integer count


# Pool of a food served only because a rule requires it (``require``): an item of its meal, outside patterns.
REQUIRED_POOL = "required"


@dataclass(frozen=True)
class Required:
    """A food or dish the day must serve at one of ``slots``: a dish chosen, or a food's grams
    (exactly ``grams`` when given, else at least ``min_g``) over dishes, patterns and drinks."""

    item: str
    slots: tuple[str, ...]
    grams: float | None
    min_g: float
    label: str  # the rule in words, named when rules conflict


@dataclass(frozen=True)
class Drink:
    """A drink-pool food as a drink: its kind, the meal kinds it may come with, one cup in grams."""

    kind: str
    meals: frozenset[str]
    milk: bool  # a milk or fortified plant-milk drink (at most so many a day, never beside a milk meal)
    cup_g: float


@dataclass(frozen=True)
class MealFacts:
    """What every day of a plan shares beyond the foods: drinks, pairings, counted kinds of food, the
    person's per-meal limits and food-group goals (``optimizer/inputs.py`` makes it once a plan)."""

    drinks: dict[str, Drink] = field(default_factory=dict)  # pool food -> drink facts (the drinks it may serve)
    not_drinks: frozenset[str] = frozenset()  # known drinks it may not serve (coffee or tea not the habit, water)
    drinks_with_meals: bool = True
    milk_drinks_per_day: int | None = None
    drinks_per_day: int | None = None  # drinks other than water a day
    water: tuple[str, float] | None = None  # the default drink (food id, grams): a meal without another has it
    milk_pools: frozenset[str] = frozenset()  # a pattern meal with a food of these pools is milk-based
    cups_per_day: dict[str, float] = field(default_factory=dict)  # drink kind -> cups a day at most
    poured: frozenset[str] = frozenset()  # milk, plant milk and juice foods (drinks.yaml's poured), every form
    poured_max_g: float | None = None  # grams a day of the poured foods together, at most
    drink_share: float | None = None  # a drink's share of its meal's energy, at most
    fluid_max_g: float | None = None  # all drinks of a day, at most (dialysis)
    never_together: tuple[tuple[str, str], ...] = ()  # pool foods never at one pattern meal
    needs: dict[str, frozenset[str]] = field(default_factory=dict)  # pool food -> one of these with it
    kinds: dict[str, frozenset[str]] = field(default_factory=dict)  # food kind (milk, juice, seafood) -> foods
    meal_max: dict[str, float] = field(default_factory=dict)  # nutrient -> at most this a meal (lactose)
    meal_mass_max_g: float | None = None  # a meal's food (drinks apart), at most
    group_rows: dict[str, dict[str, float]] = field(default_factory=dict)  # pattern row -> component -> factor
    group_max: dict[str, float] = field(default_factory=dict)  # pattern row -> a day's amount at most (soft)
    energy_pct_max: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> (kcal per unit, % max)


@dataclass
class MealSpec:
    """Everything the day model needs that differs between the days of a week."""

    day: int
    goals: dict[str, float]
    foods: list[PoolFood]
    dishes: list[DishOption]
    patterns: list[PatternOption]
    nutrients: dict[str, dict[str, float]]  # food id -> nutrient -> per 100 g (unknown: 0)
    categories: dict[str, str]  # food id -> category (pool foods and dish ingredients)
    hot_drink_kinds: frozenset[str] = frozenset({"breakfast", "snack"})
    hot_drink_pools: frozenset[str] = frozenset({"hot_drink"})
    forbidden: set[tuple[str, str]] = field(default_factory=set)  # (pool food, slot) not allowed today
    banned_dishes: dict[str, set[str]] = field(default_factory=dict)  # slot kind -> dish ids not allowed
    liked: dict[str, list[str]] = field(default_factory=dict)  # like pattern -> its foods
    fixed: dict[str, tuple[str, dict[int, float]]] = field(default_factory=dict)  # slot -> leftover dish
    scale: dict[str, float] = field(default_factory=dict)  # slot -> how much larger its portions may be
    locked: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # slot -> its (food, grams), kept
    locked_drinks: list[tuple[str, float]] = field(default_factory=list)  # the kept meals' drinks (food, grams)
    required: list[Required] = field(default_factory=list)  # foods and dishes the day must serve
    facts: MealFacts = field(default_factory=MealFacts)
    food_goals: dict[str, float] = field(default_factory=dict)  # food-group row -> the day's goal
    kind_max_g: dict[str, float] = field(default_factory=dict)  # food kind -> grams today at most
    kind_min_g: dict[str, float] = field(default_factory=dict)  # food kind -> grams today (a goal)
    banned_patterns: dict[str, set[str]] = field(default_factory=dict)  # slot kind -> pattern ids not allowed
    zero_foods: set[str] = field(default_factory=set)  # foods no dish serves today (used up this week)


@dataclass(frozen=True)
class Deferred:
    """A soft maximum far above a target (``intake - excess <= soft_max``, the excess paid per UL), which
    the MILP leaves out and the polish step adds: in the MILP it is paid for nothing and only made the
    rows denser."""

    nutrient: str
    terms: tuple[tuple[pulp.LpVariable, float], ...]
    rhs: float
    weight: float

    def add_to(self, model: MealModel) -> None:
        over = expr.continuous(model.prob, f"excess_{expr.safe_name(self.nutrient)}")
        expr.add_le(model.prob, [*self.terms, (over, -1.0)], self.rhs, f"soft_max_{expr.safe_name(self.nutrient)}")
        model.excess.append((over, self.weight))


@dataclass
class MealModel:
    """A built day model and the handles needed to read a solution."""

    prob: pulp.LpProblem
    z: dict[tuple[str, str], pulp.LpVariable]
    x: dict[tuple[str, str, int], pulp.LpVariable]
    p: dict[tuple[str, str], pulp.LpVariable]
    n: dict[tuple[str, str, str], pulp.LpVariable]
    y: dict[tuple[str, str, str], pulp.LpVariable]
    shortfall: dict[str, pulp.LpVariable]
    slacks: dict[str, pulp.LpVariable]
    dishes: dict[str, DishOption]
    patterns: dict[str, PatternOption]
    foods: dict[str, PoolFood]
    objective: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)
    pull: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)  # the polish's pull to the EER
    excess: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)  # the polish's price of intake near a UL
    deferred: list[Deferred] = field(default_factory=list)  # soft maxima the polish adds

    def polish_objective(self) -> None:
        """Fix the chosen meals and foods (every binary, and every count of a counted food, at its value)
        and add the dish-deviation aim: the LP that remains keeps each chosen dish's amounts as near its
        defaults as the targets allow.

        |x - g| for an ingredient of default g is over + under with x - over + under = g.
        """
        for var in self.prob.variables():
            if var.cat == pulp.LpInteger:
                value = round(var.value() or 0.0)
                var.lowBound = var.upBound = value
        for row in self.deferred:  # intake far above a target, paid per UL
            row.add_to(self)
        self.deferred = []
        deviation = []
        for (j, s), zv in self.z.items():
            if zv.lowBound != 1:
                continue
            dish = self.dishes[j]
            for i, g in enumerate(dish.grams):
                x = self.x[(j, s, i)]
                if g <= 0 or (x.upBound or 0.0) <= dish.lo[i]:
                    continue
                tag = f"{expr.safe_name(j)}_{s}_{i}"
                over = expr.continuous(self.prob, f"over_{tag}")
                under = expr.continuous(self.prob, f"under_{tag}")
                expr.add_eq(self.prob, [(x, 1.0), (over, -1.0), (under, 1.0)], g, f"dev_{tag}")
                deviation += [(over, DEVIATION_WEIGHT / g), (under, DEVIATION_WEIGHT / g)]
        expr.set_objective(self.prob, [*self.objective, *self.pull, *self.excess, *deviation])

    @property
    def size(self) -> tuple[int, int]:
        """(variables, constraints)."""
        return len(self.prob.variables()), self.prob.numConstraints()
