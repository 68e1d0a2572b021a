"""Eligibility (with the first rule that keeps each food out), pattern matching and preselection."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from mealplan.food_data.table import FoodTable
from mealplan.optimizer.candidates import (
    coverage_scores,
    eligible_foods,
    nutrient_matrix,
    pattern_mask,
    preselect,
    richest_blocked,
)
from tests.optimizer.conftest import TINY_FOODS, tiny_rules, tiny_table, tiny_targets


def test_everything_allowed_for_an_omnivore_without_rules(tiny):
    elig = eligible_foods(tiny, tiny_rules())
    assert list(elig.allowed.index) == list(TINY_FOODS)
    assert elig.blocked == {}


def test_diet_levels(tiny):
    vegan = eligible_foods(tiny, tiny_rules(diet="vegan"))
    assert set(vegan.blocked) == {"t_milk", "t_skim", "t_yogurt", "t_chicken", "t_salmon"}
    assert set(vegan.blocked.values()) == {"diet (vegan)"}
    vegetarian = eligible_foods(tiny, tiny_rules(diet="vegetarian"))
    assert set(vegetarian.blocked) == {"t_chicken", "t_salmon"}
    pescatarian = eligible_foods(tiny, tiny_rules(diet="pescatarian"))
    assert dict(pescatarian.blocked) == {"t_chicken": "diet (pescatarian)"}


def test_allergies_name_the_allergen(tiny):
    elig = eligible_foods(tiny, tiny_rules(allergies=["milk", "soy", "fish"]))
    assert dict(elig.blocked) == {
        "t_milk": "allergy (milk)",
        "t_skim": "allergy (milk)",
        "t_yogurt": "allergy (milk)",
        "t_salmon": "allergy (fish)",
        "t_tofu": "allergy (soy)",
    }


def test_several_allergens_of_one_food_are_all_named():
    table = tiny_table(t_bread={"allergens": "gluten;soy;sesame"})
    elig = eligible_foods(table, tiny_rules(allergies=["sesame", "gluten"]))
    assert elig.blocked["t_bread"] == "allergy (gluten, sesame)"
    assert elig.blocked["t_oat"] == "allergy (gluten)"


def test_exclude_and_dislike_patterns(tiny):
    rules = tiny_rules(exclude=["t_rice", "spinach*"], dislikes=["BROCCOLI", "olive"])
    elig = eligible_foods(tiny, rules)
    assert dict(elig.blocked) == {
        "t_rice": "excluded ('t_rice')",  # by id
        "t_spinach": "excluded ('spinach*')",  # glob on the name, case-insensitive
        "t_spinach_raw": "excluded ('spinach*')",
        "t_broccoli": "disliked ('BROCCOLI')",  # substring, case-insensitive
        "t_oil": "disliked ('olive')",
    }
    # A substring is a substring: "oil" would also catch "Lentils, boiled".
    oil = eligible_foods(tiny, tiny_rules(dislikes=["oil"])).blocked
    assert set(oil) == {"t_oil", "t_lentil"}


def test_first_rule_wins():
    # Chicken is not in the planner set, not omnivore-free, excluded and disliked: only the first counts.
    table = tiny_table(t_chicken={"planner": False}, t_milk={"energy": math.nan})
    rules = tiny_rules(diet="vegan", allergies=["milk"], exclude=["chicken", "milk"], dislikes=["chicken"])
    blocked = eligible_foods(table, rules).blocked
    assert blocked["t_chicken"] == "not in the planner set (not as eaten or not suitable)"
    assert blocked["t_milk"] == "no energy value"
    assert blocked["t_skim"] == "diet (vegan)"  # also milk allergy and excluded
    assert blocked["t_salmon"] == "diet (vegan)"


def test_allergy_before_exclusion():
    blocked = eligible_foods(tiny_table(), tiny_rules(allergies=["soy"], exclude=["tofu"])).blocked
    assert blocked["t_tofu"] == "allergy (soy)"


def test_user_foods_need_no_planner_flag():
    table = tiny_table(t_rice={"planner": False, "source": "my_foods.csv"}, t_oat={"planner": False})
    elig = eligible_foods(table, tiny_rules())
    assert "t_rice" in elig.allowed.index
    assert elig.blocked["t_oat"].startswith("not in the planner set")


def test_unusable_serving_sizes_are_blocked():
    # No serving; and a daily maximum below half a serving (the smallest portion).
    table = tiny_table(t_oat={"serving_g": math.nan}, t_banana={"max_g": 50.0})
    blocked = eligible_foods(table, tiny_rules()).blocked
    assert dict(blocked) == {"t_oat": "no usable serving size", "t_banana": "no usable serving size"}


def test_allowed_and_blocked_partition_the_table(tiny):
    rules = tiny_rules(diet="vegetarian", allergies=["gluten"], exclude=["rice"], dislikes=["Tofu"])
    elig = eligible_foods(tiny, rules)
    assert set(elig.allowed.index).isdisjoint(elig.blocked)
    assert set(elig.allowed.index) | set(elig.blocked) == set(tiny.foods.index)
    assert all(elig.blocked.values())
    assert list(elig.blocked) == [f for f in tiny.foods.index if f in elig.blocked]  # table order


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("t_milk", {"t_milk"}),
        ("milk", {"t_milk", "t_skim"}),
        ("Milk, *", {"t_milk", "t_skim"}),
        ("*, cooked", {"t_spinach", "t_broccoli", "t_rice"}),
        ("spinach", {"t_spinach", "t_spinach_raw"}),
        ("spinach, [r]aw", {"t_spinach_raw"}),
        ("tofu?", set()),
        ("t_mil", set()),  # an id must match whole; "t_mil" is not in any name
    ],
)
def test_pattern_mask(tiny, pattern, expected):
    mask = pattern_mask([pattern], tiny.rows)
    assert len(mask) == len(tiny.rows)
    assert set(tiny.rows.ids[mask]) == expected


def test_pattern_mask_of_several_patterns_is_their_union(tiny):
    mask = pattern_mask(["t_oat", "banana"], tiny.rows)
    assert set(tiny.rows.ids[mask]) == {"t_oat", "t_banana"}
    assert not pattern_mask([], tiny.rows).any()


def test_nutrient_matrix_counts_unknown_as_zero(tiny):
    mat = nutrient_matrix(tiny.rows.take(["t_lentil", "t_milk"]), ["vitamin_b12", "calcium", "not_a_column"])
    assert mat.tolist() == [[0.0, 19.0, 0.0], [0.45, 113.0, 0.0]]


def test_coverage_score_by_hand():
    """One nutrient, one food: tofu's serving (126 g) has 860.58 mg calcium of a 1000 mg goal."""
    targets = tiny_targets(calcium=(1000.0, None))
    table = tiny_table()
    foods = table.rows.take(["t_tofu", "t_milk"])
    only_calcium = targets.model_copy(update={"items": {"calcium": targets.items["calcium"]}})
    score, density = coverage_scores(foods, only_calcium)
    assert score == pytest.approx([0.86058, 113 * 2.44 / 1000])
    assert density == pytest.approx([0.86058 / (144 * 1.26) * 100, 113 * 2.44 / 1000 / (61 * 2.44) * 100])


def test_preselect_is_deterministic_and_independent_of_row_order(tiny):
    targets = tiny_targets()
    allowed = eligible_foods(tiny, tiny_rules()).allowed
    first = preselect(allowed, targets, per_category=1)
    shuffled = allowed.take(np.random.default_rng(3).permutation(allowed.index))
    again = preselect(shuffled, targets, per_category=1)
    assert list(first.index) == list(again.index) == sorted(first.index)
    # At least one food of every category, at most two (best per serving and best per kcal).
    counts = Counter(first["category"])
    assert set(counts) == set(allowed["category"])
    assert max(counts.values()) <= 2


def test_preselect_keeps_keep_foods_unless_banned(tiny):
    targets = tiny_targets()
    allowed = eligible_foods(tiny, tiny_rules()).allowed
    base = set(preselect(allowed, targets, per_category=1).index)
    grains = {"t_oat", "t_bread", "t_rice"}
    outsider = sorted(grains - base)[0]  # a grain that is neither the best per serving nor per kcal
    kept = preselect(allowed, targets, per_category=1, keep={outsider, "not_a_food"})
    assert set(kept.index) == base | {outsider}
    banned = preselect(allowed, targets, per_category=1, keep={outsider}, banned={outsider, "t_tofu"})
    assert outsider not in banned.index and "t_tofu" not in banned.index
    assert "t_lentil" in banned.index  # the next legume takes tofu's place


def test_preselect_takes_everything_when_categories_are_small(tiny):
    allowed = eligible_foods(tiny, tiny_rules()).allowed
    assert list(preselect(allowed, tiny_targets(), per_category=10).index) == sorted(allowed.index)


def test_richest_blocked_suggests_planner_foods_only():
    table = tiny_table(t_yogurt={"planner": False})
    elig = eligible_foods(table, tiny_rules(diet="vegan"))
    found = richest_blocked(table, elig.blocked, "vitamin_b12")
    # Per serving: salmon 4.5 µg, milk 1.098, skim 1.225, chicken 0.34; yogurt is not a planner food.
    assert [(fid, round(amount, 4), why) for fid, _, amount, why in found] == [
        ("t_salmon", 4.5, "diet (vegan)"),
        ("t_skim", 1.225, "diet (vegan)"),
        ("t_milk", 1.098, "diet (vegan)"),
    ]
    assert richest_blocked(table, elig.blocked, "vitamin_d") == []  # nobody has any
    assert richest_blocked(table, elig.blocked, "no_such_nutrient") == []
    assert richest_blocked(table, {}, "calcium") == []


def test_coverage_scores_without_targets_are_zero(tiny):
    empty = tiny_targets().model_copy(update={"items": {}})
    score, density = coverage_scores(tiny.rows, empty)
    assert np.all(score == 0) and np.all(density == 0)


def test_tiny_table_is_a_food_table(tiny):
    assert isinstance(tiny, FoodTable)
    assert tiny.nutrient_columns[:2] == ["energy", "protein"]


@pytest.mark.parametrize("patterns", [["*liver*"], ["grapefruit"], ["09040"], ["kale*", "Salmon"], ["beef, [gr]*"]])
def test_vectorised_pattern_mask_agrees_with_food_matches(patterns):
    from mealplan.food_data.matching import food_matches
    from mealplan.food_data.table import load_bundled
    from mealplan.optimizer.candidates import pattern_mask

    foods = load_bundled().rows
    expected = [any(food_matches(p, i, n) for p in patterns) for i, n in zip(foods.index, foods["name"], strict=True)]
    assert pattern_mask(patterns, foods).tolist() == expected


def test_the_person_rules_are_found_once_per_table_and_agree_with_a_fresh_look(monkeypatch):
    """A second plan on the same table reads the kept verdicts (a diet, an allergy set, a pattern),
    and they are the verdicts a fresh table gives."""
    from mealplan.optimizer import candidates

    table = tiny_table()
    rules = tiny_rules(diet="vegetarian", allergies=["gluten"], dislikes=["oil", "*tofu*"])
    first = eligible_foods(table, rules)
    calls = []
    real = candidates.pattern_mask
    monkeypatch.setattr(candidates, "pattern_mask", lambda *a: calls.append(a) or real(*a))
    again = eligible_foods(table, rules)
    assert calls == []
    assert again.blocked == first.blocked == eligible_foods(tiny_table(), rules).blocked
    assert "t_tofu" in again.blocked and again.blocked["t_chicken"] == "diet (vegetarian)"
    assert again.person.tolist() == candidates.person_blocks(tiny_table().rows, rules).tolist()
