"""The shopping list's "Herbs and spices": the seasonings of the plan's dishes, from the library given."""

from __future__ import annotations

from pathlib import Path

import yaml

from mealplan.food_data.dishes import load_dishes
from mealplan.food_data.table import load_bundled
from mealplan.plan import Plan
from mealplan.report.shopping import shopping_list, shopping_markdown

WEEK = Path(__file__).resolve().parents[1] / "fixtures" / "plan_week_dishes.json"  # a real vegan week of dishes


def test_the_section_lists_each_seasoning_of_the_dishes_on_the_days_they_are_eaten():
    plan = Plan.model_validate_json(WEEK.read_text())
    library = load_dishes(foods=load_bundled())
    expected: dict[str, set[int]] = {}
    for day in plan.days:
        for slot in day.slots:
            if slot.dish_id:
                for name in library.get(slot.dish_id).seasonings:
                    expected.setdefault(name, set()).add(day.index)
    shop = shopping_list(plan)
    herbs = shop.sections[-1]
    assert (herbs.id, herbs.title) == ("herbs_spices", "Herbs and spices")
    assert {i.name: set(i.days_used) for i in herbs.items} == expected
    assert all(i.food_ids == [] and i.total_grams == 0 for i in herbs.items)  # nutrients ignore seasonings
    cumin = next(i for i in herbs.items if i.name == "ground cumin")
    assert cumin.purchase_text == "1 jar ground cumin"
    md = shopping_markdown(shop)
    assert "## Herbs and spices" in md and "**1 jar ground cumin** — days" in md


def test_a_users_library_decides_the_seasonings_of_its_dishes(tmp_path):
    plan = Plan.model_validate_json(WEEK.read_text())
    foods = load_bundled()
    bowl = yaml.safe_load((Path(__file__).parents[2] / "food_data" / "data" / "dishes.yaml").read_text())
    mine = next(d for d in bowl["dishes"] if d["id"] == "tofu-sofritas-bowl")
    mine["seasonings"] = mine["seasonings"] + ["lime"]
    mine["method"] = mine["method"] + " Squeeze a lime over."
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"schema": 1, "dishes": [mine]}, sort_keys=False), encoding="utf-8")
    library = load_dishes([path], foods=foods)
    herbs = shopping_list(plan, foods, dishes=library).sections[-1]
    assert any(i.name == "lime" and i.purchase_text == "1 lime" for i in herbs.items)
    assert not any(i.name == "lime" for i in shopping_list(plan, foods).sections[-1].items)
