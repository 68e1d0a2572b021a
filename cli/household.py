"""``mealplan plan --household FILE``: a household's days planned together (the plan command's other half).

Parse, call :func:`mealplan.optimizer.household_planner.plan_household`, render. A member's rules live in
their profile: the flags that change one person's rules (``--symptom``, ``--require``, ...) do not go
with ``--household``.
"""

from __future__ import annotations

from pathlib import Path

import click

from mealplan.cli.common import emit, show

HOUSEHOLD_FORMATS = ("table", "json", "md", "html", "pdf")
# Flags of one person's plan, and what to do instead with a household.
NOT_WITH_HOUSEHOLD = {
    "profile_path": "--profile",
    "client_id": "--client",
    "symptoms": "--symptom",
    "factors": "--factor",
    "triage_path": "--triage",
    "require": "--require",
    "forbid": "--forbid",
    "diet_pattern": "--diet-pattern",
    "model_path": "--write-model",
    "units": "--units",
    "handout_note": "--note",
    "appendix": "--appendix",
}


def plan_for_household(path: Path, given: dict, opts: dict) -> None:
    """Plan the household in ``path`` and render it (``given``: the plan command's other parameters)."""
    clash = [flag for name, flag in NOT_WITH_HOUSEHOLD.items() if given.get(name) not in (None, (), False, "")]
    if clash:
        raise click.UsageError(f"{', '.join(clash)} does not go with --household: each member's rules are in their "
                               "profile (the household file names them).")  # fmt: skip
    fmt, output = given["fmt"], given["output"]
    if fmt not in HOUSEHOLD_FORMATS:
        raise click.UsageError(f"--format {fmt} is not made for a household yet; use one of "
                               f"{', '.join(HOUSEHOLD_FORMATS)} (each member's Plan is in the JSON).")  # fmt: skip
    from mealplan.cli.common import load_dish_library, load_foods
    from mealplan.cli.db import client_profile
    from mealplan.cli.resolve import check_pdf_output

    if fmt == "pdf":
        check_pdf_output(output)
    from mealplan.optimizer.household_planner import plan_household
    from mealplan.targets.household import load_household

    household = load_household(path, client_profile=lambda cid: client_profile(cid, given.get("db_path")))
    foods = load_foods(given["foods_paths"], given["no_bundled"])
    dishes = load_dish_library(given["dishes_paths"], foods) if given["dishes_paths"] else None
    source = click.get_current_context().get_parameter_source("time_limit")
    limit = None if source == click.core.ParameterSource.DEFAULT else opts["time_limit"]
    hp = plan_household(household, foods, days=opts["days"], objective=opts["objective"], time_limit=limit,
                        gap=opts["gap"], solver=opts["solver"], dishes=dishes, start=given.get("start"),
                        max_days_per_food=opts["max_days_per_food"])  # fmt: skip
    render_household(hp, foods, dishes, fmt, output)


def render_household(hp, foods, dishes, fmt: str, output: Path | None) -> None:
    """A household plan as ``--format`` asks (one of :data:`HOUSEHOLD_FORMATS`), to ``output`` or the terminal."""
    if fmt == "json":
        emit(hp.model_dump_json(indent=2) + "\n", output)
    elif fmt == "pdf":  # the household's page printed by Chromium (as a person's handout is)
        from mealplan.cli.resolve import write_pdf
        from mealplan.report.household import household_html
        from mealplan.report.pdf import print_pdf

        write_pdf(print_pdf(household_html(hp, foods, dishes)), output)
    elif fmt in ("md", "html"):
        from mealplan.report.household import household_html, household_markdown

        emit((household_html if fmt == "html" else household_markdown)(hp, foods, dishes), output)
    else:
        from mealplan.report.household import household_renderables

        show(household_renderables(hp, foods), output)
