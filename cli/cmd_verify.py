"""``mealplan verify``: re-check a saved plan independently of the model that made it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mealplan.cli.common import FiniteFloat, emit, format_option, output_option, quiet, show, with_foods_options
from mealplan.textsafe import term_text


@click.command()
@click.argument("plan_path", metavar="PLAN.json", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_foods_options
@click.option("--tolerance", type=FiniteFloat(0, 0.01), default=1e-6, show_default=True,
              help="Relative tolerance for recomputed amounts.")  # fmt: skip
@format_option(("table", "json"))
@output_option
def verify(
    plan_path: Path,
    foods_paths: tuple[Path, ...],
    no_bundled: bool,
    tolerance: float,
    fmt: str,
    output: Path | None,
) -> None:
    """Re-check a saved plan against the food data and every rule.

    Recomputes the plan's totals from the food tables on a code path of its own and checks every
    rule the plan records; a plan of schema 2.1 also shows its food groups and diet quality
    (HEI-2020). The food tables are the ones the plan names (the bundled USDA table and any CSV
    files); --foods replaces the CSV files, e.g. after they moved.

    A household's plan (mealplan plan --household) is checked member by member, then for the
    household's rules: shared meals one dish for everyone who eats it, members apart named with a
    reason, and the shopping list the sum of every portion minus the pantry.

    Exit codes: 0 the plan passes every check; 1 problems were found (listed); 2 the file is not a
    plan or a food table cannot be read.

    \b
    Example:
      mealplan plan --profile examples/profiles/pregnant.yaml --days 7 --format json -o week.json
      mealplan verify week.json
    """
    from mealplan.food_data.loading import load_tables
    from mealplan.household_plan import HouseholdPlan, load_any_plan
    from mealplan.plan_files import plan_tables
    from mealplan.verify.verifier import verify_plan

    plan = load_any_plan(plan_path)
    one = plan.members[0].plan if isinstance(plan, HouseholdPlan) else plan
    paths, bundled = plan_tables(one, foods_paths, no_bundled)
    foods = load_tables(paths, bundled=bundled)
    if isinstance(plan, HouseholdPlan):
        _household(plan_path, plan, foods, tolerance, fmt, output)
        return
    report = verify_plan(plan, foods, tolerance=tolerance)
    if fmt == "json":
        emit(report.model_dump_json(indent=2) + "\n", output)
    else:
        from mealplan.report.terminal import quality_tables

        show(_tables(plan_path, report) + ([] if quiet() else quality_tables(plan, foods)), output)
    if not report.ok:
        click.get_current_context().exit(1)


def _tables(plan_path: Path, report: Any) -> list[Any]:
    from rich.table import Table

    counts = report.problems_by_check()
    failed = [c for c, n in counts.items() if n]
    head = (
        f"{plan_path}: all {len(counts)} checks passed."
        if report.ok
        else f"{plan_path}: {len(report.problems)} problem{'s' * (len(report.problems) != 1)} in {len(failed)} of "
        f"{len(counts)} checks."
    )
    checks = Table("check", "result", "problems", title="Checks", title_justify="left")
    for check, n in counts.items():
        checks.add_row(check, "FAIL" if n else "ok", str(n) if n else "")
    from mealplan.verify.edits import HARD_CHECKS

    hard = [p for p in report.problems if p.check in HARD_CHECKS]
    rest = [p for p in report.problems if p.check not in HARD_CHECKS]
    out: list[Any] = [head]
    for title, rows in (
        ("Hard rules broken (allergen, diet, safety, excluded or forbidden food, upper limit, clinical limit)", hard),
        ("Checks", None),
        ("Other problems" if hard else "Problems", rest),
        ("Accepted: rules bent on days a person edited (recorded edits), goals not reached", report.accepted),
    ):
        if rows is None:
            if not quiet():  # -q: the head line and the problems, not the list of checks
                out.append(checks)
        elif rows:
            table = Table("check", "where", "problem", title=title, title_justify="left")
            for p in rows:
                table.add_row(p.check, term_text(p.where), term_text(p.message))
            out.append(table)
    return out


def _household(plan_path: Path, plan: Any, foods: Any, tolerance: float, fmt: str, output: Path | None) -> None:
    """A household plan: each member's report, then the household's checks; exit 1 when any fails."""
    from rich.table import Table

    from mealplan.verify.household import verify_household

    report = verify_household(plan, foods, tolerance=tolerance)
    if fmt == "json":
        emit(report.model_dump_json(indent=2) + "\n", output)
    else:
        bad = sum(not r.ok for r in report.members.values())
        head = (f"{plan_path}: every member's plan and the household's {len(report.checks_run)} checks passed."
                if report.ok else f"{plan_path}: {bad} member plan(s) and {len(report.problems)} household "
                f"problem(s) failed.")  # fmt: skip
        out: list[Any] = [head]
        for member, r in report.members.items():
            out.append(f"{term_text(member)}: " + ("all checks passed" if r.ok else f"{len(r.problems)} problem(s)"))
            out += _tables(Path(f"{plan_path}#{member}"), r)[1:] if not r.ok else []
        if report.problems:
            table = Table("check", "where", "problem", title="Household problems", title_justify="left")
            for p in report.problems:
                table.add_row(p.check, term_text(p.where), term_text(p.message))
            out.append(table)
        show(out, output)
    if not report.ok:
        click.get_current_context().exit(1)
