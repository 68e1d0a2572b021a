"""Merging the bundled table, user CSVs and FoodData Central folders into one FoodTable."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from mealplan.errors import FoodDataError
from mealplan.food_data import table as table_module
from mealplan.food_data.fdc import read_fdc_folder
from mealplan.food_data.loading import load_table, load_tables
from mealplan.food_data.table import CACHE_ENV, SR24_SOURCE
from tests.food_data.test_importers import EXAMPLE, FDC, FIXTURES, fake_classifier


@pytest.fixture(autouse=True)
def classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mealplan.food_data.curation", fake_classifier([]))
    monkeypatch.setenv(CACHE_ENV, "off")  # a table tagged by the stand-in must never reach the cache


@pytest.fixture
def small_bundled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand in the FDC fixture for the bundled table, so the real cached one is never touched."""
    monkeypatch.setattr(table_module, "load_bundled", lambda: read_fdc_folder(FDC))


def test_user_csv_and_fdc_folder_merge(tmp_path: Path) -> None:
    t = load_tables([EXAMPLE, FDC, FIXTURES / "user_foods_good.csv"], bundled=False)
    assert len(t) == 16 + 4 + 3 and t.foods.index.is_unique
    assert t.basis == "100 g"
    assert t.units["magnesium"] == "mg" and t.units["oxalate"] == "mg"
    # A nutrient one table lacks is unknown there, not zero.
    assert math.isnan(t.foods.at["my_salmon", "oxalate"])
    assert math.isnan(t.foods.at["fdc:171688", "zinc"])
    assert t.foods.at["fdc:171688", "magnesium"] == 5
    assert t.foods.at["u_tofu", "calcium"] == pytest.approx(683)
    # Registry nutrients in registry order, then custom ones.
    assert t.nutrient_columns[0] == "energy" and t.nutrient_columns[-1] == "oxalate"
    assert t.foods["planner"].dtype == bool and t.foods["magnesium"].dtype == float
    assert len(t.measures) == 16 + 12 + 2
    assert t.measures_of("fdc:171287")[0] == ("large", 50.0)


def test_one_table_is_returned_as_read() -> None:
    t = load_tables([FIXTURES / "user_foods_commodities.csv"], bundled=False)
    assert t.basis == "1 lb" and len(t) == 3


def test_bundled_table_comes_first(small_bundled: None) -> None:
    t = load_tables([EXAMPLE])
    assert list(t.foods.index[:4]) == ["fdc:168462", "fdc:170567", "fdc:171287", "fdc:171688"]
    assert len(t) == 20


def test_id_clash_names_both_sources(tmp_path: Path) -> None:
    other = tmp_path / "mine.csv"
    other.write_text("id,name,magnesium\nmy_tofu,My tofu,60\nnew,New food,1\n")
    with pytest.raises(FoodDataError) as err:
        load_tables([EXAMPLE, other], bundled=False)
    assert err.value.problems == [
        f"food id 'my_tofu' is in both {EXAMPLE} and {other}",
        "food ids must be unique across tables: rename the ids in your file (e.g. add a prefix)",
    ]


def test_clash_with_the_bundled_table(tmp_path: Path, small_bundled: None) -> None:
    other = tmp_path / "mine.csv"
    other.write_text("id,name,magnesium\nfdc:171688,My apple,5\n")
    with pytest.raises(FoodDataError) as err:
        load_tables([other])
    assert err.value.problems[0] == f"food id 'fdc:171688' is in both {SR24_SOURCE} and {other}"


def test_other_basis_cannot_join_the_bundled_table(small_bundled: None) -> None:
    path = FIXTURES / "user_foods_commodities.csv"
    with pytest.raises(FoodDataError) as err:
        load_tables([path])
    assert err.value.problems == [
        f"{path}: amounts are per '1 lb', but the bundled table's are per '100 g'; use --no-bundled to plan "
        "with this table alone, or give its amounts per 100 g"
    ]
    assert err.value.exit_code == 2


def test_bases_must_agree_without_the_bundled_table() -> None:
    with pytest.raises(FoodDataError, match="tables used together need one basis"):
        load_tables([EXAMPLE, FIXTURES / "user_foods_commodities.csv"], bundled=False)


def test_units_must_agree(tmp_path: Path) -> None:
    grams = tmp_path / "grams.csv"
    grams.write_text("id,name,oxalate[g]\nz,Beet greens,0.61\n")
    with pytest.raises(FoodDataError) as err:
        load_tables([FIXTURES / "user_foods_good.csv", grams], bundled=False)
    assert err.value.problems == [
        f"{grams}: nutrient 'oxalate' is in 'g', but in {FIXTURES / 'user_foods_good.csv'} it is in 'mg'; "
        "declare the unit in the header as oxalate[mg] or convert the values"
    ]


def test_problems_of_every_table_are_reported_together(tmp_path: Path) -> None:
    broken = FIXTURES / "user_foods_broken.csv"
    missing = tmp_path / "nope.csv"
    with pytest.raises(FoodDataError) as err:
        load_tables([broken, missing, FIXTURES / "user_foods_empty.csv"], bundled=False)
    text = str(err.value)
    assert text.startswith("Cannot load the food tables:")
    assert f"Cannot read food table {broken} (13 problems):" in text
    assert f"{missing}: no such file or folder; --foods takes a CSV file or a FoodData Central folder" in text
    assert "user_foods_empty.csv: the file is empty" in text


def test_no_table_at_all() -> None:
    with pytest.raises(FoodDataError, match="No food table to use"):
        load_tables([], bundled=False)


def test_load_table_dispatches_on_folder_or_file() -> None:
    assert len(load_table(FDC)) == 4
    assert len(load_table(EXAMPLE)) == 16


def test_a_user_table_is_read_once_then_loaded_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mealplan.food_data import importers, loading

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    reads = []
    real = importers.read_user_csv
    monkeypatch.setattr(importers, "read_user_csv", lambda p: reads.append(p) or real(p))
    csv_file = tmp_path / "mine.csv"
    csv_file.write_bytes((FIXTURES / "user_foods_good.csv").read_bytes())
    first = loading.load_table(csv_file)
    second = loading.load_table(csv_file)
    assert len(reads) == 1 and second.foods.equals(first.foods)
    csv_file.write_bytes(csv_file.read_bytes() + b"\n")  # any change to the bytes reads it again
    loading.load_table(csv_file)
    assert len(reads) == 2
    assert len(list((tmp_path / "cache").glob("user-*.npz"))) == 1  # one cache per file


def test_a_fifo_is_never_hashed_for_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from mealplan.food_data import loading

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    fifo = tmp_path / "foods.csv"
    os.mkfifo(fifo)
    assert loading._content_key(fifo) is None  # opening it to hash would block forever
