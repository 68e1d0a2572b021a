"""Reading a profile: a YAML, TOML or JSON file (or a dict) to a :class:`~mealplan.targets.profile.Profile`,
with every problem named by its field, line and allowed values.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from mealplan.errors import ConfigError
from mealplan.fileio import load_user_json, load_user_yaml, read_user_text
from mealplan.targets.profile import (
    MAX_PROFILE_BYTES,
    PROFILE_SUFFIXES,
    Profile,
    cross_field_problems,
)


def _parse(text: str, fmt: str, source: str) -> Any:
    """Parse text as YAML, TOML or JSON; syntax errors name the file and line.

    YAML and JSON go through :mod:`mealplan.fileio`'s strict parsers: no anchors or aliases (an alias
    bomb is refused, not expanded), no list or mapping keys, no duplicate keys, no NaN in JSON.
    """
    try:
        if fmt == "json":
            return load_user_json(text)
        if fmt == "toml":
            return tomllib.loads(text)
        return load_user_yaml(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}") from exc
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f"line {match.group(1)}, column {match.group(2)}: " if match else ""
        raise ConfigError(f"{source}: {where}not valid TOML: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{source}: {where}not valid YAML: {problem}") from exc
    except RecursionError:
        raise ConfigError(
            f"{source}: not a valid {fmt.upper()} profile: lists or mappings are nested too deeply; "
            "a profile is a flat mapping of fields (id, age, sex, ...)"
        ) from None


def _sniff(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "json"
    try:
        tomllib.loads(text)
        return "toml"
    except (tomllib.TOMLDecodeError, RecursionError):
        return "yaml"


def load_profile(path: str | Path) -> Profile:
    """Read and validate a profile file.

    The format comes from the extension (``.yaml``/``.yml``, ``.toml``, ``.json``), or is sniffed
    from the content for other names. A relative ``prices`` path is taken from the profile's folder.

    Args:
        path: The profile file.

    Returns:
        The validated profile.

    Raises:
        ConfigError: The file is missing, unreadable, not valid YAML/TOML/JSON (with line), or its
            content is not a valid profile (every problem listed, each naming file and field).
    """
    path = Path(path)
    source = str(path)
    text = read_user_text(
        path,
        "profile file",
        allowed="give a YAML, TOML or JSON profile (mealplan init writes one)",
        error=ConfigError,
        max_bytes=MAX_PROFILE_BYTES,
    )
    return profile_from_text(text, source, base_dir=path.parent, fmt=PROFILE_SUFFIXES.get(path.suffix.lower()))


def profile_from_text(text: str, source: str, base_dir: str | Path | None = None, fmt: str | None = None) -> Profile:
    """Validate a profile given as text (standard input, a form): YAML, TOML or JSON, sniffed when
    ``fmt`` is None. ``source`` and ``base_dir`` as in :func:`profile_from_dict`."""
    return profile_from_dict(_parse(text, fmt or _sniff(text), source), source=source, base_dir=base_dir)


def profile_from_dict(data: Any, source: str = "<profile>", base_dir: str | Path | None = None) -> Profile:
    """Validate a profile given as a mapping (a parsed file or a batch row).

    Args:
        data: The profile's fields.
        source: What to call it in error messages (a file name, ``batch.csv row 4``).
        base_dir: Folder that a relative ``prices`` path is taken from; the current folder if None.

    Returns:
        The validated profile, with ``prices`` made absolute.

    Raises:
        ConfigError: Every problem at once, each as ``field: message (got value)``.
    """
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise ConfigError(f"{source}: a profile must be a mapping of fields (id, age, sex, ...), got {kind}")
    if data and not any(isinstance(k, str) and k in Profile.model_fields for k in data):
        # Not a profile at all (a system file, a log, someone else's YAML): its keys are its content, so
        # none is quoted back (a password file's lines would be), only how many there are.
        raise ConfigError(
            f"{source}: not a profile: none of its {len(data)} top-level keys is a profile field (id, age, sex, "
            "...); give a YAML, TOML or JSON profile (mealplan init writes examples)"
        )
    problems: list[str] = []
    profile: Profile | None = None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems.extend(_describe(err) for err in exc.errors() if err["type"] != "cross_field")
    # Cross-field rules run on the raw data too, so they are reported alongside field errors.
    problems.extend(f"{name}: {msg}" for name, msg in cross_field_problems(data))
    if profile is not None and profile.prices is not None:
        prices = profile.prices if profile.prices.is_absolute() else Path(base_dir or ".") / profile.prices
        if not prices.is_file():
            problems.append(
                f"prices: file not found: {prices} (got {str(profile.prices)!r}; a relative path is "
                "taken from the profile's folder)"
            )
        else:
            profile = profile.model_copy(update={"prices": prices.resolve()})
    if problems:
        raise ConfigError(f"{source}: the profile is not valid:", list(dict.fromkeys(problems)))
    assert profile is not None
    return profile


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The fields allowed where an unknown key was given: the model at ``loc`` (``conditions.ckd``,
    ``supplements[0]``, ``nutrients.calcium``) found by walking the profile's annotations."""
    model: type[BaseModel] = Profile
    for part in loc[:-1]:
        field = model.model_fields.get(str(part)) if not isinstance(part, int) else None
        if field is None:
            continue  # a list index or a mapping key (a nutrient id)
        inner = _model_in(field.annotation)
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``list[Supplement]``, ``Ckd | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _describe(err: Mapping[str, Any]) -> str:
    """One pydantic error as ``field: message (got value)`` with a suggestion for unknown keys."""
    loc = tuple(err["loc"])
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
    path = _path(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else f"allowed: {', '.join(allowed)}"
        return f"{path}: unknown field; {hint}"
    if kind == "missing":
        return f"{path}: required field is missing"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    value = err.get("input")
    if isinstance(value, dict | list) and len(repr(value)) > 60:
        return f"{path}: {msg}"
    return f"{path}: {msg} (got {value!r})"
