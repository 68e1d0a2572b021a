"""Issue 27 end to end: a toddler's day keeps the choking hazards, caffeine and coffee out and
passes the independent verifier (which re-checks the safety rules recorded in the plan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mealplan.food_data.safety import safety_rules, unsafe
from mealplan.optimizer.planner import make_plan
from mealplan.targets.profile_files import load_profile
from mealplan.verify.verifier import verify_plan

pytestmark = pytest.mark.solve  # every test here solves a plan or runs a process that does

ROOT = Path(__file__).resolve().parents[2]


def test_a_two_year_olds_day_has_no_choking_hazard_and_verifies(bundled):
    profile = load_profile(ROOT / "examples" / "profiles" / "child_toddler.yaml")
    plan = make_plan(profile, bundled, days=1, time_limit=30)
    assert verify_plan(plan, bundled).problems == []
    assert any("choking" in rule.why for rule in plan.rules.safety)  # recorded, so verify re-checks them
    toddler = safety_rules(False, False, age=2)
    foods = bundled.foods
    for day in plan.days:
        for slot in day.slots:
            for item in slot.items:
                name, category = str(foods.at[item.food_id, "name"]), str(foods.at[item.food_id, "category"])
                assert unsafe(toddler, name, category) is None, name
                assert "coffee" not in name.lower() and not name.lower().startswith("tea,"), name
    assert plan.targets.items["caffeine"].max == 0 and plan.targets.portion_scale == 0.5
