"""``mealplan history``: a client's stored plans with their key figures; export one as JSON."""

from __future__ import annotations

from pathlib import Path

import click

from mealplan.cli.common import emit, format_option, output_option, show
from mealplan.cli.db import db_option, open_store


@click.command("history")
@click.argument("client_id", metavar="CLIENT")
@click.option("--export", "export_id", metavar="PLAN_ID",
              help="Write that stored plan's JSON (as `plan --format json` wrote it) instead of the list.")  # fmt: skip
@db_option
@format_option(("table", "json"))
@output_option
def history(client_id: str, export_id: str | None, db_path: Path | None, fmt: str, output: Path | None) -> None:
    """List a client's stored plans with their key figures, or export one as JSON.

    CLIENT may be a household (`mealplan households`): its household plans are listed and exported.

    \b
    Example:
      mealplan history vegan-twitching
      mealplan history vegan-twitching --export 3 -o week.json
    """
    from mealplan.errors import InputError
    from mealplan.workbench import household_store
    from mealplan.workbench.render import history_renderables
    from mealplan.workbench.store_checks import plan_id

    export = None if export_id is None else plan_id(export_id, "--export")
    with open_store(db_path) as store:
        household = store.kind_of(client_id) == "household"
        client = household_store.household(store, client_id) if household else store.client(client_id)
        if export is not None:
            record = store.plan_record(export)
            if record.client_id != client.id:
                raise InputError(f"--export {export}: plan {export} belongs to client {record.client_id!r}, "
                                 f"not {client.id!r}.")  # fmt: skip
            plan = household_store.household_plan(store, export) if household else store.plan(export)
            emit(plan.model_dump_json(indent=2) + "\n", output)
            return
        plans = store.plans(client_id)
    if fmt == "json":
        import json

        data = {"client": client.model_dump(), "plans": [p.model_dump() for p in plans]}
        emit(json.dumps(data, indent=2) + "\n", output)
        return
    show(history_renderables(client, plans), output)
