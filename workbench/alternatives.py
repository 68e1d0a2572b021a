"""Alternatives for a food or a dish of one meal, ranked by how well the day keeps its targets.

For a food: the foods this person may eat (their rules, the week's "a food on at most N days") of the
same planner pool as the food (another legume for lentils) or else the same category, everyday foods
(the planner's pools) first, each at an amount of about the same energy, rounded to a quarter serving. For a dish:
the library's dishes for that meal this person may eat (a required ingredient kept out drops the
dish; an optional one is left out, as the planner does), that the week's dish rules still allow, at
a portion of about the old meal's energy.

Each alternative comes with its *effect on the day*: energy, protein and the key nutrients (and any
target it takes past its maximum) before and after, with the share of the target. The ranking
(:func:`score`) adds up, over every target of the plan, how much further below its minimum the day
(or, for a weekly target, the week's average) would be, how far above a maximum, and how far the
day's energy would leave its range; a change past an upper limit (UL) is never offered. The numbers
shown are the ones the change gives: the day's totals are sums of grams times amounts per 100 g, as
``rescore`` computes them.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from mealplan.errors import InputError
from mealplan.food_data.dishes import DishLibrary, without
from mealplan.food_data.everyday import everyday_ids, variety_name
from mealplan.food_data.household import household
from mealplan.food_data.names import short_name
from mealplan.food_data.table import FoodTable
from mealplan.food_data.vocab import KEY_NUTRIENTS, LIGHT_MEALS, MAIN_MEALS, slot_kind
from mealplan.optimizer.candidates import eligible_foods
from mealplan.plan import DayPlan, Plan, day_index, slot_index, week_blocks
from mealplan.workbench.meal_edit import DishChoice, person_reasons

SHOWN = ("energy", "protein", *KEY_NUTRIENTS)
LIMIT = 8
SERVINGS = (0.5, 2.5)  # an alternative food's amount, in its own servings
PORTION = (0.5, 2.0)  # an alternative dish's portion


@dataclass(frozen=True)
class Effect:
    """One nutrient of the day before and after a change, against its target."""

    nutrient: str
    name: str
    unit: str
    before: float
    after: float
    target: float | None
    maximum: float | None
    weekly: bool

    @property
    def pct_before(self) -> float | None:
        return 100.0 * self.before / self.target if self.target else None

    @property
    def pct_after(self) -> float | None:
        return 100.0 * self.after / self.target if self.target else None

    @property
    def direction(self) -> str:
        """``better``, ``worse`` or ``same`` against the target (and the maximum)."""
        if self.maximum is not None and self.after > self.maximum >= self.before:
            return "worse"
        if not self.target or math.isclose(self.before, self.after, rel_tol=0.005, abs_tol=1e-9):
            return "same"
        if self.after >= self.target and self.before >= self.target:
            return "same"
        return "better" if self.after > self.before else "worse"


@dataclass(frozen=True)
class Alternative:
    """A food or dish that could take a meal's place, at an amount, with its effect on the day."""

    id: str
    name: str
    grams: float
    household: str
    score: float
    effects: list[Effect]
    dish: DishChoice | None = None


class _Day:
    """A day's totals as vectors over every targeted nutrient (and energy), to score changes quickly."""

    def __init__(self, plan: Plan, foods: FoodTable, day: DayPlan) -> None:
        t = plan.targets.items
        self.nutrients = ["energy", *[n for n in t if n in foods.foods.columns]]
        self.before = np.array([day.energy_kcal, *[_amount(day, n) for n in self.nutrients[1:]]])
        week = plan.week_totals or {}
        n_days = len(next((w for w in week_blocks([d.index for d in plan.days]) if day.index in w), [day.index]))
        self.week_before = np.array([np.nan, *[week[n].amount if n in week else np.nan for n in self.nutrients[1:]]])
        self.n_days = max(n_days, 1)
        lo = [t[n].min if n in t and t[n].min else np.nan for n in self.nutrients]
        hi = [t[n].max if n in t and t[n].max is not None else np.nan for n in self.nutrients]
        ul = [t[n].ul if n in t and t[n].ul is not None else np.nan for n in self.nutrients]
        self.weekly = np.array([False, *[bool(t[n].weekly) for n in self.nutrients[1:]]]) & ~np.isnan(self.week_before)
        self.lo, self.hi, self.ul = np.array(lo, float), np.array(hi, float), np.array(ul, float)
        self.energy = (plan.rules.energy_min, plan.rules.energy_max)
        self.plan, self.foods = plan, foods

    def per100(self, ids: list[str]) -> np.ndarray:
        """Amounts per 100 g (unknown: 0), one row per food."""
        return np.nan_to_num(self.foods.foods.loc[ids, self.nutrients].to_numpy(dtype=float))

    def score(self, after: np.ndarray) -> np.ndarray:
        """Lower is better; ``inf`` past an upper limit. ``after``: one row per change."""
        delta = after - self.before
        level = np.where(self.weekly, self.week_before + delta / self.n_days, after)
        base = np.where(self.weekly, self.week_before, self.before)
        with np.errstate(invalid="ignore", divide="ignore"):
            short = np.nan_to_num(np.clip((self.lo - level) / self.lo, 0, None))
            was_short = np.nan_to_num(np.clip((self.lo - base) / self.lo, 0, None))
            over = np.nan_to_num(np.clip((after - self.hi) / self.hi, 0, None))
            # A maximum is a hard rule the verifier holds, but an edit may use its margin below the UL.
            above_max = np.nan_to_num(after - self.hi * (1 + 1e-9)) > 0
            within_ul = np.nan_to_num(self.ul * (1 + 1e-9) - after, nan=-1.0) >= 0
            past_ul = (above_max & ~within_ul) | (np.nan_to_num(after - self.ul * (1 + 1e-9)) > 0)
        energy = after[:, 0]
        outside = np.clip(self.energy[0] - energy, 0, None) + np.clip(energy - self.energy[1], 0, None)
        total = (short - was_short).sum(axis=1) + 5.0 * over.sum(axis=1) + 2.0 * outside / self.energy[0]
        total += 0.05 * np.abs(delta[:, 0]) / max(self.energy[0], 1.0)  # of equals, the one that keeps energy
        return np.where(past_ul.any(axis=1), np.inf, total)

    def effects(self, after: np.ndarray) -> list[Effect]:
        t = self.plan.targets.items
        out = []
        for k, n in enumerate(self.nutrients):
            over = not np.isnan(self.hi[k]) and after[k] > self.hi[k] >= self.before[k]
            if n not in SHOWN and not over:
                continue
            target = float(self.lo[k]) if not np.isnan(self.lo[k]) and n != "energy" else None
            name = "Energy" if n == "energy" else t[n].name
            unit = "kcal" if n == "energy" else t[n].unit
            out.append(
                Effect(
                    n,
                    name,
                    unit,
                    float(self.before[k]),
                    float(after[k]),
                    target,
                    None if np.isnan(self.hi[k]) else float(self.hi[k]),
                    bool(self.weekly[k]),
                )
            )
        order = {n: i for i, n in enumerate(SHOWN)}
        return sorted(out, key=lambda e: order.get(e.nutrient, 99))


_POOLS: dict[int, dict[str, str]] = {}


def _pools(foods: FoodTable) -> dict[str, str]:
    """Food id -> the planner's pool it belongs to (``food_data/data/pattern_foods.csv``), per table once."""
    key = id(foods)
    if key not in _POOLS:
        from mealplan.food_data.patterns import load_pattern_foods

        try:
            found = load_pattern_foods(foods, skip_missing=True)
        except Exception:  # noqa: BLE001 - a table the pools do not fit: no everyday foods first, nothing worse
            found = {}
        _POOLS.clear()  # one table per worker: keep the newest only
        _POOLS[key] = {fid: p.component for fid, p in found.items()}
    return _POOLS[key]


def _amount(day: DayPlan, nutrient: str) -> float:
    total = day.totals.get(nutrient)
    return float(total.amount) if total is not None else 0.0


def _days_of(plan: Plan, food_id: str, day: int) -> set[int]:
    block = next(w for w in week_blocks([d.index for d in plan.days]) if day in w)
    return {
        d.index for d in plan.days if d.index in block and any(i.food_id == food_id for s in d.slots for i in s.items)
    }


def _quarter(grams: float, serving_g: float) -> float:
    servings = max(0.25, round(grams / serving_g * 4) / 4)
    return round(servings * serving_g, 1)


def _cap(plan: Plan, foods: FoodTable, fid: str, role: str) -> float:
    """The most of one food a meal rule allows (a vegetable or fruit, a drink)."""
    rules = plan.rules.meal_rules
    if rules is None:
        return 2000.0
    category = str(foods.foods.at[fid, "category"])
    if role == "drink":
        return rules.drink_max_g
    return rules.produce_max_g if category in ("vegetables", "fruits") else 2000.0


def food_alternatives(
    plan: Plan, foods: FoodTable, day: int, meal: str, index: int, limit: int = LIMIT
) -> list[Alternative]:
    """The foods that could replace item ``index`` (0-based) of a meal, best first.

    Raises:
        InputError: an unknown day, meal or item.
    """
    d = plan.days[day_index(plan, day)]
    slot = d.slots[slot_index(plan, day, meal)]
    if not 0 <= index < len(slot.items):
        raise InputError(f"item {index + 1}: day {day} {meal} has {len(slot.items)} item(s).")
    old = slot.items[index]
    table = foods.foods
    category = str(table.at[old.food_id, "category"]) if old.food_id in table.index else old.category
    allowed = eligible_foods(foods, plan.rules).allowed
    ids = [str(i) for i, c in zip(allowed.ids.tolist(), allowed["category"].tolist(), strict=True) if c == category]
    pools = _pools(foods)
    everyday = set(pools)
    component = pools.get(old.food_id)
    same = {f for f in ids if component is not None and pools.get(f) == component}
    in_meal = {i.food_id for i in slot.items}
    most_days = plan.rules.max_days_per_food
    ids = [f for f in ids if f not in in_meal and (len(_days_of(plan, f, day) | {day}) <= most_days)]
    if not ids:
        return []
    state = _Day(plan, foods, d)
    per100 = state.per100(ids)
    old_row = state.per100([old.food_id])[0] if old.food_id in table.index else np.zeros(len(state.nutrients))
    old_kcal = old_row[0] * old.grams / 100.0
    serving = table.loc[ids, "serving_g"].astype(float).fillna(100.0).to_numpy()
    serving = np.where(serving > 0, serving, 100.0)
    density = per100[:, 0]
    grams = np.where((density >= 40) & (old_kcal >= 20), old_kcal / np.maximum(density, 1e-9) * 100.0, old.grams)
    grams = np.clip(grams, SERVINGS[0] * serving, SERVINGS[1] * serving)
    grams = np.array(
        [
            min(_quarter(g, float(s)), _cap(plan, foods, f, old.role))
            for g, s, f in zip(grams, serving, ids, strict=True)
        ]
    )
    after = state.before - old_row * old.grams / 100.0 + per100 * grams[:, None] / 100.0
    scores = state.score(after)
    # The foods the planner's meals use in the same place first (another legume for lentils), then the other
    # everyday foods (the planner's pools), then the rest of the category; each group by its score.
    rank = sorted(range(len(ids)), key=lambda k: (ids[k] not in same, ids[k] not in everyday, scores[k], ids[k]))
    order = [k for k in rank if np.isfinite(scores[k])][:limit]
    out = []
    for k in order:
        fid = ids[k]
        name = str(table.at[fid, "name"])
        sname, sg = str(table.at[fid, "serving_name"]), float(serving[k])
        text = household(grams[k] / sg, sname, float(grams[k]), functools.partial(foods.measures_of, fid))
        out.append(Alternative(fid, short_name(name), float(grams[k]), text, float(scores[k]), state.effects(after[k])))
    return out


def _dish_days(plan: Plan, dish_id: str, day: int, meal: str, kinds: tuple[str, ...]) -> list[int]:
    """The days of ``day``'s week that serve ``dish_id`` at a meal of ``kinds`` (a leftover and ``meal``
    itself aside)."""
    block = next(w for w in week_blocks([d.index for d in plan.days]) if day in w)
    return [
        d.index
        for d in plan.days
        if d.index in block
        for s in d.slots
        if s.dish_id == dish_id
        and slot_kind(s.name) in kinds
        and s.leftover_of is None
        and not (d.index == day and s.name == meal)
    ]


def dish_choice(
    plan: Plan, foods: FoodTable, dishes: DishLibrary, dish_id: str, portion: float, why: dict[str, str] | None = None
) -> DishChoice:
    """Dish ``dish_id`` as this person would be served it at ``portion`` (``why``: the person's reasons
    for the ingredients, when already found).

    Raises:
        InputError: no such dish, or one of its required ingredients is kept out (naming the rule).
    """
    if dish_id not in dishes.dishes:
        raise InputError(f"dish {dish_id!r} is not in the dish library; search for dishes by name.")
    if dish_id in plan.rules.forbid:
        raise InputError(f"dish {dish_id!r} is forbidden in this plan.")
    dish = dishes.dishes[dish_id]
    if why is None:
        why = person_reasons(plan, foods, [i.food for i in dish.ingredients])
    why = {i.food: why[i.food] for i in dish.ingredients if i.food in why}
    required = [i for i in dish.ingredients if i.min > 0 and i.food in why]
    if required:
        i = required[0]
        name = short_name(str(foods.foods.at[i.food, "name"])) if i.food in foods.foods.index else i.food
        raise InputError(f"{dish.name}: its ingredient {name} ({i.food}) cannot be served in this plan: {why[i.food]}.")
    dropped = [
        short_name(str(foods.foods.at[i.food, "name"]))
        for i in dish.ingredients
        if i.food in why and i.food in foods.foods.index
    ]
    title, method = without(dish.name, dish.method, dropped)
    items = [
        (i.food, round(i.grams * portion, 1), i.role, (round(i.min * portion, 1), round(i.max * portion, 1)))
        for i in dish.ingredients
        if i.food not in why and i.grams > 0
    ]
    return DishChoice(dish_id, title, method, portion, items)


def _used_up(plan: Plan, foods: FoodTable, day: int, meal: str, ids: list[str]) -> dict[str, str]:
    """Of ``ids``, the foods a swap at ``meal`` of ``day`` may not bring in: on as many other days of that
    week as the days-per-food rule allows already (by the product a shopper buys, everyday foods excepted,
    as verify counts)."""
    rules = plan.rules.meal_rules
    if rules is None or not rules.food_days_cover_dishes:
        return {}
    exempt = everyday_ids(foods)
    week = next(w for w in week_blocks([d.index for d in plan.days]) if day in w)
    relaxed = set(plan.rules.variety_relaxed_days)

    def key(fid: str, name: str) -> str:
        return variety_name(str(foods.foods.at[fid, "name"]) if fid in foods.foods.index else name)

    on: dict[str, set[int]] = {}
    for d in (d for d in plan.days if d.index in week and d.index not in relaxed):
        for s in (s for s in d.slots if not (d.index == day and s.name == meal)):
            for i in (i for i in s.items if i.food_id not in exempt):
                on.setdefault(key(i.food_id, i.name), set()).add(d.index)
    most = plan.rules.max_days_per_food
    full = {k for k, days in on.items() if day not in days and len(days) >= most}
    return {
        f: f"on {most} other days of the week already (at most {most} days a week)"
        for f in ids
        if f not in exempt and key(f, f) in full
    }


def dish_alternatives(
    plan: Plan, foods: FoodTable, dishes: DishLibrary, day: int, meal: str, limit: int = LIMIT
) -> list[Alternative]:
    """The dishes that could take the place of a meal, best first (the meal's drink stays)."""
    d = plan.days[day_index(plan, day)]
    slot = d.slots[slot_index(plan, day, meal)]
    kind = slot_kind(meal)
    # The week's dish rules, as the planner holds them: lunch and dinner count together, and so do
    # breakfast and snacks for "not two days running".
    rules = plan.rules.meal_rules
    main = kind in MAIN_MEALS
    counted, group = (MAIN_MEALS, MAIN_MEALS) if main else ((kind,), LIGHT_MEALS)
    most = (rules.most_per_week(kind) if rules is not None else None) or 7
    running = main or (rules is not None and rules.no_light_dish_two_days_running)
    near = (s for o in plan.days if abs(o.index - day) == 1 for s in o.slots)
    neighbours = {s.dish_id for s in near if slot_kind(s.name) in group}
    candidates = [
        dish
        for dish in dishes.for_slot(kind)
        if dish.id != slot.dish_id
        and dish.id not in plan.rules.forbid
        and len(_dish_days(plan, dish.id, day, meal, counted)) < most
        and not (running and dish.id in neighbours)
    ]
    ids = sorted({i.food for dish in candidates for i in dish.ingredients} | {i.food_id for i in slot.items})
    why = person_reasons(plan, foods, ids)
    for f, reason in _used_up(plan, foods, day, meal, ids).items():
        why.setdefault(f, reason)
    known = [f for f in ids if f in foods.foods.index]
    state = _Day(plan, foods, d)
    rows = dict(zip(known, state.per100(known), strict=True))
    food = [i for i in slot.items if i.role != "drink"]
    old_total = sum(
        (rows[i.food_id] * i.grams / 100.0 for i in food if i.food_id in rows), np.zeros(len(state.nutrients))
    )
    choices, after = [], []
    for dish in candidates:
        try:
            base = dish_choice(plan, foods, dishes, dish.id, 1.0, why)
        except InputError:
            continue
        kcal = sum(rows[f][0] * g / 100.0 for f, g, _, _ in base.items)
        portion = round(min(max(old_total[0] / kcal if kcal > 0 else 1.0, PORTION[0]), PORTION[1]) * 4) / 4
        choice = dish_choice(plan, foods, dishes, dish.id, portion, why)
        choices.append(choice)
        after.append(state.before - old_total + sum(rows[f] * g / 100.0 for f, g, _, _ in choice.items))
    if not choices:
        return []
    scores = state.score(np.array(after))
    order = [k for k in np.argsort(scores, kind="stable") if np.isfinite(scores[k])][:limit]
    out = []
    for k in order:
        c = choices[k]
        grams = sum(g for _, g, _, _ in c.items)
        portion = f"{c.portion:g} portion" + ("s" if c.portion > 1 else "")
        out.append(Alternative(c.dish_id, c.title, grams, portion, float(scores[k]), state.effects(after[k]), dish=c))
    return out


def day_effects(plan: Plan, before: Plan, foods: FoodTable, day: int) -> list[Effect]:
    """The effect of a change already made (``before`` → ``plan``) on day ``day``'s shown nutrients."""
    new = plan.days[day_index(plan, day)]
    state = _Day(before, foods, before.days[day_index(before, day)])
    after = np.array([new.energy_kcal, *[_amount(new, n) for n in state.nutrients[1:]]])
    return state.effects(after)
