"""Fortified foods and the derived added-nutrient columns (food_data/curation/fortified.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from mealplan.errors import ConfigError
from mealplan.food_data import table as table_module
from mealplan.food_data.curation import fortified as fortified_module
from mealplan.food_data.curation.fortified import FORTIFIED_FILE, added_columns, fortification, fortified_rules
from mealplan.food_data.nutrients import BUILT_NUTRIENTS, BY_ID, BY_USDA_NBR, CURATED_NUTRIENTS, resolve
from mealplan.food_data.table import load_bundled

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ADDED = {
    "folic_acid": "folate",
    "niacin_added": "niacin",
    "vitamin_e_added": "vitamin_e",
    "vitamin_b12_added": "vitamin_b12",
}


@pytest.fixture(scope="module")
def foods() -> pd.DataFrame:
    return load_bundled().foods


def test_the_derived_columns_are_registered_nutrients_with_units() -> None:
    assert added_columns() == ADDED
    assert set(CURATED_NUTRIENTS) == set(ADDED)
    for column, nutrient in ADDED.items():
        assert BY_ID[column].unit == BY_ID[nutrient].unit
    # FoodData Central's real columns land on them: 431 folic acid, 573 vitamin E added, 578 B12 added.
    assert (BY_USDA_NBR[431].id, BY_USDA_NBR[573].id, BY_USDA_NBR[578].id) == (
        "folic_acid",
        "vitamin_e_added",
        "vitamin_b12_added",
    )
    assert resolve("folic acid").id == "folic_acid"  # no longer an alias of total folate
    assert not set(CURATED_NUTRIENTS) & set(BUILT_NUTRIENTS)  # the SR24 build never writes them


@pytest.mark.parametrize(
    ("food_id", "fortified", "columns"),
    [
        # A ready-to-eat cereal: everything its maker adds counts (folate 714 µg, B12 6.2 µg).
        ("08013", True, {"folic_acid": 714.0, "vitamin_b12_added": 6.2, "niacin_added": 19.1}),
        # Cooked white rice: enriched by its folate (58 µg, 181 per 100 g dry), name silent.
        ("20045", True, {"folic_acid": 58.0, "vitamin_b12_added": 0.0}),
        ("18069", True, {"folic_acid": 111.0, "niacin_added": 4.78}),  # commercial white bread
        ("20125", False, {"folic_acid": 0.0, "niacin_added": 0.0}),  # whole-wheat spaghetti
        ("11457", False, {"folic_acid": 0.0}),  # spinach: 194 µg of food folate, none added
        ("16120", False, {"vitamin_b12_added": 0.0}),  # soymilk, unfortified
        ("16222", True, {"vitamin_b12_added": 1.11, "folic_acid": 0.0}),  # soymilk with added calcium...
        ("01077", True, {"folic_acid": 0.0, "vitamin_b12_added": 0.0}),  # milk with vitamin D: milk's own B12
        ("14154", True, {"niacin_added": 8.5, "vitamin_b12_added": 1.96}),  # named: niacin, B12
        ("14264", False, {"niacin_added": 0.0}),  # fruit punch "without added nutrients"
    ],
)
def test_fortified_foods_and_what_was_added(foods: pd.DataFrame, food_id: str, fortified: bool, columns) -> None:
    row = foods.loc[food_id]
    assert bool(row["fortified"]) is fortified, row["name"]
    for column, value in columns.items():
        assert row[column] == pytest.approx(value), (row["name"], column)


def test_vitamin_e_named_in_a_list_counts_as_added(foods: pd.DataFrame) -> None:
    row = foods.loc["19273"]  # "... Fruit Roll, strawberry, with vitamins A, C, and E"; E not analysed
    assert row["fortified"] and np.isnan(row["vitamin_e"])
    assert np.isnan(row["vitamin_e_added"])  # unknown, not 0: its maker added some


def test_over_the_whole_table_added_is_part_of_its_nutrient_and_zero_when_unfortified(foods: pd.DataFrame) -> None:
    for column, nutrient in ADDED.items():
        added, total = foods[column], foods[nutrient]
        assert (added.dropna() >= 0).all()
        assert (added[~foods["fortified"].astype(bool)] == 0).all(), column
        both = added.notna() & total.notna()
        assert (added[both] <= total[both] + 1e-9).all(), column
        # Unknown only where the nutrient itself is unknown.
        assert total[added.isna()].isna().all(), column
    fortified = foods["fortified"].astype(bool)
    assert 700 < fortified.sum() < 1100  # 927 when written
    planner = foods[foods["planner"].astype(bool)]
    assert (planner["folic_acid"] > 0).sum() > 100  # the planner has enriched grains and cereals to count


def test_a_tables_real_columns_win_over_the_estimate() -> None:
    frame = pd.DataFrame(
        {
            "name": ["Cereals ready-to-eat, TEST O'S", "Cereals ready-to-eat, TEST FLAKES"],
            "usda_group": ["Breakfast Cereals", "Breakfast Cereals"],
            "folate": [700.0, 400.0],
            "folic_acid": [650.0, np.nan],  # as FoodData Central gives it (431), for one food only
            "vitamin_b12": [6.0, 0.0],
            "water": [3.0, 3.0],
        },
        index=["a", "b"],
    )
    out = fortification(frame, np.array(["grains", "grains"]), np.array(["vegan", "vegan"]))
    assert out.fortified.tolist() == [True, True]
    assert out.added["folic_acid"].tolist() == [650.0, 400.0]
    assert out.added["vitamin_b12_added"].tolist() == [6.0, 0.0]
    assert np.isnan(out.added["vitamin_e_added"]).all()  # vitamin E unknown: the added amount is too


def test_the_rule_file_lists_every_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = yaml.safe_load(FORTIFIED_FILE.read_text(encoding="utf-8"))
    doc["kinds"][0]["adds"].append("folate_added")
    doc["evidence"][0]["min"]["vitamin_b13"] = 1.0
    doc["kinds"][1]["categories"] = ["cereal"]
    bad = tmp_path / "fortified.yaml"
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        fortified_module.fortified_rules.__wrapped__(bad)
    text = "\n".join(err.value.problems)
    assert "evidence.0.min: unknown nutrients ['vitamin_b13']" in text
    assert "kinds.1.categories: unknown categories ['cereal']" in text
    assert len(err.value.problems) == 2  # references (adds) are checked once the fields pass
    doc = yaml.safe_load(FORTIFIED_FILE.read_text(encoding="utf-8"))
    doc["kinds"][0]["adds"].append("folate_added")
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ConfigError, match="kinds.0.adds: 'folate_added' is not one of added"):
        fortified_module.fortified_rules.__wrapped__(bad)
    assert fortified_rules() is fortified_rules()


def test_the_fortification_change_left_every_other_column_as_it_was() -> None:
    """The fingerprint before issue 14's data work, column by column: only the new columns, the
    B12 artefacts (vitamin_b12, see test_nutrient_evidence) and the vegan tags (diet) differ."""
    from tests.food_data.test_curation_data import fingerprint

    before = json.loads((FIXTURES / "curated_fingerprint_before_fortified.json").read_text())
    now = fingerprint(table_module._build_bundled().foods)  # as the fingerprint test builds it
    changed = {c for c in before["columns"] if now["columns"].get(c) != before["columns"][c]}
    assert changed <= {"vitamin_b12", "diet"}
    assert set(now["columns"]) - set(before["columns"]) == {"fortified", *ADDED}
    assert (now["rows"], now["index"]) == (before["rows"], before["index"])


def test_the_one_pass_name_search_agrees_with_pandas() -> None:
    from mealplan.food_data.curation.fortified import Names
    from mealplan.food_data.table import read_sr24

    names = read_sr24()[0]["name"]
    rules = fortified_rules()
    patterns = [rules.name_says, rules.name_denies, *rules.named.values()]
    patterns += [r.names for r in (*rules.evidence, *rules.kinds) if r.names]
    patterns += [r.unless for r in (*rules.evidence, *rules.kinds) if r.unless]
    searched = Names(names)
    for pattern in patterns:
        expected = names.str.contains(pattern, case=False, regex=True).to_numpy()
        assert (searched.contains(pattern) == expected).all(), pattern
    assert Names(pd.Series(["Oats,\ncereals", "Cereals, X"])).contains("^cereals").tolist() == [False, True]
