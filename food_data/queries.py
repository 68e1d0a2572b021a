"""Questions about a food table, as plain data: find foods, everything about one food, coverage.

Pure functions over a :class:`~mealplan.food_data.table.FoodTable` returning rows and dicts
(JSON-ready, amounts rounded, ``None`` for unknown); ``mealplan foods search|show|stats`` renders
them, and a notebook can call them directly::

    from mealplan.food_data import queries
    found, total = queries.search(load_bundled(), ["salmon"], rich_in="vitamin_d", diet="pescatarian")
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from mealplan.errors import FoodDataError
from mealplan.food_data.nutrients import BY_ID
from mealplan.food_data.vocab import DIET_LEVEL, KEY_NUTRIENTS, diet_allows, split_tags

if TYPE_CHECKING:
    import pandas as pd

    from mealplan.food_data.table import FoodTable

# What a search shows per serving: energy and the nutrients behind twitching and cramps.
SEARCH_NUTRIENTS: tuple[str, ...] = ("energy", *KEY_NUTRIENTS)


def find_food(table: FoodTable, query: str) -> str:
    """The id of a food given its id (or exact name); an unknown one suggests the closest ids and names."""
    foods = table.foods
    if query in foods.index:
        return query
    by_name = foods.index[foods["name"].str.casefold() == query.strip().casefold()]
    if len(by_name) == 1:
        return str(by_name[0])
    ids = [str(i) for i in foods.index]
    key = query.strip().casefold()
    # Ids that hold what was typed ("9040" -> "09040") first, then ids spelled alike.
    holding = sorted((i for i in ids if key and key in i.casefold()), key=len)[:3]
    close = holding + difflib.get_close_matches(query, ids, n=3, cutoff=0.6)
    names = foods["name"].astype(str).str.casefold()
    words = key.replace(",", " ").split()
    if words and not names.map(lambda n: all(w in n for w in words)).any():
        # A misspelt word ("salmn"): the closest word of any food name instead.
        vocabulary = sorted({w for n in names for w in n.replace(",", " ").split()})
        words = [(difflib.get_close_matches(w, vocabulary, n=1, cutoff=0.75) or [w])[0] for w in words]
    hits = foods[names.map(lambda n: all(w in n for w in words))]
    # Everyday foods first: planner foods, then the shortest names ("Bananas, raw" before baby foods).
    rank = sorted(zip(~hits["planner"].astype(bool), hits["name"].str.len(), hits.index, strict=True))
    named = [fid for _, _, fid in rank[:5]]
    suggestions = list(dict.fromkeys(close + [str(i) for i in named]))
    listed = "; ".join(f"{i} ({str(foods.at[i, 'name'])})" for i in suggestions)
    hint = f" Closest: {listed}." if listed else ""
    raise FoodDataError(f"No food has id {query!r}.{hint} Find ids with: mealplan foods search WORDS")


def serving(table: FoodTable, food: Any) -> tuple[str, float]:
    """Label and factor that turn amounts per basis into amounts per default serving."""
    grams = food["serving_g"]
    if table.basis != "100 g" or grams is None or math.isnan(grams):
        return table.basis, 1.0
    name = str(food["serving_name"])
    return (name if name == f"{grams:g} g" else f"{name} ({grams:g} g)"), grams / 100.0


def search(
    table: FoodTable,
    words: Sequence[str] = (),
    *,
    rich_in: str | None = None,
    diet: str | None = None,
    category: str | None = None,
    allergen_free: Sequence[str] = (),
    include_all: bool = False,
    limit: int = 20,
) -> tuple[pd.DataFrame, int]:
    """Foods whose name or id holds every word and that pass every filter: (the first ``limit``, how many).

    Sorted by name, or richest per serving first when ``rich_in`` names a nutrient (foods with an
    unknown amount left out). Filters take checked values (a diet of ``DIETS``, a category of
    ``CATEGORIES``, allergen tags of ``ALLERGENS``); planner foods only unless ``include_all``.
    """
    foods = table.foods if include_all else table.planner_foods()
    text = (foods["name"].astype(str) + " " + foods.index.astype(str)).str.casefold()
    keep = text.map(lambda t: all(w.casefold() in t for w in words))
    if diet:
        keep &= foods["diet"].map(lambda d: d in DIET_LEVEL and diet_allows(diet, d))
    if category:
        keep &= foods["category"] == category
    for tag in allergen_free:
        keep &= ~foods["allergens"].map(lambda a, t=tag: t in split_tags(a))
    found = foods[keep]
    nutrient = rich_in
    if nutrient:
        factor = found["serving_g"].astype(float).fillna(100.0) / 100.0 if table.basis == "100 g" else 1.0
        per_serving = found[nutrient] * factor
        found = found.assign(_rank=per_serving).dropna(subset=["_rank"])
        found = found.sort_values(["_rank", "name"], ascending=[False, True], kind="stable")
    else:
        found = found.sort_values("name", kind="stable")
    return found.head(limit), len(found)


def search_row(table: FoodTable, fid: str, food: Any, nutrients: list[str]) -> dict[str, Any]:
    label, factor = serving(table, food)
    row = {"id": str(fid), "name": food["name"], "category": food["category"], "serving": label}
    row["serving_g"] = num(food["serving_g"])
    return row | {n: num(food[n] * factor) for n in nutrients}


def detail(table: FoodTable, fid: str) -> dict[str, Any]:
    """Everything about one food as plain data (JSON-ready)."""
    food = cast("pd.Series", table.foods.loc[fid])
    label, factor = serving(table, food)
    known = [n for n in table.nutrient_columns if not math.isnan(food[n])]
    missing = [n for n in table.nutrient_columns if math.isnan(food[n])]
    per_gram = 1 / 100.0 if table.basis == "100 g" else math.nan
    measures = [
        {"measure": m, "grams": g, "nutrients": {n: num(food[n] * g * per_gram) for n in known}}
        for m, g in table.measures_of(fid)
    ]
    nutrients = [
        {
            "id": n,
            "name": BY_ID[n].name if n in BY_ID else n,
            "unit": table.units[n],
            "per_basis": num(food[n]),
            "per_serving": num(food[n] * factor),
        }
        for n in known
    ]
    return {
        "id": str(fid),
        "name": food["name"],
        "category": food["category"],
        "diet": food["diet"],
        "allergens": split_tags(food["allergens"]),
        "as_eaten": bool(food["as_eaten"]),
        "planner": bool(food["planner"]),
        "source": food["source"],
        "usda_group": food.get("usda_group", ""),
        "basis": table.basis,
        "serving": {"name": label, "grams": num(food["serving_g"])},
        "max_g": num(food["max_g"]),
        "slots": split_tags(food["slots"]),
        "price": num(food["price"]),
        "nutrients": nutrients,
        "missing": missing,
        "measures": measures,
    }


def stats(table: FoodTable) -> dict[str, Any]:
    """Foods per category and known/missing counts per nutrient, for the table and the planner set."""
    foods, planner = table.foods, table.planner_foods()
    all_counts = foods["category"].value_counts()
    planner_counts = planner["category"].value_counts()
    categories = [
        {"category": str(c), "all": int(all_counts[c]), "planner": int(planner_counts.get(c, 0))}
        for c in sorted(all_counts.index, key=lambda c: (-all_counts[c], str(c)))
    ]

    def coverage(df: Any, n: str) -> dict[str, Any]:
        known = int(df[n].notna().sum())
        return {
            "known": known,
            "missing": len(df) - known,
            "percent_known": round(100 * known / len(df), 1) if len(df) else 0.0,
        }

    nutrients = [
        {"id": n, "unit": table.units[n], "all": coverage(foods, n), "planner": coverage(planner, n)}
        for n in table.nutrient_columns
    ]
    return {
        "foods": len(foods),
        "planner_foods": len(planner),
        "categories": categories,
        "nutrients": nutrients,
    }


def num(value: Any) -> float | None:
    """A float for JSON (rounded), or None when unknown."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else round(v, 4)
