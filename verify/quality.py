"""The numbers of diet quality a schema 2.1 plan records, recomputed, and the record of its solve.

- ``food_group_totals``: each day's ``food_groups`` recomputed from its items
  (``food_data.food_groups.totals``: food-pattern equivalents per 100 g times grams, every item,
  drinks included), and ``week_food_groups``, the daily average over the plan's days (as
  ``week_totals`` is), compared within the tolerance of the nutrient totals (relative tolerance plus
  1e-6: plans round amounts to 6 decimals); a component the plan leaves out counts 0.
- ``diet_quality``: each HEI-2020 entry recomputed (``food_data.hei.hei2020_of_foods`` over the items
  of its scope, the nutrients from the food table): every component's points within the relative
  tolerance plus 1e-3 (points rounded to 3 decimals), the total within 0.05 (rounded to one decimal),
  each maximum the standard's.
  Scopes: ``"day 1"`` for a day plan; ``"week"`` for a plan of one block of 7 days, else ``"week 1"``,
  ``"week 2"``, ... (each block: days 1-7, 8-14, ...; the last may be shorter).
- ``solve_days``: ``solve.days`` has one entry per day, in the days' order; each status is one a plan
  exists for (optimal, time_limit) with a gap of 0 or more; the plan's status follows the days' (all
  optimal: optimal; any time_limit: time_limit).

A plan records none of these before schema 2.1 (empty ``food_groups``, no ``diet_quality``, empty
``solve.days``): nothing is checked then. A plan with a food pattern (``rules.food_groups``) must
record the food groups of every day (and the week's average) and the diet quality of every scope.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from mealplan.food_data.food_group_rules import load_rules
from mealplan.food_data.food_groups import totals
from mealplan.food_data.hei import STANDARDS, hei2020_of_foods
from mealplan.plan import DayPlan, Plan, SolveStatus, week_blocks
from mealplan.verify.lookup import Found, Lookup

QUALITY_CHECKS: tuple[str, ...] = ("food_group_totals", "diet_quality", "solve_days")
# Plans round food-group amounts to 6 decimals, HEI points to 3 and the HEI total to 1.
AMOUNT_ABS, POINTS_ABS, TOTAL_ABS = 1e-6, 1e-3, 0.05


def quality_problems(plan: Plan, look: Lookup, tol: float) -> Found:
    """Problems of the food groups, the diet quality and the days' solve, as ``(check, where, message)``."""
    return _food_groups(plan, look, tol) + _diet_quality(plan, look, tol) + _solve_days(plan)


def _close(a: float, b: float, tol: float, abs_tol: float) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b)) + abs_tol


def _grams(days: list[DayPlan], look: Lookup) -> dict[str, float] | None:
    """Food id -> grams over these days; None when a food is not in the table (the ``items`` check says so)."""
    grams: dict[str, float] = {}
    for day in days:
        for slot in day.slots:
            for item in slot.items:
                if not look.known(item.food_id):
                    return None
                grams[item.food_id] = grams.get(item.food_id, 0.0) + item.grams
    return grams


def _food_groups(plan: Plan, look: Lookup, tol: float) -> Found:
    given = any(d.food_groups for d in plan.days) or plan.week_food_groups is not None
    if not given and plan.rules.food_groups is None:
        return []  # a plan before schema 2.1
    out: Found = []
    recomputed: dict[int, dict[str, float]] = {}
    for day in plan.days:
        grams = _grams([day], look)
        if grams is None:
            continue
        recomputed[day.index] = totals(look.foods, grams)
        if not day.food_groups:
            out.append(("food_group_totals", f"day {day.index}", "no food_groups: a plan with a food pattern "
                        "records each day's food groups"))  # fmt: skip
        else:
            out += _compare(f"day {day.index}", day.food_groups, recomputed[day.index], tol)
    if len(recomputed) < len(plan.days):
        return out
    n = len(plan.days)
    average = {c: sum(r[c] for r in recomputed.values()) / n for c in load_rules().ids}
    if plan.week_food_groups is not None:
        out += _compare("week average", plan.week_food_groups, average, tol)
    elif plan.kind == "week":
        out.append(("food_group_totals", "week average", "no week_food_groups: a week with a food pattern records "
                    "the food groups' daily average"))  # fmt: skip
    return out


def _compare(where: str, given: Mapping[str, float], recomputed: Mapping[str, float], tol: float) -> Found:
    components = {c.id: c for c in load_rules().components}
    differ = []
    for cid, amount in recomputed.items():
        c = components[cid]
        said = given.get(cid, 0.0)  # a plan may leave out the components a day has none of
        if not _close(said, amount, tol, AMOUNT_ABS):
            absent = "" if cid in given else " (absent)"
            said_text = f"the plan says {said:.6g} {c.unit}{absent}"
            differ.append(f"{c.name} ({cid}): {said_text}; the food table gives {amount:.6g}")
    # One line a day (as the nutrient totals): a stale day is one problem, not one per component.
    text = f"{len(differ)} recorded numbers differ from the food table ({'; '.join(differ)})" if len(differ) > 1 else ""
    out = [("food_group_totals", where, text or differ[0])] if differ else []
    out += [("food_group_totals", where, f"{cid!r} is not a food-group component; allowed: {', '.join(components)}")
            for cid in given if cid not in components]  # fmt: skip
    return out


def quality_scopes(plan: Plan) -> dict[str, list[DayPlan]]:
    """The scopes of a plan's diet quality and their days: ``{"day 1": [...]}`` for a day plan,
    ``{"week": [...]}`` for one block of 7 days, else ``{"week 1": [...], "week 2": [...], ...}``."""
    if plan.kind == "day":
        return {f"day {d.index}": [d] for d in plan.days}
    by_index = {d.index: d for d in plan.days}
    blocks = week_blocks(list(by_index))
    return {
        ("week" if len(blocks) == 1 else f"week {k}"): [by_index[i] for i in block]
        for k, block in enumerate(blocks, start=1)
    }


def _diet_quality(plan: Plan, look: Lookup, tol: float) -> Found:
    scopes = quality_scopes(plan)
    if not plan.diet_quality:
        if plan.rules.food_groups is None:
            return []  # a plan before schema 2.1
        return [("diet_quality", "plan", f"no diet_quality: a plan with a food pattern records the HEI-2020 of "
                 f"{', '.join(scopes)}")]  # fmt: skip
    out: Found = []
    seen: set[str] = set()
    standards = {s.id: s for s in STANDARDS}
    for entry in plan.diet_quality:
        where = f"HEI-2020, {entry.scope}"
        if entry.scope in seen:
            out.append(("diet_quality", where, "listed more than once"))
            continue
        seen.add(entry.scope)
        if entry.scope not in scopes:
            out.append(("diet_quality", where, f"no such scope in this plan; expected {', '.join(scopes)}"))
            continue
        grams = _grams(scopes[entry.scope], look)
        if grams is None:
            continue
        score = hei2020_of_foods(look.foods, grams)
        if not _close(entry.total, score.total, tol, TOTAL_ABS):
            out.append(("diet_quality", where, f"total: the plan says {entry.total:.3f}; recomputed {score.total:.3f}"))
        for c in score.components:
            said, best = entry.components.get(c.id), entry.max_points.get(c.id)
            if said is None:
                out.append(("diet_quality", where, f"{c.name}: missing; recomputed {c.points:.3f} of {c.max_points:g}"))
            elif not _close(said, c.points, tol, POINTS_ABS):
                out.append(("diet_quality", where, f"{c.name}: the plan says {said:.3f} points; recomputed "
                            f"{c.points:.3f} of {c.max_points:g}"))  # fmt: skip
            if best is not None and best != c.max_points:
                out.append(("diet_quality", where, f"{c.name}: max_points {best:g}; the standard's is "
                            f"{c.max_points:g}"))  # fmt: skip
        extra = sorted((set(entry.components) | set(entry.max_points)) - set(standards))
        out += [("diet_quality", where, f"{x!r} is not an HEI-2020 component; allowed: {', '.join(standards)}")
                for x in extra]  # fmt: skip
    out += [("diet_quality", f"HEI-2020, {s}", "not recorded") for s in scopes if s not in seen]
    return out


def _solve_days(plan: Plan) -> Found:
    s = plan.solve
    if not s.days:
        return []  # a plan before schema 2.1
    out: Found = []
    said, expected = [d.day for d in s.days], [d.index for d in plan.days]
    if said != expected:
        out.append(("solve_days", "solve", f"solve.days are for days {said}; expected one entry per day, in order: "
                    f"{expected}"))  # fmt: skip
    for d in s.days:
        where = f"solve, day {d.day}"
        if d.status not in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT):
            out.append(("solve_days", where, f"status {d.status.value!r}: a day exists only as optimal or time_limit"))
        if d.gap is not None and not (math.isfinite(d.gap) and d.gap >= 0):
            out.append(("solve_days", where, f"gap {d.gap!r} must be a number of 0 or more"))
        if not (math.isfinite(d.seconds) and d.seconds >= 0):
            out.append(("solve_days", where, f"seconds {d.seconds!r} must be a number of 0 or more"))
    limited = [d.day for d in s.days if d.status == SolveStatus.TIME_LIMIT]
    if all(d.status in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT) for d in s.days):
        status = SolveStatus.TIME_LIMIT if limited else SolveStatus.OPTIMAL
        if s.status != status:
            why = f"days {limited} ended at the time limit" if limited else "every day is optimal"
            out.append(("solve_days", "solve", f"status {s.status.value!r}, but {why}: the plan is {status.value!r}"))
    return out
