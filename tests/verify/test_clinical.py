"""The targets' clinical rules on the hand-built 2.1 week: per meal (lactose, any nutrient, grams of food),
per food kind a day and a week, the weekly goal (a note, not a failure), portion_scale (nothing to check).

Numbers of the week: day 1's dinner holds 12.47 g of lactose (245 g of nonfat milk) and 553 g of food
(the tofu stir-fry: 150 + 150 + 50 + 180 + 8 + 15) and 1,034.0 mg of sodium (845.6 of it the soy sauce);
day 1 has 245 g of milk; the week 120 g of salmon.
"""

from __future__ import annotations

from tests.verify.plan21 import found, make_plan, report, targets

MILK = "01085 (Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim))"


def test_lactose_at_one_meal():
    lactose = targets(meal_max={"lactose": 12.0}, meal_max_source={"lactose": "NIH: about 12 g at a sitting"})
    assert found(make_plan(plan_targets=lactose)) == [
        (
            "meal_limits",
            "day 1, dinner",
            "lactose: 12.5 g at the meal; at most 12 g a meal (NIH: about 12 g at a sitting)",
        ),
    ]
    assert report(make_plan(plan_targets=targets(meal_max={"lactose": 12.5}))).ok


def test_another_nutrient_at_one_meal_by_the_tables_column():
    sodium = targets(meal_max={"sodium": 1000.0})
    assert found(make_plan(plan_targets=sodium)) == [
        ("meal_limits", "day 1, dinner", "sodium: 1034.0 mg at the meal; at most 1000 mg a meal (targets.meal_max)"),
    ]


def test_grams_of_food_at_one_meal_drinks_apart():
    small = targets(meal_mass_max_g=500.0, meal_mass_source="ASMBS 2019: small meals")
    assert found(make_plan(plan_targets=small)) == [
        (
            "meal_limits",
            "day 1, dinner",
            "the food weighs 553 g; at most 500 g a meal, drinks apart (ASMBS 2019: small meals)",
        ),
    ]
    assert report(make_plan(plan_targets=targets(meal_mass_max_g=553.0))).ok  # with its milk it weighs 798 g


def test_a_kinds_grams_a_day_and_a_week():
    child = targets(
        daily_max_g={"milk": 200.0},
        weekly_max_g={"seafood": 100.0},
        food_kind_source={"daily:milk": "AAP: 2 cups a day", "weekly:seafood": "FDA/EPA by age"},
    )
    assert found(make_plan(plan_targets=child)) == [
        ("food_kind_limits", "day 1", f"milk: 245 g (245 g {MILK}); at most 200 g a day (AAP: 2 cups a day)"),
        (
            "food_kind_limits",
            "week",
            "seafood: 120 g in days 1-3 (120 g 15237 (Fish, salmon, Atlantic, farmed, "
            "cooked, dry heat)); at most 100 g a week (FDA/EPA by age)",
        ),
    ]
    assert report(make_plan(plan_targets=targets(daily_max_g={"milk": 245.0}, weekly_max_g={"seafood": 120.0}))).ok


def test_a_weekly_goal_not_reached_is_a_note_not_a_failure():
    pregnant = targets(weekly_min_g={"seafood": 340.0}, food_kind_source={"weekly_min:seafood": "FDA/EPA 2021"})
    result = report(make_plan(plan_targets=pregnant))
    assert result.ok and result.problems == []
    assert [(p.check, p.where, p.message) for p in result.accepted] == [
        (
            "food_kind_goals",
            "week",
            "seafood: 120 g in days 1-3; the goal is about 146 g in 3 days (340 g a week) "
            "(FDA/EPA 2021): a goal, not a limit",
        ),
    ]
    # 227 g a week is 97 g in 3 days: reached.
    assert report(make_plan(plan_targets=targets(weekly_min_g={"seafood": 227.0}))).accepted == []


def test_an_unknown_food_kind_is_a_problem():
    assert found(make_plan(plan_targets=targets(daily_max_g={"soda": 100.0}))) == [
        (
            "food_kind_limits",
            "targets",
            "unknown food kind 'soda'; known: seafood, milk, juice, high-potassium juice, coffee, tea, decaf, "
            "herbal tea",
        ),
    ]


def test_portion_scale_adds_nothing_to_check():
    assert report(make_plan(plan_targets=targets(portion_scale=0.5, portion_source="age 3"))).ok
