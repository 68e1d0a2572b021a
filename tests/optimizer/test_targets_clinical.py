"""Issue 27 target rules: kidney disease by stage, warfarin, bariatric surgery, children, lactose
intolerance, heavy menstrual bleeding, pregnancy caffeine and fish, caffeine advice, hot drinks and
supplements already taken. One test (at least) per rule; each fails without its rule. Refusals name
the profile field a clinician must fill in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.targets.compute import compute_targets, run_profile_triage
from mealplan.targets.model import Targets
from mealplan.targets.profile_files import load_profile
from tests.optimizer.test_targets import person, triage_for

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "clinical"


def targets_of(**fields) -> Targets:
    profile = person(**fields)
    return compute_targets(profile, run_profile_triage(profile))


def refusal(**fields) -> list[str]:
    with pytest.raises(ConfigError) as err:
        targets_of(**fields)
    assert "a clinician must supply" in str(err.value)
    return err.value.problems


# --- kidney disease -------------------------------------------------------------------------------------

CKD_MAN = {"age": 67, "sex": "male", "weight_kg": 80}


def test_ckd_stage_3_protein_phosphorus_sodium_and_magnesium():
    tg = targets_of(**CKD_MAN, conditions={"ckd": {"egfr": 40}}, symptoms=["cramps"])
    p = tg.items["protein"]
    assert (p.min, p.max) == (44.0, 64.0)  # 0.55-0.8 g/kg x 80 kg
    assert "KDOQI 2020" in p.max_source and "KDIGO 2024" in p.max_source and "stage 3b" in p.max_source
    ph = tg.items["phosphorus"]
    assert ph.min is None and ph.max == 1000 and "KDOQI 2020" in ph.max_source
    assert tg.items["sodium"].max == 2300
    mg = tg.items["magnesium"]
    assert mg.min == 420 and mg.soft_max == 420 and "never raised" in mg.min_source  # never pushed
    assert "goal kept" in mg.min_source  # a suspected shortfall (cramps) raises its priority only
    k = tg.items["potassium"]
    assert k.max == pytest.approx(3740) and k.min == 3400  # the retention cap near the AI, never raised
    assert tg.conditions == ["kidney disease (stage 3b)"] and any(
        n.startswith("Kidney disease (stage 3b)") for n in tg.notes
    )


def test_ckd_protein_fits_inside_the_macro_ranges():
    tg = targets_of(**CKD_MAN, conditions={"ckd": {"stage": "3a"}})
    lo, _ = tg.amdr["protein"]
    assert lo * tg.energy_max / 400 <= tg.items["protein"].max  # the protein maximum is reachable
    assert "widened" in tg.amdr_source["protein"]


def test_ckd_stages_1_and_2_avoid_high_protein():
    p = targets_of(**CKD_MAN, conditions={"ckd": {"stage": 2}}).items["protein"]
    assert (p.min, p.max) == (64.0, 104.0) and "1.3 g/kg" in p.max_source


def test_ckd_potassium_follows_the_blood_result():
    high = targets_of(**CKD_MAN, conditions={"ckd": {"stage": "3a", "potassium_mmol_l": 5.6}}).items["potassium"]
    assert high.max == 2000 and high.min is None and "5.6 mmol/L" in high.max_source
    notes = targets_of(**CKD_MAN, conditions={"ckd": {"stage": "3a", "potassium_mmol_l": 5.6}}).notes
    (note,) = [n for n in notes if n.startswith("Potassium:")]  # the AI note gives way to the limit
    assert note.startswith("Potassium: at most 2,000 mg a day (blood potassium 5.6 mmol/L, above 5)")
    normal = targets_of(**CKD_MAN, conditions={"ckd": {"stage": "3a", "potassium_mmol_l": 4.2}})
    assert normal.items["potassium"].max == pytest.approx(3740)
    assert "4.2 mmol/L (within 3.5-5" in normal.items["potassium"].max_source


def test_a_potassium_limit_keeps_potassium_rich_juice_out():
    limited = targets_of(**CKD_MAN, conditions={"ckd": {"stage": "3a", "potassium_mmol_l": 5.6}})
    assert limited.daily_max_g == {"high-potassium juice": 0.0}
    (rule,) = [(w, s) for w, s in limited.rules_beyond_items() if "high-potassium juice" in w]
    assert rule[0] == "no high-potassium juice" and rule[1].startswith("under a potassium limit: NKF")
    normal = targets_of(**CKD_MAN, conditions={"ckd": {"stage": "3a", "potassium_mmol_l": 4.2}})
    assert "high-potassium juice" not in normal.daily_max_g


def test_ckd_phosphate_above_normal_lowers_phosphorus():
    ph = targets_of(**CKD_MAN, conditions={"ckd": {"stage": "3b", "phosphate_mmol_l": 1.7}}).items["phosphorus"]
    assert ph.max == 800 and "1.7 mmol/L" in ph.max_source


@pytest.mark.parametrize("ckd", [{"stage": 4}, {"stage": 5}, {"egfr": 12}])
def test_ckd_stage_4_and_5_are_refused_without_the_renal_teams_limits(ckd):
    (problem,) = refusal(**CKD_MAN, conditions={"ckd": ckd})
    for field in ("renal_limits.protein_g", "renal_limits.potassium_mg", "renal_limits.phosphorus_mg"):
        assert f"conditions.ckd.{field}" in problem
    assert "renal team" in problem


def test_dialysis_also_needs_the_fluid_limit():
    limits = {"protein_g": 80, "potassium_mg": 2500, "phosphorus_mg": 1000}
    (problem,) = refusal(**CKD_MAN, conditions={"ckd": {"dialysis": "hemodialysis", "renal_limits": limits}})
    assert problem.startswith("conditions.ckd.renal_limits.fluid_ml:")
    tg = targets_of(**CKD_MAN, conditions={"ckd": {"dialysis": "hd", "renal_limits": {**limits, "fluid_ml": 1000}}})
    assert tg.fluid_max_ml == 1000 and "renal team" in tg.fluid_source
    p = tg.items["protein"]
    assert (p.min, p.max) == (80, 100)  # on dialysis the team's protein is a floor


def test_ckd_stage_4_plans_with_the_renal_teams_limits():
    tg = compute_targets(load_profile(ROOT / "examples" / "profiles" / "ckd_stage4_renal_team.yaml"))
    assert (tg.items["protein"].min, tg.items["protein"].max) == (pytest.approx(42.3), 47)
    assert tg.items["potassium"].max == 2000 and tg.items["potassium"].min is None
    assert tg.items["phosphorus"].max == 800 and tg.items["sodium"].max == 2000
    assert all("renal team" in tg.items[n].max_source for n in ("protein", "potassium", "phosphorus", "sodium"))


def test_the_dietitians_nutrient_maxima_count_as_the_renal_teams_limits():
    bounds = {"protein": {"max": 45}, "potassium": {"max": 2000}, "phosphorus": {"max": 800}}
    tg = targets_of(**CKD_MAN, conditions={"ckd": {"stage": 4}}, nutrients=bounds)
    assert tg.items["protein"].max == 45 and tg.items["phosphorus"].max == 800


def test_kidney_disease_without_a_stage_is_refused():
    (problem,) = refusal(age=60, sex="male", factors=["ckd"])
    assert problem.startswith("conditions.ckd:") and "stage" in problem and "egfr" in problem


def test_ckd_protein_by_weight_needs_the_weight():
    (problem,) = refusal(age=60, sex="male", conditions={"ckd": {"stage": 3}})
    assert problem.startswith("weight_kg:")


def test_ckd_stage_and_egfr_that_disagree_are_reported():
    assert any("disagree" in p for p in refusal(**CKD_MAN, conditions={"ckd": {"stage": 2, "egfr": 20}}))


# --- warfarin -------------------------------------------------------------------------------------------


def test_warfarin_keeps_vitamin_k_in_a_daily_band_around_the_usual_intake():
    k = targets_of(age=72, sex="female", medicines=["warfarin"], usual_vitamin_k_ug=150).items["vitamin_k"]
    assert (k.min, k.max) == (120, 180) and not k.weekly and k.priority == 5
    assert "usual intake 150 µg (profile)" in k.max_source and "vitamin-k-antagonist" in k.max_source


def test_warfarin_without_the_usual_intake_uses_the_ai_and_says_so():
    tg = targets_of(age=72, sex="female", factors=["coumadin"], vitamin_k_band_pct=10, symptoms=["cramps"])
    k = tg.items["vitamin_k"]
    assert (k.min, k.max) == (81, 99) and "usual_vitamin_k_ug" in k.min_source
    assert any(n.startswith("Warfarin:") and "anticoagulation clinic" in n for n in tg.notes)


def test_vitamin_k_is_never_raised_with_warfarin():
    plain = compute_targets(person(age=40, sex="male"), triage_for({"vitamin_k": 10}))
    assert plain.items["vitamin_k"].min > 120  # raised for a suspected shortfall without warfarin
    tg = compute_targets(person(age=40, sex="male", medicines=["warfarin"]), triage_for({"vitamin_k": 10}))
    assert tg.items["vitamin_k"].max == 144


# --- bariatric surgery ----------------------------------------------------------------------------------


def test_bariatric_surgery_energy_meals_protein_and_drinks():
    tg = targets_of(
        age=41,
        sex="female",
        weight_kg=104,
        height_cm=165,
        conditions={"bariatric": {"procedure": "gastric bypass", "months_since": 4}},
    )
    assert (tg.energy_min, tg.energy_max) == (900, 1200) and "ASMBS 2019" in tg.energy_source
    assert tg.meal_mass_max_g == 180 and "ASMBS" in tg.meal_mass_source
    assert tg.drinks_with_meals is False and "apart from meals" in tg.drinks_source
    p = tg.items["protein"]
    assert p.min == 60 and p.priority == 5 and "protein first" in p.min_source
    assert tg.conditions == ["bariatric surgery (roux-en-y, 4 months)"]


def test_bariatric_energy_grows_with_the_months_but_never_passes_the_eer():
    later = targets_of(age=41, sex="female", weight_kg=90, conditions={"bariatric": {"months_since": 14}})
    assert (later.energy_min, later.energy_max) == (1200, 1600) and later.meal_mass_max_g == 300
    small = targets_of(age=70, sex="female", weight_kg=45, height_cm=150, activity="sedentary",
                       conditions={"bariatric": {"months_since": 14}})  # fmt: skip
    assert small.energy_max < 1600


def test_bariatric_surgery_is_refused_without_months_or_in_the_first_two_months():
    (problem,) = refusal(age=41, sex="female", factors=["gastric bypass"])
    assert problem.startswith("conditions.bariatric.months_since:")
    (early,) = refusal(age=41, sex="female", conditions={"bariatric": {"months_since": 1}})
    assert early.startswith("conditions.bariatric.months_since: 1 months") and "staged" in early


def test_the_bariatric_teams_energy_wins():
    tg = targets_of(age=41, sex="female", energy_kcal=1400, conditions={"bariatric": {"months_since": 4}})
    assert tg.energy_kcal == 1400


# --- children -------------------------------------------------------------------------------------------


def test_a_two_year_old_gets_no_caffeine_child_portions_milk_juice_and_fish_by_age():
    tg = targets_of(age=2, sex="male")
    c = tg.items["caffeine"]
    assert c.max == 0 and "AAP" in c.max_source
    assert tg.hot_drinks_allowed == [] and tg.portion_scale == 0.5
    assert tg.daily_max_g == {"milk": 590, "juice": 120} and tg.weekly_max_g == {"seafood": 57, "juice": 540}
    assert "AAP 2017" in tg.food_kind_source["daily:juice"] and "FDA/EPA" in tg.food_kind_source["weekly:seafood"]
    assert any(n.startswith("Child (2 years)") and "choking" in n for n in tg.notes)


@pytest.mark.parametrize(
    ("age", "fish", "caffeine", "milk"),
    [(1, 57, 0, 710), (5, 113, 0, 590), (9, 170, 0, None), (13, 340, 100, None), (17, 340, 100, None)],
)
def test_childrens_limits_follow_age(age, fish, caffeine, milk):
    tg = targets_of(age=age, sex="female")
    assert tg.weekly_max_g["seafood"] == fish and tg.items["caffeine"].max == caffeine
    assert tg.daily_max_g.get("milk") == milk


def test_adults_get_none_of_the_childrens_rules():
    tg = targets_of(age=30, sex="female")
    assert "caffeine" not in tg.items and tg.hot_drinks_allowed is None and tg.portion_scale == 1.0
    assert tg.daily_max_g == tg.meal_max == {} and tg.conditions == []
    # everyone's week: fish at most twice the Dietary Guidelines' 8 oz, juice three small glasses
    assert tg.weekly_max_g == {"seafood": 454, "juice": 540}
    assert (
        "Dietary Guidelines" in tg.food_kind_source["weekly:seafood"]
        and "whole fruit" in tg.food_kind_source["weekly:juice"]
    )


# --- pregnancy, breastfeeding and caffeine --------------------------------------------------------------


def test_pregnancy_caffeine_and_fish():
    tg = targets_of(age=30, sex="female", pregnant=True)
    assert tg.items["caffeine"].max == 200 and "ACOG" in tg.items["caffeine"].max_source
    assert tg.weekly_max_g == {"seafood": 340, "juice": 540} and tg.weekly_min_g == {"seafood": 227}
    assert "FDA/EPA" in tg.food_kind_source["weekly_min:seafood"]


def test_breastfeeding_caffeine_and_no_fish_goal_for_a_vegetarian():
    tg = targets_of(age=30, sex="female", lactating=True, diet="vegetarian")
    assert tg.items["caffeine"].max == 300 and tg.weekly_min_g == {}
    assert tg.weekly_max_g == {"seafood": 340, "juice": 540}


def test_caffeine_kept_low_when_triage_says_cut_back():
    tg = targets_of(age=30, sex="female", diet="vegan", symptoms=["twitching"], factors=["coffee"])
    assert tg.items["caffeine"].max == 100 and "cut back" in tg.items["caffeine"].max_source


def test_hot_drinks_follow_the_habit():
    assert targets_of(age=30, sex="male", hot_drinks=["tea"]).hot_drinks_allowed == ["tea"]
    assert targets_of(age=30, sex="male", hot_drinks="none").hot_drinks_allowed == []
    assert targets_of(age=10, sex="male", hot_drinks=["coffee"]).hot_drinks_allowed == []  # never for a child


# --- lactose intolerance, heavy menstrual bleeding ------------------------------------------------------


@pytest.mark.parametrize("fields", [{"conditions": ["lactose-intolerance"]}, {"factors": ["lactose intolerant"]}])
def test_lactose_intolerance_is_a_limit_per_meal_not_an_allergy(fields):
    tg = targets_of(age=45, sex="female", **fields)
    assert tg.meal_max == {"lactose": 12} and "NIH Consensus" in tg.meal_max_source["lactose"]
    assert person(age=45, sex="female", **fields).allergies == []  # milk foods stay


def test_lactose_limit_as_the_profile_gives_it():
    tg = targets_of(age=45, sex="female", conditions={"lactose_intolerance": {"lactose_g_per_meal": 6}})
    assert tg.meal_max == {"lactose": 6} and tg.meal_max_source["lactose"].startswith("6 g a meal: profile")


def test_heavy_menstrual_bleeding_puts_iron_first_without_raising_its_goal():
    tg = targets_of(age=17, sex="female", conditions=["heavy periods"])
    iron = tg.items["iron"]
    assert iron.priority == 5 and iron.min == 15 and "NICE NG88" in iron.min_source
    assert any("full blood count and ferritin" in n for n in tg.notes)


# --- supplements already taken --------------------------------------------------------------------------


def test_a_supplement_lowers_the_food_maximum_below_the_ul():
    tg = targets_of(age=40, sex="male", supplements=[{"nutrient": "vitamin_d", "amount": 1000, "unit": "IU"}])
    d = tg.items["vitamin_d"]
    assert d.max == 65 and "25 µg from supplements" in d.max_source  # 90 % of 100 µg - 25 µg
    assert tg.supplements == {"vitamin_d": 25} and any("never suggests" in n for n in tg.notes)


def test_a_form_ul_counts_the_supplement_on_its_column():
    tg = targets_of(age=40, sex="female", supplements=[{"nutrient": "folate", "amount": 400}])
    assert tg.items["folic_acid"].max == 500 and tg.supplements == {"folic_acid": 400}


def test_magnesium_supplement_above_its_supplement_ul_is_a_note_not_a_dose():
    tg = targets_of(age=40, sex="male", supplements=[{"name": "Mg citrate", "nutrient": "magnesium", "amount": 500}])
    assert tg.items["magnesium"].max is None  # the UL covers supplements only: food is not limited
    (note,) = [n for n in tg.notes if n.startswith("Magnesium:")]
    assert "above the UL of 350 mg" in note and "prescriber" in note
    assert not any(word in note.lower() for word in ("take ", "reduce", "increase"))
    low = targets_of(age=40, sex="male", supplements=[{"nutrient": "magnesium", "amount": 200}])
    assert not any(n.startswith("Magnesium:") for n in low.notes)


def test_a_treatment_dose_at_the_ul_holds_food_at_its_goal():
    tg = targets_of(age=41, sex="female", supplements=[{"nutrient": "iron", "amount": 65}])
    iron = tg.items["iron"]
    assert iron.max == iron.min == 18 and any(n.startswith("Iron:") and "above the UL" in n for n in tg.notes)


def test_a_supplement_can_count_toward_the_target():
    tg = targets_of(
        age=40, sex="male", supplements=[{"nutrient": "calcium", "amount": 500, "counts_toward_target": True}]
    )
    assert tg.items["calcium"].min == 500 and "counts toward the target" in tg.items["calcium"].min_source


def test_the_bariatric_teams_supplements_fixture():
    profile = load_profile(FIXTURES / "bariatric_bypass.yaml")
    assert compute_targets(profile).items["vitamin_d"].max == 15  # 90 % of 100 µg - 75 µg: the RDA still fits
    tg = compute_targets(profile, run_profile_triage(profile))  # triage raises the goal to 17.1 µg
    assert tg.supplements["vitamin_d"] == 75 and tg.items["vitamin_d"].max == 25  # so up to the UL - 75 µg


# --- wording that follows the person --------------------------------------------------------------------


def test_sodium_speaks_of_sweat_only_for_someone_who_sweats():
    assert (
        "sweat" not in compute_targets(person(age=40, sex="male"), triage_for({"sodium": 5})).items["sodium"].min_source
    )
    sweaty = compute_targets(person(age=40, sex="male", factors=["heavy-sweating"]), triage_for({"sodium": 5}))
    assert "sweat" in sweaty.items["sodium"].min_source


def test_the_thiazide_note_does_not_claim_a_cap_the_plan_lacks():
    tg = compute_targets(person(age=70, sex="male", factors=["thiazide-diuretic"]), triage_for({"potassium": 5}))
    (note,) = [n for n in tg.notes if n.startswith("Potassium:")]
    assert "not raised above the AI" not in note and "foods may bring more" in note


# --- saved targets --------------------------------------------------------------------------------------


def test_targets_saved_before_the_clinical_fields_still_load():
    tg = targets_of(age=30, sex="female")
    old = json.loads(tg.model_dump_json())
    for name in ("meal_max", "meal_mass_max_g", "drinks_with_meals", "daily_max_g", "weekly_max_g", "portion_scale",
                 "hot_drinks_allowed", "fluid_max_ml", "supplements", "conditions", "amdr_source"):  # fmt: skip
        old.pop(name)
    again = Targets.model_validate(old)
    assert again.drinks_with_meals is True and again.portion_scale == 1.0 and again.hot_drinks_allowed is None
    assert again.rules_beyond_items() == []
