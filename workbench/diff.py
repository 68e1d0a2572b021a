"""What changed between two plans: meals added, removed, replaced or changed, and the nutrient
deltas against the targets (the newer plan's targets), with the shortfalls each plan has."""

from __future__ import annotations

from typing import Literal, cast

from pydantic import BaseModel, ConfigDict

from mealplan.plan import NutrientTotal, Plan, SlotPlan
from mealplan.triage import DISCLAIMER, RedFlag

# Amounts closer than this (grams) are the same amount: plans round grams to 6 decimals.
SAME_GRAMS = 0.05
# A nutrient's change is worth showing in a table when it moves more than this share of its target.
SHOWN_SHARE = 0.005


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemChange(_Model):
    """One food of a meal: in ``a`` only (``grams_b`` None), in ``b`` only, or at another amount."""

    food_id: str
    name: str
    grams_a: float | None
    grams_b: float | None


class MealChange(_Model):
    """A meal that differs: ``added`` (only in b), ``removed`` (only in a), ``replaced`` (another dish or
    pattern) or ``changed`` (the same meal with other foods or amounts)."""

    day: int
    slot: str
    change: Literal["added", "removed", "replaced", "changed"]
    title_a: str | None
    title_b: str | None
    items: list[ItemChange]


class NutrientDelta(_Model):
    """A nutrient in both plans (the week's daily average for weeks) against the target of plan b."""

    nutrient: str
    name: str
    unit: str
    scope: str
    a: float
    b: float
    delta: float
    min: float | None
    max: float | None
    pct_a: float | None
    pct_b: float | None
    met_a: bool
    met_b: bool
    above_max_a: bool
    above_max_b: bool


class PlanDiff(_Model):
    """The difference between plan ``a`` and plan ``b`` (both named by where they were read from)."""

    red_flags: list[RedFlag]
    disclaimer: str = DISCLAIMER
    a: str
    b: str
    profile_a: str
    profile_b: str
    days_a: int
    days_b: int
    meals_same: int
    meals: list[MealChange]
    nutrients: list[NutrientDelta]
    shortfalls_a: list[str]
    shortfalls_b: list[str]
    resolved: list[str]
    new: list[str]
    edits_b: int

    @property
    def shown_nutrients(self) -> list[NutrientDelta]:
        """The deltas worth a line: a target met or lost, an upper limit crossed, or a visible move."""
        out = []
        for n in self.nutrients:
            scale = n.min or n.max or max(abs(n.a), abs(n.b), 1e-9)
            if n.met_a != n.met_b or n.above_max_a != n.above_max_b or abs(n.delta) > SHOWN_SHARE * scale:
                out.append(n)
        return out


def _meal_key(slot: SlotPlan) -> tuple:
    return (slot.meal_kind, slot.dish_id, slot.pattern_id, slot.title)


def _grams(slot: SlotPlan) -> dict[str, tuple[str, float]]:
    out: dict[str, tuple[str, float]] = {}
    for i in slot.items:
        name, g = out.get(i.food_id, (i.name, 0.0))
        out[i.food_id] = (name, g + i.grams)
    return out


def _items(a: SlotPlan | None, b: SlotPlan | None) -> list[ItemChange]:
    ga = _grams(a) if a else {}
    gb = _grams(b) if b else {}
    out = []
    for fid in [*ga, *(f for f in gb if f not in ga)]:
        x, y = ga.get(fid), gb.get(fid)
        if x is not None and y is not None and abs(x[1] - y[1]) <= SAME_GRAMS:
            continue
        out.append(
            ItemChange(
                food_id=fid,
                name=cast(tuple[str, float], y or x)[0],  # one of the two plans has the food
                grams_a=round(x[1], 1) if x else None,
                grams_b=round(y[1], 1) if y else None,
            )
        )
    return out


def _totals(plan: Plan) -> tuple[dict[str, NutrientTotal], str]:
    if plan.week_totals is not None:
        return plan.week_totals, "week average"
    return plan.days[0].totals, "day 1"


def _short(plan: Plan) -> list[str]:
    return [f"{s.name} ({s.scope})" for s in plan.shortfalls]


def diff_plans(a: Plan, b: Plan, label_a: str = "a", label_b: str = "b") -> PlanDiff:
    """Compare two plans meal by meal (day and slot) and nutrient by nutrient.

    Args:
        a: The older plan (or the one compared against).
        b: The newer plan; its targets are the ones the deltas are read against.
        label_a: How to name ``a`` (a file or ``plan 12``).
        label_b: How to name ``b``.
    """
    meals: list[MealChange] = []
    same = 0
    days_a = {d.index: d for d in a.days}
    days_b = {d.index: d for d in b.days}
    for day in sorted(set(days_a) | set(days_b)):
        slots_a = {s.name: s for s in days_a[day].slots} if day in days_a else {}
        slots_b = {s.name: s for s in days_b[day].slots} if day in days_b else {}
        for name in [*slots_a, *(s for s in slots_b if s not in slots_a)]:
            sa, sb = slots_a.get(name), slots_b.get(name)
            items = _items(sa, sb)
            if sa is None or sb is None:
                change = "added" if sa is None else "removed"
            elif _meal_key(sa) != _meal_key(sb):
                change = "replaced"
            elif items:
                change = "changed"
            else:
                same += 1
                continue
            meals.append(
                MealChange(
                    day=day,
                    slot=name,
                    change=change,
                    title_a=sa.title if sa else None,
                    title_b=sb.title if sb else None,
                    items=items,
                )
            )
    ta, scope = _totals(a)
    tb, _ = _totals(b)
    nutrients = []
    for nut, t in b.targets.items.items():
        if nut not in ta or nut not in tb or (not t.min and t.max is None):
            continue
        x, y = ta[nut].amount, tb[nut].amount
        lo = t.min or None
        tol = 1 - b.rules.met_tolerance
        nutrients.append(
            NutrientDelta(
                nutrient=nut,
                name=t.name,
                unit=t.unit,
                scope=scope,
                a=round(x, 3),
                b=round(y, 3),
                delta=round(y - x, 3),
                min=lo,
                max=t.max,
                pct_a=round(100 * x / lo, 1) if lo else None,
                pct_b=round(100 * y / lo, 1) if lo else None,
                met_a=lo is None or x >= lo * tol,
                met_b=lo is None or y >= lo * tol,
                above_max_a=t.max is not None and x > t.max * (1 + 1e-6),
                above_max_b=t.max is not None and y > t.max * (1 + 1e-6),
            )
        )
    sa_, sb_ = _short(a), _short(b)
    return PlanDiff(
        a=label_a,
        b=label_b,
        profile_a=a.profile_id,
        profile_b=b.profile_id,
        days_a=len(a.days),
        days_b=len(b.days),
        red_flags=list(b.red_flags),
        meals_same=same,
        meals=meals,
        nutrients=nutrients,
        shortfalls_a=sa_,
        shortfalls_b=sb_,
        resolved=[s for s in sa_ if s not in sb_],
        new=[s for s in sb_ if s not in sa_],
        edits_b=len(b.edits),
    )
