"""The day model's weights and fixed limits: what each aim costs in the objective, in one place.

Objectives are scaled so that one whole nutrient target missed costs ``SHORTFALL_WEIGHT`` (1000):
every other weight reads as a share of one target.
"""

from __future__ import annotations

SHORTFALL_WEIGHT = 1000.0  # per whole target missed, times priority
LIKE_WEIGHT = 2.0  # per liked pattern with no food in the day
COST_WEIGHT = 100.0  # per currency unit when the objective is cost
COST_TIEBREAK = 1.0  # per currency unit otherwise (when prices are known)
# A meal filled from a pattern instead of a named dish: a nudge toward the dishes people cook (6 % of one
# whole target). It must be larger than the accepted gap (``day.ABS_GAP_MEALS``, 30) to count: at 3 the
# solver stopped at whichever plan it met first, and across six example and batch weeks 62 of 161 meals
# were dishes (42 distinct); at 60, 88 (54 distinct), the HEI-2020 unchanged (96.1 and 96.4). At 120
# (with DISH_VARIETY 1.0), 12 example and batch weeks had 86 pattern meals of 336 instead of 111 and
# 103 distinct dishes instead of 101, shortfalls 23 instead of 18 (the same percentage points missing).
PATTERN_WEIGHT = 120.0
# Moving a dish ingredient away from its default amount, per default amount moved: keeps dishes as
# written unless the targets ask for more spinach and less rice. It is the second aim of a polish
# step (``MealModel.polish_objective``) once the meals are chosen: in the MILP it made every day ~30 % slower.
DEVIATION_WEIGHT = 0.5
# Leaving the energy aim (+-5 % of the requirement, inside the hard +-10 % range): leaving it by the
# whole remaining 5 % costs as much as missing one whole nutrient target, so a plan stays within 5 %
# of the requirement unless reaching the nutrients truly needs the rest of the range.
ENERGY_AIM_WEIGHT = SHORTFALL_WEIGHT
# Inside the aim, drifting from the requirement to the aim's edge costs 2 % of one target: a tie-break
# applied in the polish step (``MealModel.pull``), once the meals are chosen.
ENERGY_NEAR_WEIGHT = 0.02 * SHORTFALL_WEIGHT
# All of a day's drinks together (three cups): four large glasses of milk a day is not a diet.
DRINKS_DAY_MAX_G = 720.0
MACRO_KCAL = {"protein": 4.0, "fat": 9.0, "carbohydrate": 4.0}
# Far above the target (issue 14): each whole UL of intake above a target's ``soft_max`` (half the UL)
# costs 10 % of one whole target missed, so the plan does not sit near a UL when other amounts do as well.
# For UL nutrients this is paid in the polish step only (``MealModel.excess``): in the MILP it made the
# example weeks 3-6x slower (endurance 3.5 s -> 16-23 s). A soft maximum without a UL (potassium with a
# loop or thiazide diuretic, per soft maximum) is paid in the MILP too, so it can change the meals.
EXCESS_WEIGHT = 0.1 * SHORTFALL_WEIGHT
# A daily food-group goal of the person's USDA Food Pattern (vegetables, fruit and whole fruit, whole
# grains, dairy, protein foods), missed whole, costs 10 % of one whole nutrient target; so does a soft
# maximum passed by its whole size (refined grains, added sugars or saturated fat at twice 10 % of
# energy). A weekly subgroup's share of a day (dark green vegetables, seafood, soy) costs 3 %: the week
# gathers it over its days, and a day that cannot give it must not cost the solver a proof it cannot make
# (the relaxation meets such goals with a fraction of a tofu dish; a heavy weight there left HiGHS days
# of branching to close the gap). Goals, not rules: the nutrients come first.
FOOD_GROUP_WEIGHT = 0.1 * SHORTFALL_WEIGHT
WEEKLY_GROUP_WEIGHT = 0.03 * SHORTFALL_WEIGHT
# A food kind's weekly minimum (fish in pregnancy), missed whole: as one nutrient target.
KIND_MIN_WEIGHT = SHORTFALL_WEIGHT
