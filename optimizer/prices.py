"""Prices per 100 g for a plan: the food table's price column, overridden by the profile's price table."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from mealplan.errors import ConfigError
from mealplan.fileio import read_csv_table
from mealplan.food_data.table import FoodTable
from mealplan.targets.profile import Profile


def read_prices(path: Path) -> dict[str, float]:
    """A price table: CSV with columns ``id`` and ``price`` (per 100 g), read by the one CSV reader
    (``mealplan.fileio.read_csv_table``: a stray quote breaks its own row, never the rows after it).

    Raises:
        ConfigError: the file cannot be read, lacks a column, or has rows that are not a price >= 0 (every
            one named by row and column).
    """
    table = read_csv_table(
        path, "price table", allowed="a CSV with columns id and price (per 100 g)", error=ConfigError
    )
    header = [h.strip().lower() for h in table.header]
    if not {"id", "price"} <= set(header):
        raise ConfigError(f"{path}: a price table needs the columns id and price (per 100 g).")
    at_id, at_price = header.index("id"), header.index("price")
    problems = [b.message(str(path)) for b in table.broken]
    prices: dict[str, float] = {}
    for row in table.rows:
        raw = row.cells[at_price] if at_price < len(row.cells) else ""
        food = (row.cells[at_id] if at_id < len(row.cells) else "").strip()
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            problems.append(f"{path}, row {row.row}, column price: {raw!r} is not a price >= 0")
            continue
        prices[food.zfill(5) if food.isdigit() else food] = value
    if problems:
        raise ConfigError(f"{path}: bad prices.", problems)
    return prices


def prices_for(profile: Profile | None, foods: FoodTable) -> dict[str, float] | None:
    """Prices per 100 g: the food table's price column, overridden by the profile's price table (if a profile)."""
    prices: dict[str, float] = {}
    if "price" in foods.rows:
        column = foods.rows["price"].astype(float)
        known = ~np.isnan(column)
        prices = dict(zip(foods.rows.ids[known].tolist(), column[known].tolist(), strict=True))
    if profile is not None and profile.prices:
        prices.update(read_prices(Path(profile.prices)))
    return prices or None
