"""``mealplan verify`` through the real command group: exit codes 0/1/2, formats, food sources."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.verify.verifier import CHECKS
from tests.optimizer.test_verify import DAY1, FOODS, NUTS, make_day, make_plan, plan_rules

ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str):
    return CliRunner().invoke(cli, ["verify", *args])


def invoke_with_foods(plan: Path, foods: Path, *args: str):
    """verify, naming the plan's food table with --foods (a path in a plan file is never opened alone)."""
    return invoke(str(plan), "--foods", str(foods), *args)


@pytest.fixture
def foods_csv(tmp_path: Path) -> Path:
    """The verifier's six-food fixture as a user CSV (so the real loader reads it)."""
    path = tmp_path / "foods.csv"
    header = ["id", "name", "category", "diet", "allergens", "serving_name", "serving_g", "max_g", "price"]
    header += ["slots", "planner", *NUTS]
    lines = [",".join(header)]
    for fid, (name, cat, diet, allergens, sname, sg, max_g, price, values) in FOODS.items():
        cells = [fid, f'"{name}"', cat, diet, allergens or "none", sname, str(sg), str(max_g), str(price)]
        cells += ["breakfast;lunch;dinner;snack", "true", *("" if math.isnan(v) else str(v) for v in values)]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_plan(tmp_path: Path, foods_csv: Path, **rule_changes) -> Path:
    plan = make_plan([make_day(1, DAY1)], rules=plan_rules(**rule_changes))
    plan = plan.model_copy(update={"food_sources": [str(foods_csv)]})
    path = tmp_path / "plan.json"
    path.write_text(plan.model_dump_json(indent=1), encoding="utf-8")
    return path


def test_a_correct_plan_passes_with_exit_0(tmp_path, foods_csv):
    result = invoke_with_foods(write_plan(tmp_path, foods_csv), foods_csv)
    assert result.exit_code == 0, result.output
    assert f"all {len(CHECKS)} checks passed." in result.stdout
    assert "FAIL" not in result.stdout


def test_quiet_leaves_the_head_line_and_the_problems(tmp_path, foods_csv):
    passed = invoke_with_foods(write_plan(tmp_path, foods_csv), foods_csv, "-q")
    assert passed.exit_code == 0, passed.output
    assert passed.stdout.strip().endswith(f"all {len(CHECKS)} checks passed.")
    failed = invoke_with_foods(write_plan(tmp_path, foods_csv, allergies=["milk"]), foods_csv, "-q")
    assert failed.exit_code == 1
    assert "contains milk: the profile is allergic" in failed.stdout
    assert "food_families" not in failed.stdout  # the list of checks is left out


def test_problems_are_listed_with_exit_1(tmp_path, foods_csv):
    result = invoke_with_foods(write_plan(tmp_path, foods_csv, allergies=["milk"]), foods_csv)
    assert result.exit_code == 1
    out = result.stdout
    assert f"1 problem in 1 of {len(CHECKS)} checks." in out
    assert "allergens" in out and "FAIL" in out
    assert "contains milk: the profile is allergic" in out


def test_json_format(tmp_path, foods_csv):
    result = invoke_with_foods(write_plan(tmp_path, foods_csv, diet="vegan"), foods_csv, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["checks_run"] == list(CHECKS)
    assert {(p["check"], p["where"]) for p in report["problems"]} == {
        ("diet", "day 1, breakfast, f_milk (Milk, whole)"),
        ("diet", "day 1, dinner, f_chicken (Chicken, roasted)"),
    }


def test_a_plan_of_user_tables_needs_foods_and_its_paths_are_never_opened(tmp_path, foods_csv):
    plan = write_plan(tmp_path, foods_csv)
    moved = tmp_path / "moved.csv"
    foods_csv.rename(moved)
    result = invoke(str(plan))
    assert result.exit_code == 2
    assert result.output == (
        f"Error: The plan was made with food tables of your own: {str(foods_csv)!r}; give them with --foods FILE "
        "(a path written in a plan file is never opened unless you name it).\n"
    )
    # The replacement table has a different source path, so the items' sources are reported.
    result = invoke(str(plan), "--foods", str(moved))
    assert result.exit_code == 1
    assert "is not in plan.food_sources" in result.stdout


def test_file_that_is_not_a_plan_exits_2(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"profile": "ana"}')
    result = invoke(str(path))
    assert result.exit_code == 2
    assert f"Error: {path}: not a mealplan Plan (a JSON object with kind, days, targets, rules ...)" in result.output


def test_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{\n  "kind": "day",\n  oops\n}')
    result = invoke(str(path))
    assert result.exit_code == 2
    assert f"{path}: not a JSON file at line 3, column 3" in result.output


def test_invalid_plan_fields_name_the_json_path(tmp_path, foods_csv):
    path = write_plan(tmp_path, foods_csv)
    data = json.loads(path.read_text())
    data["days"][0]["slots"][1]["items"][0]["grams"] = "lots"
    data["rules"]["alergies"] = []
    path.write_text(json.dumps(data))
    result = invoke(str(path))
    assert result.exit_code == 2
    assert f"{path}: not a valid mealplan Plan (schema 2.1):" in result.output
    assert "days[0].slots[1].items[0].grams: Input should be a valid number" in result.output
    assert "rules.alergies: Extra inputs are not permitted" in result.output


def test_saved_plan_fixture_is_read(tmp_path):
    # Another command's saved week plan: it must at least load as a Plan (exit 0 or 1, never 2).
    fixture = ROOT / "tests" / "fixtures" / "plan_week.json"
    if not fixture.exists():
        pytest.skip("no saved plan fixture in this tree")
    from mealplan.plan_files import load_plan

    assert load_plan(fixture).kind == "week"


def test_a_plan_with_nan_is_bad_input_not_a_failed_plan(tmp_path):
    from click.testing import CliRunner

    from mealplan.cli.main import cli

    path = tmp_path / "nan.json"
    path.write_text('{"kind": "day", "days": [{"energy_kcal": NaN}]}')
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 2
    assert f"{path}: NaN is not a number JSON allows; a saved plan has only finite numbers." in result.output
