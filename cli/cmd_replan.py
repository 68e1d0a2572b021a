"""``mealplan replan`` and ``mealplan lock``: re-plan one day or meal of a saved plan, keep locked meals."""

from __future__ import annotations

from pathlib import Path

import click

from mealplan.cli.common import FiniteFloat, dishes_option, emit, output_option, with_foods_options
from mealplan.cli.db import db_option


@click.command("replan")
@click.argument("plan_arg", metavar="PLAN")
@click.option("--day", type=int, required=True, help="The day to re-plan.")
@click.option("--meal", default=None, help="Only this meal of the day (the day's other meals are kept).")
@click.option("--lock", "locks", multiple=True, metavar="DAY:MEAL",
              help="Also keep this meal as it is (beside the plan's locked meals). Repeatable.")  # fmt: skip
@click.option("--profile", "profile_path", type=click.Path(path_type=Path),
              help="The person's profile, for its price table (the plan's rules and targets are used).")  # fmt: skip
@click.option(
    "--time-limit", type=FiniteFloat(min=0.1, max=86_400), default=30.0, show_default=True, help="Solver seconds."
)
@click.option("--solver", type=click.Choice(["highs", "cbc"]), default="highs", show_default=True)
@with_foods_options
@dishes_option
@db_option
@output_option
def replan(plan_arg: str, day: int, meal: str | None, locks, profile_path, time_limit: float, solver: str,
           foods_paths, no_bundled, dishes_paths, db_path, output: Path | None) -> None:  # fmt: skip
    """Re-plan one day or one meal of a saved plan, keeping everything else.

    The week's other days stay byte-identical; its weekly rules (dish and food variety, weekly
    nutrients) still hold over the whole week. Locked meals (`mealplan lock`, or --lock) are kept.
    PLAN is a plan file or a stored plan id (the new plan is then stored, its parent recorded).
    Writes the new plan's JSON (standard output unless -o).

    \b
    Example:
      mealplan lock week.json --day 2 --meal dinner --day 5 --meal dinner -o week.json
      mealplan replan week.json --day 3 -o week-v2.json
      mealplan replan week.json --day 3 --meal dinner -o week-v3.json
    """
    from mealplan.cli.cmd_edit import _plan_foods
    from mealplan.cli.common import load_dish_library, load_profile_arg
    from mealplan.cli.db import store_plan
    from mealplan.optimizer.replan import replan as replan_plan
    from mealplan.workbench.replan import parse_meal_ref
    from mealplan.workbench.sources import read_plan

    refs = [parse_meal_ref(t) for t in locks]
    source = read_plan(plan_arg, db_path)
    foods = _plan_foods(source.plan, foods_paths, no_bundled)
    profile = load_profile_arg(profile_path) if profile_path else None
    dishes = load_dish_library(dishes_paths, foods) if dishes_paths else None
    result = replan_plan(source.plan, foods, day=day, meal=meal, locks=refs, profile=profile, dishes=dishes,
                         parent=source.ref, time_limit=time_limit, solver=solver)  # fmt: skip
    if source.plan_id is not None and source.client_id is not None:
        store_plan(source.client_id, db_path, result, None, parent_id=source.plan_id, action="replan")
    emit(result.model_dump_json(indent=2) + "\n", output)


@click.command("lock")
@click.argument("plan_arg", metavar="PLAN")
@click.option("--day", "days", type=int, multiple=True, required=True, help="A meal's day (pairs with --meal).")
@click.option("--meal", "meals", multiple=True, required=True, help="A meal's name (pairs with --day).")
@click.option("--unlock", is_flag=True, help="Unlock these meals instead.")
@db_option
@output_option
def lock(plan_arg: str, days, meals, unlock: bool, db_path, output: Path | None) -> None:
    """Lock meals of a saved plan so `mealplan replan` keeps them as they are.

    Give --day and --meal once per meal, in pairs. PLAN is a plan file or a stored plan id (the
    locked plan is then stored as a new plan). Writes the plan's JSON (standard output unless -o).

    \b
    Example:
      mealplan lock week.json --day 2 --meal dinner --day 5 --meal dinner -o week.json
    """
    from mealplan.cli.db import store_plan
    from mealplan.errors import InputError
    from mealplan.workbench.replan import lock_meals
    from mealplan.workbench.sources import read_plan

    if len(days) != len(meals):
        raise InputError(f"Give --day and --meal in pairs: got {len(days)} --day and {len(meals)} --meal.")
    source = read_plan(plan_arg, db_path)
    result = lock_meals(source.plan, list(zip(days, meals, strict=True)), unlock=unlock)
    result = result.model_copy(update={"parent_id": source.ref})
    if source.plan_id is not None and source.client_id is not None:
        store_plan(
            source.client_id, db_path, result, None, parent_id=source.plan_id, action="unlock" if unlock else "lock"
        )
    emit(result.model_dump_json(indent=2) + "\n", output)
