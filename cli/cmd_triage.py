"""``mealplan triage``: which nutrients may be short, from symptoms and risk factors.

Only click and cli.common are imported at module level; the triage package and rich are imported
when the command runs, so the command starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from mealplan.cli.common import emit, format_option, output_option, show


@click.command("triage")
@click.option(
    "--symptom",
    "symptoms",
    multiple=True,
    metavar="ID",
    help="Symptom id or synonym (repeatable; commas allowed).",
)
@click.option(
    "--factor",
    "factors",
    multiple=True,
    metavar="ID",
    help="Risk factor id or synonym (repeatable; commas allowed).",
)
@click.option("--days", type=click.IntRange(min=0), help="How many days the symptoms have lasted.")
@click.option("--multiple-groups", is_flag=True, help="More than one muscle group is affected.")
@click.option("--worsening", is_flag=True, help="The symptoms are getting worse.")
@click.option("--severe-pain", is_flag=True, help="The symptoms come with significant pain.")
@click.option("--age", type=click.FloatRange(min=0, max=130, min_open=True), help="Age in years.")
@click.option("--sex", type=click.Choice(["female", "male"]), help="Sex, for life-stage adjustments.")
@click.option("--pregnant", is_flag=True, help="Currently pregnant.")
@click.option("--list", "list_vocab", is_flag=True, help="List every symptom and risk factor with its synonyms.")
@format_option(("table", "json", "md"))
@output_option
def triage(fmt: str, output: Path | None, list_vocab: bool, **given: Any) -> None:
    """Suggest which nutrients may be short; red flags come first.

    Red flags say when to see a clinician before changing what you eat, most urgent first (urgent:
    today; soon: within days; routine: the next appointment). Symptoms and risk factors accept ids
    or common synonyms ("charley horse", "PPI", "twitching all over"); see --list. With no symptom or factor on
    a terminal, the questions are asked one by one. It never diagnoses and never suggests supplement
    doses.

    \b
    Examples:
      mealplan triage --symptom muscle-twitching --symptom tingling --factor vegan --days 10
      mealplan triage --symptom "charley horse" --factor "water pills" --format json -o triage.json
      mealplan triage --list
    """
    from mealplan.triage import TriageInput, run_triage, to_markdown

    if list_vocab:
        _emit_vocabulary(fmt, output)
        return
    given["symptoms"], given["factors"] = _split(given["symptoms"]), _split(given["factors"])
    if not given["symptoms"] and not given["factors"] and not given["pregnant"] and _stdin_is_tty():
        given = _ask(given)
    result = run_triage(TriageInput(**given))
    if fmt == "json":
        emit(result.model_dump_json(indent=2) + "\n", output)
    elif fmt == "md":
        emit(to_markdown(result), output)
    else:
        show(_renderables(result), output)


def _split(values: tuple[str, ...] | list[str]) -> list[str]:
    """Repeated options, each possibly comma-separated, as one list of terms."""
    return [t.strip() for v in values for t in v.split(",") if t.strip()]


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


def _ask(given: dict[str, Any]) -> dict[str, Any]:
    """Ask the triage questions one by one; a bad answer is explained and asked again."""
    from mealplan.errors import InputError
    from mealplan.triage import normalize_terms

    def terms(kind: str):
        # Checked here so a bad answer is asked again; kept as typed so that a wording such as
        # "twitching all over" still marks more than one muscle group when the triage runs.
        def proc(text: str) -> list[str]:
            try:
                normalize_terms(kind, _split([text]))  # type: ignore[arg-type]
            except InputError as exc:
                raise click.BadParameter(str(exc)) from None
            return _split([text])

        return proc

    def number(convert, ok, allowed: str):
        def proc(text: str):
            if not text.strip():
                return None
            try:
                value = convert(text)
            except ValueError:
                raise click.BadParameter(f"'{text}' is not a number; {allowed}") from None
            if not ok(value):
                raise click.BadParameter(f"{text} is out of range; {allowed}")
            return value

        return proc

    click.echo("A few questions (leave blank to skip; 'mealplan triage --list' shows every term).")
    blank: dict[str, Any] = {"default": "", "show_default": False}
    answers = {
        "symptoms": click.prompt("Symptoms, comma-separated", value_proc=terms("symptom"), **blank),
        "factors": click.prompt("Risk factors (diet, sun, sweat, medicines...)", value_proc=terms("factor"), **blank),
        "days": click.prompt(
            "For how many days",
            value_proc=number(int, lambda v: v >= 0, "give whole days, 0 or more"),
            **blank,
        ),
        "multiple_groups": click.confirm("More than one muscle group affected?", default=given["multiple_groups"]),
        "worsening": click.confirm("Getting worse?", default=given["worsening"]),
        "severe_pain": click.confirm("Significant pain?", default=given["severe_pain"]),
        "age": click.prompt(
            "Age in years",
            value_proc=number(float, lambda v: 0 < v <= 130, "give an age above 0 up to 130"),
            **blank,
        ),
        "sex": click.prompt("Sex (female/male)", type=click.Choice(["female", "male", ""]), show_choices=False, **blank)
        or None,
    }
    answers["pregnant"] = answers["sex"] != "male" and click.confirm("Pregnant?", default=False)
    return answers


def _renderables(result) -> list[Any]:
    """Rich renderables: red flags first, then the ranked nutrients, tests, notes and disclaimer."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from mealplan.triage import nutrient_name, urgency_label

    def bullets(mark: str, rows: list[tuple[str, str]]) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for head, text in rows:
            grid.add_row(mark, Text(head, style="bold") + Text(text))
        return grid

    out: list[Any] = []
    if result.red_flags:
        # Most urgent first, each led by its urgency ("Urgent: get care today").
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for f in result.red_flags:
            style = "bold red" if f.urgency == "urgent" else "bold"
            head = Text(urgency_label(f.urgency).upper() if f.urgency == "urgent" else urgency_label(f.urgency), style)
            row = head + Text("\n") + Text(f.message, style="bold") + Text("\n" + f.advice)
            if f.source:
                row += Text("\nSource: " + f.source, style="dim")
            grid.add_row("!", row)
        out.append(Panel(grid, title="See a clinician first", border_style="red", title_align="left"))
    table = Table(title="Nutrients worth discussing and testing", title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("nutrient")
    table.add_column("score", justify="right")
    table.add_column("why")
    for rank, s in enumerate(result.suspected, start=1):
        why = Text("\n".join(f"{r.source} ({r.kind.replace('_', ' ')}): {r.why}" for r in s.reasons))
        table.add_row(str(rank), nutrient_name(s.nutrient), f"{s.score:g}", why)
    out.append(table)
    for title, items in (
        ("Blood tests to ask a clinician about", result.blood_tests),
        ("Notes", result.notes),
    ):
        if items:
            out += [Text(f"\n{title}:", style="bold"), bullets("-", [("", i) for i in items])]
    out.append(Text("\n" + result.disclaimer, style="italic"))
    return out


def _emit_vocabulary(fmt: str, output: Path | None) -> None:
    """``--list``: every symptom and risk factor id with its label and synonyms."""
    from mealplan.triage import knowledge, vocabulary

    if fmt == "json":
        emit(json.dumps(vocabulary(), indent=2) + "\n", output)
        return
    kb = knowledge()
    sections = (("Symptoms (--symptom)", kb.symptoms), ("Risk factors (--factor)", kb.factors))
    if fmt == "md":
        lines: list[str] = []
        for title, terms in sections:
            lines += [f"## {title}", "", "| id | meaning | also accepted |", "|---|---|---|"]
            lines += [f"| {tid} | {t.label} | {', '.join(t.synonyms)} |" for tid, t in terms.items()] + [""]
        emit("\n".join(lines), output)
        return
    from rich.table import Table

    tables = []
    for title, terms in sections:
        table = Table(title=title, title_justify="left")
        for name in ("id", "meaning", "also accepted"):
            table.add_column(name, overflow="fold")
        for tid, t in terms.items():
            table.add_row(tid, t.label, ", ".join(t.synonyms))
        tables.append(table)
    show(tables, output)
