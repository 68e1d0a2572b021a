"""The rules a plan is built under: meal structure, portions, food groups, variety.

``plan_rules`` turns a profile and its targets into a ``PlanRules`` record; the model builder reads
it and the verifier checks plans against the same record, so the two never disagree on a default.
"""

from __future__ import annotations

from mealplan.food_data.diet_patterns import macro_ranges
from mealplan.food_data.drinks import load_drinks
from mealplan.food_data.food_patterns import food_pattern, style_for
from mealplan.food_data.safety import safety_rules
from mealplan.food_data.vocab import MAIN_MEALS, slot_names
from mealplan.plan import DrinkRules, FoodGroupGoals, MealRules, PlanRules, SlotRule
from mealplan.targets.model import Targets
from mealplan.targets.profile import Profile

# Foods that count as the protein of a main meal, and as its vegetable or fruit.
PROTEIN_CATEGORIES = ["meat", "poultry", "seafood", "eggs", "legumes"]
# Lentils, split peas and navy beans at one dinner read as a recipe error, not a meal.
MAX_PROTEIN_ITEMS_PER_MEAL = 2
PRODUCE_CATEGORIES = ["vegetables", "fruits"]
# Accompaniments: they do not make a meal on their own, so they do not count toward a meal's
# minimum number of items or the day's distinct foods.
SIDE_CATEGORIES = ["fats and oils", "condiments and spices", "beverages", "sweets and snacks"]
# What a breakfast is built around.
BREAKFAST_CORE = ["grains", "fruits", "eggs", "dairy and fortified alternatives"]


# Per-slot structure: (min items, max items, energy share of the day (low, high)).
SLOT_DEFAULTS: dict[str, tuple[int, int, tuple[float, float]]] = {
    "breakfast": (2, 4, (0.15, 0.35)),
    "lunch": (2, 5, (0.20, 0.40)),
    "dinner": (2, 5, (0.25, 0.45)),
    "snack": (1, 3, (0.05, 0.20)),
}

# Daily grams per planner category: fats and oils are capped at 40 g (a realistic day uses a few
# tablespoons); sweets and condiments stay small; at least a modest amount of vegetables every day.
GROUP_MAX_G = {
    "fats and oils": 40.0,
    "sweets and snacks": 80.0,
    "condiments and spices": 40.0,
    "beverages": 750.0,
    "mixed dishes": 500.0,
}
GROUP_MIN_G = {"vegetables": 150.0}

# Portions: quarter-serving steps, and an item is absent or at least half a serving.
PORTION_STEP_SERVINGS = 0.25
MIN_PORTION_SERVINGS = 0.5

# A week a dietitian signs (issue 25): the same breakfast on at most three days (so at least three
# different breakfasts a week), the same snack at most three times, a food on at most four days
# (everyday foods excepted: food_data/data/everyday_foods.yaml).
BREAKFAST_MAX_PER_WEEK = 3
SNACK_MAX_PER_WEEK = 3
FOOD_MAX_DAYS = 4
# Pattern rows that are goals of the day model (oils and refined grains are not aimed at; grains as a
# whole come with the whole grains), and the whole fruit the share rule reads.
# The weekly subgroups aimed at are those the Healthy Eating Index scores (greens and beans, seafood and
# plant proteins) and red and orange vegetables; starchy and other vegetables and meat come unasked.
GROUP_GOAL_ROWS = (
    "vegetables", "fruits", "whole_grains", "dairy", "protein_foods", "veg_dark_green", "veg_red_orange",
    "veg_legumes", "seafood", "nuts_seeds_soy", "eggs", "protein_legumes", "soy", "nuts_seeds",
)  # fmt: skip
WHOLE_FRUIT_ROW = ("whole_fruit", {"fruit_whole": 1.0})
REFINED_ROW = "refined_grains"  # a soft maximum: refined grains at most the pattern's amount

# Stored nutrients may be met on the weekly average; electrolytes are better met every day.
WEEKLY_NUTRIENTS = ["vitamin_d", "vitamin_b12", "vitamin_b12_added"]


def plan_rules(
    profile: Profile,
    targets: Targets,
    *,
    objective: str = "shortfall",
    max_days_per_food: int = FOOD_MAX_DAYS,
    min_distinct_foods: int = 8,
) -> PlanRules:
    """The rules for one profile's plan (defaults above; slots from the profile's meals)."""
    slots = []
    # Shares are for the full day of meals; with fewer meals (lunch and dinner only), each share is
    # scaled so the meals still add up to the whole day.
    mid = sum((lo + hi) / 2 for _, _, (lo, hi) in (SLOT_DEFAULTS[m] for m in profile.meals))
    scale = 1.0 / mid if mid else 1.0
    for meal, name in zip(profile.meals, slot_names(profile.meals), strict=True):
        lo_items, hi_items, (lo, hi) = SLOT_DEFAULTS[meal]
        # A meal given twice (two snacks) shares that meal's energy share; names stay unique.
        count = profile.meals.count(meal)
        lo, hi = round(min(lo * scale, 0.9) / count, 4), round(min(hi * scale, 1.0) / count, 4)
        main = meal in MAIN_MEALS
        if name in profile.meal_shares:  # the dietitian's share, within 5 points
            share = profile.meal_shares[name]
            lo, hi = round(max(share - 0.05, 0.0), 4), round(min(share + 0.05, 1.0), 4)
        slots.append(
            SlotRule(
                name=name,
                min_items=lo_items,
                max_items=hi_items,
                energy_share=(lo, hi),
                needs_protein=main,
                needs_produce=main,
                needs_one_of=BREAKFAST_CORE if meal == "breakfast" else [],
            )
        )
    amdr, overrides = macro_ranges(dict(targets.amdr), profile.diet_pattern, dict(profile.macros))
    weekly = [n for n in WEEKLY_NUTRIENTS if n in targets.items and targets.items[n].weekly]
    return PlanRules(
        diet=profile.diet,
        allergies=list(profile.allergies),
        exclude=list(profile.exclude),
        forbid=list(profile.forbid),
        require=list(profile.require),
        dislikes=list(profile.dislikes),
        likes=list(profile.likes),
        slots=slots,
        group_max_g=dict(GROUP_MAX_G),
        # Vegetables every day belong to the main meals; a day without lunch or dinner has no such floor.
        group_min_g=dict(GROUP_MIN_G) if any(s.needs_produce for s in slots) else {},
        min_portion_servings=MIN_PORTION_SERVINGS,
        portion_step_servings=PORTION_STEP_SERVINGS,
        # A day cannot have more different foods than its meals have items (one meal: at most 5).
        min_distinct_foods_per_day=min(min_distinct_foods, sum(s.max_items for s in slots)),
        max_days_per_food=max_days_per_food,
        protein_categories=list(PROTEIN_CATEGORIES),
        max_protein_items_per_meal=MAX_PROTEIN_ITEMS_PER_MEAL,
        produce_categories=list(PRODUCE_CATEGORIES),
        side_categories=list(SIDE_CATEGORIES),
        weekly_nutrients=weekly,
        energy_min=targets.energy_min,
        energy_max=targets.energy_max,
        amdr=amdr,
        amdr_overrides=overrides,
        budget=profile.budget,
        objective="cost" if objective == "cost" else "shortfall",
        meal_rules=_meal_rules(profile, targets),
        food_groups=food_group_goals(profile, targets),
        safety=safety_rules(profile.pregnant, profile.lactating, age=profile.age, factors=profile.all_factors()),
    )


def _meal_rules(profile: Profile, targets: Targets) -> MealRules:
    """The meal rules of a new plan (schema 2.1): variety a household lives with, drinks as people
    drink (water by default; coffee and tea only as the profile's ``hot_drinks`` habit says), counted
    foods in whole units and pattern meals whose parts go together."""
    doc = load_drinks()
    drinks = DrinkRules(
        with_meals=targets.drinks_with_meals,
        # (not with a dialysis fluid limit, the renal team's to share out, nor with a poor appetite's food
        # and drink weight: water comes between meals there)
        water_default=targets.fluid_max_ml is None and targets.food_mass_max_g is None,
        milk_drinks_per_day=doc.rules.milk_drinks_per_day,
        drinks_per_day=doc.rules.drinks_per_day,
        cups_per_day={k: r.cups_per_day for k, r in doc.kinds.items() if r.cups_per_day is not None},
        poured_max_g=doc.poured.max_g,
        energy_share_max=doc.rules.max_energy_share,
        hot_drinks=list(targets.hot_drinks_allowed or []),
    )
    return MealRules(
        dish_max_per_week=profile.dish_max_per_week,
        breakfast_max_per_week=BREAKFAST_MAX_PER_WEEK,
        snack_max_per_week=SNACK_MAX_PER_WEEK,
        food_days_cover_dishes=True,
        drinks=drinks,
        whole_units=True,
        pairings=True,
        no_light_dish_two_days_running=True,
    )


def food_group_goals(profile: Profile, targets: Targets) -> FoodGroupGoals:
    """The USDA Food Pattern the plan aims at: the style the diet says (vegetarian for vegetarian and
    vegan diets, Mediterranean for that diet pattern, else Healthy U.S.-Style) at the person's energy."""
    fp = food_pattern(targets.energy_kcal, style_for(profile.diet, profile.diet_pattern), profile.age)
    daily = {r.id: r.amount for r in fp.rows if r.per == "day" and r.id in GROUP_GOAL_ROWS}
    weekly = {r.id: r.amount for r in fp.rows if r.per == "week" and r.id in GROUP_GOAL_ROWS}
    share = FoodGroupGoals.model_fields["whole_fruit_share"].default
    if "fruits" in daily:  # whole fruit, at least half of the fruit: a goal of its own (juice is capped as a drink)
        daily[WHOLE_FRUIT_ROW[0]] = round(daily["fruits"] * share, 4)
    refined = next((r.amount for r in fp.rows if r.id == REFINED_ROW and r.per == "day"), None)
    sources = {r.id: dict(r.sources) for r in fp.rows} | {WHOLE_FRUIT_ROW[0]: dict(WHOLE_FRUIT_ROW[1])}
    return FoodGroupGoals(
        style=fp.style,
        name=fp.name,
        level_kcal=fp.level_kcal,
        source=fp.source,
        daily=daily,
        weekly=weekly,
        sources=sources,
        refined_grains_max=refined,
        added_sugars_pct_max=fp.limits.added_sugars_energy_pct,
        saturated_fat_pct_max=fp.limits.saturated_fat_energy_pct,
    )
