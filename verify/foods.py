"""The verifier's checks of meal structure and variety over foods: portions on the quarter-serving
grid, a food's daily maximum, items per meal, a meal's protein, produce and core, food families,
distinct foods, days per food, identical days and protein rotation.

Most of them judge 1.x plans (meals as lists of foods); on a 2.0 plan they look only at a pattern
meal's foods (``food_items``), since a dish sets its own ingredients and the meal checks
(:mod:`verify.meals`) judge the dish. ``FoodLevelChecks`` is a mixin of the verifier in
:mod:`verify.verifier`, whose helpers (``add``, ``food``, ``food_items``, ``rules``, ...) it uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from mealplan.food_data.everyday import variety_name
from mealplan.food_data.vocab import MAIN_MEALS, family, slot_kind
from mealplan.numbers import fmt_exact
from mealplan.plan import DayPlan, Plan, PlanItem, PlanRules, SlotPlan, SlotRule, week_blocks
from mealplan.targets.model import Target

if TYPE_CHECKING:
    from mealplan.verify.lookup import Lookup

SHARE_SLACK = 0.01  # slot energy share: one percentage point
STEP_TOLERANCE = 1e-6  # servings on the portion grid


def _where(day: DayPlan | None = None, slot: str | None = None, item: PlanItem | None = None) -> str:
    parts = []
    if day is not None:
        parts.append(f"day {day.index}")
    if slot is not None:
        parts.append(slot)
    if item is not None:
        parts.append(f"{item.food_id} ({item.name})")
    return ", ".join(parts) or "plan"


class VerifierState:
    """What the check mixins read from the verifier: :class:`verify.verifier._Verifier` sets these
    attributes and defines these helpers (declared here so that each mixin is type-checked)."""

    plan: Plan
    table: pd.DataFrame
    look: Lookup
    units: dict[str, str]
    tol: float
    rules: PlanRules
    targets: dict[str, Target]
    day_totals: dict[int, dict[str, tuple[float, int]]]
    slot_energy: dict[tuple[int, str], float]

    if TYPE_CHECKING:

        def add(self, check: str, where: str, message: str) -> None: ...
        def close(self, a: float, b: float, abs_tol: float = ...) -> bool: ...
        def above(self, value: float, limit: float) -> bool: ...
        def below(self, value: float, limit: float) -> bool: ...
        def short_of(self, value: float, minimum: float) -> bool: ...
        def food(self, food_id: str) -> pd.Series | None: ...
        def food_items(self, slot: SlotPlan) -> list[PlanItem]: ...
        def value(self, food_id: str, nutrient: str) -> float | None: ...
        def nutrients(self) -> list[str]: ...
        def energy(self, day: DayPlan) -> float: ...


class FoodLevelChecks(VerifierState):
    """Checks of portions, meal structure and variety over a plan's foods (see the module doc)."""

    def _check_portions(self) -> None:
        lo, step = self.rules.min_portion_servings, self.rules.portion_step_servings
        meal_kinds = {(d.index, s.name): s.meal_kind for d in self.plan.days for s in d.slots}
        for day, slot, item in ((d, s.name, i) for d in self.plan.days for s in d.slots for i in self.food_items(s)):
            where = _where(day, slot, item)
            # A 1.x plan's portions only: dishes and patterns take grams within their own ranges (data).
            if meal_kinds[(day.index, slot)] != "foods":
                continue
            if item.servings < lo - STEP_TOLERANCE:
                self.add(
                    "portions",
                    where,
                    f"{fmt_exact(item.servings)} servings is below the minimum portion {fmt_exact(lo)}",
                )
            if step > 0:
                k = item.servings / step
                if abs(k - round(k)) > STEP_TOLERANCE:
                    self.add(
                        "portions",
                        where,
                        f"{fmt_exact(item.servings)} servings is not a multiple of the portion step {fmt_exact(step)}",
                    )

    def _check_food_max_g(self) -> None:
        for day in self.plan.days:
            grams: dict[str, float] = {}
            for slot in day.slots:
                for item in self.food_items(slot):
                    grams[item.food_id] = grams.get(item.food_id, 0.0) + item.grams
            for fid, g in grams.items():
                food = self.food(fid)
                if food is None or "max_g" not in food.index or pd.isna(food["max_g"]):
                    continue
                if self.above(g, float(food["max_g"])):
                    self.add(
                        "food_max_g",
                        f"day {day.index}, {fid} ({food.get('name', '')})",
                        f"{fmt_exact(g)} g in the day is above the food's maximum {fmt_exact(float(food['max_g']))} g",
                    )

    def _rule_slots(self) -> Iterable[tuple[DayPlan, SlotRule, list[PlanItem]]]:
        """Meals of 1.x plans (lists of foods) with their slot rules; a 2.0 meal is a dish or a
        pattern, checked by the meal checks (``verify_meals``) instead."""
        for day in self.plan.days:
            by_name = {s.name: s for s in day.slots}
            for rule in self.rules.slots:
                slot = by_name.get(rule.name)
                if slot is None or slot.meal_kind == "foods":
                    yield day, rule, slot.items if slot is not None else []

    def _main_items(self, items: list[PlanItem]) -> list[PlanItem]:
        """Items that are not accompaniments (drinks, fats, condiments, sweets)."""
        side = set(self.rules.side_categories)
        return [i for i in items if self._category(i) not in side]

    def _check_slot_items(self) -> None:
        for day, rule, items in self._rule_slots():
            n, mains = len(items), len(self._main_items(items))
            if mains < rule.min_items or n > rule.max_items:
                self.add(
                    "slot_items",
                    _where(day, rule.name),
                    f"{n} items ({mains} besides accompaniments); the slot takes at least {rule.min_items} "
                    f"besides accompaniments and at most {rule.max_items} in all",
                )

    def _check_slot_core(self) -> None:
        for day, rule, items in self._rule_slots():
            core = set(rule.needs_one_of)
            if core and not any(self._category(i) in core for i in items):
                self.add("slot_core", _where(day, rule.name), f"no item from: {', '.join(rule.needs_one_of)}")

    def _check_food_families(self) -> None:
        if not self.rules.one_per_family:
            return
        for day in self.plan.days:
            seen: dict[str, str] = {}
            for i in (i for s in day.slots for i in self.food_items(s)):
                fam = family(i.name)
                if fam in seen and seen[fam] != i.food_id:
                    self.add("food_families", _where(day), f"{i.food_id} and {seen[fam]} are both '{fam}'")
                seen.setdefault(fam, i.food_id)

    def _category(self, item: PlanItem) -> str:
        food = self.food(item.food_id)
        return str(food.get("category", "")) if food is not None else item.category

    def _check_slot_protein(self) -> None:
        cats = set(self.rules.protein_categories)
        limit = self.rules.max_protein_items_per_meal
        for day, rule, items in self._rule_slots():
            n = sum(self._category(i) in cats for i in items)
            if rule.needs_protein and n == 0:
                self.add(
                    "slot_protein",
                    _where(day, rule.name),
                    f"no protein food (one of: {', '.join(self.rules.protein_categories)})",
                )
            if limit is not None and n > limit:
                self.add("slot_protein", _where(day, rule.name), f"{n} protein foods; a meal takes at most {limit}")

    def _check_slot_produce(self) -> None:
        cats = set(self.rules.produce_categories)
        for day, rule, items in self._rule_slots():
            if rule.needs_produce and not any(self._category(i) in cats for i in items):
                self.add(
                    "slot_produce",
                    _where(day, rule.name),
                    f"no vegetable or fruit (one of: {', '.join(self.rules.produce_categories)})",
                )

    def _check_slot_energy_share(self) -> None:
        for day, rule, _ in self._rule_slots():
            energy = self.energy(day)
            if energy <= 0:
                continue
            share = self.slot_energy.get((day.index, rule.name), 0.0) / energy
            lo, hi = rule.energy_share
            if share < lo - SHARE_SLACK or share > hi + SHARE_SLACK:
                self.add(
                    "slot_energy_share",
                    _where(day, rule.name),
                    f"gives {share:.1%} of the day's energy, outside {lo:.0%}-{hi:.0%}",
                )

    def _check_distinct_foods(self) -> None:
        need = self.rules.min_distinct_foods_per_day
        if self.rules.meal_rules is not None:
            return  # 2.0 plans: dishes and patterns set a meal's foods (a 1.x plan's rule)
        for day in self.plan.days:
            n = len({i.food_id for s in day.slots for i in self._main_items(s.items)})
            if n < need:
                self.add("distinct_foods", _where(day), f"{n} different foods; at least {need} are required")

    def _variety_foods(self, day: DayPlan) -> dict[str, set[str]]:
        """The foods of a day the days-per-food rule counts, each with its food ids: a pattern meal's foods
        by id (plans before 2.1), or with ``food_days_cover_dishes`` every food, dish ingredients and
        drinks too, as ``everyday.variety_name`` counts them (every tofu is tofu; else the product a shopper
        buys: fried and hard-boiled eggs are one food, raw and cooked spinach too), but water and the
        everyday foods (``food_data/data/everyday_foods.yaml``)."""
        rules = self.rules.meal_rules
        out: dict[str, set[str]] = {}
        if rules is not None and rules.food_days_cover_dishes:
            exempt = self.look.everyday
            for item in (i for s in day.slots for i in s.items if i.food_id not in exempt):
                out.setdefault(variety_name(self.look.name(item)), set()).add(item.food_id)
            return out
        return {i.food_id: {i.food_id} for s in day.slots for i in self.food_items(s)}

    def _check_days_per_food(self) -> None:
        days: dict[str, list[int]] = {}
        ids: dict[str, set[str]] = {}
        relaxed = set(self.rules.variety_relaxed_days)  # said in the plan's notes
        for day in self.plan.days:
            if day.index in relaxed:
                continue
            for key, foods in sorted(self._variety_foods(day).items()):
                days.setdefault(key, []).append(day.index)
                ids.setdefault(key, set()).update(foods)
        limit = self.rules.max_days_per_food
        weeks = week_blocks([d.index for d in self.plan.days])
        for key, on in days.items():
            where = key if ids[key] == {key} else f"{key} ({', '.join(sorted(ids[key]))})"  # a short name: its ids
            for week in weeks:  # the limit holds in each week of a longer plan
                in_week = [i for i in on if i in week]
                if len(in_week) > limit:
                    self.add(
                        "days_per_food", where, f"on {len(in_week)} days (days {in_week}); at most {limit} are allowed"
                    )

    def _check_identical_days(self) -> None:
        seen: dict[frozenset[tuple[str, str]], int] = {}
        if any(s.meal_kind != "foods" for d in self.plan.days for s in d.slots):
            return  # 2.0 plans: dish variety is its own check (breakfasts may repeat)
        for day in self.plan.days:
            key = frozenset((i.food_id, s.name) for s in day.slots for i in s.items)
            if key in seen:
                self.add("identical_days", _where(day), f"the same foods in the same slots as day {seen[key]}")
            else:
                seen[key] = day.index

    def _check_protein_rotation(self) -> None:
        cats = set(self.rules.protein_categories)

        def main_protein(day: DayPlan) -> set[str]:
            return {
                i.food_id
                for s in day.slots
                if slot_kind(s.name) in MAIN_MEALS
                for i in self.food_items(s)
                if self._category(i) in cats and i.role in ("", "protein")
            }

        days = self.plan.days
        for prev, day in zip(days, days[1:], strict=False):
            if day.index in self.rules.variety_relaxed_days:
                continue
            for fid in sorted(main_protein(prev) & main_protein(day)):
                self.add(
                    "protein_rotation",
                    f"day {day.index}, {fid}",
                    f"protein food {fid} is at a main meal on day {prev.index} and again on day {day.index}",
                )
