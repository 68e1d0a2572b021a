"""PlanRules defaults: slots from the profile's meals, energy shares that add up, the recorded rules."""

from __future__ import annotations

import itertools

import pytest

from mealplan.food_data.vocab import SLOTS, family, slot_kind
from mealplan.optimizer import rules as R
from mealplan.targets.compute import compute_targets
from mealplan.targets.profile_files import profile_from_dict


def make(**fields):
    profile = profile_from_dict({"id": "p", "age": 40, "sex": "female", **fields})
    return profile, compute_targets(profile)


def test_defaults_for_a_plain_profile():
    profile, targets = make()
    rules = R.plan_rules(profile, targets)
    assert [s.name for s in rules.slots] == list(profile.meals)
    assert rules.diet == "omnivore" and rules.objective == "shortfall"
    assert (rules.min_portion_servings, rules.portion_step_servings) == (0.5, 0.25)
    assert rules.min_distinct_foods_per_day == 8 and rules.max_days_per_food == 4
    assert rules.group_max_g["fats and oils"] == 40.0
    assert rules.group_min_g == {"vegetables": 150.0}
    assert rules.protein_categories == R.PROTEIN_CATEGORIES
    assert rules.produce_categories == R.PRODUCE_CATEGORIES
    assert rules.side_categories == R.SIDE_CATEGORIES
    assert (rules.energy_min, rules.energy_max) == (targets.energy_min, targets.energy_max)
    assert rules.amdr == dict(targets.amdr)
    assert rules.weekly_nutrients == ["vitamin_d", "vitamin_b12"]
    assert rules.budget is None
    # The module constants are copied, not shared: a change to one plan's rules cannot leak.
    assert rules.group_max_g is not R.GROUP_MAX_G


def test_slot_structure():
    profile, targets = make(meals=["breakfast", "lunch", "dinner", "snack"])
    slots = {s.name: s for s in R.plan_rules(profile, targets).slots}
    assert slots["breakfast"].needs_one_of == R.BREAKFAST_CORE
    assert not slots["breakfast"].needs_protein and not slots["breakfast"].needs_produce
    for main in ("lunch", "dinner"):
        assert slots[main].needs_protein and slots[main].needs_produce and slots[main].needs_one_of == []
    assert not slots["snack"].needs_protein and slots["snack"].needs_one_of == []
    for name, s in slots.items():
        lo_items, hi_items, _ = R.SLOT_DEFAULTS[name]
        assert (s.min_items, s.max_items) == (lo_items, hi_items)


@pytest.mark.parametrize(
    "meals",
    [list(c) for r in range(1, len(SLOTS) + 1) for c in itertools.combinations(SLOTS, r)],
    ids=lambda m: "+".join(m),
)
def test_energy_shares_can_add_up_to_the_whole_day(meals):
    """For every choice of meals, some split of the day's energy fits every slot's share range."""
    profile, targets = make(meals=meals)
    slots = R.plan_rules(profile, targets).slots
    lows = sum(s.energy_share[0] for s in slots)
    highs = sum(s.energy_share[1] for s in slots)
    assert lows <= 1.0 + 1e-9 <= highs + 2e-9
    for s in slots:
        lo, hi = s.energy_share
        assert 0 < lo < hi <= 1.0


def test_full_day_shares_are_the_defaults_scaled():
    profile, targets = make(meals=["breakfast", "lunch", "dinner", "snack"])
    # Midpoints 0.25 + 0.30 + 0.35 + 0.125 = 1.025: every bound is scaled by 1 / 1.025.
    shares = {s.name: s.energy_share for s in R.plan_rules(profile, targets).slots}
    assert shares["lunch"] == (round(0.20 / 1.025, 4), round(0.40 / 1.025, 4))
    assert shares["snack"] == (round(0.05 / 1.025, 4), round(0.20 / 1.025, 4))


def test_profile_choices_are_recorded():
    profile, targets = make(
        diet="vegan",
        allergies=["lactose", "peanuts"],
        exclude=["grapefruit"],
        dislikes=["okra"],
        likes=["kale*"],
        budget=9.5,
        nutrients={"vitamin_d": {"min": 20}},
    )
    rules = R.plan_rules(profile, targets, objective="cost", max_days_per_food=2, min_distinct_foods=5)
    assert rules.diet == "vegan"
    assert rules.allergies == ["milk", "peanuts"]  # "lactose" is a synonym of milk
    assert (rules.exclude, rules.dislikes, rules.likes) == (["grapefruit"], ["okra"], ["kale*"])
    assert (rules.budget, rules.objective) == (9.5, "cost")
    assert (rules.max_days_per_food, rules.min_distinct_foods_per_day) == (2, 5)


@pytest.mark.parametrize(
    ("meals", "distinct"),
    [(["lunch"], 5), (["breakfast", "snack"], 7), (["lunch", "dinner"], 8), (["breakfast", "lunch", "dinner"], 8)],
)
def test_distinct_foods_never_exceed_what_the_meals_hold(meals, distinct):
    """One meal of at most five items cannot hold eight different foods."""
    profile, targets = make(meals=meals)
    rules = R.plan_rules(profile, targets)
    assert rules.min_distinct_foods_per_day == distinct
    assert rules.min_distinct_foods_per_day <= sum(s.max_items for s in rules.slots)


def test_unknown_objective_falls_back_to_shortfall():
    profile, targets = make()
    assert R.plan_rules(profile, targets, objective="weight").objective == "shortfall"


@pytest.mark.parametrize(
    ("name", "fam"),
    [
        ("Soymilk (all flavors), enhanced", "soymilk"),
        ("Soymilk, original and vanilla, with added calcium", "soymilk"),
        ("Coffee, brewed from grounds", "coffee"),
        ("Milk (cow's), whole", "milk"),
        ("Tofu", "tofu"),
    ],
)
def test_family(name, fam):
    assert family(name) == fam


@pytest.mark.parametrize(("slot", "kind"), [("snack2", "snack"), ("lunch", "lunch"), ("breakfast", "breakfast")])
def test_slot_kind(slot, kind):
    assert slot_kind(slot) == kind
