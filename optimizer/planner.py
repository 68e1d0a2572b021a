"""Making a plan: targets, rules, dishes and pattern foods, one model per day, solve, totals and explanations.

A week is planned day by day with variety carried forward (the design notes measured a 7-day
monolith far from optimal after a minute): a lunch or dinner dish appears at most
``dish_max_per_week`` times (breakfasts may repeat), pattern foods already used on
``max_days_per_food`` days leave the pools, the previous day's main-meal protein food may not be a
main-meal protein again, with ``leftovers`` a dinner dish is cooked twice over and becomes the next
day's lunch, and weekly nutrients (vitamin D, B12) carry what is still missing for the week over to
the remaining days. A plan of up to 28 days is planned the same way: weekly nutrients are met in each
block of 7 days (day 8 starts week 2), while variety rolls: dish and food counts cover the last six
days, so the rules hold in any 7 days running (in each block, which is what the verifier checks) and
week 2 is not a copy of week 1.
"""

from __future__ import annotations

import logging
import time
from importlib.metadata import version
from pathlib import Path

from mealplan.errors import ConfigError
from mealplan.food_data.dishes import DishLibrary
from mealplan.food_data.table import FoodTable
from mealplan.optimizer.context import PlanContext, plan_context
from mealplan.optimizer.day import MIN_ATTEMPT_S, DayResult, plan_day
from mealplan.optimizer.prices import prices_for
from mealplan.optimizer.rules import FOOD_MAX_DAYS, plan_rules
from mealplan.optimizer.totals import day_plan, diet_quality, shortfalls_of, week_average, week_food_groups
from mealplan.optimizer.upper_limits import highest_ul
from mealplan.optimizer.week import WeekState, carry, new_week, week_of
from mealplan.plan import MAX_DAYS, DayPlan, DaySolve, Plan, SolveInfo, SolveStatus
from mealplan.targets.compute import compute_targets, triage_input
from mealplan.targets.model import Targets
from mealplan.targets.profile import Profile
from mealplan.triage import DISCLAIMER, TriageResult, run_triage

log = logging.getLogger(__name__)


def version_text() -> str:
    try:
        return f"mealplan {version('mealplan')}"
    except Exception:  # noqa: BLE001 - running from a source tree without metadata
        return "mealplan"


def check_options(days: int, objective: str) -> None:
    """The plan's length and objective, as any planner (one person or a household) takes them.

    Raises:
        ConfigError: days outside 1 to ``MAX_DAYS``, or an objective other than shortfall and cost.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ConfigError(f"days {days!r}: plan 1 to {MAX_DAYS} days.")
    if objective not in ("shortfall", "cost"):
        raise ConfigError(f"objective {objective!r}: allowed values are shortfall and cost.")


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
    max_days_per_food: int = FOOD_MAX_DAYS,
    targets: Targets | None = None,
    dishes: DishLibrary | None = None,
) -> Plan:
    """Plan ``days`` days (1 or 7) of meals for ``profile`` from ``foods``.

    Args:
        profile: The person.
        foods: The food table (curated: planner columns present).
        days: 1 for a day plan; 2 to ``MAX_DAYS`` (28) for a plan of several days (kind "week"), whose
            weekly rules hold in each block of 7 days.
        triage: A triage result; when ``None`` and the profile has symptoms or factors, triage runs.
        objective: ``"shortfall"`` (default) or ``"cost"`` (needs prices).
        time_limit: Solver seconds for each block of 7 days (shared among its days): the whole plan's
            limit up to 7 days, each week's in a longer plan.
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
    check_options(days, objective)
    if triage is None:
        inp = triage_input(profile)
        triage = run_triage(inp) if inp is not None else None
    targets = fluids_apart(targets if targets is not None else compute_targets(profile, triage))
    rules = plan_rules(profile, targets, objective=objective, max_days_per_food=max_days_per_food)
    if days == 1:
        rules = rules.model_copy(update={"weekly_nutrients": []})
    prices = prices_for(profile, foods)
    if objective == "cost" and not prices:
        raise ConfigError(
            "objective cost needs prices: give the profile a `prices` table or a food table with a price column."
        )
    ctx = plan_context(foods, rules, targets, prices, dishes=dishes, days=days, solver=solver, threads=threads, gap=gap)

    state = WeekState()
    day_plans: list[DayPlan] = []
    results: list[DayResult] = []
    # The limit holds per 7-day block, shared by its days: each day gets the block's seconds left over
    # its days left, so a day that solves fast leaves its time to the harder days after it.
    left = time_limit
    for d in range(1, days + 1):
        first, last = week_of(d, days)
        if d > 1 and first == d:
            state = new_week(state)  # a new week: its weekly nutrients start afresh (variety rolls on)
            left = time_limit
        per_day = max(left / (last - d + 1), MIN_ATTEMPT_S)
        result = plan_day(ctx, state, d, days, time_limit=per_day, leftovers=profile.leftovers,
                          model_path=model_path if d == 1 else None)  # fmt: skip
        left -= result.seconds
        results.append(result)
        day = day_plan(d, result.slots, foods, targets, rules)
        day_plans.append(day)
        carry(state, day, rules, ctx.inputs)
    return assemble_plan(ctx, profile, triage, day_plans, results, time.perf_counter() - started)


def assemble_plan(
    ctx: PlanContext,
    profile: Profile,
    triage: TriageResult | None,
    day_plans: list[DayPlan],
    results: list[DayResult],
    seconds: float,
) -> Plan:
    """The plan of the planned days: week totals, shortfalls explained, the solve's record, cost."""
    targets, foods, prices = ctx.targets, ctx.foods, ctx.prices
    days = len(day_plans)
    rules = ctx.rules
    outcomes = [r.outcome for r in results]
    relaxed_days = [d.index for d, r in zip(day_plans, results, strict=True) if r.relaxed]
    notes = [
        f"day {d}: dishes or foods repeat sooner than the week's variety rules allow; with the week's "
        "other options the day could not hold every hard rule (upper limits, energy)"
        for d in relaxed_days
    ]
    week_totals = week_average(day_plans, rules.met_tolerance) if days > 1 else None
    shortfalls = shortfalls_of(day_plans, week_totals, targets, rules, foods, ctx.elig)
    status = SolveStatus.OPTIMAL if all(o.status == SolveStatus.OPTIMAL for o in outcomes) else SolveStatus.TIME_LIMIT
    gaps = [o.gap for o in outcomes]  # a day stopped before the solver had a bound: the plan's gap is unknown
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
        created_with=version_text(),
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
            gap=None if None in gaps else max(g for g in gaps if g is not None),
            objective=sum(o.objective or 0.0 for o in outcomes),
            build_seconds=round(sum(r.build_seconds for r in results), 4),
            solve_seconds=round(sum(r.solve_seconds for r in results), 4),
            total_seconds=round(seconds, 4),
            variables=max(r.size[0] for r in results),
            constraints=max(r.size[1] for r in results),
            candidates=len(ctx.inputs.foods) + len(ctx.inputs.dishes),
            notes=notes,
            days=[
                DaySolve(
                    day=d.index,
                    status=r.outcome.status,
                    gap=r.outcome.gap,
                    seconds=round(r.seconds, 4),
                    attempt=r.attempt,
                )  # fmt: skip
                for d, r in zip(day_plans, results, strict=True)
            ],
        ),
        food_sources=sorted({str(s) for s in set(foods.rows["source"].tolist())}),  # a few sources, many foods
        cost=cost,
        highest_ul=highest_ul(day_plans, targets),
        week_food_groups=week_food_groups(day_plans) if days > 1 and rules.food_groups is not None else None,
        diet_quality=diet_quality(day_plans, foods) if rules.food_groups is not None else [],
    )


def fluids_apart(targets: Targets) -> Targets:
    """Water's AI counts drinks; plans are food, so fluids are advised, not planned."""
    water = targets.items.get("water")
    if water is None or water.min is None:
        return targets
    note = f"not planned: the {water.min:,.0f} g AI for total water comes mostly from drinks"
    items = dict(targets.items)
    items["water"] = water.model_copy(update={"min": None, "min_source": note, "priority": 0.0})
    return targets.model_copy(update={"items": items})
