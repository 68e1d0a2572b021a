"""Prices per 100 g for a plan: the food table's price column, overridden by the profile's price table."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from mealplan.errors import ConfigError
from mealplan.food_data.table import FoodTable
from mealplan.targets.profile import Profile


def read_prices(path: Path) -> dict[str, float]:
    """A price table: CSV with columns ``id`` and ``price`` (per 100 g)."""
    problems = []
    prices: dict[str, float] = {}
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"id", "price"} <= set(reader.fieldnames):
                raise ConfigError(f"{path}: a price table needs the columns id and price (per 100 g).")
            for row_no, row in enumerate(reader, start=2):
                try:
                    value = float(row["price"])
                except (TypeError, ValueError):
                    value = math.nan
                if not math.isfinite(value) or value < 0:
                    problems.append(f"{path}, row {row_no}, column price: {row['price']!r} is not a price >= 0")
                    continue
                prices[str(row["id"]).strip().zfill(5) if str(row["id"]).strip().isdigit() else row["id"]] = value
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the price table ({exc.strerror}).") from exc
    if problems:
        raise ConfigError(f"{path}: bad prices.", problems)
    return prices


def prices_for(profile: Profile, foods: FoodTable) -> dict[str, float] | None:
    """Prices per 100 g: the food table's price column, overridden by the profile's price table."""
    prices: dict[str, float] = {}
    if "price" in foods.rows:
        column = foods.rows["price"].astype(float)
        known = ~np.isnan(column)
        prices = dict(zip(foods.rows.ids[known].tolist(), column[known].tolist(), strict=True))
    if profile.prices:
        prices.update(read_prices(Path(profile.prices)))
    return prices or None
