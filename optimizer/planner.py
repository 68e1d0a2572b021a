"""Making a plan: targets, rules, dishes and pattern foods, one model per day, solve, totals and explanations.

A week is planned day by day with variety carried forward (the design notes measured a 7-day
monolith far from optimal after a minute): a lunch or dinner dish appears at most
``dish_max_per_week`` times (breakfasts may repeat), pattern foods already used on
``max_days_per_food`` days leave the pools, the previous day's main-meal protein food may not be a
main-meal protein again, with ``leftovers`` a dinner dish is cooked twice over and becomes the next
day's lunch, and weekly nutrients (vitamin D, B12) carry what is still missing for the week over to
the remaining days.
"""

from __future__ import annotations

import csv
import dataclasses
import logging
import math
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import numpy as np

from mealplan.errors import ConfigError, SolverError
from mealplan.food_data.dishes import DishLibrary, load_dishes
from mealplan.food_data.household import household
from mealplan.food_data.patterns import load_pattern_foods, load_patterns
from mealplan.food_data.table import SR24_SOURCE, FoodTable, Rows
from mealplan.food_data.vocab import MAIN_MEALS
from mealplan.optimizer.candidates import coverage_scores, eligible_foods, pattern_mask, ranked
from mealplan.optimizer.explain import conflict_error
from mealplan.optimizer.meal_inputs import DISH_KEEP, MealInputs, meal_inputs, read_slots
from mealplan.optimizer.meals import SHORTFALL_WEIGHT, MealSpec, build_meal_model
from mealplan.optimizer.plan import (
    DayPlan,
    Plan,
    PlanRules,
    SlotPlan,
    SolveInfo,
    SolveStatus,
)
from mealplan.optimizer.profile import Profile, triage_input
from mealplan.optimizer.require import apply_requirements, check_requirements, name_every_rule, with_required_foods
from mealplan.optimizer.rules import SLOT_DEFAULTS, plan_rules, slot_kind
from mealplan.optimizer.solve import SolveOutcome, solve, write_model
from mealplan.optimizer.targets import Targets, compute_targets
from mealplan.optimizer.totals import day_plan, shortfalls_of, week_average
from mealplan.optimizer.upper_limits import highest_ul
from mealplan.triage import DISCLAIMER, TriageResult, run_triage

log = logging.getLogger(__name__)

LIKED_PER_PATTERN = 3
# A day's second attempt, when its best few options cannot hold every hard rule: this many times the
# dishes, and every pool food (the whole library made models HiGHS could not solve in the day's time).
WIDER = 3
# A day plan within 0.3 % of one whole target of the best (SHORTFALL_WEIGHT is a whole target) is
# optimal: the last few objective units are a pattern instead of a dish or amounts moved from a
# dish's defaults, which HiGHS spent most of a day's second proving (measured on the examples).
ABS_GAP_MEALS = 3.0


def _version() -> str:
    try:
        return f"mealplan {version('mealplan')}"
    except Exception:  # noqa: BLE001 - running from a source tree without metadata
        return "mealplan"


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


@dataclass
class _WeekState:
    days_used: dict[str, int] = field(default_factory=dict)  # pattern food -> days it was served
    dish_count: dict[tuple[str, str], int] = field(default_factory=dict)  # (meal kind, dish) -> times
    last_main_protein: set[str] = field(default_factory=set)
    last_dinner: SlotPlan | None = None
    last_main_dishes: set[str] = field(default_factory=set)  # yesterday's lunch and dinner dishes
    weekly_achieved: dict[str, float] = field(default_factory=dict)


def make_plan(
    profile: Profile,
    foods: FoodTable,
    *,
    days: int = 1,
    triage: TriageResult | None = None,
    objective: str = "shortfall",
    time_limit: float = 30.0,
    gap: float = 0.01,
    solver: str = "highs",
    threads: int = 1,
    model_path: Path | None = None,
    max_days_per_food: int = 3,
    targets: Targets | None = None,
    dishes: DishLibrary | None = None,
) -> Plan:
    """Plan ``days`` days (1 or 7) of meals for ``profile`` from ``foods``.

    Args:
        profile: The person.
        foods: The food table (curated: planner columns present).
        days: 1 for a day plan, 2-7 for a week plan with variety rules.
        triage: A triage result; when ``None`` and the profile has symptoms or factors, triage runs.
        objective: ``"shortfall"`` (default) or ``"cost"`` (needs prices).
        time_limit: Solver seconds for the whole plan (shared among days).
        gap: Relative MIP gap accepted as optimal.
        solver: ``"highs"`` or ``"cbc"``.
        threads: Solver threads.
        model_path: Write the first day's model there (``.mps`` or ``.lp``) before solving.
        max_days_per_food: In a week, a food appears on at most this many days.
        dishes: The dish library (bundled plus ``--dishes`` files); the bundled one when ``None``.
        targets: Targets computed earlier (e.g. by ``compute_targets`` and then adjusted in a
            notebook); when ``None`` they are computed from the profile and the triage.

    Raises:
        ConfigError: bad options or price table.
        ConflictError: the hard rules cannot hold together; names the conflicting rules.
        SolverError: no solver could run.
    """
    started = time.perf_counter()
    if not 1 <= days <= 7:
        raise ConfigError(f"days {days!r}: plan 1 day or a week (2 to 7 days).")
    if objective not in ("shortfall", "cost"):
        raise ConfigError(f"objective {objective!r}: allowed values are shortfall and cost.")
    if triage is None:
        inp = triage_input(profile)
        triage = run_triage(inp) if inp is not None else None
    targets = _fluids_apart(targets if targets is not None else compute_targets(profile, triage))
    rules = plan_rules(profile, targets, objective=objective, max_days_per_food=max_days_per_food)
    if days == 1:
        rules = rules.model_copy(update={"weekly_nutrients": []})
    prices = _prices(profile, foods)
    if objective == "cost" and not prices:
        raise ConfigError(
            "objective cost needs prices: give the profile a `prices` table or a food table with a price column."
        )
    elig = eligible_foods(foods, rules)
    if dishes is None:
        dishes = load_dishes(foods=foods)
    pool = _pattern_pool(foods)
    liked = _liked(rules.likes, elig.allowed, targets)
    inputs = meal_inputs(
        foods, dishes, load_patterns(), pool, rules, targets, keep={f for fs in liked.values() for f in fs}
    )
    if rules.require:  # required foods and dishes (optimizer/require.py): checked, then in every day's model
        inputs = with_required_foods(inputs, rules, foods)
        check_requirements(rules, foods, inputs, days)

    state = _WeekState()
    day_plans: list[DayPlan] = []
    outcomes: list[SolveOutcome] = []
    build_s = solve_s = 0.0
    n_vars = n_cons = 0
    per_day_limit = max(time_limit / days, 1.0)
    relaxed_days: list[int] = []
    notes: list[str] = []
    for d in range(1, days + 1):
        spec = _meal_spec(d, inputs, targets, rules, state, days, liked, profile.leftovers)
        # Yesterday's dinner as today's lunch when it fits the day; otherwise the day is planned freely.
        # When the day's best few options cannot hold every hard rule (a teen athlete's energy under the
        # manganese UL once the week's variety has used up the low-manganese dishes), the day lets a dish
        # or food repeat (said in the plan's notes and rules), and then tries three times the dishes and
        # every pool food.
        free = dataclasses.replace(spec, fixed={}, banned_dishes={}, forbidden=set())
        wide = dataclasses.replace(free, foods=inputs.all_foods, dishes=_day_dishes(inputs, rules, {}, {}, wider=True))
        attempts = ([spec, dataclasses.replace(spec, fixed={})] if spec.fixed else [spec]) + [free, wide]
        attempts = [apply_requirements(a, rules, inputs, foods) for a in attempts]
        for attempt in attempts:
            t0 = time.perf_counter()
            built = build_meal_model(attempt, rules, targets, prices=prices)
            build_s += time.perf_counter() - t0
            if model_path is not None and d == 1:
                write_model(built.prob, model_path)
            start, lp_s = _relaxation_start(built, solver, threads)
            outcome = solve(
                built.prob,
                solver=solver,
                time_limit=per_day_limit,
                gap=gap,
                threads=threads,
                gap_scale=SHORTFALL_WEIGHT,
                abs_gap=ABS_GAP_MEALS,
                start=start,
            )
            solve_s += outcome.seconds + lp_s
            if outcome.status != SolveStatus.INFEASIBLE:
                break
        if not outcome.has_solution:
            if outcome.status == SolveStatus.INFEASIBLE:
                error = _diagnose(attempt, rules, targets, prices, solver, per_day_limit, threads)
                raise name_every_rule(error, attempt, rules, targets, prices, solver, per_day_limit, threads)
            raise SolverError(f"day {d}: the solver stopped without a plan (status {outcome.status.value}).")
        solve_s += _polish(built, outcome.solver, threads)
        if attempt is free or attempt is wide:
            relaxed_days.append(d)
            notes.append(
                f"day {d}: dishes or foods repeat sooner than the week's variety rules allow; with the week's "
                "other options the day could not hold every hard rule (upper limits, energy)"
            )
        outcomes.append(outcome)
        v, c = built.size
        n_vars, n_cons = max(n_vars, v), max(n_cons, c)
        slots = read_slots(built, inputs, rules, prices, household)
        if attempt.fixed:
            slots = _mark_leftover(slots, day_plans[-1], d - 1)
        day = day_plan(d, slots, foods, targets, rules)
        day_plans.append(day)
        _carry(state, day, rules)
    n_cands = len(inputs.foods) + len(inputs.dishes)
    week_totals = week_average(day_plans, rules.met_tolerance) if days > 1 else None
    shortfalls = shortfalls_of(day_plans, week_totals, targets, rules, foods, elig)
    status = SolveStatus.OPTIMAL if all(o.status == SolveStatus.OPTIMAL for o in outcomes) else SolveStatus.TIME_LIMIT
    gaps = [o.gap for o in outcomes if o.gap is not None]
    cost = None
    if prices is not None:
        cost = round(sum(i.cost or 0.0 for dp in day_plans for s in dp.slots for i in s.items) / days, 4)
    notes = list(targets.notes) + [n for o in outcomes for n in o.notes] + notes  # safety notes first
    if relaxed_days:
        rules = rules.model_copy(update={"variety_relaxed_days": relaxed_days})
    if prices is not None:
        unpriced = sorted({i.name for dp in day_plans for sl in dp.slots for i in sl.items if i.cost is None})
        if unpriced:
            shown = "; ".join(unpriced[:5]) + (f"; and {len(unpriced) - 5} more" if len(unpriced) > 5 else "")
            notes.append(
                f"cost{' and budget' if rules.budget is not None else ''} count only foods with a price: "
                f"{len(unpriced)} food(s) in the plan have none ({shown})"
            )
    return Plan(
        kind="day" if days == 1 else "week",
        profile_id=profile.id,
        created_with=_version(),
        disclaimer=DISCLAIMER,
        red_flags=list(triage.red_flags) if triage else [],
        triage=triage,
        targets=targets,
        rules=rules,
        days=day_plans,
        week_totals=week_totals,
        shortfalls=shortfalls,
        solve=SolveInfo(
            solver=outcomes[0].solver,
            status=status,
            gap=max(gaps) if gaps else None,
            objective=sum(o.objective or 0.0 for o in outcomes),
            build_seconds=round(build_s, 4),
            solve_seconds=round(solve_s, 4),
            total_seconds=round(time.perf_counter() - started, 4),
            variables=n_vars,
            constraints=n_cons,
            candidates=n_cands,
            notes=notes,
        ),
        food_sources=sorted({str(s) for s in foods.rows["source"]}),
        cost=cost,
        highest_ul=highest_ul(day_plans, targets),
    )


def _liked(patterns: list[str], allowed: Rows, targets: Targets) -> dict[str, list[str]]:
    """For each like pattern, its best few allowed foods by target coverage."""
    out = {}
    for pattern in patterns:
        foods = allowed.where(pattern_mask([pattern], allowed))
        if foods.empty:
            continue
        score, _ = coverage_scores(foods, targets)
        ids = foods.index
        out[pattern] = [ids[i] for i in ranked(ids, score)[:LIKED_PER_PATTERN]]
    return out


def _fluids_apart(targets: Targets) -> Targets:
    """Water's AI counts drinks; plans are food, so fluids are advised, not planned."""
    water = targets.items.get("water")
    if water is None or water.min is None:
        return targets
    note = f"not planned: the {water.min:,.0f} g AI for total water comes mostly from drinks"
    items = dict(targets.items)
    items["water"] = water.model_copy(update={"min": None, "min_source": note, "priority": 0.0})
    return targets.model_copy(update={"items": items})


def _prices(profile: Profile, foods: FoodTable) -> dict[str, float] | None:
    """Prices per 100 g: the food table's price column, overridden by the profile's price table."""
    prices: dict[str, float] = {}
    if "price" in foods.rows:
        column = foods.rows["price"].astype(float)
        known = ~np.isnan(column)
        prices = dict(zip(foods.rows.ids[known].tolist(), column[known].tolist(), strict=True))
    if profile.prices:
        prices.update(read_prices(Path(profile.prices)))
    return prices or None


def _day_goals(targets: Targets, rules: PlanRules, state: _WeekState, day: int, days: int) -> dict[str, float]:
    goals = {}
    for nut, t in targets.items.items():
        if not t.min:
            continue
        if nut in rules.weekly_nutrients:
            # What the week still needs, spread over the days left (never above one day's UL).
            remaining = days * t.min - state.weekly_achieved.get(nut, 0.0)
            goal = max(remaining, 0.0) / (days - day + 1)
            if t.max is not None:
                goal = min(goal, t.max * 0.95)
            goals[nut] = goal
        else:
            goals[nut] = t.min
    return goals


def _carry(state: _WeekState, day: DayPlan, rules: PlanRules) -> None:
    """What the next days must know: foods and dishes used, main-meal proteins, weekly nutrients."""
    for f in {i.food_id for s in day.slots if s.meal_kind == "pattern" for i in s.items if i.role != "drink"}:
        state.days_used[f] = state.days_used.get(f, 0) + 1
    for s in day.slots:  # a leftover lunch is a meal of that dish too: "at most twice a week" counts meals
        if s.dish_id is not None:
            kind = slot_kind(s.name)
            state.dish_count[(kind, s.dish_id)] = state.dish_count.get((kind, s.dish_id), 0) + 1
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


def _meal_spec(
    d: int,
    inputs: MealInputs,
    targets: Targets,
    rules: PlanRules,
    state: _WeekState,
    days: int,
    liked: dict[str, list[str]],
    leftovers: bool,
) -> MealSpec:
    """Day ``d``'s model inputs, with the week's variety so far carried in."""
    limit = rules.meal_rules.dish_max_per_week if rules.meal_rules else days
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
        goals=_day_goals(targets, rules, state, d, days),
        foods=inputs.foods,
        dishes=_day_dishes(inputs, rules, banned, fixed),
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


def _pattern_pool(foods: FoodTable) -> dict:
    """The foods patterns may serve: the hand-picked bundled ones, and a user's own foods placed by category.

    Bundled foods missing from the hand-picked list stay out (they were left out on purpose); a table
    without any of them (``--no-bundled``) has every food placed by its category and name.
    """
    picked = load_pattern_foods(foods, skip_missing=True)
    own = foods.rows.ids[foods.rows["source"] != SR24_SOURCE] if picked else foods.rows.ids
    if len(own) == 0:
        return picked
    placed = load_pattern_foods(FoodTable(foods.rows.take(own), {}, foods.units), skip_missing=True, fallback=True)
    return {**placed, **picked}


def _day_dishes(
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


def _mark_leftover(slots: list[SlotPlan], previous: DayPlan, prev_index: int) -> list[SlotPlan]:
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


def _relaxation_start(built, solver: str, threads: int) -> tuple[dict, float]:
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


def _polish(built, solver: str, threads: int) -> float:
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


def _diagnose(spec: MealSpec, rules: PlanRules, targets: Targets, prices, solver: str, time_limit: float, threads: int):
    """Re-solve with elastic hard rules and name those that had to give."""
    built = build_meal_model(spec, rules, targets, prices=prices, elastic=True)
    outcome = solve(built.prob, solver=solver, time_limit=time_limit, gap=0.0, threads=threads)
    if not outcome.has_solution:
        return conflict_error({}, spec.day)
    return conflict_error({k: (v.value() or 0.0) for k, v in built.slacks.items()}, spec.day)
