"""The nutrient registry, the bundled table's loading, and the staples list."""

from __future__ import annotations

import math
import time

import pandas as pd
import pytest

from mealplan.food_data import nutrients
from mealplan.food_data.staples import staple_mask
from mealplan.food_data.table import load_bundled


def test_registry_ids_are_unique_and_cover_the_key_nutrients():
    ids = [n.id for n in nutrients.NUTRIENTS]
    assert len(ids) == len(set(ids))
    for key in (
        "magnesium",
        "calcium",
        "potassium",
        "sodium",
        "vitamin_d",
        "vitamin_b12",
        "vitamin_b6",
        "iron",
        "zinc",
        "folate",
        "vitamin_c",
        "vitamin_a",
        "protein",
        "fat",
        "saturated_fat",
        "carbohydrate",
        "fiber",
        "sugars",
        "energy",
        "water",
    ):
        assert key in nutrients.BY_ID
    assert nutrients.BY_ID["vitamin_d"].unit == "µg"
    assert nutrients.BY_ID["energy"].unit == "kcal"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Magnesium", "magnesium"),
        ("vitamin-b12", "vitamin_b12"),
        ("B12", "vitamin_b12"),
        ("Vitamin D", "vitamin_d"),
        ("fibre", "fiber"),
        ("kcal", "energy"),
    ],
)
def test_resolve_accepts_ids_names_and_aliases(text, expected):
    assert nutrients.resolve(text).id == expected


def test_resolve_unknown_is_none():
    assert nutrients.resolve("unobtainium") is None


def test_unit_factor():
    assert nutrients.unit_factor("g", "mg") == 1000
    assert nutrients.unit_factor("mcg", "µg") == 1
    with pytest.raises(ValueError, match="cannot convert 'IU' to 'µg'"):
        nutrients.unit_factor("IU", "µg")


def test_vitamin_a_rae_needs_retinol_and_beta_carotene():
    assert nutrients.derive_vitamin_a_rae(10, 120, 24, math.nan) == pytest.approx(10 + 10 + 1)
    assert math.isnan(nutrients.derive_vitamin_a_rae(math.nan, 120, 0, 0))


def test_bundled_table_loads_once_and_fast():
    load_bundled.cache_clear()
    start = time.perf_counter()
    table = load_bundled()
    elapsed = time.perf_counter() - start
    assert load_bundled() is table  # cached: loaded once per process
    assert len(table) == 8858
    assert table.units["vitamin_d"] == "µg"
    # Not a timing assertion on speed (benchmarks do that); only a guard against a pathological load.
    assert elapsed < 30


def test_staples_are_everyday_planner_foods():
    foods = load_bundled().foods
    common = foods[foods["common"] & foods["planner"]]
    assert len(common) > 400
    names = common["name"].str.lower()
    for staple in (
        "bananas, raw",
        "broccoli, cooked",
        "lentils, mature seeds, cooked",
        "milk, whole",
        "egg, whole, cooked, hard-boiled",
        "oil, olive",
    ):
        assert names.str.startswith(staple).any(), staple
    for odd in ("liver", "sisymbrium", "sun-dried"):
        assert not names.str.contains(odd).any(), odd


def test_staple_mask_exclusions():
    names = pd.Series(
        [
            "Chicken, broilers or fryers, breast, meat only, cooked, roasted",
            "Chicken, broilers or fryers, liver, all classes, cooked, simmered",
            "Mustard spinach, (tendergreen), raw",
            "Mustard, prepared, yellow",
        ]
    )
    assert staple_mask(names).tolist() == [True, False, False, True]
