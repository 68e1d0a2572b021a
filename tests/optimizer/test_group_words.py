"""Group words in dislikes and exclusions ("fish", "seafood") through the planner and the verifier.

Issue 14: a dislike of "fish" missed "Salmon, sockeye, canned". The words resolve through the foods'
categories, allergen tags and name words (food_data/matching.py), in eligibility and in verify.
"""

from __future__ import annotations

import pytest

from mealplan import compute_targets, profile_from_dict
from mealplan.food_data.matching import food_group
from mealplan.food_data.table import load_bundled
from mealplan.optimizer.candidates import eligible_foods
from mealplan.optimizer.planner import make_plan
from mealplan.optimizer.rules import plan_rules
from mealplan.verify.verifier import verify_plan

PESCATARIAN = {
    "id": "pesca",
    "age": 45,
    "sex": "female",
    "weight_kg": 63,
    "diet": "pescatarian",
    "likes": ["salmon", "sardine"],
}


@pytest.fixture(scope="module")
def table():
    return load_bundled()


def _fish_items(plan, foods) -> list[str]:
    group = food_group("seafood")
    out = []
    for day in plan.days:
        for slot in day.slots:
            for item in slot.items:
                if item.food_id in foods.index:
                    row = foods.loc[item.food_id]
                    if group.holds(row["name"], row["category"], row["allergens"]):
                        out.append(row["name"])
    return out


def test_a_fish_dislike_keeps_out_salmon_not_named_fish(table) -> None:
    profile = profile_from_dict({**PESCATARIAN, "dislikes": ["fish"]})
    blocked = eligible_foods(table, plan_rules(profile, compute_targets(profile))).blocked
    planner = table.foods[table.foods["planner"].astype(bool)]
    fish = [i for i in planner.index if food_group("fish").holds(*planner.loc[i, ["name", "category", "allergens"]])]
    assert fish and all(blocked.get(i, "").startswith("disliked") for i in fish)
    # Foods whose names do not hold "fish" ("Salmon, ...") are kept out by the group word alone.
    unnamed = [i for i in fish if "fish" not in planner.loc[i, "name"].lower()]
    assert len(unnamed) >= 3 and all(blocked[i] == "disliked ('fish')" for i in unnamed)
    assert "Salmon, sockeye, canned, total can contents" in set(planner.loc[unnamed, "name"]) or any(
        n.startswith("Salmon") for n in planner.loc[unnamed, "name"]
    )


@pytest.mark.solve
def test_a_plan_without_seafood_passes_and_verify_catches_seafood(table) -> None:
    liked = make_plan(profile_from_dict(PESCATARIAN), table, days=1)
    assert verify_plan(liked, table).ok
    fish = _fish_items(liked, table.foods)
    assert fish, "a pescatarian who likes salmon gets fish"
    # The same plan against a dislike of "seafood" (no SR name holds that word): verify flags every fish.
    strict = liked.model_copy(update={"rules": liked.rules.model_copy(update={"dislikes": ["seafood"]})})
    report = verify_plan(strict, table)
    flagged = [p for p in report.problems if p.check == "dislikes"]
    assert len(flagged) == len(fish)

    plan = make_plan(profile_from_dict({**PESCATARIAN, "dislikes": ["seafood"]}), table, days=1)
    assert verify_plan(plan, table).ok
    assert _fish_items(plan, table.foods) == []
