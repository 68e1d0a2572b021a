"""The reviewed override file: hand corrections applied after the curation rules.

``food_data/data/curation_overrides.csv`` (columns id, column, value, reason) sets one curation
column of one food; every row must say why. Checked in full before anything is applied.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mealplan.errors import FoodDataError
from mealplan.food_data.vocab import ALLERGENS, CATEGORIES, CURATION_COLUMNS, DIETS, SLOTS

OVERRIDES_FILE = Path(__file__).resolve().parent.parent / "data" / "curation_overrides.csv"

_BOOL_COLUMNS = ("as_eaten", "planner")
_FLOAT_COLUMNS = ("serving_g", "max_g", "price")
_OVERRIDE_COLUMNS = ("id", "column", "value", "reason")


def _parse_override(column: str, value: str) -> tuple[object, str | None]:
    """Typed value of one override cell, or an error saying what is allowed."""
    text = value.strip()
    if column in _BOOL_COLUMNS:
        if text.lower() in ("true", "false"):
            return text.lower() == "true", None
        return None, "allowed: true or false"
    if column in _FLOAT_COLUMNS:
        try:
            number = float(text)
        except ValueError:
            return None, "allowed: a number of grams (price: a number)"
        if math.isnan(number) and column != "price" or number < 0:
            return None, "allowed: a number >= 0"
        return number, None
    if column == "category":
        return (text, None) if text in CATEGORIES else (None, f"allowed: {', '.join(CATEGORIES)}")
    if column == "diet":
        return (text, None) if text in DIETS else (None, f"allowed: {', '.join(DIETS)}")
    if column in ("allergens", "slots"):
        vocab = ALLERGENS if column == "allergens" else SLOTS
        tags = [p.strip() for p in text.split(";") if p.strip()]
        bad = [p for p in tags if p not in vocab]
        if bad:
            return None, f"allowed: ';'-joined tags from {', '.join(vocab)} (or empty)"
        return ";".join(v for v in vocab if v in tags), None
    return text, None


def load_overrides(path: Path = OVERRIDES_FILE, food_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Read and check a curation override file (columns id, column, value, reason).

    Every row must name a known food id (when ``food_ids`` is given), a curation column, a value
    valid for that column and a non-empty reason. All problems are collected and raised together.

    Returns:
        The rows with a ``parsed`` column holding typed values.

    Raises:
        FoodDataError: The file is unreadable or any row is invalid; the message names the file
            and each bad row (its line number), the bad value and what is allowed.
    """
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            lines = [(n, line) for n, line in enumerate(handle, start=1) if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise FoodDataError(f"cannot read curation override file {path}: {exc}") from exc
    rows = list(csv.reader(line for _, line in lines))
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in _OVERRIDE_COLUMNS if c not in header]
    if missing:
        raise FoodDataError(
            f"curation override file {path}: missing column(s) {', '.join(missing)}; "
            f"expected header: {','.join(_OVERRIDE_COLUMNS)}"
        )
    table = pd.DataFrame(
        [dict(zip(header, (v.strip() for v in r), strict=False)) for r in rows[1:]],
        columns=header,
        dtype=object,
    ).fillna("")
    known = pd.Index(table["id"]).isin(pd.Index(food_ids)) if food_ids is not None else np.ones(len(table), dtype=bool)
    problems: list[str] = []
    parsed: list[Any] = []
    for i, row in enumerate(table.itertuples(index=False)):
        line = lines[i + 1][0]
        where = f"line {line} (id {row.id!r}, column {row.column!r})"
        value: object = None
        if not known[i]:
            problems.append(f"{where}: unknown food id {row.id!r}; use an id of the bundled table")
        if row.column not in CURATION_COLUMNS:
            problems.append(f"{where}: unknown column {row.column!r}; allowed: {', '.join(CURATION_COLUMNS)}")
        else:
            value, error = _parse_override(str(row.column), str(row.value))
            if error:
                problems.append(f"{where}: bad value {row.value!r}; {error}")
        if not str(row.reason).strip():
            problems.append(f"{where}: empty reason; every override must say why")
        parsed.append(value)
    if problems:
        raise FoodDataError(f"curation override file {path} has {len(problems)} problem(s)", problems)
    return table.assign(parsed=parsed)


def apply_overrides(foods: pd.DataFrame, overrides: pd.DataFrame, path: Path = OVERRIDES_FILE) -> pd.DataFrame:
    """Apply checked overrides (``load_overrides``) to curated foods, then check servings again.

    Raises:
        FoodDataError: An override leaves a planner food with ``max_g`` below ``serving_g`` or a
            serving of 0 g; the message names the food and the override file.
    """
    out = foods.copy()
    for food_id, column, value in zip(overrides["id"], overrides["column"], overrides["parsed"], strict=True):
        out.loc[food_id, column] = value
    touched = out.index.isin(overrides["id"])
    bad = out[
        touched & out["planner"].astype(bool) & ~(out["serving_g"] > 0) | touched & (out["max_g"] < out["serving_g"])
    ]
    if len(bad):
        raise FoodDataError(
            f"curation override file {path} leaves foods with an impossible serving",
            [
                f"{i} ({r['name']}): serving_g {r['serving_g']}, max_g {r['max_g']}; "
                "need serving_g > 0 and max_g >= serving_g"
                for i, r in bad.iterrows()
            ],
        )
    return out
