"""The Markdown report: the same plan view as the HTML report, without charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mealplan.report.meals import MealView
from mealplan.report.shopping import shopping_markdown
from mealplan.report.view import build_view

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.optimizer.plan import Plan


def _md(text: object) -> str:
    # "<" could open an HTML tag; ">" inside a table cell is plain text, so it stays readable.
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def meal_markdown(meal: MealView) -> list[str]:
    """A meal: bold slot and title, portion and leftovers, the method in italics, then one line an item."""
    extra = ", ".join(x for x in (meal.portion_text, meal.leftover_text) if x)
    head = f"**{_md(meal.label)}: {_md(meal.title)}**" + (f" ({_md(extra)})" if extra else "")
    lines = [f"{head} — {meal.kcal:,.0f} kcal", ""]
    if meal.method:
        lines += [f"_{_md(meal.method)}_", ""]
    lines += [f"- {_md(i.text)} — {i.grams:.0f} g" for i in meal.ingredients]
    lines += [f"- Drink: {_md(i.text)} — {i.grams:.0f} g" for i in meal.drinks]
    lines.append("")
    return lines


def render_markdown(plan: Plan, foods: FoodTable | None = None) -> str:
    """Render a plan as Markdown with the same content as the HTML report, without charts.

    Args:
        plan: A day or week plan.
        foods: The food table the plan was made from (for nutrient sources and better purchase units).

    Returns:
        The Markdown document as a string.
    """
    v = build_view(plan, foods)
    lines: list[str] = [
        f"# {v.heading}: {_md(plan.profile_id)}",
        "",
        f"{_md(plan.rules.diet).capitalize()} · {_md(plan.targets.life_stage)} · "
        f"about {v.kcal_per_day:,.0f} kcal a day",
        "",
    ]
    if v.flags:
        lines += ["## ⚠ See a doctor about this first", ""]
        lines += [f"- **{_md(f.message)}** {_md(f.advice)}" for f in v.flags]
        lines.append("")
    if v.disclaimer:
        lines += [f"> {_md(v.disclaimer)}", ""]

    tri = plan.triage
    if tri is not None and tri.suspected:
        lines += ["## Which nutrients to focus on", ""]
        for s, shown in zip(tri.suspected, (v.triage or {}).get("suspected", []), strict=False):
            lines.append(f"- **{_md(shown['name'])}** (score {s.score:g})")
            lines += [f"  - {_md(r.why)} _({_md(r.source)})_" for r in s.reasons]
        lines.append("")
        if tri.blood_tests:
            lines += ["**Blood tests worth asking about:** " + "; ".join(_md(t) for t in tri.blood_tests), ""]
        if tri.notes:
            lines += ["**Everyday habits that help:**", ""] + [f"- {_md(n)}" for n in tri.notes] + [""]

    lines += ["## What is still short, and why", ""]
    if not v.shortfalls:
        lines += ["Nothing: the plan reaches every target.", ""]
    for g in v.shortfalls:
        lines += [f"### {_md(g.name)}", "", _md(g.headline), ""]
        lines += [f"- {_md(w)}" for w in g.explanations]
        if g.technical:
            lines.append(f"- _Optimizer notes: {_md('; '.join(g.technical))}_")
        lines.append("")

    lines += [
        f"## Targets reached ({v.scope})",
        "",
        "| Nutrient | Amount | Target | Upper limit | % | Status |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [f"| {_md(b.name)} | {b.amount} | {b.target} | {b.limit} | {b.pct} | {b.status} |" for b in v.bars]
    lines.append("")

    if v.n_days > 1:
        lines += ["## Day by day (% of each target)", ""]
        lines.append("| Nutrient | " + " | ".join(f"D{n}" for n in v.heat_days) + " | Week |")
        lines.append("|---|" + "---:|" * (v.n_days + 1))
        for row in v.heat_rows:
            cells = [f"{c.text}%" if c.color else "–" for c in row.cells]
            lines.append(f"| {_md(row.name)} | " + " | ".join(cells) + " |")
        lines.append("")

    lines += ["## The meals, day by day", ""]
    for d in v.days:
        lines += [f"### Day {d.number} — {d.kcal:,.0f} kcal ({d.macros_md})", ""]
        for meal in d.meals:
            lines += meal_markdown(meal)
        if d.short:
            lines += [f"_Short today: {_md(', '.join(d.short))}._", ""]
        if d.over:
            lines += [f"_Above the upper limit today: {_md(', '.join(d.over))}._", ""]
        if not d.short and not d.over:
            lines += ["_Every daily target reached._", ""]

    lines += ["## Where the key nutrients come from", ""]
    if v.sources is None:
        lines += ["_Food composition was not given to the report, so contributions per food cannot be shown._", ""]
    else:
        for block in v.sources:
            lines += [f"**{_md(block.name)}**", ""]
            if not block.lines:
                lines += ["_No food in the plan has a known value for it._", ""]
                continue
            lines += ["| Food | Per day | Share |", "|---|---:|---:|"]
            lines += [f"| {_md(s.name)} | {s.per_day} | {s.share * 100:.0f}% |" for s in block.lines]
            lines.append("")

    lines.append(shopping_markdown(v.shopping, heading_level=2))

    s = plan.solve
    lines += ["## For your dietitian", ""]
    lines.append(
        f"Profile {_md(plan.profile_id)} ({_md(plan.targets.life_stage)}), diet {_md(plan.rules.diet)}"
        + (f", allergies {_md(', '.join(plan.rules.allergies))}" if plan.rules.allergies else "")
        + (f", dislikes {_md(', '.join(plan.rules.dislikes))}" if plan.rules.dislikes else "")
        + f". Solved with {_md(s.solver)}: {v.about['status']}"
        + (f", gap {s.gap * 100:.2f}%" if s.gap is not None else "")
        + f", {s.total_seconds:.1f} s. Food data: {_md(', '.join(plan.food_sources))}. "
        + f"{_md(plan.created_with)}."
    )
    if s.notes:
        lines += [""] + [f"- {_md(note)}" for note in s.notes]
    lines += ["", "| Nutrient | Min | From | Max | From | Goal |", "|---|---:|---|---:|---|---|"]
    lines += [
        f"| {_md(t['name'])} | {t['min']} | {_md(t['min_source'])} | "
        f"{t['max']} | {_md(t['max_source'])} | {t['goal']} |"
        for t in v.about["targets"]
    ]
    lines.append("")
    return "\n".join(lines)
