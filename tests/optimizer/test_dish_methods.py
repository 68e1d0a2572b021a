"""A dish's title and method follow the plate: an optional ingredient the day leaves out is named in
neither (``food_data.dishes.dish_text``), and no method says "This time without"."""

from __future__ import annotations

from pathlib import Path

import pytest

from mealplan.food_data.dishes import dish_text, load_dishes
from mealplan.food_data.table import load_bundled
from mealplan.optimizer.planner import make_plan
from mealplan.targets.profile_files import load_profile
from mealplan.verify.verifier import verify_plan

pytestmark = pytest.mark.solve  # every test here solves a plan

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"


def test_a_dish_meal_says_only_what_the_plate_holds():
    table = load_bundled()
    dishes = load_dishes(foods=table).dishes
    plan = make_plan(load_profile(EXAMPLES / "older_diuretics.yaml"), table, days=2)
    assert verify_plan(plan, table).ok
    for day in plan.days:
        for slot in day.slots:
            if slot.dish_id is None:
                continue
            dish = dishes[slot.dish_id]
            served = {i.food_id for i in slot.items}
            assert all(g.min == 0 for g in dish.ingredients if g.food not in served)  # only optional ones
            assert (slot.title, slot.method) == dish_text(dish, served)
            assert "This time without" not in (slot.method or "")
            if any(g.food not in served for g in dish.ingredients):
                assert (slot.title, slot.method) != (dish.name, dish.method)
    # (Whether these days leave an optional ingredient out depends on the solve; the text of every dish
    # with each optional ingredient left out is tested in tests/food_data without a solver.)
