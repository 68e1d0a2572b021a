"""Up to six eating occasions, each with an optional share of the day's energy."""

from __future__ import annotations

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.vocab import slot_names
from mealplan.targets.profile_files import profile_from_dict
from mealplan.verify.verifier import verify_plan

SIX = ["breakfast", "morning snack", "lunch", "afternoon snack", "dinner", "evening snack"]
BASE = {"id": "six", "age": 45, "sex": "female", "weight_kg": 70, "height_cm": 168}


@pytest.mark.solve
def test_six_occasions_plan_with_the_dietitians_shares(foods):
    from mealplan.optimizer.planner import make_plan

    shares = {"breakfast": 0.22, "lunch": 0.28, "dinner": 0.3}
    profile = profile_from_dict({**BASE, "meals": SIX, "meal_shares": shares})
    assert profile.meals == ["breakfast", "snack", "lunch", "snack", "dinner", "snack"]
    plan = make_plan(profile, foods)
    day = plan.days[0]
    assert [s.name for s in day.slots] == ["breakfast", "snack", "lunch", "snack2", "dinner", "snack3"]
    for slot in day.slots:
        if slot.name in shares:
            share = slot.energy_kcal / day.energy_kcal
            assert abs(share - shares[slot.name]) <= 0.05 + 1e-3, slot.name
    rule = {s.name: s.energy_share for s in plan.rules.slots}
    assert rule["lunch"] == (0.23, 0.33)
    report = verify_plan(plan, foods)
    assert report.ok, report.problems


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"meals": ["snack"] * 4}, "snack given 4 times; at most 3 snacks (six occasions)"),
        ({"meals": ["lunch", "lunch"]}, "lunch given more than once; breakfast, lunch and dinner may appear once"),
        ({"meal_shares": {"snack2": 0.1}}, "meal_shares: snack2 is not a meal of this profile"),
        ({"meal_shares": {"breakfast": 0.6, "lunch": 0.5}}, "meal_shares add up to 1.1; they are shares"),
        ({"meal_shares": {"lunch": 0.95}}, "meal_shares.lunch: Input should be less than or equal to 0.9"),
    ],
)
def test_bad_occasions_are_named(change, message):
    with pytest.raises(ConfigError) as exc:
        profile_from_dict({**BASE, **change})
    assert message in str(exc.value)


def test_slot_names_number_repeated_meals():
    assert slot_names(["breakfast", "snack", "lunch", "snack"]) == ["breakfast", "snack", "lunch", "snack2"]
