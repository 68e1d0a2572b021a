"""Reading a saved plan, and which food tables to check it against.

A plan file is the JSON that ``mealplan plan --format json`` writes; reading it validates it against
the :class:`~optimizer.plan.Plan` schema and names every wrong field by its JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from mealplan.errors import InputError
from mealplan.fileio import read_user_text
from mealplan.food_data.table import SR24_SOURCE
from mealplan.optimizer.plan import SCHEMA_VERSION, Plan

MAX_LISTED = 20  # validation errors listed for a file that is not a Plan


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def load_plan(path: Path | str) -> Plan:
    """Read a saved plan (the JSON written by ``mealplan plan --format json``).

    Raises:
        InputError: naming the file and, for a file that is not a Plan, the JSON path of every
            wrong field (``days[0].slots[1].items[0].grams``).
    """
    path = Path(path)
    raw = read_user_text(path, "plan", allowed="give a plan saved with --format json")
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputError(f"{path}: not a JSON file{where}; give a plan saved with --format json.") from None
    except ValueError as exc:
        raise InputError(f"{path}: {exc}; a saved plan has only finite numbers.") from None
    except RecursionError:
        raise InputError(f"{path}: the JSON is nested too deeply to be a plan.") from None
    if not isinstance(data, dict) or "days" not in data or "kind" not in data:
        raise InputError(
            f"{path}: not a mealplan Plan (a JSON object with kind, days, targets, rules ...); "
            "give a plan saved with `mealplan plan --format json`."
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        listed = [f"{_json_path(e['loc'])}: {e['msg']}" for e in errors[:MAX_LISTED]]
        if len(errors) > MAX_LISTED:
            listed.append(f"... and {len(errors) - MAX_LISTED} more")
        raise InputError(f"{path}: not a valid mealplan Plan (schema {SCHEMA_VERSION}):", listed) from None


def _json_path(loc: tuple[object, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def plan_tables(plan: Plan, foods_paths: Iterable[Path] = (), no_bundled: bool = False) -> tuple[list[Path], bool]:
    """Which food tables to verify a plan against: ``(paths, bundled)``.

    ``plan.food_sources`` names them: ``"USDA SR24"`` is the bundled table, anything else is a
    file path. Paths given here replace the plan's file sources (e.g. after the files moved).

    Raises:
        InputError: a file source of the plan no longer exists and no replacement was given.
    """
    given = [Path(p) for p in foods_paths]
    bundled = SR24_SOURCE in plan.food_sources and not no_bundled
    if given:
        return given, bundled
    paths = [Path(s) for s in plan.food_sources if s != SR24_SOURCE]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(
            "The plan was made with food tables that are not here: "
            + ", ".join(missing)
            + "; give them with --foods FILE."
        )
    return paths, bundled
