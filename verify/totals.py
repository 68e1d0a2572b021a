"""The verifier's checks of numbers: every day's and the week's totals recomputed from the food
table, energy and macros, nutrient maxima, the energy range, the AMDR, food-group limits, the listed
shortfalls and the budget inputs they rest on.

``TotalsChecks`` is a mixin of the verifier in :mod:`verify.verifier`, whose recomputed totals
(``day_totals``, ``slot_energy``) and helpers (``add``, ``close``, ``above``, ``targets``, ``rules``)
it uses.
"""

from __future__ import annotations

from mealplan.numbers import fmt_exact
from mealplan.plan import DayPlan, NutrientTotal, week_blocks, week_scope
from mealplan.verify.drinks import WATER
from mealplan.verify.foods import VerifierState, _where

MACRO_KCAL = {"protein": 4.0, "fat": 9.0, "carbohydrate": 4.0}
AMDR_SLACK_POINTS = 0.5  # percent of energy
SHORT_BY_TOLERANCE = 0.01  # a shortfall's short_by within 1 %
# Plans round amounts to 6 decimals and energies and percentages to 3: absolute slack for those.
AMOUNT_ABS, ENERGY_ABS, PCT_ABS = 1e-6, 1e-3, 1e-3


def _pair(a: float, b: float) -> tuple[str, str]:
    """Two numbers with just enough digits to show that they differ."""
    for digits in range(6, 13):
        x, y = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if x != y:
            return x, y
    return x, y


class TotalsChecks(VerifierState):
    """Checks of a plan's numbers against the recomputed totals (a mixin of the verifier)."""

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
        if (given.min is None) != (lo is None) or (
            lo is not None and given.min is not None and not self.close(given.min, lo)
        ):
            self.add(check, where, f"{nut}: min {given.min} differs from the target's {lo}")
        if (given.max is None) != (hi is None) or (
            hi is not None and given.max is not None and not self.close(given.max, hi)
        ):
            self.add(check, where, f"{nut}: max {given.max} differs from the target's {hi}")
        if lo is not None:
            met = not self.short_of(amount, lo)
            edge = lo * (1 - self.rules.met_tolerance)  # (an amount at the edge may be read either way)
            if given.met != met and not self.close(amount, edge, abs_tol=AMOUNT_ABS + self.tol * abs(lo)):
                self.add(check, where, f"{nut}: met is {given.met} but {fmt_exact(amount)} vs min {fmt_exact(lo)}")
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
                        f"{nut} {fmt_exact(amount)} {t.unit} is above the maximum {fmt_exact(t.max)} {t.unit} "
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
                    f"energy {fmt_exact(e)} kcal is outside {fmt_exact(lo)}-{fmt_exact(hi)} kcal",
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
                    name = str(food.get("name", "")) if food is not None else item.name
                    if item.role == "drink" and WATER.search(name):
                        continue  # water to drink is no beverage to cap (a fluid limit is its own rule)
                    cat = str(food.get("category", "")) if food is not None else item.category
                    grams[cat] = grams.get(cat, 0.0) + item.grams
            for cat, limit in sorted(self.rules.group_max_g.items()):
                if self.above(grams.get(cat, 0.0), limit):
                    self.add(
                        "food_groups",
                        _where(day),
                        f"{cat}: {fmt_exact(grams[cat])} g is above the daily maximum {fmt_exact(limit)} g",
                    )
            for cat, limit in sorted(self.rules.group_min_g.items()):
                if self.below(grams.get(cat, 0.0), limit):
                    self.add(
                        "food_groups",
                        _where(day),
                        f"{cat}: {fmt_exact(grams.get(cat, 0.0))} g is below the daily minimum {fmt_exact(limit)} g",
                    )

    def _check_shortfalls(self) -> None:
        weekly = set(self.rules.weekly_nutrients) if self.plan.kind == "week" else set()
        week = self._week_recomputed() if weekly else {}
        expected: dict[tuple[str, str], tuple[float, float]] = {}  # (nutrient, scope) -> (target, achieved)
        met: dict[tuple[str, str], tuple[float, float]] = {}  # (nutrient, scope) -> (target, achieved)
        for nut, t in sorted(self.targets.items()):
            if not t.min:
                continue
            if nut in weekly:
                weeks = week_blocks([d.index for d in self.plan.days])
                scopes = [
                    (week_scope(k, len(weeks)), week[nut][0] if len(weeks) == 1 else
                     sum(self.day_totals[i][nut][0] for i in days) / len(days))
                    for k, days in enumerate(weeks, start=1)
                ]  # fmt: skip
            else:
                scopes = [(f"day {d.index}", self.day_totals[d.index][nut][0]) for d in self.plan.days]
            for scope, amount in scopes:
                if self.short_of(amount, t.min):
                    expected[(nut, scope)] = (t.min, amount)
                else:
                    met[(nut, scope)] = (t.min, amount)
        listed: dict[tuple[str, str], int] = {}
        for s in self.plan.shortfalls:
            key = (s.nutrient, s.scope)
            listed[key] = listed.get(key, 0) + 1
            where = f"shortfall {s.nutrient} ({s.scope})"
            if listed[key] == 2:
                self.add("shortfalls", where, "listed more than once")
            if key in met:
                target, achieved = met[key]  # (an amount at the edge of the met tolerance may be read either way)
                edge = target * (1 - self.rules.met_tolerance)
                if not self.close(achieved, edge, abs_tol=AMOUNT_ABS + self.tol * abs(target)):
                    self.add("shortfalls", where, f"listed, but the {s.scope} total meets the minimum")
                continue
            if key not in expected:
                self.add("shortfalls", where, "no such target minimum for this scope")
                continue
            target, achieved = expected[key]
            short = target - achieved
            if not self.close(s.target, target):
                self.add(
                    "shortfalls", where, f"target {fmt_exact(s.target)} differs from the minimum {fmt_exact(target)}"
                )
            if abs(s.short_by - short) > SHORT_BY_TOLERANCE * short + AMOUNT_ABS:
                self.add(
                    "shortfalls",
                    where,
                    f"short_by {fmt_exact(s.short_by)} {s.unit} should be {fmt_exact(short)} "
                    f"(minimum {fmt_exact(target)}, achieved {fmt_exact(achieved)})",
                )
        for (nut, scope), (target, achieved) in expected.items():
            if (nut, scope) not in listed:
                unit = self.targets[nut].unit
                self.add(
                    "shortfalls",
                    f"{nut} ({scope})",
                    f"{fmt_exact(achieved)} {unit} is below the minimum {fmt_exact(target)} {unit} "
                    "but the plan lists no shortfall",
                )
