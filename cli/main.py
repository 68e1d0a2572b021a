"""The ``mealplan`` command: a Click group whose commands live one module each in ``cli/``.

Errors raised by the library (``food_data.errors.MealplanError``) become a short message on
standard error and the error's documented exit code; the traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import importlib
import sys

import click

# name -> (module, attribute, one-line summary). Modules are imported only when the command runs
# or when its help is asked for, so ``mealplan --help`` stays fast.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "triage": (
        "cli.cmd_triage",
        "triage",
        "Suggest which nutrients may be short from symptoms and risk factors.",
    ),
    "targets": (
        "cli.cmd_targets",
        "targets",
        "Show a profile's daily nutrient targets and where each comes from.",
    ),
    "plan": ("cli.cmd_plan", "plan", "Plan a day or a week of meals that reach a profile's targets."),
    "basket": ("cli.cmd_basket", "basket", "Solve the classic diet problem on any food table."),
    "verify": (
        "cli.cmd_verify",
        "verify",
        "Independently re-check a saved plan against the food data and rules.",
    ),
    "batch": ("cli.cmd_batch", "batch", "Plan for many profiles at once, on all cores or a Dask cluster."),
    "shopping": ("cli.cmd_shopping", "shopping", "Turn a saved plan into a shopping list."),
    "foods": ("cli.cmd_foods", "foods", "Search, show and summarise the food tables."),
}

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 some work failed (batch profiles, verification); 2 bad input or usage; "
    "3 conflicting hard rules; 4 solver failure."
)


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (mod, _, _) in COMMANDS.items() if _module_exists(mod)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _module_exists(COMMANDS[cmd_name][0]):
            return None
        if ctx.resilient_parsing is False and _listing_help(ctx):
            # Listing commands for --help: a cheap stand-in with the summary, no import.
            return click.Command(cmd_name, help=COMMANDS[cmd_name][2], short_help=COMMANDS[cmd_name][2])
        module, attr, _ = COMMANDS[cmd_name]
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except click.exceptions.Abort:
            raise
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the one place errors become messages
            _report(exc, ctx)


def _listing_help(ctx: click.Context) -> bool:
    return ctx.meta.get("mealplan.listing", False)


def _module_exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _report(exc: Exception, ctx: click.Context) -> None:
    from food_data.errors import MealplanError

    debug = (ctx.obj or {}).get("debug", False)
    if debug:
        raise exc
    if isinstance(exc, MealplanError):
        click.secho(f"Error: {exc}", fg="red", err=True)
        ctx.exit(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        click.secho("Interrupted.", fg="red", err=True)
        ctx.exit(130)
    click.secho(
        f"Internal error: {type(exc).__name__}: {exc}\nRun again with --debug for the traceback "
        "and report it.",
        fg="red",
        err=True,
    )
    ctx.exit(70)


class _HelpListingGroup(LazyGroup):
    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ctx.meta["mealplan.listing"] = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            ctx.meta["mealplan.listing"] = False


@click.group(
    cls=_HelpListingGroup, epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="mealplan")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """mealplan: meal plans that correct nutrient shortfalls behind muscle twitching and cramps.

    For education only: it does not diagnose, and it never suggests supplement doses.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main() -> None:
    """Console entry point."""
    cli(prog_name="mealplan")


if __name__ == "__main__":
    sys.exit(main())
