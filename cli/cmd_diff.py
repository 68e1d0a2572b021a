"""``mealplan diff``: what changed between two plans (files or stored plan ids)."""

from __future__ import annotations

from pathlib import Path

import click

from mealplan.cli.common import emit, format_option, output_option, show
from mealplan.cli.db import db_option


@click.command("diff")
@click.argument("plan_a", metavar="A")
@click.argument("plan_b", metavar="B")
@db_option
@format_option(("table", "json", "md", "markdown"))
@output_option
def diff(plan_a: str, plan_b: str, db_path: Path | None, fmt: str, output: Path | None) -> None:
    """Compare two plans: meals added, removed and changed, and nutrient deltas.

    A and B are plan files (JSON) or stored plan ids (numbers from `mealplan history`); B's targets
    are the ones the deltas are read against.

    \b
    Example:
      mealplan diff week.json week-edited.json
      mealplan diff 3 4 --format markdown -o changes.md
    """
    from mealplan.workbench.diff import diff_plans
    from mealplan.workbench.render import diff_markdown, diff_renderables
    from mealplan.workbench.sources import read_plan

    a, b = read_plan(plan_a, db_path), read_plan(plan_b, db_path)
    result = diff_plans(a.plan, b.plan, a.label, b.label)
    if fmt == "json":
        emit(result.model_dump_json(indent=2) + "\n", output)
    elif fmt in ("md", "markdown"):
        emit(diff_markdown(result), output)
    else:
        show(diff_renderables(result), output)
