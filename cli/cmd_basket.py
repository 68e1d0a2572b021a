"""``mealplan basket``: the classic diet problem on any food table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mealplan.cli.common import emit, format_option, note, output_option, show, with_foods_options
from mealplan.numbers import fmt_exact
from mealplan.textsafe import term_text


@click.command()
@with_foods_options
@click.option(
    "--targets",
    "targets_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Nutrient bounds: CSV (nutrient,min[,max][,unit]) or YAML (nutrient: {min, max, unit}).",
)
@click.option(
    "--objective",
    type=click.Choice(["cost", "weight", "energy"]),
    default="cost",
    show_default=True,
    help="Minimise cost (price column), weight (grams, or basis units) or energy.",
)
@click.option(
    "--bound",
    "bounds",
    multiple=True,
    metavar="ID=MIN:MAX",
    help="Bound one food's amount in its basis units (either side may be blank). Repeatable.",
)
@click.option("--solver", type=click.Choice(["highs", "cbc"]), default="highs", show_default=True)
@click.option(
    "--write-model",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the LP to FILE (.mps or .lp) and stop without solving.",
)
@format_option(("table", "json", "csv"))
@output_option
def basket(
    foods_paths: tuple[Path, ...],
    no_bundled: bool,
    targets_path: Path,
    objective: str,
    bounds: tuple[str, ...],
    solver: str,
    write_model: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Solve the classic diet problem on any food table.

    Finds the cheapest (--objective cost), lightest (weight) or least-energy mix of foods that meets
    the nutrient minimums and maximums of a targets file, and reports the binding constraints with
    their shadow prices.

    \b
    Example (Stigler's 1939 diet problem, $39.66 a year):
      mealplan basket --foods examples/basket/commodities.csv --targets examples/basket/targets.csv --no-bundled

    Exit codes: 0 optimum found; 2 bad input; 3 the bounds conflict (the message names them).
    """
    from mealplan.cli.common import load_foods
    from mealplan.optimizer.basket import build_basket_model, solve_basket
    from mealplan.optimizer.basket_targets import load_basket_targets, parse_food_bound

    targets = load_basket_targets(targets_path).with_food_bounds([parse_food_bound(b) for b in bounds])
    table = load_foods(foods_paths, no_bundled)
    if write_model is not None:
        from mealplan.optimizer.solve import write_model as write

        prob, _ = build_basket_model(table, targets, objective)
        write(prob, write_model)
        note(f"wrote {write_model}")
        return
    result = solve_basket(table, targets, objective, solver=solver)
    if fmt == "json":
        emit(result.model_dump_json(indent=2) + "\n", output)
    elif fmt == "csv":
        emit(_csv(result), output)
    else:
        show(_tables(result), output)


def _csv(result: Any) -> str:
    import io

    from mealplan.textsafe import csv_writer

    buf = io.StringIO()
    w = csv_writer(buf, lineterminator="\n")
    w.writerow(["section", "id", "name", "amount", "unit", "grams", "cost", "min", "max", "binding", "shadow_price"])
    for f in result.foods:
        w.writerow(
            [
                "food",
                f.food_id,
                f.name,
                f"{f.amount:.6g}",
                f.basis,
                fmt_exact(f.grams),
                fmt_exact(f.cost),
                "",
                "",
                "",
                "",
            ]
        )
    for n in result.nutrients:
        w.writerow(
            ["nutrient", n.nutrient, n.name, f"{n.amount:.6g}", n.unit, "", "", fmt_exact(n.min), fmt_exact(n.max)]
            + [n.binding or "", fmt_exact(n.shadow_price)]
        )
    w.writerow(["objective", result.objective, "", f"{result.objective_value:.6g}", result.objective_unit])
    return buf.getvalue()


def _tables(result: Any) -> list[Any]:
    from rich.table import Table

    head = f"Optimum: {result.objective} = {result.objective_value:.6g} {result.objective_unit}"
    if result.cost is not None and result.objective != "cost":
        head += f" (cost {result.cost:.6g})"
    foods = Table("food", "name", "amount", "basis", "grams", "cost", title="Foods chosen", title_justify="left")
    for f in result.foods:
        amount, grams, cost = f"{f.amount:.4g}", fmt_exact(f.grams), fmt_exact(f.cost)
        foods.add_row(term_text(f.food_id), term_text(f.name), amount, f.basis, grams, cost)
    nuts = Table("nutrient", "total", "min", "max", "unit", "binding", "shadow price", title="Nutrients")
    nuts.title_justify = "left"
    for n in result.nutrients:
        nuts.add_row(
            n.nutrient,
            f"{n.amount:.4g}",
            fmt_exact(n.min),
            fmt_exact(n.max),
            n.unit,
            n.binding or "",
            fmt_exact(n.shadow_price),
        )
    notes = [f"{len(result.foods)} of {result.candidates} candidate foods used; solved by {result.solver}."]
    notes += result.notes
    return [head, foods, nuts, "\n".join(notes)]
