"""``mealplan verify`` on edited plans: hard-rule breaches first in their own section, recorded edits
trusted (their bent soft rules accepted apart), unrecorded changes named as tampering in a few lines."""

from __future__ import annotations

import collections
import json

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from tests.workbench import conftest as wb

# The session's real week plan and its inputs (fixtures of tests/workbench).
foods, profile, week, week_file = wb.foods, wb.profile, wb.week, wb.week_file

pytestmark = pytest.mark.filterwarnings("error")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.solve
def test_an_egg_in_a_vegan_plan_is_a_hard_rule_listed_first(week_file, tmp_path):
    out = tmp_path / "egg.json"
    edit = run("edit", str(week_file), "--day", "2", "--meal", "breakfast", "--add", "01123=50", "-o", str(out))
    assert edit.exit_code == 0, edit.output
    result = run("verify", str(out))
    assert result.exit_code == 1
    text = result.stdout
    assert text.index("Hard rules broken") < text.index("Checks")
    assert "the food is" in text and "the plan's diet is vegan" in text
    data = json.loads(run("verify", str(out), "--format", "json").stdout)
    assert data["problems"][0]["check"] == "diet"


@pytest.mark.solve
def test_a_bent_soft_rule_on_an_edited_day_is_accepted(week, week_file, tmp_path):
    # Taking all but one food out of day 3's lunch (nothing rises toward an upper limit) bends soft rules:
    # the energy range, a meal's energy share or its parts.
    out = tmp_path / "smaller.json"
    day = week.days[2]
    lunch = next(s for s in day.slots if s.name == "lunch")
    biggest = sorted(lunch.items, key=lambda i: -i.grams)[:-1]  # all but the smallest
    args = [a for i in biggest for a in ("--remove", i.food_id)]
    edit = run("edit", str(week_file), "--day", "3", "--meal", "lunch", *args, "-o", str(out))
    assert edit.exit_code == 0, edit.output
    data = json.loads(run("verify", str(out), "--format", "json").stdout)
    assert data["ok"] is True, data["problems"]
    assert data["accepted"], "removing most of a lunch bends at least one soft rule"
    assert all(p["where"].startswith("day 3") for p in data["accepted"])
    table = run("verify", str(out))
    assert table.exit_code == 0 and "Accepted: rules bent on days a person edited" in table.stdout


@pytest.mark.solve
def test_tampering_is_named_in_a_few_lines(week_file, tmp_path):
    data = json.loads(week_file.read_text())
    item = data["days"][1]["slots"][1]["items"][0]
    item["grams"] = round(item["grams"] * 1.3, 3)
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(data))
    report = json.loads(run("verify", str(path), "--format", "json").stdout)
    assert report["ok"] is False and report["accepted"] == []
    edits = [p for p in report["problems"] if p["check"] == "edits"]
    assert len(edits) == 1 and "changed without a recorded edit (tampering?)" in edits[0]["message"]
    stale = [p for p in report["problems"] if p["check"] == "totals"]
    assert len(stale) == 1 and "run `mealplan rescore`" in stale[0]["message"]
    # Not dozens of stale totals burying the one real problem: one line per stale scope and per rule the
    # changed amount breaks (an upper limit, the dish's range, whole units).
    # (15 on the vegan week: three maxima the day sits at, the roll's range and units, the stale totals of the
    # day, its lunch and the week, the HEI and the edit; never one line per stale number)
    per_check = collections.Counter(p["check"] for p in report["problems"])
    assert max(per_check.values()) <= 3 and len(report["problems"]) <= 20, per_check
