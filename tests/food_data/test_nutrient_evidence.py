"""Tags checked against nutrients (food_data/curation/evidence.py), over the whole bundled table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from mealplan.errors import ConfigError
from mealplan.food_data.curation import curate
from mealplan.food_data.curation import evidence as evidence_module
from mealplan.food_data.curation.evidence import EVIDENCE_FILE, animal_markers
from mealplan.food_data.table import load_bundled, read_sr24


@pytest.fixture(scope="module")
def foods() -> pd.DataFrame:
    return load_bundled().foods


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return read_sr24()[0]


def test_no_food_tagged_vegan_shows_an_animal_ingredient(foods: pd.DataFrame) -> None:
    vegan = foods[foods["diet"] == "vegan"]
    markers = animal_markers(vegan, vegan["fortified"].to_numpy(dtype=bool))
    assert not (markers != "").any(), vegan.loc[markers != "", "name"].tolist()[:10]
    assert not (vegan["cholesterol"] >= 0.5).any()
    # Retinol only where vitamin A was added (a fortified food, or a lot of it without cholesterol).
    retinol = vegan[(vegan["retinol"] > 0) & ~vegan["fortified"].astype(bool)]
    assert (retinol["retinol"] >= 100).all(), retinol["name"].tolist()[:10]


def test_no_food_tagged_vegan_has_b12_unless_fortified_with_it(foods: pd.DataFrame) -> None:
    vegan = foods[foods["diet"] == "vegan"]
    with_b12 = vegan[vegan["vitamin_b12"] > 0]
    assert (with_b12["vitamin_b12_added"] > 0).all(), with_b12.loc[~(with_b12["vitamin_b12_added"] > 0), "name"]
    assert len(with_b12) > 100  # the fortified cereals, plant milks and tofu keep theirs


@pytest.mark.parametrize(
    ("food_id", "diet"),
    [
        ("04134", "omnivore"),  # Salad dressing, home recipe, cooked: 57 mg cholesterol, retinol 49
        ("08548", "omnivore"),  # QUAKER Toasted Oatmeal Cereal: 51 mg cholesterol
        ("18039", "vegetarian"),  # Bread, oatmeal: retinol 5 µg, no cholesterol (milk)
        ("08130", "vegan"),  # QUAKER Instant Oatmeal: retinol 698 µg without cholesterol is added vitamin A
        ("16139", "vegan"),  # soymilk with added vitamins: no marker
    ],
)
def test_the_issue_foods_lose_their_vegan_tag(foods: pd.DataFrame, food_id: str, diet: str) -> None:
    assert foods.loc[food_id, "diet"] == diet, foods.loc[food_id, "name"]


def test_plant_b12_artefacts_are_zero_and_fortified_b12_is_kept(foods: pd.DataFrame, raw: pd.DataFrame) -> None:
    # "Soymilk, chocolate, unfortified": 0.7 µg in SR24, chosen 51 times as a B12 source.
    assert raw.loc["16166", "vitamin_b12"] == pytest.approx(0.7)
    assert foods.loc["16166", "vitamin_b12"] == 0
    for food_id in ("16114", "16215", "18258"):  # tempeh, an unlabelled soymilk, an English muffin
        assert raw.loc[food_id, "vitamin_b12"] > 0 and foods.loc[food_id, "vitamin_b12"] == 0
    for food_id in ("16168", "16222", "16210", "14625"):  # fortified soymilks, tofu, an energy drink
        assert foods.loc[food_id, "vitamin_b12"] == raw.loc[food_id, "vitamin_b12"] > 0
    # Animal foods keep theirs, and nothing else changed: B12 differs only where it became 0.
    assert foods.loc["01077", "vitamin_b12"] == raw.loc["01077", "vitamin_b12"] > 0
    changed = raw["vitamin_b12"].notna() & (raw["vitamin_b12"] != foods["vitamin_b12"])
    assert (foods.loc[changed, "vitamin_b12"] == 0).all()
    assert 30 < changed.sum() < 80  # 48 when written


def test_only_vegan_tags_were_raised(foods: pd.DataFrame, raw: pd.DataFrame) -> None:
    from mealplan.food_data.curation import classify_names

    named = classify_names(raw["name"], raw["usda_group"])["diet"]
    changed = named != foods["diet"]
    overridden = {"16005", "16103"}  # the override file's diet rows
    assert set(named[changed & ~foods.index.isin(overridden)]) == {"vegan"}
    assert 60 < changed.sum() < 150  # 105 when written


def test_a_user_table_without_nutrient_columns_curates() -> None:
    foods = pd.DataFrame(
        {"name": ["Lentils, cooked", "Dressing, creamy"], "cholesterol": [np.nan, 30.0]}, index=["a", "b"]
    )
    measures = pd.DataFrame({"id": [], "measure": [], "grams": []})
    out = curate(foods, measures, overrides=None)
    assert out["diet"].tolist()[0] == "vegan"
    assert out["diet"].tolist()[1] != "vegan"


def test_the_rule_file_is_checked(tmp_path: Path) -> None:
    doc = yaml.safe_load(EVIDENCE_FILE.read_text(encoding="utf-8"))
    doc["animal_markers"][0]["nutrient"] = "cholesterin"
    doc["meat_cholesterol"] = -1
    bad = tmp_path / "evidence.yaml"
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        evidence_module.evidence_rules.__wrapped__(bad)
    text = "\n".join(err.value.problems)
    assert "animal_markers.0.nutrient: unknown nutrient 'cholesterin'" in text
    assert "meat_cholesterol: Input should be greater than 0" in text


def test_no_plant_food_has_b12_unless_fortified_with_it(foods: pd.DataFrame) -> None:
    """The B12 artefact rule over every plant food, vegetarian-tagged ones too ("Soymilk, chocolate")."""
    from mealplan.food_data.curation.evidence import plant_foods

    plant = plant_foods(foods, foods["diet"].to_numpy(), foods["fortified"].to_numpy(dtype=bool))
    with_b12 = foods[plant & (foods["vitamin_b12"] > 0)]
    assert (with_b12["vitamin_b12_added"] > 0).all(), with_b12.loc[~(with_b12["vitamin_b12_added"] > 0), "name"]
    assert plant.sum() > 2500 and len(with_b12) > 100  # 2985 and 275 when written


def test_lactose_marks_milk_where_a_table_has_it() -> None:
    """FoodData Central's lactose (213) is registered; the bundled SR24 copy has none."""
    from mealplan.food_data.nutrients import BUILT_NUTRIENTS, BY_USDA_NBR

    assert BY_USDA_NBR[213].id == "lactose" and "lactose" not in BUILT_NUTRIENTS
    foods = pd.DataFrame(
        {"name": ["Bread, oatmeal", "Bread, rye"], "lactose": [0.8, 0.0], "cholesterol": [0.0, 0.0]}, index=["a", "b"]
    )
    out = curate(foods, pd.DataFrame({"id": [], "measure": [], "grams": []}), overrides=None)
    assert out["diet"].tolist() == ["vegetarian", "vegan"]
    assert "lactose" not in load_bundled().foods  # missing stays missing: no empty column is added
    assert "lactose" not in load_bundled().units  # and no unit for a column it lacks (--rich-in lactose: exit 2)


def test_classify_names_checks_vegan_tags_against_nutrients_when_given() -> None:
    from mealplan.food_data.curation import classify_names

    names = pd.Series(["Salad dressing, home recipe, cooked", "Lentils, cooked", "Orange drink, powder"])
    nutrients = pd.DataFrame({"cholesterol": [57.0, 0.0, 0.0], "retinol": [49.0, 0.0, 600.0]})
    assert classify_names(names)["diet"].tolist() == ["vegan", "vegan", "vegan"]  # names alone
    assert classify_names(names, nutrients=nutrients)["diet"].tolist() == ["omnivore", "vegan", "vegan"]


def test_a_user_csv_without_tags_gets_the_nutrient_check(tmp_path: Path) -> None:
    from mealplan.food_data.importers import read_user_csv

    path = tmp_path / "mine.csv"
    path.write_text(
        'id,name,energy,cholesterol\nu1,"Salad dressing, home recipe, cooked",150,57\nu2,"Lentils, cooked",116,0\n',
        encoding="utf-8",
    )
    table = read_user_csv(path)
    assert list(table.rows["diet"]) == ["omnivore", "vegan"]
