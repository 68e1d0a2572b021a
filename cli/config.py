"""The optional config file: option defaults per command, read into Click's ``default_map``.

The file is TOML, at ``platformdirs.user_config_dir("mealplan")/config.toml`` unless ``--config FILE``
or ``MEALPLAN_CONFIG`` names another (``off`` reads none). One table per command gives defaults for
that command's options, named as on the command line without the dashes::

    [plan]
    days = 7
    time-limit = 60

    [foods.search]
    limit = 20

A value on the command line wins, then a ``MEALPLAN_*`` environment variable, then the file, then
the built-in default (Click's own order for ``default_map``). Relative paths in the file are taken
from the file's folder. An unknown command or option is an error that names the file, the key and
what is allowed; a value of the wrong type is reported by the option, naming the file too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

CONFIG_ENV = "MEALPLAN_CONFIG"
CONFIG_OFF = "off"
MAX_CONFIG_BYTES = 1024 * 1024  # a config file is a few lines


def default_path() -> Path:
    """``config.toml`` in the platform's user config folder (``~/.config/mealplan`` on Linux)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("mealplan")) / "config.toml"


def load(ctx: click.Context, path: str | None) -> tuple[Path | None, dict[str, Any]]:
    """The config file to use and its ``default_map`` for ``ctx``'s group (empty when there is none).

    Args:
        ctx: The ``mealplan`` group's context (its commands are checked against the file).
        path: ``--config`` / ``MEALPLAN_CONFIG``; None for the platform default, which may be absent.

    Raises:
        ConfigError: when a named file is missing, the TOML is broken, or a command or option is unknown.
    """
    from mealplan.errors import ConfigError
    from mealplan.fileio import read_user_text

    if path is not None and path.strip().lower() == CONFIG_OFF:
        return None, {}
    file = Path(path).expanduser() if path else default_path()
    if path is None and not file.is_file():
        return None, {}
    text = read_user_text(
        file,
        "config file",
        allowed=f"named by --config or {CONFIG_ENV}; '{CONFIG_OFF}' reads none",
        error=ConfigError,
        max_bytes=MAX_CONFIG_BYTES,
    )
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {file}: not valid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(
            f"config file {file}: not a config file: lists or tables are nested too deeply; each option takes a "
            "plain value or a list of plain values"
        ) from None
    return file, _default_map(ctx.command, ctx, data, file, [])


def _keys(command: click.Command) -> dict[str, click.Option]:
    """The names an option may have in the file: its long flag without dashes, and its parameter name."""
    keys: dict[str, click.Option] = {}
    for param in command.params:
        if not isinstance(param, click.Option) or not param.expose_value or param.name is None:
            continue
        long = [o.lstrip("-") for o in param.opts if o.startswith("--")]
        for key in [*long[:1], param.name]:
            keys.setdefault(key, param)
            keys.setdefault(key.replace("_", "-"), param)
    return keys


def _shown(keys: dict[str, click.Option]) -> list[str]:
    """One name per option, as the flag is spelled (``time-limit``), for the list of what is allowed."""
    seen: dict[int, str] = {}
    for key, param in keys.items():
        seen.setdefault(id(param), key)
    return sorted(seen.values())


def _default_map(
    command: click.Command, ctx: click.Context, table: dict[str, Any], file: Path, where: list[str]
) -> dict[str, Any]:
    from mealplan.errors import ConfigError

    group = isinstance(command, click.Group)
    subcommands = command.list_commands(ctx) if isinstance(command, click.Group) else []
    keys = _keys(command) if where else {}  # the group's own options are read before the file
    out: dict[str, Any] = {}
    for key, value in table.items():
        at = f"[{'.'.join([*where, key])}]" if group and key in subcommands else None
        if at is not None:
            if not isinstance(value, dict):
                raise ConfigError(f"config file {file}: {key} = ...: '{key}' is a command; write it as a table {at}")
            assert isinstance(command, click.Group)
            sub = command.get_command(ctx, key)
            assert sub is not None
            sub_ctx = click.Context(sub, info_name=key, parent=ctx)
            out[key] = _default_map(sub, sub_ctx, value, file, [*where, key])
            continue
        param = keys.get(key)
        if param is None:
            raise ConfigError(_unknown(file, where, key, subcommands, _shown(keys), isinstance(value, dict)))
        name = param.name
        assert name is not None
        out[name] = _value(param, value, file, f"[{'.'.join(where)}] {key}")
    return out


def _unknown(file: Path, where: list[str], key: str, commands: list[str], options: list[str], table: bool) -> str:
    if not where:
        return (
            f"config file {file}: unknown command [{key}]; allowed: "
            + ", ".join(f"[{c}]" for c in commands)
            + " (one table per command, holding its options)"
        )
    allowed = [*(f"[{'.'.join([*where, c])}]" for c in commands), *options]
    kind = "command" if table else "option"
    return f"config file {file}: [{'.'.join(where)}] has no {kind} {key!r}; allowed: " + (
        ", ".join(allowed) if allowed else "nothing (this command has no options)"
    )


def _value(param: click.Option, value: Any, file: Path, at: str) -> Any:
    """The file's value for ``param``: lists only for repeatable options, paths from the file's folder, and
    each value of the kind the option takes (:func:`_check_kind`: ``true`` is no number, ``5`` no file)."""
    from mealplan.errors import ConfigError

    if isinstance(value, dict):
        raise ConfigError(f"config file {file}: {at}: a table where a value is needed")
    many = param.multiple or (param.nargs != 1)
    if isinstance(value, list) and not many:
        raise ConfigError(f"config file {file}: {at}: one value, not a list ({param.opts[-1]} is given once)")
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        raise ConfigError(f"config file {file}: {at}: a list of plain values is needed")
    for one in value if isinstance(value, list) else [value]:
        _check_kind(param, one, file, at)
    if param.multiple and not isinstance(value, list):
        value = [value]
    if isinstance(param.type, click.Path):
        value = [_path(v, file) for v in value] if isinstance(value, list) else _path(value, file)
    return value


def _check_kind(param: click.Option, value: Any, file: Path, at: str) -> None:
    """Refuse a TOML value of the wrong kind for the option (Click would read ``true`` as the number 1).

    Raises:
        ConfigError: naming the file, the key, the value and the kind the option takes.
    """
    from mealplan.errors import ConfigError

    kind = param.type
    if param.is_flag or isinstance(kind, click.types.BoolParamType):
        wanted, ok = "true or false", isinstance(value, bool)
    elif isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        wanted = "a whole number" if isinstance(kind, click.types.IntParamType) else "a number"
        ok = isinstance(value, int | float | str) and not isinstance(value, bool)
    elif isinstance(kind, click.Path | click.File):
        wanted, ok = "a file name in quotes", isinstance(value, str)
    else:
        wanted, ok = "text in quotes", isinstance(value, str | int | float) and not isinstance(value, bool)
    if not ok:
        shown = str(value).lower() if isinstance(value, bool) else repr(value) if isinstance(value, str) else str(value)
        raise ConfigError(f"config file {file}: {at} = {shown[:60]}: {param.opts[-1]} takes {wanted}")


def _path(value: Any, file: Path) -> Any:
    """A path in the file: ``~`` expanded, relative to the file's folder; ``-`` stays standard input/output."""
    if not isinstance(value, str) or value == "-":
        return value
    path = Path(os.path.expanduser(value))
    return str(path if path.is_absolute() else file.parent / path)


def explain(exc: click.BadParameter, file: Path | None) -> None:
    """Name where a bad option value came from: the variable, the config file, or (plainly) the flag.

    Click names an option's environment variable in every error about it once the variable is shown
    in the help; here it is named only when the value came from it.
    """
    from click.core import ParameterSource

    ctx, param = exc.ctx, exc.param
    if ctx is None or param is None or param.name is None or exc.param_hint is not None:
        return
    plain = " / ".join(f"'{o}'" for o in param.opts) or f"'{param.human_readable_name}'"
    exc.param_hint = plain
    source = ctx.get_parameter_source(param.name)
    if source is ParameterSource.DEFAULT_MAP and file is not None:
        path = ctx.command_path.split()[1:]
        flag = next((o.lstrip("-") for o in param.opts if o.startswith("--")), param.name)
        # Click types ``message`` Final; the error is re-worded in place so Click still shows and exits.
        exc.message = f"{exc.message} (from [{'.'.join(path)}] {flag} in config file {file})"  # type: ignore[misc]
    elif source is ParameterSource.ENVIRONMENT and isinstance(param, click.Option):
        names = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or ())
        if ctx.auto_envvar_prefix:
            names.append(f"{ctx.auto_envvar_prefix}_{param.name.upper()}")
        used = next((n for n in names if os.environ.get(n)), None)
        if used:
            exc.param_hint = f"{plain} (environment variable {used})"
