"""Reading a saved plan, and which food tables to check it against.

A plan file is the JSON that ``mealplan plan --format json`` writes; reading it validates it against
the :class:`~mealplan.plan.Plan` schema and names every wrong field by its JSON path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from mealplan.errors import InputError
from mealplan.fileio import read_user_text
from mealplan.food_data.table import SR24_SOURCE
from mealplan.plan import SCHEMA_VERSION, Plan

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
    problems = unphysical_numbers(data)
    if problems:
        listed = problems[:MAX_LISTED] + (
            [f"... and {len(problems) - MAX_LISTED} more"] if len(problems) > MAX_LISTED else []
        )
        raise InputError(f"{path}: the plan holds numbers no plan can have:", listed)
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        listed = [f"{_json_path(e['loc'])}: {e['msg']}" for e in errors[:MAX_LISTED]]
        if len(errors) > MAX_LISTED:
            listed.append(f"... and {len(errors) - MAX_LISTED} more")
        raise InputError(f"{path}: not a valid mealplan Plan (schema {SCHEMA_VERSION}):", listed) from None


# A food item's grams in one meal: 0 to this (10 kg is already far beyond any portion).
MAX_ITEM_GRAMS = 10_000.0


def check_numbers(path: Path | str, data: object) -> None:
    """Raise one InputError listing :func:`unphysical_numbers` in a plan's JSON, if any."""
    problems = unphysical_numbers(data)
    if problems:
        more = len(problems) - MAX_LISTED
        listed = problems[:MAX_LISTED] + ([f"... and {more} more"] if more > 0 else [])
        raise InputError(f"{path}: the plan holds numbers no plan can have:", listed)


def unphysical_numbers(data: object, loc: tuple[object, ...] = ()) -> list[str]:
    """Every non-finite or huge number in a plan's JSON (``1e400`` reads as infinity), and every item's
    grams outside 0 to :data:`MAX_ITEM_GRAMS`, each as ``JSON path: value and what is allowed``."""
    out: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            out += unphysical_numbers(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += unphysical_numbers(value, (*loc, i))
    elif isinstance(data, float | int) and not isinstance(data, bool):
        where = _json_path(loc)
        if not math.isfinite(data) or abs(data) >= 1e15:
            out.append(f"{where}: {data!r} is not a physical amount; a saved plan has finite numbers below 1e15")
        elif loc and loc[-1] == "grams" and "items" in loc and not 0 <= data <= MAX_ITEM_GRAMS:
            out.append(f"{where}: {data:g} g; an item's grams are 0 to {MAX_ITEM_GRAMS:,.0f}")
    return out


def _json_path(loc: tuple[object, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


class FoodSources(Protocol):
    """What :func:`plan_tables` reads of a plan: a :class:`Plan`, or the sources of a plan not yet read whole."""

    @property
    def food_sources(self) -> list[str]: ...


def plan_tables(
    plan: FoodSources, foods_paths: Iterable[Path] = (), no_bundled: bool = False
) -> tuple[list[Path], bool]:
    """Which food tables to verify a plan against: ``(paths, bundled)``.

    ``plan.food_sources`` names them: ``"USDA SR24"`` is the bundled table; anything else is a path
    written in the plan file, and a path taken from a file is never opened on its own say (a plan
    could name ``/etc/passwd``, a FIFO or ``/dev/zero``): the tables come from ``--foods``.

    Raises:
        InputError: the plan was made with food tables of the user's and none were given.
    """
    given = [Path(p) for p in foods_paths]
    bundled = SR24_SOURCE in plan.food_sources and not no_bundled
    if given:
        return given, bundled
    named = [s for s in plan.food_sources if s != SR24_SOURCE]
    if named:
        raise InputError(
            "The plan was made with food tables of your own: "
            + ", ".join(repr(s) for s in named)
            + "; give them with --foods FILE (a path written in a plan file is never opened unless you name it)."
        )
    return [], bundled
