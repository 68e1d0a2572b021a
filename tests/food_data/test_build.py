"""The SR24 build: parsing real cronometer XML records, deterministic output, the committed table."""

from __future__ import annotations

import gzip
import io
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from mealplan.food_data import build
from mealplan.food_data.groups import UNGROUPED, group_name
from mealplan.food_data.table import read_sr24

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sr24"


def _record(food_id: str) -> build.FoodRecord:
    return build.parse_food_xml((FIXTURES / f"{food_id}.xml").read_bytes())


def _jar(tmp_path: Path, deprecated: str = "") -> Path:
    path = tmp_path / "usda_sr24.jar"
    with zipfile.ZipFile(path, "w") as jar:
        for xml in sorted(FIXTURES.glob("*.xml")):
            jar.write(xml, f"usda_sr24/{xml.name}")
        jar.writestr("usda_sr24/foods.index", "09040|Bananas, raw\n")
        jar.writestr("usda_sr24/deprecated.index", deprecated)
    return path


def test_banana_record_parses_with_units_and_measures():
    rec = _record("09040")
    assert rec.id == "09040" and rec.name == "Bananas, raw"
    assert rec.nutrients["magnesium"] == 27.0
    assert rec.nutrients["potassium"] == 358.0
    assert rec.nutrients["vitamin_d"] == 0.0
    assert (1.0, 'medium (7" to 7-7/8" long)', 118.0) in rec.measures
    # Vitamin A RAE from retinol 0 + beta-carotene 26/12 + (alpha 25 + cryptoxanthin 0)/24.
    assert rec.nutrients["vitamin_a"] == pytest.approx(26 / 12 + 25 / 24)


def test_vitamin_d_is_converted_from_iu_to_micrograms():
    milk = _record("01077")
    assert milk.nutrients["vitamin_d"] == pytest.approx(51.0 / 40)


def test_missing_values_stay_missing():
    salmon = _record("15076")  # wild Atlantic salmon: SR24 has no vitamin D value for it
    assert "vitamin_d" not in salmon.nutrients
    foods, _ = read_sr24()
    assert math.isnan(foods.at["15076", "vitamin_d"])


def test_build_from_a_jar_is_byte_for_byte_reproducible(tmp_path):
    jar = _jar(tmp_path, deprecated="16426|TOFU,OLD NAME\n")
    first = tmp_path / "a"
    second = tmp_path / "b"
    assert build.build(jar, first)[0] == 5
    build.build(jar, second)
    for name in (build.FOODS_FILE, build.MEASURES_FILE):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    text = gzip.decompress((first / build.FOODS_FILE).read_bytes()).decode()
    rows = pd.read_csv(io.StringIO(text), dtype={"id": str}).set_index("id")
    assert list(rows.index) == sorted(rows.index)
    assert rows.at["16426", "deprecated"] == 1 and rows.at["09040", "deprecated"] == 0


def test_committed_table_rows_match_the_parser(tmp_path):
    """The committed table was made by this parser: fixture foods come out identical."""
    jar = _jar(tmp_path)
    build.build(jar, tmp_path)
    fresh = pd.read_csv(tmp_path / build.FOODS_FILE, dtype={"id": str}).set_index("id")
    committed = pd.read_csv(build.DATA_DIR / build.FOODS_FILE, dtype={"id": str}).set_index("id")
    cols = [c for c in fresh.columns if c != "deprecated"]
    pd.testing.assert_frame_equal(fresh[cols], committed.loc[fresh.index, cols], check_dtype=False)


def test_deb_extraction_reads_the_jar_from_an_ar_archive(tmp_path):
    import tarfile

    jar = _jar(tmp_path)
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w:xz") as tar:
        tar.add(jar, arcname="./usr/share/cronometer/usda_sr24.jar")
    data = tar_bytes.getvalue()

    def member(name: str, content: bytes) -> bytes:
        header = f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(content):<10}`\n".encode()
        return header + content + (b"\n" if len(content) % 2 else b"")

    deb = tmp_path / "cronometer_test_all.deb"
    deb.write_bytes(b"!<arch>\n" + member("debian-binary", b"2.0\n") + member("data.tar.xz", data))
    assert build.jar_bytes_from_deb(deb) == jar.read_bytes()


def test_not_a_deb_is_refused(tmp_path):
    bogus = tmp_path / "x.deb"
    bogus.write_bytes(b"hello")
    with pytest.raises(ValueError, match="not a .deb"):
        build.jar_bytes_from_deb(bogus)


def test_full_committed_table():
    foods, measures = read_sr24()
    assert len(foods) == 8858
    assert foods.index.is_unique and all(len(i) == 5 for i in foods.index)
    assert foods.at["09040", "usda_group"] == "Fruits and Fruit Juices"
    assert set(measures["id"]) <= set(foods.index)
    # Coverage facts from the domain brief: vitamin D missing for about 46 %, B12 about 14 %.
    assert foods["vitamin_d"].isna().mean() == pytest.approx(0.46, abs=0.02)
    assert foods["vitamin_b12"].isna().mean() == pytest.approx(0.14, abs=0.02)


def test_group_names_from_ids():
    assert group_name("09040") == "Fruits and Fruit Juices"
    assert group_name("23658") == "Beef Products"
    assert group_name("42289") == UNGROUPED
