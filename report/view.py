"""The plan "view": what a person reads, built once and read by every report renderer.

``build_view(plan, foods)`` gathers the meals (titles, portions, methods, ingredient lines, drinks,
leftovers), the nutrients with their coverage (bars, the day-by-day heatmap), the shortfalls in plain
words, the food groups and the diet quality (``report/quality.py``, plans of schema 2.1), the red
flags and disclaimer, the sources of the key nutrients, the shopping list and the notes for a
dietitian. The HTML template (``templates/report.html.j2``) and the Markdown renderer
only lay it out: no number is computed twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from mealplan.food_data.names import short_name
from mealplan.numbers import fmt_amount
from mealplan.optimizer.upper_limits import highest_ul, ul_text
from mealplan.report.meals import MealView, day_meals, day_number
from mealplan.report.nutrients import (
    CLOSE_PCT,
    SCALE_PCT,
    STATUS_WORDS,
    ShortfallGroup,
    _Coverage,
    coverage,
    day_problems,
    key_nutrients,
    nutrient_order,
    nutrient_sources,
    pct_text,
    red_flags,
    shortfall_groups,
    status_text,
    target_names,
    week_total,
)
from mealplan.report.quality import QualityView, quality_view
from mealplan.report.shopping import ShoppingList, shopping_list

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.plan import NutrientTotal, Plan

COLORS = {
    "met": "#1f9d6b",
    "close": "#e3a008",
    "short": "#e0533d",
    "over": "#7c3aed",
    "limit-ok": "#1f9d6b",
    "weekly": "#5b8def",
    "none": "#9aa5b1",
}
SOURCE_COLORS = ("#0f766e", "#2563eb", "#d97706", "#db2777", "#7c3aed", "#94a3b8")
HEAT_LEGEND = (
    ("#f4a08f", "under 50"),
    ("#f8c58c", "50–79"),
    ("#fbe38e", "80–99"),
    ("#b7e4c7", "100–129"),
    ("#74c69d", "130+"),
    ("#c4b5fd", "above the upper limit"),
)


@dataclass(frozen=True)
class Bar:
    """A nutrient total against its target, ready to draw as a bar (0-150 % of the target)."""

    nutrient: str
    name: str
    color: str  # a key of COLORS
    width: float  # fill, 0-100 of the bar
    target_x: float | None  # where 100 % sits, or None for a limit-only nutrient
    limit_x: float | None  # where the upper limit sits, when on the chart
    beyond: bool  # more than the chart shows
    pct: str
    value: str
    label: str
    status: str
    unknown: int
    amount: str
    target: str
    limit: str


@dataclass(frozen=True)
class HeatCell:
    text: str
    color: str
    title: str
    week: bool = False


@dataclass(frozen=True)
class HeatRow:
    name: str
    weekly: bool
    cells: list[HeatCell]


@dataclass(frozen=True)
class DayView:
    number: int
    kcal: float
    macros: str
    macros_md: str
    meals: list[MealView]
    bars: list[Bar]
    short: list[str]
    over: list[str]


@dataclass(frozen=True)
class SourceLine:
    name: str
    full_name: str
    color: str
    x: float
    width: float
    share: float
    per_day: str


@dataclass(frozen=True)
class SourceBlock:
    name: str
    per_day: str
    goal: str
    lines: list[SourceLine]


@dataclass(frozen=True)
class Card:
    cls: str
    href: str
    key: str
    big: str
    small: str


@dataclass
class PlanView:
    """Everything a report shows, in reading order."""

    plan: Any
    title: str
    heading: str
    n_days: int
    cards: list[Card]
    flags: list[Any]
    disclaimer: str
    triage: dict[str, Any] | None
    shortfalls: list[ShortfallGroup]
    scope: str
    bars: list[Bar]
    heat_days: list[int]
    heat_rows: list[HeatRow]
    days: list[DayView]
    sources: list[SourceBlock] | None
    shopping: ShoppingList
    about: dict[str, Any]
    sections: list[tuple[str, str]] = field(default_factory=list)
    kcal_per_day: float = 0.0
    close_pct: float = CLOSE_PCT
    scale_pct: float = SCALE_PCT
    colors: dict[str, str] = field(default_factory=lambda: dict(COLORS))
    heat_legend: tuple[tuple[str, str], ...] = HEAT_LEGEND
    ul_peak: str = ""  # the plan's highest share of a food upper limit, in words
    quality: QualityView | None = None  # food groups and HEI-2020 (None: a plan before schema 2.1)


def bar(nutrient: str, name: str, total: NutrientTotal, weekly_day: bool = False) -> Bar:
    """A coverage bar: fill to the share reached (0-150 %), a tick at 100 %, a red tick at the limit."""
    cov = coverage(total)
    if cov.limit_only:
        name = f"{name} (limit)"
    color = "weekly" if weekly_day and cov.status in ("short", "close") else cov.status
    if cov.limit_only:
        value = f"{fmt_amount(total.amount)} of max {fmt_amount(total.max, total.unit)}"
    elif total.min:
        value = f"{fmt_amount(total.amount)} / {fmt_amount(total.min, total.unit)}"
        if total.max and cov.limit_pct is not None and cov.limit_pct > SCALE_PCT:
            value += f" · max {fmt_amount(total.max)}"
    else:
        value = fmt_amount(total.amount, total.unit)
    pct = pct_text(cov.pct)
    status = "counted on the week average" if color == "weekly" else STATUS_WORDS[cov.status]
    label = f"{name}: {value} ({pct}, {status})"
    if total.max and not cov.limit_only:
        label += f"; upper limit {fmt_amount(total.max, total.unit)}"
    share = cov.pct or 0.0
    limit_x = cov.limit_pct / SCALE_PCT * 100.0 if cov.limit_pct is not None and cov.limit_pct <= SCALE_PCT else None
    return Bar(
        nutrient=nutrient,
        name=name,
        color=color,
        width=min(share, SCALE_PCT) / SCALE_PCT * 100.0,
        target_x=None if cov.limit_only else 100.0 / SCALE_PCT * 100.0,
        limit_x=limit_x,
        beyond=share > SCALE_PCT,
        pct=pct,
        value=value,
        label=label,
        status=STATUS_WORDS[cov.status],
        unknown=total.unknown_items,
        amount=fmt_amount(total.amount, total.unit),
        target=fmt_amount(total.min, total.unit),
        limit=fmt_amount(total.max, total.unit),
    )


def heat_color(cov: _Coverage) -> str:
    if cov.status == "over":
        return "#c4b5fd"
    p = cov.pct or 0.0
    if p < 50:
        return "#f4a08f"
    if p < 80:
        return "#f8c58c"
    if p < 100 and cov.status != "met":
        return "#fbe38e"
    if p < 130:
        return "#b7e4c7"
    return "#74c69d"


def _heat_rows(plan: Plan, order: list[str], names: dict[str, str]) -> list[HeatRow]:
    rows = []
    n_days = len(plan.days)
    for nid in order:
        target = plan.targets.items[nid]
        if not target.min:
            continue
        cells = []
        for d in plan.days:
            total = d.totals.get(nid)
            if total is None:
                cells.append(HeatCell("–", "", ""))
                continue
            cov = coverage(total)
            amount = fmt_amount(total.amount, total.unit)
            title = f"{names[nid]}, day {day_number(plan, d)}: {amount} ({pct_text(cov.pct)})"
            cells.append(HeatCell(pct_text(cov.pct)[:-1], heat_color(cov), title))
        wk = week_total(plan, nid) if n_days > 1 else None
        if wk is not None:
            cov = coverage(wk)
            cells.append(HeatCell(pct_text(cov.pct)[:-1], heat_color(cov), f"{names[nid]}, week", week=True))
        rows.append(HeatRow(names[nid], bool(target.weekly), cells))
    return rows


def _sources(plan: Plan, foods: FoodTable | None, names: dict[str, str]) -> list[SourceBlock] | None:
    if foods is None:
        return None
    blocks = []
    for nid in key_nutrients(plan):
        target = plan.targets.items[nid]
        lines, x = [], 0.0
        sources = nutrient_sources(plan, foods, nid)
        for i, s in enumerate(sources):
            color = SOURCE_COLORS[min(i, len(SOURCE_COLORS) - 1)] if s.food_id else SOURCE_COLORS[-1]
            shown = short_name(s.name) if s.food_id else s.name
            lines.append(
                SourceLine(shown, s.name, color, x, s.share * 100.0, s.share, fmt_amount(s.per_day, target.unit))
            )
            x += s.share * 100.0
        per_day = fmt_amount(sum(s.per_day for s in sources), target.unit) if sources else ""
        goal = f" of {fmt_amount(target.min, target.unit)} target" if target.min else ""
        blocks.append(SourceBlock(names[nid], per_day, goal, lines))
    return blocks


def _cards(plan: Plan, order: list[str], groups: list[ShortfallGroup], flags: list) -> list[Card]:
    n_days = len(plan.days)
    slots = len(plan.days[0].slots) if plan.days else 0
    kcal = sum(d.energy_kcal for d in plan.days) / max(n_days, 1)
    with_min = [n for n in order if plan.targets.items[n].min]
    met = sum(1 for nid in with_min if (wk := week_total(plan, nid)) is not None and coverage(wk).status == "met")
    short_names = [f"{g.name} ({pct_text(g.worst_pct)})" for g in groups[:4]]
    short_text = ", ".join(short_names) + (f" and {len(groups) - 4} more" if len(groups) > 4 else "")
    span = f"{n_days} days" if n_days > 1 else "1 day"
    reasons = f"{len(flags)} reason{'s' if len(flags) > 1 else ''}"
    t = plan.targets
    return [
        Card(
            "eat",
            "#days",
            "What to eat",
            f"{span}, {slots} meals a day",
            f"about {kcal:,.0f} kcal a day (target {t.energy_min:,.0f}–{t.energy_max:,.0f})",
        ),
        Card(
            "ok" if met == len(with_min) else "mid",
            "#coverage",
            "Targets reached",
            f"{met} of {len(with_min)}",
            "on the week average" if n_days > 1 else "today",
        ),
        Card(
            "warn" if groups else "ok",
            "#shortfalls",
            "Still short",
            (f"{len(groups)} nutrient" + ("s" if len(groups) > 1 else "")) if groups else "Nothing",
            short_text if groups else "every target is reached",
        ),
        Card(
            "alert" if flags else "ok",
            "#red-flags" if flags else "#about",
            "See a doctor?",
            f"Yes — {reasons}" if flags else "No warning signs reported",
            "read the red box below first" if flags else "see one if symptoms last or get worse",
        ),
    ]


def _triage(plan: Plan, names: dict[str, str]) -> dict[str, Any] | None:
    tri = plan.triage
    if tri is None or not (tri.suspected or tri.notes or tri.blood_tests):
        return None
    top = max((s.score for s in tri.suspected), default=1.0) or 1.0
    said = []
    if tri.input.symptoms:
        said.append("symptoms: " + ", ".join(x.replace("-", " ") for x in tri.input.symptoms))
    if tri.input.factors:
        said.append("risk factors: " + ", ".join(x.replace("-", " ") for x in tri.input.factors))
    if tri.input.days is not None:
        said.append(f"for {tri.input.days} days")
    suspected = [
        {
            "name": names.get(s.nutrient) or s.nutrient.replace("_", " ").title(),
            "score": f"{s.score:g}",
            "width": 100.0 * s.score / top,
            "reasons": s.reasons,
        }
        for s in tri.suspected
    ]
    return {"said": "; ".join(said), "suspected": suspected, "tests": tri.blood_tests, "notes": tri.notes}


def _about(plan: Plan) -> dict[str, Any]:
    r, s = plan.rules, plan.solve
    rules = [f"Diet: {r.diet}"]
    for label, values in (
        ("allergies", r.allergies),
        ("excluded", r.exclude),
        ("dislikes", r.dislikes),
        ("likes", r.likes),
    ):
        if values:
            rules.append(f"{label}: " + ", ".join(values))
    targets = [
        {
            "name": t.name,
            "min": fmt_amount(t.min, t.unit),
            "min_source": t.min_source,
            "max": fmt_amount(t.max, t.unit),
            "max_source": t.max_source,
            "goal": ("weekly" if t.weekly else "daily") + (", suspected" if t.suspected else ""),
        }
        for t in plan.targets.items.values()
    ]
    return {
        "rules": "; ".join(rules),
        "status": status_text(s),
        "gap": f", gap {s.gap * 100:.2f}%" if s.gap is not None else "",
        "cost": f" Estimated cost: {plan.cost:.2f} a day." if plan.cost is not None else "",
        "targets": targets,
    }


def build_view(plan: Plan, foods: FoodTable | None = None) -> PlanView:
    """The plan as a person reads it, built once for every renderer.

    Args:
        plan: A day or week plan (schema 2.0, or 1.x read through the migration).
        foods: The food table the plan was made from; when given, the view has the sources of the key
            nutrients and the shopping list uses household measures.
    """
    names = target_names(plan)
    order = nutrient_order(plan)
    groups = shortfall_groups(plan)
    flags = red_flags(plan)
    n_days = len(plan.days)
    weekly = n_days > 1
    days = []
    for d in plan.days:
        short, over = day_problems(plan, d, order, names)
        days.append(
            DayView(
                number=day_number(plan, d),
                kcal=d.energy_kcal,
                macros=" · ".join(
                    f"{k.title() if k != 'carbohydrate' else 'Carbs'} {v:.0f}%" for k, v in d.macros_pct.items()
                ),
                macros_md=", ".join(f"{k} {v:.0f}%" for k, v in d.macros_pct.items()),
                meals=day_meals(plan, d),
                bars=[
                    bar(nid, names[nid], d.totals[nid], weekly_day=plan.targets.items[nid].weekly and weekly)
                    for nid in order
                    if nid in d.totals
                ],
                short=short,
                over=over,
            )
        )
    bars = [bar(nid, names[nid], t) for nid in order if (t := week_total(plan, nid)) is not None]
    quality = quality_view(plan, foods)
    sections = [("days", "Meals"), ("shortfalls", "Still short"), ("coverage", "Targets")]
    if quality is not None:
        sections.append(("quality", "Food groups"))
    if weekly:
        sections.append(("heatmap", "Heatmap"))
    sections += [("sources", "Sources"), ("shopping", "Shopping list"), ("about", "Details")]
    if plan.triage is not None:
        sections.insert(0, ("triage", "Focus"))
    return PlanView(
        plan=plan,
        title=f"{'Week' if weekly else 'Day'} meal plan — {plan.profile_id}",
        heading=(f"Your {n_days}-day meal plan" if weekly else "Your meal plan for a day") + _dates(plan),
        n_days=n_days,
        cards=_cards(plan, order, groups, flags),
        flags=flags,
        disclaimer=plan.disclaimer,
        triage=_triage(plan, names),
        shortfalls=groups,
        scope="average per day over the week" if weekly else "for the day",
        bars=bars,
        heat_days=[day_number(plan, d) for d in plan.days],
        heat_rows=_heat_rows(plan, order, names) if weekly else [],
        days=days,
        sources=_sources(plan, foods, names),
        shopping=shopping_list(plan, foods),
        about=_about(plan),
        sections=sections,
        kcal_per_day=sum(d.energy_kcal for d in plan.days) / max(n_days, 1),
        ul_peak=ul_text(highest_ul(plan.days, plan.targets)),
        quality=quality,
    )


def _dates(plan: Plan) -> str:
    """ " from Mon 7 Dec to Sun 13 Dec 2026" for a plan made for dates; "" otherwise."""
    if plan.start_date is None:
        return ""
    first, last = plan.start_date, plan.start_date + timedelta(days=len(plan.days) - 1)
    if first == last:
        return f", {first:%a} {first.day} {first:%b %Y}"
    return f" from {first:%a} {first.day} {first:%b} to {last:%a} {last.day} {last:%b %Y}"
