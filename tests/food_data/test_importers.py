"""User CSV and FoodData Central importers, on tiny fixtures with hand-checkable values."""

from __future__ import annotations

import math
import shutil
import sys
import types
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mealplan.errors import FoodDataError
from mealplan.food_data import importers
from mealplan.food_data.fdc import read_fdc_folder, read_fdc_zip
from mealplan.food_data.importers import read_user_csv
from mealplan.food_data.loading import is_zip
from mealplan.food_data.table import CURATION_COLUMNS, INFO_COLUMNS, read_sr24

FIXTURES = Path(__file__).parent.parent / "fixtures"
FDC = FIXTURES / "fdc"
EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "foods" / "custom_foods.csv"
# The FDC fixture's foods and their SR24 (NDB) ids, from sr_legacy_food.csv.
FDC_TO_NDB = {"168462": "11457", "170567": "12061", "171287": "01123", "171688": "09003"}


def fake_classifier(calls: list) -> types.ModuleType:
    """A stand-in food_data.curation whose classify_names is simple and records its calls."""

    def classify_names(names: pd.Series, usda_groups: pd.Series | None = None, nutrients=None) -> pd.DataFrame:
        calls.append((list(names), None if usda_groups is None else list(usda_groups)))
        low = names.str.lower()
        return pd.DataFrame(
            {
                "category": ["legumes" if "lentil" in n or "tofu" in n else "other" for n in low],
                "diet": ["vegetarian" if "milk" in n else "vegan" for n in low],
                "allergens": ["milk" if "milk" in n else "" for n in low],
            },
            index=names.index,
        )

    def curate(foods: pd.DataFrame, measures: pd.DataFrame, overrides: object = None) -> pd.DataFrame:
        """Tags from classify_names; the first measure is the serving; every food as eaten, 500 g a day."""
        tags = classify_names(foods["name"], foods["usda_group"])
        first = measures.drop_duplicates("id").set_index("id")
        out = foods.copy()
        for tag in ("category", "diet", "allergens"):
            out[tag] = tags[tag].to_numpy()
        out["as_eaten"] = True
        out["serving_name"] = first["measure"].reindex(foods.index).fillna("100 g").astype(str)
        out["serving_g"] = first["grams"].reindex(foods.index).fillna(100.0).astype(float)
        out["max_g"] = 500.0
        out["slots"] = "breakfast;lunch;dinner;snack"
        out["planner"] = True
        out["price"] = math.nan
        return out

    module = types.ModuleType("mealplan.food_data.curation")
    module.classify_names = classify_names
    module.curate = curate
    return module


@pytest.fixture
def classify_calls(monkeypatch: pytest.MonkeyPatch) -> list:
    calls: list = []
    monkeypatch.setitem(sys.modules, "mealplan.food_data.curation", fake_classifier(calls))
    return calls


def write(tmp_path: Path, text: str, name: str = "foods.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(FoodDataError) as err:
        read_user_csv(path)
    assert err.value.exit_code == 2
    return err.value.problems


# --- user CSV: good files -----------------------------------------------------------------------


def test_user_csv_reads_aliases_units_custom_nutrients_and_tags(classify_calls: list) -> None:
    t = read_user_csv(FIXTURES / "user_foods_good.csv")
    f = t.foods
    assert list(f.index) == ["u_tofu", "u_milk", "u_soup"]
    assert list(f.columns[: len(INFO_COLUMNS + CURATION_COLUMNS)]) == list(INFO_COLUMNS + CURATION_COLUMNS)
    assert t.basis == "100 g"  # "100g" and blank both mean the default basis
    # Headers by alias and display name; calcium[g] and vitamin_d[IU] converted to registry units.
    assert f.at["u_tofu", "magnesium"] == 58
    assert f.at["u_tofu", "calcium"] == pytest.approx(683)
    assert f.at["u_milk", "vitamin_d"] == pytest.approx(44 / 40)
    assert f.at["u_milk", "vitamin_b12"] == pytest.approx(0.53)
    # Blank cells are unknown, never zero; a custom nutrient keeps its declared unit.
    assert math.isnan(f.at["u_soup", "vitamin_b12"]) and math.isnan(f.at["u_tofu", "vitamin_d"])
    assert f.at["u_soup", "oxalate"] == 2.5 and math.isnan(f.at["u_milk", "oxalate"])
    assert t.units == {
        "magnesium": "mg",
        "calcium": "mg",
        "vitamin_b12": "µg",
        "vitamin_d": "µg",
        "energy": "kcal",
        "oxalate": "mg",
    }
    # Nutrient columns: registry ones in registry order, then custom ones.
    assert t.nutrient_columns == ["energy", "calcium", "magnesium", "vitamin_b12", "vitamin_d", "oxalate"]
    # Given tags are kept and normalised; blank ones come from the classifier; "none" means none.
    assert f.loc["u_tofu", ["category", "diet", "allergens", "slots"]].tolist() == [
        "legumes",
        "vegan",
        "soy",
        "lunch;dinner",
    ]
    assert f.loc["u_milk", ["category", "diet", "allergens"]].tolist() == ["other", "vegetarian", "milk"]
    assert f.at["u_soup", "category"] == "mixed dishes" and f.at["u_soup", "allergens"] == ""
    assert f.at["u_soup", "diet"] == "vegan"
    assert classify_calls == [(["Tofu, firm, calcium-set", "Milk, 2%, fortified", "Lentil soup"], None)]
    # Defaults: 100 g serving, 500 g a day, all slots, as eaten, in the planner set.
    assert f.loc["u_milk", ["serving_name", "serving_g", "max_g"]].tolist() == ["100 g", 100.0, 500.0]
    assert f.at["u_milk", "slots"] == "breakfast;lunch;dinner;snack"
    assert f["as_eaten"].tolist() == [True, True, True] and f["planner"].all()
    assert f.at["u_soup", "max_g"] == 500 and f.at["u_tofu", "max_g"] == 300
    assert f["price"].tolist() == [0.55, 0.12, 0.18]
    assert (f["source"] == str(FIXTURES / "user_foods_good.csv")).all()
    assert t.measures_of("u_tofu") == [("1/2 cup", 126.0)]
    assert t.measures_of("u_milk") == []


def test_classifier_is_not_needed_when_every_tag_is_given(classify_calls: list) -> None:
    t = read_user_csv(EXAMPLE)
    assert classify_calls == []
    assert len(t) == 16 and t.foods.index.is_unique
    assert set(t.foods["category"]) <= set(importers.CATEGORIES)
    assert set(t.foods["diet"]) <= set(importers.DIETS)


def test_commodity_table_keeps_its_basis(classify_calls: list) -> None:
    t = read_user_csv(FIXTURES / "user_foods_commodities.csv")
    assert t.basis == "1 lb"
    assert t.foods.at["rolled_oats", "magnesium"] == 625
    assert t.foods.at["rolled_oats", "serving_name"] == "1 lb"
    assert t.foods.at["rolled_oats", "serving_g"] == pytest.approx(453.59237)
    assert t.foods["max_g"].isna().all()  # no portion limit by default for a commodity table


def test_energy_in_kilojoules_and_micrograms_spelled_mcg(tmp_path: Path, classify_calls: list) -> None:
    path = write(tmp_path, "id,name,energy[kJ],vitamin_b12[mcg],folate[mg]\nx,Oats,1586.3,0,0.056\n")
    f = read_user_csv(path).foods
    assert f.at["x", "energy"] == pytest.approx(379.1, abs=0.05)
    assert f.at["x", "folate"] == pytest.approx(56)


def test_serving_grams_without_a_name_is_named_in_grams(tmp_path: Path, classify_calls: list) -> None:
    t = read_user_csv(write(tmp_path, "id,name,serving_g\nx,Rice,150\n"))
    assert t.foods.at["x", "serving_name"] == "150 g"
    assert t.measures_of("x") == [("150 g", 150.0)]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False)),
            st.one_of(st.none(), st.floats(min_value=0, max_value=1e4, allow_nan=False)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_values_round_trip_through_a_csv(tmp_path_factory: pytest.TempPathFactory, values: list) -> None:
    calls: list = []
    name = "mealplan.food_data.curation"
    sys.modules[name], saved = fake_classifier(calls), sys.modules.get(name)
    try:
        lines = ["id,name,magnesium,vitamin_d"]
        for i, (mg, d) in enumerate(values):
            lines.append(f"f{i},Food {i},{'' if mg is None else repr(mg)},{'' if d is None else repr(d)}")
        path = tmp_path_factory.mktemp("rt") / "foods.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        f = read_user_csv(path).foods
    finally:
        if saved is None:
            del sys.modules["mealplan.food_data.curation"]
        else:
            sys.modules["mealplan.food_data.curation"] = saved
    for i, (mg, d) in enumerate(values):
        for col, v in (("magnesium", mg), ("vitamin_d", d)):
            got = f.at[f"f{i}", col]
            assert math.isnan(got) if v is None else got == v


# --- user CSV: broken files ---------------------------------------------------------------------


def test_broken_file_lists_every_problem_once(classify_calls: list) -> None:
    path = FIXTURES / "user_foods_broken.csv"
    problems = problems_of(path)
    expected = [
        "row 3, column 'id': 'b1' is a duplicate id (first used on row 2)",
        "row 4, column 'magnesium': 'lots' is not a number (leave the cell blank when unknown)",
        "row 4, column 'calcium': '-5' is negative; amounts must be 0 or more",
        "row 4, column 'vitamin_d': 'nan' is NaN; leave the cell blank when unknown",
        "row 4, column 'name': '' is blank; every food needs a name",
        "row 4, column 'diet': 'keto' is not a known diet; allowed: vegan, vegetarian, pescatarian, omnivore",
        "row 4, column 'category': 'veggies' is not a known category; allowed: vegetables, fruits,",
        "row 4, column 'allergens': 'pollen' is not a known allergen; allowed: none, milk, egg,",
        "row 4, column 'slots': 'brunch' is not a meal slot; allowed: breakfast, lunch, dinner, snack",
        "row 4, column 'serving_g': '0' must be more than 0 grams",
        "row 5, column 'magnesium': '1e999' is infinite; amounts must be finite numbers",
        "row 5, column 'serving_g': 'abc' is not a number",
        "row 5, column 'id': '' is blank; every food needs a unique id",
    ]
    assert len(problems) == len(expected)
    for text in expected:
        assert sum(p.startswith(f"{path}: {text}") for p in problems) == 1, text
    assert classify_calls == []  # nothing is classified before the file is valid


def test_message_counts_the_problems(classify_calls: list) -> None:
    with pytest.raises(FoodDataError) as err:
        read_user_csv(FIXTURES / "user_foods_broken.csv")
    assert str(err.value).startswith(f"Cannot read food table {FIXTURES / 'user_foods_broken.csv'} (13 problems):")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("empty", "the file is empty; a food table needs a header row with at least id and name"),
        ("header_only", "the file has a header but no food rows"),
        ("binary", "not a CSV file (it holds binary data); save the table as CSV (UTF-8)"),
        ("semicolon", "row 1: the header 'id;name;magnesium' is one column; the file looks separated by ';'"),
        (
            "mixed_basis",
            "column 'per': the file mixes bases '1 lb' (first on row 2), '100 g' (first on row 3)",
        ),
    ],
)
def test_unreadable_files(name: str, text: str, classify_calls: list) -> None:
    path = FIXTURES / f"user_foods_{name}.csv"
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}: {text}")


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 10)
    path = write(tmp_path, "id,name\na,Apple\n")
    assert problems_of(path) == [f"{path}: file is too large (0.0 MB); the limit is 0 MB"]


def test_missing_required_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "food,magnesium\nAlmonds,268\n")
    assert problems_of(path) == [
        f"{path}: row 1: missing required column 'id' (columns found: 'food', 'magnesium')",
        f"{path}: row 1: missing required column 'name' (columns found: 'food', 'magnesium')",
    ]


def test_header_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,ca,calcium,magnesium[IU],deprecated\na,Apple,1,2,3,no\n")
    assert problems_of(path) == [
        f"{path}: row 1: columns 'ca' and 'calcium' both mean 'calcium'; keep one",
        f"{path}: row 1, column 'magnesium[IU]': unit 'IU' cannot be converted to magnesium's unit 'mg'; "
        "use mg or another mass unit (g, mg, µg)",
        f"{path}: row 1, column 'deprecated': mealplan sets 'deprecated' itself; remove or rename the column",
    ]


def test_text_in_an_unknown_column_keeps_it_as_text(tmp_path: Path) -> None:
    """An unknown column holding text (a brand, a unit, notes) is kept as text, not read as a nutrient;
    a ``source`` column is kept as ``source_note`` (``source`` is the table the food came from)."""
    path = write(tmp_path, "id,name,brand,magnesium,source,rating\na,Oats,Acme,138,Stigler 1945,2\nb,Rice,,25,,\n")
    table = read_user_csv(path)
    assert table.units == {"magnesium": "mg", "rating": "unit"}
    assert table.rows["brand"].tolist() == ["Acme", ""]
    assert table.rows["source_note"].tolist() == ["Stigler 1945", ""]
    assert table.rows["source"].tolist() == [str(path)] * 2


def test_row_with_too_many_fields_and_serving_without_grams(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,serving_name,serving_g\na,Apple,1 medium,\nb,Pear,1 pear,178,extra\n")
    assert problems_of(path) == [
        f"{path}: row 2, column 'serving_g': '' is blank but serving_name is '1 medium'; give its grams",
        f"{path}: row 3 has 5 fields but the header has 4",
    ]


def test_decimal_comma_hint(tmp_path: Path) -> None:
    path = write(tmp_path, 'id,name,magnesium\na,Oats,"138,5"\n')
    assert problems_of(path) == [
        f"{path}: row 2, column 'magnesium': '138,5' is not a number (use a dot as the decimal separator)"
    ]


# --- FoodData Central ---------------------------------------------------------------------------


def test_fdc_fixture_matches_the_sr24_values(classify_calls: list) -> None:
    t = read_fdc_folder(FDC)
    f = t.foods
    assert list(f.index) == [f"fdc:{i}" for i in sorted(FDC_TO_NDB)]
    assert list(f.columns[: len(INFO_COLUMNS + CURATION_COLUMNS)]) == list(INFO_COLUMNS + CURATION_COLUMNS)
    sr24, _ = read_sr24()
    for fdc_id, ndb in FDC_TO_NDB.items():
        for n in ("energy", "protein", "fat", "carbohydrate", "calcium", "magnesium", "potassium", "sodium"):
            assert f.at[f"fdc:{fdc_id}", n] == pytest.approx(sr24.at[ndb, n]), (fdc_id, n)
    # Energy from the kcal row, never the kJ row (apple: 52 kcal, 218 kJ).
    assert f.at["fdc:171688", "energy"] == 52
    # Vitamin D: the µg row wins over IU/40 (egg: 2.0 µg and 82 IU); IU alone is divided by 40.
    assert f.at["fdc:171287", "vitamin_d"] == 2.0
    assert f.at["fdc:170567", "vitamin_d"] == 0.0
    # Folate is the total (nbr 417), not DFE (435); an absent row is unknown, not zero.
    assert f.at["fdc:168462", "folate"] == 194
    assert math.isnan(f.at["fdc:170567", "vitamin_b12"])
    assert t.units["vitamin_d"] == "µg" and t.units["energy"] == "kcal" and t.basis == "100 g"
    assert f.at["fdc:168462", "usda_group"] == "Vegetables and Vegetable Products"
    assert f.at["fdc:171688", "name"].startswith("Apples, raw, with skin")
    assert classify_calls[0][1] == [
        "Vegetables and Vegetable Products",
        "Nut and Seed Products",
        "Dairy and Egg Products",
        "Fruits and Fruit Juices",
    ]
    assert f.at["fdc:168462", "diet"] == "vegan" and f.at["fdc:171287", "category"] == "other"


def test_fdc_portions_become_measures_and_the_first_is_the_serving(classify_calls: list) -> None:
    t = read_fdc_folder(FDC)
    assert t.measures_of("fdc:171688") == [
        ("cup, quartered or chopped", 125.0),
        ("cup slices", 109.0),
        ('medium (3" dia)', 182.0),
    ]
    assert t.foods.loc["fdc:171287", ["serving_name", "serving_g"]].tolist() == ["large", 50.0]
    assert len(t.measures) == 12


def copy_fdc(tmp_path: Path) -> Path:
    folder = tmp_path / "FoodData_Central_sr_legacy_food_csv_2018-04"
    shutil.copytree(FDC, folder)
    return folder


def test_fdc_vitamin_d_from_iu_when_no_microgram_row(tmp_path: Path, classify_calls: list) -> None:
    folder = copy_fdc(tmp_path)
    path = folder / "food_nutrient.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line for line in lines if '"171287","1114"' not in line) + "\n")
    assert read_fdc_folder(folder).foods.at["fdc:171287", "vitamin_d"] == pytest.approx(82 / 40)


def test_fdc_foundation_style_portions_and_sample_foods(tmp_path: Path, classify_calls: list) -> None:
    folder = copy_fdc(tmp_path)
    with open(folder / "food_portion.csv", "a") as fh:
        fh.write('"99001","168462","4","0.5","1000","","chopped","15",,,\n')
    with open(folder / "food.csv", "a") as fh:
        fh.write('"999999","sub_sample_food","Spinach, raw, sample 1","11","2019-04-01"\n')
    with open(folder / "food_nutrient.csv", "a") as fh:
        fh.write('"9000001","999999","1090","80","","","","","","",""\n')
    t = read_fdc_folder(folder)
    assert "fdc:999999" not in t.foods.index
    assert t.measures_of("fdc:168462")[-1] == ("0.5 cup, chopped", 15.0)


def test_fdc_download_folder_inside_a_folder(tmp_path: Path, classify_calls: list) -> None:
    copy_fdc(tmp_path)
    assert len(read_fdc_folder(tmp_path)) == 4


def test_fdc_errors_name_file_row_and_column(tmp_path: Path, classify_calls: list) -> None:
    folder = copy_fdc(tmp_path)
    path = folder / "food_nutrient.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace('"0.39"', '"lots"')
    path.write_text("\n".join(lines) + "\n")
    (folder / "nutrient.csv").write_text('"id","name","unit_name"\n"1003","Protein","G"\n')
    with pytest.raises(FoodDataError) as err:
        read_fdc_folder(folder)
    assert err.value.problems == [
        f"{folder / 'nutrient.csv'}: row 1: missing required column 'nutrient_nbr' "
        "(columns found: 'id', 'name', 'unit_name')"
    ]
    (folder / "nutrient.csv").write_text((FDC / "nutrient.csv").read_text())
    with pytest.raises(FoodDataError) as err:
        read_fdc_folder(folder)
    assert err.value.problems == [f"{path}: row 3, column 'amount': 'lots' must be a number of 0 or more"]


def test_fdc_missing_files_and_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(FoodDataError, match="is not a FoodData Central CSV folder: no food.csv in it"):
        read_fdc_folder(tmp_path)
    (tmp_path / "food.csv").write_text((FDC / "food.csv").read_text())
    with pytest.raises(FoodDataError) as err:
        read_fdc_folder(tmp_path)
    assert err.value.problems == [
        f"{tmp_path / 'nutrient.csv'}: missing; a FoodData Central folder needs nutrient.csv",
        f"{tmp_path / 'food_nutrient.csv'}: missing; a FoodData Central folder needs food_nutrient.csv",
    ]


# --- with the real classifier (food_data.curation) ----------------------------------------------


@pytest.fixture
def real_classifier() -> None:
    curation = pytest.importorskip("mealplan.food_data.curation", reason="no curation module")
    if not hasattr(curation, "classify_names"):
        pytest.skip("mealplan.food_data.curation has no classify_names yet")


def test_real_classifier_fills_blank_tags_of_a_user_csv(real_classifier: None) -> None:
    f = read_user_csv(FIXTURES / "user_foods_good.csv").foods
    assert f.loc["u_tofu", ["category", "diet", "allergens"]].tolist() == ["legumes", "vegan", "soy"]  # given
    assert f.at["u_milk", "category"] in importers.CATEGORIES
    assert f.at["u_milk", "diet"] == "vegetarian"
    assert "milk" in f.at["u_milk", "allergens"].split(";")


def test_real_curation_of_fdc_foods_matches_the_bundled_table(real_classifier: None) -> None:
    """FoodData Central foods are curated like the bundled SR24 foods: a raw egg is not as eaten and
    stays out of the planner set, an apple and almonds are in it with household servings."""
    from mealplan.food_data.table import load_bundled

    f = read_fdc_folder(FDC).foods
    sr24 = load_bundled().foods
    for fdc_id, ndb in FDC_TO_NDB.items():
        mine, theirs = f.loc[f"fdc:{fdc_id}"], sr24.loc[ndb]
        assert (bool(mine["as_eaten"]), mine["category"], mine["diet"]) == (
            bool(theirs["as_eaten"]),
            theirs["category"],
            theirs["diet"],
        ), fdc_id
    assert not f.at["fdc:171287", "planner"]  # "Egg, whole, raw, fresh"
    assert f.at["fdc:171688", "planner"] and f.at["fdc:170567", "planner"]
    assert f.at["fdc:170567", "max_g"] < 500  # almonds: a realistic daily maximum, not the default


def test_real_classifier_tags_the_fdc_foods(real_classifier: None) -> None:
    f = read_fdc_folder(FDC).foods
    assert f.loc["fdc:168462", ["category", "diet"]].tolist() == ["vegetables", "vegan"]
    assert f.loc["fdc:171688", ["category", "diet"]].tolist() == ["fruits", "vegan"]
    assert f.loc["fdc:170567", ["category", "diet", "allergens"]].tolist() == [
        "nuts and seeds",
        "vegan",
        "tree_nuts",
    ]
    assert f.loc["fdc:171287", ["category", "diet", "allergens"]].tolist() == ["eggs", "vegetarian", "egg"]


def test_fdc_folder_without_food_groups_is_curated_by_name(tmp_path: Path, real_classifier: None) -> None:
    """food_category.csv is optional: groups are then unknown (blank) and curation goes by the name."""
    folder = copy_fdc(tmp_path)
    (folder / "food_category.csv").unlink()
    f = read_fdc_folder(folder).foods
    assert (f["usda_group"] == "").all()
    assert f.loc["fdc:171688", ["category", "diet"]].tolist() == ["fruits", "vegan"]
    assert not f.at["fdc:171287", "planner"]  # a raw egg is still not as eaten


# --- FoodData Central as the .zip USDA ships ------------------------------------------------------


def zip_fdc(tmp_path: Path, top: str | None = "FoodData_Central_sr_legacy_food_csv_2018-04", **replace: str) -> Path:
    """The FDC fixture zipped as USDA ships it: one top folder holding the CSV files (or none)."""
    import zipfile

    path = tmp_path / f"{top or 'flat'}.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for csv_file in sorted(FDC.iterdir()):
            name = f"{top}/{csv_file.name}" if top else csv_file.name
            archive.writestr(name, replace.get(csv_file.name, csv_file.read_text(encoding="utf-8")))
    return path


@pytest.mark.parametrize("top", ["FoodData_Central_sr_legacy_food_csv_2018-04", None])
def test_fdc_zip_reads_like_the_folder(tmp_path: Path, classify_calls: list, top: str | None) -> None:
    from_zip = read_fdc_zip(zip_fdc(tmp_path, top))
    from_folder = read_fdc_folder(FDC)
    assert is_zip(tmp_path / f"{top or 'flat'}.zip") and not is_zip(FDC / "food.csv")
    assert list(from_zip.foods.index) == list(from_folder.foods.index)
    numbers = [c for c in from_folder.foods.columns if c != "source"]
    pd.testing.assert_frame_equal(from_zip.foods[numbers], from_folder.foods[numbers])
    pd.testing.assert_frame_equal(from_zip.measures, from_folder.measures)
    assert from_zip.units == from_folder.units
    assert str(tmp_path / f"{top or 'flat'}.zip") in from_zip.foods["source"].iloc[0]
    assert not [p for p in tmp_path.iterdir() if p.suffix != ".zip"], "nothing is unpacked to disk"


def test_fdc_zip_through_load_tables(tmp_path: Path, classify_calls: list) -> None:
    from mealplan.food_data.loading import load_tables

    assert len(load_tables([zip_fdc(tmp_path)], bundled=False)) == 4


def test_fdc_zip_problems_name_the_file_inside_the_zip(tmp_path: Path, classify_calls: list) -> None:
    lines = (FDC / "food_nutrient.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace('"0.39"', '"lots"')
    path = zip_fdc(tmp_path, **{"food_nutrient.csv": "\n".join(lines) + "\n", "nutrient.csv": ""})
    with pytest.raises(FoodDataError) as err:
        read_fdc_zip(path)
    inside = f"{path}/FoodData_Central_sr_legacy_food_csv_2018-04"
    assert f"{inside}/nutrient.csv: the file is empty" in err.value.problems


def test_a_zip_without_fdc_files_or_not_a_zip(tmp_path: Path) -> None:
    import zipfile

    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("holiday/readme.txt", "hello")
    with pytest.raises(FoodDataError, match=r"photos\.zip is not a FoodData Central CSV zip file: no food\.csv"):
        read_fdc_zip(other)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FoodDataError, match=r"broken\.zip: not a readable zip file"):
        read_fdc_zip(broken)
