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

import json
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from mealplan.errors import InputError
from mealplan.fileio import read_user_text
from mealplan.food_data.matching import food_matches
from mealplan.food_data.table import SR24_SOURCE, FoodTable
from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, DIET_LEVEL, diet_allows, split_tags
from mealplan.optimizer.plan import SCHEMA_VERSION, DayPlan, NutrientTotal, Plan, PlanItem, SlotPlan, SolveStatus
from mealplan.optimizer.verify_foods import FoodLevelChecks, _fmt, _where
from mealplan.optimizer.verify_meals import MEAL_CHECKS, meal_problems

MACRO_KCAL = {"protein": 4.0, "fat": 9.0, "carbohydrate": 4.0}
AMDR_SLACK_POINTS = 0.5  # percent of energy
SHORT_BY_TOLERANCE = 0.01  # a shortfall's short_by within 1 %
# Plans round amounts to 6 decimals and energies and percentages to 3: absolute slack for those.
AMOUNT_ABS, ENERGY_ABS, PCT_ABS = 1e-6, 1e-3, 1e-3

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
    *MEAL_CHECKS,
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


MAX_LISTED = 20  # validation errors listed for a file that is not a Plan


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def load_plan(path: Path | str) -> Plan:
    """Read a saved plan (the JSON written by ``mealplan plan --format json``).

    Raises:
        InputError: naming the file and, for a file that is not a Plan, the JSON path of every
            wrong field (``days[0].slots[1].items[0].grams``).
    """
    path = Path(path)
    raw = read_user_text(path, "plan", allowed="give a plan saved with --format json")
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputError(f"{path}: not a JSON file{where}; give a plan saved with --format json.") from None
    except ValueError as exc:
        raise InputError(f"{path}: {exc}; a saved plan has only finite numbers.") from None
    except RecursionError:
        raise InputError(f"{path}: the JSON is nested too deeply to be a plan.") from None
    if not isinstance(data, dict) or "days" not in data or "kind" not in data:
        raise InputError(
            f"{path}: not a mealplan Plan (a JSON object with kind, days, targets, rules ...); "
            "give a plan saved with `mealplan plan --format json`."
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        listed = [f"{_json_path(e['loc'])}: {e['msg']}" for e in errors[:MAX_LISTED]]
        if len(errors) > MAX_LISTED:
            listed.append(f"... and {len(errors) - MAX_LISTED} more")
        raise InputError(f"{path}: not a valid mealplan Plan (schema {SCHEMA_VERSION}):", listed) from None


def _json_path(loc: tuple[object, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def plan_tables(plan: Plan, foods_paths: Iterable[Path] = (), no_bundled: bool = False) -> tuple[list[Path], bool]:
    """Which food tables to verify a plan against: ``(paths, bundled)``.

    ``plan.food_sources`` names them: ``"USDA SR24"`` is the bundled table, anything else is a
    file path. Paths given here replace the plan's file sources (e.g. after the files moved).

    Raises:
        InputError: a file source of the plan no longer exists and no replacement was given.
    """
    given = [Path(p) for p in foods_paths]
    bundled = SR24_SOURCE in plan.food_sources and not no_bundled
    if given:
        return given, bundled
    paths = [Path(s) for s in plan.food_sources if s != SR24_SOURCE]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(
            "The plan was made with food tables that are not here: "
            + ", ".join(missing)
            + "; give them with --foods FILE."
        )
    return paths, bundled


# --- implementation -----------------------------------------------------------------------------


def _pair(a: float, b: float) -> tuple[str, str]:
    """Two numbers with just enough digits to show that they differ."""
    for digits in range(6, 13):
        x, y = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if x != y:
            return x, y
    return x, y


class _Verifier(FoodLevelChecks):
    def __init__(self, plan: Plan, foods: FoodTable, tol: float) -> None:
        self.plan = plan
        self.table = foods.foods
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
        return self.table.loc[food_id] if food_id in self.table.index else None

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
        v = self.table.at[food_id, nutrient]
        return None if pd.isna(v) else float(v)

    def nutrients(self) -> list[str]:
        return sorted(set(self.targets) | {"energy", *MACRO_KCAL})

    def run(self) -> VerificationReport:
        self._recompute()
        for check in CHECKS:
            if check in MEAL_CHECKS:
                continue
            getattr(self, f"_check_{check}")()
        for check, where, message in meal_problems(self.plan, self.table):
            self.add(check, where, message)
        return VerificationReport(ok=not self.problems, problems=self.problems, checks_run=list(CHECKS))

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
        if p.kind == "week" and not 2 <= n <= 7:
            self.add("structure", "plan", f"kind is 'week' but the plan has {n} days (a week has 2 to 7)")
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
                self.add("items", where, f"grams {_fmt(item.grams)} must be more than 0")
            if not self.close(item.grams, item.servings * item.serving_g):
                self.add(
                    "items",
                    where,
                    f"grams {_fmt(item.grams)} != servings {_fmt(item.servings)} x serving_g "
                    f"{_fmt(item.serving_g)} = {_fmt(item.servings * item.serving_g)}",
                )
            serving_g = food.get("serving_g")
            if serving_g is not None and not pd.isna(serving_g) and not self.close(item.serving_g, float(serving_g)):
                self.add(
                    "items",
                    where,
                    f"serving_g {_fmt(item.serving_g)} differs from the food table's {_fmt(serving_g)}",
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
            name = item.name
            food = self.food(item.food_id)
            if food is not None:
                name = str(food.get("name", name))
            for pattern in patterns:
                if food_matches(pattern, item.food_id, name):
                    self.add(check, _where(day, slot, item), f"matches {what} pattern {pattern!r}")

    def _check_exclude(self) -> None:
        self._patterns("exclude", self.rules.exclude, "exclude")

    def _check_dislikes(self) -> None:
        self._patterns("dislikes", self.rules.dislikes, "dislike")

    def _compare_total(
        self, check: str, where: str, nut: str, given: NutrientTotal, amount: float, unknown: int
    ) -> None:
        if not self.close(given.amount, amount):
            said, got = _pair(given.amount, amount)
            self.add(check, where, f"{nut}: the plan says {said} {given.unit}; the food table gives {got}")
        if given.unknown_items != unknown:
            self.add(
                check,
                where,
                f"{nut}: unknown_items is {given.unknown_items}, but {unknown} item(s) have no {nut} value",
            )
        t = self.targets.get(nut)
        lo = t.min if t is not None and t.min else None
        hi = t.max if t is not None else None
        if (given.min is None) != (lo is None) or (lo is not None and not self.close(given.min, lo)):
            self.add(check, where, f"{nut}: min {given.min} differs from the target's {lo}")
        if (given.max is None) != (hi is None) or (hi is not None and not self.close(given.max, hi)):
            self.add(check, where, f"{nut}: max {given.max} differs from the target's {hi}")
        if lo is not None:
            met = not self.short_of(amount, lo)
            if given.met != met and not self.close(amount, lo, abs_tol=AMOUNT_ABS + self.tol * abs(lo)):
                self.add(check, where, f"{nut}: met is {given.met} but {_fmt(amount)} vs min {_fmt(lo)}")
            if given.pct_of_min is not None and not self.close(given.pct_of_min, 100.0 * amount / lo, PCT_ABS):
                self.add(
                    check,
                    where,
                    "{}: pct_of_min {} should be {}".format(nut, *_pair(given.pct_of_min, 100 * amount / lo)),
                )
        elif not given.met:
            self.add(check, where, f"{nut}: met is False but there is no minimum")

    def _check_totals(self) -> None:
        for day in self.plan.days:
            for nut in self.nutrients():
                if nut not in day.totals:
                    self.add("totals", _where(day), f"no total for {nut}")
            for nut, given in day.totals.items():
                if given.nutrient != nut:
                    self.add("totals", _where(day), f"total under {nut!r} is labelled {given.nutrient!r}")
                amount, unknown = self.day_totals[day.index].get(nut) or self._recompute_one(day, nut)
                self._compare_total("totals", _where(day), nut, given, amount, unknown)

    def _recompute_one(self, day: DayPlan, nut: str) -> tuple[float, int]:
        amount, unknown = 0.0, 0
        for slot in day.slots:
            for item in slot.items:
                v = self.value(item.food_id, nut)
                unknown += v is None
                amount += 0.0 if v is None else v * item.grams / 100.0
        self.day_totals[day.index][nut] = (amount, unknown)
        return amount, unknown

    def _check_energy_macros(self) -> None:
        for day in self.plan.days:
            energy = self.energy(day)
            if not self.close(day.energy_kcal, energy, ENERGY_ABS):
                self.add(
                    "energy_macros",
                    _where(day),
                    "energy_kcal {} differs from the recomputed {} kcal".format(*_pair(day.energy_kcal, energy)),
                )
            for slot in day.slots:
                e = self.slot_energy[(day.index, slot.name)]
                if not self.close(slot.energy_kcal, e, ENERGY_ABS):
                    self.add(
                        "energy_macros",
                        _where(day, slot.name),
                        "energy_kcal {} differs from the recomputed {} kcal".format(*_pair(slot.energy_kcal, e)),
                    )
            for macro, kcal in MACRO_KCAL.items():
                pct = 100.0 * self.day_totals[day.index][macro][0] * kcal / energy if energy else 0.0
                given = day.macros_pct.get(macro)
                if given is None:
                    self.add("energy_macros", _where(day), f"macros_pct has no {macro}")
                elif not self.close(given, pct, PCT_ABS):
                    self.add(
                        "energy_macros",
                        _where(day),
                        "macros_pct[{}] {} should be {}".format(macro, *_pair(given, pct)),
                    )

    def _week_recomputed(self) -> dict[str, tuple[float, int]]:
        n = len(self.plan.days)
        out: dict[str, tuple[float, int]] = {}
        for nut in self.nutrients():
            vals = [self.day_totals[d.index][nut] for d in self.plan.days]
            out[nut] = (sum(a for a, _ in vals) / n if n else 0.0, sum(u for _, u in vals))
        return out

    def _check_week_totals(self) -> None:
        if self.plan.week_totals is None:
            return
        week = self._week_recomputed()
        for nut in self.nutrients():
            if nut not in self.plan.week_totals:
                self.add("week_totals", "week", f"no week total for {nut}")
        for nut, given in self.plan.week_totals.items():
            if nut not in week:
                continue
            amount, unknown = week[nut]
            self._compare_total("week_totals", "week average", nut, given, amount, unknown)

    def _check_nutrient_max(self) -> None:
        for day in self.plan.days:
            for nut, t in sorted(self.targets.items()):
                if t.max is None:
                    continue
                amount = self.day_totals[day.index].get(nut, (0.0, 0))[0]
                if self.above(amount, t.max):
                    weekly = (
                        " (a weekly nutrient's maximum holds every day)" if nut in self.rules.weekly_nutrients else ""
                    )
                    self.add(
                        "nutrient_max",
                        _where(day),
                        f"{nut} {_fmt(amount)} {t.unit} is above the maximum {_fmt(t.max)} {t.unit} "
                        f"({t.max_source}){weekly}",
                    )

    def _check_energy_range(self) -> None:
        lo, hi = self.rules.energy_min, self.rules.energy_max
        for day in self.plan.days:
            e = self.energy(day)
            if self.below(e, lo) or self.above(e, hi):
                self.add(
                    "energy_range",
                    _where(day),
                    f"energy {_fmt(e)} kcal is outside {_fmt(lo)}-{_fmt(hi)} kcal",
                )

    def _check_amdr(self) -> None:
        for day in self.plan.days:
            energy = self.energy(day)
            if energy <= 0:
                continue
            for macro, (lo, hi) in sorted(self.rules.amdr.items()):
                if macro not in MACRO_KCAL:
                    continue
                pct = 100.0 * self.day_totals[day.index][macro][0] * MACRO_KCAL[macro] / energy
                if pct < lo - AMDR_SLACK_POINTS or pct > hi + AMDR_SLACK_POINTS:
                    self.add(
                        "amdr",
                        _where(day),
                        f"{macro} gives {pct:.1f} % of energy, outside {lo:g}-{hi:g} % (AMDR)",
                    )

    def _check_food_groups(self) -> None:
        for day in self.plan.days:
            grams: dict[str, float] = {}
            for slot in day.slots:
                for item in slot.items:
                    food = self.food(item.food_id)
                    cat = str(food.get("category", "")) if food is not None else item.category
                    grams[cat] = grams.get(cat, 0.0) + item.grams
            for cat, limit in sorted(self.rules.group_max_g.items()):
                if self.above(grams.get(cat, 0.0), limit):
                    self.add(
                        "food_groups",
                        _where(day),
                        f"{cat}: {_fmt(grams[cat])} g is above the daily maximum {_fmt(limit)} g",
                    )
            for cat, limit in sorted(self.rules.group_min_g.items()):
                if self.below(grams.get(cat, 0.0), limit):
                    self.add(
                        "food_groups",
                        _where(day),
                        f"{cat}: {_fmt(grams.get(cat, 0.0))} g is below the daily minimum {_fmt(limit)} g",
                    )

    def _check_shortfalls(self) -> None:
        weekly = set(self.rules.weekly_nutrients) if self.plan.kind == "week" else set()
        week = self._week_recomputed() if weekly else {}
        expected: dict[tuple[str, str], tuple[float, float]] = {}  # (nutrient, scope) -> (target, achieved)
        met: set[tuple[str, str]] = set()
        for nut, t in sorted(self.targets.items()):
            if not t.min:
                continue
            if nut in weekly:
                scopes = [("week average", week[nut][0])]
            else:
                scopes = [(f"day {d.index}", self.day_totals[d.index][nut][0]) for d in self.plan.days]
            for scope, amount in scopes:
                if self.short_of(amount, t.min):
                    expected[(nut, scope)] = (t.min, amount)
                else:
                    met.add((nut, scope))
        listed: dict[tuple[str, str], int] = {}
        for s in self.plan.shortfalls:
            key = (s.nutrient, s.scope)
            listed[key] = listed.get(key, 0) + 1
            where = f"shortfall {s.nutrient} ({s.scope})"
            if listed[key] == 2:
                self.add("shortfalls", where, "listed more than once")
            if key in met:
                self.add("shortfalls", where, f"listed, but the {s.scope} total meets the minimum")
                continue
            if key not in expected:
                self.add("shortfalls", where, "no such target minimum for this scope")
                continue
            target, achieved = expected[key]
            short = target - achieved
            if not self.close(s.target, target):
                self.add("shortfalls", where, f"target {_fmt(s.target)} differs from the minimum {_fmt(target)}")
            if abs(s.short_by - short) > SHORT_BY_TOLERANCE * short + AMOUNT_ABS:
                self.add(
                    "shortfalls",
                    where,
                    f"short_by {_fmt(s.short_by)} {s.unit} should be {_fmt(short)} (minimum {_fmt(target)}, "
                    f"achieved {_fmt(achieved)})",
                )
        for (nut, scope), (target, achieved) in expected.items():
            if (nut, scope) not in listed:
                unit = self.targets[nut].unit
                self.add(
                    "shortfalls",
                    f"{nut} ({scope})",
                    f"{_fmt(achieved)} {unit} is below the minimum {_fmt(target)} {unit} "
                    "but the plan lists no shortfall",
                )

    def _check_budget(self) -> None:
        budget = self.rules.budget
        p = self.plan
        daily = [sum(i.cost for s in d.slots for i in s.items if i.cost is not None) for d in p.days]
        priced = any(i.cost is not None for _, _, i in self.items())
        if p.cost is not None and priced and not self.close(p.cost, sum(daily) / len(daily), 1e-4):
            self.add(
                "budget",
                "plan",
                f"cost {_fmt(p.cost)} differs from the items' daily average {_fmt(sum(daily) / len(daily))}",
            )
        if budget is None:
            return
        if p.cost is None:
            self.add("budget", "plan", f"a budget of {_fmt(budget)} a day is set but the plan has no cost")
            return
        if self.above(p.cost, budget):
            self.add("budget", "plan", f"cost {_fmt(p.cost)} a day is above the budget {_fmt(budget)}")
        for day, cost in zip(p.days, daily, strict=True):
            if self.above(cost, budget):
                self.add(
                    "budget",
                    _where(day),
                    f"the items cost {_fmt(cost)}, above the budget {_fmt(budget)} a day",
                )

    def _check_status(self) -> None:
        s = self.plan.solve
        if s.status not in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT):
            self.add("status", "solve", f"status {s.status.value!r}: a plan exists only for optimal or time_limit")
        if s.gap is not None and not (math.isfinite(s.gap) and s.gap >= 0):
            self.add("status", "solve", f"gap {s.gap!r} must be a number of 0 or more")
        if s.status == SolveStatus.OPTIMAL and s.solver == "highs" and s.gap is None:
            self.add("status", "solve", "status optimal from HiGHS on a MIP but no gap is recorded")
