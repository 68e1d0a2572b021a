"""Planning a household (issue 30): its members' days one after another, each day one model of everyone.

Each member is planned as they would be alone (their targets, rules, variety and weekly nutrients, from
their own :class:`~mealplan.optimizer.context.PlanContext` and ``WeekState``), but a day is one problem of
every member (``optimizer/household.py``): shared meals are one dish, each person's portion their own.
A day is tried on a ladder, as a person's day is (``day.plan_day``): the day as every member's week
allows it (yesterday's dinner as today's lunch with leftovers), then without the leftovers, then with the
week's variety set aside; when no attempt together finds a plan in time, each member's day is planned
alone by ``plan_day`` (the one day path, with its own ladder, rescue and conflict diagnosis) and the
plan says so. Each day's shared meals, the pantry used and the household's shopping needs are recorded
in the :class:`~mealplan.household_plan.HouseholdPlan`; each member's Plan is assembled as a single plan
is (``planner``), so it verifies on its own.

The time limit holds per 7-day block for the whole household (default: 30 s a member), shared by the
block's days as a single plan shares it.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from datetime import date

from mealplan.errors import ConfigError
from mealplan.food_data.dishes import DishLibrary
from mealplan.food_data.household import household as household_text
from mealplan.food_data.table import FoodTable
from mealplan.food_data.vocab import slot_kind
from mealplan.household_plan import (
    Apart,
    HouseholdDay,
    HouseholdMember,
    HouseholdPlan,
    HouseholdSolve,
    SharedMeal,
    SharedRule,
)
from mealplan.optimizer.context import PlanContext, plan_context
from mealplan.optimizer.day import ABS_GAP_MEALS, MIN_ATTEMPT_S, DayResult, plan_day, polish, relaxation_start
from mealplan.optimizer.household import (
    HouseholdModel,
    MemberDay,
    build_household_day,
    choose_shared,
    shared_candidates,
    tie_member,
    ties,
    untie,
    with_candidates,
)
from mealplan.optimizer.household_pantry import PantryBook
from mealplan.optimizer.model import SHORTFALL_WEIGHT
from mealplan.optimizer.planner import _assemble, _fluids_apart, _version
from mealplan.optimizer.prices import prices_for, read_prices
from mealplan.optimizer.read import read_slots
from mealplan.optimizer.require import apply_requirements
from mealplan.optimizer.rules import FOOD_MAX_DAYS, plan_rules
from mealplan.optimizer.solve import SolveOutcome, solve
from mealplan.optimizer.totals import day_plan
from mealplan.optimizer.week import WeekState, carry, mark_leftover, meal_spec, new_week, week_of
from mealplan.plan import MAX_DAYS, DayPlan, SlotPlan, SolveStatus
from mealplan.targets.compute import compute_targets, triage_input
from mealplan.targets.household import Household
from mealplan.targets.pantry import Pantry, read_pantry
from mealplan.targets.profile import Profile
from mealplan.triage import DISCLAIMER, TriageResult, run_triage

SECONDS_PER_MEMBER = 30.0  # the default time limit of a household week, per member
ATTEMPTS = ("household", "household, no leftover", "household, variety relaxed")
CHOOSE_S = 10.0  # stage 1 (the household's choices over the members relaxed) at most
OWN_RULES = "their own rules that day (energy, upper limits, requirements) could not hold"
ALONE = "alone"
LEFTOVER_DISH_MAX = 2  # a dish and its leftover lunch: two meals of it a week


@dataclass
class Member:
    """One member while the household is planned: their context, week so far and days."""

    profile: Profile
    triage: TriageResult | None
    ctx: PlanContext
    leftovers: bool
    state: WeekState = field(default_factory=WeekState)
    day_plans: list[DayPlan] = field(default_factory=list)
    results: list[DayResult] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.profile.id


@dataclass
class DayOutcome:
    """A household day: each member's meals and solve, the shared meals, how it went."""

    slots: dict[str, list[SlotPlan]]
    results: dict[str, DayResult]
    shared: list[SharedMeal]
    record: HouseholdDay
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


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
    if not 1 <= days <= MAX_DAYS:
        raise ConfigError(f"days {days!r}: plan 1 to {MAX_DAYS} days.")
    if objective not in ("shortfall", "cost"):
        raise ConfigError(f"objective {objective!r}: allowed values are shortfall and cost.")
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
        out = _day(members, d, days, shared.get(d, {}), per_day, household.budget, prices, book)
        left -= out.record.seconds
        outcomes.append(out)
        for m in members:
            plan = day_plan(d, out.slots[m.id], foods, m.ctx.targets, m.ctx.rules)
            m.day_plans.append(plan)
            m.results.append(out.results[m.id])
            carry(m.state, plan, m.ctx.rules, m.ctx.inputs)
        book.eaten(d, [m.day_plans[-1] for m in members])
    seconds = time.perf_counter() - started
    plans = [_assemble(m.ctx, m.profile, m.triage, m.day_plans, m.results, seconds) for m in members]
    plans = [p.model_copy(update={"start_date": start}) for p in plans]
    return HouseholdPlan(
        household_id=household.id,
        name=household.name,
        created_with=_version(),
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
    """A member's plan context, made as a single plan's is (``planner.make_plan``).

    With leftovers a dinner dish is eaten twice (the dinner and the next day's lunch), and both are meals
    of it in the week's count (``week.carry``, ``verify``): a member's week allows a dish at least twice.
    """
    leftovers = household.leftovers or profile.leftovers
    if leftovers and profile.dish_max_per_week < LEFTOVER_DISH_MAX:
        profile = profile.model_copy(update={"dish_max_per_week": LEFTOVER_DISH_MAX})
    inp = triage_input(profile)
    triage = run_triage(inp) if inp is not None else None
    targets = _fluids_apart(compute_targets(profile, triage))
    rules = plan_rules(profile, targets, objective=objective, max_days_per_food=max_days_per_food)
    if days == 1:
        rules = rules.model_copy(update={"weekly_nutrients": []})
    prices = {**(prices_for(profile, foods) or {}), **extra_prices} or None
    if objective == "cost" and not prices:
        raise ConfigError(f"objective cost needs prices: give the household (or {profile.id}'s profile) a price table.")
    ctx = plan_context(foods, rules, targets, prices, dishes=dishes, days=days, solver=solver, threads=threads, gap=gap)
    return Member(profile, triage, ctx, leftovers)


def _ladder(members: list[Member], d: int, days: int) -> list[tuple[str, dict]]:
    """The day's attempts: every member's spec as their week allows, then without leftovers, then with
    the week's variety set aside (each with the member's requirements of the day)."""
    week = {}
    for m in members:
        ctx = m.ctx
        spec = meal_spec(d, ctx.inputs, ctx.targets, ctx.rules, m.state, days, ctx.liked, m.leftovers)
        week[m.id] = spec
    ladder = [(ATTEMPTS[0], week)]
    if any(s.fixed for s in week.values()):
        ladder.append((ATTEMPTS[1], {k: dataclasses.replace(s, fixed={}) for k, s in week.items()}))
    free = {}
    for m in members:
        not_at = {(f, s.name) for f, kinds in m.ctx.inputs.not_at.items() for s in m.ctx.rules.slots
                  if slot_kind(s.name) in kinds}  # fmt: skip
        free[m.id] = dataclasses.replace(week[m.id], fixed={}, banned_dishes={}, forbidden=not_at)
    ladder.append((ATTEMPTS[2], free))
    by_id = {m.id: m for m in members}
    return [
        (
            name,
            {
                k: apply_requirements(s, by_id[k].ctx.rules, by_id[k].ctx.inputs, by_id[k].ctx.foods)
                for k, s in specs.items()
            },
        )  # fmt: skip
        for name, specs in ladder
    ]


def _day(members: list[Member], d: int, days: int, shared: dict[str, list[str]], time_limit: float,
         budget: float | None, prices, book: PantryBook) -> DayOutcome:  # fmt: skip
    """Day ``d`` of every member: the household's choices (stage 1, on the ladder of attempts), then each
    member's own day with them (stage 2); every member alone when no attempt holds together."""
    began = time.perf_counter()
    ctx0 = members[0].ctx
    aims = book.aims(d)
    build_s = solve_s = 0.0
    for name, specs in _ladder(members, d, days):
        parts = [MemberDay(m.id, m.ctx, specs[m.id]) for m in members]
        candidates = {s: shared_candidates(parts, s, scope, aims) for s, scope in shared.items()}
        for part in parts:
            part.spec = with_candidates(part, candidates, aims)
        t0 = time.perf_counter()
        hm = build_household_day(parts, shared, candidates, day=d, budget=budget, prices=prices, pantry=aims)
        build_s += time.perf_counter() - t0
        left = max(time_limit - (time.perf_counter() - began), MIN_ATTEMPT_S)
        outcome = choose_shared(hm, solver=ctx0.solver, threads=ctx0.threads, time_limit=min(left, CHOOSE_S),
                                gap=ctx0.gap)  # fmt: skip
        solve_s += outcome.seconds
        if outcome.has_solution:
            return _together(hm, name, members, d, days, shared, budget, prices, time_limit, began, build_s, solve_s)
        if outcome.status != SolveStatus.INFEASIBLE:
            break  # out of time without a choice: each member's own ladder gets the rest
    return _alone(members, d, days, shared, max(time_limit - (time.perf_counter() - began), MIN_ATTEMPT_S),
                  began, build_s, solve_s)  # fmt: skip


def _together(hm: HouseholdModel, name: str, members: list[Member], d: int, days: int, shared: dict[str, list[str]],
              budget: float | None, prices, time_limit: float, began: float, build_s: float,
              solve_s: float) -> DayOutcome:  # fmt: skip
    """Stage 2: each member's own day with the household's choices; a member whose day cannot hold with
    the shared dish eats apart, and one whose day finds no plan at all is planned alone (``plan_day``)."""
    chosen = {s: hm.chosen(s) for s in hm.shared}
    tied = ties(hm, budget)
    slots, results, why, statuses, gaps = {}, {}, {}, [], []
    for k, (p, m) in enumerate(zip(hm.members, members, strict=True)):
        share = max((time_limit - (time.perf_counter() - began)) / (len(members) - k), MIN_ATTEMPT_S)
        t0 = time.perf_counter()
        tie_member(p, tied[m.id], chosen, prices, hm.aims)
        outcome, seconds = _solve_member(p, share)
        if not outcome.has_solution and any(v is not None for v in tied[m.id].dishes.values()):
            untie(p, tied[m.id], chosen)  # their day cannot hold with the shared dish: apart
            why.update({s: OWN_RULES for s, v in tied[m.id].dishes.items() if v is not None})
            share = max(share - (time.perf_counter() - t0), MIN_ATTEMPT_S)
            outcome, more = _solve_member(p, share)
            seconds += more
        if not outcome.has_solution:  # no plan for them in time (or their rules conflict): their own ladder
            result = plan_day(m.ctx, m.state, d, days, time_limit=share, leftovers=m.leftovers)
            why.update({s: ALONE for s in shared if m.id in shared[s]})
            slots[m.id], results[m.id] = result.slots, result
            statuses.append(result.outcome.status)
            continue
        solve_s += seconds + polish(p.built, outcome.solver, p.ctx.threads)
        got = read_slots(p.built, p.ctx.inputs, p.ctx.rules, p.ctx.prices, household_text)
        if name == ATTEMPTS[0] and p.spec.fixed and m.state.last_dinner is not None:
            got = mark_leftover(got, m.state.last_dinner, d - 1)
        slots[m.id] = got
        results[m.id] = DayResult(got, outcome, name == ATTEMPTS[2], p.built.size, 0.0, seconds, name,
                                  time.perf_counter() - t0)  # fmt: skip
        statuses.append(outcome.status)
        gaps += [outcome.gap] if outcome.gap is not None else []
    records = [_shared_meal(d, s, scope, slots, hm, members, why) for s, scope in shared.items()]
    status = SolveStatus.OPTIMAL if all(x == SolveStatus.OPTIMAL for x in statuses) else SolveStatus.TIME_LIMIT
    seconds = time.perf_counter() - began
    record = HouseholdDay(day=d, status=status, gap=max(gaps) if gaps else None, seconds=round(seconds, 4),
                          attempt=name, joint=True)  # fmt: skip
    return DayOutcome(slots, results, records, record, build_s, solve_s)


def _solve_member(p: MemberDay, time_limit: float) -> tuple[SolveOutcome, float]:
    """A member's own day model (with the household's rows) solved from its relaxation's start, as
    ``plan_day`` solves a day; the outcome and the seconds."""
    ctx = p.ctx
    start, lp_s = relaxation_start(p.built, ctx.solver, ctx.threads)
    outcome = solve(p.built.prob, solver=ctx.solver, time_limit=max(time_limit - lp_s, MIN_ATTEMPT_S), gap=ctx.gap,
                    threads=ctx.threads, gap_scale=SHORTFALL_WEIGHT, abs_gap=ABS_GAP_MEALS, start=start)  # fmt: skip
    return outcome, outcome.seconds + lp_s


def _shared_meal(d: int, s: str, scope: list[str], slots: dict[str, list[SlotPlan]], hm: HouseholdModel,
                 members: list[Member], why: dict[str, str]) -> SharedMeal:  # fmt: skip
    """The record of one shared meal: the household's dish, who ate it, who ate apart and why."""
    meal = {m: next(sl for sl in slots[m] if sl.name == s) for m in scope}
    dish = hm.chosen(s) if s in hm.shared else None
    if dish is None:  # no rows today (every eater's lunch is a leftover): the dish they all have, if one
        dishes = {sl.dish_id for sl in meal.values()}
        dish = dishes.pop() if len(dishes) == 1 else None
    eaten = [m for m in scope if dish is not None and meal[m].dish_id == dish]
    by_id = {m.id: m for m in members}
    title = next((meal[m].title for m in eaten), "") or _dish_name(dish, members)
    apart = [Apart(member=m, title=meal[m].title, reason=_why_apart(by_id[m], dish, title, s, hm, why)) for m in scope
             if m not in eaten]  # fmt: skip
    leftover = next((meal[m].leftover_of for m in eaten if meal[m].leftover_of is not None), None)
    return SharedMeal(day=d, slot=s, dish_id=dish, title=title, eaten_by=eaten, apart=apart, leftover_of=leftover)


def _dish_name(dish: str | None, members: list[Member]) -> str:
    for m in members:
        if dish in m.ctx.inputs.library:
            return m.ctx.inputs.library[dish].name
    return dish or "each their own"


def _why_apart(m: Member, dish: str | None, title: str, s: str, hm: HouseholdModel, why: dict[str, str]) -> str:
    """Why a member did not eat the household's dish: their rules keep it out, or their day could not hold."""
    inputs = m.ctx.inputs
    if dish is None:
        return "the household's meal was not one dish today"
    if why.get(s) == ALONE:
        return "their day found no plan with the household's in time; it was planned alone"
    why = inputs.blocked_dishes.get(dish)
    if why is not None:
        food, _, rule = why.partition(": ")
        name = inputs.names.get(food) or (
            m.ctx.foods.foods.at[food, "name"] if food in m.ctx.foods.foods.index else food
        )
        return f"cannot eat {title}: {name} ({rule})" if rule else f"cannot eat {title}: {why}"
    part = next((p for p in hm.members if p.id == m.id), None)
    if part is not None and (dish, s) not in part.built.z:
        return f"{title} is out of their week (the variety rules: a dish or food too often)"
    return f"{OWN_RULES} with {title}"


def _alone(members: list[Member], d: int, days: int, shared: dict[str, list[str]], time_limit: float,
           began: float, build_s: float, solve_s: float) -> DayOutcome:  # fmt: skip
    """Each member's day planned alone (``plan_day``): the household found no plan together in time."""
    slots, results = {}, {}
    for k, m in enumerate(members):
        share = max((time_limit - (time.perf_counter() - began)) / (len(members) - k), MIN_ATTEMPT_S)
        result = plan_day(m.ctx, m.state, d, days, time_limit=share, leftovers=m.leftovers)
        slots[m.id], results[m.id] = result.slots, result
        build_s += result.build_seconds
        solve_s += result.solve_seconds
    reason = "the household's day found no plan together in time; each member's day was planned alone"
    records = []
    for s, scope in shared.items():
        meal = {m: next(sl for sl in slots[m] if sl.name == s) for m in scope}
        apart = [Apart(member=m, title=meal[m].title, reason=reason) for m in scope]
        records.append(SharedMeal(day=d, slot=s, dish_id=None, title="each their own", eaten_by=[], apart=apart))
    statuses = {r.outcome.status for r in results.values()}
    status = SolveStatus.OPTIMAL if statuses == {SolveStatus.OPTIMAL} else SolveStatus.TIME_LIMIT
    seconds = time.perf_counter() - began
    record = HouseholdDay(day=d, status=status, seconds=round(seconds, 4), attempt="apart", joint=False)
    return DayOutcome(slots, results, records, record, build_s, solve_s, [f"day {d}: {reason}"])


def _cost_per_day(plans) -> list[float]:
    """The household's cost of each day: every member's priced items (an unpriced food counts 0)."""
    days = len(plans[0].days)
    return [round(sum(i.cost or 0.0 for p in plans for s in p.days[k].slots for i in s.items), 4) for k in range(days)]
