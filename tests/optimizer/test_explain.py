"""Explaining plans: the energy-cap bound, the causes of a shortfall, and the conflict error."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mealplan.errors import ConflictError
from mealplan.food_data.table import Rows
from mealplan.optimizer.candidates import eligible_foods
from mealplan.optimizer.explain import conflict_error, energy_bound, explain_shortfall
from tests.optimizer.conftest import target, tiny_rules, tiny_table


def knapsack_foods(calcium: tuple[float, float, float] = (100.0, 300.0, 10.0)) -> Rows:
    """A: 100 mg/100 g at 50 kcal (≤ 200 g); B: 300 mg at 300 kcal (≤ 100 g); C: 10 mg at 0 kcal (≤ 100 g)."""
    columns = {"calcium": calcium, "energy": (50.0, 300.0, 0.0), "max_g": (200.0, 100.0, 100.0)}
    return Rows(np.array(["A", "B", "C"], dtype=object), {c: np.array(v) for c, v in columns.items()})


@pytest.mark.parametrize(
    ("energy_max", "expected"),
    [
        # C is free (10 mg); A next (2 mg/kcal): 200 g, 100 kcal, 200 mg; B (1 mg/kcal) takes what is left.
        (500.0, 10 + 200 + 300),  # B capped at 100 g (300 kcal)
        (250.0, 10 + 200 + 150),  # 150 kcal left: 50 g of B
        (50.0, 10 + 100),  # 100 g of A
        (0.0, 0.0),  # no energy at all: the loop stops at once
    ],
)
def test_energy_bound_by_hand(energy_max, expected):
    assert energy_bound(knapsack_foods(), "calcium", energy_max) == pytest.approx(expected)


def test_energy_bound_without_the_nutrient_is_zero():
    assert energy_bound(knapsack_foods(), "vitamin_d", 2000.0) == 0.0
    assert energy_bound(knapsack_foods((math.nan,) * 3), "calcium", 2000.0) == 0.0


def explain(table, rules, nutrient, goal, achieved, energy_max=1800.0, unit="µg"):
    elig = eligible_foods(table, rules)
    return explain_shortfall(
        target(nutrient, goal),
        "day 1",
        goal,
        achieved,
        table=table,
        allowed=elig.allowed,
        blocked=elig.blocked,
        energy_max=energy_max,
    )


def test_vegan_b12_shortfall_names_diet_energy_and_missing_data():
    table = tiny_table()
    s = explain(table, tiny_rules(diet="vegan"), "vitamin_b12", 2.4, 0.0)
    assert (s.nutrient, s.name, s.unit, s.scope) == ("vitamin_b12", "Vitamin B12", "µg", "day 1")
    assert (s.target, s.achieved, s.short_by, s.pct_of_target) == (2.4, 0.0, 2.4, 0.0)
    assert s.causes[0] == (
        "food rules keep out the richest sources: Salmon, baked (diet (vegan)); Milk, nonfat (diet (vegan)); "
        "Milk, whole (diet (vegan))"
    )
    assert s.causes[1] == "energy cap with portion limits: within 1800 kcal the allowed foods can give at most 0 µg"
    assert len(s.causes) == 2  # only lentils lack a B12 value: 1 of 10 allowed foods, under the 30 % mark
    assert [(f.food_id, f.blocked_by) for f in s.would_close] == [
        ("t_salmon", "diet (vegan)"),
        ("t_skim", "diet (vegan)"),
        ("t_milk", "diet (vegan)"),
    ]
    assert s.would_close[0].per_serving == pytest.approx(4.5)


def test_missing_data_is_a_cause_when_many_allowed_foods_lack_a_value():
    table = tiny_table(**{f: {"vitamin_d": math.nan} for f in ("t_oat", "t_bread", "t_rice", "t_banana", "t_oil")})
    s = explain(table, tiny_rules(), "vitamin_d", 15.0, 0.0)
    # Unknown in the three dairy foods, chicken and salmon (fixture) and the five above: 10 of 15.
    assert "missing data: 10 of 15 allowed foods have no Vitamin D value (counted as 0)" in s.causes
    assert any(c.startswith("energy cap with portion limits") for c in s.causes)
    assert s.would_close == []


def test_balance_is_the_cause_when_nothing_else_explains_it():
    table = tiny_table()
    # Calcium: plenty within the energy cap, every food allowed, every value known.
    s = explain(table, tiny_rules(), "calcium", 1000.0, 900.0, unit="mg")
    assert s.causes == ["balance with the other targets, energy range and meal structure"]
    assert s.short_by == pytest.approx(100.0) and s.pct_of_target == pytest.approx(90.0)


def test_blocked_rich_foods_plus_balance_when_the_cap_is_not_binding():
    table = tiny_table()
    s = explain(table, tiny_rules(allergies=["soy"]), "calcium", 1000.0, 950.0, unit="mg")
    assert s.causes[0].startswith("food rules keep out the richest sources: Tofu, firm (allergy (soy))")
    assert s.causes[-1] == "balance with the other targets, energy range and meal structure"
    assert s.would_close[0].food_id == "t_tofu"
    assert s.would_close[0].per_serving == pytest.approx(683 * 1.26)


def test_conflict_error_names_positive_slacks_largest_first():
    err = conflict_error({"budget": 2.0, "energy at most 100 kcal": 350.0, "vegetables": 0.0, "tiny": 1e-9}, 3)
    assert isinstance(err, ConflictError) and err.exit_code == 3
    assert err.problems == ["energy at most 100 kcal", "budget"]
    assert str(err) == (
        "No plan for day 3 can satisfy every hard rule. These rules conflict (relaxing them restores a plan); "
        "change the profile's energy, nutrient overrides, exclusions, meals or budget:\n"
        "  - energy at most 100 kcal\n"
        "  - budget"
    )


def test_conflict_error_without_a_named_rule_still_says_what_to_check():
    err = conflict_error({}, 1)
    assert err.problems == ["no single rule could be relaxed to restore feasibility (check the food table)"]
