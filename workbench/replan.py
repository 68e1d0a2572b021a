"""Locking meals of a saved plan, and re-planning one day or one meal with everything else kept.

``replan`` re-solves day ``d`` (or one meal of it) with the planner's own day model and rules (the
plan records them all): the week's other days are carried in as the variety so far (dishes, foods
and their days, the protein and main dishes of the days either side) and as what the week still
needs of its weekly nutrients, so the weekly rules hold over the whole week. Meals that are
locked (``plan.locked`` or ``locks``), and with ``meal`` the day's other meals, enter the model as
fixed items and come back unchanged; every other day is the same object, so its JSON is
byte-identical. The new plan records its parent and a ``replan`` edit.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime
from types import SimpleNamespace

from mealplan.errors import InputError, SolverError
from mealplan.food_data.dishes import DishLibrary, load_dishes
from mealplan.food_data.household import household
from mealplan.food_data.patterns import load_patterns
from mealplan.food_data.table import FoodTable
from mealplan.food_data.vocab import MAIN_MEALS, slot_kind
from mealplan.optimizer import day_steps
from mealplan.optimizer.candidates import eligible_foods
from mealplan.optimizer.meal_inputs import meal_inputs, read_slots
from mealplan.optimizer.meals import SHORTFALL_WEIGHT, build_meal_model
from mealplan.optimizer.require import apply_requirements, name_every_rule, with_required_foods
from mealplan.optimizer.solve import solve
from mealplan.optimizer.totals import day_plan, shortfalls_of, week_average
from mealplan.plan import MealRef, Plan, PlanEdit, SolveStatus, week_blocks
from mealplan.workbench.edit import _day_index, slot_index


def lock_meals(plan: Plan, meals: list[tuple[int, str]], unlock: bool = False) -> Plan:
    """``plan`` with ``meals`` (day, slot) added to (or, ``unlock``, removed from) its locked meals.

    Raises:
        InputError: an unknown day or meal.
    """
    for day, slot in meals:
        slot_index(plan, day, slot)
    refs = [MealRef(day=d, slot=s) for d, s in dict.fromkeys(meals)]
    if unlock:
        locked = [m for m in plan.locked if m not in refs]
    else:
        locked = list(plan.locked) + [m for m in refs if m not in plan.locked]
    locked.sort(key=lambda m: (m.day, [s.name for s in plan.rules.slots].index(m.slot)))
    return plan.model_copy(update={"locked": locked})


def parse_meal_ref(text: str) -> tuple[int, str]:
    """``DAY:MEAL`` (``3:dinner``) as ``(3, "dinner")``.

    Raises:
        InputError: not in that form.
    """
    day, sep, meal = text.partition(":")
    if not sep or not day.strip().isdigit() or not meal.strip():
        raise InputError(f"--lock {text!r}: give DAY:MEAL, e.g. --lock 3:dinner")
    return int(day), meal.strip()


def replan(
    plan: Plan,
    foods: FoodTable,
    *,
    day: int,
    meal: str | None = None,
    locks: list[tuple[int, str]] = (),
    profile=None,
    dishes: DishLibrary | None = None,
    parent: str | None = None,
    time_limit: float = 30.0,
    solver: str = "highs",
    threads: int = 1,
) -> Plan:
    """Re-plan day ``day`` (or only its meal ``meal``) of ``plan``; everything else stays as it is.

    Args:
        plan: A saved plan (its rules and targets are the ones planned for).
        foods: The food tables the plan was made from.
        day: The day to re-plan.
        meal: Only this meal of the day; the day's other meals are kept.
        locks: More meals to keep, as (day, slot), beside ``plan.locked``.
        profile: The person's profile, for a price table (``prices``); optional.
        dishes: The dish library (the bundled one when None).
        parent: What the new plan records as its parent (a stored id or a file's sha256).
        time_limit: Solver seconds.
        solver: ``"highs"`` or ``"cbc"``.
        threads: Solver threads.

    Raises:
        InputError: an unknown day or meal, or nothing left to re-plan (every meal locked).
        ConflictError: the kept meals and the hard rules leave no plan for the day (names the rules).
        SolverError: the solver failed.
    """

    started = time.perf_counter()
    di = _day_index(plan, day)
    if meal is not None:
        slot_index(plan, day, meal)
    for d, s in locks:
        slot_index(plan, d, s)
    rules, targets = plan.rules, plan.targets
    old = plan.days[di]
    kept = {m.slot for m in plan.locked if m.day == day} | {s for d, s in locks if d == day}
    if meal is not None:
        if meal in kept:
            raise InputError(f"--meal {meal}: day {day} {meal} is locked; unlock it (mealplan lock --unlock) first.")
        kept |= {s.name for s in old.slots if s.name != meal}
    if len(kept) == len(old.slots):
        raise InputError(f"--day {day}: every meal of day {day} is locked; unlock one or choose another day.")

    prices = day_steps.prices_for(profile or SimpleNamespace(prices=None), foods)
    if dishes is None:
        dishes = load_dishes(foods=foods)
    elig = eligible_foods(foods, rules)
    liked = day_steps.liked_foods(rules.likes, elig.allowed, targets)
    inputs = meal_inputs(foods, dishes, load_patterns(), day_steps.pattern_pool(foods), rules, targets,
                         keep=day_steps.liked_keep(liked), person=elig.person)  # fmt: skip
    inputs = with_required_foods(inputs, rules, foods)

    # The rest of the week as the planner would have carried it: counts over every other day, the
    # protein and main dishes of the days either side (no repeat two days running, in both directions).
    n_days = len(plan.days)
    state = day_steps.WeekState()
    this_week = next(w for w in week_blocks([d.index for d in plan.days]) if day in w)  # weekly rules hold per week
    others = [d for d in plan.days if d.index != day and d.index in this_week]
    for d in sorted(others, key=lambda d: d.index == day - 1):
        day_steps.carry(state, d, rules)
    neighbours = [d for d in plan.days if d.index in (day - 1, day + 1)]
    state.last_main_protein, state.last_main_dishes = set(), set()
    mains = {s.name for s in rules.slots if s.needs_protein}
    for d in neighbours:
        for s in d.slots:
            if s.name in mains and s.meal_kind == "pattern":
                state.last_main_protein |= {i.food_id for i in s.items if i.role == "protein"}
            if slot_kind(s.name) in MAIN_MEALS and s.dish_id:
                state.last_main_dishes.add(s.dish_id)
    spec = day_steps.meal_spec(day, inputs, targets, rules, state, n_days, liked, False)
    # Weekly nutrients: this day is asked for all the week still needs (the other days are fixed).
    goals = day_steps.day_goals(targets, rules, state, this_week[-1], n_days)
    locked = {s.name: [(i.food_id, i.grams) for i in s.items] for s in old.slots if s.name in kept}
    kept_foods = {f for items in locked.values() for f, _ in items}
    kept_dishes = {s.dish_id for s in old.slots if s.name in kept and s.dish_id}
    forbidden = set(spec.forbidden) | {(f, s.name) for f in kept_foods for s in rules.slots}
    banned = {k: set(v) | kept_dishes for k, v in spec.banned_dishes.items()}
    for s in rules.slots:
        banned.setdefault(slot_kind(s.name), set()).update(kept_dishes)
    spec = dataclasses.replace(spec, goals=goals, fixed={}, locked=locked, forbidden=forbidden, banned_dishes=banned)
    spec = apply_requirements(spec, rules, inputs, foods)
    keep_only = {(f, s.name) for f in kept_foods for s in rules.slots}
    free = dataclasses.replace(spec, forbidden=keep_only, banned_dishes={k: set(kept_dishes) for k in banned})

    outcome = attempt = built = None
    for attempt in (spec, free):
        built = build_meal_model(attempt, rules, targets, prices=prices)
        start, _ = day_steps.relaxation_start(built, solver, threads)
        outcome = solve(built.prob, solver=solver, time_limit=time_limit, gap=0.01, threads=threads,
                        gap_scale=SHORTFALL_WEIGHT, abs_gap=day_steps.ABS_GAP_MEALS, start=start)  # fmt: skip
        if outcome.status != SolveStatus.INFEASIBLE:
            break
    if not outcome.has_solution:
        if outcome.status == SolveStatus.INFEASIBLE:
            error = day_steps.diagnose(attempt, rules, targets, prices, solver, time_limit, threads)
            raise name_every_rule(error, attempt, rules, targets, prices, solver, time_limit, threads)
        raise SolverError(f"day {day}: the solver stopped without a plan (status {outcome.status.value}).")
    day_steps.polish(built, outcome.solver, threads)
    fresh = {s.name: s for s in read_slots(built, inputs, rules, prices, household)}
    slots = [s if s.name in kept else fresh[s.name] for s in old.slots]
    new_day = day_plan(day, slots, foods, targets, rules)
    days = [new_day if d.index == day else d for d in plan.days]
    week = week_average(days, rules.met_tolerance) if plan.kind == "week" else None
    shortfalls = shortfalls_of(days, week, targets, rules, foods, elig)
    what = f"day {day} {meal}" if meal else f"day {day}"
    note = f"{what} re-planned ({', '.join(sorted(kept))} kept)" if kept else f"{what} re-planned"
    if attempt is free:
        note += "; dishes or foods repeat sooner than the week's variety rules allow"
        rules = rules.model_copy(update={"variety_relaxed_days": sorted({*rules.variety_relaxed_days, day})})
    status = plan.solve.status
    if outcome.status != SolveStatus.OPTIMAL:
        status = SolveStatus.TIME_LIMIT
    solve_info = plan.solve.model_copy(
        update={
            "status": status,
            "notes": [*plan.solve.notes, note],
            "total_seconds": round(time.perf_counter() - started, 4),
        }
    )
    cost = plan.cost
    if cost is not None:
        cost = round(sum(i.cost or 0.0 for d in days for s in d.slots for i in s.items) / len(days), 4)
    edit = PlanEdit(action="replan", day=day, slot=meal, note=note, at=datetime.now(UTC).isoformat(timespec="seconds"))
    return plan.model_copy(
        update={
            "days": days,
            "week_totals": week,
            "shortfalls": shortfalls,
            "rules": rules,
            "solve": solve_info,
            "cost": cost,
            "parent_id": parent,
            "edits": [*plan.edits, edit],
        }
    )
