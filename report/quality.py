"""Food groups and diet quality as a person's report shows them (plans of schema 2.1).

``quality_view(plan, foods)`` reads what the plan records (each day's ``food_groups``, the week's
``week_food_groups``, ``diet_quality``) and lays it out for every renderer: one row a day and one for
the week's daily average against the daily amounts of the person's USDA Food Pattern
(``rules.food_groups``), with the whole-grain and whole-fruit shares, juice, and added sugars and
saturated fat as a share of energy; and the HEI-2020 total and components, with the components that
lost points in words a dietitian reads ("whole grains 6.2 of 10"). A plan before 2.1 records none of
it: the view is None and the reports leave the section out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mealplan.food_data.food_group_rules import load_rules
from mealplan.food_data.food_patterns import load_food_patterns
from mealplan.food_data.hei import STANDARDS
from mealplan.numbers import cell_float
from mealplan.report.meals import day_number

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.plan import DayPlan, Plan

KCAL_PER_G_SUGAR, KCAL_PER_G_FAT = 4.0, 9.0
# Rows of the pattern book shown as shares instead when the plan aims at no pattern (whole grains at
# least half of grains); a pattern's own daily rows are shown as it gives them.
SHARE_ROWS = ("whole_grains", "refined_grains")
LOST = 0.05  # points: a component below its maximum by more than this lost points


@dataclass(frozen=True)
class GroupColumn:
    """A pattern row of the table: "Vegetables", its unit and the pattern's amount a day ("2.5", or "")."""

    id: str
    name: str
    unit: str
    goal: str


@dataclass(frozen=True)
class GroupRow:
    """One day (or the week's daily average): the amount of each column, and the shares."""

    label: str
    amounts: list[str]
    short: list[bool]  # below the pattern's amount a day
    whole_grains: str
    whole_fruit: str
    juice: str
    added_sugars: str
    saturated_fat: str
    over: list[bool]  # added sugars, saturated fat: at or above the limit
    week: bool = False


@dataclass(frozen=True)
class HeiRow:
    """One HEI-2020 component: its points in each scope against its maximum."""

    id: str
    name: str
    max_points: str
    points: list[str]
    lost: list[bool]


@dataclass(frozen=True)
class QualityView:
    """The food groups and the diet quality of a plan, ready to lay out."""

    pattern: str
    columns: list[GroupColumn]
    rows: list[GroupRow]
    aims: str
    share_goals: list[str]  # whole grains, whole fruit, juice, added sugars, saturated fat: the pattern's aims
    scopes: list[str]
    totals: list[str]
    components: list[HeiRow]
    lost: list[str]  # a sentence per scope: "whole grains 6.2 of 10, dairy 3.5 of 10"


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole > 0 else "–"


def _words(name: str) -> str:
    """An HEI component's name as a sentence says it: "Whole Grains" -> "whole grains"."""
    return name.lower()


def _saturated_fat(day: DayPlan, foods: FoodTable | None) -> float | None:
    """Grams of saturated fat on a day: its total when the plan records one, else from the food table."""
    if "saturated_fat" in day.totals:
        return day.totals["saturated_fat"].amount
    if foods is None or "saturated_fat" not in foods.foods.columns:
        return None
    table = foods.foods
    grams = 0.0
    for slot in day.slots:
        for item in slot.items:
            if item.food_id in table.index:
                v = cell_float(table.at[item.food_id, "saturated_fat"])
                grams += 0.0 if v is None else v * item.grams / 100.0
    return grams


Column = tuple[GroupColumn, dict[str, float], float | None]  # a column, the components it sums, its amount a day


def _row(label: str, groups: Mapping[str, float], kcal: float, sat_fat: float | None, plan: Plan,
         columns: list[Column], week: bool = False) -> GroupRow:  # fmt: skip
    amounts = [sum(groups.get(c, 0.0) * f for c, f in sources.items()) for _, sources, _ in columns]
    grains = groups.get("grain_whole", 0.0) + groups.get("grain_refined", 0.0)
    fruit = groups.get("fruit_whole", 0.0) + groups.get("fruit_juice", 0.0)
    g_per_tsp = load_rules().constants["added_sugar_g_per_tsp"]
    sugars = 100 * groups.get("added_sugars", 0.0) * g_per_tsp * KCAL_PER_G_SUGAR / kcal if kcal > 0 else None
    sat = 100 * sat_fat * KCAL_PER_G_FAT / kcal if sat_fat is not None and kcal > 0 else None
    aims = plan.rules.food_groups
    limits = (aims.added_sugars_pct_max, aims.saturated_fat_pct_max) if aims is not None else (10.0, 10.0)
    return GroupRow(
        label=label,
        amounts=[f"{a:.1f}" for a in amounts],
        short=[goal is not None and a < goal - 0.05 for a, (_, _, goal) in zip(amounts, columns, strict=True)],
        whole_grains=_pct(groups.get("grain_whole", 0.0), grains),
        whole_fruit=_pct(groups.get("fruit_whole", 0.0), fruit),
        juice=f"{groups.get('fruit_juice', 0.0):.2f}",
        added_sugars="–" if sugars is None else f"{sugars:.1f}%",
        saturated_fat="–" if sat is None else f"{sat:.1f}%",
        over=[v is not None and v >= lim for v, lim in zip((sugars, sat), limits, strict=True)],
        week=week,
    )


def _share_goals(plan: Plan) -> list[str]:
    aims = plan.rules.food_groups
    if aims is None:
        return [""] * 5
    return [f"≥ {aims.whole_grain_share:.0%}", f"≥ {aims.whole_fruit_share:.0%}", "",
            f"< {aims.added_sugars_pct_max:g}%", f"< {aims.saturated_fat_pct_max:g}%"]  # fmt: skip


def _columns(plan: Plan) -> tuple[str, list[Column], str]:
    """The pattern's name, its daily rows (column, components it sums, amount a day) and its aims in words."""
    book = load_food_patterns()
    aims = plan.rules.food_groups
    rows: list[tuple[str, dict[str, float], float | None]]
    if aims is None:  # food groups without a pattern: the book's daily rows, no amounts to aim at
        rows = [(r, dict(spec.sources), None) for r, spec in book.rows.items() if spec.per == "day"]
        pattern, words = "", ""
    else:
        rows = [(r, dict(aims.sources.get(r, book.rows[r].sources if r in book.rows else {})), amount)
                for r, amount in aims.daily.items()]  # fmt: skip
        pattern = f"{aims.name}, {aims.level_kcal:,} kcal"
        words = (f"whole grains at least {aims.whole_grain_share:.0%} of grains, whole fruit at least "
                 f"{aims.whole_fruit_share:.0%} of fruit, added sugars under {aims.added_sugars_pct_max:g}% and "
                 f"saturated fat under {aims.saturated_fat_pct_max:g}% of energy")  # fmt: skip
    columns = []
    for r, sources, goal in rows:
        if aims is None and r in SHARE_ROWS:
            continue
        spec = book.rows.get(r)
        name, unit = (spec.name, spec.unit) if spec is not None else (r.replace("_", " ").capitalize(), "")
        columns.append((GroupColumn(r, name, unit, "" if goal is None else f"{goal:g}"), sources, goal))
    return pattern, columns, words


def _hei(plan: Plan) -> tuple[list[str], list[str], list[HeiRow], list[str]]:
    entries = plan.diet_quality
    rows = []
    for s in STANDARDS:
        points = [q.components.get(s.id) for q in entries]
        best = [q.max_points.get(s.id, s.max_points) for q in entries]
        rows.append(HeiRow(
            id=s.id, name=_words(s.name).capitalize(), max_points=f"{s.max_points:g}",
            points=["–" if p is None else f"{p:.1f}" for p in points],
            lost=[p is not None and p < m - LOST for p, m in zip(points, best, strict=True)],
        ))  # fmt: skip
    lost = []
    for q in entries:
        missed = sorted(
            ((q.max_points.get(s.id, s.max_points) - q.components[s.id], s) for s in STANDARDS if s.id in q.components),
            key=lambda x: -x[0],
        )
        words = [f"{_words(s.name)} {q.components[s.id]:.1f} of {s.max_points:g}" for gap, s in missed if gap > LOST]
        lost.append(", ".join(words) or "every component at its maximum")
    return [q.scope for q in entries], [f"{q.total:.1f}" for q in entries], rows, lost


def quality_view(plan: Plan, foods: FoodTable | None = None) -> QualityView | None:
    """The food groups and diet quality of ``plan`` (None for a plan that records neither: before 2.1).

    Args:
        plan: A day or week plan.
        foods: The food table, for saturated fat when the plan's totals do not record it.
    """
    has_groups = any(d.food_groups for d in plan.days)
    if not has_groups and not plan.diet_quality:
        return None
    pattern, columns, aims = _columns(plan)
    rows = []
    if has_groups:
        for d in plan.days:
            rows.append(_row(f"Day {day_number(plan, d)}", d.food_groups, d.energy_kcal, _saturated_fat(d, foods),
                             plan, columns))  # fmt: skip
        if len(plan.days) > 1 and plan.week_food_groups is not None:
            n = len(plan.days)
            fats = [_saturated_fat(d, foods) for d in plan.days]
            sat = None if any(f is None for f in fats) else sum(f for f in fats if f is not None) / n
            kcal = sum(d.energy_kcal for d in plan.days) / n
            rows.append(_row("Week, a day", plan.week_food_groups, kcal, sat, plan, columns, week=True))
    scopes, totals, components, lost = _hei(plan)
    return QualityView(pattern, [c for c, _, _ in columns], rows, aims, _share_goals(plan), scopes, totals,
                       components, lost)  # fmt: skip
