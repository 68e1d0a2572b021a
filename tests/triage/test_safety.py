"""Issue 14 safety rules of the triage, one test per rule (each fails without its rule).

Urgent signs (tetany, tingling around the mouth), widespread wordings, children and babies, red
flags ordered by urgency, fluid advice that respects medicines, kidney disease, and the profile
side (a diet implies its risk factor, age rules run without symptoms).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.errors import InputError
from mealplan.targets.compute import triage_input
from mealplan.targets.profile_files import profile_from_dict
from mealplan.triage import (
    TriageInput,
    TriageResult,
    has_findings,
    implies_multiple_groups,
    knowledge,
    normalize_terms,
    run_triage,
    to_markdown,
    urgency_label,
)
from mealplan.triage.engine import NO_INPUT_MESSAGE

DIURETICS = ["diuretics", "loop-diuretic", "thiazide-diuretic", "potassium-sparing-diuretic"]
FLUID_MANAGED = [*DIURETICS, "kidney-disease"]


def triage(**kwargs) -> TriageResult:
    return run_triage(TriageInput(**kwargs))


def flag_ids(result: TriageResult) -> list[str]:
    return [f.id for f in result.red_flags]


def notes_text(result: TriageResult) -> str:
    return " ".join(result.notes).lower()


# --- 1. tetany and tingling around the mouth: urgent --------------------------------------------------


@pytest.mark.parametrize(
    ("term", "symptom"),
    [
        ("tetany", "tetany"),
        ("carpopedal spasm", "tetany"),
        ("hand spasms", "tetany"),
        ("hands locking", "tetany"),
        ("foot spasms", "tetany"),
        ("perioral-tingling", "perioral-tingling"),
        ("tingling around the mouth", "perioral-tingling"),
        ("numbness around the mouth", "perioral-tingling"),
        ("tingling lips", "perioral-tingling"),
        ("circumoral numbness", "perioral-tingling"),
    ],
)
def test_signs_of_acutely_low_calcium_raise_an_urgent_flag_first(term, symptom):
    result = triage(symptoms=["muscle-cramps", term], factors=["metformin"], days=30)
    assert result.input.symptoms == ["muscle-cramps", symptom]
    first = result.red_flags[0]
    assert (first.id, first.urgency) == ("low-calcium-signs", "urgent")
    assert "today" in first.advice and "calcium" in first.advice
    assert result.suspected[0].nutrient in {"calcium", "magnesium"}
    assert any(s.nutrient == "calcium" and s.score >= 3 for s in result.suspected)


def test_plain_spasms_and_plain_tingling_stay_non_urgent():
    result = triage(symptoms=["spasms", "pins and needles"])
    assert result.input.symptoms == ["muscle-spasms", "tingling"]
    assert result.red_flags == []


def test_chest_pain_fainting_or_breathlessness_are_emergency_signs_before_palpitations():
    result = triage(symptoms=["muscle-cramps", "palpitations", "chest pain"], factors=["water pills"])
    # With a water pill, palpitations need care the same day (issue 27), not within days.
    assert flag_ids(result) == ["emergency-signs", "palpitations-electrolytes", "medication"]
    assert result.red_flags[0].urgency == "urgent"
    assert "emergency" in result.red_flags[0].advice.lower()
    for term in ("fainted", "short of breath", "seizure"):
        assert flag_ids(triage(symptoms=[term]))[0] == "emergency-signs", term


# --- 2. widespread wording means more than one muscle group ---------------------------------------------


@pytest.mark.parametrize(
    ("term", "symptom"),
    [
        ("body twitching", "muscle-twitching"),
        ("Body-Twitching", "muscle-twitching"),
        ("twitching all over", "muscle-twitching"),
        ("twitches all over my body", "muscle-twitching"),
        ("whole body twitching", "muscle-twitching"),
        ("whole body", "muscle-twitching"),
        ("twitching in many muscles", "muscle-twitching"),
        ("many muscles", "muscle-twitching"),
        ("random muscle jerks throughout the body", "muscle-twitching"),
        ("fasciculations everywhere", "muscle-twitching"),
        ("cramps all over", "muscle-cramps"),
        ("spasms of the whole body", "muscle-spasms"),
        ("twitching in arms and legs", "muscle-twitching"),
        ("twitching in different parts of the body", "muscle-twitching"),
        ("body-wide twitching", "muscle-twitching"),
        ("jerks all over", "muscle-twitching"),
        ("cramping everywhere", "muscle-cramps"),
    ],
)
def test_widespread_wording_resolves_and_sets_multiple_groups(term, symptom):
    result = triage(symptoms=[term])
    assert result.input.symptoms == [symptom]
    assert result.input.multiple_groups is True
    assert "multiple-groups" in flag_ids(result)
    assert implies_multiple_groups([term])
    assert normalize_terms("symptom", [term]) == [symptom]


def test_one_muscle_wording_does_not_set_multiple_groups():
    for term in ("twitching", "eye twitch", "calf twitching", "charley horse", "muscle jerks"):
        result = triage(symptoms=[term])
        assert result.input.multiple_groups is False, term
        assert "multiple-groups" not in flag_ids(result), term
        assert not implies_multiple_groups([term])


def test_a_misspelt_widespread_wording_is_still_an_error_with_a_suggestion():
    with pytest.raises(InputError) as err:
        triage(symptoms=["twichin all over"])
    assert "did you mean 'muscle-twitching'?" in err.value.problems[0]


# --- 3. children and babies --------------------------------------------------------------------------


def test_an_infant_is_referred_today_and_first():
    result = triage(symptoms=["twitching"], age=0.5)
    first = result.red_flags[0]
    assert (first.id, first.urgency) == ("infant", "urgent")
    assert "today" in first.advice
    assert not any("fade with rest" in n for n in result.notes)  # no "usually harmless" about a baby


def test_a_baby_gets_no_adult_lifestyle_notes_but_a_feeding_note():
    result = triage(symptoms=["twitching", "cramps"], factors=["coffee", "vegan", "poor sleep", "stress"], age=0.5)
    assert len(result.notes) == 1 and "paediatrician" in result.notes[0]
    older = notes_text(triage(symptoms=["twitching", "cramps"], factors=["coffee", "poor sleep"], age=30))
    assert "coffee" in older and "drink regularly" in older and "paediatrician" not in older


def test_no_reassurance_next_to_spreading_or_worsening_symptoms():
    reassured = notes_text(triage(symptoms=["twitching"]))
    assert "usually fade with rest" in reassured
    for kwargs in ({"symptoms": ["body twitching"]}, {"symptoms": ["twitching"], "worsening": True}):
        assert "usually fade with rest" not in notes_text(triage(**kwargs)), kwargs


def test_an_infant_with_no_symptom_still_gets_the_referral():
    result = triage(age=0.5)
    assert flag_ids(result) == ["infant"]
    assert has_findings(TriageInput(age=0.5))


@pytest.mark.parametrize("age", [1, 5, 11, 11.9])
def test_under_twelve_the_first_message_is_see_a_clinician(age):
    result = triage(symptoms=["leg cramps"], factors=["metformin"], days=30, age=age)
    assert flag_ids(result)[0] == "child"
    assert "under 12" in result.red_flags[0].message and "paediatric" in result.red_flags[0].message


@pytest.mark.parametrize("age", [12, 30])
def test_from_twelve_no_child_flag(age):
    assert triage(symptoms=["leg cramps"], age=age).red_flags == []


def test_the_child_age_comes_from_the_knowledge_file():
    rule = next(r for r in knowledge().red_flags if r.id == "child")
    under = rule.when.age.under
    assert "child" in flag_ids(triage(symptoms=["cramps"], age=under - 0.5))
    assert "child" not in flag_ids(triage(symptoms=["cramps"], age=under))


# --- 4. ordered by urgency ----------------------------------------------------------------------------


def test_red_flags_are_sorted_by_urgency_and_stable_within_a_level():
    result = triage(
        symptoms=["palpitations", "numbness", "tetany", "muscle-weakness"],
        factors=["diuretics", "kidney-disease"],
        days=30,
        worsening=True,
        multiple_groups=True,
        age=8,
    )
    rank = {level: i for i, level in enumerate(knowledge().urgency)}
    levels = [rank[f.urgency] for f in result.red_flags]
    assert levels == sorted(levels)
    file_order = [r.id for r in knowledge().red_flags]
    for level in knowledge().urgency:
        ids = [f.id for f in result.red_flags if f.urgency == level]
        assert ids == [i for i in file_order if i in ids]
    assert flag_ids(result) == [
        "low-calcium-signs",
        "palpitations-electrolytes",
        "child",
        "multiple-groups",
        "numbness",
        "weakness-or-stiffness",
        "worsening",
        "long-duration",
        "kidney-disease",
        "medication",
    ]


def test_sorting_is_by_urgency_not_by_file_order(tmp_path, monkeypatch):
    """With the red_flags list reversed in the file, urgency still decides; file order breaks ties."""
    import yaml

    from mealplan.triage import engine, load_knowledge

    text = (Path(engine.__file__).parent / "knowledge.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    raw["red_flags"].reverse()
    path = tmp_path / "knowledge.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    reversed_kb = load_knowledge(path)
    monkeypatch.setattr(engine, "knowledge", lambda: reversed_kb)
    result = triage(symptoms=["palpitations", "numbness", "tetany"], factors=["furosemide"], days=30)
    assert flag_ids(result) == [
        "palpitations-electrolytes",
        "low-calcium-signs",
        "numbness",
        "medication",
        "long-duration",
    ]


def test_palpitations_come_before_the_medicine_flag():
    result = triage(symptoms=["cramps", "palpitations"], factors=["metformin"])
    assert flag_ids(result) == ["palpitations", "medication"]
    assert [f.urgency for f in result.red_flags] == ["soon", "routine"]


@pytest.mark.parametrize("factor", ["furosemide", "hydrochlorothiazide", "spironolactone", "lisinopril", "ckd",
                                    "hot weather", "marathon"])  # fmt: skip
def test_palpitations_with_a_diuretic_or_in_heat_need_care_today(factor):
    result = triage(symptoms=["cramps", "palpitations"], factors=[factor])
    assert flag_ids(result)[0] == "palpitations-electrolytes" and result.red_flags[0].urgency == "urgent"
    assert "palpitations" not in flag_ids(result)  # the same-day rule replaces the within-days one
    assert "today" in result.red_flags[0].advice and factor not in ("metformin",)


def test_palpitations_with_vomiting_need_care_today():
    assert flag_ids(triage(symptoms=["palpitations", "vomiting"]))[0] == "palpitations-electrolytes"


def test_urgency_shows_in_json_markdown_and_the_table():
    args = ["triage", "--symptom", "tetany", "--factor", "metformin"]
    data = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert [(f["id"], f["urgency"]) for f in data["red_flags"]] == [
        ("low-calcium-signs", "urgent"),
        ("medication", "routine"),
    ]
    md = CliRunner().invoke(cli, [*args, "--format", "md"]).stdout
    assert f"**{urgency_label('urgent')}**" in md
    assert md.index(urgency_label("urgent")) < md.index(urgency_label("routine")) < md.index("## Nutrients")
    table = CliRunner().invoke(cli, args, env={"COLUMNS": "200"}).stdout
    assert urgency_label("urgent").upper() in table and urgency_label("routine") in table
    assert table.index(urgency_label("urgent").upper()) < table.index("Nutrients worth discussing")


def test_a_saved_result_without_urgency_still_reads():
    saved = triage(symptoms=["numbness"]).model_dump()
    for flag in saved["red_flags"]:
        del flag["urgency"]
    assert TriageResult.model_validate(saved).red_flags[0].urgency == "soon"


def test_markdown_shows_each_flags_urgency():
    md = to_markdown(triage(symptoms=["perioral tingling"], factors=["ppi"]))
    assert "**Urgent: get care today** - **Signs that blood calcium" in md


# --- 5. fluid advice respects medicines --------------------------------------------------------------


@pytest.mark.parametrize("factor", FLUID_MANAGED)
def test_no_drink_more_advice_with_a_diuretic_or_kidney_disease(factor):
    result = triage(
        symptoms=["muscle-cramps", "night-cramps"],
        factors=[factor, "heavy-sweating", "endurance-exercise", "low-fluid"],
    )
    text = notes_text(result)
    for phrase in ("drink regularly", "drink enough", "electrolytes replaces"):
        assert phrase not in text, (factor, phrase)
    assert "ask your prescriber how much fluid to drink" in text


@pytest.mark.parametrize("factor", ["potassium-sparing-diuretic", "ace-inhibitor-or-arb", "kidney-disease"])
def test_potassium_retaining_medicines_get_no_electrolyte_drink_and_a_salt_substitute_warning(factor):
    text = notes_text(triage(symptoms=["cramps"], factors=[factor, "heavy-sweating"]))
    assert "electrolytes replaces" not in text
    assert "salt substitutes" in text


def test_hypertension_keeps_drinking_advice_but_not_electrolyte_drinks():
    text = notes_text(triage(symptoms=["cramps"], factors=["hypertension", "marathon"]))
    assert "drink regularly" in text
    assert "electrolytes replaces" not in text


def test_without_a_medicine_the_fluid_advice_is_unchanged():
    text = notes_text(triage(symptoms=["cramps"], factors=["heavy-sweating"]))
    assert "drink regularly" in text and "electrolytes replaces" in text
    assert "prescriber" not in text


def test_no_note_ever_contradicts_a_fluid_managing_medicine():
    """Every note shown to someone on a diuretic or with kidney disease, whatever else they report."""
    kb = knowledge()
    for factor in FLUID_MANAGED:
        result = triage(
            symptoms=list(kb.symptoms), factors=[f for f in kb.factors if f not in FLUID_MANAGED] + [factor]
        )
        text = notes_text(result)
        assert "drink regularly" not in text and "drink enough" not in text, factor
        assert "electrolytes replaces" not in text, factor


# --- 6. kidney disease, new medicines -------------------------------------------------------------------


def test_kidney_disease_has_its_own_flag_naming_the_renal_team():
    result = triage(factors=["ckd"])
    assert flag_ids(result) == ["kidney-disease"]
    flag = result.red_flags[0]
    assert flag.urgency == "routine"
    for word in ("potassium", "phosphorus", "fluid"):
        assert word in flag.message
    assert "renal" in flag.advice


@pytest.mark.parametrize(
    ("term", "factor"),
    [
        ("spironolactone", "potassium-sparing-diuretic"),
        ("lisinopril", "ace-inhibitor-or-arb"),
        ("hydrochlorothiazide", "thiazide-diuretic"),
        ("furosemide", "loop-diuretic"),
    ],
)
def test_each_new_medicine_raises_the_medicine_flag(term, factor):
    result = triage(factors=[term])
    assert result.input.factors == [factor]
    assert flag_ids(result) == ["medication"]
    assert factor in result.red_flags[0].message


# --- section 5: the profile's diet and age reach the triage ------------------------------------------------


def _profile(**fields):
    return profile_from_dict({"id": "p", "sex": "female", **fields})


@pytest.mark.parametrize(("diet", "factor"), [("vegan", "vegan"), ("vegetarian", "vegetarian")])
def test_a_diet_implies_its_risk_factor(diet, factor):
    inp = triage_input(_profile(age=30, diet=diet))
    assert inp is not None and inp.factors == [factor]
    result = run_triage(inp)
    b12 = next(s for s in result.suspected if s.nutrient == "vitamin_b12")
    assert factor in {r.source for r in b12.reasons}


def test_the_diet_factor_is_not_counted_twice():
    inp = triage_input(_profile(age=30, diet="vegan", factors=["vegan", "low-sun"]))
    assert inp.factors == ["vegan", "low-sun"]


@pytest.mark.parametrize("diet", ["omnivore", "pescatarian"])
def test_other_diets_imply_nothing(diet):
    assert triage_input(_profile(age=30, diet=diet)) is None


@pytest.mark.parametrize(
    ("age", "stage", "nutrient"), [(51, "age-51-plus", "vitamin_b12"), (70, "age-70-plus", "vitamin_d")]
)
def test_age_rules_run_without_symptoms_or_factors(age, stage, nutrient):
    inp = triage_input(_profile(age=age))
    assert inp is not None and inp.symptoms == [] and inp.factors == []
    result = run_triage(inp)
    found = next(s for s in result.suspected if s.nutrient == nutrient)
    assert stage in {r.source for r in found.reasons}


def test_triage_cli_with_only_an_age_that_a_life_stage_covers():
    result = triage(age=75)
    assert {s.nutrient for s in result.suspected} == {"vitamin_b12", "vitamin_d"}
    with pytest.raises(InputError) as err:
        triage(age=40)
    assert str(err.value) == NO_INPUT_MESSAGE


def test_a_child_profile_without_symptoms_gets_the_referral():
    inp = triage_input(_profile(age=6))
    assert inp is not None
    assert flag_ids(run_triage(inp)) == ["child"]


@pytest.mark.parametrize("symptoms", [["body twitching"], "cramps; twitching all over", ["eye twitch", "whole body"]])
def test_a_profile_with_widespread_wording_sets_multiple_groups(symptoms):
    profile = _profile(age=30, symptoms=symptoms)
    assert profile.multiple_groups is True
    assert "multiple-groups" in flag_ids(run_triage(triage_input(profile)))


def test_a_profile_with_ordinary_wording_keeps_multiple_groups_off():
    assert _profile(age=30, symptoms=["twitching", "eye twitch"]).multiple_groups is False


def test_targets_of_a_healthy_60_year_old_carry_the_b12_life_stage():
    from mealplan.targets.compute import compute_targets, run_profile_triage

    profile = _profile(age=60)
    result = run_profile_triage(profile)
    assert result is not None
    targets = compute_targets(profile, result)
    assert targets.items["vitamin_b12"].suspected
    assert not compute_targets(_profile(age=40), run_profile_triage(_profile(age=40))).items["vitamin_b12"].suspected


def test_every_red_flag_carries_its_source_into_every_output():
    rules = {r.id: r.source for r in knowledge().red_flags}
    assert all(len(src) >= 10 for src in rules.values())
    result = triage(symptoms=["tetany"], factors=["ckd"])
    assert [(f.id, f.source) for f in result.red_flags] == [
        ("low-calcium-signs", rules["low-calcium-signs"]),
        ("kidney-disease", rules["kidney-disease"]),
    ]
    assert "KDOQI" in result.red_flags[1].source
    md = to_markdown(result)
    assert f"_Source: {rules['kidney-disease']}_" in md
    table = CliRunner().invoke(cli, ["triage", "--factor", "ckd"], env={"COLUMNS": "300"}).stdout
    assert "Source: KDOQI" in table


@pytest.mark.parametrize(
    ("kind", "term", "expected"),
    [
        ("symptom", "chest pains", "chest-pain"),
        ("symptom", "perioral paresthesias", "perioral-tingling"),
        ("symptom", "carpal spasm", "tetany"),
        ("symptom", "Palpitation", "palpitations"),
        ("symptom", "tremors", "tremor"),
        ("factor", "Water Pill", "diuretics"),
        ("factor", "marathons", "endurance-exercise"),
    ],
)
def test_plural_and_singular_wordings_resolve(kind, term, expected):
    assert normalize_terms(kind, [term]) == [expected]


def test_a_plural_shared_by_two_ids_is_not_guessed():
    from mealplan.triage.engine import _singular_index

    # Every singular form left in the fallback index stands for exactly one id.
    for kind in ("symptom", "factor"):
        index = _singular_index(kind)
        assert index and all(isinstance(v, str) for v in index.values())
    with pytest.raises(InputError):
        normalize_terms("symptom", ["headaches"])


@pytest.mark.parametrize("factor", FLUID_MANAGED)
def test_fluids_are_not_suggested_when_the_prescriber_sets_them(factor):
    kwargs = {"symptoms": ["night-cramps", "twitching"], "factors": ["heavy-sweating", "low-fluid"]}
    assert "water" in {s.nutrient for s in triage(**kwargs).suspected}
    result = triage(symptoms=kwargs["symptoms"], factors=[*kwargs["factors"], factor])
    assert "water" not in {s.nutrient for s in result.suspected}
    assert {"potassium", "magnesium"} <= {s.nutrient for s in result.suspected}


def test_a_withheld_nutrient_must_be_known(tmp_path):
    import yaml

    from mealplan.errors import ConfigError
    from mealplan.triage import engine, load_knowledge

    raw = yaml.safe_load((Path(engine.__file__).parent / "knowledge.yaml").read_text(encoding="utf-8"))
    raw["withhold"]["fluids"] = ["diuretics", "lasix"]
    path = tmp_path / "k.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_knowledge(path)
    assert err.value.problems == [
        "withhold.fluids: 'fluids' is not in the nutrients section",
        "withhold.fluids: unknown factor 'lasix'",
    ]
