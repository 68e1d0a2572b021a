"""Planning a household (issue 30): its members' days one after another, each day one model of everyone.

Each member is planned as they would be alone (their targets, rules, variety and weekly nutrients, from
their own :class:`~mealplan.optimizer.context.PlanContext` and ``WeekState``), but a day is one problem of
every member (``optimizer/household.py``): shared meals are one dish, each person's portion their own.
A day is planned by ``household_day.household_day`` (its ladder of attempts, and each member alone by
``plan_day`` when no attempt together finds a plan in time). Each day's shared meals, the pantry used
and the household's shopping needs are recorded in the :class:`~mealplan.household_plan.HouseholdPlan`;
each member's Plan is assembled as a single plan is (``planner``), so it verifies on its own.

The time limit holds per 7-day block for the whole household (default: 30 s a member), shared by the
block's days as a single plan shares it.
"""

from __future__ import annotations

import time
from datetime import date

from mealplan.errors import ConfigError
from mealplan.food_data.dishes import DishLibrary
from mealplan.food_data.table import FoodTable
from mealplan.household_plan import HouseholdMember, HouseholdPlan, HouseholdSolve, SharedRule
from mealplan.optimizer.context import plan_context
from mealplan.optimizer.day import MIN_ATTEMPT_S
from mealplan.optimizer.household_day import DayOutcome, Member, household_day
from mealplan.optimizer.household_pantry import PantryBook
from mealplan.optimizer.planner import assemble_plan, check_options, fluids_apart, version_text
from mealplan.optimizer.prices import prices_for, read_prices
from mealplan.optimizer.rules import FOOD_MAX_DAYS, plan_rules
from mealplan.optimizer.totals import day_plan
from mealplan.optimizer.week import carry, new_week, week_of
from mealplan.targets.compute import compute_targets, triage_input
from mealplan.targets.household import Household
from mealplan.targets.pantry import Pantry, read_pantry
from mealplan.targets.profile import Profile
from mealplan.triage import DISCLAIMER, run_triage

SECONDS_PER_MEMBER = 30.0  # the default time limit of a household week, per member


def plan_household(
    household: Household,
    foods: FoodTable,
    *,
    days: int = 7,
    objective: str = "shortfall",
    time_limit: float | None = None,
    gap: float = 0.01,
    solver: str = "highs",
    threads: int = 1,
    dishes: DishLibrary | None = None,
    start: date | None = None,
    pantry: Pantry | None = None,
    max_days_per_food: int = FOOD_MAX_DAYS,
) -> HouseholdPlan:
    """Plan ``days`` days for every member of ``household`` together.

    Args:
        household: From :func:`mealplan.targets.household.load_household`.
        foods: The food table.
        days: 1 to 28; weekly rules hold in each block of 7 days, as in a single plan.
        objective: ``"shortfall"`` or ``"cost"`` (needs prices).
        time_limit: Solver seconds for each block of 7 days, for the whole household (default: 30 s a
            member), shared by the block's days.
        gap: Relative MIP gap accepted as optimal.
        solver: ``"highs"`` or ``"cbc"``.
        threads: Solver threads.
        dishes: The dish library; the bundled one when None.
        start: The first day's date (default: the household's ``start``, else today): weekday names of
            shared meals and the pantry's use-by dates count from it.
        pantry: The pantry, when not the household's file (read against ``foods``).
        max_days_per_food: In a week, a food appears on at most this many days (each member's rule).

    Raises:
        ConfigError: bad options, prices or pantry.
        ConflictError: a member's hard rules cannot hold together (names the member's rules).
        SolverError: no solver could run.
    """
    started = time.perf_counter()
    check_options(days, objective)
    start = start or household.start or date.today()
    if pantry is None and household.pantry is not None:
        pantry = read_pantry(household.pantry, foods)
    extra_prices = read_prices(household.prices) if household.prices is not None else {}
    members = [
        _member(p, household, foods, days, objective, extra_prices, dishes, solver, threads, gap, max_days_per_food)
        for p in household.members
    ]
    prices = members[0].ctx.prices if extra_prices else None
    book = PantryBook(pantry, foods, [m.ctx for m in members], start, days)
    shared = household.shared_slots(days, start)
    limit = time_limit if time_limit is not None else SECONDS_PER_MEMBER * len(members)
    outcomes: list[DayOutcome] = []
    left = limit
    for d in range(1, days + 1):
        first, last = week_of(d, days)
        if d > 1 and first == d:
            for m in members:
                m.state = new_week(m.state)
            left = limit
        per_day = max(left / (last - d + 1), MIN_ATTEMPT_S)
        out = household_day(members, d, days, shared.get(d, {}), per_day, household.budget, prices, book)
        left -= out.record.seconds
        outcomes.append(out)
        for m in members:
            plan = day_plan(d, out.slots[m.id], foods, m.ctx.targets, m.ctx.rules)
            m.day_plans.append(plan)
            m.results.append(out.results[m.id])
            carry(m.state, plan, m.ctx.rules, m.ctx.inputs)
        book.eaten(d, [m.day_plans[-1] for m in members])
    seconds = time.perf_counter() - started
    plans = [assemble_plan(m.ctx, m.profile, m.triage, m.day_plans, m.results, seconds) for m in members]
    plans = [p.model_copy(update={"start_date": start}) for p in plans]
    return HouseholdPlan(
        household_id=household.id,
        name=household.name,
        created_with=version_text(),
        disclaimer=DISCLAIMER,
        start_date=start,
        days=days,
        leftovers=household.leftovers,
        budget=household.budget,
        members=[HouseholdMember(id=m.id, name=m.profile.name, plan=p) for m, p in zip(members, plans, strict=True)],
        shared_rules=[
            SharedRule(meal=e.meal, days=household.shared_days(e, days, start), members=household.eaters(e))
            for e in household.shared
        ],
        shared=[s for o in outcomes for s in o.shared],
        pantry=book.lines(),
        shopping=book.shopping([m.day_plans for m in members]),
        cost_per_day=_cost_per_day(plans) if prices is not None else None,
        solve=HouseholdSolve(
            total_seconds=round(seconds, 4),
            build_seconds=round(sum(o.build_seconds for o in outcomes), 4),
            solve_seconds=round(sum(o.solve_seconds for o in outcomes), 4),
            days=[o.record for o in outcomes],
            notes=[n for o in outcomes for n in o.notes] + book.notes(),
        ),
    )


def _member(profile: Profile, household: Household, foods: FoodTable, days: int, objective: str,
            extra_prices: dict[str, float], dishes, solver: str, threads: int, gap: float,
            max_days_per_food: int) -> Member:  # fmt: skip
    """A member's plan context, made as a single plan's is (``planner.make_plan``)."""
    leftovers = household.leftovers or profile.leftovers
    inp = triage_input(profile)
    triage = run_triage(inp) if inp is not None else None
    targets = fluids_apart(compute_targets(profile, triage))
    rules = plan_rules(profile, targets, objective=objective, max_days_per_food=max_days_per_food)
    if days == 1:
        rules = rules.model_copy(update={"weekly_nutrients": []})
    prices = {**(prices_for(profile, foods) or {}), **extra_prices} or None
    if objective == "cost" and not prices:
        raise ConfigError(f"objective cost needs prices: give the household (or {profile.id}'s profile) a price table.")
    ctx = plan_context(foods, rules, targets, prices, dishes=dishes, days=days, solver=solver, threads=threads, gap=gap)
    return Member(profile, triage, ctx, leftovers)


def _cost_per_day(plans) -> list[float]:
    """The household's cost of each day: every member's priced items (an unpriced food counts 0)."""
    days = len(plans[0].days)
    return [round(sum(i.cost or 0.0 for p in plans for s in p.days[k].slots for i in s.items), 4) for k in range(days)]
