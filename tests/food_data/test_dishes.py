"""The dish library: validation errors, derived diet/allergens/nutrients, and the bundled library."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.dishes import check, load_dishes
from mealplan.food_data.table import load_bundled
from mealplan.food_data.vocab import DIET_LEVEL

FIXTURES = Path(__file__).parent.parent / "fixtures" / "dishes"


@pytest.fixture(scope="module")
def foods():
    return load_bundled()


@pytest.fixture(scope="module")
def library(foods):
    return load_dishes(foods=foods)


def problems_of(foods, name: str) -> list[str]:
    with pytest.raises(ConfigError) as err:
        load_dishes([FIXTURES / name], foods=foods, bundled=False)
    return err.value.problems


@pytest.mark.parametrize(
    ("fixture", "words"),
    [
        ("unknown_food.yaml", ["mystery-bowl", "ingredients[0]", "unknown food id '99999'"]),
        ("inverted_range.yaml", ["backwards-banana", "min 150 g to max 50 g", "inverted"]),
        ("empty_range.yaml", ["empty-banana", "empty range", "max 0 g"]),
        ("unknown_slot.yaml", ["brunch-banana", "field slots", "'brunch'", "breakfast, lunch, dinner, snack"]),
        ("unknown_role.yaml", ["dessert-banana", "unknown role 'dessert'", "protein, starch"]),
        ("salt.yaml", ["salted-banana", "02047", "salt", "not allowed"]),
        ("incomplete_dinner.yaml", ["just-rice", "lunch or dinner", "protein, vegetable"]),
        ("duplicate_id.yaml", ["twin-banana", "duplicate id"]),
        ("unquoted_id.yaml", ["octal-milk", "quoted"]),
    ],
)
def test_each_error_names_file_dish_field_and_value(foods, fixture: str, words: list[str]) -> None:
    problems = problems_of(foods, fixture)
    assert len(problems) == 1, problems
    assert fixture in problems[0]
    for word in words:
        assert word in problems[0], (word, problems[0])


def test_every_problem_is_collected_before_raising(foods) -> None:
    problems = problems_of(foods, "two_problems.yaml")
    assert len(problems) == 2
    assert "first-bad" in problems[0] and "'elevenses'" in problems[0]
    assert "second-bad" in problems[1] and "'12345'" in problems[1]


def test_derived_diet_allergens_and_nutrients_on_a_hand_checked_dish(foods) -> None:
    lib = load_dishes([FIXTURES / "yogurt_almonds.yaml"], foods=foods, bundled=False)
    facts = lib.derived("yogurt-almonds")
    assert facts.diet == "vegetarian"  # yogurt is vegetarian, almonds vegan: the stricter need wins
    assert facts.allergens == ("milk", "tree_nuts")
    f = foods.foods
    expected = 200 * f.at["01117", "energy"] / 100 + 20 * f.at["12061", "energy"] / 100
    assert facts.energy == pytest.approx(expected)
    assert facts.grams == 220


def test_optional_ingredients_do_not_set_the_diet(library) -> None:
    facts = library.derived("pasta-broccoli-white-beans")  # parmesan is optional
    assert facts.diet == "vegan" and facts.diet_with_optional == "vegetarian"
    assert "milk" in facts.allergens and "milk" not in facts.required_allergens


def test_a_user_dish_replaces_a_bundled_one_and_says_so(foods) -> None:
    lib = load_dishes([FIXTURES / "replace_oatmeal.json"], foods=foods)
    assert lib.dishes["oatmeal-milk-banana-almonds"].name == "My oatmeal with banana"
    assert any("replaces" in n and "oatmeal-milk-banana-almonds" in n for n in lib.notes)


def test_bundled_library_loads_and_check_finds_only_unknown_nutrients(library, foods) -> None:
    warnings = check(library, foods)
    assert [w for w in warnings if "unknown for" not in w] == []


def test_bundled_library_counts(library) -> None:
    dishes = list(library)
    main = [d for d in dishes if {"lunch", "dinner"} & set(d.slots)]
    facts = {d.id: library.derived(d.id) for d in dishes}
    assert len(dishes) >= 200
    assert len(library.for_slot("breakfast")) >= 55
    assert len(library.for_slot("snack")) >= 35
    assert len(main) >= 110
    assert sum(facts[d.id].diet == "vegan" for d in dishes) >= 30
    assert sum(facts[d.id].diet == "vegan" for d in main) >= 20
    assert sum("gluten" not in facts[d.id].allergens for d in main) >= 25
    assert sum("milk" not in facts[d.id].allergens for d in main) >= 25
    assert sum("fish" in facts[d.id].allergens or "shellfish" in facts[d.id].allergens for d in dishes) >= 25


def test_bundled_dishes_follow_the_household_rules(library, foods) -> None:
    f = foods.foods
    for dish in library:
        for ing in dish.ingredients:
            name, cat = str(f.at[ing.food, "name"]).lower(), f.at[ing.food, "category"]
            assert not name.startswith("salt"), dish.id
            assert "egg white" not in name and "egg, yolk" not in name, dish.id
            if cat in ("vegetables", "fruits"):
                assert ing.max <= 300, (dish.id, ing.food)
            if "butter" in name and cat == "nuts and seeds":
                assert ing.max <= 32, (dish.id, ing.food)
            elif cat == "nuts and seeds" and ing.food not in ("12118",):
                assert ing.max <= 57, (dish.id, ing.food)
            if {"lunch", "dinner"} & set(dish.slots):
                assert not any(w in name for w in ("coffee", "tea,")), dish.id
        if any(str(f.at[i.food, "name"]).startswith("Cereals ready-to-eat") for i in dish.ingredients):
            assert any(i.role == "dairy" and not i.optional for i in dish.ingredients), dish.id


def test_nutrients_are_grams_times_per_100g(library, foods) -> None:
    dish = library.get("lentil-spinach-dal-brown-rice")
    facts = library.derived(dish.id)
    f = foods.foods
    total = sum(i.grams * f.at[i.food, "magnesium"] / 100 for i in dish.ingredients)
    assert facts.nutrients["magnesium"] == pytest.approx(total)
    assert not math.isnan(facts.energy)


def test_select_filters_by_slot_diet_and_allergen(library) -> None:
    vegan_dinners = library.select(slot="dinner", diet="vegan", allergen_free=("gluten",))
    assert vegan_dinners
    for dish in vegan_dinners:
        facts = library.derived(dish.id)
        assert "dinner" in dish.slots
        assert DIET_LEVEL[facts.diet] == 0 and "gluten" not in facts.required_allergens


def test_unknown_dish_id_suggests_close_ones(library) -> None:
    with pytest.raises(ConfigError, match="Did you mean"):
        library.get("oatmeal-milk-banana")


@pytest.mark.parametrize(
    ("name", "dropped", "title"),
    [
        (
            "Baked potato with black beans, broccoli and cheddar",
            ["cheddar cheese", "low fat yogurt"],
            "Baked potato with black beans and broccoli",
        ),
        ("Toast with cheddar and tomato", ["cheddar cheese"], "Toast with tomato"),
        ("Tuna, egg and potato salad", ["egg"], "Tuna and potato salad"),
        ("Oatmeal with milk, banana and walnuts", ["walnuts"], "Oatmeal with milk and banana"),
        ("Lentil soup", ["plain yogurt"], "Lentil soup"),  # not named in the title: the method says it
    ],
)
def test_a_dish_without_optional_ingredients_reads_as_a_dish(name, dropped, title):
    from mealplan.food_data.dishes import without

    new_title, method = without(name, "Cook it.", dropped)
    assert new_title == title
    assert method == f"Cook it. Leave out the {' and '.join(dropped)}."
