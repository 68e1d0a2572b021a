"""``mealplan targets``: a profile's daily nutrient targets and where each bound comes from.

Only click and cli.common are imported at module level; the library and rich are imported when the
command runs, so the command starts fast.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mealplan.cli.common import emit, format_option, output_option, show
from mealplan.numbers import fmt_exact

if TYPE_CHECKING:
    from rich.console import JustifyMethod

CSV_FIELDS = (
    "nutrient",
    "name",
    "unit",
    "min",
    "max",
    "priority",
    "suspected",
    "weekly",
    "min_source",
    "max_source",
)


@click.command("targets")
@click.option(
    "--profile",
    "profile_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
    help="Profile file (YAML, TOML or JSON); '-' reads it from standard input.",
)
@click.option(
    "--triage",
    "triage_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Saved triage result (mealplan triage --format json). Default: triage the profile's own symptoms.",
)
@format_option(("table", "json", "csv"))
@output_option
def targets(profile_path: Path, triage_path: Path | None, fmt: str, output: Path | None) -> None:
    """Show a profile's daily targets and where each one comes from.

    Minimums are the RDA or AI for the life stage (vegetarian iron x1.8, zinc x1.5), raised for
    suspected deficiencies; maximums are 90 % of the upper limits that apply to food. Medicines and
    conditions in 'factors:' adjust potassium, sodium, water and B12, each bound naming its source,
    with notes to take to the prescriber. 'conditions:' (kidney disease, bariatric surgery, lactose
    intolerance, heavy periods), warfarin, children's ages, pregnancy and 'supplements:' add their
    rules, listed with their sources (docs/clinical-scope.md); a condition that needs the clinician's
    numbers is refused with exit 2, naming the fields. The dietitian's 'nutrients:' bounds win over
    all of them. Suspected nutrients are marked '*' with their priority.

    Example: mealplan targets --profile examples/profiles/vegan_twitching.yaml
    """
    from mealplan.cli.common import load_profile_arg as load_profile
    from mealplan.targets.compute import compute_targets, load_triage, run_profile_triage
    from mealplan.triage import DISCLAIMER

    profile = load_profile(profile_path)
    result = load_triage(triage_path) if triage_path else run_profile_triage(profile)
    tg = compute_targets(profile, result)
    flags = list(result.red_flags) if result is not None else []
    if fmt == "json":
        data = {
            "red_flags": [f.model_dump() for f in flags],
            "targets": tg.model_dump(mode="json"),
            "disclaimer": DISCLAIMER,
        }
        emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "csv":
        for f in flags:
            click.secho(f"Red flag: {f.message} {f.advice}", fg="red", err=True)
        for rule, source in tg.rules_beyond_items():
            click.echo(f"Rule: {rule} ({source})", err=True)
        for note in tg.notes:
            click.echo(f"Note: {note}", err=True)
        emit(_csv(tg), output)
    else:
        show(_renderables(tg, flags, DISCLAIMER), output)


def _csv(tg: Any) -> str:
    """Energy first, then one row per nutrient."""
    from mealplan.textsafe import csv_dict_writer

    buf = io.StringIO()
    writer = csv_dict_writer(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(
        {"nutrient": "energy", "name": "Energy", "unit": "kcal", "min": f"{tg.energy_min:.0f}",
         "max": f"{tg.energy_max:.0f}", "priority": 1, "suspected": False, "weekly": False,
         "min_source": tg.energy_source, "max_source": tg.energy_source}
    )  # fmt: skip
    for t in tg.items.values():
        row = t.model_dump()
        row.update(min=fmt_exact(t.min, 4), max=fmt_exact(t.max, 4), priority=f"{t.priority:g}")
        writer.writerow({k: row[k] for k in CSV_FIELDS})
    return buf.getvalue()


def _aim(tg: Any) -> str:
    """'aim 1900-2100, range ' when the targets carry the +-5 % energy aim (older saved targets do not)."""
    if tg.energy_goal_min is None or tg.energy_goal_max is None:
        return ""
    return f"aim {tg.energy_goal_min:.0f}-{tg.energy_goal_max:.0f}, range "


def _renderables(tg: Any, flags: list[Any], disclaimer: str) -> list[Any]:
    """Red flags first, then energy and macronutrient ranges, the targets table and the disclaimer."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = []
    if flags:
        from mealplan.triage import urgency_label

        body = "\n".join(f"! {urgency_label(f.urgency)}\n  {f.message}\n  {f.advice}" for f in flags)
        out.append(Panel(body, title="See a clinician first", border_style="red", title_align="left"))
    amdr = ", ".join(f"{k} {lo:g}-{hi:g} %" for k, (lo, hi) in tg.amdr.items())
    mass = "" if tg.food_mass_max_g is None else f"\nFood and drink at most {tg.food_mass_max_g:,.0f} g a day: "
    out.append(
        Text(
            f"Profile {tg.profile_id} ({tg.life_stage}): energy {tg.energy_kcal:.0f} kcal "
            f"({_aim(tg)}{tg.energy_min:.0f}-{tg.energy_max:.0f}); {tg.energy_source}\nShare of energy (AMDR): {amdr}"
            + (mass and mass + tg.food_mass_source)
        )
    )
    table = Table(title="Daily targets (* suspected; w = weekly average allowed)", title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (("nutrient", "left"), ("min", "right"), ("max", "right"),
        ("unit", "left"), ("priority", "right"), ("min from", "left"), ("max from", "left"))  # fmt: skip
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    for t in tg.items.values():
        mark = ("*" if t.suspected else "") + (" w" if t.weekly else "")
        style = "bold" if t.suspected else None
        table.add_row(
            f"{t.name}{' ' + mark.strip() if mark else ''}",
            fmt_exact(t.min, 4), fmt_exact(t.max, 4), t.unit, f"{t.priority:.3g}", t.min_source, t.max_source,
            style=style,
        )  # fmt: skip
    out.append(table)
    rules = tg.rules_beyond_items()  # per meal, per kind of food, portions, drinks (conditions, children)
    if rules:
        conditions = f" ({', '.join(tg.conditions)})" if tg.conditions else ""
        out.append(Text(f"Rules beyond the daily targets{conditions}:", style="bold"))
        out += [Text(f"- {rule}: {source}") for rule, source in rules]
    if tg.supplements:
        taken = ", ".join(f"{nid} {amount:,.4g}" for nid, amount in tg.supplements.items())
        out.append(Text(f"Supplements already taken, counted against the upper limits: {taken}"))
    out += [Text(f"Note: {note}") for note in tg.notes]  # medicines, B12 from fortified foods
    out.append(Text(disclaimer, style="italic"))
    return out
