"""User food tables (issue #15): a stray quote, a short row and a basis that is not one are errors
naming the row, column and value; a FIFO or /dev/zero as --foods is refused at once."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.errors import FoodDataError
from mealplan.food_data.importers import read_user_csv


def _table(tmp_path: Path, rows: list[str], header: str = "id,name,energy,magnesium") -> Path:
    path = tmp_path / "foods.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _rows(n: int = 50) -> list[str]:
    return [f"f{i:03d},Food number {i},{100 + i},{10 + i}" for i in range(n)]


def test_a_stray_quote_in_row_3_names_the_row_instead_of_swallowing_the_table(tmp_path: Path):
    rows = _rows()
    rows[1] = 'f001,"Food number 1,101,11'
    with pytest.raises(FoodDataError) as info:
        read_user_csv(_table(tmp_path, rows))
    text = str(info.value)
    assert "row 3, column 'name': 'Food number 1,101,11\\nf002,Food number 2,102,12\\nf003,Food" in text
    assert "runs over several lines" in text
    assert 'a stray double quote (") opens a quoted cell' in text


def test_a_short_row_is_an_error_not_padded(tmp_path: Path):
    rows = _rows(5)
    rows[2] = "f002,Food number 2,102"
    with pytest.raises(FoodDataError, match=r"row 4 has 3 fields but the header has 4; give every column"):
        read_user_csv(_table(tmp_path, rows))


@pytest.mark.parametrize("per", ["abc", "100", "g", "1e400 g", "-5 g"])
def test_per_must_be_a_basis(tmp_path: Path, per: str):
    path = _table(tmp_path, [f"f1,Oats,{per},380"], header="id,name,per,energy")
    with pytest.raises(FoodDataError) as info:
        read_user_csv(path)
    assert f"row 2, column 'per': {per!r} is not a basis; give an amount and a unit (100 g, 1 lb, 1 cup" in str(
        info.value
    )


@pytest.mark.parametrize("per", ["100 g", "100g", "1 lb", "$1", "1 cup", "1 serving"])
def test_real_bases_are_kept(tmp_path: Path, per: str):
    assert read_user_csv(_table(tmp_path, [f"f1,Oats,{per},380"], header="id,name,per,energy")).basis


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_foods_that_are_not_regular_files_exit_2_at_once(tmp_path: Path, kind: str):
    if kind == "fifo":
        target = tmp_path / "foods.csv"
        os.mkfifo(target)
    else:
        target = Path(kind)
        if not target.exists():
            pytest.skip("no /dev/zero")
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["foods", "search", "oats", "--foods", str(target), "--no-bundled"])
    assert time.monotonic() - started < 20
    assert result.exit_code == 2, result.output
    assert f"{target}: is a" in result.output
    assert "not a regular file; give a food table as a regular file" in result.output


# --- FoodData Central zips: members capped (issue #28) ----------------------------------------------------------


def test_a_zip_member_that_is_one_huge_line_is_refused_not_read(tmp_path: Path):
    from mealplan.food_data.fdc import read_fdc_zip
    from tests.food_data.test_importers import zip_fdc

    path = zip_fdc(tmp_path, **{"food_nutrient.csv": "fdc_id,nutrient_id,amount\n" + "1," * (3 * 2**20)})
    with pytest.raises(FoodDataError) as info:
        read_fdc_zip(path)
    inside = f"{path}/FoodData_Central_sr_legacy_food_csv_2018-04"
    assert f"{inside}/food_nutrient.csv: line 2 is longer than 1 MB; not a CSV row (download the file again)" in (
        info.value.problems
    )


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch):
    from mealplan.food_data import fdc
    from tests.food_data.test_importers import zip_fdc

    monkeypatch.setattr(fdc, "MAX_MEMBER_BYTES", 2**20)  # a 1 GB member is costly to make; the rule is the same
    rows = "fdc_id,nutrient_id,amount\n" + "167512,1003,0.39\n" * 200_000  # 3.4 MB unpacked, a few KB packed
    path = zip_fdc(tmp_path, **{"food_nutrient.csv": rows})
    assert path.stat().st_size < 200_000
    read = []
    real_open = fdc._csv_source

    def spy(p):
        read.append(str(p))
        return real_open(p)

    monkeypatch.setattr(fdc, "_csv_source", spy)
    with pytest.raises(FoodDataError) as info:
        fdc.read_fdc_zip(path)
    assert any(
        p.endswith("food_nutrient.csv: 3 MB unpacked, more than the 1 MB a FoodData Central CSV file is read up to; "
                   "use the SR Legacy or Foundation Foods download") for p in info.value.problems
    ), info.value.problems  # fmt: skip
    assert not any(r.endswith("food_nutrient.csv") for r in read), "never handed to the CSV parser"


def test_foods_zip_bomb_on_the_command_line_exits_2(tmp_path: Path, monkeypatch):
    from mealplan.food_data import fdc
    from tests.food_data.test_importers import zip_fdc

    monkeypatch.setattr(fdc, "MAX_MEMBER_BYTES", 2**20)
    path = zip_fdc(tmp_path, **{"food_nutrient.csv": "fdc_id,nutrient_id,amount\n" + "167512,1003,0.39\n" * 200_000})
    result = CliRunner().invoke(cli, ["foods", "search", "x", "--foods", str(path), "--no-bundled"])
    assert result.exit_code == 2, result.output
    assert "MB unpacked, more than the 1 MB" in result.output and "Internal error" not in result.output
