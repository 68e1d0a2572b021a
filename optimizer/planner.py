"""Making a plan: targets, rules, candidates, one model per day, solve, totals and explanations.

A week is planned day by day with variety carried forward (the design notes measured a 7-day
monolith far from optimal after a minute): foods already used on ``max_days_per_food`` days leave the
candidate set, the previous day's main-meal protein foods may not be main-meal protein again, no
day may repeat all of an earlier day's items, and weekly nutrients (vitamin D, B12) carry what is
still missing for the week over to the remaining days.
"""

from __future__ import annotations

import csv
import dataclasses
import logging
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mealplan.food_data.errors import ConfigError, SolverError
from mealplan.food_data.table import FoodTable, Rows
from mealplan.optimizer import model as day_model
from mealplan.optimizer.candidates import coverage_scores, eligible_foods, pattern_mask, preselect, ranked
from mealplan.optimizer.explain import conflict_error, explain_shortfall
from mealplan.optimizer.plan import (
    DayPlan,
    NutrientTotal,
    Plan,
    PlanItem,
    PlanRules,
    Shortfall,
    SlotPlan,
    SolveInfo,
    SolveStatus,
)
from mealplan.optimizer.profile import Profile, triage_input
from mealplan.optimizer.rules import plan_rules
from mealplan.optimizer.solve import ABS_GAP, SolveOutcome, solve, write_model
from mealplan.optimizer.targets import Targets, compute_targets
from mealplan.triage import DISCLAIMER, TriageResult, run_triage

log = logging.getLogger(__name__)

MACROS = ("protein", "fat", "carbohydrate")
# Candidate preselection: foods per category (best per serving and best per kcal) for the LP
# relaxation, whose support becomes the MILP's candidates.
WIDE_PER_CATEGORY = 15
LIKED_PER_PATTERN = 3
# Everyday foods are kept unless they leave the day's weighted shortfall above 1 % of one target
# (SHORTFALL_WEIGHT is a whole target): only then are the rest of the planner foods tried.
STAPLES_ENOUGH = 0.01 * day_model.SHORTFALL_WEIGHT


def _version() -> str:
    try:
        from importlib.metadata import version

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
    days_used: dict[str, int] = field(default_factory=dict)
    previous: list[set[tuple[str, str]]] = field(default_factory=list)
    last_main_protein: set[str] = field(default_factory=set)
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
        targets: Targets computed earlier (e.g. by ``compute_targets`` and then adjusted in a
            notebook); when ``None`` they are computed from the profile and the triage.

    Raises:
        ConfigError: bad options or price table.
        ConflictError: the hard rules cannot hold together; names the conflicting rules.
        SolverError: no solver could run.
    """
    started = time.perf_counter()
    if not 1 <= days <= 7:
        raise ConfigError(f"--days {days!r}: plan 1 day or a week (2 to 7 days).")
    if objective not in ("shortfall", "cost"):
        raise ConfigError(f"--objective {objective!r}: allowed values are shortfall and cost.")
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
            "--objective cost needs prices: give the profile a `prices` table or use --foods with a price column."
        )
    elig = eligible_foods(foods, rules)
    liked = _liked(rules.likes, elig.allowed, targets)

    state = _WeekState()
    day_plans: list[DayPlan] = []
    outcomes: list[SolveOutcome] = []
    build_s = solve_s = 0.0
    n_vars = n_cons = n_cands = 0
    per_day_limit = max(time_limit / days, 1.0)
    common = _common(elig.allowed)
    for d in range(1, days + 1):
        banned = {f for f, c in state.days_used.items() if c >= rules.max_days_per_food}
        forbidden = {(f, s.name) for f in state.last_main_protein for s in rules.slots if s.needs_protein}
        spec = day_model.DaySpec(
            day=d,
            candidates=elig.allowed.take([]),
            goals=_day_goals(targets, rules, state, d, days),
            forbidden=forbidden,
            previous=state.previous,
            liked=liked,
        )
        # Everyday foods first; the rest of the planner set only when they leave a target short.
        best = None
        pools = [elig.allowed.where(common), elig.allowed] if common.any() and not common.all() else [elig.allowed]
        day_left = per_day_limit  # the day's solver seconds are shared by its attempts
        for pool in pools:
            if best is not None and best.outcome.has_solution and day_left < 1.0:
                break  # the everyday foods used up the day's time: keep their plan
            attempt = _solve_day(
                spec,
                pool,
                rules,
                targets,
                prices,
                banned,
                solver,
                max(day_left, 1.0),
                gap,
                threads,
                model_path if d == 1 and best is None else None,
            )
            day_left -= attempt.solve_s
            build_s, solve_s = build_s + attempt.build_s, solve_s + attempt.solve_s
            # Without a plan in either pool, the wider pool is the one to diagnose (its conflicts are
            # the profile's, not the everyday foods').
            if (
                best is None
                or not best.outcome.has_solution
                or (
                    attempt.outcome.has_solution
                    and (attempt.outcome.objective or 0.0) < (best.outcome.objective or 0.0) - ABS_GAP
                )
            ):
                best = attempt
            if best.outcome.has_solution and (best.outcome.objective or 0.0) <= STAPLES_ENOUGH:
                break
        outcome, built = best.outcome, best.built
        if not outcome.has_solution:
            if outcome.status == SolveStatus.INFEASIBLE:
                raise _diagnose(best.spec, rules, targets, prices, solver, per_day_limit, threads)
            raise SolverError(f"day {d}: the solver stopped without a plan (status {outcome.status.value}).")
        outcomes.append(outcome)
        v, c = built.size
        n_vars, n_cons, n_cands = max(n_vars, v), max(n_cons, c), max(n_cands, len(best.spec.candidates))
        day = _extract_day(d, built, foods, rules, targets, prices)
        day_plans.append(day)
        _carry(state, day, rules)

    week_totals = _week_totals(day_plans, rules.met_tolerance) if days > 1 else None
    shortfalls = _shortfalls(day_plans, week_totals, targets, rules, foods, elig)
    status = SolveStatus.OPTIMAL if all(o.status == SolveStatus.OPTIMAL for o in outcomes) else SolveStatus.TIME_LIMIT
    gaps = [o.gap for o in outcomes if o.gap is not None]
    cost = None
    if prices is not None:
        cost = round(sum(i.cost or 0.0 for dp in day_plans for s in dp.slots for i in s.items) / days, 4)
    notes = [n for o in outcomes for n in o.notes]
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
    )


@dataclass
class _DayAttempt:
    spec: day_model.DaySpec
    built: day_model.DayModel
    outcome: SolveOutcome
    build_s: float
    solve_s: float


def _solve_day(
    spec: day_model.DaySpec,
    pool: Rows,
    rules: PlanRules,
    targets: Targets,
    prices: dict[str, float] | None,
    banned: set[str],
    solver: str,
    time_limit: float,
    gap: float,
    threads: int,
    model_path: Path | None,
) -> _DayAttempt:
    """Select candidates from ``pool``, build the day MILP and solve it.

    The MILP first runs on the LP relaxation's support; if that narrow set cannot hold the meal
    structure in whole portions (infeasible), it runs again on the whole preselection.
    """
    spec = dataclasses.replace(spec)
    narrow, wide, unused, build_s, solve_s = _candidates(spec, pool, rules, targets, prices, banned, solver, threads)
    for candidates in [narrow, wide] if len(narrow) < len(wide) else [wide]:
        t0 = time.perf_counter()
        spec.candidates = candidates
        built = day_model.build_day_model(spec, rules, targets, prices=prices)
        build_s += time.perf_counter() - t0
        if model_path is not None:
            write_model(built.prob, model_path)
        outcome = solve(
            built.prob,
            solver=solver,
            time_limit=max(time_limit - solve_s, 1.0),
            gap=gap,
            threads=threads,
            gap_scale=day_model.SHORTFALL_WEIGHT,
            # On the LP's own support, start with the items it left out absent; when that failed,
            # those zeros cannot make a plan either.
            start={built.y[k]: 0.0 for k in unused if k in built.y} if candidates is narrow else None,
        )
        solve_s += outcome.seconds
        if outcome.status != SolveStatus.INFEASIBLE:
            break
    return _DayAttempt(spec, built, outcome, build_s, solve_s)


def _common(allowed: Rows) -> np.ndarray:
    """Everyday foods among the allowed ones; foods without the flag (the user's own) count as everyday."""
    if "common" not in allowed:
        return np.ones(len(allowed), dtype=bool)
    return np.array([True if v is None or v != v else bool(v) for v in allowed["common"].tolist()], dtype=bool)


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


def _candidates(
    spec: day_model.DaySpec,
    allowed: Rows,
    rules: PlanRules,
    targets: Targets,
    prices: dict[str, float] | None,
    banned: set[str],
    solver: str,
    threads: int,
) -> tuple[Rows, Rows, set[tuple[str, str]], float, float]:
    """Candidates for the day MILP: a wide preselection, and the part of it the LP relaxation uses
    (plus the liked foods). Also returns the (food, slot) items the relaxation leaves out (the
    MILP's partial start) and the seconds spent building and solving the relaxation."""
    t0 = time.perf_counter()
    keep = {f for foods in spec.liked.values() for f in foods}
    wide = preselect(allowed, targets, per_category=WIDE_PER_CATEGORY, keep=keep, banned=banned)
    spec.candidates = wide
    relaxed = day_model.build_day_model(spec, rules, targets, prices=prices)
    build_s = time.perf_counter() - t0
    # HiGHS runs every solve of a process on one thread pool: the relaxation uses the same count.
    outcome = solve(relaxed.prob, solver=solver, relax=True, time_limit=10.0, threads=threads)
    if not outcome.has_solution:  # the MILP is infeasible too; the diagnosis needs every candidate
        return wide, wide, set(), build_s, outcome.seconds
    unused = {k for k, var in relaxed.y.items() if (var.value() or 0.0) <= 1e-6}
    support = {f for (f, _), var in relaxed.n.items() if (var.value() or 0.0) > 1e-6}
    return wide.take(sorted(support | (keep & set(wide.index)))), wide, unused, build_s, outcome.seconds


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
    items = {(i.food_id, s.name) for s in day.slots for i in s.items}
    state.previous.append(items)
    for f in {f for f, _ in items}:
        state.days_used[f] = state.days_used.get(f, 0) + 1
    mains = {s.name for s in rules.slots if s.needs_protein}
    state.last_main_protein = {
        i.food_id for s in day.slots if s.name in mains for i in s.items if i.category in rules.protein_categories
    }
    for nut in rules.weekly_nutrients:
        state.weekly_achieved[nut] = state.weekly_achieved.get(nut, 0.0) + day.totals[nut].amount


# Kitchen fractions for household amounts: "1⅔ cup" rather than "1¼ × 1.333 cup".
_FRACTIONS = ((0.0, ""), (1 / 8, "⅛"), (1 / 4, "¼"), (1 / 3, "⅓"), (3 / 8, "⅜"), (1 / 2, "½"), (5 / 8, "⅝"))
_FRACTIONS += ((2 / 3, "⅔"), (3 / 4, "¾"), (7 / 8, "⅞"), (1.0, ""))
_PLURALS = {
    word: word + "s"
    for word in ("cup", "slice", "piece", "fillet", "link", "serving", "tablespoon", "teaspoon", "stalk", "spear")
}


def _amount_text(value: float) -> str:
    """``value`` as a whole number and a kitchen fraction ("1⅔"), or a short decimal when none is close."""
    whole = int(value)
    for frac, glyph in _FRACTIONS:
        if abs(value - whole - frac) < 0.02:
            whole += frac == 1.0
            return (str(whole) if whole or not glyph else "") + glyph or "0"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _household(servings: float, serving_name: str, grams: float) -> str:
    """The portion in the serving's household measure: "1⅔ cup (38 g)", "1½ × 1 medium (177 g)"."""
    numbered = re.fullmatch(r"(\d+(?:\.\d+)?)(?:/(\d+))? (.+)", serving_name.strip())
    if numbered and numbered[3] == "g":
        return f"{grams:.0f} g"
    if numbered and float(numbered[2] or 1) > 0:  # "0.5 cup", "1/4 tsp", "3 oz": multiply the measure
        amount = servings * float(numbered[1]) / float(numbered[2] or 1)
        unit = numbered[3]
        first, space, rest = unit.partition(" ")
        word = first.rstrip(",")
        if amount > 1 + 1e-9 and word in _PLURALS:  # "2 cups, diced"
            unit = _PLURALS[word] + first[len(word) :] + space + rest
        return f"{_amount_text(amount)} {unit} ({grams:.0f} g)"
    count = _amount_text(servings)
    if count == "1":
        return f"{serving_name} ({grams:.0f} g)"
    return f"{count} × {serving_name} ({grams:.0f} g)"


def _extract_day(
    d: int,
    built: day_model.DayModel,
    foods: FoodTable,
    rules: PlanRules,
    targets: Targets,
    prices: dict[str, float] | None,
) -> DayPlan:
    slots = []
    used = sorted({f for (f, _), var in built.n.items() if round(var.value() or 0.0) > 0})
    rows = foods.rows.take(used)
    info = rows.records(["name", "category", "serving_name", "serving_g"])
    kcal = dict(zip(used, rows["energy"].astype(float).tolist(), strict=True))
    for slot in rules.slots:
        items = []
        for (f, s), var in built.n.items():
            if s != slot.name:
                continue
            steps = round(var.value() or 0.0)
            if steps <= 0:
                continue
            servings = steps * rules.portion_step_servings
            serving_g = float(info[f]["serving_g"])
            grams = servings * serving_g
            price = None if prices is None or f not in prices else float(prices[f]) * grams / 100.0
            serving_name = str(info[f]["serving_name"])
            items.append(
                PlanItem(
                    food_id=f,
                    name=str(info[f]["name"]),
                    category=str(info[f]["category"]),
                    grams=round(grams, 6),
                    servings=servings,
                    serving_name=serving_name,
                    serving_g=serving_g,
                    household=_household(servings, serving_name, grams),
                    cost=None if price is None else round(price, 4),
                )
            )
        items.sort(key=lambda i: (rules.protein_categories.count(i.category) == 0, -i.grams, i.food_id))
        energy = sum(_amount(kcal, i)[0] for i in items)
        slots.append(SlotPlan(name=slot.name, energy_kcal=round(energy, 3), items=items))
    all_items = [i for s in slots for i in s.items]
    totals = {}
    for nut in sorted(set(targets.items) | {"energy", *MACROS}):
        per_100g = dict(zip(used, rows[nut].astype(float).tolist(), strict=True)) if nut in rows else {}
        amount, unknown = 0.0, 0
        for it in all_items:
            a, missing = _amount(per_100g, it)
            amount += a
            unknown += missing
        t = targets.items.get(nut)
        totals[nut] = _total(nut, amount, unknown, t, foods, rules.met_tolerance)
    energy = totals["energy"].amount
    macros = {
        m: round(100.0 * totals[m].amount * day_model.MACRO_KCAL[m] / energy, 3) if energy else 0.0 for m in MACROS
    }
    return DayPlan(index=d, energy_kcal=round(energy, 3), macros_pct=macros, slots=slots, totals=totals)


def _amount(per_100g: dict[str, float], item: PlanItem) -> tuple[float, int]:
    """An item's amount of a nutrient (0 and one unknown item when the food's value is unknown)."""
    value = per_100g.get(item.food_id)
    if value is None or math.isnan(value):
        return 0.0, 1
    return float(value) * item.grams / 100.0, 0


def _pct(amount: float, lo: float | None) -> float | None:
    """Percent of a minimum; None without a minimum or when it is too small to divide by (1e-308)."""
    if not lo:
        return None
    pct = 100.0 * amount / lo
    return round(pct, 3) if math.isfinite(pct) else None


def _total(nut: str, amount: float, unknown: int, t, foods: FoodTable, tolerance: float) -> NutrientTotal:
    lo = t.min if t is not None and t.min else None
    hi = t.max if t is not None else None
    unit = t.unit if t is not None else foods.units.get(nut, "")
    return _nutrient_total(nut, unit, amount, unknown, lo, hi, tolerance)


def _nutrient_total(
    nut: str, unit: str, amount: float, unknown: int, lo: float | None, hi: float | None, tolerance: float
) -> NutrientTotal:
    """A total against its minimum (met within ``tolerance``, the solver's) and maximum."""
    return NutrientTotal(
        nutrient=nut,
        unit=unit,
        amount=round(amount, 6),
        min=lo,
        max=hi,
        pct_of_min=_pct(amount, lo),
        met=lo is None or amount >= lo * (1 - tolerance),
        unknown_items=unknown,
    )


def _week_totals(day_plans: list[DayPlan], tolerance: float) -> dict[str, NutrientTotal]:
    n = len(day_plans)
    return {
        nut: _nutrient_total(
            nut,
            first.unit,
            sum(dp.totals[nut].amount for dp in day_plans) / n,
            sum(dp.totals[nut].unknown_items for dp in day_plans),
            first.min,
            first.max,
            tolerance,
        )
        for nut, first in day_plans[0].totals.items()
    }


def _shortfalls(
    day_plans: list[DayPlan],
    week_totals: dict[str, NutrientTotal] | None,
    targets: Targets,
    rules: PlanRules,
    foods: FoodTable,
    elig,
) -> list[Shortfall]:
    out = []
    for nut, t in sorted(targets.items.items(), key=lambda kv: (-kv[1].priority, kv[0])):
        if not t.min:
            continue
        if nut in rules.weekly_nutrients and week_totals is not None:
            scopes = [("week average", week_totals[nut])]
        else:
            scopes = [(f"day {dp.index}", dp.totals[nut]) for dp in day_plans]
        for scope, total in scopes:
            if total.met:
                continue
            out.append(
                explain_shortfall(
                    t,
                    scope,
                    t.min,
                    total.amount,
                    table=foods,
                    allowed=elig.allowed,
                    blocked=elig.blocked,
                    energy_max=rules.energy_max,
                )
            )
    return out


def _diagnose(spec, rules: PlanRules, targets: Targets, prices, solver: str, time_limit: float, threads: int):
    """Re-solve with elastic hard rules and name those that had to give."""
    built = day_model.build_day_model(spec, rules, targets, prices=prices, elastic=True)
    outcome = solve(built.prob, solver=solver, time_limit=time_limit, gap=0.0, threads=threads)
    if not outcome.has_solution:
        return conflict_error({}, spec.day)
    return conflict_error({k: (v.value() or 0.0) for k, v in built.slacks.items()}, spec.day)
