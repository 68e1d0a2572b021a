"""The HEI-2020 scorer (food_data.hei): each component at zero, half and full points worked by hand,
the legume rule, the edge cases of the NCI algorithm, and days built from real bundled foods: a
USDA-pattern-like day scores in the 90s, a fast-food-like day low."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mealplan.food_data.food_groups import component_ids
from mealplan.food_data.hei import STANDARDS, hei2020, hei2020_of_foods
from mealplan.food_data.table import load_bundled

# A 1,000-kcal day with nothing in it but what a case sets: densities then equal amounts.
EMPTY = {"sodium_mg": 0.0, "saturated_fat_g": 0.0, "monounsaturated_fat_g": 0.0, "polyunsaturated_fat_g": 0.0}


def _score(component: str, groups: dict[str, float] | None = None, **nutrients: float) -> float:
    score = hei2020(groups or {}, 1000.0, **(EMPTY | nutrients))
    return score.component(component).points


FOOD_GROUP_CASES = [  # component, food-group totals at (zero, half, max) on a 1,000-kcal day
    ("total_fruits", "fruit_juice", 0.8),
    ("whole_fruits", "fruit_whole", 0.4),
    ("total_vegetables", "veg_other", 1.1),
    ("greens_and_beans", "veg_dark_green", 0.2),
    ("whole_grains", "grain_whole", 1.5),
    ("dairy", "dairy", 1.3),
    ("total_protein_foods", "poultry", 2.5),
    ("seafood_plant_proteins", "seafood_low_n3", 0.8),
]


@pytest.mark.parametrize(("component", "group", "standard"), FOOD_GROUP_CASES)
def test_adequacy_components_at_zero_half_and_full(component: str, group: str, standard: float) -> None:
    top = {s.id: s.max_points for s in STANDARDS}[component]
    assert _score(component, {group: 0.0}) == 0
    assert _score(component, {group: standard / 2}) == pytest.approx(top / 2)
    assert _score(component, {group: standard}) == pytest.approx(top)
    assert _score(component, {group: 3 * standard}) == pytest.approx(top)  # capped


@pytest.mark.parametrize(
    ("component", "best", "worst", "middle"),
    [  # amounts on a 1,000-kcal day giving 10, 0 and 5 points
        ("refined_grains", {"grain_refined": 1.8}, {"grain_refined": 4.3}, {"grain_refined": 3.05}),
        # added sugars: tsp-eq x 16 kcal; 6.5 % of 1,000 kcal = 65 kcal = 4.0625 tsp, 26 % = 16.25 tsp
        ("added_sugars", {"added_sugars": 4.0625}, {"added_sugars": 16.25}, {"added_sugars": (4.0625 + 16.25) / 2}),
    ],
)
def test_moderation_food_groups_at_both_ends(component: str, best: dict, worst: dict, middle: dict) -> None:
    assert _score(component, best) == pytest.approx(10)
    assert _score(component, {k: v / 2 for k, v in best.items()}) == pytest.approx(10)
    assert _score(component, worst) == pytest.approx(0)
    assert _score(component, {k: 2 * v for k, v in worst.items()}) == 0
    assert _score(component, middle) == pytest.approx(5)


def test_sodium_saturated_fat_and_fatty_acids_at_both_ends() -> None:
    # sodium g per 1,000 kcal: 1.1 -> 10, 2.0 -> 0
    assert _score("sodium", sodium_mg=1100) == pytest.approx(10)
    assert _score("sodium", sodium_mg=2000) == 0
    assert _score("sodium", sodium_mg=1550) == pytest.approx(5)
    # saturated fat, % of energy at 9 kcal/g: 8 % -> 10, 16 % -> 0
    assert _score("saturated_fats", saturated_fat_g=80 / 9) == pytest.approx(10)
    assert _score("saturated_fats", saturated_fat_g=160 / 9) == pytest.approx(0)
    assert _score("saturated_fats", saturated_fat_g=120 / 9) == pytest.approx(5)
    # (MUFA + PUFA) / SFA: 2.5 -> 10, 1.2 -> 0
    assert _score("fatty_acids", saturated_fat_g=10, monounsaturated_fat_g=15, polyunsaturated_fat_g=10) == 10
    assert _score("fatty_acids", saturated_fat_g=10, monounsaturated_fat_g=12) == 0
    assert _score("fatty_acids", saturated_fat_g=10, monounsaturated_fat_g=18.5) == pytest.approx(5)
    # no saturated fat: 10 with other fat, 0 with none (the NCI algorithm)
    assert _score("fatty_acids", monounsaturated_fat_g=5) == 10
    assert _score("fatty_acids") == 0


def test_legumes_count_as_vegetables_and_as_protein_foods() -> None:
    # HEI-2015/2020: legumes in all four components; 1 cup-eq = 4 oz-eq of protein foods
    score = hei2020({"legumes": 0.2}, 1000.0, **EMPTY)
    assert score.component("greens_and_beans").points == pytest.approx(5)
    assert score.component("total_vegetables").points == pytest.approx(5 * 0.2 / 1.1)
    assert score.component("total_protein_foods").amount == pytest.approx(0.8)
    assert score.component("total_protein_foods").points == pytest.approx(5 * 0.8 / 2.5)
    assert score.component("seafood_plant_proteins").points == pytest.approx(5)


def test_density_is_per_1000_kcal_and_no_energy_scores_nothing() -> None:
    a = hei2020({"fruit_whole": 0.8}, 2000.0, **EMPTY).component("whole_fruits")
    assert a.amount == pytest.approx(0.4) and a.points == pytest.approx(5)
    nothing = hei2020({"fruit_whole": 3.0}, 0.0, **(EMPTY | {"sodium_mg": 100.0}))
    assert nothing.total == 0


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match=r"food-group components \['fruit'\] are unknown; allowed: fruit_whole"):
        hei2020({"fruit": 1.0}, 1000.0, **EMPTY)
    with pytest.raises(ValueError, match="finite and not negative"):
        hei2020({"dairy": -1.0}, 1000.0, **EMPTY)


@settings(max_examples=60, deadline=None)
@given(
    groups=st.dictionaries(st.sampled_from(component_ids()), st.floats(0, 50), max_size=8),
    energy=st.floats(1, 6000),
    fats=st.tuples(st.floats(0, 100), st.floats(0, 100), st.floats(0, 100)),
    sodium=st.floats(0, 8000),
)
def test_total_is_the_sum_of_13_components_within_0_and_100(groups, energy, fats, sodium) -> None:
    s = hei2020(groups, energy, sodium, *fats)
    assert len(s.components) == 13 and sum(c.max_points for c in s.components) == 100
    assert s.total == pytest.approx(sum(c.points for c in s.components))
    assert all(0 <= c.points <= c.max_points for c in s.components) and 0 <= s.total <= 100


# A USDA-pattern-like 2,100-kcal day from the bundled table (grams eaten): oatmeal with milk, banana and
# walnuts; a whole-wheat chicken sandwich with romaine and tomato, an apple; salmon with brown rice,
# broccoli and squash; yogurt with blueberries; black beans; almonds; olive oil.
USDA_DAY = {
    "08121": 234, "01082": 244, "09040": 118, "12155": 14, "18075": 56, "05064": 85, "11251": 94, "11529": 120,
    "04053": 14, "09003": 182, "15237": 113, "20037": 195, "11091": 156, "11486": 205, "01117": 245, "09050": 148,
    "16015": 86, "12061": 28,
}  # fmt: skip
# A fast-food-like day: bagel with cream cheese and bacon; burger (white bun, 80 % lean beef, American cheese)
# with fries; milk chocolate, a glazed doughnut, white bread; two cans of lemon-lime soda.
FAST_DAY = {
    "18001": 105, "01017": 30, "10124": 24, "18350": 52, "23573": 100, "01042": 21, "11360": 150, "19120": 44,
    "18255": 60, "18069": 50, "14144": 740,
}  # fmt: skip


def test_a_usda_pattern_like_day_scores_in_the_90s_and_a_fast_food_day_low() -> None:
    table = load_bundled()
    good = hei2020_of_foods(table, USDA_DAY)
    assert 1900 < good.energy_kcal < 2300
    assert good.total >= 90, [(c.name, round(c.points, 1)) for c in good.components]
    bad = hei2020_of_foods(table, FAST_DAY)
    assert bad.total < 40, [(c.name, round(c.points, 1)) for c in bad.components]
    assert bad.component("added_sugars").amount > 15 and bad.component("whole_grains").points == 0
    # a week of the same day scores as the day (densities do not depend on the period)
    week = hei2020_of_foods(table, {f: 7 * g for f, g in USDA_DAY.items()})
    assert week.total == pytest.approx(good.total)
