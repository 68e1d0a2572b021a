"""Short food names, nouns and the words a recipe line puts together (food_data.names, report.meals)."""

from __future__ import annotations

import re

import pytest

from mealplan.food_data.names import head_noun, plural, short_name, singular
from mealplan.food_data.table import load_bundled
from mealplan.report.meals import ingredient_text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Potatoes, baked, skin, without salt", "potato skins"),
        ("Potatoes, microwaved, cooked, in skin, skin with salt", "potato skins"),
        ("Potatoes, red, flesh and skin, baked", "red potatoes"),
        ("Soup, vegetable soup, condensed, low sodium, prepared with equal volume water", "vegetable soup"),
        ("Sauce, tomato chili sauce, bottled, with salt", "tomato chili sauce"),
        ("Cereals ready-to-eat, POST, GRAPE-NUTS Cereal", "Grape-Nuts Cereal"),
        (
            "Cereals ready-to-eat, KELLOGG, KELLOGG'S RICE KRISPIES TREATS Cereal",
            "Kellogg's Rice Krispies Treats Cereal",
        ),
        ("Pie, fried pies, cherry", "fried pies"),
    ],
)
def test_short_names_say_a_thing_once(name, expected):
    assert short_name(name) == expected


def test_no_bundled_short_name_repeats_its_noun_or_shouts():
    """Over the whole bundled table: no "soup soup", no "Kellogg'S", no "skin potatoes"."""
    repeats = []
    for name in load_bundled().foods["name"]:
        short = short_name(name)
        words = [singular(w) for w in short.lower().split()]
        if len(words) > 1 and words[-1] == words[-2]:  # "vegetable soup soup", "Grape-Nuts Cereal cereal"
            repeats.append((name, short))
        assert not re.search(r"[a-z]'S\b", short), short
        assert "skin potato" not in short, short
    assert not repeats


@pytest.mark.parametrize(
    ("noun", "n", "expected"),
    [
        ("banana", 2, "bananas"),
        ("banana", 0.5, "banana"),
        ("cup", 1, "cup"),
        ("potato", 3, "potatoes"),
        ("berry", 2, "berries"),
        ("oats", 2, "oats"),
    ],
)
def test_plural(noun, n, expected):
    assert plural(noun, n) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("berries", "berry"),
        ("pies", "pie"),
        ("potatoes", "potato"),
        ("peaches", "peach"),
        ("bananas", "banana"),
        ("hummus", "hummu"),
        ("glass", "glass"),
    ],
)
def test_singular(word, expected):
    # "hummus" shows the rule's limit: callers only singularise words they count (bananas, eggs).
    assert singular(word) == expected


def test_head_noun():
    assert head_noun("Bananas, raw") == "banana"
    assert head_noun("Eggs (whole), cooked") == "egg"


@pytest.mark.parametrize(
    ("household", "name", "expected"),
    [
        ("⅔ cup, chunks", "pineapple", "⅔ cup pineapple (chunks)"),
        ("⅓ cup slices", "carrots", "⅓ cup carrots (slices)"),
        ("⅓ cup chopped", "celery", "⅓ cup celery (chopped)"),
        ("1 cup (8 fl oz)", "milk", "1 cup milk (8 fl oz)"),
        ("½ medium", "bananas", "½ medium banana"),
        ("1½ medium", "bananas", "1½ medium bananas"),
        ("2 large", "egg", "2 large eggs"),
        ("2 tbsp", "peanut butter", "2 tbsp peanut butter"),
        ("1 medium bagel", "oat bran bagels", "1 medium oat bran bagel"),  # the size's noun is the food's
        ("2 large bagel", "oat bran bagels", "2 large oat bran bagels"),
        ("1½ roll", "hard rolls", "1½ hard rolls"),
        ("1 roll", "hard rolls", "1 hard roll"),
        ("2 fruit", "green kiwifruit", "2 green kiwifruits"),  # the fruit is the count: no "2 fruit kiwifruit"
        ("1 fruit", "green kiwifruit", "1 green kiwifruit"),
        ("2 tbsp, chopped", "red tomatoes", "2 tbsp red tomatoes (chopped)"),
        ("⅓ cup slices", "cucumber (with peel)", "⅓ cup cucumber (with peel, slices)"),  # one bracket
    ],
)
def test_ingredient_text_reads_like_a_recipe(household, name, expected):
    assert ingredient_text(household, name) == expected


@pytest.mark.parametrize(
    ("name", "household", "expected"),
    [
        ("Rice, white, long-grain, regular, cooked", "1½ cups (250 g)", "1½ cups cooked long-grain rice"),
        ("Spinach, cooked, boiled, drained, without salt", "⅓ cup (60 g)", "⅓ cup cooked spinach"),
        ("Onions, cooked, boiled, drained, without salt", "1 medium (80 g)", "1 medium onion"),  # counted
        ("Rice, white, long-grain, regular, raw, enriched", "¼ cup (46 g)", "¼ cup long-grain rice"),
    ],
)
def test_a_measured_cooked_food_says_cooked(name, household, expected):
    """Amounts are as eaten: "1½ cups cooked rice" is never read as a cup and a half of dry rice."""
    from mealplan.plan import PlanItem
    from mealplan.report.meals import _line

    item = PlanItem(food_id="x", name=name, category="grains", grams=1.0, servings=1.0, serving_name="1 cup",
                    serving_g=1.0, household=household)  # fmt: skip
    assert _line(item).text == expected
