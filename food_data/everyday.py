"""Everyday foods: the staples exempt from the week's "no food on more than four days" rule, and the
foods it counts as one (``variety_name``), as data.

``data/everyday_foods.yaml`` names them by groups (milk, bread, fats, condiments, water, coffee and
tea, ...), by food patterns, planner categories or listed ids (food_data/food_refs.py). Pure data: no
solver, no printing.
"""

from __future__ import annotations

import fnmatch
import functools
from pathlib import Path

import numpy as np
from pydantic import Field

from mealplan.errors import ConfigError
from mealplan.food_data.food_refs import FoodSet, StrictModel, read_yaml, ref_problems, validate
from mealplan.food_data.names import shop_name
from mealplan.food_data.table import DATA_DIR, FoodTable, Rows

EVERYDAY_FILE = DATA_DIR / "everyday_foods.yaml"
WHAT = "everyday-foods file"


class EverydayGroup(FoodSet):
    why: str = Field(min_length=1)


class EverydayFile(StrictModel):
    """The everyday-foods file as written (its header documents each field)."""

    schema_version: int = Field(alias="schema")
    groups: dict[str, EverydayGroup] = Field(min_length=1)
    alike: dict[str, list[str]] = {}


@functools.lru_cache(maxsize=4)
def load_everyday(path: str | Path | None = None) -> EverydayFile:
    """The everyday-foods file (default: the bundled one), checked.

    Raises:
        ConfigError: listing every problem (field, the bad value and what is allowed).
    """
    path = path or EVERYDAY_FILE
    doc: EverydayFile = validate(EverydayFile, read_yaml(path, WHAT), path, WHAT)
    problems = []
    if doc.schema_version != 1:
        problems.append(f"{path}: schema: {doc.schema_version} is unsupported; allowed: 1")
    problems += [
        f"{path}: groups.{g}: names no foods; allowed: ids, foods or categories"
        for g, s in doc.groups.items()
        if s.empty
    ]
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in the {WHAT}", problems)
    return doc


@functools.lru_cache(maxsize=4096)
def variety_name(name: str) -> str:
    """What the week's days-per-food rule counts a food as, by its USDA name: its ``alike`` group of the
    bundled file ("tofu" for every tofu, "chicken" for breast and thigh), else the product a shopper buys
    (``shop_name``)."""
    lowered = name.lower()
    for key, globs in load_everyday().alike.items():
        if any(fnmatch.fnmatchcase(lowered, g) for g in globs):
            return key
    return shop_name(name)


def everyday_mask(rows: Rows, path: str | Path | None = None) -> np.ndarray:
    """One bool per food of ``rows``: is it an everyday food. Computed once per table (every subset of
    a table shares it), so a week of plans on a 100,000-food table pays for it once."""
    key = ("everyday", str(path or EVERYDAY_FILE))
    return rows.derived(key, lambda whole: _mask(whole, path), most=4)


def _mask(rows: Rows, path: str | Path | None) -> np.ndarray:
    out = np.zeros(len(rows), dtype=bool)
    for group in load_everyday(path).groups.values():
        out |= group.mask(rows)
    return out


def everyday_ids(table: FoodTable, path: str | Path | None = None) -> set[str]:
    """Ids of the table's everyday foods."""
    rows = table.rows
    return set(np.asarray(rows.ids)[everyday_mask(rows, path)].tolist())


def is_everyday(food_id: str, table: FoodTable, path: str | Path | None = None) -> bool:
    """Whether the food with this id is an everyday food (False for an id the table lacks)."""
    rows = table.rows
    pos = int(rows.positions([food_id], missing=-1)[0])
    return pos >= 0 and bool(everyday_mask(rows, path)[pos])


def check_everyday(table: FoodTable, path: str | Path | None = None) -> list[str]:
    """Problems of the file against the bundled table: listed ids it lacks or names otherwise, groups
    that hold none of its foods."""
    doc = load_everyday(path)
    where = str(path or EVERYDAY_FILE)
    out = []
    for name, group in doc.groups.items():
        out += ref_problems(group.ids, table, f"{where}: groups.{name}.ids")
        if not group.mask(table.rows).any():
            out.append(f"{where}: groups.{name}: holds no food of the table")
    return out
