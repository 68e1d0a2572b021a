"""Drinks: every pool drink is classified, water is the default, the day's limits and milk-based dishes."""

from __future__ import annotations

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.dishes import Dish, Ingredient, load_dishes
from mealplan.food_data.drinks import DRINKS_FILE, check_drinks, cup_grams, drink_rules, load_drinks, milk_based
from mealplan.food_data.patterns import load_pattern_foods, load_patterns
from mealplan.food_data.table import load_bundled


@pytest.fixture(scope="module")
def table():
    return load_bundled()


@pytest.fixture(scope="module")
def rules(table):
    return drink_rules(table)


@pytest.fixture(scope="module")
def drink_pool(table):
    lib = load_patterns()
    pools = set(lib.drink.pools) | set(lib.hot_drink.pools)
    return [f for f, p in load_pattern_foods(table).items() if p.component in pools]


def test_every_drink_of_the_pools_is_classified(table, drink_pool):
    assert check_drinks(table, drink_pool) == []
    assert len(drink_pool) >= 30


def test_water_is_the_default_drink_of_the_drink_pool(table, rules, drink_pool):
    assert rules.default == ("14411",)
    assert "14411" in drink_pool
    assert load_pattern_foods(table)["14411"].component == "drink"
    water = rules.drinks["14411"]
    assert water.meals == {"breakfast", "lunch", "dinner", "snack"} and not water.milk_drink
    assert table.foods.loc["14411", "water"] > 99  # it counts toward the water target as food water does


def test_kinds_and_where_they_are_served(rules):
    d = rules.drinks
    assert d["01079"].kind == "milk" and d["01079"].milk_drink and "dinner" in d["01079"].meals
    assert d["16222"].kind == "plant_milk" and not d["16222"].sweetened and "lunch" in d["16222"].meals
    # sweetened milk drinks, dairy or soy, never with lunch or dinner
    for fid in ("01104", "16139"):
        assert d[fid].sweetened and d[fid].milk_drink, fid
        assert d[fid].meals == {"breakfast", "snack"}, fid
    assert d["09206"].kind == "juice" and d["09206"].meals == {"breakfast", "snack"}
    assert d["11886"].kind == "vegetable_juice"
    assert d["14209"].kind == "coffee" and d["14209"].caffeine and d["14209"].habit
    assert d["14201"].kind == "coffee" and not d["14201"].caffeine  # decaf
    assert d["14381"].kind == "tea" and d["14381"].habit and not d["14381"].caffeine
    assert d["12119"].kind == "other"


def test_day_limits(rules):
    assert rules.milk_drinks_per_day == 1
    assert rules.cups_per_day["juice"] == 0.75  # one small glass
    assert "milk" not in rules.cups_per_day and "water" not in rules.cups_per_day
    assert rules.max_energy_share == pytest.approx(1 / 3, abs=0.001)
    assert rules.milk_pools == {"milk", "yogurt"}
    assert set(rules.of_kind("juice")) >= {"09206", "09210", "09294"}


def test_caffeine_follows_the_table(table, rules):
    # "caffeine" marks 10 mg or more a cup: it must agree with SR24 where SR24 knows it
    for fid, facts in rules.drinks.items():
        mg = table.foods.loc[fid, "caffeine"]
        if mg == mg:  # known
            assert facts.caffeine == (mg * facts.cup_g / 100 >= 10), fid


def test_cup_grams(table):
    assert cup_grams(table, "01079") == 244.0  # "cup"
    assert cup_grams(table, "14209") == 237.0  # "cup (8 fl oz)"
    assert cup_grams(table, "31008") == 243.0  # "8 fl oz"
    assert cup_grams(table, "18002") is None  # a bagel has no cup


def _dish(*ingredients: tuple[str, float, float], name: str = "Oatmeal", dish_id: str = "oatmeal") -> Dish:
    return Dish(
        id=dish_id,
        name=name,
        slots=["breakfast"],
        method="Cook.",
        ingredients=[Ingredient(food=f, grams=g, min=lo, max=g * 2, role="dairy") for f, g, lo in ingredients],
    )


def test_milk_based_by_hand(table):
    oats = ("08121", 234.0, 160.0)
    assert milk_based(_dish(oats, ("01079", 122.0, 60.0)), table)  # cooked in 122 g milk
    assert milk_based(_dish(oats, ("16222", 100.0, 60.0)), table)  # soy milk, exactly at the threshold
    assert not milk_based(_dish(oats, ("01079", 99.0, 60.0)), table)
    assert not milk_based(_dish(oats, ("01079", 150.0, 0.0)), table)  # optional milk does not make it
    assert milk_based(_dish(oats, ("01117", 60.0, 30.0), ("01082", 60.0, 30.0)), table)  # yogurt + milk
    assert not milk_based(_dish(oats, ("01009", 150.0, 60.0)), table)  # cheese is not milk
    assert milk_based(_dish(("09040", 100.0, 50.0), name="Banana smoothie", dish_id="banana-smoothie"), table)


def test_milk_based_bundled_dishes(table):
    lib = load_dishes(foods=table)
    based = {d.id for d in lib if milk_based(d, table)}
    assert {"oatmeal-milk-banana-almonds", "cheerios-milk-banana", "strawberry-banana-smoothie"} <= based
    assert {"mango-yogurt-lassi", "yogurt-strawberries"} <= based
    assert not {"chicken-tikka-masala-rice", "grilled-cheese-tomato-soup", "beef-burger-salad"} & based


def test_file_problems_are_named(tmp_path):
    text = DRINKS_FILE.read_text(encoding="utf-8")
    bad = text.replace("kind: water}", "kind: soda}").replace("milk_drinks_per_day: 1", "milk_drinks_per_day: -1")
    bad = bad.replace("meals: [snack], cups_per_day", "meals: [elevenses], cups_per_day")
    path = tmp_path / "drinks.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_drinks(path)
    text = str(err.value)
    assert "drinks.14411.kind: Input should be 'water', 'coffee'" in text
    assert "rules.milk_drinks_per_day: Input should be greater than or equal to 0 (value: -1)" in text
    assert "kinds.other.meals: unknown meal kinds ['elevenses']" in text


def test_drift_from_the_table_is_found(tmp_path, table):
    text = DRINKS_FILE.read_text(encoding="utf-8")
    path = tmp_path / "drinks.yaml"
    path.write_text(text.replace('"Water, tap, drinking"', '"Water, tap"'), encoding="utf-8")
    problems = check_drinks(table, ["14411", "01079", "99999"], path)
    assert any(
        "id '14411' is named 'Water, tap'; the food table names it 'Water, tap, drinking'" in p for p in problems
    )
    assert any("pool drink '99999' has no entry" in p for p in problems)
    assert "14411" not in drink_rules(table, path).drinks  # a name that does not match applies to nothing
