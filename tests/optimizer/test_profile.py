"""Profiles: loading YAML/TOML/JSON, strict validation with all problems at once, examples."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mealplan.errors import ConfigError
from mealplan.food_data.matching import food_matches
from mealplan.food_data.reference import ACTIVITIES
from mealplan.food_data.vocab import DIETS, SLOTS
from mealplan.targets.compute import triage_input
from mealplan.targets.profile import Profile
from mealplan.targets.profile_files import load_profile, profile_from_dict

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "profiles").glob("*.yaml")) + sorted(
    p for p in (ROOT / "examples" / "batch").iterdir() if p.suffix in (".yaml", ".yml", ".toml", ".json")
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(exc: pytest.ExceptionInfo[ConfigError]) -> list[str]:
    return exc.value.problems


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_profile_loads(path):
    profile = load_profile(path)
    assert profile.id
    assert 1 <= profile.age <= 120


def test_batch_examples_cover_the_range():
    profiles = [load_profile(p) for p in EXAMPLES if p.parent.name == "batch"]
    assert len(profiles) >= 10
    assert min(p.age for p in profiles) <= 14 and max(p.age for p in profiles) >= 85
    assert {p.sex for p in profiles} == {"female", "male"}
    assert {p.diet for p in profiles} == set(DIETS)
    assert any(p.allergies for p in profiles) and any(p.symptoms for p in profiles)
    assert {p.suffix for p in EXAMPLES if p.parent.name == "batch"} == {".yaml", ".toml", ".json"}


def test_vegan_example_fields():
    p = load_profile(ROOT / "examples" / "profiles" / "vegan_twitching.yaml")
    assert p.diet == "vegan" and p.sex == "female"
    assert "tingling" in p.symptoms and "vegan" in p.factors


def test_synonyms_are_stored_as_ids():
    p = profile_from_dict(
        {
            "id": "a",
            "age": 40,
            "sex": "F",
            "allergies": ["lactose", "Dairy", "nuts"],
            "symptoms": ["charley horse", "eyelid twitch"],
            "factors": ["PPI", "water pills"],
            "nutrients": {"Mg": {"min": 400}, "B12": 3, "Vitamin D": {"max": 50}},
            "suspected": ["b12", "vitamin_b12"],
        }
    )
    assert p.sex == "female"
    assert p.allergies == ["milk", "tree_nuts"]
    assert p.symptoms == ["muscle-cramps", "eyelid-twitching"]
    assert p.factors == ["acid-reducers", "diuretics"]
    assert p.nutrients["magnesium"].min == 400 and p.nutrients["magnesium"].max is None
    assert p.nutrients["vitamin_b12"].min == 3
    assert p.nutrients["vitamin_d"].max == 50
    assert p.suspected == ["vitamin_b12"]
    assert p.meals == list(SLOTS)


def test_semicolon_lists_from_batch_rows():
    p = profile_from_dict({"id": "row-1", "age": "30", "sex": "male", "allergies": "egg; soy", "meals": "lunch;dinner"})
    assert p.age == 30 and p.allergies == ["egg", "soy"] and p.meals == ["lunch", "dinner"]


def test_typo_key_suggests_the_right_one(tmp_path):
    path = write(tmp_path, "p.yaml", "id: a\nage: 30\nsex: female\nalergies: [milk]\n")
    with pytest.raises(ConfigError) as exc:
        load_profile(path)
    assert str(path) in str(exc.value)
    assert "alergies: unknown field; did you mean allergies?" in problems_of(exc)


def test_nested_typo_and_unknown_nutrient(tmp_path):
    path = write(
        tmp_path,
        "p.yaml",
        "id: a\nage: 30\nsex: female\nnutrients:\n  magnesium: {mn: 400}\n  magnesum: {min: 1}\n",
    )
    with pytest.raises(ConfigError) as exc:
        load_profile(path)
    probs = problems_of(exc)
    assert "nutrients.magnesium.mn: unknown field; did you mean min?" in probs
    assert any(p.startswith("nutrients.magnesum: unknown nutrient 'magnesum'; did you mean 'magnesium'") for p in probs)


def test_wrong_type_and_out_of_range(tmp_path):
    path = write(tmp_path, "p.yaml", "id: a\nage: thirty\nsex: female\nweight_kg: 900\nactivity: couch\n")
    with pytest.raises(ConfigError) as exc:
        load_profile(path)
    probs = problems_of(exc)
    assert any(p.startswith("age: ") and "'thirty'" in p for p in probs)
    assert any(p.startswith("weight_kg: ") and "350" in p and "(got 900)" in p for p in probs)
    assert any(p.startswith("activity: ") and "'very_active'" in p for p in probs)


def test_out_of_range_age():
    with pytest.raises(ConfigError) as exc:
        profile_from_dict({"id": "a", "age": 130, "sex": "male"}, source="row 3")
    assert str(exc.value).startswith("row 3: the profile is not valid:")
    assert "age: Input should be less than or equal to 120 (got 130)" in problems_of(exc)


def test_pregnant_male_and_other_cross_field_rules():
    with pytest.raises(ConfigError) as exc:
        profile_from_dict({"id": "a", "age": 30, "sex": "male", "pregnant": True, "trimester": 2})
    assert problems_of(exc) == ["pregnant: pregnant is true but sex is 'male'; pregnant applies to sex female only"]
    with pytest.raises(ConfigError, match="trimester 2 is given but pregnant is not true"):
        profile_from_dict({"id": "a", "age": 30, "sex": "female", "trimester": 2})
    with pytest.raises(ConfigError, match="no combined group"):
        profile_from_dict({"id": "a", "age": 30, "sex": "female", "pregnant": True, "lactating": True})
    with pytest.raises(ConfigError, match="age 8 with pregnant: allowed 10-60"):
        profile_from_dict({"id": "a", "age": 8, "sex": "female", "pregnant": True})


def test_all_errors_at_once(tmp_path):
    text = (
        "id: 'bad id'\n"
        "age: 0\n"
        "sex: male\n"
        "pregnant: true\n"
        "alergies: [milk]\n"
        "allergies: [peanut butter]\n"
        "meals: [lunch, lunch]\n"
        "symptoms: [twitchy eye]\n"
        "nutrients: {calcium: {min: 5, max: 3}}\n"
    )
    with pytest.raises(ConfigError) as exc:
        load_profile(write(tmp_path, "p.yaml", text))
    fields = [p.split(":")[0] for p in problems_of(exc)]
    for field in (
        "id",
        "age",
        "alergies",
        "allergies[0]",
        "meals",
        "symptoms[0]",
        "nutrients.calcium",
        "pregnant",
    ):
        assert field in fields, (field, problems_of(exc))
    assert any("did you mean 'eyelid-twitching'" in p for p in problems_of(exc))
    assert any("min 5 is above max 3" in p for p in problems_of(exc))


def test_missing_required_fields():
    with pytest.raises(ConfigError) as exc:
        profile_from_dict({"name": "no id"})
    assert {
        "id: required field is missing",
        "age: required field is missing",
        "sex: required field is missing",
    } <= set(problems_of(exc))


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, "p.yaml", "id: a\nage: 30\nsex: [female\ndiet: vegan\n")
    with pytest.raises(ConfigError) as exc:
        load_profile(path)
    msg = str(exc.value)
    assert msg.startswith(f"{path}: line ") and "not valid YAML" in msg
    assert "line 4" in msg


def test_yaml_duplicate_key_is_an_error(tmp_path):
    path = write(tmp_path, "p.yaml", "id: a\nage: 30\nsex: female\nage: 31\n")
    with pytest.raises(ConfigError, match=r"line 4, column 1: not valid YAML: duplicate key 'age' \(first on line 2\)"):
        load_profile(path)


def test_toml_and_json_syntax_errors_give_lines(tmp_path):
    with pytest.raises(ConfigError, match=r"p.toml: line 2, column \d+: not valid TOML"):
        load_profile(write(tmp_path, "p.toml", 'id = "a"\nage = = 3\n'))
    with pytest.raises(ConfigError, match=r"p.json: line 3, column \d+: not valid JSON"):
        load_profile(write(tmp_path, "p.json", '{"id": "a",\n "age": 30,\n "sex": female}\n'))


def test_format_is_sniffed_for_other_names(tmp_path):
    assert load_profile(write(tmp_path, "a.txt", '{"id": "j", "age": 30, "sex": "male"}')).id == "j"
    assert load_profile(write(tmp_path, "b.cfg", 'id = "t"\nage = 30\nsex = "male"\n')).id == "t"
    assert load_profile(write(tmp_path, "c", "id: y\nage: 30\nsex: male\n")).id == "y"


def test_missing_file_and_non_mapping(tmp_path):
    with pytest.raises(ConfigError, match="profile file not found"):
        load_profile(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="must be a mapping of fields .* got a list"):
        load_profile(write(tmp_path, "l.yaml", "- a\n- b\n"))
    with pytest.raises(ConfigError, match="got empty"):
        load_profile(write(tmp_path, "e.yaml", ""))


def test_prices_relative_to_profile_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "prices.csv", "id,price\n09040,0.25\n")
    p = load_profile(write(tmp_path / "sub", "p.yaml", "id: a\nage: 30\nsex: male\nprices: prices.csv\nbudget: 5\n"))
    assert p.prices == (tmp_path / "sub" / "prices.csv").resolve()
    with pytest.raises(ConfigError) as exc:
        load_profile(write(tmp_path, "q.yaml", "id: a\nage: 30\nsex: male\nprices: missing.csv\n"))
    assert any(p.startswith("prices: file not found: ") and "'missing.csv'" in p for p in problems_of(exc))


def test_vocabularies_match_shared_ones():
    fields = Profile.model_fields
    assert set(get_args(fields["activity"].annotation)) == set(ACTIVITIES)
    assert set(get_args(fields["diet"].annotation)) == set(DIETS)
    slot = get_args(fields["meals"].annotation)[0]  # Annotated[Literal[...], validator]
    assert set(get_args(get_args(slot)[0])) == set(SLOTS)


@pytest.mark.parametrize(
    ("pattern", "food_id", "name", "hit"),
    [
        ("09040", "09040", "Bananas, raw", True),
        ("banana", "09040", "Bananas, raw", True),
        ("BANANA", "09040", "Bananas, raw", True),
        ("apple", "09040", "Bananas, raw", False),
        ("*raw", "09040", "Bananas, raw", True),
        ("raw*", "09040", "Bananas, raw", False),
        ("*liver*", "05027", "Chicken, liver, all classes, raw", True),
        ("090", "09040", "Bananas, raw", False),
    ],
)
def test_food_matches(pattern, food_id, name, hit):
    assert food_matches(pattern, food_id, name) is hit


def test_triage_input():
    assert triage_input(profile_from_dict({"id": "a", "age": 30, "sex": "male"})) is None
    p = profile_from_dict(
        {
            "id": "a",
            "age": 70,
            "sex": "female",
            "symptoms": ["cramps"],
            "factors": ["vegan"],
            "symptom_days": 20,
            "worsening": True,
        }
    )
    inp = triage_input(p)
    assert inp.symptoms == ["muscle-cramps"] and inp.factors == ["vegan"]
    assert inp.days == 20 and inp.worsening and inp.age == 70 and inp.sex == "female" and not inp.pregnant


@settings(max_examples=40, deadline=None)
@given(
    age=st.integers(1, 120),
    sex=st.sampled_from(["female", "male"]),
    diet=st.sampled_from(DIETS),
    activity=st.sampled_from(ACTIVITIES),
    meals=st.lists(st.sampled_from(SLOTS), min_size=1, max_size=4, unique=True),
    weight=st.none() | st.floats(5, 350),
    magnesium=st.floats(0, 2000),
)
def test_round_trip(age, sex, diet, activity, meals, weight, magnesium):
    p = profile_from_dict(
        {
            "id": "rt",
            "age": age,
            "sex": sex,
            "diet": diet,
            "activity": activity,
            "meals": meals,
            "weight_kg": weight,
            "nutrients": {"magnesium": {"min": magnesium}},
        }
    )
    assert profile_from_dict(p.model_dump(mode="json")) == p
