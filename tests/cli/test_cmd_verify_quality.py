"""``mealplan verify`` on a schema 2.1 plan: its rules checked, its food groups and HEI-2020 shown, a goal not
reached accepted (the hand-built week of tests/verify/plan21.py, on the bundled table the plan names)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.verify.verifier import CHECKS
from tests.verify.plan21 import DAYS, WATER, make_plan, targets, with_meal


def write(tmp_path: Path, plan) -> Path:
    path = tmp_path / "week.json"
    path.write_text(plan.model_dump_json(indent=1), encoding="utf-8")
    return path


def test_a_2_1_week_passes_and_shows_its_food_groups_and_diet_quality(tmp_path):
    result = CliRunner().invoke(cli, ["verify", str(write(tmp_path, make_plan()))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"all {len(CHECKS)} checks passed." in out
    assert "Food groups a day (against the Healthy U.S.-Style Dietary Pattern" in out
    assert "Healthy Eating Index 2020 (week): 93.5 of 100; points lost: dairy 3.5 of 10" in out
    quiet = CliRunner().invoke(cli, ["-q", "verify", str(write(tmp_path, make_plan()))])
    assert quiet.exit_code == 0 and "Healthy Eating Index" not in quiet.stdout


def test_a_broken_drink_rule_fails_with_exit_1(tmp_path):
    days = with_meal(DAYS, 1, "breakfast", ("dish", "scrambled-eggs-toast-tomato",
                                            [("14209", 240, "drink"), (WATER, 250, "drink")]))  # fmt: skip
    result = CliRunner().invoke(cli, ["verify", str(write(tmp_path, make_plan(days)))])
    assert result.exit_code == 1
    assert "1 problem in 1 of" in result.stdout
    assert "a meal has one drink" in result.stdout


def test_a_weekly_goal_not_reached_is_accepted_in_the_json(tmp_path):
    plan = make_plan(plan_targets=targets(weekly_min_g={"seafood": 340.0}))
    result = CliRunner().invoke(cli, ["verify", str(write(tmp_path, plan)), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["problems"] == []
    assert [(a["check"], a["where"]) for a in report["accepted"]] == [("food_kind_goals", "week")]
