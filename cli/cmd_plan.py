"""``mealplan plan``: a day or a week of meals that reach a profile's targets."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, cast

import click

from mealplan.cli.common import (
    FiniteFloat,
    dishes_option,
    emit,
    format_option,
    output_option,
    show,
    with_foods_options,
)
from mealplan.cli.db import client_profile, db_option, store_plan


@click.command("plan")
@click.option(
    "--profile",
    "profile_path",
    default=None,
    type=click.Path(allow_dash=True, path_type=Path),
    help="Profile file (YAML, TOML or JSON); '-' reads it from standard input. Optional with --client.",
)
@click.option(
    "--household",
    "household_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A household file (YAML): its members planned together, shared meals one dish, one shopping list. "
    "Instead of --profile.",
)
@click.option(
    "--days", type=click.IntRange(1, 28), default=1, show_default=True,
    help="1 for a day, 7 for a week, up to 28 (weekly rules hold in each block of 7 days).",
)  # fmt: skip
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Plan for dates: the first day (with --to; instead of --days).")  # fmt: skip
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The last day planned (with --from); at most 28 days in all.")  # fmt: skip
@click.option("--symptom", "symptoms", multiple=True, metavar="ID", help="Add a symptom for triage (repeatable).")
@click.option("--factor", "factors", multiple=True, metavar="ID", help="Add a risk factor for triage (repeatable).")
@click.option("--triage", "triage_path", type=click.Path(path_type=Path), help="A saved triage JSON to use.")
@click.option(
    "--objective",
    type=click.Choice(["shortfall", "cost"]),
    default="shortfall",
    show_default=True,
    help="After reaching targets, prefer typical servings (shortfall) or the cheapest plan (cost).",
)
@click.option(
    "--time-limit",
    type=FiniteFloat(min=0.1, max=86_400),
    default=30.0,
    show_default=True,
    help="Solver seconds for the plan, or for each week of a longer plan.",
)
@click.option(
    "--gap",
    type=FiniteFloat(0, 0.5),
    default=0.01,
    show_default=True,
    help="Relative optimality gap accepted (0.01 = 1 %).",
)
@click.option("--solver", type=click.Choice(["highs", "cbc"]), default="highs", show_default=True)
@click.option(
    "--max-days-per-food",
    type=click.IntRange(1, 7),
    default=4,
    show_default=True,
    help="In each week, a food appears on at most this many days (everyday foods such as milk, oil and "
    "bread excepted).",
)
@click.option(
    "--write-model",
    "model_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the first day's model (.mps or .lp) for inspection or another solver.",
)
@click.option("--client", "client_id", metavar="ID",
              help="A client in the database: plan with their latest profile (or store --profile as a new "
              "version) and store the plan in their history.")  # fmt: skip
@db_option
@click.option("--require", "require", multiple=True, metavar="FOOD[@DAYS][:MEAL][=GRAMS]",
              help="A food or dish (id or name) the plan must serve, e.g. 12166@2:lunch=30 or "
              "'lentil dal@3' (hard). Repeatable.")  # fmt: skip
@click.option("--forbid", "forbid", multiple=True, metavar="FOOD",
              help="A food or dish (id or name), a glob or a group word (fish) the plan never serves (hard); "
              "a name of several foods asks which. Repeatable.")  # fmt: skip
@click.option("--diet-pattern", "diet_pattern", metavar="NAME",
              help="low-carb, mediterranean, dash or high-protein: its macro ranges replace the AMDR.")  # fmt: skip
@with_foods_options
@dishes_option
@format_option(("table", "json", "csv", "md", "html", "pdf"))
@output_option
@click.option("--units", type=click.Choice(["metric", "us"]), default=None,
              help="The handout's units (--format pdf): metric or US; default: the profile's units.")  # fmt: skip
@click.option("--note", "handout_note", default="", metavar="TEXT",
              help="The dietitian's note, printed first on the handout (--format pdf).")  # fmt: skip
@click.option("--appendix", is_flag=True, help="Add the technical appendix to the handout (--format pdf).")
def plan(
    profile_path: Path | None,
    symptoms,
    factors,
    triage_path,
    foods_paths,
    no_bundled,
    dishes_paths,
    fmt,
    output,
    client_id: str | None = None,
    db_path: Path | None = None,
    require=(),
    forbid=(),
    diet_pattern=None,
    date_from=None,
    date_to=None,
    units=None,
    handout_note="",
    appendix=False,
    household_path: Path | None = None,
    **opts,
) -> None:
    """Plan a day or a week of meals that reach a profile's nutrient targets.

    Red flags and the educational-use disclaimer come first. Targets that cannot be reached are
    listed with the rules that stand in the way and the foods that would close them.

    With --household, every member of a household file is planned together: shared meals are one
    dish with each person's own portion, every person's rules hold, and the JSON holds each member's
    plan, the shared meals, the pantry used and one shopping list (--time-limit is then the
    household's per week; default 30 s a member).

    \b
    Example:
      mealplan plan --profile examples/profiles/vegan_twitching.yaml --days 7 --format html -o week.html
      mealplan plan --household examples/households/home.yaml --days 7 --format json -o home.json
    """
    from mealplan.cli.common import load_dish_library, load_foods
    from mealplan.cli.common import load_profile_arg as load_profile
    from mealplan.optimizer.planner import make_plan

    start = _date_range(date_from, date_to, opts)
    if household_path is not None:
        from mealplan.cli.household import plan_for_household

        given = dict(locals())
        plan_for_household(household_path, given, opts)
        return
    if profile_path is None and client_id is None:
        raise click.UsageError(
            "Missing option '--profile' (or '--client ID' to plan for a client in the database, or '--household "
            "FILE' for a household)."
        )
    profile = load_profile(profile_path) if profile_path is not None else client_profile(cast(str, client_id), db_path)
    if symptoms or factors:
        profile = _with_terms(profile, symptoms, factors)
    triage = _triage(triage_path) if triage_path else None
    foods = load_foods(foods_paths, no_bundled)
    dishes = load_dish_library(dishes_paths, foods) if dishes_paths else None
    if require or forbid or diet_pattern:
        from mealplan.cli.resolve import resolve_rules
        from mealplan.workbench.clients import with_plan_rules

        require, forbid = resolve_rules(require, forbid, foods, dishes)
        profile = with_plan_rules(profile, require, forbid, diet_pattern)
    result = make_plan(profile, foods, triage=triage, dishes=dishes, **opts)
    if start is not None:
        result = result.model_copy(update={"start_date": start})
    if client_id is not None:
        store_plan(client_id, db_path, result, profile)
    if fmt == "pdf":
        from mealplan.cli.resolve import write_handout

        name = _client_name(client_id, db_path) or profile.name or profile.id
        write_handout(result, foods, output, name=name, note=handout_note, units=_units(units, profile),
                      appendix=appendix)  # fmt: skip
        return
    _render(result, foods, fmt, output)


def _units(units: str | None, profile) -> str:
    """The handout's units: ``--units`` on the command line, else the profile's when it sets them, else the
    config file's ``units``, else metric."""
    source = click.get_current_context().get_parameter_source("units")
    if units is not None and source in (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT):
        return units
    if "units" in profile.model_fields_set:
        return profile.units
    return units or profile.units


def _client_name(client_id: str | None, db_path: Path | None) -> str | None:
    if client_id is None:
        return None
    from mealplan.cli.db import open_store

    with open_store(db_path) as store:
        return store.client(client_id).name or None


def _date_range(date_from, date_to, opts: dict):
    """The first date of a plan given --from and --to (setting ``opts["days"]``), or None."""
    if date_from is None and date_to is None:
        return None
    if date_from is None or date_to is None:
        raise click.UsageError("--from and --to go together: give both dates (YYYY-MM-DD), or --days alone.")
    if click.get_current_context().get_parameter_source("days") != click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--days and --from/--to both say how long the plan is: give one of them.")
    days = (date_to.date() - date_from.date()).days + 1
    if not 1 <= days <= 28:
        raise click.BadParameter(
            f"{date_from:%Y-%m-%d} to {date_to:%Y-%m-%d} is {days} days; a plan covers 1 to 28 days, --to not "
            "before --from.",
            param_hint="'--from'/'--to'",
        )
    opts["days"] = days
    return date_from.date()


def _with_terms(profile, symptoms: tuple[str, ...], factors: tuple[str, ...]):
    """The profile with --symptom and --factor terms added (synonyms resolved; unknown ones named)."""
    from mealplan.errors import InputError
    from mealplan.triage import implies_multiple_groups, normalize_terms

    problems: list[str] = []
    found: dict[str, list[str]] = {}
    asked: tuple[tuple[Literal["symptom", "factor"], str, tuple[str, ...]], ...] = (
        ("symptom", "--symptom", symptoms),
        ("factor", "--factor", factors),
    )
    for kind, flag, terms in asked:
        try:
            found[kind] = normalize_terms(kind, list(terms))
        except InputError as exc:
            problems.extend(f"{flag}: {p}" for p in exc.problems)
    if problems:
        raise InputError(
            "Unknown symptom or risk factor ('mealplan triage --list' shows every id with its synonyms):", problems
        )
    return profile.model_copy(
        update={
            "symptoms": list(dict.fromkeys([*profile.symptoms, *found["symptom"]])),
            "factors": list(dict.fromkeys([*profile.factors, *found["factor"]])),
            # "body twitching", "cramps all over": the wording says more than one muscle group.
            "multiple_groups": profile.multiple_groups or implies_multiple_groups(list(symptoms)),
        }
    )


def _triage(path: Path):
    """A saved triage result; errors name the --triage flag and the file."""
    from mealplan.errors import ConfigError
    from mealplan.targets.compute import load_triage

    try:
        return load_triage(path)
    except ConfigError as exc:
        raise ConfigError(f"--triage {exc.message}", exc.problems) from None


def _render(result, foods, fmt: str, output: Path | None) -> None:
    if fmt == "json":
        emit(result.model_dump_json(indent=2) + "\n", output)
    elif fmt in ("md", "html"):
        from mealplan.report import render_html, render_markdown

        emit((render_html if fmt == "html" else render_markdown)(result, foods), output)
    elif fmt == "csv":
        from mealplan.report.terminal import plan_csv

        emit(plan_csv(result), output)
    else:
        from mealplan.report.terminal import plan_renderables

        show(plan_renderables(result, foods), output)
