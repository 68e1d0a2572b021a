"""Re-planning one day (or one meal) of a saved plan, with everything else kept.

``replan`` plans day ``d`` with the one day path (:func:`mealplan.optimizer.day.plan_day`) under the
rules and targets the plan records: the week's other days are carried in as the variety so far
(dishes, foods and their days, the protein and main dishes of the days either side) and as what the
week still needs of its weekly nutrients, so the weekly rules hold over the whole week. Meals that
are locked (``plan.locked`` or ``locks``), and with ``meal`` the day's other meals, enter the model
as fixed items and come back unchanged; every other day is the same object, so its JSON is
byte-identical. The new plan records its parent and a ``replan`` edit.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

from mealplan.errors import InputError
from mealplan.food_data.dishes import DishLibrary
from mealplan.food_data.table import FoodTable
from mealplan.food_data.vocab import LIGHT_MEALS, MAIN_MEALS, slot_kind
from mealplan.optimizer.context import plan_context
from mealplan.optimizer.day import plan_day
from mealplan.optimizer.prices import prices_for
from mealplan.optimizer.totals import day_plan, quality_of, shortfalls_of, week_average
from mealplan.optimizer.week import WeekState, carry, day_goals
from mealplan.plan import Plan, PlanEdit, SolveStatus, day_index, slot_index, week_blocks
from mealplan.targets.profile import Profile


def replan(
    plan: Plan,
    foods: FoodTable,
    *,
    day: int,
    meal: str | None = None,
    locks: Sequence[tuple[int, str]] = (),
    profile: Profile | None = None,
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
    di = day_index(plan, day)
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

    prices = prices_for(profile, foods)
    ctx = plan_context(foods, rules, targets, prices, dishes=dishes, solver=solver, threads=threads)
    n_days = len(plan.days)
    this_week = next(w for w in week_blocks([d.index for d in plan.days]) if day in w)  # weekly rules hold per week
    state = _rest_of_week(plan, day, this_week, ctx.inputs)
    # Weekly nutrients: this day is asked for all the week still needs (the other days are fixed).
    goals = day_goals(targets, rules, state, this_week[-1], n_days)
    result = plan_day(ctx, state, day, n_days, time_limit=time_limit, goals=goals,
                      kept=[s for s in old.slots if s.name in kept])  # fmt: skip
    fresh = {s.name: s for s in result.slots}
    slots = [s if s.name in kept else fresh[s.name] for s in old.slots]
    new_day = day_plan(day, slots, foods, targets, rules)
    days = [new_day if d.index == day else d for d in plan.days]
    week = week_average(days, rules.met_tolerance) if plan.kind == "week" else None
    shortfalls = shortfalls_of(days, week, targets, rules, foods, ctx.elig)
    what = f"day {day} {meal}" if meal else f"day {day}"
    note = f"{what} re-planned ({', '.join(sorted(kept))} kept)" if kept else f"{what} re-planned"
    if result.relaxed:
        note += "; dishes or foods repeat sooner than the week's variety rules allow"
        rules = rules.model_copy(update={"variety_relaxed_days": sorted({*rules.variety_relaxed_days, day})})
    status = plan.solve.status
    if result.outcome.status != SolveStatus.OPTIMAL:
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
            **quality_of(days, plan, foods),
        }
    )


def _rest_of_week(plan: Plan, day: int, this_week: list[int], inputs) -> WeekState:
    """The rest of the week as the planner would have carried it: counts over every other day, the
    protein and dishes of the days either side (no repeat two days running, in both directions)."""
    rules = plan.rules
    state = WeekState(later_counted=True)
    others = [d for d in plan.days if d.index != day and d.index in this_week]
    for d in sorted(others, key=lambda d: d.index == day - 1):
        carry(state, d, rules, inputs)
    neighbours = [d for d in plan.days if d.index in (day - 1, day + 1)]
    state.last_main_protein, state.last_main_dishes, state.last_light_dishes = set(), set(), set()
    mains = {s.name for s in rules.slots if s.needs_protein}
    for d in neighbours:
        for s in d.slots:
            if s.name in mains and s.meal_kind == "pattern":
                state.last_main_protein |= {i.food_id for i in s.items if i.role == "protein"}
            if slot_kind(s.name) in MAIN_MEALS and s.dish_id:
                state.last_main_dishes.add(s.dish_id)
            if slot_kind(s.name) in LIGHT_MEALS and s.dish_id:
                state.last_light_dishes.add(s.dish_id)
    return state


def days_serving(plan: Plan, item: str) -> list[int]:
    """The days of ``plan`` with a meal that is dish ``item`` or serves food ``item``."""
    return [
        d.index for d in plan.days if any(s.dish_id == item or any(i.food_id == item for i in s.items) for s in d.slots)
    ]


def replan_days(plan: Plan, foods: FoodTable, days: list[int], *, forbid: Sequence[str] = (), **options) -> Plan:
    """Re-plan ``days`` of ``plan`` one after another, each keeping the rest (``replan``'s options).

    With ``forbid`` (food ids, name patterns or dish ids), the plan's rules forbid them from now on, and
    the days are re-planned under those rules (a food forbidden from the web page: its days again).
    """
    if forbid:
        rules = plan.rules.model_copy(update={"forbid": list(dict.fromkeys([*plan.rules.forbid, *forbid]))})
        plan = plan.model_copy(update={"rules": rules})
    for day in days:
        plan = replan(plan, foods, day=day, **options)
    return plan
