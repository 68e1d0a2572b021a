"""What the day model of meals is made from, and what a solved model says, in plan terms.

``MealInputs`` gathers, once a plan, the dishes and pattern foods a person may eat (diet, allergies,
exclusions and dislikes applied to every ingredient), their nutrients and portion steps. After a
solve, ``read_slots`` turns the chosen options into the plan's meals: a named dish with its
ingredients, or a filled pattern with a generated name, and the drink.
"""

from __future__ import annotations

import dataclasses
import math
import re
import weakref
import zlib
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np

from mealplan.food_data.counted import CountedUnit
from mealplan.food_data.dishes import Dish, DishLibrary
from mealplan.food_data.drinks import drink_rules, load_drinks, milk_based
from mealplan.food_data.everyday import variety_name
from mealplan.food_data.names import short_name
from mealplan.food_data.patterns import PatternFood, PatternLibrary
from mealplan.food_data.table import SR24_SOURCE, FoodTable
from mealplan.food_data.vocab import family, slot_kind
from mealplan.optimizer.candidates import coverage_scores, fit_scores, misfit, person_blocks, tight_maxima
from mealplan.optimizer.facts import food_extras, meal_facts, not_at
from mealplan.optimizer.model import (
    DishOption,
    MealFacts,
    PatternEntry,
    PatternOption,
    PoolFood,
)
from mealplan.optimizer.rules import SLOT_DEFAULTS
from mealplan.plan import PlanRules
from mealplan.targets.model import Targets

# Pattern pools are trimmed to the foods that serve the targets best (per serving and per kcal):
# a day model over every pool food is several times slower and picks from the same few.
POOL_KEEP = 3
# A user's own foods in a pool the bundled foods also fill: this many per ranking, and only one that
# beats the bundled picks. They add what the bundled picks lack, not a second pool (3 made a day on a
# 20,000-food table 4.7x the bundled table's time, 1 made it 2.8x, with the same objectives;
# bench_big_table.py).
OWN_KEEP = 1
# Dishes a day model chooses from, per meal: the best by target coverage per portion and as many
# per kcal, among those the week still allows (the whole library made day models of 5,000
# variables that ran into the time limit).
DISH_KEEP = 4
# A day's last attempt, when its best few options cannot hold every hard rule: this many times the
# dishes and a user's pool foods, and every bundled pool food (the whole library made models HiGHS
# could not solve in the day's time).
WIDER = 3


@dataclass
class MealInputs:
    """Dishes, pattern pools and their nutrients for one plan."""

    dishes: list[DishOption]
    patterns: list[PatternOption]
    foods: list[PoolFood]  # the pool foods a day model gets first (the best few per pool)
    all_foods: list[PoolFood]  # the wider pick of a day's last attempt (every bundled one the person may eat)
    nutrients: dict[str, dict[str, float]]
    categories: dict[str, str]
    names: dict[str, str]
    serving: dict[str, tuple[str, float]]  # food -> (serving name, grams)
    blocked_dishes: dict[str, str] = field(default_factory=dict)  # dish id -> why it is out
    # per portion, per 100 kcal (and, for poor appetite, kcal per gram: energy-dense dishes)
    dish_score: dict[str, tuple[float, ...]] = field(default_factory=dict)
    hot_drink_kinds: frozenset[str] = frozenset({"breakfast", "snack"})
    hot_drink_pools: frozenset[str] = frozenset({"hot_drink"})
    measures: Callable[[str], list[tuple[str, float]]] = lambda _food: []  # a food's household measures
    facts: MealFacts = field(default_factory=MealFacts)  # drinks, pairings, kinds, limits, food-group goals
    library: dict[str, Dish] = field(default_factory=dict)  # dish id -> the dish (its text follows the plate)
    everyday: frozenset[str] = frozenset()  # foods exempt from the days-per-food rule
    not_at: dict[str, frozenset[str]] = field(default_factory=dict)  # pool food -> meal kinds it is never at
    water: tuple[str, ...] = ()  # the default drink, added to a meal without another

    def food_key(self, food_id: str) -> str:
        """What the days-per-food rule counts a food as (``food_data.everyday.variety_name``): every tofu
        is tofu, else the product a shopper buys, so fried and hard-boiled eggs are one food."""
        return variety_name(self.names.get(food_id, food_id))

    def dishes_for(self, kind: str, banned: set[str], keep: int | None = None) -> list[DishOption]:
        """The dishes of one meal kind a day model gets: the best ``keep`` (``DISH_KEEP``) by each score."""
        keep = DISH_KEEP if keep is None else keep
        fits = [d for d in self.dishes if kind in d.kinds and d.id not in banned]
        out: set[str] = set()
        for k in range(len(next(iter(self.dish_score.values()), ()))):
            ranked = sorted(fits, key=lambda d: (-self.dish_score[d.id][k], d.id))
            out.update(d.id for d in ranked[:keep])
        return [d for d in fits if d.id in out]


def blocked_foods(table: FoodTable, ids: list[str], rules: PlanRules) -> dict[str, str]:
    """Of ``ids``, the foods the person's diet, allergies, exclusions or dislikes keep out, with why."""
    reason = person_blocks(table.rows.take(ids), rules)
    return {fid: why for fid, why in zip(ids, reason.tolist(), strict=True) if why}


def meal_inputs(
    table: FoodTable,
    dishes: DishLibrary,
    patterns: PatternLibrary,
    pool: dict[str, PatternFood],
    rules: PlanRules,
    targets: Targets,
    keep: AbstractSet[str] = frozenset(),
    person: np.ndarray | None = None,
) -> MealInputs:
    """The dishes and pattern foods ``rules`` allow, with nutrients, categories and portion steps.

    ``person``: per food of the table, the first of the person's rules that keeps it out
    (``Eligibility.person``); found here if not given.
    """
    if person is None:
        person = person_blocks(table.rows, rules)
    options, blocked_dishes, ingredient_ids = _dish_options(table, dishes, rules, person)
    pats = _pattern_options(patterns)
    tight = tight_maxima(targets, rules.amdr)
    allowed_pool, chosen, drink_max, pattern_pools, drink_pools = _allowed_pool(
        table, patterns, pats, pool, person, targets, keep, tight
    )
    every = sorted(set(ingredient_ids) | set(allowed_pool))
    extras = food_extras(table, every, rules, targets)
    library = {d.id: d for d in dishes}
    ingredient_names = dict(zip(ingredient_ids, [str(n) for n in table.rows.take(ingredient_ids)["name"]], strict=True))
    served = [
        _as_served(o, library[o.id], table, extras.counted, targets.portion_scale, ingredient_names) for o in options
    ]
    for o, s in zip(options, served, strict=True):
        if s is None:  # (a child's portion of it holds no whole piece of a food it needs)
            blocked_dishes[o.id] = "a counted ingredient has no whole unit in its portion range"
    options = [s for s in served if s is not None]
    info = table.rows.take(every)
    nut_cols = sorted(set(targets.items) | {"energy", "protein", "fat", "carbohydrate"})
    if rules.food_groups is not None:
        nut_cols = sorted({*nut_cols, "saturated_fat"})
    nutrients: dict[str, dict[str, float]] = {fid: dict(extras.extra_nutrients.get(fid, {})) for fid in every}
    for nut in nut_cols:
        if nut not in info:
            continue
        for fid, v in zip(every, info[nut].astype(float).tolist(), strict=True):
            if not math.isnan(v):
                nutrients[fid][nut] = v
    names = dict(zip(every, [str(v) for v in info["name"]], strict=True))
    categories = dict(zip(every, [str(v) for v in info["category"]], strict=True))
    grams = info["serving_g"].astype(float).tolist()
    serving = {fid: (str(sn), g) for fid, sn, g in zip(every, info["serving_name"].tolist(), grams, strict=True)}
    water = drink_rules(table).default
    foods, all_foods = _pool_foods(
        table, pool, rules, allowed_pool, chosen, names, categories, drink_max, pattern_pools, drink_pools,
        extras.counted, water, targets.portion_scale,
    )  # fmt: skip
    drink_ids = [f.id for f in all_foods if f.drink_max_steps > 0]
    in_pool = {f: pool[f] for f in allowed_pool}
    return MealInputs(
        dish_score=_dish_scores(options, nutrients, targets, tight, big_meals=_big_meals(rules)),
        dishes=options,
        patterns=pats,
        foods=foods,
        all_foods=all_foods,
        nutrients=nutrients,
        categories=categories,
        names=names,
        serving=serving,
        blocked_dishes=blocked_dishes,
        hot_drink_kinds=frozenset(patterns.hot_drink.slots),
        hot_drink_pools=frozenset(patterns.hot_drink.pools),
        measures=table.measures_of,
        facts=meal_facts(table, rules, targets, in_pool, drink_ids, extras.kinds, nutrients),
        library=library,
        everyday=extras.everyday,
        not_at=not_at(table, in_pool, rules),
        water=water,
    )


def _as_served(
    option: DishOption,
    dish: Dish,
    table: FoodTable,
    counted: dict[str, CountedUnit],
    scale: float,
    names: dict[str, str],
) -> DishOption | None:
    """A dish option as a person is served it: ranges scaled by the portion scale (children), counted
    ingredients in whole units (or halves), and whether it is built on milk. A counted ingredient whose
    range holds no whole unit is left out when optional; a dish that needs one is no option (None)."""
    lo, hi, grams = list(option.lo), list(option.hi), list(option.grams)
    if scale != 1.0:
        lo, hi, grams = ([v * scale for v in t] for t in (lo, hi, grams))
    units = []
    for i, f in enumerate(option.foods):
        unit = counted.get(f)
        if unit is None or hi[i] <= 0:
            units.append(0.0)
        elif unit.counts_within(lo[i], hi[i]):
            units.append(unit.step_g)
        elif lo[i] > 0:
            return None
        else:
            lo[i] = hi[i] = grams[i] = 0.0
            units.append(0.0)
    text = f"{dish.id} {dish.name}".lower()
    is_drink = any(re.search(rf"\b{re.escape(w)}", text) for w in load_drinks().milk_based.words)
    return dataclasses.replace(
        option,
        lo=tuple(lo),
        hi=tuple(hi),
        grams=tuple(grams),
        units=tuple(units),
        milk_based=milk_based(dish, table),
        is_drink=is_drink,
        proteins=tuple(
            (f, family(names.get(f, "")))
            for f, role, low in zip(option.foods, option.roles, lo, strict=True)
            if role == "protein" and low > 0
        ),
    )


def _dish_options(
    table: FoodTable, dishes: DishLibrary, rules: PlanRules, person: np.ndarray
) -> tuple[list[DishOption], dict[str, str], list[str]]:
    """The dishes the person may eat as model options (an optional ingredient they do not eat at 0 g),
    why each other dish is out, and the ingredient foods found in the table."""
    wanted = sorted({i.food for d in dishes for i in d.ingredients})
    at = table.rows.positions(wanted, missing=-1)
    ingredient_ids = [f for f, i in zip(wanted, at.tolist(), strict=True) if i >= 0]
    known = set(ingredient_ids)
    blocked = {f: str(person[i]) for f, i in zip(wanted, at.tolist(), strict=True) if i >= 0 and person[i]}

    options, out = [], {}
    for dish in dishes:
        lo, hi = [], []
        why = None
        for ing in dish.ingredients:
            if ing.food in blocked or ing.food not in known:
                if ing.min > 0:
                    why = f"{ing.food}: {blocked.get(ing.food, 'not in the food table')}"
                    break
                lo.append(0.0)  # an optional ingredient the person does not eat
                hi.append(0.0)
            else:
                lo.append(float(ing.min))
                hi.append(float(ing.max))
        if dish.id in rules.forbid:
            why = f"forbidden ('{dish.id}')"
        if why is not None:
            out[dish.id] = why
            continue
        options.append(
            DishOption(
                id=dish.id,
                name=dish.name,
                kinds=frozenset(dish.slots),
                method=dish.method,
                foods=tuple(i.food for i in dish.ingredients),
                grams=tuple(float(i.grams) if h > 0 else 0.0 for i, h in zip(dish.ingredients, hi, strict=True)),
                lo=tuple(lo),
                hi=tuple(hi),
                roles=tuple(i.role for i in dish.ingredients),
            )
        )
    return options, out, ingredient_ids


def _allowed_pool(
    table,
    patterns: PatternLibrary,
    pats,
    pool,
    person,
    targets: Targets,
    keep: AbstractSet[str],
    tight: dict[str, tuple[float, float]],
):
    """The pool foods the person may eat (in id order), the best few a day model gets first, each drink
    pool's largest drink, and the pools the patterns and drinks use."""
    drink_pools = set(patterns.drink.pools) | set(patterns.hot_drink.pools)
    drink_max = {p: patterns.drink.max_g for p in patterns.drink.pools}
    drink_max.update({p: patterns.hot_drink.max_g for p in patterns.hot_drink.pools})
    pattern_pools = {p for pat in pats for e in pat.entries for p in e.pools}
    index = _pool_index(table, pool)
    with np.errstate(invalid="ignore"):
        ok = (
            np.isin(index.pools, sorted(pattern_pools | drink_pools))[index.code]
            & (person[index.pos] == "")
            & (table.rows["serving_g"].astype(float)[index.pos] > 0)
        )
    sel = np.flatnonzero(ok)
    chosen, wide = _best_per_pool(table.rows.at(index.pos[sel]), (index.pools, index.code[sel]), targets, keep, tight)
    return wide, set(chosen), drink_max, pattern_pools, drink_pools


def _pool_foods(
    table, pool, rules, allowed_pool, chosen, names, categories, drink_max, pattern_pools, drink_pools,
    counted: dict[str, CountedUnit], water: tuple[str, ...], scale: float,
):  # fmt: skip
    """Every allowed pool food as a ``PoolFood`` (the wider pick), and the best few a day gets first.

    A counted food (eggs, slices, half a bagel) steps by its unit, as an integer count; any other by a
    quarter serving. ``scale`` (a child's portions) scales the pool's portions. Water is no drink of
    the model: it is the default drink, added when the plan is read.
    """
    rows = table.rows.take(allowed_pool)
    serving_g = dict(zip(allowed_pool, rows["serving_g"].astype(float).tolist(), strict=True))
    max_g = dict(zip(allowed_pool, rows["max_g"].astype(float).tolist(), strict=True))
    foods, all_foods = [], []
    for fid in allowed_pool:
        p = pool[fid]
        unit = counted.get(fid)
        # Quarter-serving steps (or whole units) between the pool's smallest portion and its largest (and
        # the food's own daily maximum): absent, or a portion that still reads as that part of the meal.
        step = unit.step_g if unit is not None else serving_g[fid] * rules.portion_step_servings * scale
        cap = min(p.max_g * scale, max_g[fid] if max_g[fid] == max_g[fid] else math.inf)
        lo = max(1, math.ceil(min(p.min_g * scale, cap / 2) / step - 1e-9))
        top = int(math.floor(cap / step + 1e-9))
        daily = max_g[fid] if max_g[fid] == max_g[fid] else math.inf
        drink_top = int(math.floor(min(drink_max.get(p.component, 0.0), daily) / step + 1e-9))
        all_foods.append(
            PoolFood(
                id=fid,
                name=names[fid],
                category=categories[fid],
                pool=p.component,
                step_g=step,
                min_steps=lo,
                max_steps=top if p.component in pattern_pools else 0,
                drink_max_steps=drink_top if p.component in drink_pools and fid not in water else 0,
                label=p.label or short_name(names[fid]),
                daily_max_g=daily,
                whole=unit is not None,
            )
        )
        if fid in chosen:
            foods.append(all_foods[-1])
    return foods, all_foods


@dataclass(frozen=True)
class _PoolIndex:
    """A table's pool foods as arrays, in id order: where each is in the table and its pool."""

    pos: np.ndarray  # positions in the table
    code: np.ndarray  # index into pools
    pools: np.ndarray  # pool names


def _pool_index(table: FoodTable, pool: dict[str, PatternFood]) -> _PoolIndex:
    """The pool's foods in the table, kept per table for the pool it was made for (``pattern_pool``
    keeps one pool per table: a 100,000-food table's 55,000 pool foods are looked up once)."""
    kept = _POOL_INDEX.get(table)
    if kept is not None and kept[0] is pool:
        return kept[1]
    ids = sorted(pool)
    at = table.rows.positions(ids, missing=-1)
    here = at >= 0
    pools, code = np.unique(np.array([pool[f].component for f in ids], dtype=str), return_inverse=True)
    index = _PoolIndex(pos=at[here], code=code[here], pools=pools.astype(object))
    _POOL_INDEX[table] = (pool, index)
    return index


_POOL_INDEX: weakref.WeakKeyDictionary[FoodTable, tuple[dict, _PoolIndex]] = weakref.WeakKeyDictionary()


def _big_meals(rules: PlanRules) -> bool:
    """Whether a meal of the day carries far more of its energy than usual (one or two meals a day)."""
    return any(s.energy_share[1] > 1.5 * SLOT_DEFAULTS[slot_kind(s.name)][2][1] for s in rules.slots)


def _dish_scores(
    options: list[DishOption],
    nutrients: dict,
    targets: Targets,
    tight: dict[str, tuple[float, float]],
    big_meals: bool = False,
) -> dict[str, tuple[float, ...]]:
    """Per dish at its default amounts: target coverage (as ``coverage_scores``), the same per 100
    kcal, for poor appetite kcal per gram, and on a day of one or two big meals the dish's energy (a
    breakfast that is the day's only meal needs dishes that can carry the day)."""
    mins = {n: t for n, t in targets.items.items() if t.min and t.min > 0}
    cols = [*mins, "energy"]
    foods = sorted({f for d in options for f in d.foods})
    at = {f: i for i, f in enumerate(foods)}
    per_g = np.array([[nutrients.get(f, {}).get(n, 0.0) / 100.0 for n in cols] for f in foods]).reshape(-1, len(cols))
    grams = np.zeros((len(options), len(foods)))
    for r, d in enumerate(options):
        for f, g in zip(d.foods, d.grams, strict=True):
            grams[r, at[f]] += g
    amount = grams @ per_g
    goal = np.array([t.min for t in mins.values()])
    weight = np.array([t.priority for t in mins.values()])
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        cover = (np.minimum(amount[:, :-1] / goal, 1.0) * weight).sum(axis=1)
    energy = amount[:, -1]
    if tight:  # how far a dish's amount per kcal of each tight nutrient passes the day's allowed amount
        names = sorted(tight)
        dense = np.array([[nutrients.get(f, {}).get(n, 0.0) / 100.0 for n in names] for f in foods]).reshape(
            -1, len(names)
        )
        over = misfit((grams @ dense) / np.maximum(energy, 1.0)[:, None], names, tight)
    out: dict[str, tuple[float, ...]] = {}
    for r, d in enumerate(options):
        varied = float(cover[r]) * _variety_factor(targets.profile_id, d.id)
        out[d.id] = (varied, varied / max(energy[r], 1.0) * 100.0)
        if targets.appetite == "poor":  # the same energy in less volume: energy-dense dishes too
            out[d.id] += (energy[r] / max(sum(d.grams), 1.0),)
        if big_meals:
            out[d.id] += (float(energy[r]),)
        if tight:  # a clinician's low maxima, a low-carb range: the dishes that fit them best, unvaried
            out[d.id] += (float(cover[r]) / max(energy[r], 1.0) * 100.0 - float(over[r]),)
    return out


# Each person's ranking of the dishes moves every dish's score by up to this share, the same for the same
# person and dish every time: people with the same needs see different good dishes among equals, so
# the library is used across a clinic's plans rather than the same top few (issue 25). The model still
# weighs the candidates by the nutrients they bring; on the 21 example and batch weeks 0.6 against 0.25
# raised the distinct dishes from 105 to 124, shortfalls 113 to 103 (benchmarks/bench_week_review.py).
# On 12 example and batch weeks, 1.0 against 0.6 raised them from 92 to 101, shortfalls 20 to 18 (a dish
# may rank last for one person and first for another: at 1.0 the factor runs from 0 to 2).
# The ranking by fit to a clinician's maxima is not varied.
DISH_VARIETY = 1.0


def _variety_factor(person: str, dish: str) -> float:
    """A factor in [1 - DISH_VARIETY, 1 + DISH_VARIETY] fixed by the person and the dish (a checksum:
    the same on every machine and run, whatever Python's hash seed)."""
    u = zlib.crc32(f"{person}:{dish}".encode()) / 0xFFFFFFFF
    return 1.0 + DISH_VARIETY * (2.0 * u - 1.0)


# Condiments and spreads go in a dish or on bread or crackers: a pattern without a carrier loses them.
CARRIER_POOLS = frozenset({"bread", "crackers"})
NEEDS_CARRIER = frozenset({"sauce", "spread"})


def _pattern_options(patterns: PatternLibrary) -> list[PatternOption]:
    out = []
    for pat in patterns.patterns:
        entries = []
        carried = any(role.count[0] > 0 and set(role.pools) <= CARRIER_POOLS for role in pat.components.values())
        for key, role in pat.components.items():
            pools = frozenset(role.pools)
            if pools & NEEDS_CARRIER and not carried:
                if role.count[0] > 0:
                    break  # the pattern cannot be served without its condiment
                continue
            entries.append(PatternEntry(key, pools, role.count[0], role.count[1]))
        else:
            out.append(
                PatternOption(id=pat.id, name=" ".join(pat.name), kinds=frozenset(pat.slots), entries=tuple(entries))
            )
    return out


def _best_per_pool(
    rows, component, targets: Targets, keep: AbstractSet[str], tight: dict[str, tuple[float, float]] | None = None
) -> tuple[list[str], list[str]]:
    """The ``POOL_KEEP`` foods of each pool (``component``: pool names and, per food of ``rows``, the
    index of its pool) that cover the
    targets best per serving, and as many per kcal (and, for poor appetite, as many with the most kcal
    per gram); then the wider pick of a day's last attempt: every bundled pool food and ``WIDER`` times
    the quota of a user's foods (not all 5,000 pool foods of a 20,000-food table: a model that size is
    no attempt)."""
    ids = rows.ids
    if len(ids) == 0:
        return [], []
    per_serving, per_kcal = coverage_scores(rows, targets)
    scores = [per_serving, per_kcal]
    if targets.appetite == "poor":  # the same energy in less volume: each pool's most energy-dense foods too
        scores.append(np.nan_to_num(rows["energy"].astype(float)))
    tight = tight_maxima(targets) if tight is None else tight
    if tight:  # a clinician's low maxima (kidney disease), a low-carb range: each pool's foods that fit them too
        scores.append(fit_scores(rows, targets, tight))
    scores = [np.where(np.isnan(s), -np.inf, s) for s in scores]  # unknown ranks last
    out: set[int] = {i for i, f in enumerate(ids.tolist()) if f in keep} if keep else set()  # positions in rows
    wide = set(out)
    # The bundled pool foods (hand-picked, one of a kind) and a user's own foods compete apart, so a
    # big user table only adds candidates: among a user's foods one per family (see _one_per_family),
    # none of a family the bundled picks hold, and where bundled foods fill the pool OWN_KEEP per
    # ranking, only if it beats the bundled picks (else it would only make the model bigger).
    own = rows["source"] != SR24_SOURCE
    pools, code = component
    if len(code) != len(ids):
        raise ValueError(f"_best_per_pool: {len(code)} pools for {len(ids)} foods")
    group = code * 2 + own  # bundled (even) before a user's (odd) foods of each pool
    families = _Families(rows["name"])
    id_rank = rows.derived(("id rank",), lambda t: np.argsort(np.argsort(t.ids.astype(str))))  # ties in id order
    bar: dict[tuple[str, int], float] = {}  # (pool, ranking) -> the score a user's food must beat
    for g in sorted(set(group.tolist()), key=lambda g: (g % 2, g)):  # bundled pools first
        at, pool, is_own = np.flatnonzero(group == g), str(pools[g // 2]), bool(g % 2)
        if not is_own:
            wide.update(at.tolist())
        for k, score in enumerate(scores):
            if not is_own:
                ranked = _ranked(at, score, id_rank, POOL_KEEP)
                out.update(ranked[:POOL_KEEP])
                bar[(pool, k)] = score[ranked[POOL_KEEP - 1]] if len(ranked) >= POOL_KEEP else -np.inf
                continue
            # A user's food whose family the bundled picks already hold adds nothing new (a near-copy).
            taken = {families[i] for i in out}
            quota = OWN_KEEP if (pool, k) in bar else POOL_KEEP
            ranked = _ranked(at, score, id_rank, LOOK_FIRST)
            picked = _one_per_family(ranked, families, quota * WIDER, skip=taken)
            if len(picked) < quota * WIDER and len(ranked) < len(at):  # near-copies filled the first look
                picked = _one_per_family(_ranked(at, score, id_rank), families, quota * WIDER, skip=taken)
            out.update(i for i in picked[:quota] if score[i] > bar.get((pool, k), -np.inf))
            wide.update(picked)
    return sorted(ids[sorted(out)].tolist()), sorted(ids[sorted(wide | out)].tolist())


# A pool's user foods are ranked in full only when the best LOOK_FIRST hold too few food families.
LOOK_FIRST = 64


def _ranked(at: np.ndarray, score: np.ndarray, id_rank: np.ndarray, first: int | None = None) -> list[int]:
    """Positions ``at`` by ``score``, highest first, ties in id order; with ``first``, only the best
    ``first`` (and any tied with the last of them), so a pool of 5,000 foods is not sorted for three."""
    if first is not None and len(at) > 4 * first:
        s = score[at]
        at = at[s >= np.partition(s, len(s) - first)[len(s) - first]]
    return at[np.lexsort((id_rank[at], -score[at]))].tolist()


class _Families:
    """The family (``vocab.family``, which keeps what it found) of the food at a position, worked out
    when asked: a plan asks for a few of a 100,000-food table's (all of them: 0.3 s)."""

    def __init__(self, names: np.ndarray) -> None:
        self.names = names

    def __getitem__(self, i: int) -> str:
        return family(str(self.names[i]))


def _one_per_family(ranked: list[int], families, keep: int, skip: AbstractSet[str] = frozenset()) -> list[int]:
    """The first ``keep`` of ``ranked`` from distinct food families, none in ``skip``, so a big user
    table's near-copies (twelve brands of one tofu) cannot fill a pool and leave the day model one food
    in many names. The first k of a pick of ``keep`` are the pick of k."""
    seen = set(skip)
    out = []
    for i in ranked:
        if families[i] in seen:
            continue
        seen.add(families[i])
        out.append(i)
        if len(out) == keep:
            break
    return out
