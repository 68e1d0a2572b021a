"""A household plan for people (issue 30): the meals eaten together with a column for each person's
portion, a card per person (their week, meal by meal, and what is still short), the pantry used, and one
shopping list for the household, merged across members and days, by store section, minus the pantry.

The household view is built once (``household_view``) and rendered as Markdown (``household_markdown``),
as one HTML page (``household_html``: ``templates/household.html.j2``, autoescaped, printable) or as Rich
tables for the terminal (``household_renderables``). Each member's full report is their own
Plan's (``render_markdown``, ``render_html``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mealplan.report.shopping import ShoppingList, shopping_list, shopping_markdown
from mealplan.report.text import md_escape
from mealplan.textsafe import term_text

if TYPE_CHECKING:
    from mealplan.food_data.dishes import DishLibrary
    from mealplan.food_data.table import FoodTable
    from mealplan.household_plan import HouseholdPlan
    from mealplan.plan import Plan, SlotPlan


def household_shopping(
    hp: HouseholdPlan, foods: FoodTable | None = None, dishes: DishLibrary | None = None
) -> ShoppingList:
    """The household's one shopping list: every member's plan merged, minus what the pantry holds of each
    product (the plan's ``shopping`` ledger: its ``pantry_g``)."""
    pantry = {n.product: n.pantry_g for n in hp.shopping if n.pantry_g > 0}
    return shopping_list([m.plan for m in hp.members], foods, dishes, pantry=pantry, title=hp.household_id)


def portion_text(slot: SlotPlan) -> str:
    """A person's plate of a meal: grams of food (the drink apart), kcal, and a dish's portion of the recipe."""
    grams = sum(i.grams for i in slot.items if i.role != "drink")
    recipe = f", {slot.portion:.2g}× the recipe" if slot.portion is not None else ""
    return f"{grams:,.0f} g, {slot.energy_kcal:,.0f} kcal{recipe}"


@dataclass
class SharedRow:
    """One shared meal: the day, the meal, the dish and each member's cell (their portion, or apart)."""

    day: int
    meal: str
    title: str
    cells: list[str]
    leftover: str = ""


@dataclass
class Card:
    """A person's week: their meals (day, meal -> title and grams), shortfalls and red flags."""

    id: str
    name: str
    energy: str
    meals: list[str]
    days: list[tuple[int, list[str]]]
    short: list[str]
    flags: list[str]


@dataclass
class HouseholdView:
    """What every rendering of a household plan shows."""

    title: str
    span: str
    disclaimer: str
    members: list[str]
    shared: list[SharedRow]
    cards: list[Card]
    pantry: list[tuple[str, str, str, str, str]]  # food, held, use by, used, left
    shopping: ShoppingList
    notes: list[str] = field(default_factory=list)
    cost: str = ""


def _slot(plan: Plan, day: int, meal: str) -> SlotPlan | None:
    d = next((x for x in plan.days if x.index == day), None)
    return next((s for s in d.slots if s.name == meal), None) if d is not None else None


def _card(member_id: str, name: str | None, plan: Plan) -> Card:
    meals = [s.name for s in plan.rules.slots]
    days = []
    for d in plan.days:
        by = {s.name: s for s in d.slots}
        days.append((d.index, [f"{by[m].title} ({portion_text(by[m])})" if m in by else "" for m in meals]))
    short = [f"{s.name}: {s.pct_of_target:.0f} % of target ({s.scope})" for s in plan.shortfalls]
    flags = [f.message for f in plan.red_flags]
    energy = f"{plan.targets.energy_kcal:,.0f} kcal a day" if plan.targets.energy_kcal else ""
    return Card(member_id, name or member_id, energy, meals, days, short, flags)


def household_view(
    hp: HouseholdPlan, foods: FoodTable | None = None, dishes: DishLibrary | None = None
) -> HouseholdView:
    """The household plan as people read it (see the module docstring)."""
    ids = [m.id for m in hp.members]
    rows = []
    for rec in hp.shared:
        apart = {a.member: a for a in rec.apart}
        cells = []
        for m in hp.members:
            slot = _slot(m.plan, rec.day, rec.slot)
            if m.id in apart:
                cells.append(f"apart: {apart[m.id].title} ({apart[m.id].reason})")
            elif m.id in rec.eaten_by and slot is not None:
                cells.append(portion_text(slot))
            else:
                cells.append("—")
        leftover = f"leftovers of day {rec.leftover_of}'s dinner" if rec.leftover_of else ""
        rows.append(SharedRow(rec.day, rec.slot, rec.title, cells, leftover))
    pantry = [
        (
            p.product or p.name,  # as the shopping list names it ("brown rice", not "Rice, brown, long-grain, raw")
            f"{p.grams:,.0f} g",
            p.use_by.isoformat() if p.use_by else "",
            f"{p.used_g:,.0f} g",
            f"{p.left_g:,.0f} g",
        )
        for p in hp.pantry
    ]
    cost = ""
    if hp.cost_per_day:
        cost = f"{sum(hp.cost_per_day) / len(hp.cost_per_day):.2f} a day"
        cost += f" (budget {hp.budget:g})" if hp.budget is not None else ""
    span = f"{hp.days} days from {hp.start_date:%A} {hp.start_date.isoformat()}" if hp.days > 1 else (
        f"{hp.start_date:%A} {hp.start_date.isoformat()}")  # fmt: skip
    return HouseholdView(
        title=f"{hp.name} ({hp.household_id})" if hp.name else hp.household_id,
        span=span,
        disclaimer=hp.disclaimer,
        members=ids,
        shared=rows,
        cards=[_card(m.id, m.name, m.plan) for m in hp.members],
        pantry=pantry,
        shopping=household_shopping(hp, foods, dishes),
        notes=list(hp.solve.notes),
        cost=cost,
    )


TOGETHER = "Everyone eats the same dish unless someone cannot; each plate is their own."


def household_markdown(hp: HouseholdPlan, foods: FoodTable | None = None, dishes: DishLibrary | None = None) -> str:
    """The household plan as Markdown: meals together (a column each), a card per person, the pantry, the
    household's shopping list, notes."""
    v = household_view(hp, foods, dishes)
    lines = [f"# Household plan: {md_escape(v.title)}", "", f"_{md_escape(v.span)}; {md_escape(v.disclaimer)}_", ""]
    flags = [(c.id, f) for c in v.cards for f in c.flags]
    if flags:
        lines += ["## Talk to a clinician first", ""] + [f"- **{md_escape(m)}**: {md_escape(f)}" for m, f in flags]
        lines.append("")
    if v.shared:
        heads = " | ".join(map(md_escape, v.members))
        lines += ["## Meals together", "", TOGETHER, "", f"| Day | Meal | Dish | {heads} |",
                  "|---:|---|---|" + "---|" * len(v.members)]  # fmt: skip
        for r in v.shared:
            dish = md_escape(r.title) + (f" _({md_escape(r.leftover)})_" if r.leftover else "")
            lines.append(f"| {r.day} | {r.meal} | {dish} | " + " | ".join(md_escape(c) for c in r.cells) + " |")
        lines.append("")
    lines += ["## Each person's meals", ""]
    for c in v.cards:
        lines += [f"### {md_escape(c.name)} ({md_escape(c.id)})" + (f": {c.energy}" if c.energy else ""), ""]
        lines += ["| Day | " + " | ".join(md_escape(m) for m in c.meals) + " |", "|---:|" + "---|" * len(c.meals)]
        lines += [f"| {d} | " + " | ".join(md_escape(x) for x in cells) + " |" for d, cells in c.days]
        lines += ["", "Still short: " + ("; ".join(md_escape(s) for s in c.short) if c.short else "nothing"), ""]
    if v.pantry:
        lines += ["## Pantry", "", "| Food | Held (as bought) | Use by | Used | Left |", "|---|---:|---|---:|---:|"]
        lines += [f"| {md_escape(n)} | {h} | {u} | {used} | {left} |" for n, h, u, used, left in v.pantry]
        lines.append("")
    lines.append(shopping_markdown(v.shopping, heading_level=2))
    if v.cost:
        lines += [f"Cost: {v.cost}.", ""]
    if v.notes:
        lines += ["## Notes", ""] + [f"- {md_escape(n)}" for n in v.notes] + [""]
    return "\n".join(lines)


def household_html(hp: HouseholdPlan, foods: FoodTable | None = None, dishes: DishLibrary | None = None) -> str:
    """The household plan as one self-contained HTML page (the single report's stylesheet, no scripts): red
    flags and the disclaimer first, then the meals together, a card per person, the pantry, the shopping list."""
    from mealplan.report.html import environment, stylesheet

    v = household_view(hp, foods, dishes)
    flags = [(m.name or m.id, f) for m in hp.members for f in m.plan.red_flags]
    return (
        environment()
        .get_template("household.html.j2")
        .render(v=v, flags=flags, together=TOGETHER, css=stylesheet(), created_with=hp.created_with)
    )


def household_renderables(hp: HouseholdPlan, foods: FoodTable | None = None) -> list:
    """Rich renderables for the terminal: meals together (a column each), a card per person, pantry, notes.
    The shopping list is ``mealplan shopping PLAN.json``'s."""
    from rich.table import Table

    v = household_view(hp, foods)
    out: list = [f"[bold]Household plan: {term_text(v.title)}[/bold] — {term_text(v.span)}",
                 f"[dim]{term_text(v.disclaimer)}[/dim]"]  # fmt: skip
    out += [f"[red]{term_text(c.id)}: {term_text(f)}[/red]" for c in v.cards for f in c.flags]
    if v.shared:
        t = Table(title="Meals together (each plate is their own)", title_justify="left", show_lines=True)
        for col in ("day", "meal", "dish", *v.members):
            t.add_column(term_text(col))
        for r in v.shared:
            dish = term_text(r.title) + (f" [dim]({term_text(r.leftover)})[/dim]" if r.leftover else "")
            t.add_row(str(r.day), r.meal, dish, *(term_text(c) for c in r.cells))
        out.append(t)
    for c in v.cards:
        t = Table(title=f"{term_text(c.name)} ({term_text(c.id)}) {c.energy}", title_justify="left")
        for col in ("day", *c.meals):
            t.add_column(col)
        for d, cells in c.days:
            t.add_row(str(d), *(term_text(x) for x in cells))
        out.append(t)
        out.append("Still short: " + (term_text("; ".join(c.short)) if c.short else "[green]nothing[/green]"))
    if v.pantry:
        t = Table(title="Pantry (as bought)", title_justify="left")
        for col in ("food", "held", "use by", "used", "left"):
            t.add_column(col, justify="left" if col in ("food", "use by") else "right")
        for row in v.pantry:
            t.add_row(*(term_text(x) for x in row))
        out.append(t)
    bought = sum(1 for s in v.shopping.sections if s.id != "at_home" for _ in s.items)
    out.append(f"Shopping list: {bought} lines for the household (mealplan shopping PLAN.json lists them)")
    if v.cost:
        out.append(f"Cost: {v.cost}")
    out += [f"[dim]Note: {term_text(n)}[/dim]" for n in v.notes]
    return out
