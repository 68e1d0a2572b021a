"""Purchase forms (cooked food -> raw or dry food and its moisture yield) and shopping merge keys.

Expected factors are worked by hand from SR24 water (g per 100 g):
raw grams per cooked gram = (100 - water_cooked) / (100 - water_raw).
"""

from __future__ import annotations

import pandas as pd
import pytest

from mealplan.food_data.purchase import (
    FACTOR_RANGE,
    PAIRS_COLUMNS,
    Purchase,
    is_cooked,
    merge_key,
    purchase_form,
    read_pairs,
    yield_factor,
)
from mealplan.food_data.table import load_bundled


@pytest.fixture(scope="module")
def table():
    return load_bundled()


@pytest.mark.parametrize(
    "cooked_id, raw_id, raw_name, factor, form",
    [
        # brown rice: (100 - 73.09) / (100 - 10.37) = 26.91 / 89.63 = 0.300
        ("20037", "20036", "Rice, brown, long-grain, raw", 0.300, "dry"),
        # lentils, boiled: (100 - 69.64) / (100 - 10.4) = 30.36 / 89.6 = 0.339
        ("16070", "16069", "Lentils, raw", 0.339, "dry"),
        # spaghetti: (100 - 62.13) / (100 - 9.9) = 37.87 / 90.1 = 0.420
        ("20121", "20120", "Spaghetti, dry, enriched", 0.420, "dry"),
        # black beans: (100 - 65.74) / (100 - 11.02) = 34.26 / 88.98 = 0.385
        ("16015", "16014", "Beans, black, mature seeds, raw", 0.385, "dry"),
        # chicken breast, roasted: (100 - 65.26) / (100 - 75.79) = 34.74 / 24.21 = 1.435
        ("05064", "05062", "Chicken, broilers or fryers, breast, meat only, raw", 1.435, "raw"),
        # spinach, boiled: (100 - 91.21) / (100 - 91.4) = 8.79 / 8.6 = 1.022
        ("11458", "11457", "Spinach, raw", 1.022, "raw"),
        # sockeye salmon, dry heat: (100 - 68.0) / (100 - 73.15) = 32 / 26.85 = 1.192
        ("15086", "15085", "Fish, salmon, sockeye, raw", 1.192, "raw"),
        # frozen spinach, boiled: bought frozen, (100 - 88.94) / (100 - 90.17) = 1.125
        ("11464", "11463", "Spinach, frozen, chopped or leaf, unprepared", 1.125, "raw"),
    ],
)
def test_cooked_foods_are_bought_raw_or_dry(table, cooked_id, raw_id, raw_name, factor, form):
    p = purchase_form(cooked_id, table)
    assert (p.id, p.name, p.form) == (raw_id, raw_name, form)
    assert p.grams_factor == pytest.approx(factor, abs=0.002)
    assert p.converted and "dry matter kept" in p.note


def test_the_hand_checkable_yields(table):
    rice, lentils = purchase_form("20037", table), purchase_form("16070", table)
    chicken, spinach = purchase_form("05064", table), purchase_form("11458", table)
    assert 0.28 < rice.grams_factor < 0.32  # 1 cup dry (185 g) makes about 3 cups (600 g) cooked
    assert 0.3 < lentils.grams_factor < 0.4
    assert 1.3 < chicken.grams_factor < 1.45
    assert spinach.grams_factor > 1


@pytest.mark.parametrize(
    "food_id",
    [
        "09040",  # Bananas, raw
        "01085",  # Milk, nonfat, fluid, with added vitamin A and vitamin D
        "16390",  # Peanuts, all types, dry-roasted: sold roasted
        "16410",  # Soybeans, roasted: the pairs file says bought as eaten
        "15021",  # Fish, croaker, cooked, breaded and fried: the crumbs and fat are not in raw fish
        "16058",  # Chickpeas, canned
        "20098",  # Pasta, homemade, made without egg, cooked: no dry form in the table
    ],
)
def test_foods_without_a_raw_form_are_bought_as_eaten(table, food_id):
    p = purchase_form(food_id, table)
    assert p == Purchase(id=food_id, name=table.foods.at[food_id, "name"])
    assert p.grams_factor == 1.0 and not p.converted


def test_unknown_food_is_bought_as_is(table):
    assert purchase_form("99999", table) == Purchase(id="99999", name="99999")


def test_factors_are_clamped():
    low, high = FACTOR_RANGE
    assert yield_factor(95.0, 5.0) == low  # 5/95 = 0.05: not a real yield
    assert yield_factor(20.0, 80.0) == high  # 80/20 = 4
    # A moist raw food does not gain weight cooked: kale's 15.5 % solids raw, 8.8 % boiled is leaching.
    assert yield_factor(91.2, 84.5) == 1.0
    assert yield_factor(float("nan"), 10.0) is None
    assert yield_factor(50.0, 100.0) is None


def test_clamped_factor_says_so(table):
    kale = purchase_form("11234", table)  # Kale, cooked, boiled, drained: 91.2 % water; raw 84.5 %
    assert kale.grams_factor == 1.0 and "gives 0.57, held to 1.00" in kale.note


def test_a_plain_frame_is_a_table(table):
    frame = pd.DataFrame(
        {"name": ["Rice, brown, long-grain, raw", "Rice, brown, long-grain, cooked"], "water": [10.0, 73.0]},
        index=["a", "b"],
    )
    p = purchase_form("b", frame)
    assert (p.id, p.grams_factor) == ("a", pytest.approx(0.3, abs=1e-3))
    assert purchase_form("b", frame.drop(columns="water")).grams_factor == 1.0


def test_every_planner_factor_is_in_range(table):
    planner = table.foods[table.foods["planner"].astype(bool)]
    low, high = FACTOR_RANGE
    for food_id in planner.index:
        p = purchase_form(food_id, table)
        assert low <= p.grams_factor <= high
        if p.converted:
            assert is_cooked(planner.at[food_id, "name"]) or food_id in read_pairs()


def test_pairs_file_matches_the_bundled_table(table):
    foods = table.foods
    pairs = read_pairs()
    assert pairs
    for cooked_id, (raw_id, cooked_name, raw_name) in pairs.items():
        assert foods.at[cooked_id, "name"] == cooked_name
        if raw_id:
            assert foods.at[raw_id, "name"] == raw_name
            assert purchase_form(cooked_id, table).id == raw_id
        else:
            assert raw_name == ""
            assert not purchase_form(cooked_id, table).converted


def test_pairs_file_is_checked(tmp_path):
    bad = tmp_path / "pairs.csv"
    bad.write_text("cooked,raw\n1,2\n")
    with pytest.raises(ValueError, match="columns must be"):
        read_pairs(bad)
    dup = tmp_path / "dup.csv"
    dup.write_text(",".join(PAIRS_COLUMNS) + "\n# a comment\n1,2,a,b\n1,3,a,c\n")
    with pytest.raises(ValueError, match="once"):
        read_pairs(dup)


@pytest.mark.parametrize(
    "names, category, key",
    [
        (
            [
                "Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)",
                "Milk, nonfat, fluid, with added nonfat milk solids, vitamin A and vitamin D (fat free or skim)",
                "Milk, nonfat, fluid, protein fortified, with added vitamin A and vitamin D (fat free and skim)",
            ],
            "dairy and fortified alternatives",
            "nonfat milk",
        ),
        (
            [
                "Spinach, raw",
                "Spinach, cooked, boiled, drained, without salt",
                "Spinach, cooked, boiled, drained, with salt",
            ],
            "vegetables",
            "spinach",
        ),
        (["Fish, salmon, sockeye, raw", "Fish, salmon, sockeye, cooked, dry heat"], "seafood", "sockeye salmon"),
        (
            [
                "Fish, salmon, sockeye, canned, drained solids",
                "Salmon, sockeye, canned, drained solids, without skin and bones",
            ],
            "seafood",
            "canned sockeye salmon",
        ),
        (["Rice, brown, long-grain, cooked", "Rice, brown, long-grain, raw"], "grains", "brown rice"),
    ],
)
def test_near_duplicates_share_a_merge_key(names, category, key):
    assert {merge_key(n, category) for n in names} == {key}


@pytest.mark.parametrize(
    "a, b",
    [
        ("Spinach, raw", "Spinach, frozen, chopped or leaf, unprepared"),
        ("Fish, salmon, sockeye, raw", "Fish, salmon, sockeye, canned, drained solids"),
        # the plan's calcium counts on the fortified one
        (
            "Soymilk, original and vanilla, with added calcium, vitamins A and D",
            "Soymilk, original and vanilla, unfortified",
        ),
        (
            "Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)",
            "Milk, lowfat, fluid, 1% milkfat, with added vitamin A and vitamin D",
        ),
        ("Tofu, raw, firm, prepared with calcium sulfate", "Tofu, firm, prepared with nigari"),
        # the plan's vitamin D counts on the UV-exposed one
        ("Mushrooms, portabella, grilled", "Mushrooms, portabella, exposed to ultraviolet light, grilled"),
    ],
)
def test_different_products_keep_apart(a, b):
    assert merge_key(a, "") != merge_key(b, "")
