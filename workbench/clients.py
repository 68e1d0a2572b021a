"""A client's profile: its id rule, field changes (``--set FIELD=VALUE``) and the stored version as a Profile."""

from __future__ import annotations

from typing import Any

import yaml

from mealplan.errors import ConfigError, InputError
from mealplan.fileio import load_user_yaml
from mealplan.targets.profile import Profile, _profile_id
from mealplan.targets.profile_files import profile_from_dict


def client_id_checked(client_id: str) -> str:
    """``client_id`` when it is a valid id (the profile id rule), else an error naming it."""
    try:
        return _profile_id(client_id)
    except ValueError as exc:
        raise InputError(f"--id {client_id!r}: {exc}.") from None


def changed_profile(base: dict[str, Any], changes: list[str] | tuple[str, ...], source: str) -> Profile:
    """``base`` (a profile's fields) with ``FIELD=VALUE`` changes, validated as a whole.

    The value is read as YAML (``exclude=[liver, kidney]``, ``age=64``, ``diet=vegan``).

    Raises:
        ConfigError: a change is not ``FIELD=VALUE``, or the changed profile is not valid (every
            problem named by field).
    """
    data = dict(base)
    problems = []
    for change in changes:
        field, sep, value = change.partition("=")
        field = field.strip()
        if not sep or not field:
            problems.append(f"--set {change!r}: give FIELD=VALUE, e.g. --set 'exclude=[liver]'")
            continue
        if field not in Profile.model_fields:
            problems.append(f"--set {change!r}: unknown field {field!r}; allowed: {', '.join(Profile.model_fields)}")
            continue
        try:
            data[field] = load_user_yaml(value) if value.strip() else None
        except (yaml.YAMLError, RecursionError) as exc:
            problems.append(f"--set {change!r}: the value is not valid YAML ({exc})")
    if problems:
        raise ConfigError("The profile changes are not valid:", problems)
    data = {k: v for k, v in data.items() if v is not None}
    return profile_from_dict(data, source=f"{source} with --set")


def stored_profile(store: Any, client_id: str) -> tuple[Profile, int]:
    """A client's latest profile version, validated again (the rules may have changed since), and its number."""
    version = store.latest_profile(client_id)
    return profile_from_dict(version.profile, source=f"client {client_id}, profile version {version.version}"), (
        version.version
    )


def with_plan_rules(
    profile: Profile, require: list[str] | tuple[str, ...] = (), forbid: list[str] | tuple[str, ...] = (),
    diet_pattern: str | None = None,
) -> Profile:  # fmt: skip
    """``profile`` with ``--require``, ``--forbid`` and ``--diet-pattern`` added (validated as a whole).

    Raises:
        ConfigError: naming the flag and the bad value.
    """
    if not require and not forbid and diet_pattern is None:
        return profile
    data = profile.model_dump(mode="json")
    data["require"] = [*data.get("require", []), *require]
    data["forbid"] = list(dict.fromkeys([*data.get("forbid", []), *forbid]))
    if diet_pattern is not None:
        data["diet_pattern"] = diet_pattern
    data = {k: v for k, v in data.items() if v is not None}
    try:
        return profile_from_dict(data, source="the command line")
    except ConfigError as exc:
        flags = {"require": "--require", "forbid": "--forbid", "diet_pattern": "--diet-pattern"}
        problems = []
        for p in exc.problems:
            field = p.split("[")[0].split(":")[0].split(".")[0]
            problems.append(f"{flags[field]}: {p}" if field in flags else p)
        raise ConfigError("The profile's rules from the command line are not valid:", problems) from None
