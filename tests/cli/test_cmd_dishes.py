"""``mealplan dishes list|show|check`` through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from mealplan.cli.main import cli

FIXTURES = Path(__file__).parent.parent / "fixtures" / "dishes"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["dishes", *args])


def test_list_filters_by_slot_diet_and_allergen() -> None:
    result = run("list", "--slot", "dinner", "--diet", "vegan", "--allergen-free", "gluten", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["count"] == len(doc["dishes"]) > 5
    for row in doc["dishes"]:
        assert "dinner" in row["slots"] and row["diet"] == "vegan" and "gluten" not in row["allergens"]


def test_list_table_and_bad_diet() -> None:
    result = run("list", "--slot", "snack")
    assert result.exit_code == 0 and "apple-peanut-butter" in result.stdout
    bad = run("list", "--diet", "carnivore")
    assert bad.exit_code == 2 and "vegan, vegetarian" in bad.stderr


def test_show_gives_ingredients_ranges_and_nutrients() -> None:
    result = run("show", "oatmeal-milk-banana-almonds")
    assert result.exit_code == 0, result.output
    for text in (
        "Oatmeal with milk, banana and almonds",
        "Simmer the oats",
        "Seasonings: ground cinnamon",
        "160-350",
        "vegetarian",
        "magnesium",
    ):
        assert text in result.stdout
    doc = json.loads(run("show", "oatmeal-milk-banana-almonds", "--format", "json").stdout)
    assert doc["diet"] == "vegetarian" and "milk" in doc["allergens"]
    assert doc["seasonings"] == ["ground cinnamon"]
    assert doc["name"] == "Oatmeal with milk, banana and almonds"  # the text with every ingredient
    assert doc["name_markup"] == "Oatmeal with {milk | banana | almonds}"
    assert {tuple(i["called"]) for i in doc["ingredients"]} >= {("oats",), ("almonds",)}
    assert {n["nutrient"] for n in doc["nutrients"]} >= {"energy", "calcium", "vitamin_d", "vitamin_b12"}


def test_show_unknown_id_exits_2() -> None:
    result = run("show", "no-such-dish")
    assert result.exit_code == 2 and "No dish with id 'no-such-dish'" in result.stderr


def test_check_bundled_is_fine() -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "OK:" in result.stdout


def test_check_lists_every_problem_and_exits_2() -> None:
    result = run("check", "--dishes", str(FIXTURES / "two_problems.yaml"), "--dishes", str(FIXTURES / "salt.yaml"))
    assert result.exit_code == 2
    for text in ("'elevenses'", "unknown food id '12345'", "salted-banana", "3 problem(s)"):
        assert text in result.stderr, result.stderr


def test_check_reports_a_replaced_dish() -> None:
    result = run("check", "--dishes", str(FIXTURES / "replace_oatmeal.json"))
    assert result.exit_code == 0 and "replaces" in result.stdout
