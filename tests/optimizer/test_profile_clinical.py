"""Issue 27 profile fields: conditions with their details, medicines, usual vitamin K, hot drinks and
supplements. Strict, with "did you mean" for misspelt keys and values at any depth; older profiles
stay valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.targets.profile_files import load_profile, profile_from_dict

ROOT = Path(__file__).resolve().parents[2]


def problems(**fields) -> list[str]:
    with pytest.raises(ConfigError) as err:
        profile_from_dict({"id": "p", "age": 40, "sex": "female", **fields})
    return err.value.problems


def make(**fields):
    return profile_from_dict({"id": "p", "age": 40, "sex": "female", **fields})


def test_conditions_in_full_and_as_a_list_of_names():
    p = make(
        conditions={
            "ckd": {"stage": "G3b", "potassium_mmol_l": 5.2, "renal_limits": {"protein_g": 45, "source": "renal team"}},
            "bariatric": {"procedure": "Sleeve gastrectomy", "months_since": 8},
            "lactose-intolerance": {"lactose_g_per_meal": 9},
            "heavy periods": True,
        }
    )
    c = p.conditions
    assert c.ckd.stage == "3b" and c.ckd.renal_limits.given() == {"protein"} and c.bariatric.procedure == "sleeve"
    assert c.lactose_intolerance.lactose_g_per_meal == 9 and c.heavy_menstrual_bleeding
    assert p.all_factors() == ["kidney-disease", "bariatric-surgery", "lactose-intolerance", "heavy-menstrual-bleeding"]
    listed = make(conditions=["lactose intolerance", "hmb"]).conditions
    assert listed.lactose_intolerance.lactose_g_per_meal == 12 and listed.heavy_menstrual_bleeding


def test_medicines_use_the_triage_vocabulary():
    p = make(medicines=["Warfarin", "furosemide"], factors=["vegan"])
    assert p.medicines == ["vitamin-k-antagonist", "loop-diuretic"]
    assert p.all_factors() == ["vegan", "vitamin-k-antagonist", "loop-diuretic"]
    assert any("did you mean 'vitamin-k-antagonist'" in m for m in problems(medicines=["warfarn"]))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"conditions": {"ckdd": {"stage": 3}}}, "conditions: unknown condition 'ckdd'; did you mean ckd?"),
        ({"conditions": {"ckd": {"stge": 3}}}, "conditions.ckd.stge: unknown field; did you mean stage?"),
        ({"conditions": {"ckd": {"stage": 6}}}, "conditions.ckd.stage: unknown CKD stage '6'"),
        ({"conditions": ["ckd"]}, "conditions.ckd: give stage (1, 2, 3a, 3b, 4 or 5) or egfr"),
        ({"conditions": {"ckd": {"stage": 4, "renal_limits": {"protien_g": 40}}}},
         "conditions.ckd.renal_limits.protien_g: unknown field; did you mean protein_g?"),
        ({"conditions": {"bariatric": {"procedure": "sleve", "months_since": 3}}},
         "conditions.bariatric.procedure: unknown procedure 'sleve'; did you mean 'sleeve'?"),
        ({"conditions": {"bariatric": {"procedure": "sleeve"}}}, "conditions.bariatric.months_since: required"),
        ({"supplements": [{"nutrient": "magnesum", "amount": 100}]},
         "supplements[0].nutrient: unknown nutrient 'magnesum'; did you mean 'magnesium'"),
        ({"supplements": [{"nutrient": "calcium", "amount": 100, "unit": "IU"}]},
         "unit 'IU' for calcium; allowed: mg"),
        ({"supplements": [{"nutrient": "calcium", "amont": 100}]},
         "supplements[0].amont: unknown field; did you mean amount?"),
        ({"hot_drinks": ["cofee"]}, "hot_drinks[0]: unknown hot drink 'cofee'; did you mean 'coffee'?"),
        ({"vitamin_k_band_pct": 80}, "vitamin_k_band_pct:"),
    ],
)  # fmt: skip
def test_bad_clinical_fields_are_named(fields, expected):
    assert any(expected in m for m in problems(**fields)), problems(**fields)


def test_heavy_menstrual_bleeding_is_for_sex_female():
    assert any("heavy_menstrual_bleeding is given but sex is 'male'" in m for m in problems(
        sex="male", conditions={"heavy_menstrual_bleeding": True}))  # fmt: skip


def test_supplement_amounts_in_their_units():
    p = make(
        supplements=[
            {"nutrient": "vitamin D", "amount": 2000, "unit": "iu"},
            {"nutrient": "b12", "amount": 500, "unit": "mcg"},
        ]
    )
    assert [s.per_day() for s in p.supplements] == [50, 500]
    assert p.supplements[0].label() == "vitamin d 50 µg"


def test_hot_drinks_words():
    assert make(hot_drinks="coffee; decaffeinated").hot_drinks == ["coffee", "decaf"]
    assert make(hot_drinks="none").hot_drinks == [] and make().hot_drinks is None


def test_every_example_profile_is_still_valid():
    for path in sorted((ROOT / "examples" / "profiles").glob("*.yaml")):
        load_profile(path)
    for path in sorted((ROOT / "tests" / "fixtures" / "clinical").glob("*.yaml")):
        load_profile(path)
