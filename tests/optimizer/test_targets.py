"""Targets: reference intakes as bounds, UL rules, suspected raises, overrides, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

import mealplan.targets.compute as targets_mod
from mealplan.errors import ConfigError
from mealplan.food_data.reference import life_stages, reference_intakes
from mealplan.targets.compute import RAISABLE, compute_targets, load_triage, run_profile_triage
from mealplan.targets.model import GOAL_CEILING, Target
from mealplan.targets.profile_files import load_profile, profile_from_dict
from mealplan.triage import Reason, SuspectedNutrient, TriageInput, TriageResult, run_triage

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "profiles").glob("*.yaml")) + sorted(
    p for p in (ROOT / "examples" / "batch").iterdir() if p.suffix in (".yaml", ".toml", ".json")
)


def person(**fields):
    return profile_from_dict({"id": "t", **fields})


def triage_for(scores: dict[str, float], factors: list[str] | None = None) -> TriageResult:
    """A TriageResult built through the real models, with chosen scores."""
    return TriageResult(
        input=TriageInput(factors=factors or []),
        suspected=[
            SuspectedNutrient(
                nutrient=n,
                score=s,
                reasons=[Reason(source="muscle-cramps", kind="symptom", why="test reason")],
            )
            for n, s in scores.items()
        ],
        red_flags=[],
        notes=[],
        blood_tests=[],
        disclaimer="test",
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_gets_targets(path):
    profile = load_profile(path)
    tg = compute_targets(profile, run_profile_triage(profile))
    assert tg.profile_id == profile.id
    assert tg.energy_min < tg.energy_kcal < tg.energy_max
    for key in ("magnesium", "calcium", "potassium", "vitamin_d", "vitamin_b12"):
        t = tg.items[key]
        if t.min is None:  # a condition makes it a limit, not a goal (kidney disease: potassium)
            assert t.min_source.startswith("not a goal") and t.max is not None, key
            continue
        assert t.min > 0
        assert t.max is None or t.min <= t.max
    assert tg.items["vitamin_d"].weekly and tg.items["vitamin_b12"].weekly and not tg.items["magnesium"].weekly


def test_minimums_are_the_published_values_and_provenance():
    tg = compute_targets(person(age=35, sex="female"))
    assert tg.life_stage == "women 31-50"
    mg = tg.items["magnesium"]
    assert (mg.min, mg.max, mg.unit) == (320, None, "mg")
    assert mg.min_source == "RDA, women 31-50"
    assert mg.max_source == "UL applies to supplements only, not set"
    assert mg.priority == 1 and not mg.suspected
    k = compute_targets(person(age=60, sex="male")).items["potassium"]
    assert (k.min, k.max, k.min_source, k.max_source) == (3400, None, "AI (2019), men 51-70", "no UL")


def test_upper_limits_that_apply_to_food():
    at30 = compute_targets(person(age=30, sex="female")).items
    at60 = compute_targets(person(age=60, sex="female")).items
    # A food UL is kept as the target's `ul`; the maximum keeps a 10 % margin below it.
    assert (at30["calcium"].max, at30["calcium"].ul) == (2250, 2500)
    assert at30["calcium"].max_source == "90 % of the UL (2,500 mg), women 19-30: ULs are not goals (IOM 2003)"
    assert (at60["calcium"].max, at60["calcium"].ul) == (1800, 2000)
    assert (at30["vitamin_d"].max, at30["vitamin_d"].ul) == (90, 100)
    assert at30["magnesium"].max is None
    assert at30["folate"].max is None and at30["niacin"].max is None and at30["vitamin_e"].max is None
    assert at30["vitamin_a"].max is None and "retinol" in at30["vitamin_a"].max_source
    assert at30["retinol"].max == 2700 and at30["retinol"].ul == 3000 and at30["retinol"].min is None
    assert at30["sodium"].max == 2300 and at30["sodium"].max_source == "CDRR (sodium), women 19-30"
    assert at30["sodium"].min == 1500


def test_sodium_cap_lifted_for_heavy_sweating():
    tg = compute_targets(person(age=30, sex="male", factors=["heavy-sweating"]))
    na = tg.items["sodium"]
    assert na.max is None and "not applied: heavy-sweating" in na.max_source
    assert na.min == 1500
    athlete = load_profile(ROOT / "examples" / "profiles" / "endurance_athlete.yaml")
    assert compute_targets(athlete, run_profile_triage(athlete)).items["sodium"].max is None


def test_protein_from_body_weight():
    assert compute_targets(person(age=40, sex="male", weight_kg=90)).items["protein"].min == pytest.approx(72)
    heavy = compute_targets(person(age=40, sex="male", weight_kg=90)).items["protein"]
    assert heavy.min_source == "RDA 0.8 g/kg x 90 kg, men 31-50"
    light = compute_targets(person(age=40, sex="female", weight_kg=50)).items["protein"]
    assert light.min == 46 and light.min_source == "RDA, women 31-50"
    preg = compute_targets(person(age=30, sex="female", pregnant=True, weight_kg=70)).items["protein"]
    assert preg.min == pytest.approx(77)  # 1.1 g/kg x 70 kg beats 71 g


def test_energy_range_and_overrides():
    tg = compute_targets(person(age=30, sex="female", weight_kg=60, height_cm=165, activity="sedentary"))
    # NASEM 2023, woman, inactive: 584.90 - 7.01 * 30 + 5.72 * 165 + 11.71 * 60 = 2,021.0.
    assert tg.energy_kcal == pytest.approx(2021.0)
    assert (tg.energy_min, tg.energy_max) == (pytest.approx(1818.9, abs=0.1), pytest.approx(2223.1, abs=0.1))
    assert tg.energy_source.startswith("NASEM 2023 EER, adults 19+, inactive (activity sedentary)")
    assert tg.amdr == {"protein": (10, 35), "fat": (20, 35), "carbohydrate": (45, 65)}
    fixed = compute_targets(person(age=30, sex="female", energy_kcal=2000))
    assert (fixed.energy_min, fixed.energy_max) == (1800, 2200)
    assert fixed.energy_source.startswith("dietitian override (energy_kcal)")
    ranged = compute_targets(person(age=30, sex="female", energy_kcal=2000, nutrients={"energy": {"max": 2100}}))
    assert (ranged.energy_min, ranged.energy_max) == (1800, 2100)
    assert "energy" not in ranged.items


def test_suspected_from_triage_raises_goal_and_priority():
    tg = compute_targets(person(age=35, sex="female"), triage_for({"magnesium": 5, "calcium": 2.5}))
    mg, ca = tg.items["magnesium"], tg.items["calcium"]
    assert mg.suspected and mg.priority == pytest.approx(5)
    assert mg.min == pytest.approx(320 * 1.2)
    assert mg.min_source == "raised: suspected deficiency (triage); RDA, women 31-50 + 20 %"
    # Half strength: priority 1 + 4 * 0.5 = 3, raise 15 %.
    assert ca.priority == pytest.approx(3) and ca.min == pytest.approx(1000 * 1.15)
    assert not tg.items["zinc"].suspected and tg.items["zinc"].priority == 1


def test_hand_listed_suspected_counts_in_full():
    tg = compute_targets(person(age=35, sex="female", suspected=["b12"]))
    b12 = tg.items["vitamin_b12"]
    assert b12.suspected and b12.priority == 5 and b12.min == pytest.approx(2.4 * 1.2)
    assert "(profile)" in b12.min_source


def test_iron_priority_rises_but_goal_is_kept():
    fe = compute_targets(person(age=35, sex="female"), triage_for({"iron": 10})).items["iron"]
    assert fe.min == 18 and fe.priority == 5 and "goal kept" in fe.min_source


def test_potassium_not_raised_on_diuretics():
    k = compute_targets(person(age=74, sex="male", factors=["diuretics"]), triage_for({"potassium": 6})).items[
        "potassium"
    ]
    assert k.min == 3400 and k.priority == 5 and "diuretics: ask the prescriber" in k.min_source


def test_suspected_raise_stays_below_food_ul(monkeypatch):
    # A huge raise factor makes the UL margin the binding rule.
    monkeypatch.setattr(targets_mod, "RAISE_GAIN", 10.0)
    tg = compute_targets(person(age=60, sex="female"), triage_for({"calcium": 5, "vitamin_d": 5, "magnesium": 5}))
    assert tg.items["calcium"].min == pytest.approx(GOAL_CEILING * 0.9 * 2000)
    assert tg.items["vitamin_d"].min == pytest.approx(GOAL_CEILING * 0.9 * 100)
    assert tg.items["magnesium"].max is None and tg.items["magnesium"].min == pytest.approx(320 * 11.1)


@pytest.mark.parametrize("stage_age", [2, 6, 11, 16, 25, 40, 60, 80])
def test_raised_goals_respect_every_food_maximum(stage_age):
    for sex in ("female", "male"):
        tg = compute_targets(person(age=stage_age, sex=sex, suspected=sorted(RAISABLE)))
        intakes = reference_intakes(stage_age, sex)
        for nid in RAISABLE:
            t = tg.items[nid]
            assert t.min > intakes[nid].amount
            if t.max is not None:
                assert t.min <= GOAL_CEILING * t.max


def test_dietitian_override_wins():
    p = load_profile(ROOT / "examples" / "profiles" / "dietitian_adjusted.yaml")
    tg = compute_targets(p, run_profile_triage(p))
    mg = tg.items["magnesium"]
    assert mg.min == 400 and mg.min_source == "dietitian override" and mg.suspected
    assert tg.items["sodium"].max == 2000 and tg.items["sodium"].max_source == "dietitian override"
    assert tg.items["sodium"].min_source == "AI, women 51-70"
    assert (tg.items["vitamin_d"].min, tg.items["vitamin_d"].max) == (20, 50)
    sat = tg.items["saturated_fat"]
    assert (sat.min, sat.max, sat.unit, sat.min_source) == (None, 20, "g", "not set")
    assert tg.items["calcium"].min == 1300 and tg.items["calcium"].max == 1800
    assert tg.energy_kcal == 1800


def test_override_conflict_names_both_bounds():
    p = person(age=30, sex="female", nutrients={"calcium": {"min": 3000}, "zinc": {"max": 5}})
    with pytest.raises(ConfigError) as exc:
        compute_targets(p)
    assert exc.value.problems == [
        "nutrients.calcium: min 3,000 mg (dietitian override) is above max 2,250 mg (90 % of the UL (2,500 mg), "
        "women 19-30: ULs are not goals (IOM 2003)); "
        "lower nutrients.calcium.min or set nutrients.calcium.max",
        "nutrients.zinc: min 8 mg (RDA, women 19-30) is above max 5 mg (dietitian override); "
        "lower nutrients.zinc.min or set nutrients.zinc.max",
    ]
    assert exc.value.exit_code == 2


def test_target_model_rejects_min_above_max():
    with pytest.raises(ValueError, match="min 5 is above max 3"):
        Target(
            nutrient="zinc", name="Zinc", unit="mg", min=5, max=3, min_source="x", max_source="y",
            priority=1, weekly=False, suspected=False,
        )  # fmt: skip


def test_every_life_stage_has_consistent_targets():
    cases = {"children": (2, "female"), "boys": (12, "male"), "girls": (15, "female"), "men": (45, "male"),
             "women": (80, "female")}  # fmt: skip
    assert len(life_stages()) == 20
    for age, sex in cases.values():
        tg = compute_targets(person(age=age, sex=sex))
        for t in tg.items.values():
            assert t.min is None or t.max is None or t.min <= t.max


def test_load_triage_round_trip_and_errors(tmp_path):
    result = run_triage(TriageInput(symptoms=["muscle-cramps"], factors=["vegan"]))
    saved = tmp_path / "mealplan.triage.json"
    saved.write_text(result.model_dump_json(), encoding="utf-8")
    assert load_triage(saved) == result
    bad = tmp_path / "bad.json"
    bad.write_text('{"suspected": []}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.json: not a saved triage result"):
        load_triage(bad)
    with pytest.raises(ConfigError, match=r"missing.json: triage result not found"):
        load_triage(tmp_path / "missing.json")
