"""The client's handout: a plan as the person who eats it keeps it, as HTML to print or as a PDF.

In reading order: the client's name and the dietitian's note; what to talk to a doctor about (the red
flags, in the client's words); the week on one landscape page (a grid of days and meals with each
meal's amounts); the recipes of the plan's dishes with their methods; the shopping list by store
section, in the packs people buy; a few words on what is still a little low; the disclaimer; and,
when asked for, a technical appendix (the day's nutrients against the targets, the notes behind the
targets) for the dietitian's file. Body text is 11 pt or larger; nothing says solver, table or id.

Amounts are in the client's units (``units``: metric or US, :mod:`.units`). The PDF is printed by
headless Chromium (:mod:`.pdf`) from ``templates/handout.html.j2`` and ``handout.css``, which hold the
page rules (A4, the grid's landscape page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from mealplan.report.meals import IngredientLine, MealView, day_meals, day_number
from mealplan.report.nutrients import coverage, key_nutrients, nutrient_order, red_flags, target_names, week_total
from mealplan.report.shopping import shopping_list
from mealplan.report.units import UNITS, Units, in_units, weight

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.plan import Plan

HERE = Path(__file__).resolve().parent
GRID_DAYS = 7  # days on one grid page
_ID_IN_PARENS = re.compile(r"\s*\((?:[a-z0-9]+-)+[a-z0-9]+\)")  # "(muscle-weakness)": an id, not words
_GRAMS = re.compile(r"^(\d+(?:\.\d+)?) g$")


@dataclass(frozen=True)
class Line:
    """An ingredient as the handout says it: "1⅔ cups rolled oats" and its weight ("150 g" / "5.3 oz")."""

    text: str
    weight: str


@dataclass(frozen=True)
class Cell:
    """One meal in the week grid."""

    label: str
    title: str
    lines: list[Line]
    drink: str
    leftover: str


@dataclass(frozen=True)
class Recipe:
    """A dish of the plan, once: its ingredients for one serving as first served, the method, the meals."""

    title: str
    when: str
    portion: str
    lines: list[Line]
    method: str
    note: str


@dataclass
class Handout:
    """Everything the handout shows, in reading order."""

    name: str
    note: str
    heading: str
    units: str
    flags: list[tuple[str, str]]
    weeks: list[tuple[list[str], list[tuple[int, list[Cell | None]]]]]  # (meal labels, [(day, cells)])
    recipes: list[Recipe]
    shopping: list[tuple[str, list[str]]]
    low: list[str]
    disclaimer: str
    appendix: dict[str, Any] | None = None
    tips: list[str] = field(default_factory=list)


def _line(ing: IngredientLine, units: Units) -> Line:
    household = ing.household
    grams_only = _GRAMS.match(household)
    if grams_only:  # no household measure: the weight is the amount
        return Line(f"{weight(float(grams_only[1]), units)} {ing.name}", "")
    return Line(in_units(ing.text, units), weight(ing.grams, units))


def _cell(meal: MealView, units: Units) -> Cell:
    drink = "; ".join(_line(d, units).text for d in meal.drinks)
    leftover = f"leftovers from day {meal.leftover_of}" if meal.leftover_of is not None else ""
    return Cell(meal.label, meal.title, [_line(i, units) for i in meal.ingredients], drink, leftover)


def _weeks(plan: Plan, units: Units) -> list[tuple[list[str], list[tuple[int, list[Cell | None]]]]]:
    """The grid, a page per 7 days: the meal labels, then each day's cells in that order."""
    out = []
    for start in range(0, len(plan.days), GRID_DAYS):
        days = plan.days[start : start + GRID_DAYS]
        labels: list[str] = []
        meals = {}
        for d in days:
            for m in day_meals(plan, d):
                labels.append(m.slot) if m.slot not in labels else None
                meals[(d.index, m.slot)] = (m.label, _cell(m, units))
        names = [next(lbl for (_, s), (lbl, _) in meals.items() if s == slot) for slot in labels]
        rows = [(day_number(plan, d), [meals.get((d.index, s), (None, None))[1] for s in labels]) for d in days]
        out.append((names, rows))
    return out


def _recipes(plan: Plan, units: Units) -> list[Recipe]:
    seen: dict[str, dict[str, Any]] = {}
    for d in plan.days:
        for m in day_meals(plan, d):
            if m.kind != "dish" or not m.dish_id:
                continue
            when = f"day {day_number(plan, d)} {m.label.lower()}"
            if m.dish_id in seen:
                seen[m.dish_id]["when"].append(when)
                continue
            seen[m.dish_id] = {"meal": m, "when": [when]}
    out = []
    for entry in seen.values():
        meal: MealView = entry["meal"]
        when = entry["when"]
        note = (
            "Cook it once and keep the rest for the next day's lunch."
            if any("lunch" in w for w in when[1:]) and meal.slot == "dinner"
            else ""
        )
        lines = [_line(i, units) for i in meal.ingredients]
        out.append(Recipe(meal.title, ", ".join(when), meal.portion_text, lines, meal.method, note))
    return out


def _low(plan: Plan) -> list[str]:
    """What is still a little low, in plain words (the key and suspected nutrients first)."""
    names = target_names(plan)
    out = []
    for nid in key_nutrients(plan) + [n for n in nutrient_order(plan) if n not in key_nutrients(plan)]:
        total = week_total(plan, nid)
        target = plan.targets.items.get(nid)
        if total is None or target is None or not target.min:
            continue
        cov = coverage(total)
        if cov.status in ("short", "close") and cov.pct is not None:
            out.append(f"{names[nid]}: about {cov.pct:.0f} % of your daily goal")
    return out[:6]


def _appendix(plan: Plan, units: Units) -> dict[str, Any]:
    names = target_names(plan)
    rows = []
    for nid in nutrient_order(plan):
        total, target = week_total(plan, nid), plan.targets.items.get(nid)
        if total is None or target is None:
            continue
        cov = coverage(total)
        rows.append(
            {
                "name": names[nid],
                "amount": f"{total.amount:,.4g} {total.unit}",
                "target": f"{target.min:,.4g} {target.unit}" if target.min else "",
                "limit": f"{target.max:,.4g} {target.unit}" if target.max else "",
                "pct": f"{cov.pct:.0f} %" if cov.pct is not None else "",
            }
        )
    kcal = sum(d.energy_kcal for d in plan.days) / max(len(plan.days), 1)
    return {
        "rows": rows,
        "notes": list(plan.targets.notes),
        "kcal": f"{kcal:,.0f}",
        "range": f"{plan.targets.energy_min:,.0f}–{plan.targets.energy_max:,.0f}",
        "scope": "average per day" if len(plan.days) > 1 else "for the day",
    }


def build_handout(
    plan: Plan,
    foods: FoodTable | None = None,
    *,
    name: str | None = None,
    note: str | None = None,
    units: str | None = "metric",
    appendix: bool | None = False,
) -> Handout:
    """The handout of ``plan`` for the client called ``name`` (the plan's profile id when None)."""
    units = units or "metric"
    if units not in UNITS:
        raise ValueError(f"units {units!r}: allowed {', '.join(UNITS)}")
    system: Units = "us" if units == "us" else "metric"
    n = len(plan.days)
    shop = shopping_list(plan, foods)
    shopping = [(s.title, [in_units(i.purchase_text, system) for i in s.items]) for s in shop.sections]
    flags = [(_ID_IN_PARENS.sub("", f.message).strip(), f.advice) for f in red_flags(plan)]
    return Handout(
        name=(name or "").strip() or plan.profile_id,
        note=(note or "").strip(),
        heading=f"Your meal plan for {n} days" if n > 1 else "Your meal plan for a day",
        units=system,
        flags=flags,
        weeks=_weeks(plan, system),
        recipes=_recipes(plan, system),
        shopping=shopping,
        low=_low(plan),
        disclaimer=plan.disclaimer,
        appendix=_appendix(plan, system) if appendix else None,
        tips=[f"Not on the list: {', '.join(shop.skipped)} (from the tap)."] if shop.skipped else [],
    )


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


@cache
def handout_css() -> Markup:
    """The handout's print stylesheet (package data), trusted as-is inside ``<style>``."""
    return Markup((HERE / "handout.css").read_text(encoding="utf-8"))


def render_handout(plan: Plan, foods: FoodTable | None = None, **options: Any) -> str:
    """The handout as one self-contained HTML page (inline CSS, no script), ready to print.

    Args:
        plan: A day or week plan.
        foods: The food table the plan was made from (the shopping list then buys raw and dry forms).
        **options: ``name`` (the client's name), ``note`` (the dietitian's note), ``units`` ("metric" or
            "us") and ``appendix`` (True adds the technical appendix).
    """
    view = build_handout(plan, foods, **options)
    return _environment().get_template("handout.html.j2").render(h=view, css=handout_css())


def handout_pdf(plan: Plan, foods: FoodTable | None = None, **options: Any) -> bytes:
    """The handout printed to PDF by headless Chromium (:func:`mealplan.report.pdf.print_pdf`).

    Raises:
        InputError: no Chromium or Chrome to print with (the message says what to install).
        PdfError: the browser failed.
    """
    from mealplan.report.pdf import print_pdf

    return print_pdf(render_handout(plan, foods, **options))
