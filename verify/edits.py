"""The verifier's checks of a dietitian's rules and of changes made after solving.

- ``forbid``: no item is a forbidden food (id or name pattern) and no meal a forbidden dish.
- ``require``: every required food or dish is served where and in the amount its rule says.
- ``rules``: the person's hard rules are no looser than when the plan was made (``plan.planned_rules``).
- ``edits``: a change to a plan is either recorded (``plan.edits``, written by ``mealplan edit`` and
  ``rescore``) or tampering: an item whose grams no longer match its servings, or whose grams differ
  from the last recorded edit of it, is named here once, with what to run.

``trusted_items`` are the items a recorded edit set (their amounts may be off the portion grid or
outside a dish's range); ``hard_first`` orders problems with the hard rules (allergen, diet, safety,
forbidden or excluded food, upper limit, and the clinical limits of the targets: per meal, per food
kind, fluids, coffee and tea) first; ``collapse_stale`` turns a day's many stale totals
into one problem that says why.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import pandas as pd

from mealplan.food_data.matching import food_matches
from mealplan.food_data.vocab import slot_kind
from mealplan.plan import Plan, loosened_rules

EDIT_CHECKS: tuple[str, ...] = ("forbid", "require", "edits", "rules")
# Rules a person's safety rests on: listed first, in their own section.
HARD_CHECKS: tuple[str, ...] = (
    "rules", "allergens", "diet", "safety", "exclude", "forbid", "nutrient_max", "meal_limits", "food_kind_limits",
    "fluids", "hot_drinks",
)  # fmt: skip
# Checks that compare the plan's recorded numbers with the food table: stale after an unrecorded change.
STALE_CHECKS: tuple[str, ...] = (
    "totals", "week_totals", "energy_macros", "shortfalls", "food_group_totals", "diet_quality",
)  # fmt: skip
STALE_SHOWN = 2  # problems of a stale day shown in its summary
_DAY = re.compile(r"day (\d+)\b")


def _where(day: int, slot: str | None = None, food: str | None = None) -> str:
    return ", ".join(str(p) for p in (f"day {day}", slot, food) if p)


def trusted_items(plan: Plan) -> set[tuple[int, str, str]]:
    """(day, slot, food) of the items a recorded edit set and that still hold the edit's grams."""
    last: dict[tuple[int, str, str], float] = {}
    for e in plan.edits:
        if e.food_id is not None and e.slot is not None and e.action in ("set", "add", "hand"):
            last[(e.day, e.slot, e.food_id)] = e.grams_after or 0.0
    out = set()
    for day in plan.days:
        for slot in day.slots:
            for item in slot.items:
                key = (day.index, slot.name, item.food_id)
                if key in last and math.isclose(item.grams, last[key], rel_tol=1e-6, abs_tol=1e-6):
                    out.add(key)
    return out


def edit_problems(plan: Plan, table: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Problems of the ``forbid``, ``require`` and ``edits`` checks, as ``(check, where, message)``."""
    out: list[tuple[str, str, str]] = []
    rules = plan.rules
    for day in plan.days:
        for slot in day.slots:
            if slot.dish_id is not None and slot.dish_id in rules.forbid:
                out.append(("forbid", _where(day.index, slot.name), f"the dish {slot.dish_id!r} is forbidden"))
            for item in slot.items:
                name = str(table.at[item.food_id, "name"]) if item.food_id in table.index else item.name
                for pattern in rules.forbid:
                    if food_matches(pattern, item.food_id, name):
                        where = _where(day.index, slot.name, f"{item.food_id} ({name})")
                        out.append(("forbid", where, f"matches forbid {pattern!r}"))
    out += _require(plan)
    out += _edits(plan)
    # A hard rule loosened in the JSON after the plan was made: every other check reads the loosened rule.
    out += [("rules", "plan", f"{why}; the rules come from the profile: plan again") for why in loosened_rules(plan)]
    return out


def _require(plan: Plan) -> Iterable[tuple[str, str, str]]:
    for r in plan.rules.require:
        days = r.days or [1]
        for d in days:
            if d > len(plan.days):
                yield "require", f"day {d}", f"{r.label()}: the plan has {len(plan.days)} day(s)"
                continue
            day = plan.days[d - 1]
            slots = [s for s in day.slots if r.meal is None or slot_kind(s.name) == r.meal]
            if any(s.dish_id == r.food for s in slots):
                continue
            grams = sum(i.grams for s in slots for i in s.items if i.food_id == r.food)
            if grams <= 0:
                yield "require", _where(d, r.meal), f"{r.label()}: not served"
            elif r.grams is not None and not math.isclose(grams, r.grams, rel_tol=1e-4, abs_tol=0.01):
                yield "require", _where(d, r.meal), f"{r.label()}: {grams:g} g served"


def _edits(plan: Plan) -> Iterable[tuple[str, str, str]]:
    trusted = trusted_items(plan)
    recorded = {(e.day, e.slot, e.food_id) for e in plan.edits if e.food_id and e.action in ("set", "add", "hand")}
    for day in plan.days:
        for slot in day.slots:
            for item in slot.items:
                key = (day.index, slot.name, item.food_id)
                where = _where(day.index, slot.name, f"{item.food_id} ({item.name})")
                if key in recorded and key not in trusted:
                    yield (
                        "edits",
                        where,
                        f"{item.grams:g} g differs from the last recorded edit of this item: changed after "
                        "the edit without `mealplan edit` or `rescore`",
                    )
                elif not math.isclose(item.grams, item.servings * item.serving_g, rel_tol=1e-6, abs_tol=1e-6):
                    yield (
                        "edits",
                        where,
                        f"{item.grams:g} g but {item.servings:g} x {item.serving_g:g} g servings: changed "
                        "without a recorded edit (tampering?); to keep a hand edit, run `mealplan rescore`",
                    )


def hard_first(problems: list, checks: tuple[str, ...] = HARD_CHECKS) -> list:
    """``problems`` with those of the hard rules first (stable within each group)."""
    return sorted(problems, key=lambda p: p.check not in checks)


def collapse_stale(problems: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A day's many stale totals (the plan changed, its totals not recomputed) as one problem per check
    and place that says so; fewer than four problems stay as they are."""
    groups: dict[tuple[str, str], list[str]] = {}
    for check, where, message in problems:
        if check in STALE_CHECKS:
            groups.setdefault((check, where), []).append(message)
    out, done = [], set()
    for check, where, message in problems:
        key = (check, where)
        msgs = groups.get(key)
        if msgs is None or len(msgs) < 4:
            out.append((check, where, message))
        elif key not in done:
            done.add(key)
            shown = "; ".join(msgs[:STALE_SHOWN])
            out.append(
                (
                    check,
                    where,
                    f"{len(msgs)} recorded numbers differ from the food table ({shown}; ...): the plan was "
                    "changed without recomputing it; run `mealplan rescore` (or `mealplan edit`)",
                )
            )
    return out


# Checks of amounts a recorded edit may break on purpose (30 g of tahini: off the grid, outside a range).
EDITABLE_CHECKS: tuple[str, ...] = ("portions", "dish_ranges", "food_max_g", "whole_units")


def drop_trusted(problems: list[tuple[str, str, str]], plan: Plan) -> list[tuple[str, str, str]]:
    """``problems`` without the amount problems of items a recorded edit set (the person chose them)."""
    prefixes = tuple(f"day {d}, {s}, {f} (" for d, s, f in trusted_items(plan))
    if not prefixes:
        return problems
    return [p for p in problems if not (p[0] in EDITABLE_CHECKS and p[1].startswith(prefixes))]


# Rules a person may knowingly bend by editing a day (the fat share after 30 g of tahini, a meal's
# energy share): on a day with a recorded edit they are reported as accepted, not as failures. The
# hard rules (HARD_CHECKS) and the plan's own consistency (totals, items, edits) are never accepted.
SOFT_CHECKS: tuple[str, ...] = (
    "portions", "food_max_g", "energy_range", "amdr", "food_groups", "slot_items", "slot_protein",
    "slot_produce", "slot_core", "slot_energy_share", "food_families", "distinct_foods", "days_per_food",
    "identical_days", "protein_rotation", "budget", "meal_parts", "meal_rules", "dish_ranges", "dish_variety",
    "food_mass", "breakfast_variety", "snack_variety", "drinks", "whole_units", "pairings",
)  # fmt: skip


def edited_days(plan: Plan) -> set[int]:
    """The days a recorded edit changed (items set, added or removed, or changed by hand)."""
    return {e.day for e in plan.edits if e.action in ("set", "add", "remove", "hand")}


def split_accepted(problems: list, plan: Plan) -> tuple[list, list]:
    """``(failing, accepted)``: soft-rule problems of days a person edited are accepted (reported apart)."""
    days = edited_days(plan)
    if not days:
        return problems, []
    failing, accepted = [], []
    for p in problems:
        m = _DAY.match(p.where)
        edited = m is not None and int(m.group(1)) in days
        if edited and m is not None and (p.check in SOFT_CHECKS or _within_ul(p, plan, int(m.group(1)))):
            accepted.append(p)
        else:
            failing.append(p)
    return failing, accepted


def _within_ul(problem, plan: Plan, day: int) -> bool:
    """A maximum passed by an edit but not the upper limit itself: the plan's maxima keep a margin below
    the UL (90 %), which an edit may use; above the UL is a hard breach."""
    if problem.check != "nutrient_max" or not 1 <= day <= len(plan.days):
        return False
    nut = problem.message.split(" ", 1)[0]
    t, total = plan.targets.items.get(nut), plan.days[day - 1].totals.get(nut)
    return t is not None and t.ul is not None and total is not None and total.amount <= t.ul * (1 + 1e-9)
