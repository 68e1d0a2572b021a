"""``mealplan basket`` through the real command group: formats, bounds, --write-model, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "basket"
FOODS = str(FIXTURES / "basket_foods.csv")
TARGETS = str(FIXTURES / "basket_targets.csv")


def invoke(*args: str):
    return CliRunner().invoke(cli, ["basket", *args])


def tiny(*args: str):
    return invoke("--foods", FOODS, "--no-bundled", "--targets", TARGETS, *args)


def test_table_output_for_the_hand_checked_fixture():
    result = tiny()
    assert result.exit_code == 0, result.output
    out = result.stdout
    # min a + 3b + 2c with protein >= 20 g, calcium >= 0.3 g: a = 2, c = 1/3, cost 8/3.
    assert "Optimum: cost = 2.66667 price units" in out
    assert "Foods chosen" in out and "Food A" in out and "Food C" in out and "Food B" not in out
    assert "3 of 3 candidate foods used" not in out and "2 of 3 candidate foods used; solved by highs." in out
    lines = [line for line in out.splitlines() if line.strip().startswith(("│ protein", "│ calcium", "| protein"))]
    assert any("min" in line for line in lines)


def test_json_output_is_the_result_model():
    result = tiny("--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["objective_value"] == pytest.approx(8 / 3)
    assert {f["food_id"]: f["grams"] for f in data["foods"]} == pytest.approx({"a": 200.0, "c": 100 / 3})
    assert data["binding"] == ["protein min", "calcium min"]


def test_csv_output():
    result = tiny("--format", "csv", "--objective", "weight")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    foods = {r["id"]: float(r["grams"]) for r in rows if r["section"] == "food"}
    assert foods == pytest.approx({"b": 100.0, "c": 100.0})
    objective = next(r for r in rows if r["section"] == "objective")
    assert (objective["id"], float(objective["amount"]), objective["unit"]) == ("weight", 200.0, "g")


def test_bound_option_and_output_file(tmp_path):
    out = tmp_path / "basket.json"
    result = tiny("--bound", "a=:1.5", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["objective_value"] == pytest.approx(3.25)


def test_bad_bound_is_a_usage_error():
    result = tiny("--bound", "a=2:1")
    assert result.exit_code == 2
    assert "--bound 'a=2:1': food a: min 2 is above max 1" in result.output


def test_write_model_writes_without_solving(tmp_path):
    path = tmp_path / "basket.lp"
    result = tiny("--write-model", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert "min_n_protein" in text and "min_n_calcium" in text
    assert "Optimum" not in result.stdout


def test_conflicting_bounds_exit_3_and_name_the_nutrient(tmp_path):
    targets = tmp_path / "t.csv"
    targets.write_text("nutrient,min,max,unit\nprotein,20,,g\ncalcium,300,,mg\nsodium,,250,mg\n")
    result = invoke("--foods", FOODS, "--no-bundled", "--targets", str(targets))
    assert result.exit_code == 3
    assert "Error: No mix of foods meets all the nutrient bounds together." in result.output
    assert "calcium minimum 300 mg: at most 250 mg can be reached while the other bounds hold" in result.output


def test_unknown_nutrient_and_unit_exit_2(tmp_path):
    targets = tmp_path / "t.csv"
    targets.write_text("nutrient,min,max,unit\nvitamin_q,1,,mg\nprotein,1,,kcal\n")
    result = invoke("--foods", FOODS, "--no-bundled", "--targets", str(targets))
    assert result.exit_code == 2
    assert "nutrient 'vitamin_q' is not a column of the food table" in result.output
    assert "unit 'kcal' cannot be converted to the food table's unit 'g' for protein" in result.output


def test_no_bundled_without_foods_is_an_error():
    result = invoke("--no-bundled", "--targets", TARGETS)
    assert result.exit_code == 2
    assert "--no-bundled needs at least one --foods FILE" in result.output


@pytest.mark.solve
def test_stigler_example():
    result = invoke(
        "--foods", str(EXAMPLE / "commodities.csv"), "--no-bundled", "--targets", str(EXAMPLE / "targets.csv")
    )
    assert result.exit_code == 0, result.output
    assert "Optimum: cost = 0.108662 price units" in result.stdout
    for name in ("Wheat Flour (Enriched)", "Liver (Beef)", "Cabbage", "Spinach", "Navy Beans, Dried"):
        assert name in result.stdout


@pytest.mark.solve
def test_a_basket_from_a_csv_does_not_import_pandas(tmp_path, imports_pandas):
    """The diet problem on a user's CSV (tags never classified) runs on numpy columns alone."""
    out = tmp_path / "basket.json"
    args = ["basket", "--foods", str(ROOT / "examples" / "basket" / "commodities.csv")]
    args += ["--targets", str(ROOT / "examples" / "basket" / "targets.csv"), "--no-bundled", "--format", "json"]
    assert not imports_pandas(*args, "-o", str(out))
    assert json.loads(out.read_text())["cost"] == pytest.approx(0.1087, abs=5e-5)


def test_a_stigler_style_table_with_a_unit_column_and_no_max_column(tmp_path):
    """The classic shape: a text ``unit`` column in the foods and targets without ``max``."""
    foods = tmp_path / "foods.csv"
    foods.write_text(
        "id,name,unit,per,price,protein,calcium\n"
        "a,Food A,1 lb.,$1,1,10,100\n"
        "b,Food B,14.5 oz.,$1,3,20,0\n"
        "c,Food C,1 doz.,$1,2,0,300\n"
    )
    targets = tmp_path / "targets.csv"
    targets.write_text("nutrient,min\nprotein,20\ncalcium,300\n")
    result = invoke("--foods", str(foods), "--no-bundled", "--targets", str(targets))
    assert result.exit_code == 0, result.output
    assert "Optimum: cost = 2.66667 price units" in result.stdout
    assert result.stdout.count("read as nutrients: protein, calcium; kept as text: unit") == 1


@pytest.mark.parametrize(("flags", "said"), [((), True), (("-q",), False)])
def test_write_model_note_follows_quiet(tmp_path, flags, said):
    path = tmp_path / "basket.lp"
    args = [*flags, "basket", "--foods", FOODS, "--no-bundled", "--targets", TARGETS, "--write-model", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert path.exists()
    assert (f"wrote {path}" in result.stderr) is said
