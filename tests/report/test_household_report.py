"""A household's one shopping list (merged across members and days, minus the pantry) and its report
(meals together with a column each, a card per person), from saved plans: no solver."""

from __future__ import annotations

import pytest

from mealplan.report.household import household_markdown, household_shopping
from mealplan.report.shopping import shopping_list
from tests.household_plans import household_of, pantry_of, saved_week


@pytest.fixture(scope="module")
def week():
    return saved_week()


def test_the_list_of_two_is_the_sum_of_both_portions(week, bundled):
    one = shopping_list(week, bundled)
    two = household_shopping(household_of({"ana": week, "ben": week}, bundled), bundled)
    single = {i.product: i for i in one.items if i.food_ids}
    double = {i.product: i for i in two.items if i.food_ids}
    assert set(single) == set(double)
    for product, item in single.items():
        assert double[product].total_grams == pytest.approx(2 * item.total_grams, abs=0.11)
        assert double[product].portions == 2 * item.portions


def test_a_dish_eaten_together_is_cooked_once_for_every_plate(week, bundled):
    one = {d.dish_id: d for d in shopping_list(week, bundled).dishes}
    two = {d.dish_id: d for d in household_shopping(household_of({"ana": week, "ben": week}, bundled)).dishes}
    soup = two["lentil-vegetable-soup-bread"]
    assert soup.times_cooked == one["lentil-vegetable-soup-bread"].times_cooked
    assert soup.portions == 2 * len(one["lentil-vegetable-soup-bread"].meals)
    assert soup.meals[0] == "day 1 dinner (2 people)"
    assert soup.note.endswith(f"{soup.portions} plates")


def test_the_pantry_comes_off_the_list(week, bundled):
    # brown rice held dry covers the cooked rice of the dal; bananas partly
    pantry = pantry_of(bundled, ("20036", 2000.0, None), ("09040", 200.0, None))
    home = household_of({"ana": week, "ben": week}, bundled, pantry=pantry)
    shop = household_shopping(home, bundled)
    rice = next(i for i in shop.items if i.product == "brown rice")
    assert rice.section == "at_home" and rice.purchase_text.startswith("from the pantry: about")
    assert shop.sections[-1].title == "Already at home (pantry)"
    banana = next(i for i in shop.items if i.product == "banana" or "Bananas" in i.name)
    assert banana.pantry_grams == pytest.approx(200.0, abs=0.1)
    assert banana.purchase_text.endswith(", and 200 g from the pantry")
    needs = {n.product: n for n in home.shopping}
    assert needs["brown rice"].buy_g == 0.0 and needs["brown rice"].pantry_g == needs["brown rice"].needed_g


def test_the_report_has_a_column_and_a_card_each(week, bundled):
    other = week.model_copy(update={"days": [week.days[1], *week.days[1:]]})  # day 1 is another day's meals
    home = household_of({"ana": week, "ben": other}, bundled, reason="cannot eat it: a test")
    text = household_markdown(home, bundled)
    assert "## Meals together" in text and "| Day | Meal | Dish | ana | ben |" in text
    assert "### ana (ana)" in text and "### ben (ben)" in text
    assert "## Shopping list: test-home (7 days)" in text
    day2 = next(line for line in text.splitlines() if line.startswith("| 2 | dinner |"))
    assert "apart" not in day2  # both eat day 2's dinner
