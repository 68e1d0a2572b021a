"""Scoring, red flags, notes, blood tests and term resolution of the triage engine."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mealplan.errors import InputError
from mealplan.food_data.nutrients import BY_ID
from mealplan.triage import (
    DISCLAIMER,
    TriageInput,
    TriageResult,
    knowledge,
    normalize_terms,
    run_triage,
    to_markdown,
    vocabulary,
)
from mealplan.triage.engine import BLOOD_TEST_MIN_SCORE, NO_INPUT_MESSAGE


def triage(**kwargs) -> TriageResult:
    return run_triage(TriageInput(**kwargs))


def ranked(result: TriageResult) -> list[str]:
    return [s.nutrient for s in result.suspected]


def flag_ids(result: TriageResult) -> list[str]:
    return [f.id for f in result.red_flags]


def score_of(result: TriageResult, nutrient: str) -> float:
    return next(s.score for s in result.suspected if s.nutrient == nutrient)


# --- associations drawn from the domain articles -------------------------------------------------


def test_vegan_with_tingling_and_numbness_puts_b12_first_and_flags_numbness():
    result = triage(symptoms=["tingling", "numbness"], factors=["vegan"])
    assert ranked(result)[0] == "vitamin_b12"
    assert "numbness" in flag_ids(result)
    sources = {r.source for r in result.suspected[0].reasons}
    assert sources == {"tingling", "numbness", "vegan"}


def test_heavy_sweating_with_cramps_ranks_potassium_sodium_magnesium_top_three():
    result = triage(symptoms=["muscle-cramps"], factors=["heavy-sweating"])
    assert set(ranked(result)[:3]) == {"potassium", "sodium", "magnesium"}


def test_hand_checked_scores_are_sums_of_weights():
    # muscle-cramps: Mg 3, K 2, Ca 2, Na 1, water 1; heavy-sweating: K 3, Na 3, Mg 2, water 2.
    result = triage(symptoms=["muscle-cramps"], factors=["heavy-sweating"])
    assert {s.nutrient: s.score for s in result.suspected} == {
        "magnesium": 5.0,
        "potassium": 5.0,
        "sodium": 4.0,
        "water": 3.0,
        "calcium": 2.0,
    }
    # Ties (Mg 5, K 5; both two reasons) fall back to the knowledge file's nutrient order.
    assert ranked(result)[:2] == ["magnesium", "potassium"]


def test_diuretics_with_night_cramps_raise_potassium_and_magnesium_and_a_medication_flag():
    result = triage(symptoms=["night-cramps"], factors=["diuretics"])
    assert set(ranked(result)[:2]) == {"potassium", "magnesium"}
    medication = [f for f in result.red_flags if f.id == "medication"]
    assert len(medication) == 1
    assert "diuretics" in medication[0].message
    assert "Do not stop or change a prescribed medicine" in medication[0].advice


def test_low_sun_with_muscle_pain_points_at_vitamin_d():
    result = triage(symptoms=["muscle-pain"], factors=["low-sun"])
    assert ranked(result)[0] == "vitamin_d"


def test_acid_reducers_alone_point_at_magnesium_and_b12():
    result = triage(factors=["acid-reducers"])
    assert set(ranked(result)[:2]) == {"magnesium", "vitamin_b12"}
    assert "medication" in flag_ids(result)


def test_metformin_points_at_b12_and_is_a_medication_red_flag():
    result = triage(factors=["metformin"])
    assert ranked(result) == ["vitamin_b12"]
    assert "metformin" in result.red_flags[0].message


def test_a_factor_alone_raises_suspicion_as_much_as_a_specific_symptom():
    by_factor = triage(factors=["low-sun"])
    by_symptom = triage(symptoms=["numbness"])
    assert ranked(by_factor) == ["vitamin_d"]
    assert score_of(by_factor, "vitamin_d") == score_of(by_symptom, "vitamin_b12")


# --- life stages -----------------------------------------------------------------------------------


def test_age_51_adds_a_b12_life_stage_reason_and_50_does_not():
    at_51 = triage(symptoms=["muscle-cramps"], age=51)
    at_50 = triage(symptoms=["muscle-cramps"], age=50)
    assert "vitamin_b12" not in ranked(at_50)
    b12 = next(s for s in at_51.suspected if s.nutrient == "vitamin_b12")
    assert [(r.source, r.kind) for r in b12.reasons] == [("age-51-plus", "life_stage")]


def test_age_70_adds_vitamin_d_on_top_of_b12():
    young = triage(symptoms=["muscle-twitching"], age=69)
    old = triage(symptoms=["muscle-twitching"], age=70)
    assert score_of(old, "vitamin_d") == score_of(young, "vitamin_d") + 2
    assert score_of(old, "vitamin_b12") == score_of(young, "vitamin_b12")
    assert "age-70-plus" in {r.source for s in old.suspected for r in s.reasons}


def test_pregnancy_flag_and_factor_count_once():
    by_flag = triage(symptoms=["night-cramps"], pregnant=True, sex="female")
    by_factor = triage(symptoms=["night-cramps"], factors=["pregnant"])
    both = triage(symptoms=["night-cramps"], factors=["pregnancy"], pregnant=True)
    scores = [{s.nutrient: s.score for s in r.suspected} for r in (by_flag, by_factor, both)]
    assert scores[0] == scores[1] == scores[2]
    assert "iron" in ranked(by_flag) and "folate" in ranked(by_flag)
    kinds = {r.kind for s in by_flag.suspected for r in s.reasons if r.source == "pregnant"}
    assert kinds == {"life_stage"}


def test_pregnant_alone_is_enough_input():
    assert "iron" in ranked(triage(pregnant=True))


def test_pregnant_and_male_is_an_input_error():
    with pytest.raises(InputError) as err:
        triage(symptoms=["fatigue"], pregnant=True, sex="male")
    assert str(err.value) == (
        "Triage input is not valid:\n"
        "  - pregnant (flag or risk factor) conflicts with sex 'male'; give sex female or no sex"
    )


# --- red flags ---------------------------------------------------------------------------------------


def test_duration_over_two_weeks_is_a_red_flag_and_ten_days_is_not():
    assert "long-duration" in flag_ids(triage(symptoms=["muscle-twitching"], days=20))
    assert flag_ids(triage(symptoms=["muscle-twitching"], days=10)) == []
    assert flag_ids(triage(symptoms=["muscle-twitching"], days=14)) == []
    assert flag_ids(triage(symptoms=["muscle-twitching"], days=15)) == ["long-duration"]


@pytest.mark.parametrize(
    ("kwargs", "flag"),
    [
        ({"symptoms": ["muscle-twitching"], "multiple_groups": True}, "multiple-groups"),
        ({"symptoms": ["muscle-twitching"], "worsening": True}, "worsening"),
        ({"symptoms": ["muscle-cramps"], "severe_pain": True}, "severe-pain"),
        ({"symptoms": ["muscle-weakness"]}, "weakness-or-stiffness"),
        ({"symptoms": ["stiffness"]}, "weakness-or-stiffness"),
        ({"symptoms": ["numbness"]}, "numbness"),
        ({"symptoms": ["poor-coordination"]}, "poor-coordination"),
        ({"symptoms": ["palpitations"]}, "palpitations"),
        ({"factors": ["diuretics"]}, "medication"),
        ({"factors": ["acid-reducers"]}, "medication"),
        ({"factors": ["metformin"]}, "medication"),
    ],
)
def test_each_red_flag_has_its_trigger(kwargs, flag):
    result = triage(**kwargs)
    assert flag_ids(result) == [flag]
    assert result.red_flags[0].advice


def test_a_mild_pattern_has_no_red_flags():
    result = triage(symptoms=["eyelid-twitching"], factors=["high-caffeine", "poor-sleep"], days=3)
    assert result.red_flags == []


def test_matched_terms_are_named_in_the_flag_message():
    result = triage(symptoms=["muscle-weakness", "stiffness"], factors=["metformin", "diuretics"])
    messages = {f.id: f.message for f in result.red_flags}
    assert "muscle-weakness, stiffness" in messages["weakness-or-stiffness"]
    assert "diuretics, metformin" in messages["medication"]


# --- notes, blood tests, disclaimer ------------------------------------------------------------------


def test_lifestyle_notes_follow_the_factors():
    result = triage(factors=["high-caffeine", "poor-sleep", "high-stress", "low-fluid", "alcohol"])
    text = " ".join(result.notes).lower()
    for word in ("coffee", "sleep", "stress", "drink regularly", "alcohol"):
        assert word in text
    # Nothing lifestyle-related reported: only the general plan note.
    assert triage(factors=["low-sun"]).notes == [n.text for n in knowledge().notes if n.id == "plan"]


def test_blood_tests_cover_only_suspected_nutrients_with_enough_score():
    assert triage(factors=["low-sun"]).blood_tests == ["25-hydroxy vitamin D"]
    result = triage(symptoms=["tingling"], factors=["metformin"])
    assert result.blood_tests == [
        "vitamin B12 with methylmalonic acid (MMA)",
        "serum calcium (corrected for albumin)",
    ]
    kb = knowledge()
    expected = [
        kb.nutrients[s.nutrient].blood_test
        for s in result.suspected
        if s.score >= BLOOD_TEST_MIN_SCORE and kb.nutrients[s.nutrient].blood_test
    ]
    assert result.blood_tests == expected


def test_disclaimer_is_the_shared_one_and_never_diagnoses():
    result = triage(symptoms=["fatigue"])
    assert result.disclaimer == DISCLAIMER
    assert "does not diagnose" in DISCLAIMER
    assert "never supplement doses" in DISCLAIMER


_DOSE = re.compile(r"\d[\d,.]*\s*(mg|µg|mcg|ug|iu|g|units?)\b", re.IGNORECASE)


def _all_text(result: TriageResult) -> list[str]:
    texts = [result.disclaimer, *result.notes, *result.blood_tests]
    texts += [t for f in result.red_flags for t in (f.message, f.advice)]
    texts += [r.why for s in result.suspected for r in s.reasons]
    return texts


def test_no_text_ever_mentions_a_dose():
    vocab = vocabulary()
    flags: set[str] = set()
    for age in (80, 5, 0.5):  # the age rules (a child, a baby) fire only at their ages
        result = triage(
            symptoms=list(vocab["symptoms"]),
            factors=[f for f in vocab["factors"]],
            days=30,
            multiple_groups=True,
            worsening=True,
            severe_pain=True,
            age=age,
            sex="female",
        )
        flags |= set(flag_ids(result))
        for text in _all_text(result):
            assert not _DOSE.search(text), text
    # Flags that a more urgent one replaces when everything is given: on their own.
    for alone in (triage(symptoms=["palpitations"]), triage(factors=["heavy periods"], sex="female", age=30)):
        flags |= set(flag_ids(alone))
        assert not any(_DOSE.search(text) for text in _all_text(alone))
    assert flags == {r.id for r in knowledge().red_flags}
    for note in knowledge().notes:  # notes that never show together (fluids and fluids-prescriber)
        assert not _DOSE.search(note.text), note.text


# --- determinism and normalisation ---------------------------------------------------------------------


def test_same_input_gives_the_same_json():
    kwargs = {"symptoms": ["muscle-twitching", "fatigue"], "factors": ["vegan", "low-sun"], "age": 60}
    assert triage(**kwargs).model_dump_json() == triage(**kwargs).model_dump_json()


def test_order_of_terms_does_not_change_the_ranking():
    a = triage(symptoms=["muscle-twitching", "fatigue", "tingling"], factors=["vegan", "alcohol"])
    b = triage(symptoms=["tingling", "fatigue", "muscle-twitching"], factors=["alcohol", "vegan"])
    assert a.suspected == b.suspected
    assert a.red_flags == b.red_flags and a.notes == b.notes and a.blood_tests == b.blood_tests


def test_result_input_holds_resolved_ids_without_duplicates():
    result = triage(symptoms=["charley horse", "muscle-cramps", "Pins and Needles"], factors=["PPI"])
    assert result.input.symptoms == ["muscle-cramps", "tingling"]
    assert result.input.factors == ["acid-reducers"]


@pytest.mark.parametrize(
    ("kind", "term", "expected"),
    [
        ("symptom", "eye twitch", "eyelid-twitching"),
        ("symptom", "charley horse", "muscle-cramps"),
        ("symptom", "leg cramps at night", "night-cramps"),
        ("symptom", "pins and needles", "tingling"),
        ("symptom", "  Muscle_Cramps ", "muscle-cramps"),
        ("symptom", "MUSCLE TWITCHING", "muscle-twitching"),
        ("factor", "PPI", "acid-reducers"),
        ("factor", "omeprazole", "acid-reducers"),
        ("factor", "water pills", "diuretics"),
        ("factor", "coffee", "high-caffeine"),
        ("factor", "marathon", "endurance-exercise"),
        ("factor", "plant-based", "vegan"),
        ("factor", "plant based", "vegan"),
    ],
)
def test_synonyms_resolve(kind, term, expected):
    assert normalize_terms(kind, [term]) == [expected]


def test_unknown_term_names_it_and_suggests_the_closest_id():
    with pytest.raises(InputError) as err:
        normalize_terms("symptom", ["eyelid twiching"])
    assert err.value.exit_code == 2
    assert str(err.value) == (
        "Unknown symptom or risk factor ('mealplan triage --list' shows every id with its synonyms):\n"
        "  - unknown symptom 'eyelid twiching'; did you mean 'eyelid-twitching'?"
    )


def test_unknown_terms_are_collected_into_one_error():
    with pytest.raises(InputError) as err:
        triage(symptoms=["cramps", "headake"], factors=["vegn", "zzzz"])
    assert err.value.problems == [
        "unknown symptom 'headake'; valid symptoms: " + ", ".join(vocabulary()["symptoms"]),
        "unknown risk factor 'vegn'; did you mean 'vegan'?",
        "unknown risk factor 'zzzz'; valid risk factors: " + ", ".join(vocabulary()["factors"]),
    ]


def test_nothing_given_is_an_input_error_with_a_hint():
    with pytest.raises(InputError) as err:
        triage(days=5, age=40)
    assert str(err.value) == NO_INPUT_MESSAGE
    assert "mealplan triage --list" in NO_INPUT_MESSAGE


def test_input_model_rejects_typos_and_negative_days():
    with pytest.raises(ValueError):
        TriageInput(symptom=["cramps"])
    with pytest.raises(ValueError):
        TriageInput(symptoms=["cramps"], days=-1)


def test_markdown_puts_red_flags_before_food_advice():
    md = to_markdown(triage(symptoms=["numbness"], factors=["vegan"]))
    assert md.startswith("# Triage\n")
    assert md.index("See a clinician first") < md.index("Nutrients worth discussing")
    assert "| 1 | Vitamin B12 |" in md
    assert md.rstrip().endswith(f"_{DISCLAIMER}_")


# --- invariants over random inputs -----------------------------------------------------------------------

_VOCAB = vocabulary()


def _associations(reason):
    kb = knowledge()
    if reason.kind == "symptom":
        return kb.symptoms[reason.source].nutrients
    if reason.kind == "factor":
        return kb.factors[reason.source].nutrients
    if reason.source in kb.life_stages:
        return kb.life_stages[reason.source].nutrients
    return kb.factors["pregnant"].nutrients


@settings(max_examples=150, deadline=None)
@given(
    symptoms=st.lists(st.sampled_from(sorted(_VOCAB["symptoms"])), max_size=6),
    factors=st.lists(st.sampled_from(sorted(_VOCAB["factors"])), min_size=1, max_size=5),
    age=st.one_of(st.none(), st.floats(min_value=1, max_value=110)),
    days=st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
)
def test_invariants(symptoms, factors, age, days):
    result = triage(symptoms=symptoms, factors=factors, age=age, days=days)
    scores = [s.score for s in result.suspected]
    assert scores == sorted(scores, reverse=True)
    given_sources = set(symptoms) | set(factors) | {"age-51-plus", "age-70-plus", "pregnant"}
    for s in result.suspected:
        assert s.nutrient in BY_ID
        assert s.score > 0
        # The score is exactly the sum of the weights behind its reasons.
        weights = []
        for r in s.reasons:
            assert r.source in given_sources
            weights.append(_associations(r)[s.nutrient].weight)
        assert s.score == pytest.approx(sum(weights))
    assert ("long-duration" in flag_ids(result)) == (days is not None and days > 14)
    assert result.model_dump_json() == triage(symptoms=symptoms, factors=factors, age=age, days=days).model_dump_json()
