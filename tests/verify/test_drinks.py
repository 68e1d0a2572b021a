"""Drinks (``meal_rules.drinks``), coffee and tea by habit, and fluids, on the hand-built 2.1 week.

Amounts used below (SR24 per 100 g): chocolate milk 63 kcal (250 g: 157.5 kcal), an apple 52 kcal
(182 g: 94.6 kcal); a cup of orange juice is 248 g, so 240 g is 0.97 cup.
"""

from __future__ import annotations

from tests.verify.plan21 import (
    COFFEE,
    DAYS,
    NONFAT_MILK,
    OJ,
    TEA,
    WATER,
    drink_rules,
    found,
    make_plan,
    meal_rules,
    report,
    rules,
    targets,
    with_meal,
)

CHOC = "01104"
MILK = "01085 (Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim))"
SCRAMBLED = "scrambled-eggs-toast-tomato"


def drinks(**changes) -> object:
    return rules(meal_rules=meal_rules(drinks=drink_rules(**changes)))


def test_a_meal_has_one_drink():
    plan = make_plan(
        with_meal(DAYS, 1, "breakfast", ("dish", SCRAMBLED, [(COFFEE, 240, "drink"), (WATER, 250, "drink")]))
    )
    assert found(plan) == [
        (
            "drinks",
            "day 1, breakfast",
            "2 drinks (14209 (Coffee, brewed from grounds, prepared with tap water), "
            "14411 (Water, tap, drinking)); a meal has one drink",
        ),
    ]


def test_no_drink_at_a_meal_when_drinks_go_between_meals():
    plan = make_plan(plan_rules=drinks(with_meals=False))
    problems = found(plan)
    assert len(problems) == 11  # every meal with a drink: all but day 2's snack
    assert problems[0] == (
        "drinks",
        "day 1, breakfast",
        "14209 (Coffee, brewed from grounds, prepared with tap water) at the meal: "
        "drinks go between meals, not with them (the plan's drink rules)",
    )
    bariatric = targets(drinks_with_meals=False, drinks_source="ASMBS 2019: drinks 30 minutes apart from meals")
    by_targets = found(make_plan(plan_rules=rules(meal_rules=meal_rules(drinks=None)), plan_targets=bariatric))
    assert len(by_targets) == 11
    assert by_targets[1] == (
        "drinks",
        "day 1, lunch",
        "14411 (Water, tap, drinking) at the meal: drinks go between meals, not with them "
        "(ASMBS 2019: drinks 30 minutes apart from meals)",
    )


def test_the_glass_of_water_is_water_g():
    plan = make_plan(
        with_meal(DAYS, 1, "snack", ("pattern", "snack-fruit", [("09040", 118, "fruit"), (WATER, 400, "drink")]))
    )
    assert found(plan) == [
        ("drinks", "day 1, snack, 14411 (Water, tap, drinking)", "400 g of water; the glass of water is 250 g"),
    ]


def test_milk_drinks_a_day():
    snack = [("09040", 118, "fruit"), ("12061", 28, "nuts"), (NONFAT_MILK, 245, "drink")]
    plan = make_plan(with_meal(DAYS, 1, "snack", ("pattern", "snack-fruit", snack)))
    assert found(plan) == [
        ("drinks", "day 1", f"2 milk drinks (dinner: {MILK}; snack: {MILK}); at most 1 a day"),
    ]
    assert found(plan.model_copy(update={"rules": drinks(milk_drinks_per_day=2)})) == []


def test_no_milk_drink_beside_a_milk_based_dish_or_a_meal_with_milk():
    days = with_meal(
        DAYS,
        2,
        "breakfast",
        ("dish", "oatmeal-milk-banana-almonds", [("09040", 118, "fruit"), (NONFAT_MILK, 245, "drink")]),
    )
    plan = make_plan(days)
    assert found(plan) == [
        (
            "drinks",
            f"day 2, breakfast, {MILK}",
            "a milk drink beside a meal built on milk, yogurt or a smoothie (the dish oatmeal-milk-banana-almonds)",
        ),
    ]
    snack = [("01117", 170, "yogurt"), ("09316", 80, "fruit"), (NONFAT_MILK, 120, "drink")]
    days = with_meal(DAYS, 2, "snack", ("pattern", "snack-yogurt", snack))
    assert found(make_plan(days)) == [
        (
            "drinks",
            f"day 2, snack, {MILK}",
            "a milk drink beside a meal built on milk, yogurt or a smoothie (the meal holds 01117 (Yogurt, plain, "
            "low fat, 12 grams protein per 8 ounce))",
        ),
    ]
    assert found(make_plan(days, plan_rules=drinks(no_milk_drink_beside_milk_meal=False))) == []


def test_cups_of_juice_a_day():
    plan = make_plan(with_meal(DAYS, 3, "breakfast", ("dish", SCRAMBLED, [(OJ, 240, "drink")])))
    assert found(plan) == [("drinks", "day 3", "0.97 cups of juice; at most 0.75 a day")]
    assert found(plan.model_copy(update={"rules": drinks(cups_per_day={"juice": 1.0})})) == []


def test_a_drink_gives_at_most_a_third_of_its_meals_energy():
    plan = make_plan(
        with_meal(DAYS, 3, "snack", ("pattern", "snack-fruit", [("09003", 182, "fruit"), (CHOC, 250, "drink")]))
    )
    assert found(plan) == [
        (
            "drinks",
            "day 3, snack, 01104 (Milk, chocolate, fluid, commercial, lowfat, with added vitamin A and vitamin D)",
            "01104 (Milk, chocolate, fluid, commercial, lowfat, with added vitamin A and vitamin D) gives 158 of the "
            "meal's 252 kcal (62%; a drink gives at most 33%)",
        ),
    ]


def test_drinks_only_at_the_meals_drinks_yaml_allows():
    days = with_meal(DAYS, 3, "lunch", ("dish", "huevos-rancheros", [(CHOC, 250, "drink")]))
    days = with_meal(
        days,
        2,
        "dinner",
        (
            "pattern",
            "plate",
            [("15237", 120, "protein"), ("11674", 173, "starch"), ("11053", 125, "vegetable"), (OJ, 180, "drink")],
        ),
    )
    assert found(make_plan(days), "drinks") == [
        (
            "drinks",
            "day 2, dinner, 09206 (Orange juice, raw)",
            "09206 (Orange juice, raw) at dinner: a juice drink is served only at breakfast, snack (drinks.yaml)",
        ),
        (
            "drinks",
            "day 3, lunch, 01104 (Milk, chocolate, fluid, commercial, lowfat, with added vitamin A and vitamin D)",
            "01104 (Milk, chocolate, fluid, commercial, lowfat, with added vitamin A and vitamin D) at lunch (a "
            "sweetened milk drink): a sweetened milk drink is served only at breakfast, snack (drinks.yaml)",
        ),
    ]


def test_coffee_and_tea_only_as_the_person_drinks_them():
    tea_only = make_plan(plan_rules=drinks(hot_drinks=["tea"]))
    assert found(tea_only) == [
        (
            "hot_drinks",
            "day 1, breakfast, 14209 (Coffee, brewed from grounds, prepared with tap water)",
            "14209 (Coffee, brewed from grounds, prepared with tap water) is coffee; the plan serves tea (the "
            "profile's hot drinks)",
        ),
    ]
    assert [w for _, w, _ in found(make_plan(plan_rules=drinks(hot_drinks=[])))] == [
        f"day 1, breakfast, {COFFEE} (Coffee, brewed from grounds, prepared with tap water)",
        f"day 3, snack, {TEA} (Tea, black, brewed, prepared with tap water)",
    ]
    child = targets(hot_drinks_allowed=[], hot_drinks_source="age 6: no coffee or tea for children")
    problems = found(make_plan(plan_targets=child))
    assert problems[1] == (
        "hot_drinks",
        f"day 3, snack, {TEA} (Tea, black, brewed, prepared with tap water)",
        "14355 (Tea, black, brewed, prepared with tap water) is tea; the plan serves no coffee or tea (age 6: no "
        "coffee or tea for children)",
    )
    assert report(make_plan(plan_targets=targets(hot_drinks_allowed=["coffee", "tea"]))).ok


def test_decaf_is_its_own_kind():
    days = with_meal(DAYS, 1, "breakfast", ("dish", SCRAMBLED, [("14201", 240, "drink")]))
    assert found(make_plan(days, plan_rules=drinks(hot_drinks=["decaf", "tea"]))) == []
    assert [m for _, _, m in found(make_plan(days, plan_rules=drinks(hot_drinks=["coffee", "tea"])))] == [
        "14201 (Coffee, brewed from grounds, prepared with tap water, decaffeinated) is decaf; the plan serves coffee, "
        "tea (the profile's hot drinks)",
    ]


def test_fluids_a_day_count_every_drink_water_included():
    # drinks: day 1 240 + 250 + 245 + 250 = 985 ml, day 2 750 ml, day 3 180 + 250 + 250 + 240 = 920 ml
    renal = targets(fluid_max_ml=900, fluid_source="renal team: 900 ml a day")
    assert found(make_plan(plan_targets=renal)) == [
        ("fluids", "day 1", "the drinks hold 985 ml (water included); at most 900 ml a day (renal team: 900 ml a day)"),
        ("fluids", "day 3", "the drinks hold 920 ml (water included); at most 900 ml a day (renal team: 900 ml a day)"),
    ]
    assert found(make_plan(plan_targets=targets(fluid_max_ml=985))) == []


def test_drinks_besides_water_a_day():
    # day 1: coffee at breakfast and milk at dinner; day 3: orange juice and tea
    assert found(make_plan(plan_rules=drinks(drinks_per_day=1))) == [
        (
            "drinks",
            "day 1",
            "2 drinks besides water (breakfast: 14209 (Coffee, brewed from grounds, prepared with "
            f"tap water); dinner: {MILK}); at most 1 a day",
        ),
        (
            "drinks",
            "day 3",
            "2 drinks besides water (breakfast: 09206 (Orange juice, raw); snack: 14355 (Tea, black, "
            "brewed, prepared with tap water)); at most 1 a day",
        ),
    ]
    assert found(make_plan(plan_rules=drinks(drinks_per_day=2))) == []


def test_milk_plant_milk_and_juice_in_every_form_a_day():
    # day 1: 245 g of nonfat milk to drink at dinner; day 3: 180 g of orange juice at breakfast, and here
    # a banana with 240 g of soy milk (a dish's ingredient, not a drink) at its snack: 420 g
    snack = ("dish", "soymilk-banana", [("09040", 118, "fruit"), ("16139", 240, "dairy")])
    plan = make_plan(with_meal(DAYS, 3, "snack", snack), plan_rules=drinks(poured_max_g=400))
    assert [p for p in found(plan) if p[0] == "drinks"] == [
        ("drinks", "day 3", "420 g of milk, plant milk and juice in all (to drink, on cereal, in smoothies); at "
         "most 400 g a day"),
    ]  # fmt: skip
    assert [p for p in found(plan.model_copy(update={"rules": drinks(poured_max_g=None)})) if p[0] == "drinks"] == []
    assert found(make_plan(plan_rules=drinks(poured_max_g=250))) == []
