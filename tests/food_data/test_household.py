"""Household measures read like a recipe: kitchen fractions, plural units, grams exact."""

from __future__ import annotations

import pytest

from mealplan.food_data.household import amount_text, household


@pytest.mark.parametrize(
    ("servings", "serving_name", "grams", "expected"),
    [
        (1.25, "1.333 cup", 38, "1⅔ cups (38 g)"),  # SR24 writes 1 1/3 cup as 1.333
        (1.75, "0.5 cup", 159, "¾ cup (159 g)"),  # no eighths: kitchen fractions are ¼ ⅓ ½ ⅔ ¾
        (2, "3 oz", 170, "6 oz (170 g)"),
        (0.75, "2 tbsp", 24, "1½ tbsp (24 g)"),
        (1, "1 cup", 243, "1 cup (243 g)"),
        (2, "1 cup pieces", 330, "2 cups pieces (330 g)"),
        (2, "1 cup, diced", 312, "2 cups, diced (312 g)"),
        (2, "1 serving", 170, "2 servings (170 g)"),
        (0.5, "1 cup, diced", 78, "½ cup, diced (78 g)"),
        (1.75, "1/4 tsp", 3, "½ tsp (3 g)"),
        (1, "1 tablespoon", 13.5, "1 tbsp (14 g)"),  # one spelling of spoons
        (0.125, "1 cup, chopped", 40, "2 tbsp, chopped (40 g)"),  # below ¼ cup: tablespoons
        (0.166, "1 cup, chopped", 40, "2½ tbsp, chopped (40 g)"),  # spoons to the half, not "2⅔ tbsp"
        (2.17, "1 fruit", 150, "2 fruit (150 g)"),  # fruit are counted
        (30 / 227, "1 container", 30, "30 g"),  # under ⅜ of a counted thing: grams, not "½ container"
        (0.6, "1 container", 136, "½ container (136 g)"),
        (1.25, "100 g", 125, "125 g"),
        (1.5, "large", 75, "1½ × large (75 g)"),
        (1, "large", 50, "large (50 g)"),
        (1.03, "1 cup", 250, "1 cup (250 g)"),  # rounds to one: singular
        (2.75, "1 slice", 69, "3 slices (69 g)"),  # counted things: to the nearest half
        (1.2, "large", 60, "large (60 g)"),
    ],
)
def test_household_portions_read_like_a_recipe(servings, serving_name, grams, expected):
    assert household(servings, serving_name, grams) == expected


def test_an_amount_that_is_there_is_never_zero():
    assert amount_text(0.01) == "¼"
    assert amount_text(2.97) == "3"


@pytest.mark.parametrize(
    ("grams", "measures", "expected"),
    [
        (30, [("container (8 oz)", 227.0), ("cup (8 fl oz)", 245.0)], "2 tbsp (30 g)"),  # the first volume
        (57, [("cup (8 fl oz)", 245.0)], "3½ tbsp (57 g)"),
        (30, [("0.5 cup, chopped", 75.0)], "3 tbsp, chopped (30 g)"),  # 0.2 cup
        (30, [("container (8 oz)", 227.0), ("slice", 20.0)], "30 g"),  # no volume measure: grams
    ],
)
def test_a_portion_too_small_to_count_is_said_in_a_volume_measure(grams, measures, expected):
    """Yogurt's serving is a container; 30 g of it reads "2 tbsp", from the food's cup measure."""
    assert household(grams / 227, "1 container", grams, lambda: measures) == expected


def test_measures_of_reads_the_table_without_pandas():
    from mealplan.food_data.table import load_bundled

    assert load_bundled().measures_of("01117")[0] == ("cup (8 fl oz)", 245.0)
    assert load_bundled().measures_of("no such food") == []
