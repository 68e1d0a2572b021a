"""Counted foods: the reviewed file matches SR24, covers the foods a plan shows, and fits their portions."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.counted import (
    COUNTED_FILE,
    CountedUnit,
    check_counted,
    counted_units,
    load_counted,
    split_amount,
    unit_word,
)
from mealplan.food_data.dishes import load_dishes
from mealplan.food_data.household import COUNTED
from mealplan.food_data.patterns import POOL_FOODS_FILE, load_pattern_foods
from mealplan.food_data.table import FoodTable, load_bundled

HEADER = "id,usda_name,unit,unit_g,step,measure_id,measure,note\n"
# Words of a serving that say "count me" besides household.COUNTED (those the report counts today).
PIECE_WORDS = {"ear", "unit", "block", "pepper", "bagel", "muffin", "pita", "tortilla", "roll", "pancake"}
PIECE_WORDS |= {"waffle", "chop", "date", "fig", "prune", "cake", "cracker", "toast", "biscuit", "half"}
PIECE_WORDS |= {"drumstick", "thigh", "breast", "potato"}


@pytest.fixture(scope="module")
def table():
    return load_bundled()


@pytest.fixture(scope="module")
def units(table):
    return counted_units(table)


def plan_visible(table) -> set[str]:
    """Every food a plan can show: the meal-pattern pools and the dish library's ingredients."""
    with POOL_FOODS_FILE.open(encoding="utf-8") as fh:
        pool = {row["id"] for row in csv.DictReader(fh)}
    dishes = load_dishes(foods=table)
    return pool | {i.food for d in dishes for i in d.ingredients}


def test_the_bundled_file_matches_sr24(table):
    assert check_counted(table) == []
    rows = load_counted()
    assert 70 <= sum(r.unit is not None for r in rows.values()) <= 120


def test_units_read_as_a_cook_serves(units):
    assert units["01129"] == CountedUnit("large egg", 50.0, 1.0)  # hard-boiled, SR24 "1 large" = 50 g
    assert units["09040"] == CountedUnit("medium banana", 118.0, 0.5)
    assert units["18002"].unit == "bagel" and units["18002"].step == 0.5
    assert units["18076"] == CountedUnit("slice", 25.0, 1.0)
    assert units["05064"].step_g == 86.0  # half a breast: SR24's "0.5 breast, bone and skin removed"
    # A roasted thigh's meat, not SR24's bone-in 116 g "thigh without skin".
    assert units["05098"].unit_g == 89.0
    for fid in ("09421", "09087", "18364", "18348", "01132"):  # dates, tortillas, rolls, eggs: whole only
        assert units[fid].step == 1.0, fid
    for fid in ("15237", "01009", "09176", "11282", "01117"):  # salmon, cheddar, mango, onion, yogurt
        assert fid not in units, fid


def test_counts_within_a_range():
    bagel = CountedUnit("bagel", 99.0, 0.5)
    assert bagel.counts_within(25, 120) == [0.5, 1.0]
    assert bagel.counts_within(50, 98) == []  # half a bagel is 49.5 g
    assert CountedUnit("large egg", 61.0, 1.0).counts_within(50, 150) == [1.0, 2.0]
    assert CountedUnit("cracker", 4.6, 1.0).counts_within(10, 14) == [3.0]


def test_every_countable_food_a_plan_shows_is_reviewed(table):
    rows = load_counted()
    visible = plan_visible(table)
    serving = table.rows.take(sorted(visible)).records(["serving_name"])
    unreviewed = [
        (fid, s["serving_name"])
        for fid, s in serving.items()
        if fid not in rows and unit_word(s["serving_name"]) in COUNTED | PIECE_WORDS
    ]
    assert unreviewed == []
    # and no row is for a food a plan never shows
    assert set(rows) <= visible


def test_every_pool_food_has_a_count_in_its_range(table, units):
    for fid, food in load_pattern_foods(table).items():
        if fid in units:
            assert units[fid].counts_within(food.min_g, food.max_g), (fid, food)


# Dish ingredients whose range holds no whole count: the dish library's to fix (reported).
DISH_MISFITS = {("beef-burger-salad", "23563")}  # a quarter-pound patty is 82 g; the range starts at 85


def test_dish_ingredients_fit_their_counts(table, units):
    misfits = set()
    for dish in load_dishes(foods=table):
        for ing in dish.ingredients:
            if ing.food in units and not ing.optional and not units[ing.food].counts_within(ing.min, ing.max):
                misfits.add((dish.id, ing.food))
    assert misfits <= DISH_MISFITS


def test_measure_words():
    assert split_amount("0.5 breast, bone and skin removed") == (0.5, "breast, bone and skin removed")
    assert split_amount("large") == (1.0, "large")
    assert unit_word("2 biscuits (1 NLEA serving)") == "biscuit"
    assert unit_word('medium (7" to 7-7/8" long)') == "medium"
    assert unit_word("slice, regular") == "slice"
    assert unit_word("3 saltines") == "saltine"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "counted.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_format_errors_name_line_column_value_and_what_is_allowed(tmp_path):
    path = _write(
        tmp_path,
        '01129,"Egg, whole, cooked, hard-boiled",large egg,50,0.25,,large,\n'
        '01129,"Egg, whole, cooked, hard-boiled",large egg,-3,1,,large,\n'
        '9040,"Bananas, raw",,,0,,medium,\n',
    )
    with pytest.raises(ConfigError) as err:
        load_counted(path)
    text = str(err.value)
    assert "line 2 (id 01129): step: '0.25' is not allowed; allowed: 1 (whole units), 0.5 (halves), 0" in text
    assert "line 3 (id 01129): id: '01129' is already on line 2" in text
    assert "unit_g: '-3' is not a number of grams; allowed: grams > 0" in text
    assert "line 4 (id 9040): id: '9040' is not an SR24 id; allowed: 5 digits" in text
    assert "measure: 'medium' on a row of step 0 (not counted); allowed: blank" in text


def test_drift_from_the_table_is_found(tmp_path, table):
    path = _write(
        tmp_path,
        '01129,"Egg, whole, boiled",large egg,50,1,,large,\n'
        '09040,"Bananas, raw",medium banana,120,0.5,,"medium (7"" to 7-7/8"" long)",\n'
        '09003,"Apples, raw, with skin",medium apple,182,0.5,,jumbo,\n'
        '01116,"Yogurt, plain, whole milk, 8 grams protein per 8 ounce",,,0,,,\n',
    )
    problems = "\n".join(check_counted(table, path))
    assert (
        "id '01129' is named 'Egg, whole, boiled'; the food table names it 'Egg, whole, cooked, hard-boiled'"
        in problems
    )
    assert "unit_g: 120 is not 'medium (7\" to 7-7/8\" long)''s 118 g a unit" in problems
    assert "measure: 'jumbo' is not a measure of 09003; allowed: " in problems
    assert "note: is empty on a row of step 0" in problems


def test_a_users_foods_are_counted_by_family_and_measure():
    foods = pd.DataFrame(
        {
            "name": ["Bread, sourdough, homemade", "Bananas, red, raw", "Bread, stuffing", "Bagels, plain, enriched"],
            "source": ["my.csv", "my.csv", "my.csv", "USDA SR24"],
        },
        index=pd.Index(["b1", "b2", "b3", "18001"], name="id"),
    )
    measures = pd.DataFrame(
        {
            "id": ["b1", "b1", "b2", "b3", "18001"],
            "measure": ["cup, cubes", "slice", "medium", "cup", 'medium bagel (3-1/2" to 4" dia)'],
            "grams": [45.0, 40.0, 120.0, 100.0, 105.0],
        }
    )
    units = counted_units(FoodTable(foods, measures))
    assert units["b1"] == CountedUnit("slice", 40.0, 1.0)  # a bread with a slice measure: slices
    assert units["b2"] == CountedUnit("medium banana", 120.0, 0.5)  # bananas with a medium measure: halves
    assert "b3" not in units  # bread by the cup only
    assert "18001" not in units  # an SR24 food the reviewed file leaves out stays out


def test_the_bundled_file_is_sorted_and_documented():
    text = COUNTED_FILE.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    ids = [line.split(",", 1)[0] for line in text.splitlines()[1:] if not line.startswith("#")]
    assert ids == sorted(ids)
