"""The reviewer's workflow end to end, through the CLI and one database, on a profile made here:
plan a week, lock two dinners, re-plan day 3, edit a lunch and rescore, diff, history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.plan import Plan

pytestmark = pytest.mark.filterwarnings("error")

PROFILE = """\
id: mr-k
name: Mr K
age: 52
sex: male
weight_kg: 84
height_cm: 178
activity: active
diet: omnivore
allergies: [peanut]
factors: [metformin]
symptoms: [muscle-cramps]
symptom_days: 5
"""


def run(*args: str, db: Path):
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 0, (args, result.output)
    return result


def verified(path: Path) -> None:
    result = CliRunner().invoke(cli, ["verify", str(path), "--format", "json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["ok"], report["problems"]


@pytest.mark.solve
def test_the_dietitians_week(tmp_path):
    db = tmp_path / "clinic.db"
    profile = tmp_path / "mr_k.yaml"
    profile.write_text(PROFILE)
    run("clients", "add", "--profile", str(profile), db=db)
    week = tmp_path / "week.json"
    run("plan", "--client", "mr-k", "--days", "7", "--format", "json", "-o", str(week), db=db)
    verified(week)

    run(
        "lock",
        "1",
        "--day",
        "2",
        "--meal",
        "dinner",
        "--day",
        "3",
        "--meal",
        "dinner",
        "-o",
        str(tmp_path / "l.json"),
        db=db,
    )
    v2 = tmp_path / "v2.json"
    run("replan", "2", "--day", "3", "-o", str(v2), db=db)
    verified(v2)
    a, b = Plan.model_validate_json(week.read_text()), Plan.model_validate_json(v2.read_text())
    for da, db_ in zip(a.days, b.days, strict=True):
        if da.index != 3:
            assert db_.model_dump_json() == da.model_dump_json()
    kept = next(s for s in a.days[2].slots if s.name == "dinner")
    assert next(s for s in b.days[2].slots if s.name == "dinner").model_dump_json() == kept.model_dump_json()

    lunch = next(s for s in b.days[3].slots if s.name == "lunch")
    item = max(lunch.items, key=lambda i: i.grams)
    v3 = tmp_path / "v3.json"
    run("edit", "3", "--day", "4", "--meal", "lunch", "--set", f"{item.food_id}={round(item.grams * 0.8, 1)}",
        "-o", str(v3), db=db)  # fmt: skip
    rescored = tmp_path / "v3r.json"
    CliRunner().invoke(cli, ["rescore", str(v3), "-o", str(rescored)])
    verified(rescored)
    assert Plan.model_validate_json(rescored.read_text()).days == Plan.model_validate_json(v3.read_text()).days

    diff = json.loads(run("diff", "1", "4", "--format", "json", db=db).stdout)
    changed = {(m["day"], m["slot"]) for m in diff["meals"]}
    assert (4, "lunch") in changed and all(d in (3, 4) for d, _ in changed)
    history = json.loads(run("history", "mr-k", "--format", "json", db=db).stdout)["plans"]
    assert [(p["id"], p["action"], p["parent_id"]) for p in history] == [
        (1, "plan", None), (2, "lock", 1), (3, "replan", 2), (4, "edit", 3),
    ]  # fmt: skip
