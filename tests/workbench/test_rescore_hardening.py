"""Rescore must not launder a plan (issue #28): a hard rule loosened in the JSON (a vegan plan's diet set to
omnivore to let milk in) is refused by ``rescore`` and reported by ``verify``; days numbered twice are refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.plan import Plan, loosened_rules

MILK = "01077"  # milk, whole


def _edited(week_file: Path, tmp_path: Path, **change) -> Path:
    data = json.loads(week_file.read_text(encoding="utf-8"))
    if "diet" in change:
        data["rules"]["diet"] = change["diet"]
    if "forbid" in change:
        data["rules"]["forbid"] = change["forbid"]
    if change.get("milk"):
        data["days"][0]["slots"][0]["items"].append({"food_id": MILK, "grams": 244})
    if "days" in change:
        for day, index in zip(data["days"], change["days"], strict=True):
            day["index"] = index
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.solve
def test_a_plan_records_the_rules_it_was_made_with(week):
    assert week.planned_rules is not None and week.planned_rules.diet == "vegan"
    assert loosened_rules(week) == []
    again = Plan.model_validate_json(week.model_dump_json())
    assert again.planned_rules == week.planned_rules


@pytest.mark.solve
def test_rescore_refuses_a_diet_loosened_by_hand(week_file: Path, tmp_path: Path):
    path = _edited(week_file, tmp_path, diet="omnivore", milk=True)
    out = tmp_path / "rescored.json"
    result = CliRunner().invoke(cli, ["rescore", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "The plan's hard rules were loosened by hand after it was made" in result.output
    assert "rules.diet is 'omnivore', but the plan was made for a vegan diet" in result.output
    assert not out.exists()


@pytest.mark.solve
def test_verify_reports_a_diet_loosened_by_hand(week_file: Path, tmp_path: Path):
    path = _edited(week_file, tmp_path, diet="omnivore")  # the milk would be a later, separate step
    result = CliRunner().invoke(cli, ["verify", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    problems = json.loads(result.output)["problems"]
    assert problems[0]["check"] == "rules"
    assert "rules.diet is 'omnivore', but the plan was made for a vegan diet" in problems[0]["message"]


@pytest.mark.solve
def test_a_rule_made_stricter_is_no_laundering(week_file: Path, tmp_path: Path):
    path = _edited(week_file, tmp_path, forbid=["liver"])
    result = CliRunner().invoke(cli, ["rescore", str(path)])
    assert result.exit_code == 0, result.output
    assert Plan.model_validate_json(result.output).rules.forbid == ["liver"]


@pytest.mark.solve
def test_rescore_refuses_days_numbered_twice(week_file: Path, tmp_path: Path):
    path = _edited(week_file, tmp_path, days=[1, 1, 3, 4, 5, 6, 7])
    result = CliRunner().invoke(cli, ["rescore", str(path)])
    assert result.exit_code == 2, result.output
    assert "days: the plan's day numbers are [1, 1, 3, 4, 5, 6, 7]; each day has its own number, 1 to 7 in order." in (
        result.output
    )
