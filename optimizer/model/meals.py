"""Meal structure: each meal is one option (a dish or a meal pattern), a pattern's parts come from its
pools, and a meal has at most one drink.

A locked meal (a re-plan keeps it) enters as constants; a leftover lunch is yesterday's dinner dish at
the amounts cooked. A dish's ingredients lie within their ranges when it is chosen and are 0
otherwise (``lo*z <= x <= hi*z``); a pool food is absent or at least its smallest portion
(``min*y <= n <= top*y``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mealplan.food_data.vocab import slot_kind
from mealplan.optimizer import expr
from mealplan.optimizer.model.spec import DRINK_USE, MEAL_USE, MealSpec
from mealplan.optimizer.model.weights import PATTERN_WEIGHT

if TYPE_CHECKING:
    import pulp

    from mealplan.optimizer.model.build import Build

# Meals of a day with fewer meals carry more of its energy: their portions may grow by the slot's
# scale, except produce, nuts, condiments, sweets and drinks, whose caps are per meal (MealRules).
UNSCALED = frozenset(
    {"vegetables", "fruits", "nuts and seeds", "condiments and spices", "sweets and snacks", "beverages"}
)
UNSCALED_PARTS = frozenset(
    {"vegetable", "fruit", "sauce", "spread", "garnish", "fat", "nuts", "drink", "hot_drink", "raw_veg", "dip"}
)


def larger(hi: float, food: str, part: str, spec: MealSpec, slot: str) -> float:
    """``hi`` grown by the slot's scale, unless the food or its part (pool or role) has a per-meal cap."""
    scale = spec.scale.get(slot, 1.0)
    if scale <= 1.0 or spec.categories.get(food, "") in UNSCALED or part in UNSCALED_PARTS:
        return hi
    return hi * scale


def add_meals(b: Build) -> None:
    """Every meal of the day: its options, the parts of a pattern, and its drink."""
    for slot in b.rules.slots:
        s = slot.name
        if s in b.spec.locked:  # a locked meal: its items at their grams, no choice (constants in the totals)
            for k, (food, grams) in enumerate(b.spec.locked[s]):
                kept = expr.continuous(b.prob, f"lock_{expr.safe_name(food)}_{s}_{k}", grams, grams)
                b.amounts.append((kept, food, 1.0, s))
            continue
        options = _dish_options(b, s) + _pattern_options(b, s)
        b.rule(options, "==", 1.0, f"one_meal_{s}", f"{s} is one dish or one meal pattern")
        _pattern_items(b, s)


def _dish_options(b: Build, s: str) -> list[tuple[pulp.LpVariable, float]]:
    """The dishes meal ``s`` may be, each with its ingredients' amounts."""
    spec, kind = b.spec, slot_kind(s)
    options: list[tuple[pulp.LpVariable, float]] = []
    fixed = spec.fixed.get(s)
    for dish in spec.dishes:
        if fixed is not None:  # a leftover: that dish only (it was cooked yesterday, whatever the counts say)
            if dish.id != fixed[0]:
                continue
        elif kind not in dish.kinds or dish.id in spec.banned_dishes.get(kind, set()):
            continue
        elif any(f in spec.zero_foods and lo > 0 for f, lo in zip(dish.foods, dish.lo, strict=True)):
            continue  # a food it needs is used up this week
        tag = f"{expr.safe_name(dish.id)}_{s}"
        zv = expr.binary(b.prob, f"dish_{tag}")
        b.z[(dish.id, s)] = zv
        options.append((zv, 1.0))
        for i, food in enumerate(dish.foods):
            lo, hi = dish.lo[i], larger(dish.hi[i], food, dish.roles[i], spec, s)
            if fixed is not None:  # a leftover: the amounts cooked the day before
                lo = hi = fixed[1].get(i, 0.0)
            elif food in spec.zero_foods:
                hi = 0.0
            xv = expr.continuous(b.prob, f"g_{tag}_{i}", 0.0, hi)
            b.x[(dish.id, s, i)] = xv
            b.amounts.append((xv, food, 1.0, s))
            expr.add_le(b.prob, [(xv, 1.0), (zv, -hi)], 0.0, f"dish_hi_{tag}_{i}")
            if lo > 0:
                expr.add_ge(b.prob, [(xv, 1.0), (zv, -lo)], 0.0, f"dish_lo_{tag}_{i}")
            unit = dish.units[i] if dish.units else 0.0
            if unit > 0 and hi > 0 and fixed is None:  # a counted food: whole units (or halves)
                k = expr.integer(b.prob, f"n_{tag}_{i}", 0, int(hi / unit + 1e-9))
                b.counts[(dish.id, s, i)] = k
                expr.add_eq(b.prob, [(xv, 1.0), (k, -unit)], 0.0, f"units_{tag}_{i}")
            # (the deviation from the dish as written is the polish step's aim: polish_objective)
    return options


def _pattern_options(b: Build, s: str) -> list[tuple[pulp.LpVariable, float]]:
    """The meal patterns meal ``s`` may be (none for a leftover lunch)."""
    kind = slot_kind(s)
    options: list[tuple[pulp.LpVariable, float]] = []
    if s in b.spec.fixed:
        return options
    banned = b.spec.banned_patterns.get(kind, set())
    for pat in b.spec.patterns:
        if kind in pat.kinds and pat.id not in banned:
            pv = expr.binary(b.prob, f"pattern_{expr.safe_name(pat.id)}_{s}")
            b.p[(pat.id, s)] = pv
            options.append((pv, 1.0))
            b.objective.append((pv, PATTERN_WEIGHT))
    return options


def _pattern_items(b: Build, s: str) -> None:
    """Pool foods at meal ``s``: as parts of the chosen pattern, and as its one drink."""
    spec, kind = b.spec, slot_kind(s)
    pool_foods = {f.id: f for f in spec.foods}
    capacity: dict[str, list] = {}
    for pat in spec.patterns:
        if (pat.id, s) in b.p:
            for e in pat.entries:
                for pool in sorted(e.pools):  # (sorted: the rows' order, and so the plan, must not follow hashing)
                    capacity.setdefault(pool, []).append((b.p[(pat.id, s)], float(e.hi)))
    drinks = []
    for f in spec.foods:
        if (f.id, s) in spec.forbidden:
            continue
        uses = []
        if f.pool in capacity and f.max_steps >= f.min_steps:
            uses.append((MEAL_USE, f.max_steps))
        elif f.max_steps > 0 and any(r.item == f.id and s in r.slots for r in spec.required):
            uses.append((MEAL_USE, f.max_steps))  # required here: an item of the meal outside its pattern
        if f.drink_max_steps > 0 and f.drink_max_steps >= f.min_steps and _drink_here(spec, f, kind):
            uses.append((DRINK_USE, f.drink_max_steps))
        for use, top in uses:
            if use == MEAL_USE:
                top = int(larger(float(top), f.id, f.pool, spec, s))
            key = (f.id, s, use)
            tag = f"{expr.safe_name(f.id)}_{s}_{use}"
            # Continuous amounts: whole quarter-servings made day models several times slower,
            # and the household text rounds to a kitchen fraction anyway (grams stay exact).
            make = expr.integer if f.whole else expr.continuous  # a counted food: whole units (or halves)
            b.n[key] = make(b.prob, f"qty_{tag}", 0, top)
            b.y[key] = expr.binary(b.prob, f"use_{tag}")
            expr.add_le(b.prob, [(b.n[key], 1.0), (b.y[key], -top)], 0.0, f"link_up_{tag}")
            expr.add_ge(b.prob, [(b.n[key], 1.0), (b.y[key], -f.min_steps)], 0.0, f"link_lo_{tag}")
            b.amounts.append((b.n[key], f.id, f.step_g, s))
            if use == DRINK_USE:
                drinks.append((b.y[key], 1.0))
                b.drink_ids.add(id(b.n[key]))
    items_here = [k for k in b.y if k[1] == s and k[2] == MEAL_USE]
    for pool, caps in capacity.items():
        items = [(b.y[k], 1.0) for k in items_here if pool_foods[k[0]].pool == pool]
        if items:
            expr.add_le(b.prob, items + [(v, -c) for v, c in caps], 0.0, f"pool_{expr.safe_name(pool)}_{s}")
    for pat in spec.patterns:
        pv = b.p.get((pat.id, s))
        if pv is None:
            continue
        for e in pat.entries:
            items = [(b.y[k], 1.0) for k in items_here if pool_foods[k[0]].pool in e.pools]
            tag = f"{expr.safe_name(pat.id)}_{expr.safe_name(e.key)}_{s}"
            if e.lo > 0:
                b.rule(items + [(pv, -float(e.lo))], ">=", 0.0, f"entry_lo_{tag}", f"{s}: {pat.id} has its {e.key}")
            big = max(len(items), e.hi)
            if big > e.hi:  # at most hi items when the pattern is chosen
                expr.add_le(b.prob, items + [(pv, float(big - e.hi))], float(big), f"entry_hi_{tag}")
    if drinks:
        expr.add_le(b.prob, drinks, 1.0, f"one_drink_{s}")
    water = spec.facts.water
    if water is not None and water[0] in spec.nutrients:  # the default drink: this meal's, unless another
        w = expr.continuous(b.prob, f"water_{s}", 0.0, 1.0)
        expr.add_eq(b.prob, [(w, 1.0), *drinks], 1.0, f"water_{s}")
        b.amounts.append((w, water[0], water[1], s))
        b.drink_ids.add(id(w))


def _drink_here(spec: MealSpec, f, kind: str) -> bool:
    """Whether pool food ``f`` may be the drink of a ``kind`` meal: at the meals its drink facts allow
    (coffee and tea by habit, no sweetened milk drink with lunch or dinner), none at all when drinks
    come apart from meals; a drink without facts (a user's table) by the old pool rule."""
    if not spec.facts.drinks_with_meals:
        return False
    known = spec.facts.drinks.get(f.id)
    if known is not None:
        return kind in known.meals
    if f.id in spec.facts.not_drinks:
        return False
    return f.pool not in spec.hot_drink_pools or kind in spec.hot_drink_kinds
