"""Energy targets (issue 14, section 4): the EER with its source, the +-5 % aim inside the +-10 %
range, poor appetite (profile field or triage symptom) and the fibre ceilings."""

from __future__ import annotations

import pytest

from mealplan.errors import ConfigError
from mealplan.targets.compute import compute_targets
from mealplan.targets.profile_files import profile_from_dict
from mealplan.triage import TriageInput, run_triage


def person(**fields):
    return profile_from_dict({"id": "t", "age": 30, "sex": "male", "weight_kg": 70, "height_cm": 177, **fields})


def test_energy_is_the_nasem_eer_with_its_source():
    tg = compute_targets(person(activity="active"))
    assert tg.energy_kcal == pytest.approx(2947.7, abs=0.05)
    assert tg.energy_source.startswith("NASEM 2023 EER, adults 19+, active (activity active)")
    assert "aim +-5%, range +-10%" in tg.energy_source


def test_aim_is_five_percent_inside_the_ten_percent_range():
    tg = compute_targets(person(energy_kcal=2000))
    assert (tg.energy_min, tg.energy_max) == (1800, 2200)
    assert (tg.energy_goal_min, tg.energy_goal_max) == (1900, 2100)
    odd = compute_targets(person())  # rounded inward: a day at the aim's edge is within 5 %
    assert odd.energy_goal_min >= odd.energy_kcal * 0.95 and odd.energy_goal_max <= odd.energy_kcal * 1.05


def test_a_dietitian_range_bounds_the_aim():
    narrow = compute_targets(person(energy_kcal=2000, nutrients={"energy": {"max": 2050}}))
    assert (narrow.energy_goal_min, narrow.energy_goal_max) == (1900, 2050)
    away = compute_targets(person(energy_kcal=2000, nutrients={"energy": {"min": 2300, "max": 2500}}))
    assert (away.energy_goal_min, away.energy_goal_max) == (2300, 2500)


def test_pregnancy_adds_the_trimester_increment_with_its_source():
    woman = {"sex": "female", "weight_kg": 60, "height_cm": 165}
    base = compute_targets(person(**woman)).energy_kcal
    third = compute_targets(person(**woman, pregnant=True, trimester=3))
    assert third.energy_kcal == pytest.approx(base + 452, abs=0.1)
    assert "+ 452 kcal (pregnancy, trimester 3; IOM 2005)" in third.energy_source


def test_poor_appetite_from_the_profile():
    tg = compute_targets(person(appetite="poor"))
    assert tg.appetite == "poor" and tg.appetite_source == "profile (appetite: poor)"
    assert tg.food_mass_max_g == pytest.approx(tg.energy_kcal / 1.5, abs=0.1)
    assert "kcal per g of food and drink" in tg.food_mass_source
    normal = compute_targets(person())
    assert normal.appetite == "normal" and normal.food_mass_max_g is None


def test_poor_appetite_from_a_triage_result():
    triage = run_triage(TriageInput(symptoms=["poor-appetite", "muscle-cramps"]))
    tg = compute_targets(person(), triage)
    assert tg.appetite == "poor" and tg.appetite_source == "triage symptom poor-appetite"


def test_appetite_value_is_checked():
    with pytest.raises(ConfigError) as info:
        profile_from_dict({"id": "t", "age": 30, "sex": "male", "appetite": "tiny"})
    assert "appetite" in str(info.value) + " ".join(info.value.problems)


def test_fibre_ceiling_for_everyone_and_poor_appetite():
    tg = compute_targets(person(energy_kcal=2000))
    fib = tg.items["fiber"]
    assert fib.min == 38 and fib.max == pytest.approx(56.0)
    assert fib.max_source.startswith("fibre ceiling: twice the AI basis")
    poor = compute_targets(person(energy_kcal=2000, appetite="poor")).items["fiber"]
    # 14 g per 1000 kcal is 28 g, below the men's AI of 38 g: the ceiling is the AI.
    assert poor.max == 38 and poor.min == 38 and "raised to the AI" in poor.max_source


def test_fibre_ceiling_stays_above_a_raised_goal_and_yields_to_the_dietitian():
    raised = compute_targets(person(energy_kcal=1400, suspected=["fiber"])).items["fiber"]
    assert raised.max >= raised.min > 38
    told = compute_targets(person(nutrients={"fiber": {"max": 45}})).items["fiber"]
    assert told.max == 45 and told.max_source == "dietitian override"
