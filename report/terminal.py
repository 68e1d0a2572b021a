"""Terminal and CSV rendering of plans (rich tables). HTML and Markdown live beside it in mealplan.report;
the nutrient table reads the same view (:func:`mealplan.report.view.build_view`) as they do.

Imported only when a plan is rendered for the terminal or as CSV, so its imports (rich) sit at the top.
"""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import JustifyMethod
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from mealplan.food_data.names import short_name
from mealplan.report.meals import day_meals, day_number, meal_view
from mealplan.report.nutrients import STATUS_WORDS
from mealplan.report.quality import quality_view
from mealplan.report.text import csv_writer
from mealplan.report.view import build_view
from mealplan.triage import urgency_label


def red_flag_panel(red_flags: list[Any], disclaimer: str) -> list[Any]:
    """Red flags first (a red panel), then the disclaimer."""
    out: list[Any] = []
    if red_flags:
        # Most urgent first (the triage's order), each led by its urgency.
        body = "\n".join(f"• {escape(urgency_label(f.urgency))}\n  {f.message}\n  {f.advice}" for f in red_flags)
        out.append(Panel(body, title="See a clinician", border_style="red", title_align="left"))
    out.append(f"[dim]{disclaimer}[/dim]")
    return out


def _day_table(plan: Any, day: Any) -> Any:
    """One day's meals: slot, the meal's title (bold) and portion, its method, ingredients and drink."""
    t = Table(title=f"Day {day_number(plan, day)} — {day.energy_kcal:,.0f} kcal", title_justify="left")
    t.add_column("meal")
    t.add_column("dish and ingredients")
    t.add_column("g", justify="right")
    t.add_column("kcal", justify="right")
    for meal in day_meals(plan, day):
        head = f"[bold]{escape(meal.title)}[/bold]"
        extra = [x for x in (meal.portion_text, meal.leftover_text) if x]
        if extra:
            head += f" [dim]({escape(', '.join(extra))})[/dim]"
        t.add_row(meal.slot, head, "", f"{meal.kcal:,.0f}")
        if meal.method:
            t.add_row("", f"[dim italic]{escape(meal.method)}[/dim italic]", "", "")
        for line in meal.ingredients:
            t.add_row("", f"  {escape(line.text)}", f"{line.grams:,.0f}", "")
        for drink in meal.drinks:
            t.add_row("", f"  Drink: {escape(drink.text)}", f"{drink.grams:,.0f}", "", end_section=False)
        t.rows[-1].end_section = True
    return t


# Short column heads of the food-pattern rows and their units, so a day's row fits 80 columns.
SHORT_HEADS = {"vegetables": "Veg", "fruits": "Fruit", "grains": "Grain", "whole_grains": "W.gr.",
               "protein_foods": "Prot.", "oils": "Oils"}  # fmt: skip
SHORT_UNITS = {"cup-eq": "cup", "oz-eq": "oz"}


def quality_tables(plan: Any, foods: Any = None) -> list[Any]:
    """The food groups a day against the pattern and the HEI-2020 as rich tables ([] before schema 2.1).

    Args:
        plan: A day or week plan.
        foods: The food table (saturated fat when the plan's totals do not record it).
    """
    q = quality_view(plan, foods)
    if q is None:
        return []
    out: list[Any] = []
    if q.rows:
        title = "Food groups a day" + (f" (against the {q.pattern})" if q.pattern else "")
        caption = "cup and oz: cup- and ounce-equivalents; whole grains % of grains, whole fruit % of fruit, added "
        caption += "sugars and saturated fat % of energy"
        t = Table(title=escape(title), title_justify="left", caption=caption, caption_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 0), show_edge=False)  # fmt: skip
        t.add_column("", no_wrap=True)
        for c in q.columns:
            t.add_column(f"{SHORT_HEADS.get(c.id, c.name)}\n{SHORT_UNITS.get(c.unit, c.unit)}", justify="right")
        for head in ("Whole\ngr. %", "Whole\nfr. %", "Juice\ncup", "Added\nsugar", "Sat.\nfat"):
            t.add_column(head, justify="right")
        if q.pattern:
            t.add_row("[dim]pattern[/dim]", *(f"[dim]{c.goal}[/dim]" for c in q.columns),
                      *(f"[dim]{escape(g.replace(' ', ''))}[/dim]" for g in q.share_goals))  # fmt: skip
        for r in q.rows:
            amounts = [f"[yellow]{a}[/yellow]" if low else a for a, low in zip(r.amounts, r.short, strict=True)]
            limits = [f"[red]{x}[/red]" if over else x for x, over in zip((r.added_sugars, r.saturated_fat), r.over,
                                                                           strict=True)]  # fmt: skip
            label = f"[bold]{r.label}[/bold]" if r.week else r.label
            t.add_row(label, *amounts, r.whole_grains, r.whole_fruit, r.juice, *limits, end_section=r.week)
        out.append(t)
    if q.scopes:
        out += [f"Healthy Eating Index 2020 ({scope}): [bold]{total}[/bold] of 100; points lost: {lost}"
                for scope, total, lost in zip(q.scopes, q.totals, q.lost, strict=True)]  # fmt: skip
        t = Table(title="Healthy Eating Index 2020 by component", title_justify="left")
        t.add_column("component")
        t.add_column("max", justify="right")
        for scope in q.scopes:
            t.add_column(scope, justify="right")
        for hei in q.components:
            t.add_row(hei.name, hei.max_points, *(f"[yellow]{p}[/yellow]" if lost else p
                                                  for p, lost in zip(hei.points, hei.lost, strict=True)))  # fmt: skip
        out.append(t)
    return out


def plan_renderables(plan: Any, foods: Any = None) -> list[Any]:
    """Rich renderables for a Plan: red flags, meals per day, coverage, food groups and diet quality (schema
    2.1), shortfalls, solve line and notes. ``foods``, when given, gives saturated fat for the food groups."""
    out = red_flag_panel(plan.red_flags, plan.disclaimer)
    if plan.triage and plan.triage.suspected:
        top = ", ".join(s.nutrient for s in plan.triage.suspected[:5])
        out.append(f"Suspected from symptoms and risk factors (discuss and test): [bold]{top}[/bold]")
    for day in plan.days:
        out.append(_day_table(plan, day))
    view = build_view(plan)
    cov = Table(
        title="Nutrients " + ("(daily average over the week)" if plan.week_totals else "(the day)"),
        title_justify="left",
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("nutrient", "left"),
        ("amount", "right"),
        ("target", "right"),
        ("% of target", "right"),
        ("max", "right"),
        ("", "left"),
    )
    for col, just in columns:
        cov.add_column(col, justify=just)
    for b in view.bars:
        target = plan.targets.items.get(b.nutrient)
        mark = "[red]short[/red]" if b.status == STATUS_WORDS["short"] else ""
        if target is not None and target.suspected:
            mark = (mark + " suspected").strip()
        blank = {"–": ""}  # the table leaves a missing target or maximum empty
        target_text, limit_text = blank.get(b.target, b.target), blank.get(b.limit, b.limit)
        cov.add_row(escape(b.name), b.amount, target_text, b.pct if target_text else "", limit_text, mark)
    out.append(cov)
    out += quality_tables(plan, foods)
    if plan.shortfalls:
        sf = Table(title="Targets not reached, and why", title_justify="left", show_lines=True)
        sf.add_column("nutrient")
        sf.add_column("where")
        sf.add_column("reached", justify="right")
        sf.add_column("why")
        sf.add_column("would close it")
        for s in plan.shortfalls:
            close = "; ".join(f"{f.name} ({f.blocked_by})" for f in s.would_close) or "—"
            sf.add_row(escape(s.name), s.scope, f"{s.pct_of_target:.0f} %", escape("; ".join(s.causes)), close)
        out.append(sf)
    else:
        out.append("[green]Every nutrient target is reached.[/green]")
    info = plan.solve
    gap = "" if info.gap is None else f", gap {info.gap:.2%}"
    cost = "" if plan.cost is None else f", cost {plan.cost:.2f} a day"
    out.append(
        f"[dim]{info.solver} {info.status.value}{gap}; {info.candidates} candidate foods, {info.variables} "
        f"variables; build {info.build_seconds:.2f} s, solve {info.solve_seconds:.2f} s{cost}[/dim]"
    )
    out.append(f"[dim]{escape(view.ul_peak)}[/dim]")
    out.extend(f"[dim]Note: {escape(note)}[/dim]" for note in info.notes)
    return out


CSV_COLUMNS = (
    "day",
    "slot",
    "meal",
    "meal_kind",
    "dish_id",
    "portion",
    "role",
    "food_id",
    "food",
    "name",
    "category",
    "grams",
    "servings",
    "serving_name",
    "household",
)


def plan_csv(plan: Any) -> str:
    """One row per item: day, slot, the meal's title, kind, dish id and portion, the item's role, food id,
    short food name, full name, category, grams, servings, serving name and household measure.

    A meal's drink is a row with role "drink". Like every plan output it starts with the red flags (when
    any) and the disclaimer, here as ``#`` comment lines before the header
    (``pandas.read_csv(..., comment="#")`` skips them).
    """
    buf = io.StringIO()
    for flag in plan.red_flags:
        buf.write(" ".join(f"# See a clinician: {flag.message} {flag.advice}".split()) + "\n")
    buf.write(" ".join(f"# {plan.disclaimer}".split()) + "\n")
    w = csv_writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for day in plan.days:
        for slot in day.slots:
            meal = meal_view(slot)
            title = meal.title + (f" ({meal.leftover_text})" if slot.leftover_of is not None else "")
            portion = "" if slot.portion is None else f"{slot.portion:g}"
            for i in slot.items:
                w.writerow(
                    [
                        day.index,
                        slot.name,
                        title,
                        slot.meal_kind,
                        slot.dish_id or "",
                        portion,
                        i.role,
                        i.food_id,
                        short_name(i.name),
                        i.name,
                        i.category,
                        f"{i.grams:g}",
                        f"{i.servings:g}",
                        i.serving_name,
                        i.household,
                    ]
                )
    return buf.getvalue()
