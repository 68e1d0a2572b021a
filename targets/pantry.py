"""A pantry: what the kitchen already holds, read from a CSV a person writes (issue 30).

Columns (a header row; any order; names as below, case-insensitive)::

    food,amount,unit,use_by
    20037,500,g,
    "Spinach, raw",1,bag,2026-12-16
    eggs,6,each,2026-12-20
    soy milk,1,half gallon,

- ``food``: a food id of the table (``20037``; a 4-digit SR number gets its leading zero), the food's name
  as the table writes it (``Rice, brown, long-grain, raw``), or the name people say (``brown rice``) when
  it names one food; several foods of one name are listed to choose from.
- ``amount``: a number above 0.
- ``unit`` (empty: g): ``g``, ``kg``, ``oz``, ``lb``; ``mL``, ``L``, ``cup``, ``tbsp``, ``tsp``, ``fl oz``
  (by the food's density from its household measures); ``each`` or ``piece`` (by the food's whole-piece
  measure: eggs, bananas, bagels); or a pack the product is sold in (``can``, ``bottle``, ``jar``, ``bag``,
  ``loaf`` ...: ``food_data/data/purchase_packs.csv``).
- ``use_by`` (optional): ``YYYY-MM-DD``. Food used by its date is preferred in the plan (a soft aim).

A pantry food counts against the shopping list of the product it is bought as (``bought``): raw brown rice
in the pantry covers the cooked brown rice a plan eats, at the rice's cooking yield. Every problem is
collected into one :class:`~mealplan.errors.ConfigError` naming the file, row, column, value and what
is allowed.
"""

from __future__ import annotations

import difflib
import math
import re
import weakref
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from pydantic import BaseModel, ConfigDict

from mealplan.errors import ConfigError
from mealplan.fileio import read_csv_table
from mealplan.food_data.measures import VOLUMES, grams_per_ml, pack_grams, piece_grams, serving_unit, unit_measure
from mealplan.food_data.names import head_noun, shop_name, short_name, singular
from mealplan.food_data.purchase import merge_key, packs_for, purchase_form
from mealplan.food_data.table import FoodTable

PANTRY_COLUMNS = ("food", "amount", "unit", "use_by")
MAX_PANTRY_BYTES = 1024 * 1024
MASS_G = {"g": 1.0, "gram": 1.0, "grams": 1.0, "kg": 1000.0, "oz": 28.3495, "lb": 453.592, "lbs": 453.592}
VOLUME_ML = {"ml": 1.0, "l": 1000.0, "litre": 1000.0, "liter": 1000.0, **{k: v for k, v in VOLUMES.items()}}
PIECES = ("each", "piece", "pieces", "pc", "pcs")
UNITS_ALLOWED = (
    "g, kg, oz, lb, mL, L, cup, tbsp, tsp, fl oz, each, or a pack the product is sold in (can, jar, bag ...)"
)
SHOWN = 5  # candidates an ambiguous name lists


class PantryItem(BaseModel):
    """One row of the pantry: the food, how much (as written and in grams) and its use-by date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    row: int
    food_id: str
    name: str
    amount: float
    unit: str
    grams: float
    use_by: date | None = None


class Pantry(BaseModel):
    """A pantry file's rows, in file order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    items: list[PantryItem]


def read_pantry(path: str | Path, foods: FoodTable) -> Pantry:
    """Read a pantry CSV (see the module docstring) against the food table.

    Raises:
        ConfigError: every problem at once, each naming the file, row, column and value.
    """
    path = Path(path)
    table = read_csv_table(path, "pantry file", allowed="give a CSV with the columns food, amount, unit, use_by",
                           error=ConfigError, max_bytes=MAX_PANTRY_BYTES)  # fmt: skip
    header = [h.strip().lower() for h in table.header]
    problems = [b.message(str(path)) for b in table.broken]
    missing = [c for c in ("food", "amount") if c not in header]
    unknown = [h for h in header if h and h not in PANTRY_COLUMNS]
    if missing or unknown:
        raise ConfigError(
            f"{path}: the pantry's header is {', '.join(table.header) or 'empty'}; it needs the columns food and "
            "amount, and may have unit and use_by",
            [f"unknown column {u!r}" for u in unknown],
        )
    items = []
    for row in table.rows:
        if len(row.cells) > len(header):
            problems.append(f"{path}, row {row.row}: {len(row.cells)} cells but {len(header)} columns; a name with a "
                            "comma needs double quotes (\"Spinach, raw\")")  # fmt: skip
            continue
        cells = dict(zip(header, [c.strip() for c in row.cells], strict=False))
        item = _item(row.row, cells, foods, f"{path}, row {row.row}", problems)
        if item is not None:
            items.append(item)
    if problems:
        raise ConfigError(f"{path}: the pantry is not valid:", problems)
    return Pantry(source=str(path), items=items)


def _item(row: int, cells: dict[str, str], foods: FoodTable, at: str, problems: list[str]) -> PantryItem | None:
    before = len(problems)
    food_id = resolve_food(cells.get("food", ""), foods, f"{at}, column 'food'", problems)
    try:
        amount = float(cells.get("amount", ""))
    except ValueError:
        amount = math.nan
    if not (math.isfinite(amount) and 0 < amount <= 1e6):
        problems.append(
            f"{at}, column 'amount': {cells.get('amount', '')!r} is not an amount; allowed: a number above 0"
        )
    use_by = None
    if cells.get("use_by"):
        try:
            use_by = date.fromisoformat(cells["use_by"])
        except ValueError:
            problems.append(f"{at}, column 'use_by': {cells['use_by']!r} is not a date; allowed: YYYY-MM-DD or empty")
    if len(problems) > before or food_id is None:
        return None
    unit = cells.get("unit", "") or "g"
    grams = unit_grams(food_id, unit, foods)
    if grams is None:
        name = str(foods.foods.at[food_id, "name"])
        problems.append(f"{at}, column 'unit': {unit!r} is not a unit of {name}; allowed: "
                        f"{UNITS_ALLOWED}{_packs_hint(food_id, foods)}")  # fmt: skip
        return None
    typed = cells.get("food", "").strip()  # the name as written ("eggs"), or the table's for an id
    name = str(foods.foods.at[food_id, "name"]) if typed.zfill(5) == food_id or typed == food_id else typed
    return PantryItem(row=row, food_id=food_id, name=name, amount=amount, unit=unit, grams=round(amount * grams, 3),
                      use_by=use_by)  # fmt: skip


def resolve_food(text: str, foods: FoodTable, at: str, problems: list[str]) -> str | None:
    """The food id ``text`` names: an id, the table's name of a food, or the name people say (one food).

    Appends a problem (with the candidates or the closest names) and returns None otherwise.
    """
    text = text.strip()
    index = foods.foods.index
    key = text.zfill(5) if text.isdigit() else text
    if key in index:
        return key
    if not text:
        problems.append(f"{at}: empty; allowed: a food id or name")
        return None
    by_name = _names(foods)
    low = text.lower()
    exact = by_name["full"].get(low) or by_name["short"].get(low) or []
    if len(exact) == 1:
        return exact[0]
    products = {bought(f, foods).product for f in exact}
    if len(products) == 1:  # "eggs", "brown rice": several foods bought as one product, held as bought
        return purchase_form(exact[0], foods).id
    if exact:
        listed = "; ".join(f"{f} ({str(foods.foods.at[f, 'name'])})" for f in exact[:SHOWN])
        more = f"; and {len(exact) - SHOWN} more" if len(exact) > SHOWN else ""
        problems.append(f"{at}: {text!r} names {len(exact)} foods: {listed}{more}; give the id")
        return None
    close = difflib.get_close_matches(low, list(by_name["short"]), n=3, cutoff=0.7)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else "; mealplan foods search NAME finds it"
    problems.append(f"{at}: {text!r} is no food of the table{hint}")
    return None


def _names(foods: FoodTable) -> dict[str, dict[str, list[str]]]:
    """Foods by their lower-case table name, and planner foods by the names people say; kept per table."""
    if foods not in _NAMES:
        full: dict[str, list[str]] = {}
        short: dict[str, list[str]] = {}
        every = foods.foods["name"].astype(str)
        for fid, name in zip(every.index.astype(str).tolist(), every.tolist(), strict=True):
            full.setdefault(name.lower(), []).append(fid)
        planner = foods.planner_foods()
        for fid, name in zip(planner.index.astype(str).tolist(), planner["name"].astype(str).tolist(), strict=True):
            for said in {short_name(name).lower(), shop_name(name).lower()}:
                short.setdefault(said, []).append(fid)
        _NAMES[foods] = {"full": full, "short": short}
    return _NAMES[foods]


_NAMES: weakref.WeakKeyDictionary[FoodTable, dict[str, dict[str, list[str]]]] = weakref.WeakKeyDictionary()


def unit_grams(food_id: str, unit: str, foods: FoodTable) -> float | None:
    """Grams of one ``unit`` of a food (see the module docstring); None when the food has no such unit."""
    low = re.sub(r"\s+", " ", unit.strip().lower())
    if low in MASS_G:
        return MASS_G[low]
    measures = foods.measures_of(food_id)
    name = str(foods.foods.at[food_id, "name"])
    word = low if low in VOLUME_ML else singular(low)
    if word in VOLUME_ML:
        return VOLUME_ML[word] * grams_per_ml(measures)
    if low in PIECES:
        head = head_noun(name)
        unit_g = unit_measure(measures, head)
        if unit_g:
            return unit_g[1]
        serving = serving_unit(
            str(foods.foods.at[food_id, "serving_name"]), float(cast(float, foods.foods.at[food_id, "serving_g"]))
        )
        return serving[1] if serving else piece_grams(measures, head)
    for pack in packs_for(shop_name(name)):
        if pack.pack == word or pack.pack == low:
            return pack_grams(pack, measures)
    return None


def _packs_hint(food_id: str, foods: FoodTable) -> str:
    packs = packs_for(shop_name(str(foods.foods.at[food_id, "name"])))
    return f" (this product's packs: {', '.join(dict.fromkeys(p.pack for p in packs))})" if packs else ""


@dataclass(frozen=True)
class Bought:
    """What a food is bought as: the product (one shopping line), the food bought and grams per gram eaten."""

    product: str
    food_id: str
    name: str
    factor: float


def bought(food_id: str, foods: FoodTable) -> Bought:
    """The product a food is bought as (``food_data.purchase.merge_key`` of its purchase form) and the
    grams bought per gram eaten (cooked brown rice: dry brown rice, about 0.3 g a gram)."""
    form = purchase_form(food_id, foods)
    category = str(foods.foods.at[form.id, "category"]) if form.id in foods.foods.index else ""
    return Bought(merge_key(form.name, category) or form.id, form.id, form.name, form.grams_factor)


def pantry_grams(pantry: Pantry, foods: FoodTable) -> dict[str, float]:
    """Grams of each product in the pantry, as bought (a cooked food in the pantry at its bought weight)."""
    out: dict[str, float] = {}
    for item in pantry.items:
        b = bought(item.food_id, foods)
        out[b.product] = out.get(b.product, 0.0) + item.grams * b.factor
    return out
