"""``mealplan households``: households kept in the workbench database (add, list, show, plan, pantry)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mealplan.cli.common import (
    FiniteFloat,
    dishes_option,
    emit,
    format_option,
    note,
    output_option,
    show,
    with_foods_options,
)
from mealplan.cli.db import db_option, open_store
from mealplan.cli.household import HOUSEHOLD_FORMATS
from mealplan.textsafe import term_text


@click.group("households")
def households() -> None:
    """Keep households in the database: members, shared meals, pantry and plans.

    \b
    Example:
      mealplan households add examples/households/home.yaml
      mealplan households plan okafor-family --days 7
      mealplan history okafor-family
    """


@households.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--embed", is_flag=True,
              help="Keep members given by a profile file inline in the household (default: each becomes a "
              "stored client, id the profile's).")  # fmt: skip
@click.option("--update", is_flag=True, help="Store FILE as the next version of a household already stored.")
@click.option("--name", default=None, help="The household's name (default: the file's name).")
@db_option
@with_foods_options
def add(file: Path, embed: bool, update: bool, name: str | None, db_path: Path | None, foods_paths, no_bundled) -> None:
    """Add a household from its YAML file, with the pantry CSV it names.

    A member given by a profile file becomes a stored client (its id the profile's; a client already stored
    with the same profile is used), unless --embed keeps the profile inside the household.

    \b
    Example:
      mealplan households add examples/households/home.yaml
      mealplan households add home.yaml --update
    """
    from mealplan.workbench.households import import_household, import_pantry

    with open_store(db_path) as store:
        done = import_household(store, file, embed=embed, update=update, name=name)
        for line in done.said:
            note(line)
        if done.pantry is not None:
            from mealplan.cli.common import load_foods

            rows = import_pantry(store, done.id, done.pantry, load_foods(foods_paths, no_bundled))
            note(f"stored the pantry of {done.id}: {rows} rows from {done.pantry}")
    emit(f"{'updated' if update else 'added'} household {done.id} (version {done.version}) in {store.path}\n", None)


@households.command("list")
@db_option
@format_option(("table", "json"))
@output_option
def list_(db_path: Path | None, fmt: str, output: Path | None) -> None:
    """List the households with their versions, plans and pantry rows.

    \b
    Example:
      mealplan households list --format json
    """
    from rich.table import Table

    from mealplan.workbench.household_store import households as stored

    with open_store(db_path) as store:
        rows = stored(store)
    if fmt == "json":
        emit(json.dumps({"households": [h.model_dump() for h in rows]}, indent=2) + "\n", output)
        return
    table = Table("id", "name", "versions", "plans", "pantry rows", "updated", title=f"{len(rows)} households",
                  title_justify="left")  # fmt: skip
    for h in rows:
        table.add_row(h.id, term_text(h.name or ""), str(h.versions), str(h.plans), str(h.pantry_items), h.updated)
    show([table], output)


@households.command("show")
@click.argument("household_id", metavar="ID")
@db_option
@format_option(("table", "json"))
@output_option
def show_(household_id: str, db_path: Path | None, fmt: str, output: Path | None) -> None:
    """Show one household: members, shared meals, pantry and plans.

    \b
    Example:
      mealplan households show okafor-family
    """
    from mealplan.workbench import household_store as hs
    from mealplan.workbench.render import household_renderables

    with open_store(db_path) as store:
        record = hs.household(store, household_id)
        version = hs.latest_household(store, household_id)
        pantry = hs.pantry_items(store, household_id)
        plans = store.plans(household_id)
    if fmt == "json":
        data = {"household": record.model_dump(), "version": version.model_dump(),
                "pantry": [i.model_dump(mode="json") for i in pantry],
                "plans": [p.model_dump() for p in plans]}  # fmt: skip
        emit(json.dumps(data, indent=2) + "\n", output)
        return
    show(household_renderables(record, version, pantry, plans), output)


@households.command("plan")
@click.argument("household_id", metavar="ID")
@click.option("--days", type=click.IntRange(1, 28), default=1, show_default=True, help="Days to plan (1-28).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The first day's date (default: the household's start, else today).")  # fmt: skip
@click.option("--objective", type=click.Choice(["shortfall", "cost"]), default="shortfall", show_default=True)
@click.option("--time-limit", type=FiniteFloat(min=0.1, max=86_400), default=None,
              help="The household's solver seconds per week (default: 30 s a member).")  # fmt: skip
@click.option("--gap", type=FiniteFloat(0, 0.5), default=0.01, show_default=True, help="Relative gap accepted.")
@db_option
@with_foods_options
@dishes_option
@format_option(HOUSEHOLD_FORMATS)
@output_option
def plan(household_id: str, days: int, date_from, objective: str, time_limit: float | None, gap: float,
         db_path: Path | None, foods_paths, no_bundled, dishes_paths, fmt: str,
         output: Path | None) -> None:  # fmt: skip
    """Plan a stored household (with its pantry) and keep the plan.

    Each member's latest stored profile is used; the output is `mealplan plan --household`'s, in the same
    formats.

    \b
    Example:
      mealplan households plan okafor-family --days 7 --format html -o home.html
    """
    from mealplan.cli.common import load_dish_library, load_foods
    from mealplan.cli.household import render_household
    from mealplan.workbench import household_store as hs
    from mealplan.workbench.households import plan_document, planning_document

    if fmt == "pdf":
        from mealplan.cli.resolve import check_pdf_output

        check_pdf_output(output)
    with open_store(db_path) as store:
        document = planning_document(store, household_id)
        items = hs.pantry_items(store, household_id)
    foods = load_foods(foods_paths, no_bundled)
    dishes = load_dish_library(dishes_paths, foods) if dishes_paths else None
    hp = plan_document(document, items, foods, source=f"household {household_id}", days=days, objective=objective,
                       time_limit=time_limit, gap=gap, dishes=dishes,
                       start=date_from.date() if date_from else None)  # fmt: skip
    with open_store(db_path) as store:
        plan_id = hs.add_household_plan(store, household_id, hp)
    note(f"stored plan {plan_id} for household {household_id} in {store.path}")
    render_household(hp, foods, dishes, fmt, output)


@households.command("pantry")
@click.argument("household_id", metavar="ID")
@click.option("--import", "import_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A pantry CSV (food, amount, unit, use_by) that replaces the stored pantry.")  # fmt: skip
@click.option("--clear", is_flag=True, help="Remove every stored pantry row.")
@db_option
@with_foods_options
@format_option(("table", "json"))
@output_option
def pantry(household_id: str, import_path: Path | None, clear: bool, db_path: Path | None, foods_paths, no_bundled,
           fmt: str, output: Path | None) -> None:  # fmt: skip
    """Show a household's stored pantry, or replace it from a pantry CSV.

    --import FILE replaces the stored rows with the CSV's (food, amount, unit, use_by); --clear empties it.

    \b
    Example:
      mealplan households pantry okafor-family --import examples/households/pantry.csv
      mealplan households pantry okafor-family
    """
    from mealplan.workbench import household_store as hs
    from mealplan.workbench.households import import_pantry
    from mealplan.workbench.render import pantry_renderables

    if import_path is not None and clear:
        raise click.UsageError("--import and --clear both replace the pantry: give one of them.")
    with open_store(db_path) as store:
        if import_path is not None:
            from mealplan.cli.common import load_foods

            rows = import_pantry(store, household_id, import_path, load_foods(foods_paths, no_bundled))
            note(f"stored the pantry of {household_id}: {rows} rows from {import_path}")
        elif clear:
            hs.household(store, household_id)
            hs.set_pantry(store, household_id, [])
            note(f"emptied the pantry of {household_id}")
        items = hs.pantry_items(store, household_id)
    if fmt == "json":
        emit(json.dumps({"pantry": [i.model_dump(mode="json") for i in items]}, indent=2) + "\n", output)
        return
    show(pantry_renderables(household_id, items), output)
