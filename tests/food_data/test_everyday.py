"""Everyday foods: the staples exempt from "no food on more than four days", by rule, on any table."""

from __future__ import annotations

import pandas as pd
import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.everyday import (
    EVERYDAY_FILE,
    check_everyday,
    everyday_ids,
    everyday_mask,
    is_everyday,
    load_everyday,
    variety_name,
)
from mealplan.food_data.table import FoodTable, load_bundled


@pytest.fixture(scope="module")
def table():
    return load_bundled()


def test_the_bundled_file_is_clean(table):
    assert check_everyday(table) == []


@pytest.mark.parametrize(
    "food_id",
    [
        "14411",  # Water, tap, drinking
        "01079",  # Milk, reduced fat, 2%
        "16222",  # Soymilk, unsweetened
        "04053",  # Oil, olive
        "01145",  # Butter, without salt
        "18076",  # Bread, whole-wheat, toasted
        "18449",  # Tortillas, corn
        "02046",  # Mustard
        "16123",  # Soy sauce
        "11215",  # Garlic, raw
        "09152",  # Lemon juice, raw
        "14209",  # Coffee, brewed
        "14355",  # Tea, black, brewed
        "19296",  # Honey
    ],
)
def test_staples_are_everyday(table, food_id):
    assert is_everyday(food_id, table)


@pytest.mark.parametrize(
    "food_id",
    [
        "01104",  # Milk, chocolate: a treat, not a staple
        "18002",  # Bagels
        "18006",  # Bagels, cinnamon-raisin
        "18259",  # English muffins
        "01132",  # Egg, scrambled
        "20045",  # Rice, white
        "08121",  # Oats, cooked
        "01117",  # Yogurt
        "16398",  # Peanut butter
        "11458",  # Spinach, cooked
        "09184",  # Melons, honeydew (not honey)
        "08054",  # Granola with honey (not honey)
        "06931",  # Pasta sauce: a part of the meal
        "15237",  # Salmon
        "04591",  # Fish oil, menhaden
        "04002",  # Lard
    ],
)
def test_the_rest_follow_the_variety_rule(table, food_id):
    assert not is_everyday(food_id, table)


def test_an_unknown_id_is_not_everyday(table):
    assert not is_everyday("no-such-food", table)


def test_ids_and_mask_agree(table):
    ids = everyday_ids(table)
    mask = everyday_mask(table.rows)
    assert len(ids) == int(mask.sum())
    assert 300 <= len(ids) <= 1500
    subset = table.rows.take(["14411", "01132", "04053"])
    assert everyday_mask(subset).tolist() == [True, False, True]  # a subset reads the table's mask


def test_a_users_foods_by_name():
    foods = pd.DataFrame(
        {
            "name": ["Milk, 2%, lactose free", "Olive oil, extra virgin", "Tofu, silken", "Bread, sourdough"],
            "category": ["dairy and fortified alternatives", "fats and oils", "legumes", "grains"],
        },
        index=pd.Index(["u1", "u2", "u3", "u4"], name="id"),
    )
    table = FoodTable(foods, pd.DataFrame({"id": [], "measure": [], "grams": []}))
    assert everyday_ids(table) == {"u1", "u2", "u4"}


def test_an_empty_table_has_no_everyday_foods(tmp_path):
    path = tmp_path / "everyday.yaml"
    path.write_text(
        'schema: 1\ngroups:\n  water: {ids: {"14411": "Water, tap, drinking"}, why: "water"}\n', encoding="utf-8"
    )
    empty = pd.DataFrame({"name": []}, index=pd.Index([], name="id", dtype=str))
    assert everyday_ids(FoodTable(empty, pd.DataFrame({"id": [], "measure": [], "grams": []})), path) == set()


def test_file_problems_are_named(tmp_path, table):
    text = EVERYDAY_FILE.read_text(encoding="utf-8")
    path = tmp_path / "everyday.yaml"
    path.write_text(text.replace('categories: ["condiments and spices"]', 'categories: ["sauces"]'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"groups.condiments.categories: unknown categories \['sauces'\]"):
        load_everyday(path)
    path = tmp_path / "everyday2.yaml"
    path.write_text(
        text.replace('why: "water is the everyday drink"', 'ids: {"14411": "Water"}\n    why: "water"'),
        encoding="utf-8",
    )
    assert any("groups.water.ids: id '14411' is named 'Water'" in p for p in check_everyday(table, path))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Tofu, raw, firm, prepared with calcium sulfate", "tofu"),
        ("Tofu, extra firm, prepared with nigari", "tofu"),
        ("Chicken, broilers or fryers, breast, meat only, cooked, roasted", "chicken"),
        ("Chicken, broilers or fryers, thigh, meat only, cooked, roasted", "chicken"),
        ("Fish, salmon, sockeye, canned, drained solids", "salmon"),
        ("Soup, chicken broth, canned, condensed", "chicken broth soup"),  # not chicken: its shopping name
        ("Egg, whole, cooked, fried", "eggs"),
    ],
)
def test_variety_name_counts_alike_foods_as_one(name, key):
    assert variety_name(name) == key
