"""``--forbid`` and ``--require`` by name, and the client's handout as a PDF (``plan --format pdf``).

A name (``--forbid "salmon"``, ``--require "lentil dal@3:dinner"``) is resolved against the food table
and the dish library (:class:`mealplan.workbench.names.NameIndex`): an id stays as it is, a name that
names one food or dish becomes its id. One that names several asks which one when the command runs
in a terminal (a numbered prompt; for a forbid, ``a`` keeps the name as a pattern: every food it
names), and is otherwise an error listing the candidates (exit 2). Globs (``*salmon*``) and group
words (``fish``) stay patterns.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from mealplan.errors import InputError

_REQUIRE = re.compile(r"(?P<food>[^@:=]+)(?P<rest>.*)", re.S)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(flag: str, text: str, resolution, forbid: bool) -> str:
    """A numbered prompt: which of the candidates ``text`` names (``a``: all of them, for a forbid)."""
    click.echo(f"{flag} {text!r} names {resolution.total} foods or dishes:", err=True)
    for k, m in enumerate(resolution.candidates, 1):
        click.echo(f"  {k:>2}. {m.label}", err=True)
    allowed = [str(k) for k in range(1, len(resolution.candidates) + 1)] + (["a"] if forbid else [])
    hint = " (a: every food whose name holds it)" if forbid else ""
    choice = click.prompt(f"Which one{hint}?", type=click.Choice(allowed), show_choices=False, err=True)
    return text if choice == "a" else resolution.candidates[int(choice) - 1].id


def _one(index, flag: str, text: str, forbid: bool) -> tuple[str | None, str | None]:
    r = index.resolve_forbid(text) if forbid else index.resolve(text)
    if r.value is not None:
        return r.value, None
    if r.candidates and _interactive():
        return _ask(flag, text, r, forbid), None
    problem = r.problem(f"{flag} {text}")
    if forbid and r.candidates:
        problem += f"; or '*{text}*' to forbid every food whose name holds it"
    return None, problem


def resolve_rules(require: tuple[str, ...], forbid: tuple[str, ...], foods, dishes) -> tuple[list[str], list[str]]:
    """``--require`` and ``--forbid`` with names resolved to ids (every problem in one error).

    Raises:
        InputError: a name that names several foods or dishes (not in a terminal) or none.
    """
    from mealplan.food_data.dishes import load_dishes
    from mealplan.workbench.names import NameIndex

    index = NameIndex.build(foods, dishes if dishes is not None else load_dishes(foods=foods))
    problems: list[str] = []
    out_forbid = []
    for text in forbid:
        value, problem = _one(index, "--forbid", text, forbid=True)
        out_forbid += [value] if value else []
        problems += [problem] if problem else []
    out_require = []
    for text in require:
        m = _REQUIRE.fullmatch(text.strip())
        value, problem = _one(index, "--require", m["food"].strip(), forbid=False) if m else (text, None)
        out_require += [value + m["rest"]] if value and m else []
        problems += [problem] if problem else []
    if problems:
        raise InputError("Foods or dishes named on the command line that are not one food or dish:", problems)
    return out_require, out_forbid


def write_handout(result, foods, output: Path | None, *, name: str, note: str, units: str, appendix: bool) -> None:
    """The client's handout printed to PDF, written to ``output`` (standard output when piped).

    Raises:
        click.UsageError: no ``-o`` and standard output is a terminal.
    """
    from mealplan.report.handout import handout_pdf

    check_pdf_output(output)
    write_pdf(handout_pdf(result, foods, name=name, note=note, units=units, appendix=appendix), output)


def check_pdf_output(output: Path | None) -> None:
    """A PDF goes to a file or a pipe, never to a terminal (checked before any planning).

    Raises:
        click.UsageError: no ``-o`` and standard output is a terminal.
    """
    if output is None and sys.stdout.isatty():
        raise click.UsageError("--format pdf writes a PDF file: give -o FILE (e.g. -o handout.pdf), or pipe it.")


def write_pdf(pdf: bytes, output: Path | None) -> None:
    """``pdf`` written atomically to ``output``, or to standard output when there is none."""
    from mealplan.cli.common import note as tell
    from mealplan.fileio import write_atomic

    if output is None:
        sys.stdout.buffer.write(pdf)
        sys.stdout.buffer.flush()
        return
    write_atomic(output, pdf)
    tell(f"wrote {output}")
