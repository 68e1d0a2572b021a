"""Foods named by the meal-rule data files (counted foods, pairings, drinks, everyday foods).

A data file names foods two ways, and this module reads both:

- by id, with the USDA name written beside it (``"18006": "Bagels, cinnamon-raisin, toasted"``): an
  id applies to a table's food only when the table's name for it is that name, so a user's table
  that reuses an id for another food is never mistaken for it; :func:`ref_problems` lists the ids
  the bundled table lacks or names differently (the tests run it, so the data cannot drift);
- by rule (:class:`FoodSet`): food patterns in the one pattern language of ``food_data.matching``
  (an id, a glob over the whole name such as ``"bagels, *"``, a group word such as ``fish``, or a
  plain substring), planner categories, and ``unless`` patterns that take foods out again.

Pure data: no solver, no printing; problems are collected and raised once as ``ConfigError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from mealplan.errors import ConfigError
from mealplan.fileio import load_user_yaml, read_user_text
from mealplan.food_data.matching import pattern_masks
from mealplan.food_data.table import FoodTable, Rows
from mealplan.food_data.vocab import CATEGORIES, SLOTS


class StrictModel(BaseModel):
    """A data file's record: unknown fields are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def read_yaml(path: str | Path, what: str) -> Any:
    """A data file's YAML document; ``ConfigError`` naming the file when it cannot be read."""
    text = read_user_text(path, what, error=ConfigError)
    try:
        return load_user_yaml(text)
    except (yaml.YAMLError, RecursionError) as exc:
        raise ConfigError(f"{path}: cannot read the {what}: {exc}") from exc


def validate(model: type[BaseModel], raw: Any, path: str | Path, what: str) -> Any:
    """``model`` from ``raw``, or one ``ConfigError`` listing every field problem (field, message, value)."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{path}: {'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg'].removeprefix('Value error, ')}"
            + ("" if e["type"] == "missing" else f" (value: {e.get('input')!r})")
            for e in exc.errors()
        ]
        raise ConfigError(f"{path}: {len(problems)} problem(s) in the {what}", problems) from None


def check_slots(values: Iterable[str]) -> list[str]:
    """A pydantic validator's body: meal kinds must be slots (breakfast, lunch, dinner, snack)."""
    values = list(values)
    bad = [v for v in values if v not in SLOTS]
    if bad:
        raise ValueError(f"unknown meal kinds {bad}; allowed: {', '.join(SLOTS)}")
    return values


def table_names(table: FoodTable) -> dict[str, str]:
    """Food id -> name of every food of the table."""
    return dict(zip(table.rows.ids.tolist(), [str(n) for n in table.rows["name"]], strict=True))


def ref_problems(refs: Mapping[str, str], table: FoodTable, where: str) -> list[str]:
    """Ids of ``refs`` (id -> USDA name) that ``table`` lacks or names otherwise, one message each."""
    names = table_names(table)
    out = []
    for fid, name in refs.items():
        if fid not in names:
            out.append(f"{where}: id {fid!r} ({name}) is not in the food table; allowed: ids of the bundled SR24 table")
        elif names[fid] != name:
            out.append(f"{where}: id {fid!r} is named {name!r}; the food table names it {names[fid]!r}")
    return out


def named_ids(refs: Mapping[str, str], table: FoodTable) -> set[str]:
    """The ids of ``refs`` the table holds under the same name (the foods the refs apply to)."""
    names = table_names(table)
    return {fid for fid, name in refs.items() if names.get(fid) == name}


class FoodSet(StrictModel):
    """Which foods a rule is about: listed ids (with their USDA names), or food patterns and planner
    categories, minus the ``unless`` patterns (which never take out a listed id)."""

    ids: dict[str, str] = {}
    foods: list[str] = []
    categories: list[str] = []
    unless: list[str] = []
    note: str = ""

    @field_validator("ids", mode="before")
    @classmethod
    def _quoted_ids(cls, value: Any) -> Any:
        if isinstance(value, dict) and any(not isinstance(k, str) for k in value):
            raise ValueError('food ids must be quoted text such as "09040"')
        return value

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: list[str]) -> list[str]:
        bad = [c for c in value if c not in CATEGORIES]
        if bad:
            raise ValueError(f"unknown categories {bad}; allowed: {', '.join(CATEGORIES)}")
        return value

    @property
    def empty(self) -> bool:
        return not (self.ids or self.foods or self.categories)

    def mask(self, rows: Rows) -> np.ndarray:
        """One bool per food of ``rows``: is it in the set."""
        ids = rows.ids
        names = rows["name"]
        cats = rows["category"] if "category" in rows else None
        tags = rows["allergens"] if "allergens" in rows else None
        out = np.zeros(len(ids), dtype=bool)
        for m in pattern_masks(self.foods, ids, names, cats, tags):
            out |= m
        if self.categories and cats is not None:
            out |= np.isin(np.asarray(cats, dtype=object).astype(str), self.categories)
        for m in pattern_masks(self.unless, ids, names, cats, tags):
            out &= ~m
        if self.ids:
            listed = np.array([self.ids.get(f) == str(n) for f, n in zip(ids.tolist(), names, strict=True)], dtype=bool)
            out |= listed
        return out

    def members(self, table: FoodTable, among: Iterable[str] | None = None) -> set[str]:
        """Ids of the table's foods in the set (only those of ``among`` when given)."""
        rows = table.rows
        if among is not None:
            pos = rows.positions(list(among), missing=-1)
            rows = rows.at(pos[pos >= 0])
        return set(np.asarray(rows.ids)[self.mask(rows)].tolist())
