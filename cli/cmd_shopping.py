"""``mealplan shopping``: a saved plan's foods as a shopping list, by store section."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from mealplan.cli.common import emit, format_option, output_option, show, with_foods_options
from mealplan.textsafe import term_text

if TYPE_CHECKING:
    from rich.console import JustifyMethod


@click.command()
@click.argument("plan_path", metavar="PLAN.json", type=click.Path(dir_okay=False, path_type=Path))
@with_foods_options
@format_option(("table", "csv", "md", "json"))
@output_option
def shopping(plan_path: Path, foods_paths: tuple[Path, ...], no_bundled: bool, fmt: str, output: Path | None) -> None:
    """Turn a saved plan into a shopping list by store section.

    The plan is a file saved with `mealplan plan --format json`; a household's plan (`--household`)
    gives one list for every member, minus what the pantry holds. Amounts are rounded up to what a
    shop sells (6 medium bananas, 1.5 L soy milk, 1 loaf of bread, 450 g chicken breast) with the
    grams eaten kept beside them. Household measures come from the food tables the plan names
    (--foods replaces its CSV files); with --no-bundled and no --foods, the plan's own serving sizes
    are used.

    \b
    Example:
      mealplan plan --profile examples/profiles/pregnant.yaml --days 7 --format json -o week.json
      mealplan shopping week.json --format md -o shopping.md
    """
    from mealplan.food_data.loading import load_tables
    from mealplan.household_plan import HouseholdPlan, load_any_plan
    from mealplan.plan_files import plan_tables
    from mealplan.report.household import household_shopping
    from mealplan.report.shopping import shopping_csv, shopping_list, shopping_markdown, shopping_rows

    plan = load_any_plan(plan_path)
    one = plan.members[0].plan if isinstance(plan, HouseholdPlan) else plan
    paths, bundled = plan_tables(one, foods_paths, no_bundled)
    foods = load_tables(paths, bundled=bundled) if paths or bundled else None
    result = household_shopping(plan, foods) if isinstance(plan, HouseholdPlan) else shopping_list(plan, foods)
    if fmt == "json":
        emit(result.model_dump_json(indent=2) + "\n", output)
    elif fmt == "csv":
        emit(shopping_csv(result), output)
    elif fmt == "md":
        emit(shopping_markdown(result), output)
    else:
        show([_table(result, shopping_rows(result)), *_dishes(result)], output)


def _table(result, rows):
    from rich.table import Table

    span = f"{result.days} days" if result.days != 1 else "1 day"
    table = Table(title=f"Shopping list: {result.profile_id} ({span})", title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Section", "left"),
        ("Buy", "left"),
        ("Grams", "right"),
        ("Days", "left"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify)
    previous = None
    for row in rows:
        section = row["section"] if row["section"] != previous else ""
        previous = row["section"]
        table.add_row(term_text(section), term_text(row["buy"]), f"{row['grams']:,}", term_text(row["days"]))
    return table


def _dishes(result) -> list:
    """The "Dishes this week" table: each dish once, the meals it feeds, and leftovers cooked once."""
    if not result.dishes:
        return []
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Dishes this week", title_justify="left")
    for name in ("Dish", "Eaten", "Cooked"):
        table.add_column(name)
    for dish in result.dishes:
        cooked = dish.note or {1: "once", 2: "twice"}.get(dish.times_cooked, f"{dish.times_cooked} times")
        table.add_row(f"[bold]{escape(dish.title)}[/bold]", escape(", ".join(dish.meals)), escape(cooked))
    return [table]
