"""The bundled knowledge file: registry ids, complete vocabulary, and a loader that rejects bad files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from mealplan.errors import ConfigError
from mealplan.food_data.nutrients import BY_ID
from mealplan.triage import knowledge, load_knowledge, vocabulary

SYMPTOMS = [
    "muscle-twitching",
    "eyelid-twitching",
    "muscle-cramps",
    "night-cramps",
    "muscle-spasms",
    "tetany",
    "tingling",
    "perioral-tingling",
    "numbness",
    "muscle-weakness",
    "muscle-pain",
    "stiffness",
    "tremor",
    "fatigue",
    "palpitations",
    "chest-pain",
    "fainting",
    "shortness-of-breath",
    "anxiety",
    "poor-coordination",
    "seizure",
    "nausea",
    "vomiting",
    "poor-appetite",
]
FACTORS = [
    "vegan",
    "vegetarian",
    "low-dairy",
    "lactose-intolerance",
    "low-sun",
    "heavy-sweating",
    "endurance-exercise",
    "low-fluid",
    "high-caffeine",
    "alcohol",
    "high-stress",
    "poor-sleep",
    "digestive-disorder",
    "bariatric-surgery",
    "heavy-menstrual-bleeding",
    "diuretics",
    "loop-diuretic",
    "thiazide-diuretic",
    "potassium-sparing-diuretic",
    "ace-inhibitor-or-arb",
    "kidney-disease",
    "vitamin-k-antagonist",
    "hypertension",
    "acid-reducers",
    "metformin",
    "pregnant",
    "low-protein",
]


def _raw() -> dict:
    text = resources.files("mealplan.triage").joinpath("knowledge.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "knowledge.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_vocabulary_is_exactly_the_documented_ids_in_order():
    vocab = vocabulary()
    assert list(vocab["symptoms"]) == SYMPTOMS
    assert list(vocab["factors"]) == FACTORS


# Factors that change the planning rules (targets.compute) without pointing at a shortfall.
RULE_ONLY_FACTORS = {
    "potassium-sparing-diuretic",
    "ace-inhibitor-or-arb",
    "kidney-disease",
    "hypertension",
    "vitamin-k-antagonist",
}
# Warning signs that only send the person to emergency care.
FLAG_ONLY_SYMPTOMS = {"chest-pain", "fainting", "shortness-of-breath"}


def test_every_vocabulary_id_has_an_association():
    kb = knowledge()
    for tid, term in [*kb.symptoms.items(), *kb.factors.items()]:
        assert term.nutrients or tid in RULE_ONLY_FACTORS | FLAG_ONLY_SYMPTOMS, term.label


def test_every_flag_only_symptom_raises_a_red_flag():
    flagged = {s for r in knowledge().red_flags for s in r.when.symptoms}
    assert flagged >= FLAG_ONLY_SYMPTOMS


def test_knowledge_references_only_registry_nutrient_ids():
    kb = knowledge()
    used = set(kb.nutrients)
    for term in [*kb.symptoms.values(), *kb.factors.values(), *kb.life_stages.values()]:
        used |= set(term.nutrients)
    assert used <= set(BY_ID)
    assert {"magnesium", "calcium", "potassium", "sodium", "vitamin_d", "vitamin_b12", "water"} <= used


def test_key_nutrients_have_the_documented_blood_tests():
    tests = {nid: info.blood_test for nid, info in knowledge().nutrients.items()}
    assert tests["magnesium"] == "serum magnesium"
    assert tests["potassium"] == "serum potassium"
    assert tests["sodium"] == "serum sodium"
    assert tests["calcium"].startswith("serum calcium")
    assert tests["vitamin_d"] == "25-hydroxy vitamin D"
    assert "methylmalonic acid" in tests["vitamin_b12"]
    assert tests["water"] is None


def test_factors_weigh_as_much_as_specific_symptoms():
    kb = knowledge()
    strongest_symptom = max(a.weight for t in kb.symptoms.values() for a in t.nutrients.values())
    strongest_factor = max(a.weight for t in kb.factors.values() for a in t.nutrients.values())
    assert strongest_factor == strongest_symptom


def test_life_stages_cover_b12_from_51_and_vitamin_d_from_70():
    stages = knowledge().life_stages
    assert (stages["age-51-plus"].min_age, list(stages["age-51-plus"].nutrients)) == (51, ["vitamin_b12"])
    assert (stages["age-70-plus"].min_age, list(stages["age-70-plus"].nutrients)) == (70, ["vitamin_d"])


def test_required_red_flags_exist():
    ids = {r.id for r in knowledge().red_flags}
    assert ids >= {
        "long-duration",
        "multiple-groups",
        "weakness-or-stiffness",
        "numbness",
        "poor-coordination",
        "severe-pain",
        "worsening",
        "medication",
        "palpitations",
    }


def test_issue_synonyms_are_listed():
    vocab = vocabulary()
    assert "eye twitch" in vocab["symptoms"]["eyelid-twitching"]
    assert "charley horse" in vocab["symptoms"]["muscle-cramps"]
    assert "leg cramps at night" in vocab["symptoms"]["night-cramps"]
    assert "pins and needles" in vocab["symptoms"]["tingling"]
    assert {"ppi", "omeprazole"} <= set(vocab["factors"]["acid-reducers"])
    assert "water pills" in vocab["factors"]["diuretics"]
    assert "coffee" in vocab["factors"]["high-caffeine"]
    assert "marathon" in vocab["factors"]["endurance-exercise"]
    assert "plant-based" in vocab["factors"]["vegan"]


def test_the_bundled_file_loads_from_an_explicit_path(tmp_path):
    assert load_knowledge(_write(tmp_path, _raw())) == knowledge()


def test_an_unknown_nutrient_and_an_unknown_rule_term_are_both_reported(tmp_path):
    data = _raw()
    data["symptoms"]["tremor"]["nutrients"]["vitamin_q"] = {
        "weight": 1,
        "why": "A nutrient that does not exist.",
    }
    data["red_flags"][0]["when"] = {"symptoms": ["headache"]}
    with pytest.raises(ConfigError) as err:
        load_knowledge(_write(tmp_path, data))
    assert err.value.problems == [
        "symptoms.tremor.nutrients.vitamin_q: not a nutrient id of food_data/nutrients.py",
        "red_flags.emergency-signs.when.symptoms: unknown symptom 'headache'",
    ]
    assert err.value.exit_code == 2


def test_a_misspelt_field_is_a_schema_error(tmp_path):
    data = _raw()
    data["factors"]["vegan"]["synonym"] = data["factors"]["vegan"].pop("synonyms")
    with pytest.raises(ConfigError) as err:
        load_knowledge(_write(tmp_path, data))
    assert "does not match the knowledge schema" in str(err.value)
    assert err.value.problems == ["factors.vegan.synonym: Extra inputs are not permitted"]


def test_a_synonym_claimed_twice_is_reported(tmp_path):
    data = _raw()
    data["symptoms"]["fatigue"]["synonyms"].append("Charley Horse")
    with pytest.raises(ConfigError) as err:
        load_knowledge(_write(tmp_path, data))
    assert err.value.problems == [
        "symptoms.fatigue: synonym 'Charley Horse' already stands for 'muscle-cramps' in symptoms"
    ]


def test_invalid_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("symptoms: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_knowledge(path)
    assert str(err.value).startswith(f"{path} is not valid YAML")


# --- urgency, widespread wording, diets, age thresholds (issue 14) --------------------------------


def test_urgency_levels_are_urgent_soon_routine_in_that_order_and_every_flag_has_one():
    kb = knowledge()
    assert list(kb.urgency) == ["urgent", "soon", "routine"]
    assert all(r.urgency in kb.urgency for r in kb.red_flags)
    by_id = {r.id: r.urgency for r in kb.red_flags}
    assert by_id["low-calcium-signs"] == by_id["emergency-signs"] == by_id["infant"] == "urgent"
    assert by_id["palpitations"] == by_id["child"] == by_id["multiple-groups"] == "soon"
    assert by_id["medication"] == by_id["long-duration"] == by_id["kidney-disease"] == "routine"


def test_child_referral_age_lives_in_the_knowledge_file():
    rules = {r.id: r for r in knowledge().red_flags}
    assert (rules["child"].when.age.at_least, rules["child"].when.age.under) == (1, 12)
    assert (rules["infant"].when.age.at_least, rules["infant"].when.age.under) == (0, 1)


def test_diets_imply_their_risk_factor():
    assert knowledge().diet_factors == {"vegan": "vegan", "vegetarian": "vegetarian"}


def test_an_unknown_urgency_level_is_reported_with_the_allowed_ones(tmp_path):
    data = _raw()
    data["red_flags"][0]["urgency"] = "asap"
    with pytest.raises(ConfigError) as err:
        load_knowledge(_write(tmp_path, data))
    assert err.value.problems == [
        "red_flags.emergency-signs.urgency: unknown level 'asap'; allowed: urgent, soon, routine",
    ]


def test_a_synonym_with_a_widespread_phrase_is_reported(tmp_path):
    # An exact synonym "body cramps" would hide that the wording means more than one muscle group.
    data = _raw()
    data["symptoms"]["muscle-cramps"]["synonyms"].append("body cramps")
    with pytest.raises(ConfigError) as err:
        load_knowledge(_write(tmp_path, data))
    assert err.value.problems == [
        "symptoms.muscle-cramps: 'body cramps' contains a widespread phrase; "
        "leave it out (the phrase sets multiple groups)"
    ]


def test_diet_factors_and_note_exceptions_are_cross_checked(tmp_path):
    data = _raw()
    data["diet_factors"]["pescatarian"] = "fish-eater"
    data["notes"][1]["unless"] = {"factors": ["spironolactone"]}
    with pytest.raises(ConfigError) as err:
        load_knowledge(_write(tmp_path, data))
    assert err.value.problems == [
        "diet_factors.pescatarian: unknown factor 'fish-eater'",
        "notes.harmless-often.unless.factors: unknown factor 'spironolactone'",
    ]
