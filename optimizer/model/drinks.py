"""Drinks as people drink: the day's drinks together within three cups (and a dialysis fluid limit), its
milk, plant milk and juice in every form within three cups, milk drinks a day, never a milk drink beside
a meal built on milk, cups a day of juice, and a drink's share of its meal's energy. Which drink may come
with which meal (coffee and tea by habit, no sweetened milk drink with lunch or dinner, none when drinks
come apart from meals) is the meal structure's (``meals.py``); water, the default drink, is added when
the meals are read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mealplan.optimizer import expr
from mealplan.optimizer.model.spec import DRINK_USE, MEAL_USE
from mealplan.optimizer.model.weights import DRINKS_DAY_MAX_G

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def add_day_limit(b: Build) -> None:
    """Four large glasses of milk a day is not a diet: the day's drinks weigh at most ``DRINKS_DAY_MAX_G``
    (and at most a dialysis fluid limit)."""
    pool_foods = {f.id: f for f in b.spec.foods}
    drink_terms = [(v, pool_foods[f].step_g) for (f, _, use), v in b.n.items() if use == DRINK_USE]
    kept = sum(g for _, g in _kept_drinks(b))  # a kept meal's drinks count (constants)
    if drink_terms:
        expr.add_le(b.prob, drink_terms, max(DRINKS_DAY_MAX_G - kept, 0.0), "drinks_day")
        fluid = b.spec.facts.fluid_max_g
        if fluid is not None:
            label = f"drinks at most {fluid:,.0f} mL a day (dialysis fluid limit)"
            b.rule(drink_terms, "<=", max(fluid - kept, 0.0), "fluid_max", label)


def _kept_drinks(b: Build) -> list[tuple[str, float]]:
    """The drinks of the day's kept (locked) meals other than the default water."""
    water = b.spec.facts.water[0] if b.spec.facts.water else None
    return [(f, g) for f, g in b.spec.locked_drinks if f != water]


def add_drink_rules(b: Build) -> None:
    """Milk drinks a day, none beside a milk meal, cups a day per kind, a drink's share of its meal, and
    milk, plant milk and juice in every form."""
    facts, pool_foods = b.spec.facts, {f.id: f for f in b.spec.foods}
    _poured(b)
    drinks = {k: v for k, v in b.y.items() if k[2] == DRINK_USE and k[0] in facts.drinks}
    milk = {k: v for k, v in drinks.items() if facts.drinks[k[0]].milk}
    kept = [f for f, _ in _kept_drinks(b)]
    kept_milk = sum(1 for f in kept if f in facts.drinks and facts.drinks[f].milk)
    if facts.milk_drinks_per_day is not None and milk:
        most = float(max(facts.milk_drinks_per_day - kept_milk, 0))
        expr.add_le(b.prob, [(v, 1.0) for v in milk.values()], most, "milk_drinks_day")
    every = [(v, 1.0) for k, v in b.y.items() if k[2] == DRINK_USE]
    if facts.drinks_per_day is not None and every:
        expr.add_le(b.prob, every, float(max(facts.drinks_per_day - len(kept), 0)), "drinks_per_day")
    dishes = {d.id: d for d in b.spec.dishes}
    for slot in b.rules.slots:
        s = slot.name
        any_drink = [(v, 1.0) for k, v in b.y.items() if k[1] == s and k[2] == DRINK_USE]
        for (j, ss), zv in b.z.items():  # a smoothie is the meal's drink: nothing but water beside it
            if ss == s and dishes[j].is_drink and any_drink:
                expr.add_le(b.prob, [*any_drink, (zv, 1.0)], 1.0, f"drink_beside_{expr.safe_name(j)}_{s}")
        here = [(v, 1.0) for k, v in milk.items() if k[1] == s]
        if not here:
            continue
        for (j, ss), zv in b.z.items():  # a milk drink beside a dish built on milk: never
            if ss == s and dishes[j].milk_based and not dishes[j].is_drink:
                expr.add_le(b.prob, [*here, (zv, 1.0)], 1.0, f"milk_beside_{expr.safe_name(j)}_{s}")
        for (f, ss, use), yv in b.y.items():  # ... nor beside a pattern meal's milk or yogurt
            if ss == s and use == MEAL_USE and pool_foods[f].pool in facts.milk_pools:
                expr.add_le(b.prob, [*here, (yv, 1.0)], 1.0, f"milk_beside_{expr.safe_name(f)}_{s}")
    by_kind: dict[str, list] = {}
    for (f, _, use), nv in b.n.items():
        if use == DRINK_USE and f in facts.drinks and facts.drinks[f].kind in facts.cups_per_day:
            by_kind.setdefault(facts.drinks[f].kind, []).append((nv, pool_foods[f].step_g / facts.drinks[f].cup_g))
    for kind, terms in sorted(by_kind.items()):
        expr.add_le(b.prob, terms, facts.cups_per_day[kind], f"cups_{expr.safe_name(kind)}")
    if facts.drink_share is not None:
        _energy_share(b, facts.drink_share)


def _poured(b: Build) -> None:
    """The day's milk, plant milk and juice in every form (to drink, on cereal, in a smoothie; a kept
    meal's too) together at most ``poured_max_g``: soy milk on cereal, in a smoothie and to drink is
    3½ cups."""
    cap = b.spec.facts.poured_max_g
    terms = [(v, g) for v, g in b.grams_of(b.spec.facts.poured) if g]
    if cap is not None and terms:
        b.rule(terms, "<=", cap, "poured_day", f"milk, plant milk and juice together at most {cap:,.0f} g a day")


def _energy_share(b: Build, share: float) -> None:
    """A drink gives at most ``share`` of its meal's energy: ``(1 - share) E_drink - share E_food <= 0``."""
    is_drink = b.drink_mask()
    slot_of = np.array([a[3] for a in b.amounts], dtype=object)
    energy = b.coef["energy"]
    for slot in b.rules.slots:
        inside = slot_of == slot.name
        if not (inside & is_drink).any():
            continue
        c = np.where(inside & is_drink, (1 - share) * energy, 0.0) - np.where(inside & ~is_drink, share * energy, 0.0)
        expr.add_le(b.prob, list(zip(b.qty, c, strict=True)), 0.0, f"drink_share_{slot.name}")
