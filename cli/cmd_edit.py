"""``mealplan edit`` and ``mealplan rescore``: change a saved plan by hand, recompute it from the food data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mealplan.cli.common import emit, output_option, with_foods_options
from mealplan.cli.db import db_option

if TYPE_CHECKING:
    from mealplan.plan import Plan


@click.command("edit")
@click.argument("plan_arg", metavar="PLAN")
@click.option("--day", type=int, required=True, help="The day to edit (1 for a day plan).")
@click.option("--meal", required=True, help="The meal to edit: breakfast, lunch, dinner, snack (as the plan names it).")
@click.option("--set", "sets", multiple=True, metavar="ID=GRAMS", help="Change an item's amount. Repeatable.")
@click.option("--remove", "removes", multiple=True, metavar="ID", help="Remove an item. Repeatable.")
@click.option("--add", "adds", multiple=True, metavar="ID=GRAMS", help="Add a food. Repeatable.")
@click.option("--note", default="", help="Why, recorded with each change.")
@with_foods_options
@db_option
@output_option
def edit(plan_arg: str, day: int, meal: str, sets, removes, adds, note: str, foods_paths, no_bundled, db_path,
         output: Path | None) -> None:  # fmt: skip
    """Edit one meal of a saved plan and rescore it, recording each change.

    PLAN is a plan file or a stored plan id (the edited plan is then stored as a new plan whose parent
    it is). Writes the edited plan's JSON (standard output unless -o). Any amount is allowed (30 g of
    tahini); `mealplan verify` accepts recorded edits and still checks every hard rule.

    \b
    Example:
      mealplan edit week.json --day 2 --meal lunch --set 12166=30 --remove 11090 -o week-edited.json
    """
    from mealplan.cli.db import store_plan
    from mealplan.errors import InputError
    from mealplan.workbench.edit import edit_plan, parse_item_edit
    from mealplan.workbench.sources import read_plan

    edits = [parse_item_edit("set", s) for s in sets] + [parse_item_edit("remove", r) for r in removes]
    edits += [parse_item_edit("add", a) for a in adds]
    if not edits:
        raise InputError("Nothing to edit: give --set ID=GRAMS, --remove ID or --add ID=GRAMS.")
    source = read_plan(plan_arg, db_path)
    foods = _plan_foods(source.plan, foods_paths, no_bundled)
    result = edit_plan(source.plan, foods, day, meal, edits, note=note, parent=source.ref)
    if source.plan_id is not None and source.client_id is not None:
        store_plan(source.client_id, db_path, result, None, parent_id=source.plan_id, action="edit")
    emit(result.model_dump_json(indent=2) + "\n", output)


@click.command("rescore")
@click.argument("plan_arg", metavar="PLAN")
@with_foods_options
@db_option
@output_option
def rescore(plan_arg: str, foods_paths, no_bundled, db_path, output: Path | None) -> None:
    """Recompute a saved plan's totals, shortfalls and cost from the food data.

    Run it after editing a plan's JSON by hand.

    Items whose grams were changed in the JSON (or added as just "food_id" and "grams") are completed
    from the food table and recorded as hand edits, so `mealplan verify` tells them from tampering.

    \b
    Example:
      mealplan rescore week-edited.json -o week-edited.json
    """
    from mealplan.workbench.edit import rescore as rescore_plan
    from mealplan.workbench.sources import is_plan_id, read_plan, read_raw_plan

    plan: Plan | dict[str, Any]
    if is_plan_id(plan_arg):
        plan = read_plan(plan_arg, db_path).plan
    else:
        plan = read_raw_plan(Path(plan_arg))
    foods = _plan_foods(plan, foods_paths, no_bundled)
    emit(rescore_plan(plan, foods).model_dump_json(indent=2) + "\n", output)


def _plan_foods(plan, foods_paths, no_bundled):
    from mealplan.food_data.loading import load_tables
    from mealplan.plan_files import plan_tables

    paths, bundled = plan_tables(plan if hasattr(plan, "food_sources") else _Sources(plan), foods_paths, no_bundled)
    return load_tables(paths, bundled=bundled)


class _Sources:
    """The ``food_sources`` of a raw (dict) plan, for :func:`plan_tables`."""

    def __init__(self, data: dict) -> None:
        self.food_sources = [str(s) for s in data.get("food_sources", []) or []]
