"""Building the day model (a mixed-integer goal program). This module builds and never solves.

Variables, for every candidate food f and meal slot s it suits:
  n[f,s]  integer number of portion steps (a step is ``rules.portion_step_servings`` servings), so
          an item is absent or at least one step: the semi-continuous portion rule;
  y[f,s]  1 when f is served at s (n <= U*y and n >= m*y tie the two);
  u[f]    1 when f appears at all that day (for the distinct-foods rule);
  d[k]    shortfall below nutrient k's goal (goal programming: the plan always comes back).

Nutrient totals are linear in n: sum_fs a[k,f] * grams_per_step[f] / 100 * n[f,s]. Ratios such as
"protein gives at least 10 % of energy" are made linear by moving the energy expression to the left:
4*P - 0.10*E >= 0. The objective weighs shortfalls (relative to the goal, times priority) far above
portion realism, likes, item counts and cost.

With ``elastic=True`` every hard rule gets a named slack and the objective is the total slack: the
rules whose slacks stay positive are the ones in conflict (an elastic filter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pulp

from mealplan.food_data.table import Rows
from mealplan.optimizer import expr
from mealplan.optimizer.candidates import nutrient_matrix
from mealplan.optimizer.plan import PlanRules
from mealplan.optimizer.rules import family, slot_kind
from mealplan.optimizer.targets import Targets

SHORTFALL_WEIGHT = 1000.0  # per whole target missed, times priority
MAX_ITEM_SERVINGS = 2.0  # an item is at most two servings
LIKE_WEIGHT = 2.0  # per liked pattern with no food in the day
COST_WEIGHT = 100.0  # per currency unit when the objective is cost
COST_TIEBREAK = 1.0  # per currency unit otherwise (when prices are known)
MACRO_KCAL = {"protein": 4.0, "fat": 9.0, "carbohydrate": 4.0}


@dataclass
class DaySpec:
    """Everything that differs between the days of a week."""

    day: int
    candidates: Rows
    goals: dict[str, float]  # nutrient -> minimum goal for this day
    forbidden: set[tuple[str, str]] = field(default_factory=set)  # (food, slot) not allowed today
    previous: list[set[tuple[str, str]]] = field(default_factory=list)  # earlier days' (food, slot) items
    liked: dict[str, list[str]] = field(default_factory=dict)  # like pattern -> its candidate foods


@dataclass
class DayModel:
    """A built day model and the handles needed to read a solution."""

    prob: pulp.LpProblem
    n: dict[tuple[str, str], pulp.LpVariable]
    y: dict[tuple[str, str], pulp.LpVariable]
    shortfall: dict[str, pulp.LpVariable]
    step_g: dict[str, float]
    slacks: dict[str, pulp.LpVariable]
    energy_terms: list[tuple[pulp.LpVariable, float]]

    @property
    def size(self) -> tuple[int, int]:
        """(variables, constraints)."""
        return len(self.prob.variables()), self.prob.numConstraints()


class _Builder:
    """Adds hard rules, optionally elastic (each with a named slack)."""

    def __init__(self, prob: pulp.LpProblem, elastic: bool) -> None:
        self.prob = prob
        self.elastic = elastic
        self.slacks: dict[str, pulp.LpVariable] = {}
        self._count = 0

    def rule(self, pairs: list, sense: str, rhs: float, name: str, label: str) -> None:
        terms = list(pairs)
        if self.elastic:
            self._count += 1
            s = expr.continuous(self.prob, f"slack_{self._count}")
            self.slacks[label] = s
            terms.append((s, 1.0 if sense == ">=" else -1.0))
        if sense == ">=":
            expr.add_ge(self.prob, terms, rhs, name)
        else:
            expr.add_le(self.prob, terms, rhs, name)


def build_day_model(
    spec: DaySpec,
    rules: PlanRules,
    targets: Targets,
    *,
    prices: dict[str, float] | None = None,
    elastic: bool = False,
) -> DayModel:
    """Build the MILP for one day (see the module docstring for the formulation)."""
    foods = spec.candidates
    prob = pulp.LpProblem(f"mealplan_day{spec.day}", pulp.LpMinimize)
    b = _Builder(prob, elastic)
    step_servings = rules.portion_step_servings
    min_steps = max(1, round(rules.min_portion_servings / step_servings))

    ids = foods.index
    serving_g = dict(zip(ids, foods["serving_g"].astype(float), strict=True))
    step_g = {f: serving_g[f] * step_servings for f in ids}
    # An item is at most MAX_ITEM_SERVINGS servings (and at most the food's daily maximum): closeness to
    # typical servings is a hard rule, which keeps the objective's LP bound tight.
    max_steps = {
        f: int(np.floor(min(float(cap), MAX_ITEM_SERVINGS * serving_g[f]) / step_g[f] + 1e-9))
        for f, cap in zip(ids, foods["max_g"], strict=True)
    }
    slot_sets = {f: set(str(v).split(";")) for f, v in zip(ids, foods["slots"], strict=True)}
    category = {f: str(v) for f, v in zip(ids, foods["category"], strict=True)}
    names = {f: str(v) for f, v in zip(ids, foods["name"], strict=True)}

    n: dict[tuple[str, str], pulp.LpVariable] = {}
    y: dict[tuple[str, str], pulp.LpVariable] = {}
    for slot in rules.slots:
        kind = slot_kind(slot.name)
        for f in ids:
            if kind not in slot_sets[f] or (f, slot.name) in spec.forbidden or max_steps[f] < min_steps:
                continue
            key = (f, slot.name)
            tag = f"{expr.safe_name(f)}_{slot.name}"
            n[key] = expr.integer(prob, f"qty_{tag}", 0, max_steps[f])
            y[key] = expr.binary(prob, f"use_{tag}")
            # Semi-continuous portion: absent, or between the minimum and the daily maximum.
            expr.add_le(prob, [(n[key], 1.0), (y[key], -max_steps[f])], 0.0, f"link_up_{tag}")
            expr.add_ge(prob, [(n[key], 1.0), (y[key], -min_steps)], 0.0, f"link_lo_{tag}")

    keys = list(n)
    # Nutrient coefficient per portion step, per (food, slot) variable.
    nutrients = sorted(set(targets.items) | {"energy", "protein", "fat", "carbohydrate"})
    mat = nutrient_matrix(foods.take([k[0] for k in keys]), nutrients)
    grams = np.array([step_g[k[0]] for k in keys]) / 100.0
    coef = {nut: mat[:, i] * grams for i, nut in enumerate(nutrients)}
    qty = [n[k] for k in keys]

    def total(nut: str) -> list[tuple[pulp.LpVariable, float]]:
        return list(zip(qty, coef[nut], strict=True))

    energy = total("energy")

    # Energy range and macronutrient ranges (AMDR), linear in the energy expression.
    b.rule(energy, ">=", rules.energy_min, "energy_min", f"energy at least {rules.energy_min:.0f} kcal")
    b.rule(energy, "<=", rules.energy_max, "energy_max", f"energy at most {rules.energy_max:.0f} kcal")
    for macro, (lo, hi) in sorted(rules.amdr.items()):
        kcal = MACRO_KCAL.get(macro)
        if kcal is None:
            continue
        e = coef["energy"]
        m = coef[macro] * kcal
        b.rule(
            list(zip(qty, m - lo / 100.0 * e, strict=True)),
            ">=",
            0.0,
            f"amdr_{macro}_lo",
            f"{macro} at least {lo:g} % of energy (AMDR)",
        )
        b.rule(
            list(zip(qty, m - hi / 100.0 * e, strict=True)),
            "<=",
            0.0,
            f"amdr_{macro}_hi",
            f"{macro} at most {hi:g} % of energy (AMDR)",
        )

    # Upper limits that apply to food (and sodium) are hard maxima.
    for nut, t in sorted(targets.items.items()):
        if t.max is not None and nut in coef:
            b.rule(total(nut), "<=", t.max, f"max_{nut}", f"{t.name} at most {t.max:g} {t.unit} ({t.max_source})")

    # Goals: nutrient minimums with shortfall variables.
    shortfall: dict[str, pulp.LpVariable] = {}
    objective: list[tuple[pulp.LpVariable, float]] = []
    for nut, goal in sorted(spec.goals.items()):
        weight = SHORTFALL_WEIGHT * targets.items[nut].priority / goal if goal > 0 else 0.0
        if goal <= 0 or nut not in coef or not math.isfinite(weight):
            continue  # no goal, or one too small to weigh (a minimum of 1e-308 overflows the weight)
        d = expr.continuous(prob, f"short_{nut}", 0.0, goal)
        shortfall[nut] = d
        expr.add_ge(prob, total(nut) + [(d, 1.0)], goal, f"goal_{nut}")
        objective.append((d, weight))

    # Meal structure per slot.
    by_slot: dict[str, list[tuple[str, str]]] = {s.name: [] for s in rules.slots}
    for k in keys:
        by_slot[k[1]].append(k)
    protein = set(rules.protein_categories)
    produce = set(rules.produce_categories)
    side = set(rules.side_categories)
    for slot in rules.slots:
        ks = by_slot[slot.name]
        ys = [(y[k], 1.0) for k in ks]
        mains = [(y[k], 1.0) for k in ks if category[k[0]] not in side]
        b.rule(
            mains,
            ">=",
            slot.min_items,
            f"items_min_{slot.name}",
            f"{slot.name} has at least {slot.min_items} items besides drinks, fats, condiments and sweets",
        )
        b.rule(
            ys,
            "<=",
            slot.max_items,
            f"items_max_{slot.name}",
            f"{slot.name} has at most {slot.max_items} items",
        )
        # Categories a meal must include: its core (breakfast), a protein food, a vegetable or fruit.
        needs = [("core", set(slot.needs_one_of), f"one of: {', '.join(slot.needs_one_of)}")]
        if slot.needs_protein:
            needs.append(("protein", protein, "a protein food"))
        if slot.needs_produce:
            needs.append(("produce", produce, "a vegetable or fruit"))
        if rules.max_protein_items_per_meal is not None:
            b.rule(
                [(y[k], 1.0) for k in ks if category[k[0]] in protein],
                "<=",
                rules.max_protein_items_per_meal,
                f"protein_max_{slot.name}",
                f"{slot.name} has at most {rules.max_protein_items_per_meal} protein foods",
            )
        for tag, cats, what in needs:
            if cats:
                b.rule(
                    [(y[k], 1.0) for k in ks if category[k[0]] in cats],
                    ">=",
                    1,
                    f"{tag}_{slot.name}",
                    f"{slot.name} has {what}",
                )
        slot_idx = [i for i, k in enumerate(keys) if k[1] == slot.name]
        lo, hi = slot.energy_share
        e_all = coef["energy"]
        in_slot = np.zeros(len(keys))
        in_slot[slot_idx] = 1.0
        b.rule(
            list(zip(qty, e_all * (in_slot - lo), strict=True)),
            ">=",
            0.0,
            f"share_lo_{slot.name}",
            f"{slot.name} gives at least {lo:.0%} of the day's energy",
        )
        b.rule(
            list(zip(qty, e_all * (in_slot - hi), strict=True)),
            "<=",
            0.0,
            f"share_hi_{slot.name}",
            f"{slot.name} gives at most {hi:.0%} of the day's energy",
        )

    # Daily grams per food group (a food's own daily maximum bounds its single item).
    per_food: dict[str, list[tuple[pulp.LpVariable, float]]] = {}
    for k in keys:
        per_food.setdefault(k[0], []).append((n[k], step_g[k[0]]))
    for cat, limit in sorted(rules.group_max_g.items()):
        pairs = [(n[k], step_g[k[0]]) for k in keys if category[k[0]] == cat]
        if pairs:
            b.rule(pairs, "<=", limit, f"group_max_{expr.safe_name(cat)}", f"{cat} at most {limit:g} g a day")
    for cat, limit in sorted(rules.group_min_g.items()):
        pairs = [(n[k], step_g[k[0]]) for k in keys if category[k[0]] == cat]
        b.rule(pairs, ">=", limit, f"group_min_{expr.safe_name(cat)}", f"{cat} at least {limit:g} g a day")

    # Distinct foods: a food (and, with one_per_family, a food family such as "Soymilk") is served at
    # one meal a day at most, so the item count is the number of different foods. Set-packing rows
    # like these are far stronger than per-food indicator binaries.
    groups: dict[str, list[tuple[str, str]]] = {}
    for k in keys:
        key = family(names[k[0]]) if rules.one_per_family else k[0]
        groups.setdefault(key, []).append(k)
    for i, (_, ks) in enumerate(sorted(groups.items())):
        if len(ks) > 1:
            expr.add_le(prob, [(y[k], 1.0) for k in ks], 1.0, f"once_{i}")
    if rules.min_distinct_foods_per_day > 0:
        b.rule(
            [(y[k], 1.0) for k in keys if category[k[0]] not in side],
            ">=",
            rules.min_distinct_foods_per_day,
            "distinct_foods",
            f"at least {rules.min_distinct_foods_per_day} different foods a day besides drinks, fats, "
            "condiments and sweets",
        )

    # No day repeats an earlier day: not all of an earlier day's items may be chosen again.
    for i, prev in enumerate(spec.previous):
        if prev and all(k in y for k in prev):
            expr.add_le(prob, [(y[k], 1.0) for k in sorted(prev)], len(prev) - 1, f"not_same_as_day{i + 1}")

    # Budget.
    price = None
    all_priced = False
    if prices is not None:
        price = np.array([float(prices.get(k[0], np.nan)) for k in keys]) * grams
        all_priced = not np.isnan(price).any()
        price = np.nan_to_num(price)
        if rules.budget is not None:
            b.rule(
                list(zip(qty, price, strict=True)),
                "<=",
                rules.budget,
                "budget",
                f"cost at most {rules.budget:g} a day (budget)",
            )

    # Likes: a penalty for each liked pattern none of whose foods is served that day (non-negative).
    for i, (_, liked_foods) in enumerate(sorted(spec.liked.items())):
        uses = [(y[k], 1.0) for k in keys if k[0] in set(liked_foods)]
        if not uses:
            continue
        miss = expr.binary(prob, f"skip_like_{i}")
        expr.add_ge(prob, [(miss, 1.0)] + uses, 1.0, f"like_{i}")
        objective.append((miss, LIKE_WEIGHT))
    # Cost as a tie-break only when every candidate has a price: otherwise the foods without one look
    # free and the tie-break steers the plan away from exactly the foods that were priced.
    if price is not None and (rules.objective == "cost" or all_priced):
        weight = COST_WEIGHT if rules.objective == "cost" else COST_TIEBREAK
        objective.extend((v, weight * c) for v, c in zip(qty, price, strict=True))

    if elastic:
        expr.set_objective(prob, [(s, 1.0) for s in b.slacks.values()])
    else:
        expr.set_objective(prob, objective)
    return DayModel(prob=prob, n=n, y=y, shortfall=shortfall, step_g=step_g, slacks=b.slacks, energy_terms=energy)
