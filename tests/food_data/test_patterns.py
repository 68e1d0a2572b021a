"""The meal-pattern pools and patterns: the bundled files load, the foods are realistic, errors are clear."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.patterns import (
    POOL_FOODS_FILE,
    component_for,
    load_pattern_foods,
    load_patterns,
    meal_name,
    pools,
)
from mealplan.food_data.table import load_bundled

FIXTURES = Path(__file__).parent.parent / "fixtures" / "patterns"


@pytest.fixture(scope="module")
def table():
    return load_bundled()


@pytest.fixture(scope="module")
def pool_foods(table):
    return load_pattern_foods(table)


@pytest.fixture(scope="module")
def by_component(pool_foods):
    return pools(pool_foods)


def test_bundled_files_load(pool_foods):
    lib = load_patterns()
    assert {"plate", "cereal-bowl", "porridge", "toast-and-spread", "eggs-on-toast", "yogurt-bowl"} <= {
        p.id for p in lib.patterns
    }
    assert 250 <= len(pool_foods) <= 400
    for slot in ("breakfast", "lunch", "dinner", "snack"):
        assert lib.for_slot(slot), slot
    assert set(lib.hot_drink.slots) == {"breakfast", "snack"}
    assert lib.drink.max_g <= 480
    # every pool a pattern or drink names has foods
    used = {pool for p in lib.patterns for r in p.components.values() for pool in r.pools}
    assert used | set(lib.drink.pools) | set(lib.hot_drink.pools) == set(lib.components)
    assert all(pools(pool_foods).get(c) for c in lib.components)


def test_every_food_is_realistic(table, pool_foods):
    foods = table.foods
    assert set(pool_foods) <= set(foods.index)
    for fid, pf in pool_foods.items():
        row = foods.loc[fid]
        name = row["name"].lower()
        assert not re.search(r"\bsalt, table|^salt\b", name), name
        assert not re.search(r"egg,? (white|yolk)", name), name
        assert not re.search(r"infant|babyfood|baby food|powder|alcohol|fast food", name), name
        if row["category"] in ("meat", "poultry", "seafood", "eggs"):
            assert "raw" not in name, name
        assert not row["deprecated"], name
        assert pf.min_g <= pf.max_g
        assert pf.label and pf.label != fid


def test_portions_are_household(pool_foods):
    for pf in pool_foods.values():
        if pf.component in ("vegetable", "fruit"):
            assert pf.max_g <= 300
        if pf.component == "nuts":
            assert pf.max_g <= 57
        if pf.component == "spread":
            assert pf.max_g <= 70
        if pf.component in ("drink", "milk", "hot_drink"):
            assert pf.max_g <= 480


def _diet(table, ids, diet):
    return [i for i in ids if table.foods.loc[i, "diet"] == diet]


def _free_of(table, ids, allergen):
    return [i for i in ids if allergen not in str(table.foods.loc[i, "allergens"]).split(";")]


def test_enough_choice_per_component_and_diet(table, by_component):
    minimum = {"protein": 30, "starch": 15, "vegetable": 30, "fruit": 20, "milk": 4, "cereal": 8}
    for comp, n in minimum.items():
        assert len(by_component[comp]) >= n, comp
    assert len(_diet(table, by_component["protein"], "vegan")) >= 8
    assert len(_free_of(table, by_component["starch"], "gluten")) >= 6
    assert len(_diet(table, by_component["milk"], "vegan")) >= 2
    assert len(_free_of(table, by_component["milk"], "milk")) >= 2
    assert len(by_component["egg"]) >= 4
    for comp in ("hot_cereal", "yogurt", "cheese", "bread", "crackers", "spread", "nuts", "raw_veg", "drink"):
        assert len(by_component[comp]) >= 4, comp


def test_eggs_are_whole_and_cooked(table, by_component):
    for fid in by_component["egg"]:
        name = table.foods.loc[fid, "name"]
        assert name.startswith("Egg, whole, cooked"), name


def test_meal_name():
    plate = load_patterns().pattern("plate")
    picks = {"protein": ["baked salmon"], "starch": ["potatoes"], "vegetable": ["broccoli"], "fat": ["olive oil"]}
    assert meal_name(plate.name, plate.id, picks) == "Baked salmon with potatoes and broccoli"
    picks["vegetable"] = ["broccoli", "carrots"]
    picks["sauce"] = ["salsa"]
    assert meal_name(plate.name, plate.id, picks) == "Baked salmon with potatoes, broccoli, carrots and salsa"
    assert meal_name(["nuts"], "snack-nuts", {"nuts": ["almonds"]}) == "Almonds"


@pytest.mark.parametrize(
    ("name", "category", "component"),
    [
        ("Chicken, broilers or fryers, breast, meat only, cooked, roasted", "poultry", "protein"),
        ("Chicken, broilers or fryers, breast, meat only, raw", "poultry", None),
        ("Egg, whole, cooked, scrambled", "eggs", "egg"),
        ("Egg, white, raw, fresh", "eggs", None),
        ("Lentils, mature seeds, cooked, boiled, without salt", "legumes", "protein"),
        ("Broccoli, cooked, boiled, drained, without salt", "vegetables", "vegetable"),
        ("Carrots, raw", "vegetables", "raw_veg"),
        ("Potatoes, baked, flesh, without salt", "vegetables", "starch"),
        ("Bananas, raw", "fruits", "fruit"),
        ("Rice, brown, long-grain, cooked", "grains", "starch"),
        ("Cereals ready-to-eat, GENERAL MILLS, CHEERIOS", "grains", "cereal"),
        ("Yogurt, plain, low fat", "dairy and fortified alternatives", "yogurt"),
        ("Milk, whole, 3.25% milkfat, with added vitamin D", "dairy and fortified alternatives", "milk"),
        ("Nuts, almonds", "nuts and seeds", "nuts"),
        ("Salt, table", "condiments and spices", None),
        ("Coffee, brewed from grounds, prepared with tap water", "beverages", "hot_drink"),
        ("Soup, chicken noodle", "mixed dishes", None),
    ],
)
def test_component_for(name, category, component):
    assert component_for({"name": name, "category": category}) == component


def test_component_for_agrees_with_most_of_the_csv(table, pool_foods):
    """The fallback is a rough guide; on the hand-picked foods it mostly picks the same pool."""
    foods = table.foods
    same = sum(component_for(foods.loc[fid]) == pf.component for fid, pf in pool_foods.items())
    assert same / len(pool_foods) > 0.6


def test_fallback_places_a_users_foods(table):
    got = load_pattern_foods(table, FIXTURES / "unknown_food.csv", skip_missing=True, fallback=True)
    assert got["09040"].label == "banana"  # the CSV row wins
    assert got["05064"].component == "protein"
    assert got["05064"].label == ""  # placed by its name: meal names read its short name
    assert "02047" not in got  # table salt
    assert "01124" not in got  # raw egg white


# --- validation: each problem from a tiny fixture, named with file, line/id, field, value and what is allowed


def _problems(exc: pytest.ExceptionInfo[ConfigError]) -> str:
    return "\n".join(exc.value.problems) or str(exc.value)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("unknown_food.csv", r"line 3 \(id 99999\): id: '99999' is not in the food table; allowed"),
        (
            "two_components.csv",
            r"line 4 \(id 09040\): id: '09040' is already in line 2; allowed: one component",
        ),
        ("unknown_pool_food.csv", r"line 2 \(id 09040\): component: 'dessert' is unknown; allowed: protein, "),
        ("bad_max_g.csv", r"line 2 \(id 09040\): max_g: 'lots' is not a positive number"),
        ("bad_header.csv", r"header is .*allowed: id,component,max_g,note"),
    ],
)
def test_pattern_food_errors(table, fixture, expected):
    with pytest.raises(ConfigError) as exc:
        load_pattern_foods(table, FIXTURES / fixture)
    assert fixture in str(exc.value) + _problems(exc)
    assert re.search(expected, _problems(exc)), _problems(exc)


def test_bad_max_g_collects_every_row(table):
    with pytest.raises(ConfigError) as exc:
        load_pattern_foods(table, FIXTURES / "bad_max_g.csv")
    assert len(exc.value.problems) == 2
    assert "'-5'" in exc.value.problems[1]


def test_missing_ids_can_be_skipped(table):
    got = load_pattern_foods(table, FIXTURES / "unknown_food.csv", skip_missing=True)
    assert set(got) == {"09040"}


def test_base_fixture_loads(table):
    lib = load_patterns(FIXTURES / "base.yaml")
    plate = lib.pattern("plate")
    assert plate.components["protein"].pools == ("protein",)
    assert plate.components["vegetable"].count == (1, 2)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("unknown_component.yaml", r"patterns\[0\] \(plate\)\.components\.protein: component 'dessert' is unknown"),
        ("inverted_range.yaml", r"components\.vegetable: count \[2, 1\] is not a range; allowed: \[lo, hi\]"),
        ("unknown_slot.yaml", r"patterns\[0\] \(plate\)\.slots: slot 'brunch' is unknown; allowed: breakfast"),
        ("extra_field.yaml", r"patterns\.0\.colour: Extra inputs are not permitted \(value: 'green'\)"),
        ("unknown_name_role.yaml", r"\.name: role 'sauce' is not in its components; allowed: protein"),
    ],
)
def test_pattern_errors(fixture, expected):
    with pytest.raises(ConfigError) as exc:
        load_patterns(FIXTURES / fixture)
    assert fixture in _problems(exc)
    assert re.search(expected, _problems(exc)), _problems(exc)


def test_bundled_csv_has_one_row_per_food():
    lines = POOL_FOODS_FILE.read_text().splitlines()[1:]
    ids = [line.split(",")[0] for line in lines if line.strip()]
    assert len(ids) == len(set(ids))
