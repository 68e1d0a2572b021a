"""Independent verification of a Plan against the food table and the rules recorded in the plan.

This is deliberately a separate code path from the model builder and the planner: it imports
neither, and recomputes every total from the food table itself (grams / 100 x the per-100 g value;
an unknown value counts 0 and is counted in ``unknown_items``). It then checks every rule the plan
records in ``plan.rules`` and ``plan.targets``. A plan that passes is one a person can trust to say
what it contains.

Each problem names the check, where it is (``day 2, lunch, 01123 (Egg, whole)``) and what is wrong,
with the numbers. Checks (``CHECKS``) run in a fixed order and are listed in ``checks_run``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import cast

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from mealplan.food_data.matching import food_matches
from mealplan.food_data.table import SR24_SOURCE, FoodTable
from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, DIET_LEVEL, diet_allows, split_tags
from mealplan.numbers import cell_float, fmt_exact
from mealplan.plan import MAX_DAYS, SCHEMA_VERSION, DayPlan, Plan, PlanItem, SlotPlan, SolveStatus
from mealplan.verify.clinical import CLINICAL_CHECKS, clinical_problems
from mealplan.verify.drinks import DRINK_CHECKS, drink_problems
from mealplan.verify.edits import EDIT_CHECKS, collapse_stale, drop_trusted, edit_problems, hard_first, split_accepted
from mealplan.verify.foods import FoodLevelChecks, _where
from mealplan.verify.lookup import Lookup
from mealplan.verify.meals import MEAL_CHECKS, meal_problems
from mealplan.verify.quality import QUALITY_CHECKS, quality_problems
from mealplan.verify.serving import SERVING_CHECKS, serving_problems
from mealplan.verify.totals import AMOUNT_ABS, MACRO_KCAL, TotalsChecks
from mealplan.verify.variety import VARIETY_CHECKS, variety_problems

# Checks run by a module's function (the rest are methods of the verifier and its mixins).
MODULE_CHECKS: tuple[str, ...] = (
    *MEAL_CHECKS,
    *VARIETY_CHECKS,
    *DRINK_CHECKS,
    *SERVING_CHECKS,
    *CLINICAL_CHECKS,
    *QUALITY_CHECKS,
    *EDIT_CHECKS,
)

CHECKS: tuple[str, ...] = (
    "structure",
    "items",
    "planner_foods",
    "diet",
    "allergens",
    "exclude",
    "dislikes",
    "portions",
    "food_max_g",
    "totals",
    "energy_macros",
    "week_totals",
    "nutrient_max",
    "energy_range",
    "amdr",
    "food_groups",
    "shortfalls",
    "slot_items",
    "slot_protein",
    "slot_produce",
    "slot_core",
    "slot_energy_share",
    "food_families",
    "distinct_foods",
    "days_per_food",
    "identical_days",
    "protein_rotation",
    "budget",
    "status",
    *MODULE_CHECKS,
)


class Problem(BaseModel):
    """One rule a plan breaks: which check, where in the plan, and what is wrong."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str
    where: str
    message: str


class VerificationReport(BaseModel):
    """The result of :func:`verify_plan`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ok: bool
    problems: list[Problem]
    checks_run: list[str]
    accepted: list[Problem] = Field(
        [],
        description="soft rules bent on days a person edited (recorded edits), and goals not reached "
        "(targets.weekly_min_g): reported, not failures",
    )

    def problems_by_check(self) -> dict[str, int]:
        """Number of problems per check, for every check run (0 when it passed)."""
        counts = Counter(p.check for p in self.problems)
        return {c: counts.get(c, 0) for c in self.checks_run}


def verify_plan(plan: Plan, foods: FoodTable, tolerance: float = 1e-6) -> VerificationReport:
    """Re-check a plan independently of the model that made it.

    Args:
        plan: The plan to check.
        foods: The food table(s) the plan was made from (every ``food_id`` must be in it).
        tolerance: Relative tolerance for recomputed amounts and limits (plans round amounts to
            6 decimals, energies and percentages to 3; those absolute slacks are added).

    Returns:
        A report: ``ok`` when no problem was found, every problem found, and the checks run.
    """
    return _Verifier(plan, foods, tolerance).run()


# --- implementation -----------------------------------------------------------------------------


class _Verifier(FoodLevelChecks, TotalsChecks):
    def __init__(self, plan: Plan, foods: FoodTable, tol: float) -> None:
        self.plan = plan
        self.table = foods.foods
        self.look = Lookup(foods)
        self.units = foods.units
        self.tol = tol
        self.rules = plan.rules
        self.targets = plan.targets.items
        self.problems: list[Problem] = []
        # Recomputed totals per day index: nutrient -> (amount, unknown items).
        self.day_totals: dict[int, dict[str, tuple[float, int]]] = {}
        self.slot_energy: dict[tuple[int, str], float] = {}

    # helpers -------------------------------------------------------------------------------------

    def add(self, check: str, where: str, message: str) -> None:
        self.problems.append(Problem(check=check, where=where, message=message))

    def close(self, a: float, b: float, abs_tol: float = AMOUNT_ABS) -> bool:
        return abs(a - b) <= self.tol * max(abs(a), abs(b)) + abs_tol

    def above(self, value: float, limit: float) -> bool:
        """``value`` exceeds ``limit`` beyond tolerance."""
        return value > limit + self.tol * max(abs(limit), 1.0) + AMOUNT_ABS

    def below(self, value: float, limit: float) -> bool:
        return value < limit - self.tol * max(abs(limit), 1.0) - AMOUNT_ABS

    def short_of(self, value: float, minimum: float) -> bool:
        """``value`` misses a nutrient minimum, beyond the plan's declared ``met_tolerance``."""
        return self.below(value, minimum * (1 - self.rules.met_tolerance))

    def food(self, food_id: str) -> pd.Series | None:
        return cast(pd.Series, self.table.loc[food_id]) if food_id in self.table.index else None

    def items(self) -> Iterable[tuple[DayPlan, str, PlanItem]]:
        for day in self.plan.days:
            for slot in day.slots:
                for item in slot.items:
                    yield day, slot.name, item

    def food_items(self, slot: SlotPlan) -> list[PlanItem]:
        """The items the food-level rules (portion steps, families, days per food) apply to: a
        pattern's foods or a 1.x plan's, not a dish's ingredients (the dish sets those) or drinks."""
        if slot.meal_kind == "dish":
            return []
        return [i for i in slot.items if i.role != "drink"]

    def value(self, food_id: str, nutrient: str) -> float | None:
        """Per-100 g value, or None when unknown (column missing or NaN)."""
        if food_id not in self.table.index or nutrient not in self.table.columns:
            return None
        return cell_float(self.table.at[food_id, nutrient])

    def nutrients(self) -> list[str]:
        return sorted(set(self.targets) | {"energy", *MACRO_KCAL})

    def run(self) -> VerificationReport:
        self._recompute()
        for check in CHECKS:
            if check not in MODULE_CHECKS:
                getattr(self, f"_check_{check}")()
        plan, look, tol = self.plan, self.look, self.tol
        found = [(p.check, p.where, p.message) for p in self.problems]
        found += meal_problems(plan, self.table) + variety_problems(plan) + drink_problems(plan, look, tol)
        clinical, goals = clinical_problems(plan, look, tol)
        found += serving_problems(plan, look, tol) + clinical + quality_problems(plan, look, tol)
        found += edit_problems(plan, self.table)
        # Recorded edits are trusted (their amounts), a day's stale totals are one problem, the hard
        # rules come first, and soft rules bent on an edited day are reported apart (verify_edits), as
        # are goals not reached.
        found = collapse_stale(drop_trusted(found, plan))
        problems = hard_first([Problem(check=c, where=w, message=m) for c, w, m in found])
        failing, accepted = split_accepted(problems, plan)
        accepted += [Problem(check=c, where=w, message=m) for c, w, m in goals]
        return VerificationReport(ok=not failing, problems=failing, checks_run=list(CHECKS), accepted=accepted)

    def _recompute(self) -> None:
        for day in self.plan.days:
            totals: dict[str, tuple[float, int]] = {}
            for nut in self.nutrients():
                amount, unknown = 0.0, 0
                for slot in day.slots:
                    for item in slot.items:
                        v = self.value(item.food_id, nut)
                        if v is None:
                            unknown += 1
                        else:
                            amount += v * item.grams / 100.0
                totals[nut] = (amount, unknown)
            self.day_totals[day.index] = totals
            for slot in day.slots:
                e = sum((self.value(i.food_id, "energy") or 0.0) * i.grams / 100.0 for i in slot.items)
                self.slot_energy[(day.index, slot.name)] = e

    def energy(self, day: DayPlan) -> float:
        return self.day_totals[day.index]["energy"][0]

    # checks --------------------------------------------------------------------------------------

    def _check_structure(self) -> None:
        p = self.plan
        n = len(p.days)
        if p.schema_version.split(".")[0] not in ("1", SCHEMA_VERSION.split(".")[0]):
            self.add(
                "structure",
                "plan",
                f"schema_version {p.schema_version!r}; this verifier reads {SCHEMA_VERSION!r} and older 1.x plans",
            )
        if p.kind == "day" and n != 1:
            self.add("structure", "plan", f"kind is 'day' but the plan has {n} days")
        if p.kind == "week" and not 2 <= n <= MAX_DAYS:
            self.add(
                "structure", "plan", f"kind is 'week' but the plan has {n} days (a plan of days has 2 to {MAX_DAYS})"
            )
        if p.kind == "week" and p.week_totals is None:
            self.add("structure", "plan", "kind is 'week' but week_totals is missing")
        indices = [d.index for d in p.days]
        if indices != list(range(1, n + 1)):
            self.add("structure", "plan", f"day indices are {indices}; expected 1 to {n} in order")
        rule_slots = [s.name for s in self.rules.slots]
        for day in p.days:
            names = [s.name for s in day.slots]
            if names != rule_slots:
                self.add("structure", _where(day), f"slots are {names}; the rules define {rule_slots}")
        for nut, t in self.targets.items():
            unit = self.units.get(nut)
            if unit is not None and unit != t.unit:
                self.add(
                    "structure",
                    f"target {nut}",
                    f"target unit {t.unit!r} differs from the food table's unit {unit!r}",
                )

    def _check_items(self) -> None:
        sources = set(self.plan.food_sources)
        for day, slot, item in self.items():
            where = _where(day, slot, item)
            food = self.food(item.food_id)
            if food is None:
                self.add("items", where, f"food id {item.food_id!r} is not in the food table")
                continue
            name = str(food.get("name", ""))
            if item.name != name:
                self.add("items", where, f"name {item.name!r} differs from the food table's {name!r}")
            category = str(food.get("category", ""))
            if item.category != category:
                self.add("items", where, f"category {item.category!r} differs from the food table's {category!r}")
            if not item.grams > 0:
                self.add("items", where, f"grams {fmt_exact(item.grams)} must be more than 0")
            if not self.close(item.grams, item.servings * item.serving_g):
                self.add(
                    "items",
                    where,
                    f"grams {fmt_exact(item.grams)} != servings {fmt_exact(item.servings)} x serving_g "
                    f"{fmt_exact(item.serving_g)} = {fmt_exact(item.servings * item.serving_g)}",
                )
            serving_g = food.get("serving_g")
            if serving_g is not None and not pd.isna(serving_g) and not self.close(item.serving_g, float(serving_g)):
                self.add(
                    "items",
                    where,
                    f"serving_g {fmt_exact(item.serving_g)} differs from the food table's {fmt_exact(serving_g)}",
                )
            source = str(food.get("source", ""))
            if sources and source not in sources:
                self.add(
                    "items",
                    where,
                    f"the food's source {source!r} is not in plan.food_sources {sorted(sources)}",
                )

    def _check_planner_foods(self) -> None:
        # Only a 1.x plan's foods: dishes and patterns draw on their own curated lists.
        for day, slot, item in ((d, s.name, i) for d in self.plan.days for s in d.slots if s.meal_kind == "foods"
                                for i in s.items):  # fmt: skip
            food = self.food(item.food_id)
            if food is None or str(food.get("source", "")) != SR24_SOURCE:
                continue
            if not bool(food.get("planner", False)):
                self.add(
                    "planner_foods",
                    _where(day, slot, item),
                    "not in the curated planner set (bundled USDA foods must be planner foods)",
                )

    def _check_diet(self) -> None:
        person = self.rules.diet
        for day, slot, item in self.items():
            food = self.food(item.food_id)
            if food is None:
                continue
            diet = str(food.get("diet", ""))
            if diet not in DIET_LEVEL:
                self.add(
                    "diet",
                    _where(day, slot, item),
                    f"the food's diet tag {diet!r} is unknown, so {person} cannot be checked",
                )
            elif not diet_allows(person, diet):
                self.add("diet", _where(day, slot, item), f"the food is {diet}; the plan's diet is {person}")

    def _check_allergens(self) -> None:
        allergies = {ALLERGEN_SYNONYMS.get(a.lower(), a.lower()) for a in self.rules.allergies}
        if not allergies:
            return
        for day, slot, item in self.items():
            food = self.food(item.food_id)
            if food is None:
                continue
            hit = sorted(allergies.intersection(split_tags(food.get("allergens", ""))))
            if hit:
                self.add(
                    "allergens",
                    _where(day, slot, item),
                    f"contains {', '.join(hit)}: the profile is allergic",
                )

    def _patterns(self, check: str, patterns: list[str], what: str) -> None:
        for day, slot, item in self.items():
            name, category, allergens = item.name, "", ""
            food = self.food(item.food_id)
            if food is not None:
                name = str(food.get("name", name))
                category, allergens = food.get("category", ""), food.get("allergens", "")
            for pattern in patterns:
                if food_matches(pattern, item.food_id, name, category, allergens):
                    self.add(check, _where(day, slot, item), f"matches {what} pattern {pattern!r}")

    def _check_exclude(self) -> None:
        self._patterns("exclude", self.rules.exclude, "exclude")

    def _check_dislikes(self) -> None:
        self._patterns("dislikes", self.rules.dislikes, "dislike")

    def _check_budget(self) -> None:
        budget = self.rules.budget
        p = self.plan
        daily = [sum(i.cost for s in d.slots for i in s.items if i.cost is not None) for d in p.days]
        priced = any(i.cost is not None for _, _, i in self.items())
        if p.cost is not None and priced and not self.close(p.cost, sum(daily) / len(daily), 1e-4):
            self.add(
                "budget",
                "plan",
                f"cost {fmt_exact(p.cost)} differs from the items' daily average {fmt_exact(sum(daily) / len(daily))}",
            )
        if budget is None:
            return
        if p.cost is None:
            self.add("budget", "plan", f"a budget of {fmt_exact(budget)} a day is set but the plan has no cost")
            return
        if self.above(p.cost, budget):
            self.add("budget", "plan", f"cost {fmt_exact(p.cost)} a day is above the budget {fmt_exact(budget)}")
        for day, cost in zip(p.days, daily, strict=True):
            if self.above(cost, budget):
                self.add(
                    "budget",
                    _where(day),
                    f"the items cost {fmt_exact(cost)}, above the budget {fmt_exact(budget)} a day",
                )

    def _check_status(self) -> None:
        s = self.plan.solve
        if s.status not in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT):
            self.add("status", "solve", f"status {s.status.value!r}: a plan exists only for optimal or time_limit")
        if s.gap is not None and not (math.isfinite(s.gap) and s.gap >= 0):
            self.add("status", "solve", f"gap {s.gap!r} must be a number of 0 or more")
        if s.status == SolveStatus.OPTIMAL and s.solver == "highs" and s.gap is None:
            self.add("status", "solve", "status optimal from HiGHS on a MIP but no gap is recorded")
