"""``mealplan shopping`` through the real command group: formats, output file, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from mealplan.cli.main import cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan_week.json"


def invoke(*args: str):
    return CliRunner().invoke(cli, ["shopping", *args])


def test_table_groups_by_section():
    result = invoke(str(FIXTURE), "--no-bundled")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Shopping list: ana-vegetarian (7 days)" in out
    for section in ("Produce", "Dairy, eggs and alternatives", "Bakery and grains", "Pantry"):
        assert section in out
    assert out.index("Produce") < out.index("Dairy, eggs and alternatives") < out.index("Pantry")
    assert "4 medium bananas" in out and "8 large eggs (1 dozen box)" in out


def test_csv_rows_and_grams():
    result = invoke(str(FIXTURE), "--no-bundled", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    bananas = next(r for r in rows if r["food_id"] == "09040")
    assert bananas == {
        "section": "Produce",
        "buy": "4 medium bananas",
        "food": "Bananas, raw",
        "grams": "472",
        "days": "1, 2, 4, 6",
        "food_id": "09040",
    }


def test_json_and_markdown_to_a_file(tmp_path):
    out = tmp_path / "list.json"
    result = invoke(str(FIXTURE), "--no-bundled", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    data = json.loads(out.read_text())
    assert data["profile_id"] == "ana-vegetarian" and data["days"] == 7
    assert [s["id"] for s in data["sections"]][0] == "produce"
    md = invoke(str(FIXTURE), "--no-bundled", "--format", "md")
    assert md.exit_code == 0
    assert md.stdout.startswith("# Shopping list: ana-vegetarian (7 days)")
    assert "## Frozen and canned" in md.stdout


def test_missing_file_names_it(tmp_path):
    missing = tmp_path / "week.json"
    result = invoke(str(missing), "--no-bundled")
    assert result.exit_code == 2
    assert f"Error: {missing}: plan not found; give a plan saved with --format json" in result.stderr


def test_not_a_plan_exits_2(tmp_path):
    bad = tmp_path / "profile.json"
    bad.write_text('{"id": "x", "age": 30}')
    result = invoke(str(bad), "--no-bundled")
    assert result.exit_code == 2
    assert f"Error: {bad}: not a mealplan Plan" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"kind": "week", "days": [}')
    result = invoke(str(broken), "--no-bundled")
    assert result.exit_code == 2
    assert f"Error: {broken}: not a JSON file at line 1" in result.stderr


def test_invalid_plan_lists_fields(tmp_path):
    data = json.loads(FIXTURE.read_text())
    data["days"][0]["slots"][0]["items"][0]["grams"] = "lots"
    bad = tmp_path / "week.json"
    bad.write_text(json.dumps(data))
    result = invoke(str(bad), "--no-bundled")
    assert result.exit_code == 2
    assert "days[0].slots[0].items[0].grams" in result.stderr


def test_bundled_table_gives_household_units():
    """Without --no-bundled the plan's own table (bundled SR24) supplies measures and forms: pantry
    items come in the packs they are sold in, with the amount the week uses."""
    result = invoke(str(FIXTURE), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["food_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["16126"]["buy"] == "1 block calcium-set firm tofu (14 oz; uses about 380 g)"
    assert rows["18075"]["buy"] == "1 loaf whole-wheat bread (20 oz; uses about 8 slices)"  # 224 g at 28 g a slice
    assert rows["04053"]["buy"] == "1 bottle olive oil (16.9 fl oz; uses about 120 mL)"  # 108 g at 0.91 g/mL
    assert rows["16398"]["buy"] == "1 jar peanut butter (16 oz; uses about 65 g)"
    # eaten cooked, bought dry: 731 g cooked brown rice x 0.300 = 219 g from a 2-lb bag
    assert rows["20037"]["buy"] == "1 bag brown rice (2 lb; uses about 220 g, makes about 730 g cooked)"
    assert rows["09040"]["buy"] == "4 medium bananas"  # fresh fruit by count


def test_without_a_table_cooked_foods_are_listed_by_weight():
    """--no-bundled: no raw forms, so cooked rice is listed as eaten, never as a bag of dry rice."""
    result = invoke(str(FIXTURE), "--no-bundled", "--format", "csv")
    rows = {r["food_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["20037"]["buy"] == "750 g brown rice"
    assert rows["16398"]["buy"] == "1 jar peanut butter (16 oz; uses about 65 g)"  # bought as eaten: packs


DISHES = FIXTURE.with_name("plan_week_dishes.json")  # a real schema 2.0 week of dishes and patterns


def test_a_week_of_dishes_lists_its_dishes():
    plan = json.loads(DISHES.read_text())
    dishes = {s["dish_id"]: s["title"] for d in plan["days"] for s in d["slots"] if s["dish_id"]}
    result = invoke(str(DISHES), "--no-bundled")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "Dishes this week" in flat
    assert all(" ".join(title.split()[:3]) in flat for title in dishes.values())
    md = invoke(str(DISHES), "--no-bundled", "--format", "md")
    assert "## Dishes this week" in md.stdout
    assert sum(line.startswith("- **") for line in md.stdout.splitlines()) == len(dishes)  # each dish once
    data = json.loads(invoke(str(DISHES), "--no-bundled", "--format", "json").stdout)
    assert sorted(d["dish_id"] for d in data["dishes"]) == sorted(dishes)
