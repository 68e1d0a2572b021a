"""The ``mealplan`` command: a Click group whose commands live one module each in ``cli/``.

Errors raised by the library (``mealplan.errors.MealplanError``) become a short message on
standard error and the error's documented exit code; the traceback is shown only with ``--debug``.

Every option can also come from a ``MEALPLAN_<COMMAND>_<OPTION>`` environment variable (Click's
``auto_envvar_prefix``, named after the flag) or from the config file (``cli/config.py``); the
command line wins, then the environment, then the file, then the built-in default. ``-v``/``-q``
set the level of the library's ``logging`` (warnings by default), shown on standard error.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import logging
import os
import re
import sys
import traceback

import click

# mealplan uses no pydantic plugins; looking for them scans the entry points of every installed
# package at each command's start-up.
# A value the user sets is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# name -> "module:attribute". A command module imports only click and cli.common at its top (pandas,
# pulp and the library are imported when the command runs), so importing every one of them to list
# the commands costs a few milliseconds, and each command's summary is the first line of its own
# docstring: one source for ``mealplan --help``, ``mealplan CMD --help`` and the commands table in docs/commands.md.
COMMANDS: dict[str, str] = {
    "init": "mealplan.cli.cmd_init:init",
    "triage": "mealplan.cli.cmd_triage:triage",
    "targets": "mealplan.cli.cmd_targets:targets",
    "plan": "mealplan.cli.cmd_plan:plan",
    "verify": "mealplan.cli.cmd_verify:verify",
    "shopping": "mealplan.cli.cmd_shopping:shopping",
    "basket": "mealplan.cli.cmd_basket:basket",
    "batch": "mealplan.cli.cmd_batch:batch",
    "foods": "mealplan.cli.cmd_foods:foods",
    "dishes": "mealplan.cli.cmd_dishes:dishes",
    "schema": "mealplan.cli.cmd_schema:schema",
    "clients": "mealplan.cli.cmd_clients:clients",
    "households": "mealplan.cli.cmd_households:households",
    "history": "mealplan.cli.cmd_history:history",
    "diff": "mealplan.cli.cmd_diff:diff",
    "edit": "mealplan.cli.cmd_edit:edit",
    "rescore": "mealplan.cli.cmd_edit:rescore",
    "lock": "mealplan.cli.cmd_replan:lock",
    "replan": "mealplan.cli.cmd_replan:replan",
    "serve": "mealplan.cli.cmd_serve:serve",
}

ENV_PREFIX = "MEALPLAN"

# Top-level flags may also follow the command (`mealplan plan -q ...`): no command has flags of these
# names, so they are moved in front of it (never past a `--`).
GLOBAL_FLAGS = ("--debug", "-v", "-vv", "-vvv", "--verbose", "-q", "--quiet")

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 some work failed (batch profiles, verification); 2 bad input or usage; "
    "3 conflicting hard rules; 4 solver failure; 70 internal error (a bug); 130 interrupted; 143 terminated."
)


def summary(command: click.Command) -> str:
    """A command's one-line summary: the first line of its help text (its docstring).

    Args:
        command: A Click command or group.

    Returns:
        The first line, stripped; empty when the command has no help.
    """
    text = inspect.cleandoc(command.short_help or command.help or "")
    return text.split("\n", 1)[0].strip()


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, attr = COMMANDS[cmd_name].partition(":")
        return _name_envvars(getattr(importlib.import_module(module), attr), f"{ENV_PREFIX}_{cmd_name.upper()}")

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            # Click suggests from the commands registered eagerly; ours are lazy, so suggest here: the
            # closest one (`plna` is `plan`, not also `replan`).
            close = difflib.get_close_matches(exc.command_name or "", list(COMMANDS), n=1)
            raise click.exceptions.NoSuchCommand(exc.command_name, possibilities=close, ctx=ctx) from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `mealplan plan --debug -q ...` means the same as `mealplan --debug -q plan ...`.
        stop = args.index("--") if "--" in args else len(args)
        moved = [a for a in args[1:stop] if a in GLOBAL_FLAGS]
        if moved:
            rest = args[:1] + [a for a in args[1:stop] if a not in GLOBAL_FLAGS]
            args = [*moved, *rest, *args[stop:]]
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The whole first line of each command's help, wrapped rather than cut off with "...".
        rows = [(name, summary(cmd)) for name in self.list_commands(ctx) if (cmd := self.get_command(ctx, name))]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.BadParameter as exc:
            from mealplan.cli.config import explain

            explain(exc, (ctx.obj or {}).get("config_file"))
            raise
        except (click.exceptions.Exit, click.ClickException):
            raise
        except click.exceptions.Abort:
            # Ctrl-C or Ctrl-D at one of triage's questions (Click turns both into Abort).
            _error("Interrupted.")
            ctx.exit(130)
        except BrokenPipeError:
            raise  # `mealplan ... | head`: Click's own handling ends quietly
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the one place errors become messages
            _report(exc, ctx)


def _name_envvars(command: click.Command, prefix: str) -> click.Command:
    """``command`` (and its subcommands) with each option's environment variable named and shown.

    The variable is ``PREFIX_FLAG``, the option's long flag as typed (``--time-limit`` of ``plan`` is
    ``MEALPLAN_PLAN_TIME_LIMIT``, ``--format`` is ``MEALPLAN_PLAN_FORMAT``). Click's own automatic name,
    from the parameter's Python name, still works as a fallback where it differs.
    """
    for param in command.params:
        if isinstance(param, click.Option) and param.expose_value:
            flag = next((o for o in param.opts if o.startswith("--")), None)
            if param.envvar is None and flag is not None:
                param.envvar = f"{prefix}_{flag[2:].replace('-', '_').upper()}"
            param.show_envvar = True
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            _name_envvars(sub, f"{prefix}_{name.upper().replace('-', '_')}")
    return command


def _error(text: str) -> None:
    """A red message on standard error; plain unless colour is wanted there (see ``common.color_for``)."""
    from mealplan.cli.common import color_for
    from mealplan.textsafe import strip_control

    # Messages quote file names and values from the user: no escape sequence reaches the terminal.
    click.secho(strip_control(text, keep_newlines=True), fg="red", err=True, color=color_for(sys.stderr))


class _EchoHandler(logging.Handler):
    """Log records as ``level: message`` lines on standard error, through Click (so tests see them)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("%(message)s"))  # the message, and a traceback if it has one

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            where = f"{record.name}: " if record.levelno < logging.INFO else ""
            click.echo(f"{record.levelname.lower()}: {where}{text}", err=True)
        except Exception:  # noqa: BLE001 - logging must never break the command
            self.handleError(record)


def configure_logging(verbose: int, quiet: bool) -> int:
    """Point the library's ``mealplan`` logger at standard error at the level ``-v``/``-q`` ask for.

    Warnings by default; ``-v`` info, ``-vv`` debug; ``-q`` errors only.

    Returns:
        The level set.
    """
    level = logging.ERROR if quiet else {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logger = logging.getLogger("mealplan")
    logger.setLevel(level)
    if not any(isinstance(h, _EchoHandler) for h in logger.handlers):
        logger.addHandler(_EchoHandler())
    logger.propagate = False  # the one handler above; Python's last-resort handler would repeat it
    return level


def _subcommand(ctx: click.Context) -> click.Command | None:
    """The command that was running, for its option names (a group's own commands' options too)."""
    name = ctx.invoked_subcommand
    return ctx.command.get_command(ctx, name) if name and isinstance(ctx.command, click.Group) else None


def _report(exc: BaseException, ctx: click.Context) -> None:
    """Turn an exception into a message and an exit code (with the traceback first under ``--debug``)."""
    from mealplan.errors import MealplanError

    if (ctx.obj or {}).get("debug", False):
        click.echo("".join(traceback.format_exception(exc)), err=True, nl=False)
    if isinstance(exc, MealplanError):
        from mealplan.cli.common import with_flag_names

        _error(f"Error: {with_flag_names(str(exc), _subcommand(ctx))}")
        ctx.exit(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        # Ctrl-C, or SIGTERM during a batch (mealplan.errors.Terminated, exit code 143).
        code = getattr(exc, "exit_code", 130)
        _error("Terminated." if code == 143 else "Interrupted.")
        ctx.exit(code)
    if isinstance(exc, OSError) and exc.strerror:
        # A file the library did not wrap (e.g. `-o` into a read-only folder): the environment, not a bug.
        name = re.sub(r"(^|/)\.(.+)\.\w+\.tmp$", r"\1\2", str(exc.filename or ""))  # an atomic write's temp file
        if isinstance(exc, FileExistsError | NotADirectoryError):
            reason = "is a file where a folder is needed; check the path"
        elif isinstance(exc, IsADirectoryError):
            reason = "is a folder where a file is needed; give a file name"
        else:
            reason = f"{exc.strerror.lower()}; check the path and its permissions"
        _error(f"Error: {name or 'a file'}: {reason}.")
        ctx.exit(2)
    _error(
        f"Internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in mealplan: run the command again with --debug (mealplan --debug COMMAND ...) "
        "for the traceback and report it."
    )
    ctx.exit(70)


@click.group(
    cls=LazyGroup,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": ENV_PREFIX},
)
@click.version_option(package_name="mealplan", prog_name="mealplan", allow_from_autoenv=False)
@click.option(
    "--debug",
    is_flag=True,
    show_envvar=True,
    help="Show the full traceback of an error (before or after the command).",
)
@click.option(
    "-v",
    "--verbose",
    count=True,
    show_envvar=True,
    help="More messages on standard error: -v what the library is doing, -vv debug detail.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    show_envvar=True,
    help="Only errors on standard error: no warnings, notes or progress bars.",
)
@click.option(
    "--config",
    "config",
    metavar="FILE",
    envvar="MEALPLAN_CONFIG",
    show_envvar=True,
    help="Option defaults per command (TOML); default: config.toml in the user config folder; 'off' reads none.",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: int, quiet: bool, config: str | None) -> None:
    """Meal plans that correct nutrient shortfalls behind muscle twitching and cramps.

    For education only: it does not diagnose, and it never suggests supplement doses.
    Run 'mealplan COMMAND --help' for a command's options and an example.

    \b
    Example:
      mealplan triage --symptom muscle-cramps --factor heavy-sweating
      mealplan plan --profile examples/profiles/vegan_twitching.yaml --days 7
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    if verbose and quiet:
        raise click.UsageError("-v/--verbose and -q/--quiet ask for opposite things; give one of them.")
    ctx.obj["quiet"] = quiet
    configure_logging(verbose, quiet)
    from mealplan.cli import config as config_file

    ctx.obj["config_file"], default_map = config_file.load(ctx, config)
    if default_map:
        ctx.default_map = {**default_map, **(ctx.default_map or {})}
    if debug:
        # The solvers' own logs, on standard error (batch workers inherit the variable).
        os.environ["MEALPLAN_SOLVER_LOG"] = "1"


def main() -> None:
    """Console entry point."""
    cli(prog_name="mealplan", auto_envvar_prefix=ENV_PREFIX)


if __name__ == "__main__":
    main()
