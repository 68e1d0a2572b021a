"""Shared CLI plumbing: output formats, atomic writes, food-table options, error display.

Command modules import only click and this module at top level; pandas, pulp and the library
packages are imported inside command functions so ``mealplan --help`` starts fast.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mealplan.fileio import write_atomic

FORMATS = ("table", "json", "csv", "md")
# Standard input read for a profile: a profile is a few hundred bytes (the file limit is 1 MB).
MAX_STDIN_PROFILE_CHARS = 1024 * 1024


class FiniteFloat(click.FloatRange):
    """A number option that refuses ``nan``, ``inf`` and ``-inf`` (Click's FloatRange lets NaN through
    every bound, and ``inf`` through any open-ended one); every float option of mealplan uses it."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = 0.0  # not a number at all: Click's own message says so
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number; give a number {self._allowed()}", param, ctx)
        return super().convert(value, param, ctx)

    def _allowed(self) -> str:
        low = None if self.min is None else f"{'above' if self.min_open else 'from'} {self.min:g}"
        high = None if self.max is None else f"{'below' if self.max_open else 'up to'} {self.max:g}"
        return " ".join(p for p in (low, high) if p) or "such as 1.5"


def format_option(choices: tuple[str, ...] = FORMATS) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format`` with the given choices (default ``table``)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices, case_sensitive=False),
        default="table",
        show_default=True,
        help="Output format.",
    )


def _dash_is_stdout(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """``-o -`` means standard output, as everywhere on Unix."""
    return None if value is not None and str(value) == "-" else value


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    callback=_dash_is_stdout,
    help="Write to FILE (atomically) instead of standard output ('-' is standard output).",
)

PROFILE_HELP = "Profile file (YAML, TOML or JSON); '-' reads it from standard input."


def load_profile_arg(path: Path | str):
    """The profile ``--profile`` names; ``-`` reads YAML, TOML or JSON from standard input.

    A profile read from standard input takes relative paths in it (``prices``) from the current
    folder.
    """
    from mealplan.targets.profile_files import load_profile

    if str(path) != "-":
        return load_profile(path)
    from mealplan.errors import ConfigError
    from mealplan.targets.profile_files import profile_from_text

    # click.open_file("-") is standard input (click.get_text_stream is deprecated from Click 8.5).
    text = click.open_file("-").read(MAX_STDIN_PROFILE_CHARS + 1)
    if len(text) > MAX_STDIN_PROFILE_CHARS:
        raise ConfigError(
            f"<stdin>: more than {MAX_STDIN_PROFILE_CHARS // 2**20} MB on standard input is not a profile; "
            "a profile is a short YAML, TOML or JSON mapping"
        )
    if not text.strip():
        raise ConfigError("<stdin>: no profile on standard input (pipe one in, or give --profile FILE)")
    return profile_from_text(text, "<stdin>", base_dir=Path.cwd())


foods_options = [
    click.option(
        "--foods",
        "foods_paths",
        multiple=True,
        type=click.Path(exists=True, dir_okay=True, path_type=Path),
        help="Extra food table: a CSV of your own foods, or a FoodData Central folder or .zip. Repeatable.",
    ),
    click.option("--no-bundled", is_flag=True, help="Use only the --foods tables, not the bundled USDA table."),
]


dishes_option = click.option(
    "--dishes",
    "dishes_paths",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra dish file (YAML or JSON, the bundled format); a dish with a bundled id replaces it. Repeatable.",
)


def load_dish_library(dishes_paths: tuple[Path, ...], foods):
    """The bundled dish library plus ``--dishes`` files, checked against ``foods``."""
    from mealplan.food_data.dishes import load_dishes

    return load_dishes(list(dishes_paths), foods=foods)


def with_foods_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--foods`` and ``--no-bundled`` to a command."""
    for opt in reversed(foods_options):
        func = opt(func)
    return func


def load_foods(foods_paths: tuple[Path, ...], no_bundled: bool):
    """The food table for a command: bundled (unless ``--no-bundled``) merged with ``--foods``."""
    from mealplan.errors import InputError
    from mealplan.food_data.loading import load_tables

    if no_bundled and not foods_paths:
        raise InputError("--no-bundled needs at least one --foods FILE to plan with.")
    return load_tables(list(foods_paths), bundled=not no_bundled)


def _env_flag(name: str) -> bool:
    """An environment variable that is set and not empty (the no-color.org and force-color.org rule)."""
    return bool(os.environ.get(name))


def color_for(stream: Any = None) -> bool:
    """Whether to colour what goes to ``stream`` (standard output by default).

    ``NO_COLOR`` (set, not empty) turns colour off; otherwise ``FORCE_COLOR`` (set, not empty, any
    value) turns it on even through a pipe; otherwise colour goes only to a terminal. ``NO_COLOR``
    wins when both are set: the person who asked for no colour is the one reading.
    """
    if _env_flag("NO_COLOR"):
        return False
    if _env_flag("FORCE_COLOR"):
        return True
    stream = sys.stdout if stream is None else stream
    return bool(getattr(stream, "isatty", lambda: False)())


def use_color() -> bool:
    """Colour on standard output: see :func:`color_for` (``NO_COLOR``, ``FORCE_COLOR``, a terminal)."""
    return color_for(sys.stdout)


PIPED_WIDTH = 120  # columns of tables written to a pipe or a file when ``COLUMNS`` does not say


def piped_width() -> int:
    """The width of tables written to a pipe: ``COLUMNS`` when it is a whole number, else 120."""
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else PIPED_WIDTH


def quiet() -> bool:
    """True under ``mealplan -q``: standard error carries errors only (no notes, no progress bars)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and (ctx.find_root().obj or {}).get("quiet"))


def note(text: str) -> None:
    """A note for the person on standard error ("wrote FILE"), left out under ``-q``."""
    if not quiet():
        click.echo(text, err=True)


def console(file=None):
    """A rich console for ``file`` (standard output by default).

    Colour follows :func:`color_for`; ``FORCE_COLOR`` makes rich write colour into a pipe. A pipe gets
    :func:`piped_width` columns. Under ``-q`` a console on standard error draws nothing (progress bars).
    """
    from rich.console import Console

    stream = sys.stdout if file is None else file
    colour = color_for(stream)
    on_terminal = bool(getattr(stream, "isatty", lambda: False)())
    return Console(
        file=file,
        no_color=not colour,
        force_terminal=True if colour and not on_terminal else None,
        width=None if on_terminal else piped_width(),
        quiet=stream is sys.stderr and quiet(),
        highlight=False,
        soft_wrap=False,
    )


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` or write it atomically to ``output``."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_atomic(output, text)
        note(f"wrote {output}")


def render_rich(renderables: list[Any], width: int = PIPED_WIDTH) -> str:
    """Render rich objects to a plain string ``width`` columns wide (for ``-o``, pipes and tests)."""
    import io

    from rich.console import Console

    from mealplan.textsafe import terminal_safe

    buf = io.StringIO()
    con = Console(file=buf, width=width, no_color=True, color_system=None, highlight=False)
    for r in renderables:
        con.print(terminal_safe(r))
    return buf.getvalue()


def show(renderables: list[Any], output: Path | None) -> None:
    """Show rich renderables on standard output, or write them as plain text to ``output``.

    Colour when :func:`use_color` allows (a terminal, or ``FORCE_COLOR``); plain text otherwise,
    :func:`piped_width` columns wide (``COLUMNS``, else 120); a file written with ``-o`` is always plain and
    120 columns wide, whatever the terminal it was written from.
    """
    if output is not None:
        emit(render_rich(renderables), output)
        return
    if not use_color():
        emit(render_rich(renderables, width=piped_width()), None)
        return
    from mealplan.textsafe import terminal_safe

    con = console()
    for r in renderables:
        con.print(terminal_safe(r))  # no escape sequence or hyperlink from user text reaches the terminal


# Library messages name fields and values ("days 9: ...", "solver 'x' is not known ..."); on the
# command line the same message names the option that set the value. field (as the library spells it
# at the start of a message) -> the option, used only when the running command has that option.
FIELD_FLAGS: dict[str, str] = {
    "days": "--days",
    "objective": "--objective",
    "solver": "--solver",
    "time limit": "--time-limit",
    "gap": "--gap",
    "model file": "--write-model",
    "targets file": "--targets",
    "bound": "--bound",
    "scheduler": "--scheduler",
}


def with_flag_names(message: str, command: click.Command | None) -> str:
    """``message`` with a leading library field name replaced by the ``command``'s option for it.

    >>> with_flag_names("days 9: plan 1 day or a week (2 to 7 days).", plan_command)
    '--days 9: plan 1 day or a week (2 to 7 days).'
    """
    if command is None:
        return message
    commands = [command]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        commands += [c for n in command.list_commands(ctx) if (c := command.get_command(ctx, n))]
    options = {opt for c in commands for param in c.params for opt in getattr(param, "opts", ())}
    for field, flag in FIELD_FLAGS.items():
        if flag in options and message.startswith(field + " ") and not message.startswith(field + " is "):
            return flag + message[len(field) :]
    return message
