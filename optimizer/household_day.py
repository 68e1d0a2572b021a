"""One household day: every member's day, the shared meals one dish (``optimizer/household.py``).

A day is tried on a ladder, as one person's day is (``day.plan_day``): the day as every member's week
allows it (yesterday's dinner as today's lunch with leftovers), then without the leftovers, then with the
week's variety set aside. On each attempt stage 1 chooses the household's dishes; stage 2 solves each
member's own day with them. A member whose day is proven unable to hold with the chosen dish has that
(dish, meal) forbidden, and stage 1 chooses once more (members whose meals stay the same keep their
solution); a member still without a plan eats apart (their own choice at that meal), and a member whose
day finds no plan at all is planned alone by ``plan_day`` (the one day path, with its own ladder, rescue
and conflict diagnosis). When no attempt together holds, every member is planned alone, and the plan
says so.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

from mealplan.errors import SolverError
from mealplan.food_data.household import household as household_text
from mealplan.food_data.vocab import slot_kind
from mealplan.household_plan import Apart, HouseholdDay, SharedMeal
from mealplan.optimizer.context import PlanContext
from mealplan.optimizer.day import (
    ABS_GAP_MEALS,
    MIN_ATTEMPT_S,
    DayResult,
    diagnose,
    plan_day,
    polish,
    relaxation_start,
)
from mealplan.optimizer.household import (
    HouseholdModel,
    MemberDay,
    Tie,
    bind,
    build_household_day,
    choose_shared,
    member_rows,
    shared_bounds,
    shared_candidates,
    ties,
    with_candidates,
)
from mealplan.optimizer.household_pantry import PantryBook
from mealplan.optimizer.model import SHORTFALL_WEIGHT, Required
from mealplan.optimizer.read import read_slots
from mealplan.optimizer.require import apply_requirements
from mealplan.optimizer.solve import SolveOutcome, solve
from mealplan.optimizer.week import WeekState, mark_leftover, meal_spec
from mealplan.plan import DayPlan, SlotPlan, SolveStatus
from mealplan.targets.profile import Profile
from mealplan.triage import TriageResult

ATTEMPTS = ("household", "household, no leftover", "household, variety relaxed")
CHOOSE_S = 4.0  # stage 1 (the household's choices over the members relaxed) at most, and
CHOOSE_SHARE = 0.25  # at most this share of the day's seconds: the rest is the members' own days
OWN_RULES = "their own rules that day could not hold with it"
DIAGNOSE_S = 3.0  # naming the rules a member's day breaks with the shared dish, at most
NOT_IN_TIME = "their day found no plan with it in time"  # ("it": the shared dish, named in the plan)
ALONE = "their day found no plan with the household's in time; it was planned alone"
EVERYONE_ALONE = "the household's day found no plan together in time; each member's day was planned alone"


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


def household_day(members: list[Member], d: int, days: int, shared: dict[str, list[str]], time_limit: float,
                  budget: float | None, prices, book: PantryBook) -> DayOutcome:  # fmt: skip
    """Day ``d`` of every member (see the module docstring)."""
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
        limit = max(min(left, CHOOSE_S, CHOOSE_SHARE * time_limit), MIN_ATTEMPT_S)
        outcome = choose_shared(hm, solver=ctx0.solver, threads=ctx0.threads, time_limit=limit, gap=ctx0.gap)
        solve_s += outcome.seconds
        if outcome.has_solution:
            stage = _Stage2(hm, name, members, d, days, budget, prices, time_limit, began)
            return stage.run(shared, build_s, solve_s)
        if outcome.status != SolveStatus.INFEASIBLE:
            break  # out of time without a choice: each member's own ladder gets the rest
    return _alone(members, d, days, shared, max(time_limit - (time.perf_counter() - began), MIN_ATTEMPT_S),
                  began, build_s, solve_s)  # fmt: skip


def _solve_member(p: MemberDay, time_limit: float) -> tuple[SolveOutcome, float]:
    """A member's own day model (with the household's rows) solved from its relaxation's start, as
    ``plan_day`` solves a day; the outcome and the seconds."""
    ctx = p.ctx
    start, lp_s = relaxation_start(p.model, ctx.solver, ctx.threads)
    outcome = solve(p.model.prob, solver=ctx.solver, time_limit=max(time_limit - lp_s, MIN_ATTEMPT_S), gap=ctx.gap,
                    threads=ctx.threads, gap_scale=SHORTFALL_WEIGHT, abs_gap=ABS_GAP_MEALS, start=start)  # fmt: skip
    return outcome, outcome.seconds + lp_s


class _Stage2:
    """Stage 2 of a household day: each member's own day with the household's choices."""

    def __init__(self, hm: HouseholdModel, name: str, members: list[Member], d: int, days: int,
                 budget: float | None, prices, time_limit: float, began: float) -> None:  # fmt: skip
        self.hm, self.name, self.members, self.d, self.days = hm, name, members, d, days
        self.budget, self.prices, self.time_limit, self.began = budget, prices, time_limit, began
        self.chosen = {s: hm.chosen(s) for s in hm.shared}
        self.tied = ties(hm, budget)
        self.bounds = shared_bounds(hm)
        self.forbidden: dict[str, set[tuple[str, str]]] = {p.id: set() for p in hm.members}
        self.why: dict[tuple[str, str], str] = {}  # (member, slot) -> why they are apart
        self.solved: dict[str, SolveOutcome] = {}
        self.seconds: dict[str, float] = {p.id: 0.0 for p in hm.members}
        for p in hm.members:
            member_rows(p, self.tied[p.id], prices, hm.aims)
            bind(p, self.tied[p.id], self.chosen, self.bounds, set())

    def share(self, k: int) -> float:
        left = self.time_limit - (time.perf_counter() - self.began)
        return max(left / max(len(self.members) - k, 1), MIN_ATTEMPT_S)

    def solve_open(self) -> list[MemberDay]:
        """Solve every member without a plan yet; those proven unable to hold with a shared dish."""
        failed = []
        for p in self.hm.members:
            if p.id in self.solved:
                continue
            outcome, seconds = _solve_member(p, self.share(len(self.solved)))
            self.seconds[p.id] += seconds
            tied = any(v is not None for v in self.tied[p.id].dishes.values())
            if outcome.status == SolveStatus.INFEASIBLE and tied:
                failed.append(p)
            elif outcome.has_solution:
                self.solved[p.id] = outcome
        return failed

    def diagnosis(self, p: MemberDay, dish: str, s: str) -> str:
        """Why a member's day cannot hold with the shared dish: their rules that conflict with it, named by
        ``day.diagnose`` (the elastic model) with the dish required at the meal."""
        need = Required(item=dish, slots=(s,), grams=None, min_g=0.0, label=f"the household's {s}")
        spec = dataclasses.replace(p.spec, required=[*p.spec.required, need])
        ctx = p.ctx
        limit = max(min(DIAGNOSE_S, self.share(len(self.solved))), MIN_ATTEMPT_S)
        try:
            error = diagnose(spec, ctx.rules, ctx.targets, ctx.prices, ctx.solver, limit, ctx.threads)
        except SolverError:
            return OWN_RULES
        rules = [r for r in error.problems if not r.startswith(("the household's", "no single rule"))]
        return f"{OWN_RULES}: {'; '.join(rules[:2])}" if rules else OWN_RULES

    def choose_again(self, failed: list[MemberDay]) -> None:
        """Forbid the failed members their dishes and let stage 1 choose again; members whose meals stay
        the same keep their solution (stage 1 solves copies of their days)."""
        for p in failed:
            for s, dish in self.tied[p.id].dishes.items():
                if dish is not None:
                    self.forbidden[p.id].add((dish, s))
                    self.why[(p.id, s)] = self.diagnosis(p, dish, s)
                    if (dish, s) in p.model.z:  # and in stage 1's copy of their day
                        p.joint(p.model.z[(dish, s)]).upBound = 0
            bind(p, Tie({}, None, {}), self.chosen, self.bounds, self.forbidden[p.id])
        ctx0 = self.members[0].ctx
        limit = max(min(CHOOSE_S, CHOOSE_SHARE * self.time_limit), MIN_ATTEMPT_S)
        outcome = choose_shared(self.hm, solver=ctx0.solver, threads=ctx0.threads, time_limit=limit, gap=ctx0.gap)
        if not outcome.has_solution:
            return
        chosen, tied = {s: self.hm.chosen(s) for s in self.hm.shared}, ties(self.hm, self.budget)
        for p in self.hm.members:
            if tied[p.id].dishes != self.tied[p.id].dishes or p in failed:
                self.solved.pop(p.id, None)
                self.tied[p.id] = dataclasses.replace(self.tied[p.id], dishes=tied[p.id].dishes)
                bind(p, self.tied[p.id], chosen, self.bounds, self.forbidden[p.id])
        self.chosen = chosen

    def run(self, shared: dict[str, list[str]], build_s: float, solve_s: float) -> DayOutcome:
        failed = self.solve_open()
        if failed:
            self.choose_again(failed)
            failed = self.solve_open()
        for p in self.hm.members:  # still no plan together: apart (their own meal), then alone
            if p.id in self.solved:
                continue
            for s, dish in self.tied[p.id].dishes.items():
                if dish is not None:
                    self.forbidden[p.id].add((dish, s))
                    self.why.setdefault((p.id, s), OWN_RULES if p in failed else NOT_IN_TIME)
            bind(p, Tie({}, None, {}), self.chosen, self.bounds, self.forbidden[p.id])
            outcome, seconds = _solve_member(p, self.share(len(self.solved)))
            self.seconds[p.id] += seconds
            if outcome.has_solution:
                self.solved[p.id] = outcome
        return self.read(shared, build_s, solve_s)

    def read(self, shared: dict[str, list[str]], build_s: float, solve_s: float) -> DayOutcome:
        """Polish and read each member's day (a member with no plan together is planned alone)."""
        slots, results, statuses, gaps = {}, {}, [], []
        for k, (p, m) in enumerate(zip(self.hm.members, self.members, strict=True)):
            t0 = time.perf_counter()
            if p.id not in self.solved:
                result = plan_day(m.ctx, m.state, self.d, self.days, time_limit=self.share(k), leftovers=m.leftovers)
                self.why.update({(p.id, s): ALONE for s in shared if p.id in shared[s]})
                slots[p.id], results[p.id] = result.slots, result
                statuses.append(result.outcome.status)
                build_s, solve_s = build_s + result.build_seconds, solve_s + result.solve_seconds
                continue
            outcome = self.solved[p.id]
            solve_s += self.seconds[p.id] + polish(p.model, outcome.solver, p.ctx.threads)
            got = read_slots(p.model, p.ctx.inputs, p.ctx.rules, p.ctx.prices, household_text)
            if self.name == ATTEMPTS[0] and p.spec.fixed and m.state.last_dinner is not None:
                got = mark_leftover(got, m.state.last_dinner, self.d - 1)
            slots[p.id] = got
            seconds = self.seconds[p.id] + time.perf_counter() - t0
            results[p.id] = DayResult(got, outcome, self.name == ATTEMPTS[2], p.model.size, 0.0, self.seconds[p.id],
                                      self.name, seconds)  # fmt: skip
            statuses.append(outcome.status)
            gaps += [outcome.gap] if outcome.gap is not None else []
        records = [
            _shared_meal(self.d, s, scope, slots, self.hm, self.members, self.why) for s, scope in shared.items()
        ]
        status = SolveStatus.OPTIMAL if all(x == SolveStatus.OPTIMAL for x in statuses) else SolveStatus.TIME_LIMIT
        seconds = time.perf_counter() - self.began
        record = HouseholdDay(day=self.d, status=status, gap=max(gaps) if gaps else None, seconds=round(seconds, 4),
                              attempt=self.name, joint=True)  # fmt: skip
        return DayOutcome(slots, results, records, record, build_s, solve_s)


def _shared_meal(d: int, s: str, scope: list[str], slots: dict[str, list[SlotPlan]], hm: HouseholdModel,
                 members: list[Member], why: dict[tuple[str, str], str]) -> SharedMeal:  # fmt: skip
    """The record of one shared meal: the household's dish, who ate it, who ate apart and why."""
    meal = {m: next(sl for sl in slots[m] if sl.name == s) for m in scope}
    dish = hm.chosen(s) if s in hm.shared else None
    if dish is None:  # no rows today (every eater's lunch is a leftover): the dish they all have, if one
        dishes = {sl.dish_id for sl in meal.values()}
        dish = dishes.pop() if len(dishes) == 1 else None
    eaten = [m for m in scope if dish is not None and meal[m].dish_id == dish]
    if dish is not None and not eaten:  # nobody could: the meal was each their own
        dish = None
    by_id = {m.id: m for m in members}
    title = next((meal[m].title for m in eaten), "") or "each their own"
    apart = [Apart(member=m, title=meal[m].title, reason=_why_apart(by_id[m], dish, title, s, why)) for m in scope
             if m not in eaten]  # fmt: skip
    leftover = next((meal[m].leftover_of for m in eaten if meal[m].leftover_of is not None), None)
    return SharedMeal(day=d, slot=s, dish_id=dish, title=title, eaten_by=eaten, apart=apart, leftover_of=leftover)


def _why_apart(m: Member, dish: str | None, title: str, s: str, why: dict[tuple[str, str], str]) -> str:
    """Why a member did not eat the household's dish: their rules keep it out, or their day could not hold."""
    if (m.id, s) in why:
        return why[(m.id, s)].replace(" with it", f" with {title}")
    if dish is None:
        return "nobody's day could hold with the household's dish: each ate their own"
    blocked = m.ctx.inputs.blocked_dishes.get(dish)
    if blocked is not None:
        food, _, rule = blocked.partition(": ")
        table = m.ctx.foods.foods
        name = m.ctx.inputs.names.get(food) or (str(table.at[food, "name"]) if food in table.index else food)
        return f"cannot eat {title}: {name} ({rule})" if rule else f"cannot eat {title}: {blocked}"
    return f"their own targets and rules that day fare far better apart than with {title}"


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
    records = []
    for s, scope in shared.items():
        meal = {m: next(sl for sl in slots[m] if sl.name == s) for m in scope}
        apart = [Apart(member=m, title=meal[m].title, reason=EVERYONE_ALONE) for m in scope]
        records.append(SharedMeal(day=d, slot=s, dish_id=None, title="each their own", eaten_by=[], apart=apart))
    statuses = {r.outcome.status for r in results.values()}
    status = SolveStatus.OPTIMAL if statuses == {SolveStatus.OPTIMAL} else SolveStatus.TIME_LIMIT
    seconds = time.perf_counter() - began
    record = HouseholdDay(day=d, status=status, seconds=round(seconds, 4), attempt="apart", joint=False)
    return DayOutcome(slots, results, records, record, build_s, solve_s, [f"day {d}: {EVERYONE_ALONE}"])
