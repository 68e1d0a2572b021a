"""A dish's method names all its ingredients; a day that leaves optional ones out says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from mealplan.food_data.dishes import load_dishes
from mealplan.food_data.names import short_name
from mealplan.food_data.table import load_bundled
from mealplan.optimizer.planner import make_plan
from mealplan.targets.profile_files import load_profile
from mealplan.verify.verifier import verify_plan

pytestmark = pytest.mark.solve  # every test here solves a plan or runs a process that does

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"


def test_a_method_says_which_optional_ingredients_the_day_leaves_out():
    table = load_bundled()
    dishes = load_dishes(foods=table).dishes
    plan = make_plan(load_profile(EXAMPLES / "older_diuretics.yaml"), table, days=2)
    assert verify_plan(plan, table).ok
    notes = 0
    for day in plan.days:
        for slot in day.slots:
            if slot.dish_id is None:
                continue
            dish = dishes[slot.dish_id]
            served = {i.food_id for i in slot.items}
            left = [short_name(table.foods.at[g.food, "name"]) for g in dish.ingredients if g.food not in served]
            assert all(g.min == 0 for g in dish.ingredients if g.food not in served)  # only optional ones
            assert slot.method.startswith(dish.method)
            if left:
                notes += 1
                assert slot.method.endswith(f"This time without the {' and '.join(left)}.") or all(
                    name in slot.method[len(dish.method) :] for name in left
                )
            else:
                assert slot.method == dish.method
    assert notes >= 1  # the example's days leave some out (salmon salad without the celery)
