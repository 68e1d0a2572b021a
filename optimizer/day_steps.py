"""One day of a plan at a time: what a day carries over from the days before it (the variety so far,
what the week still needs of its weekly nutrients), the inputs of its model, and the solve steps
around it (a partial start from the relaxation, the polish, the diagnosis of a day that cannot hold
its hard rules).

Used by the planner (:func:`optimizer.planner.make_plan`) and by a re-plan of part of a saved plan
(:mod:`mealplan.workbench.replan`). Weekly rules work on blocks of seven days: day 8 starts a new
week, whose variety counts and weekly nutrients start afresh, while "not two days running" rules
look back across the boundary.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mealplan.errors import ConfigError, SolverError
from mealplan.food_data.patterns import load_pattern_foods
from mealplan.food_data.table import SR24_SOURCE, FoodTable, Rows
from mealplan.food_data.vocab import MAIN_MEALS, slot_kind
from mealplan.optimizer.candidates import coverage_scores, named, ranked
from mealplan.optimizer.explain import conflict_error
from mealplan.optimizer.meal_inputs import DISH_KEEP, WIDER, MealInputs
from mealplan.optimizer.meals import MealSpec, build_meal_model
from mealplan.optimizer.rules import SLOT_DEFAULTS
from mealplan.optimizer.solve import solve
from mealplan.plan import WEEK_DAYS, DayPlan, PlanRules, SlotPlan
from mealplan.targets.model import Targets
from mealplan.targets.profile import Profile

LIKED_PER_PATTERN = 3
# A day plan within 0.3 % of one whole target of the best (SHORTFALL_WEIGHT is a whole target) is
# optimal: the last few objective units are a pattern instead of a dish or amounts moved from a
# dish's defaults, which HiGHS spent most of a day's second proving (measured on the examples).
ABS_GAP_MEALS = 3.0


@dataclass
class WeekState:
    days_used: dict[str, int] = field(default_factory=dict)  # pattern food -> days it was served
    dish_count: dict[tuple[str, str], int] = field(default_factory=dict)  # (meal kind, dish) -> times
    last_main_protein: set[str] = field(default_factory=set)
    last_dinner: SlotPlan | None = None
    last_main_dishes: set[str] = field(default_factory=set)  # yesterday's lunch and dinner dishes
    weekly_achieved: dict[str, float] = field(default_factory=dict)
    # The last WEEK_DAYS - 1 days' pattern foods and (meal kind, dish) meals: variety counts over them,
    # so the rules hold in any 7 days running and the weeks of a long plan differ.
    recent: list[tuple[set[str], list[tuple[str, str]]]] = field(default_factory=list)


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


def read_prices(path: Path) -> dict[str, float]:
    """A price table: CSV with columns ``id`` and ``price`` (per 100 g)."""
    problems = []
    prices: dict[str, float] = {}
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"id", "price"} <= set(reader.fieldnames):
                raise ConfigError(f"{path}: a price table needs the columns id and price (per 100 g).")
            for row_no, row in enumerate(reader, start=2):
                try:
                    value = float(row["price"])
                except (TypeError, ValueError):
                    value = math.nan
                if not math.isfinite(value) or value < 0:
                    problems.append(f"{path}, row {row_no}, column price: {row['price']!r} is not a price >= 0")
                    continue
                prices[str(row["id"]).strip().zfill(5) if str(row["id"]).strip().isdigit() else row["id"]] = value
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the price table ({exc.strerror}).") from exc
    if problems:
        raise ConfigError(f"{path}: bad prices.", problems)
    return prices


def prices_for(profile: Profile, foods: FoodTable) -> dict[str, float] | None:
    """Prices per 100 g: the food table's price column, overridden by the profile's price table."""
    prices: dict[str, float] = {}
    if "price" in foods.rows:
        column = foods.rows["price"].astype(float)
        known = ~np.isnan(column)
        prices = dict(zip(foods.rows.ids[known].tolist(), column[known].tolist(), strict=True))
    if profile.prices:
        prices.update(read_prices(Path(profile.prices)))
    return prices or None


def week_of(day: int, days: int) -> tuple[int, int]:
    """The first and last day (1-based) of the week (block of ``WEEK_DAYS``) that holds ``day``."""
    first = (day - 1) // WEEK_DAYS * WEEK_DAYS + 1
    return first, min(first + WEEK_DAYS - 1, days)


def new_week(state: WeekState) -> WeekState:
    """The state a week starts from: nothing achieved of its weekly nutrients yet; variety still counts
    the last six days (it rolls across weeks), and yesterday is still yesterday."""
    return dataclasses.replace(state, weekly_achieved={})


def day_goals(targets: Targets, rules: PlanRules, state: WeekState, day: int, days: int) -> dict[str, float]:
    """Day ``day``'s minimum of each nutrient: the target, or for a weekly nutrient what its week
    still needs spread over the week's days left (``state`` holds the week so far)."""
    first, last = week_of(day, days)
    goals = {}
    for nut, t in targets.items.items():
        if not t.min:
            continue
        if nut in rules.weekly_nutrients:
            # What the week still needs, spread over the days left (never above one day's UL).
            remaining = (last - first + 1) * t.min - state.weekly_achieved.get(nut, 0.0)
            goal = max(remaining, 0.0) / (last - day + 1)
            if t.max is not None:
                goal = min(goal, t.max * 0.95)
            goals[nut] = goal
        else:
            goals[nut] = t.min
    return goals


def carry(state: WeekState, day: DayPlan, rules: PlanRules) -> None:
    """What the next days must know: foods and dishes used, main-meal proteins, weekly nutrients."""
    foods = {i.food_id for s in day.slots if s.meal_kind == "pattern" for i in s.items if i.role != "drink"}
    # A leftover lunch is a meal of that dish too: "at most twice a week" counts meals.
    meals = [(slot_kind(s.name), s.dish_id) for s in day.slots if s.dish_id is not None]
    state.recent = [*state.recent, (foods, meals)][-(WEEK_DAYS - 1) :]
    state.days_used, state.dish_count = {}, {}
    for day_foods, day_meals in state.recent:
        for f in day_foods:
            state.days_used[f] = state.days_used.get(f, 0) + 1
        for meal in day_meals:
            state.dish_count[meal] = state.dish_count.get(meal, 0) + 1
    mains = {s.name for s in rules.slots if s.needs_protein}
    state.last_main_protein = {
        i.food_id
        for s in day.slots
        if s.name in mains and s.meal_kind == "pattern"
        for i in s.items
        if i.role == "protein"
    }
    state.last_dinner = next((s for s in day.slots if slot_kind(s.name) == "dinner" and s.dish_id), None)
    state.last_main_dishes = {s.dish_id for s in day.slots if slot_kind(s.name) in MAIN_MEALS and s.dish_id}
    for nut in rules.weekly_nutrients:
        state.weekly_achieved[nut] = state.weekly_achieved.get(nut, 0.0) + day.totals[nut].amount


def meal_spec(
    d: int,
    inputs: MealInputs,
    targets: Targets,
    rules: PlanRules,
    state: WeekState,
    days: int,
    liked: dict[str, list[str]],
    leftovers: bool,
) -> MealSpec:
    """Day ``d``'s model inputs, with the week's variety so far carried in."""
    limit = rules.meal_rules.dish_max_per_week if rules.meal_rules else WEEK_DAYS
    banned: dict[str, set[str]] = {}
    for (kind, dish_id), count in state.dish_count.items():
        if kind in MAIN_MEALS and count >= limit:
            banned.setdefault(kind, set()).add(dish_id)
    if MAIN_MEALS:  # a dish cooked for lunch or dinner counts for both (people remember it, not the slot)
        both = set().union(*(banned.get(k, set()) for k in MAIN_MEALS))
        counts: dict[str, int] = {}
        for (kind, dish_id), count in state.dish_count.items():
            if kind in MAIN_MEALS:
                counts[dish_id] = counts.get(dish_id, 0) + count
        both |= {j for j, c in counts.items() if c >= limit}
        if rules.meal_rules is not None and rules.meal_rules.no_main_dish_two_days_running:
            both |= state.last_main_dishes  # (a leftover lunch is fixed, not chosen: it still comes)
        for k in MAIN_MEALS:
            banned[k] = both
    used_up = {f for f, c in state.days_used.items() if c >= rules.max_days_per_food}
    forbidden = {(f.id, s.name) for f in inputs.all_foods for s in rules.slots if f.id in used_up}
    forbidden |= {(f, s.name) for f in state.last_main_protein for s in rules.slots if s.needs_protein}
    fixed = {}
    lunch = next((s.name for s in rules.slots if slot_kind(s.name) == "lunch"), None)
    if leftovers and state.last_dinner is not None and lunch is not None and d <= days:
        dinner = state.last_dinner
        dish = next((o for o in inputs.dishes if o.id == dinner.dish_id), None)
        if dish is not None and "lunch" in dish.kinds:
            amounts = {}
            grams = {it.food_id: it.grams for it in dinner.items if it.role != "drink"}
            for i, fid in enumerate(dish.foods):
                amounts[i] = grams.get(fid, 0.0)
            fixed[lunch] = (dish.id, amounts)
    return MealSpec(
        scale={s.name: max(1.0, s.energy_share[1] / SLOT_DEFAULTS[slot_kind(s.name)][2][1]) for s in rules.slots},
        day=d,
        goals=day_goals(targets, rules, state, d, days),
        foods=inputs.foods,
        dishes=day_dishes(inputs, rules, banned, fixed),
        patterns=inputs.patterns,
        nutrients=inputs.nutrients,
        categories=inputs.categories,
        hot_drink_kinds=inputs.hot_drink_kinds,
        hot_drink_pools=inputs.hot_drink_pools,
        forbidden=forbidden,
        banned_dishes=banned,
        liked=liked,
        fixed=fixed,
    )


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


def day_dishes(
    inputs: MealInputs, rules: PlanRules, banned: dict[str, set[str]], fixed: dict, wider: bool = False
) -> list:
    """The dishes a day model chooses from: the best few for each meal the day has (``WIDER`` times as
    many with ``wider``), and any leftover."""
    chosen: dict[str, object] = {}
    keep = DISH_KEEP * WIDER if wider else DISH_KEEP
    for kind in dict.fromkeys(slot_kind(s.name) for s in rules.slots):
        for d in inputs.dishes_for(kind, banned.get(kind, set()), keep):
            chosen[d.id] = d
    for dish_id, _ in fixed.values():
        chosen.update({d.id: d for d in inputs.dishes if d.id == dish_id})
    return list(chosen.values())


def mark_leftover(slots: list[SlotPlan], previous: DayPlan, prev_index: int) -> list[SlotPlan]:
    """Mark the lunch that repeats yesterday's dinner dish as its leftover."""
    dinner = next((s for s in previous.slots if slot_kind(s.name) == "dinner" and s.dish_id), None)
    if dinner is None:
        return slots
    out = []
    for s in slots:
        if slot_kind(s.name) == "lunch" and s.dish_id == dinner.dish_id:
            s = s.model_copy(
                update={"leftover_of": prev_index, "title": f"{s.title} (leftovers from day {prev_index})"}
            )
        out.append(s)
    return out


def relaxation_start(built, solver: str, threads: int) -> tuple[dict, float]:
    """A partial MIP start from the LP relaxation: the options and foods it leaves out start absent.

    HiGHS completes such a start with a small sub-MIP, which finds a first day of meals far sooner
    than its own heuristics on the whole model (the example weeks took about half the time). The
    start never changes what is optimal. Returns the start and the seconds the LP took.
    """
    try:
        lp = solve(built.prob, solver=solver, relax=True, time_limit=5.0, threads=threads, fallback=False)
    except SolverError:
        return {}, 0.0
    if not lp.has_solution:
        return {}, lp.seconds
    binaries = (*built.z.values(), *built.p.values(), *built.y.values())
    return {v: 0.0 for v in binaries if (v.value() or 0.0) <= 1e-6}, lp.seconds


def polish(built, solver: str, threads: int) -> float:
    """With the day's meals chosen, move dish amounts back toward their defaults (an LP); seconds spent.

    The chosen binaries are fixed and the MILP's own aims stay in the objective with their weights,
    so the polish never trades a nutrient target for a rounder portion. When the LP fails the
    MILP's amounts stand (they are feasible), so a plan never gets worse here.
    """
    saved = {v: v.value() for v in built.prob.variables()}
    built.polish_objective()
    try:
        outcome = solve(built.prob, solver=solver, relax=True, time_limit=5.0, threads=threads)
    except SolverError:
        outcome = None
    if outcome is None or not outcome.has_solution:
        for v, value in saved.items():
            v.varValue = value
    return outcome.seconds if outcome is not None else 0.0


def diagnose(spec: MealSpec, rules: PlanRules, targets: Targets, prices, solver: str, time_limit: float, threads: int):
    """Re-solve with elastic hard rules and name those that had to give."""
    built = build_meal_model(spec, rules, targets, prices=prices, elastic=True)
    outcome = solve(built.prob, solver=solver, time_limit=time_limit, gap=0.0, threads=threads)
    if not outcome.has_solution:
        return conflict_error({}, spec.day)
    return conflict_error({k: (v.value() or 0.0) for k, v in built.slacks.items()}, spec.day)
