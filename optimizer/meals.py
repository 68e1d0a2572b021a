"""The day model of meals people cook (a mixed-integer goal program). This module builds and never solves.

Every meal slot is exactly one *option*: a named dish from the dish library, or a meal *pattern*
(plate, cereal bowl, toast and spread, ...) that the model fills with foods from the pattern pools.
An optional drink can go with any meal.

Variables, for meal slot s:
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

import numpy as np
import pulp

from mealplan.food_data.vocab import family, slot_kind
from mealplan.optimizer import expr
from mealplan.plan import PlanRules
from mealplan.targets.model import Targets

SHORTFALL_WEIGHT = 1000.0  # per whole target missed, times priority
LIKE_WEIGHT = 2.0  # per liked pattern with no food in the day
COST_WEIGHT = 100.0  # per currency unit when the objective is cost
COST_TIEBREAK = 1.0  # per currency unit otherwise (when prices are known)
# A lunch or dinner filled from a pattern instead of a named dish: a small nudge toward dishes
# (0.3 % of one whole target), so a dish wins whenever it serves the targets as well.
PATTERN_MAIN_WEIGHT = 3.0
# Moving a dish ingredient away from its default amount, per default amount moved: keeps dishes as
# written unless the targets ask for more spinach and less rice. It is the second aim of a polish
# step (``polish_objective``) once the meals are chosen: in the MILP it made every day ~30 % slower.
DEVIATION_WEIGHT = 0.5
# Leaving the energy aim (+-5 % of the requirement, inside the hard +-10 % range): leaving it by the
# whole remaining 5 % costs as much as missing one whole nutrient target, so a plan stays within 5 %
# of the requirement unless reaching the nutrients truly needs the rest of the range.
ENERGY_AIM_WEIGHT = SHORTFALL_WEIGHT
# Inside the aim, drifting from the requirement to the aim's edge costs 2 % of one target: a tie-break
# applied in the polish step (``MealModel.pull``), once the meals are chosen.
ENERGY_NEAR_WEIGHT = 0.02 * SHORTFALL_WEIGHT
# All of a day's drinks together (three cups): four large glasses of milk a day is not a diet.
DRINKS_DAY_MAX_G = 720.0
MACRO_KCAL = {"protein": 4.0, "fat": 9.0, "carbohydrate": 4.0}
# Far above the target (issue 14): each whole UL of intake above a target's ``soft_max`` (half the UL)
# costs 10 % of one whole target missed, so the plan does not sit near a UL when other amounts do as well.
# For UL nutrients this is paid in the polish step only (``MealModel.excess``): in the MILP it made the
# example weeks 3-6x slower (endurance 3.5 s -> 16-23 s). A soft maximum without a UL (potassium with a
# loop or thiazide diuretic, per soft maximum) is paid in the MILP too, so it can change the meals.
EXCESS_WEIGHT = 0.1 * SHORTFALL_WEIGHT
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
    required: list[Required] = field(default_factory=list)  # foods and dishes the day must serve


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

    def polish_objective(self) -> None:
        """Fix the chosen meals and foods (every binary at its value) and add the dish-deviation aim:
        the LP that remains keeps each chosen dish's amounts as near its defaults as the targets allow.

        |x - g| for an ingredient of default g is over + under with x - over + under = g.
        """
        for var in (*self.z.values(), *self.p.values(), *self.y.values()):
            value = round(var.value() or 0.0)
            var.lowBound = var.upBound = value
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


# Meals of a day with fewer meals carry more of its energy: their portions may grow by the slot's
# scale, except produce, nuts, condiments, sweets and drinks, whose caps are per meal (MealRules).
UNSCALED = frozenset(
    {"vegetables", "fruits", "nuts and seeds", "condiments and spices", "sweets and snacks", "beverages"}
)
UNSCALED_PARTS = frozenset(
    {"vegetable", "fruit", "sauce", "spread", "garnish", "fat", "nuts", "drink", "hot_drink", "raw_veg", "dip"}
)


def _larger(hi: float, food: str, part: str, spec: MealSpec, slot: str) -> float:
    """``hi`` grown by the slot's scale, unless the food or its part (pool or role) has a per-meal cap."""
    scale = spec.scale.get(slot, 1.0)
    if scale <= 1.0 or spec.categories.get(food, "") in UNSCALED or part in UNSCALED_PARTS:
        return hi
    return hi * scale


class _Builder:
    """Adds hard rules, optionally elastic (each with a named slack)."""

    def __init__(self, prob: pulp.LpProblem, elastic: bool, firm: tuple[str, ...] = ()) -> None:
        self.prob = prob
        self.elastic = elastic
        self.firm = firm  # labels starting with these stay hard in an elastic model
        self.slacks: dict[str, pulp.LpVariable] = {}

    def rule(self, pairs: list, sense: str, rhs: float, name: str, label: str) -> None:
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


def build_meal_model(
    spec: MealSpec,
    rules: PlanRules,
    targets: Targets,
    *,
    prices: dict[str, float] | None = None,
    elastic: bool = False,
    firm: tuple[str, ...] = (),
) -> MealModel:
    """Build the MILP for one day of meals (see the module docstring for the formulation)."""
    prob = pulp.LpProblem(f"mealplan_day{spec.day}", pulp.LpMinimize)
    b = _Builder(prob, elastic, firm)
    dishes = {d.id: d for d in spec.dishes}
    patterns = {k.id: k for k in spec.patterns}
    pool_foods = {f.id: f for f in spec.foods}

    z: dict[tuple[str, str], pulp.LpVariable] = {}
    x: dict[tuple[str, str, int], pulp.LpVariable] = {}
    p: dict[tuple[str, str], pulp.LpVariable] = {}
    n: dict[tuple[str, str, str], pulp.LpVariable] = {}
    y: dict[tuple[str, str, str], pulp.LpVariable] = {}
    objective: list[tuple[pulp.LpVariable, float]] = []
    # Every quantity variable with its food and grams per unit: the nutrient totals read these.
    amounts: list[tuple[pulp.LpVariable, str, float, str]] = []  # (var, food, grams per unit, slot)

    for slot in rules.slots:
        s, kind = slot.name, slot_kind(slot.name)
        if s in spec.locked:  # a locked meal: its items at their grams, no choice (constants in the totals)
            for k, (food, grams) in enumerate(spec.locked[s]):
                kept = expr.continuous(prob, f"lock_{expr.safe_name(food)}_{s}_{k}", grams, grams)
                amounts.append((kept, food, 1.0, s))
            continue
        options: list[tuple[pulp.LpVariable, float]] = []
        fixed = spec.fixed.get(s)
        for dish in spec.dishes:
            if fixed is not None:  # a leftover: that dish only (it was cooked yesterday, whatever the counts say)
                if dish.id != fixed[0]:
                    continue
            elif kind not in dish.kinds or dish.id in spec.banned_dishes.get(kind, set()):
                continue
            tag = f"{expr.safe_name(dish.id)}_{s}"
            zv = expr.binary(prob, f"dish_{tag}")
            z[(dish.id, s)] = zv
            options.append((zv, 1.0))
            for i, food in enumerate(dish.foods):
                lo, hi = dish.lo[i], _larger(dish.hi[i], food, dish.roles[i], spec, s)
                if fixed is not None:  # a leftover: the amounts cooked the day before
                    lo = hi = fixed[1].get(i, 0.0)
                xv = expr.continuous(prob, f"g_{tag}_{i}", 0.0, hi)
                x[(dish.id, s, i)] = xv
                amounts.append((xv, food, 1.0, s))
                expr.add_le(prob, [(xv, 1.0), (zv, -hi)], 0.0, f"dish_hi_{tag}_{i}")
                if lo > 0:
                    expr.add_ge(prob, [(xv, 1.0), (zv, -lo)], 0.0, f"dish_lo_{tag}_{i}")
                # (the deviation from the dish as written is the polish step's aim: polish_objective)
        if fixed is None:
            for pat in spec.patterns:
                if kind in pat.kinds:
                    pv = expr.binary(prob, f"pattern_{expr.safe_name(pat.id)}_{s}")
                    p[(pat.id, s)] = pv
                    options.append((pv, 1.0))
                    if kind in ("lunch", "dinner"):
                        objective.append((pv, PATTERN_MAIN_WEIGHT))
        b.rule(options, "==", 1.0, f"one_meal_{s}", f"{s} is one dish or one meal pattern")

        # Pattern items and drinks.
        capacity: dict[str, list[tuple[pulp.LpVariable, float]]] = {}
        for pat in spec.patterns:
            if (pat.id, s) in p:
                for e in pat.entries:
                    for pool in e.pools:
                        capacity.setdefault(pool, []).append((p[(pat.id, s)], float(e.hi)))
        drinks: list[tuple[pulp.LpVariable, float]] = []
        for f in spec.foods:
            if (f.id, s) in spec.forbidden:
                continue
            uses = []
            if f.pool in capacity and f.max_steps >= f.min_steps:
                uses.append((MEAL_USE, f.max_steps))
            elif f.max_steps > 0 and any(r.item == f.id and s in r.slots for r in spec.required):
                uses.append((MEAL_USE, f.max_steps))  # required here: an item of the meal outside its pattern
            hot_ok = f.pool not in spec.hot_drink_pools or kind in spec.hot_drink_kinds
            if f.drink_max_steps >= f.min_steps and hot_ok:
                uses.append((DRINK_USE, f.drink_max_steps))
            for use, top in uses:
                if use == MEAL_USE:
                    top = int(_larger(float(top), f.id, f.pool, spec, s))
                key = (f.id, s, use)
                tag = f"{expr.safe_name(f.id)}_{s}_{use}"
                # Continuous amounts: whole quarter-servings made day models several times slower,
                # and the household text rounds to a kitchen fraction anyway (grams stay exact).
                n[key] = expr.continuous(prob, f"qty_{tag}", 0, top)
                y[key] = expr.binary(prob, f"use_{tag}")
                expr.add_le(prob, [(n[key], 1.0), (y[key], -top)], 0.0, f"link_up_{tag}")
                expr.add_ge(prob, [(n[key], 1.0), (y[key], -f.min_steps)], 0.0, f"link_lo_{tag}")
                amounts.append((n[key], f.id, f.step_g, s))
                if use == DRINK_USE:
                    drinks.append((y[key], 1.0))
        for pool, caps in capacity.items():
            items = [(y[k], 1.0) for k in y if k[1] == s and k[2] == MEAL_USE and pool_foods[k[0]].pool == pool]
            if items:
                expr.add_le(prob, items + [(v, -c) for v, c in caps], 0.0, f"pool_{expr.safe_name(pool)}_{s}")
        for pat in spec.patterns:
            pv = p.get((pat.id, s))
            if pv is None:
                continue
            for e in pat.entries:
                items = [(y[k], 1.0) for k in y if k[1] == s and k[2] == MEAL_USE and pool_foods[k[0]].pool in e.pools]
                tag = f"{expr.safe_name(pat.id)}_{expr.safe_name(e.key)}_{s}"
                if e.lo > 0:
                    b.rule(items + [(pv, -float(e.lo))], ">=", 0.0, f"entry_lo_{tag}", f"{s}: {pat.id} has its {e.key}")
                big = max(len(items), e.hi)
                if big > e.hi:  # at most hi items when the pattern is chosen
                    expr.add_le(prob, items + [(pv, float(big - e.hi))], float(big), f"entry_hi_{tag}")
        if drinks:
            expr.add_le(prob, drinks, 1.0, f"one_drink_{s}")

    # A food's own daily maximum holds over all its meals and drinks (and a larger portion's scale).
    per_food: dict[str, list[tuple[pulp.LpVariable, float]]] = {}
    for (f, _, _), v in n.items():
        per_food.setdefault(f, []).append((v, pool_foods[f].step_g))
    for f, terms in sorted(per_food.items()):
        cap = pool_foods[f].daily_max_g
        if math.isfinite(cap) and sum(pool_foods[f].step_g * (v.upBound or 0.0) for v, _ in terms) > cap:
            expr.add_le(prob, terms, cap, f"daily_max_{expr.safe_name(f)}")
    drink_terms = [(v, pool_foods[f].step_g) for (f, _, use), v in n.items() if use == DRINK_USE]
    if drink_terms:
        expr.add_le(prob, drink_terms, DRINKS_DAY_MAX_G, "drinks_day")
    # A dish is served once a day (a leftover is the next day's).
    for dish in spec.dishes:
        uses = [(v, 1.0) for (j, _), v in z.items() if j == dish.id]
        if len(uses) > 1:
            expr.add_le(prob, uses, 1.0, f"dish_once_{expr.safe_name(dish.id)}")
    # A pool food is served at one meal a day, and one food of a family ("Soymilk", "Coffee").
    fams: dict[str, list[pulp.LpVariable]] = {}
    for (f, _, use), v in y.items():
        if use == MEAL_USE:
            key = family(pool_foods[f].name) if rules.one_per_family else f
            fams.setdefault(key, []).append(v)
    for i, (_, vs) in enumerate(sorted(fams.items())):
        if len(vs) > 1:
            expr.add_le(prob, [(v, 1.0) for v in vs], 1.0, f"once_{i}")

    # Required foods and dishes (hard rules, named when they conflict).
    for k, r in enumerate(spec.required):
        if r.item in dishes:
            terms = [(v, 1.0) for (j, s), v in z.items() if j == r.item and s in r.slots]
            b.rule(terms, ">=", 1.0, f"require_{k}", r.label)
            continue
        terms = [(v, g) for v, f, g, s in amounts if f == r.item and s in r.slots]
        b.rule(terms, ">=", r.grams if r.grams is not None else r.min_g, f"require_{k}", r.label)
        if r.grams is not None:  # (two rules, not one equality: each can give in a conflict's diagnosis)
            b.rule(terms, "<=", r.grams, f"require_max_{k}", f"{r.label}, at most")

    # Nutrient coefficients of every quantity variable.
    needed = sorted(set(targets.items) | {"energy", *MACRO_KCAL})
    qty = [a[0] for a in amounts]
    coef = {
        nut: np.array([spec.nutrients.get(f, {}).get(nut, 0.0) * g / 100.0 for _, f, g, _ in amounts]) for nut in needed
    }
    grams = np.array([g for _, _, g, _ in amounts])

    def total(nut: str, mask: np.ndarray | None = None) -> list[tuple[pulp.LpVariable, float]]:
        c = coef[nut] if mask is None else coef[nut] * mask
        return list(zip(qty, c, strict=True))

    energy = coef["energy"]
    b.rule(total("energy"), ">=", rules.energy_min, "energy_min", f"energy at least {rules.energy_min:.0f} kcal")
    b.rule(total("energy"), "<=", rules.energy_max, "energy_max", f"energy at most {rules.energy_max:.0f} kcal")
    # The energy aim (goal programming, like the shortfalls): the day's kcal beyond the +-5 % aim are
    # paid for, up to the hard range: E + near_lo + far_lo >= kcal, with near_lo free but at most the
    # aim's half-width, so far_lo is only paid for past the aim (the same above). The kcal inside the
    # aim are paid for lightly in the polish step only (``pull``): with the meals chosen, the LP moves
    # amounts toward the requirement. In the MILP that pull made days up to 3x slower (10x under a
    # poor appetite's food-mass cap) hunting a tie-break.
    aim_lo = max(rules.energy_min, targets.energy_goal_min or rules.energy_min)
    aim_hi = min(rules.energy_max, targets.energy_goal_max or rules.energy_max)
    mid = min(max(targets.energy_kcal, aim_lo), aim_hi)
    pull: list[tuple[pulp.LpVariable, float]] = []
    excess: list[tuple[pulp.LpVariable, float]] = []
    if aim_lo > rules.energy_min or aim_hi < rules.energy_max:
        below = [(mid - aim_lo, ENERGY_NEAR_WEIGHT), (aim_lo - rules.energy_min, ENERGY_AIM_WEIGHT)]
        above = [(aim_hi - mid, ENERGY_NEAR_WEIGHT), (rules.energy_max - aim_hi, ENERGY_AIM_WEIGHT)]
        for side, parts, sign in (("lo", below, 1.0), ("hi", above, -1.0)):
            terms = []
            for i, (width, weight) in enumerate(parts):
                if width > 1e-6:
                    v = expr.continuous(prob, f"energy_{side}_{i}", 0.0, width)
                    terms.append((v, sign))
                    (pull if i == 0 else objective).append((v, weight / width))
            if terms:
                add = expr.add_ge if sign > 0 else expr.add_le
                add(prob, total("energy") + terms, mid, f"energy_aim_{side}")
    # Poor appetite: the day's food and drink weigh at most this much (energy-dense foods, less volume).
    if targets.food_mass_max_g is not None:
        cap = targets.food_mass_max_g
        label = f"food and drink at most {cap:,.0f} g a day ({targets.food_mass_source})"
        b.rule(list(zip(qty, grams, strict=True)), "<=", cap, "food_mass_max", label)
    for macro, (lo, hi) in sorted(rules.amdr.items()):
        kcal = MACRO_KCAL.get(macro)
        if kcal is None:
            continue
        m = coef[macro] * kcal
        why = rules.amdr_overrides.get(macro, "AMDR")
        b.rule(list(zip(qty, m - lo / 100.0 * energy, strict=True)), ">=", 0.0, f"amdr_{macro}_lo",
               f"{macro} at least {lo:g} % of energy ({why})")  # fmt: skip
        b.rule(list(zip(qty, m - hi / 100.0 * energy, strict=True)), "<=", 0.0, f"amdr_{macro}_hi",
               f"{macro} at most {hi:g} % of energy ({why})")  # fmt: skip
    for nut, t in sorted(targets.items.items()):
        if t.max is not None and nut in coef:
            b.rule(total(nut), "<=", t.max, f"max_{nut}", f"{t.name} at most {t.max:g} {t.unit} ({t.max_source})")
        if t.soft_max and nut in coef:  # intake - excess <= soft_max, excess paid for (per UL, else per soft_max)
            over = expr.continuous(prob, f"excess_{nut}")
            expr.add_le(prob, total(nut) + [(over, -1.0)], t.soft_max, f"soft_max_{nut}")
            (excess if t.ul else objective).append((over, EXCESS_WEIGHT / (t.ul or t.soft_max)))

    shortfall: dict[str, pulp.LpVariable] = {}
    for nut, goal in sorted(spec.goals.items()):
        weight = SHORTFALL_WEIGHT * targets.items[nut].priority / goal if goal > 0 else 0.0
        if goal <= 0 or nut not in coef or not math.isfinite(weight):
            continue
        d = expr.continuous(prob, f"short_{nut}", 0.0, goal)
        shortfall[nut] = d
        expr.add_ge(prob, total(nut) + [(d, 1.0)], goal, f"goal_{nut}")
        objective.append((d, weight))

    # Energy share of every meal.
    slot_of = np.array([a[3] for a in amounts], dtype=object)
    for slot in rules.slots:
        lo, hi = slot.energy_share
        inside = (slot_of == slot.name).astype(float)
        b.rule(list(zip(qty, energy * (inside - lo), strict=True)), ">=", 0.0, f"share_lo_{slot.name}",
               f"{slot.name} gives at least {lo:.0%} of the day's energy")  # fmt: skip
        b.rule(list(zip(qty, energy * (inside - hi), strict=True)), "<=", 0.0, f"share_hi_{slot.name}",
               f"{slot.name} gives at most {hi:.0%} of the day's energy")  # fmt: skip

    # Daily grams per food category, over pattern items and dish ingredients alike.
    cats = np.array([spec.categories.get(f, "") for _, f, _, _ in amounts], dtype=object)
    for cat, limit in sorted(rules.group_max_g.items()):
        mask = cats == cat
        if mask.any():
            b.rule(list(zip(np.array(qty, dtype=object)[mask], grams[mask], strict=True)), "<=", limit,
                   f"group_max_{expr.safe_name(cat)}", f"{cat} at most {limit:g} g a day")  # fmt: skip
    for cat, limit in sorted(rules.group_min_g.items()):
        mask = cats == cat
        b.rule(list(zip(np.array(qty, dtype=object)[mask], grams[mask], strict=True)), ">=", limit,
               f"group_min_{expr.safe_name(cat)}", f"{cat} at least {limit:g} g a day")  # fmt: skip

    # Likes: a penalty for each liked pattern none of whose foods is served that day.
    for i, (_, liked_foods) in enumerate(sorted(spec.liked.items())):
        wanted = set(liked_foods)
        uses = [(v, 1.0) for k, v in y.items() if k[0] in wanted]
        uses += [(v, 1.0) for (j, _), v in z.items() if wanted & set(dishes[j].foods)]
        if not uses:
            continue
        miss = expr.binary(prob, f"skip_like_{i}")
        expr.add_ge(prob, [(miss, 1.0)] + uses, 1.0, f"like_{i}")
        objective.append((miss, LIKE_WEIGHT))

    if prices is not None:
        price = np.array([float(prices.get(f, np.nan)) * g / 100.0 for _, f, g, _ in amounts])
        all_priced = not np.isnan(price).any()
        price = np.nan_to_num(price)
        if rules.budget is not None:
            b.rule(list(zip(qty, price, strict=True)), "<=", rules.budget, "budget",
                   f"cost at most {rules.budget:g} a day (budget)")  # fmt: skip
        if rules.objective == "cost" or all_priced:
            weight = COST_WEIGHT if rules.objective == "cost" else COST_TIEBREAK
            objective.extend((v, weight * c) for v, c in zip(qty, price, strict=True))

    if elastic:
        expr.set_objective(prob, [(s, 1.0) for s in b.slacks.values()])
    else:
        expr.set_objective(prob, objective)
    return MealModel(
        objective=objective,
        pull=pull,
        excess=excess,
        prob=prob,
        z=z,
        x=x,
        p=p,
        n=n,
        y=y,
        shortfall=shortfall,
        slacks=b.slacks,
        dishes=dishes,
        patterns=patterns,
        foods=pool_foods,
    )
