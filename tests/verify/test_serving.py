"""Counted foods in whole units (dishes and pattern meals alike; a recorded edit excuses its item) and pattern
pairings, on the hand-built 2.1 week. Units from counted_foods.csv: a scrambled egg (01132) 61 g, whole
units; a chicken breast (05064) 172 g, halves (86 g steps)."""

from __future__ import annotations

from mealplan.plan import PlanEdit
from tests.verify.plan21 import DAYS, WATER, found, make_plan, meal_rules, report, rules, with_meal

SCRAMBLED = "scrambled-eggs-toast-tomato"
EGG = "01132 (Egg, whole, cooked, scrambled)"


def test_counted_foods_in_a_dish_come_in_whole_units():
    plan = make_plan(with_meal(DAYS, 1, "breakfast", ("dish", SCRAMBLED, [("01132", 100, "protein")])))
    assert found(plan) == [
        (
            "whole_units",
            f"day 1, breakfast, {EGG}",
            "100 g is 1.639 x large egg (61 g); served in whole units (61 g steps)",
        ),
    ]


def test_counted_foods_in_a_pattern_meal_come_in_whole_units_or_halves():
    lunch = [("05064", 100, "protein"), ("20037", 195, "starch"), ("11091", 156, "vegetable"), (WATER, 250, "drink")]
    assert found(make_plan(with_meal(DAYS, 1, "lunch", ("pattern", "plate", lunch)))) == [
        (
            "whole_units",
            "day 1, lunch, 05064 (Chicken, broilers or fryers, breast, meat only, cooked, roasted)",
            "100 g is 0.5814 x chicken breast (172 g); served in whole units or halves (86 g steps)",
        ),
    ]
    lunch[0] = ("05064", 172, "protein")  # a whole breast
    assert found(make_plan(with_meal(DAYS, 1, "lunch", ("pattern", "plate", lunch)))) == []


def test_whole_units_within_a_millionth():
    near = make_plan(with_meal(DAYS, 1, "breakfast", ("dish", SCRAMBLED, [("01132", 122.0000001, "protein")])))
    assert found(near) == []
    off = make_plan(with_meal(DAYS, 1, "breakfast", ("dish", SCRAMBLED, [("01132", 122.01, "protein")])))
    assert [c for c, _, _ in found(off)] == ["whole_units"]


def test_a_recorded_edit_excuses_the_item_it_set():
    plan = make_plan(with_meal(DAYS, 1, "breakfast", ("dish", SCRAMBLED, [("01132", 100, "protein")])))
    edit = PlanEdit(action="set", day=1, slot="breakfast", food_id="01132", grams_before=122, grams_after=100)
    result = report(plan.model_copy(update={"edits": [edit]}))
    assert result.ok and result.problems == [] and result.accepted == []


def test_without_the_rule_any_amount_is_served():
    plan = make_plan(
        with_meal(DAYS, 1, "breakfast", ("dish", SCRAMBLED, [("01132", 100, "protein")])),
        plan_rules=rules(meal_rules=meal_rules(whole_units=False)),
    )
    assert found(plan) == []


def test_a_pattern_meals_foods_go_together():
    lunch = [("05064", 86, "protein"), ("18002", 99, "starch"), ("11091", 156, "vegetable")]
    plan = make_plan(with_meal(DAYS, 1, "lunch", ("pattern", "plate", lunch)))
    assert found(plan) == [
        (
            "pairings",
            "day 1, lunch",
            "18002 (Bagels, plain, toasted, enriched, with calcium propionate (includes "
            "onion, poppy, sesame)) not at lunch: a plate's starch is rice, grains, pasta, potatoes or bread; no "
            "bagel, English muffin or toast at a main meal",
        ),
    ]
    eggs = [("01129", 100, "protein"), ("20121", 140, "starch"), ("11091", 156, "vegetable")]
    assert found(make_plan(with_meal(DAYS, 1, "lunch", ("pattern", "plate", eggs)))) == [
        (
            "pairings",
            "day 1, lunch",
            "01129 (Egg, whole, cooked, hard-boiled) with 20121 (Spaghetti, cooked, "
            "enriched, without added salt): eggs are not a side for spaghetti or macaroni",
        ),
        (
            "pairings",
            "day 1, lunch",
            "01129 (Egg, whole, cooked, hard-boiled) needs breakfast bread or sandwich bread "
            "or tortilla or potatoes or salad greens in the same meal: eggs come on toast or bread, in a tortilla, "
            "with potatoes or on a salad; not beside rice or grains",
        ),
    ]
    assert (
        found(
            make_plan(
                with_meal(DAYS, 1, "lunch", ("pattern", "plate", eggs)),
                plan_rules=rules(meal_rules=meal_rules(pairings=False)),
            )
        )
        == []
    )
