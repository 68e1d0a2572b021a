"""One day of a plan: the one function that plans a day (``plan_day``), for a new plan's every day and
for a re-plan of a saved plan's day or meal alike.

A day is tried on a ladder of attempts until one holds every hard rule: the day as the week allows
it (with yesterday's dinner as today's lunch when the profile asks for leftovers), then without the
leftover, then from three times the dishes and every pool food with the week's variety kept, then
with the week's variety set aside (dishes and foods may repeat sooner; said in the plan's notes and
rules), first from the day's own choice and last from the wider one. Each attempt is
solved from a partial start (the relaxation's), then polished (dish amounts toward their defaults);
a day no attempt can hold is diagnosed and its conflicting rules named.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mealplan.errors import SolverError
from mealplan.food_data.household import household
from mealplan.food_data.vocab import family, slot_kind
from mealplan.optimizer import expr
from mealplan.optimizer.context import PlanContext
from mealplan.optimizer.explain import conflict_error
from mealplan.optimizer.model import SHORTFALL_WEIGHT, MealModel, MealSpec, build_meal_model
from mealplan.optimizer.read import read_slots
from mealplan.optimizer.require import apply_requirements, name_every_rule
from mealplan.optimizer.solve import SolveOutcome, solve, write_model
from mealplan.optimizer.week import WeekState, day_dishes, mark_leftover, meal_spec
from mealplan.plan import PlanRules, SlotPlan, SolveStatus
from mealplan.targets.model import Targets

# A day plan within 3 % of one whole target of the best (SHORTFALL_WEIGHT is a whole target) is
# optimal: the last objective units are a pattern instead of a dish, a weekly food group's share or
# amounts moved from a dish's defaults, whose relaxation is weak (a tenth of a tofu dish meets a day's
# soy), so HiGHS spent most of a day's seconds proving them (measured on the examples).
ABS_GAP_MEALS = 30.0


# An attempt after the first gets at least this many seconds, whatever the day's budget has left; the
# rescue (the first plan that holds the rules, found without the objective) at least RESCUE_S.
MIN_ATTEMPT_S = 1.0
RESCUE_S = 10.0
ATTEMPT_NAMES = ("week", "no leftover", "wider", "variety relaxed", "wider, variety relaxed")
# The attempts that set the week's variety aside (a rescue of one of them too).
RELAXED = frozenset({"variety relaxed", "wider, variety relaxed"})


@dataclass
class DayResult:
    """A planned day's meals and how its solve went."""

    slots: list[SlotPlan]
    outcome: SolveOutcome
    relaxed: bool  # the week's variety rules were set aside to hold the day's hard rules
    size: tuple[int, int]  # the model's (variables, constraints)
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    attempt: str = "week"  # which attempt gave the day (ATTEMPT_NAMES, or "rescue")
    seconds: float = 0.0  # wall seconds of the whole day


def plan_day(
    ctx: PlanContext,
    state: WeekState,
    day: int,
    days: int,
    *,
    time_limit: float,
    leftovers: bool = False,
    kept: Sequence[SlotPlan] = (),
    goals: dict[str, float] | None = None,
    model_path: Path | None = None,
) -> DayResult:
    """Plan day ``day`` of a plan of ``days`` days, given the week so far (``state``).

    Anytime: an attempt that ends without a plan, infeasible or out of time, hands over to the next
    (the module docstring's ladder); when none found a plan in time, those that ran out of time (the
    widest first) are solved for their first plan that holds every rule, without the objective, then
    polished ("rescue").
    A day fails only when its rules conflict (ConflictError, naming them) or no solver runs.

    Args:
        ctx: The plan's shared inputs (``plan_context``).
        state: What the days before (and, for a re-plan, after) carry in: variety, weekly nutrients,
            yesterday's dinner.
        day: The day's index (1-based).
        days: The plan's length.
        time_limit: The day's solver seconds, shared by its attempts (each gets what is left, at least
            ``MIN_ATTEMPT_S``).
        leftovers: Yesterday's dinner dish may be today's lunch (``profile.leftovers``).
        kept: Meals kept as they are (a re-plan's locked meals): constants in the model; their foods
            and dishes are not served again that day.
        goals: The day's nutrient goals, when not the targets (a re-plan asks one day for all its week
            still needs of a weekly nutrient).
        model_path: Write the first attempt's model there (``.mps`` or ``.lp``) before solving.

    Raises:
        ConflictError: no attempt holds every hard rule (names the rules that conflict).
        SolverError: no attempt and no rescue found a plan, or no solver could run.
    """
    began = time.perf_counter()
    rules, inputs = ctx.rules, ctx.inputs
    attempts = _attempts(ctx, state, day, days, leftovers, kept, goals)
    build_s = solve_s = 0.0
    timed_out: list[tuple[str, MealSpec]] = []  # the attempts that ran out of time without a plan
    for k, (name, attempt) in enumerate(attempts):
        t0 = time.perf_counter()
        built = build_meal_model(attempt, rules, ctx.targets, prices=ctx.prices)
        build_s += time.perf_counter() - t0
        start, lp_s = relaxation_start(built, ctx.solver, ctx.threads)
        left = max(time_limit - (time.perf_counter() - began), MIN_ATTEMPT_S)
        outcome = solve(built.prob, solver=ctx.solver, time_limit=left, gap=ctx.gap, threads=ctx.threads,
                        gap_scale=SHORTFALL_WEIGHT, abs_gap=ABS_GAP_MEALS, start=start)  # fmt: skip
        solve_s += outcome.seconds + lp_s
        if model_path is not None and k == 0:
            write_model(built.prob, model_path)
        if outcome.has_solution:
            break
        if outcome.status != SolveStatus.INFEASIBLE:
            timed_out.append((name, attempt))
    relaxed = name in RELAXED
    if not outcome.has_solution:
        if not timed_out:  # every attempt infeasible: the rules conflict
            error = diagnose(attempt, rules, ctx.targets, ctx.prices, ctx.solver, time_limit, ctx.threads)
            raise name_every_rule(error, attempt, rules, ctx.targets, ctx.prices, ctx.solver, time_limit, ctx.threads)
        for tried, spec in reversed(timed_out):  # the widest first; on a busy machine one may need the next
            built, outcome, seconds = rescue(spec, ctx, max(time_limit, RESCUE_S))
            solve_s += seconds
            name, relaxed = "rescue", tried in RELAXED
            if outcome.has_solution:
                break
        if not outcome.has_solution:
            raise SolverError(f"day {day}: the solver found no plan in {time_limit:g} s, nor any plan that holds the "
                              f"rules (status {outcome.status.value}); give --time-limit more seconds.")  # fmt: skip
    solve_s += polish(built, outcome.solver, ctx.threads)
    slots = read_slots(built, inputs, rules, ctx.prices, household)
    if name == "week" and attempts[0][1].fixed and state.last_dinner is not None:
        slots = mark_leftover(slots, state.last_dinner, day - 1)
    return DayResult(slots, outcome, relaxed, built.size, build_s, solve_s, name, time.perf_counter() - began)


def rescue(spec: MealSpec, ctx: PlanContext, time_limit: float) -> tuple[MealModel, SolveOutcome, float]:
    """A first plan when an attempt found none in its time: the same model with no objective, which the
    solver ends at its first plan that holds every hard rule (a tightly limited day, such as a renal
    team's protein, phosphorus and potassium, finds one in seconds where the whole objective took
    minutes); the polish step then sets its amounts for the real aims. Returns the model, the outcome
    and the seconds spent."""
    built = build_meal_model(spec, ctx.rules, ctx.targets, prices=ctx.prices)
    expr.set_objective(built.prob, [])
    outcome = solve(built.prob, solver=ctx.solver, time_limit=time_limit, gap=ctx.gap, threads=ctx.threads)
    expr.set_objective(built.prob, built.objective)
    if outcome.has_solution:  # a plan that holds the rules, not the best one: said as stopped early
        outcome.status = SolveStatus.TIME_LIMIT
        outcome.objective, outcome.gap = None, None
    return built, outcome, outcome.seconds


def _attempts(
    ctx: PlanContext,
    state: WeekState,
    day: int,
    days: int,
    leftovers: bool,
    kept: Sequence[SlotPlan],
    goals: dict[str, float] | None,
) -> list[tuple[str, MealSpec]]:
    """The day's ladder of attempts (see the module docstring) with their names (``ATTEMPT_NAMES``),
    each with the day's requirements."""
    rules, inputs = ctx.rules, ctx.inputs
    spec = meal_spec(day, inputs, ctx.targets, rules, state, days, ctx.liked, leftovers)
    if goals is not None:
        spec = dataclasses.replace(spec, goals=goals)
    # A kept meal's foods and dishes are not served again that day, whatever else gives way.
    locked = {s.name: [(i.food_id, i.grams) for i in s.items] for s in kept}
    kept_foods = {f for items in locked.values() for f, _ in items}
    kept_dishes = {s.dish_id for s in kept if s.dish_id}
    keep_only = {(f, s.name) for f in kept_foods for s in rules.slots}
    if rules.one_per_family:  # a kept pattern meal's oil or margarine: no other of its family that day
        kept_families = {family(i.name) for s in kept if s.meal_kind != "dish" for i in s.items if i.role != "drink"}
        keep_only |= {(f.id, s.name) for f in inputs.all_foods if family(f.name) in kept_families for s in rules.slots}
    if locked:
        banned = {k: set(v) | kept_dishes for k, v in spec.banned_dishes.items()}
        for s in rules.slots:
            banned.setdefault(slot_kind(s.name), set()).update(kept_dishes)
        drinks = [(i.food_id, i.grams) for s in kept for i in s.items if i.role == "drink"]
        spec = dataclasses.replace(
            spec, locked=locked, locked_drinks=drinks, forbidden=set(spec.forbidden) | keep_only, banned_dishes=banned
        )
    # The later attempts drop the week's variety, never a food's meals (no toast as a lunch plate's starch).
    never_at = {(f, s.name) for f, kinds in inputs.not_at.items() for s in rules.slots if slot_kind(s.name) in kinds}
    free = dataclasses.replace(
        spec, fixed={}, banned_dishes={k: set(kept_dishes) for k in spec.banned_dishes}, forbidden=keep_only | never_at
    )
    # (a kept meal's dishes stay out of every attempt: they are in the week's bans and in ``free``'s)
    week_wide = dataclasses.replace(spec, fixed={}, foods=inputs.all_foods,
                                    dishes=day_dishes(inputs, rules, spec.banned_dishes, {}, wider=True))  # fmt: skip
    wide = dataclasses.replace(free, foods=inputs.all_foods, dishes=day_dishes(inputs, rules, {}, {}, wider=True))
    ladder = [("week", spec), ("no leftover", dataclasses.replace(spec, fixed={}))] if spec.fixed else [("week", spec)]
    ladder += [("wider", week_wide), ("variety relaxed", free), ("wider, variety relaxed", wide)]
    out: list[tuple[str, MealSpec]] = []
    for name, a in ladder:  # (an attempt the same as one before it is not tried again: a first day's)
        a = apply_requirements(a, rules, inputs, ctx.foods)
        if all(a != b for _, b in out):
            out.append((name, a))
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
