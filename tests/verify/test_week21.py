"""The hand-built schema 2.1 week keeps every rule; a 2.0 plan is checked as before; variety of breakfasts,
snacks and foods (dish ingredients counted) in each week."""

from __future__ import annotations

from mealplan.plan import MealRules
from mealplan.verify.verifier import CHECKS
from tests.verify.plan21 import DAYS, WATER, found, make_plan, meal_rules, report, rules, with_meal

NEW_CHECKS = (
    "breakfast_variety",
    "snack_variety",
    "drinks",
    "hot_drinks",
    "fluids",
    "whole_units",
    "pairings",
    "meal_limits",
    "food_kind_limits",
    "food_kind_goals",
    "food_group_totals",
    "diet_quality",
    "solve_days",
)


def test_the_hand_built_week_keeps_every_rule():
    plan = make_plan()
    result = report(plan)
    assert [(p.check, p.where, p.message) for p in result.problems] == []
    assert result.ok and result.accepted == []
    assert set(NEW_CHECKS) <= set(result.checks_run) and result.checks_run == list(CHECKS)
    # water is served on all three days, beyond max_days_per_food (2): an everyday food
    assert [d.index for d in plan.days if any(i.food_id == WATER for s in d.slots for i in s.items)] == [1, 2, 3]
    assert plan.diet_quality[0].scope == "week" and 90 < plan.diet_quality[0].total <= 100


def test_a_2_0_plan_breaks_no_2_1_rule_it_does_not_record():
    # The same breakfast every day, two drinks at a meal, 80 g of egg: rules a 2.0 plan never recorded.
    days = with_meal(DAYS, 2, "breakfast", DAYS[0]["breakfast"])
    days = with_meal(
        days, 1, "breakfast", ("dish", "scrambled-eggs-toast-tomato", [("14209", 240, "drink"), (WATER, 250, "drink")])
    )
    days = with_meal(
        days,
        3,
        "dinner",
        ("pattern", "plate", [("01129", 80, "protein"), ("20137", 185, "starch"), ("11125", 156, "vegetable")]),
    )
    rules_2_0 = rules(meal_rules=MealRules(), food_groups=None, max_days_per_food=3)
    plan = make_plan(days, plan_rules=rules_2_0)
    plan = plan.model_copy(
        update={
            "schema_version": "2.0",
            "days": [d.model_copy(update={"food_groups": {}}) for d in plan.days],
            "week_food_groups": None,
            "diet_quality": [],
            "solve": plan.solve.model_copy(update={"days": []}),
        }
    )
    assert found(plan) == []
    two_one = make_plan(days, plan_rules=rules(max_days_per_food=3))
    assert {c for c, _, _ in found(two_one)} == {"breakfast_variety", "drinks", "whole_units", "pairings"}


def test_the_same_breakfast_on_more_days_than_the_rule_allows():
    plan = make_plan(with_meal(DAYS, 2, "breakfast", DAYS[0]["breakfast"]))
    assert found(plan, "breakfast_variety") == [
        (
            "breakfast_variety",
            "dish scrambled-eggs-toast-tomato",
            "served as breakfast 3 times (days 1, 2, 3); the same breakfast at most 2 days a week",
        ),
    ]
    three = rules(meal_rules=meal_rules(breakfast_max_per_week=3))
    assert (
        found(make_plan(with_meal(DAYS, 2, "breakfast", DAYS[0]["breakfast"]), plan_rules=three), "breakfast_variety")
        == []
    )


def test_a_breakfast_or_snack_dish_is_not_served_two_days_running():
    eggs = DAYS[0]["breakfast"]
    running = rules(meal_rules=meal_rules(breakfast_max_per_week=3, no_light_dish_two_days_running=True))
    plan = make_plan(with_meal(DAYS, 2, "breakfast", eggs), plan_rules=running)
    message = "dish scrambled-eggs-toast-tomato was a breakfast or snack on day {} too; not two days running"
    assert found(plan, "breakfast_variety") == [
        ("breakfast_variety", "day 2, breakfast", message.format(1)),
        ("breakfast_variety", "day 3, breakfast", message.format(2)),
    ]
    # yesterday's breakfast dish as today's snack is the same dish two days running
    snack = make_plan(with_meal(DAYS, 2, "snack", eggs), plan_rules=running)
    assert found(snack, "snack_variety") == [("snack_variety", "day 2, snack", message.format(1))]
    # a plan made before the rule is not held to it
    assert found(make_plan(with_meal(DAYS, 2, "breakfast", eggs), plan_rules=rules(meal_rules=meal_rules(
        breakfast_max_per_week=3))), "breakfast_variety") == []  # fmt: skip


def test_a_pattern_breakfast_is_the_same_breakfast_whatever_its_foods():
    eggs = ("pattern", "eggs-on-toast", [("01129", 50, "egg"), ("18076", 25, "bread")])
    other = ("pattern", "eggs-on-toast", [("01128", 46, "egg"), ("18036", 24, "bread")])
    days = with_meal(with_meal(with_meal(DAYS, 1, "breakfast", eggs), 2, "breakfast", other), 3, "breakfast", eggs)
    assert found(make_plan(days), "breakfast_variety") == [
        (
            "breakfast_variety",
            "pattern eggs-on-toast",
            "served as breakfast 3 times (days 1, 2, 3); the same breakfast at most 2 days a week",
        ),
    ]


def test_the_same_snack_more_times_than_the_rule_allows():
    plan = make_plan(with_meal(DAYS, 2, "snack", ("pattern", "snack-fruit", [("09003", 182, "fruit")])))
    assert found(plan, "snack_variety") == [
        (
            "snack_variety",
            "pattern snack-fruit",
            "served as snack 3 times (days 1, 2, 3); the same snack at most 2 times a week",
        ),
    ]


def test_a_day_whose_variety_was_relaxed_is_excused():
    days = with_meal(DAYS, 2, "breakfast", DAYS[0]["breakfast"])
    assert found(make_plan(days, plan_rules=rules(variety_relaxed_days=[2]))) == []


def test_dish_ingredients_count_toward_the_days_of_a_food():
    # Scrambled eggs on day 2 as well: its eggs, tomato and orange are on three days. Eggs count as the
    # product bought: day 3's fried eggs (01128) and the scrambled eggs (01132) are one food.
    plan = make_plan(
        with_meal(DAYS, 2, "breakfast", DAYS[0]["breakfast"]),
        plan_rules=rules(meal_rules=meal_rules(breakfast_max_per_week=3)),
    )
    assert found(plan) == [
        ("days_per_food", "eggs (01128, 01132)", "on 3 days (days [1, 2, 3]); at most 2 are allowed"),
        ("days_per_food", "oranges (09200)", "on 3 days (days [1, 2, 3]); at most 2 are allowed"),
        ("days_per_food", "tomatoes (11529)", "on 3 days (days [1, 2, 3]); at most 2 are allowed"),
    ]
    # Before 2.1 only a pattern meal's foods counted.
    relaxed = rules(meal_rules=meal_rules(breakfast_max_per_week=3, food_days_cover_dishes=False))
    assert found(make_plan(with_meal(DAYS, 2, "breakfast", DAYS[0]["breakfast"]), plan_rules=relaxed)) == []


def test_the_weekly_rules_hold_in_each_block_of_seven_days():
    days = (DAYS * 3)[:9]  # scrambled eggs at breakfast on days 1, 3, 4, 6, 7 and 9
    loose = rules(
        max_days_per_food=7,
        meal_rules=meal_rules(breakfast_max_per_week=4, snack_max_per_week=None, dish_max_per_week=3),
    )
    assert found(make_plan(days, plan_rules=loose), "breakfast_variety") == [
        (
            "breakfast_variety",
            "dish scrambled-eggs-toast-tomato",
            "served as breakfast 5 times (days 1, 3, 4, 6, 7); the same breakfast at most 4 days a week",
        ),
    ]


def test_foods_of_one_short_name_are_one_food():
    # cooked spinach on days 1 and 3, raw spinach on day 2: spinach on three days
    lunch = [("05064", 86, "protein"), ("20037", 195, "starch"), ("11458", 180, "vegetable"), (WATER, 250, "drink")]
    dinner2 = [("15237", 120, "protein"), ("11674", 173, "starch"), ("11457", 60, "vegetable"), (WATER, 250, "drink")]
    dinner3 = [("05168", 100, "protein"), ("20137", 185, "starch"), ("11458", 180, "vegetable"), (WATER, 250, "drink")]
    days = with_meal(DAYS, 1, "lunch", ("pattern", "plate", lunch))
    days = with_meal(
        with_meal(days, 2, "dinner", ("pattern", "plate", dinner2)), 3, "dinner", ("pattern", "plate", dinner3)
    )
    assert found(make_plan(days), "days_per_food") == [
        ("days_per_food", "spinach (11457, 11458)", "on 3 days (days [1, 2, 3]); at most 2 are allowed"),
    ]


def test_fried_and_scrambled_eggs_are_one_food_for_the_days_rule():
    # Huevos rancheros (fried eggs) on day 2 as well: scrambled eggs are on days 1 and 3 and fried eggs on
    # days 2 and 3, each within 2 days; as the eggs a shopper buys they are on 3.
    plan = make_plan(with_meal(DAYS, 2, "lunch", DAYS[2]["lunch"]))
    assert [p for p in found(plan, "days_per_food") if p[1].startswith("eggs")] == [
        ("days_per_food", "eggs (01128, 01132)", "on 3 days (days [1, 2, 3]); at most 2 are allowed")
    ]


def test_chicken_is_chicken_breast_or_thigh_in_the_days_per_food_rule():
    # day 3's dinner plate with roast chicken thigh instead of turkey: chicken on days 1, 2 and 3 (breast
    # on days 1 and 2), one day more than max_days_per_food (2) allows, though breast and thigh are two
    # products on a shopping list (everyday_foods.yaml's ``alike``)
    plate = [("05098", 100, "protein"), ("20137", 185, "starch"), ("11125", 156, "vegetable"), (WATER, 250, "drink")]
    plan = make_plan(with_meal(DAYS, 3, "dinner", ("pattern", "plate", plate)))
    assert found(plan, "days_per_food") == [
        ("days_per_food", "chicken (05064, 05098)", "on 3 days (days [1, 2, 3]); at most 2 are allowed"),
    ]
