"""The Markdown report: the same plan view as the HTML report, without charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mealplan.report.meals import MealView
from mealplan.report.quality import QualityView
from mealplan.report.shopping import shopping_markdown
from mealplan.report.text import md_escape
from mealplan.report.view import PlanView, build_view
from mealplan.triage import urgency_label

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.plan import Plan


def meal_markdown(meal: MealView) -> list[str]:
    """A meal: bold slot and title, portion and leftovers, the method in italics, then one line an item."""
    extra = ", ".join(x for x in (meal.portion_text, meal.leftover_text) if x)
    head = f"**{md_escape(meal.label)}: {md_escape(meal.title)}**" + (f" ({md_escape(extra)})" if extra else "")
    lines = [f"{head} — {meal.kcal:,.0f} kcal", ""]
    if meal.method:
        lines += [f"_{md_escape(meal.method)}_", ""]
    lines += [f"- {md_escape(i.text)} — {i.grams:.0f} g" for i in meal.ingredients]
    lines += [f"- Drink: {md_escape(i.text)} — {i.grams:.0f} g" for i in meal.drinks]
    lines.append("")
    return lines


def quality_markdown(q: QualityView) -> list[str]:
    """The food groups a day (and the week's average) against the pattern, and the HEI-2020 with its components."""
    lines = ["## Food groups and diet quality", ""]
    if q.pattern:
        lines += [f"Against the {md_escape(q.pattern)}: the pattern aims at {md_escape(q.aims)}.", ""]
    if q.rows:
        heads = [f"{c.name} ({c.unit})" for c in q.columns]
        heads += ["Whole-grain share", "Whole-fruit share", "Juice (cup-eq)", "Added sugars", "Saturated fat"]
        lines += ["| | " + " | ".join(md_escape(h) for h in heads) + " |", "|---|" + "---:|" * len(heads)]
        if q.pattern:
            goals = [c.goal for c in q.columns] + q.share_goals
            lines.append("| _Pattern, a day_ | " + " | ".join(goals) + " |")
        for r in q.rows:
            cells = [*r.amounts, r.whole_grains, r.whole_fruit, r.juice, r.added_sugars, r.saturated_fat]
            label = f"**{r.label}**" if r.week else r.label
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    if q.scopes:
        for scope, total, lost in zip(q.scopes, q.totals, q.lost, strict=True):
            heading = f"**Healthy Eating Index 2020** ({md_escape(scope)})"
            lines.append(f"{heading}: **{total}** of 100; points lost: {lost}.")
        lines += ["", "| Component | Max | " + " | ".join(md_escape(s) for s in q.scopes) + " |",
                  "|---|---:|" + "---:|" * len(q.scopes)]  # fmt: skip
        lines += [f"| {c.name} | {c.max_points} | " + " | ".join(c.points) + " |" for c in q.components]
        lines.append("")
    return lines


def heatmap_markdown(v: PlanView) -> list[str]:
    """The day-by-day table of a plan of several days: % of each target a day and for the week."""
    lines = ["## Day by day (% of each target)", ""]
    lines.append("| Nutrient | " + " | ".join(f"D{n}" for n in v.heat_days) + " | Week |")
    lines.append("|---|" + "---:|" * (v.n_days + 1))
    for row in v.heat_rows:
        cells = [f"{c.text}%" if c.color else "–" for c in row.cells]
        lines.append(f"| {md_escape(row.name)} | " + " | ".join(cells) + " |")
    return [*lines, ""]


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
        f"# {v.heading}: {md_escape(plan.profile_id)}",
        "",
        f"{md_escape(plan.rules.diet).capitalize()} · {md_escape(plan.targets.life_stage)} · "
        f"about {v.kcal_per_day:,.0f} kcal a day",
        "",
    ]
    if v.flags:
        lines += ["## ⚠ See a doctor about this first", ""]
        lines += [
            f"- **{md_escape(urgency_label(f.urgency))}** - **{md_escape(f.message)}** {md_escape(f.advice)}"
            for f in v.flags
        ]
        lines.append("")
    if v.disclaimer:
        lines += [f"> {md_escape(v.disclaimer)}", ""]

    tri = plan.triage
    if tri is not None and tri.suspected:
        lines += ["## Which nutrients to focus on", ""]
        for s, shown in zip(tri.suspected, (v.triage or {}).get("suspected", []), strict=False):
            lines.append(f"- **{md_escape(shown['name'])}** (score {s.score:g})")
            lines += [f"  - {md_escape(r.why)} _({md_escape(r.source)})_" for r in s.reasons]
        lines.append("")
        if tri.blood_tests:
            lines += ["**Blood tests worth asking about:** " + "; ".join(md_escape(t) for t in tri.blood_tests), ""]
        if tri.notes:
            lines += ["**Everyday habits that help:**", ""] + [f"- {md_escape(n)}" for n in tri.notes] + [""]

    lines += ["## What is still short, and why", ""]
    if not v.shortfalls:
        lines += ["Nothing: the plan reaches every target.", ""]
    for g in v.shortfalls:
        lines += [f"### {md_escape(g.name)}", "", md_escape(g.headline), ""]
        lines += [f"- {md_escape(w)}" for w in g.explanations]
        if g.technical:
            lines.append(f"- _Optimizer notes: {md_escape('; '.join(g.technical))}_")
        lines.append("")

    lines += [
        f"## Targets reached ({v.scope})",
        "",
        "| Nutrient | Amount | Target | Upper limit | % | Status |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [f"| {md_escape(b.name)} | {b.amount} | {b.target} | {b.limit} | {b.pct} | {b.status} |" for b in v.bars]
    lines.append("")

    if v.quality is not None:
        lines += quality_markdown(v.quality)

    if v.n_days > 1:
        lines += heatmap_markdown(v)

    lines += ["## The meals, day by day", ""]
    for d in v.days:
        lines += [f"### Day {d.number} — {d.kcal:,.0f} kcal ({d.macros_md})", ""]
        for meal in d.meals:
            lines += meal_markdown(meal)
        if d.short:
            lines += [f"_Short today: {md_escape(', '.join(d.short))}._", ""]
        if d.over:
            lines += [f"_Above the upper limit today: {md_escape(', '.join(d.over))}._", ""]
        if not d.short and not d.over:
            lines += ["_Every daily target reached._", ""]

    lines += ["## Where the key nutrients come from", ""]
    if v.sources is None:
        lines += ["_Food composition was not given to the report, so contributions per food cannot be shown._", ""]
    else:
        for block in v.sources:
            lines += [f"**{md_escape(block.name)}**", ""]
            if not block.lines:
                lines += ["_No food in the plan has a known value for it._", ""]
                continue
            lines += ["| Food | Per day | Share |", "|---|---:|---:|"]
            lines += [f"| {md_escape(s.name)} | {s.per_day} | {s.share * 100:.0f}% |" for s in block.lines]
            lines.append("")

    lines.append(shopping_markdown(v.shopping, heading_level=2))

    solve = plan.solve
    lines += ["## For your dietitian", ""]
    lines.append(
        f"Profile {md_escape(plan.profile_id)} ({md_escape(plan.targets.life_stage)}), "
        f"diet {md_escape(plan.rules.diet)}"
        + (f", allergies {md_escape(', '.join(plan.rules.allergies))}" if plan.rules.allergies else "")
        + (f", dislikes {md_escape(', '.join(plan.rules.dislikes))}" if plan.rules.dislikes else "")
        + f". Solved with {md_escape(solve.solver)}: {v.about['status']}"
        + (f", gap {solve.gap * 100:.2f}%" if solve.gap is not None else "")
        + f", {solve.total_seconds:.1f} s. Food data: {md_escape(', '.join(plan.food_sources))}. "
        + f"{md_escape(plan.created_with)}."
    )
    lines += ["", md_escape(v.ul_peak)]
    if solve.notes:
        lines += [""] + [f"- {md_escape(note)}" for note in solve.notes]
    lines += ["", "| Nutrient | Min | From | Max | From | Goal |", "|---|---:|---|---:|---|---|"]
    lines += [
        f"| {md_escape(t['name'])} | {t['min']} | {md_escape(t['min_source'])} | "
        f"{t['max']} | {md_escape(t['max_source'])} | {t['goal']} |"
        for t in v.about["targets"]
    ]
    lines.append("")
    return "\n".join(lines)
