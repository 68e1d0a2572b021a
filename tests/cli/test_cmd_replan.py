"""``mealplan lock`` and ``mealplan replan`` through the real command group (files and stored ids)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.plan import Plan
from tests.workbench import conftest as wb

# The session's real week plan and its inputs (fixtures of tests/workbench).
foods, profile, week, week_file = wb.foods, wb.profile, wb.week, wb.week_file

pytestmark = pytest.mark.filterwarnings("error")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.solve
def test_lock_then_replan_a_file(week_file, tmp_path):
    locked = tmp_path / "locked.json"
    result = run("lock", str(week_file), "--day", "2", "--meal", "dinner", "--day", "5", "--meal", "dinner",
                 "-o", str(locked))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [(m["day"], m["slot"]) for m in json.loads(locked.read_text())["locked"]] == [(2, "dinner"), (5, "dinner")]
    out = tmp_path / "v2.json"
    result = run("replan", str(locked), "--day", "5", "--lock", "5:breakfast", "-o", str(out))
    assert result.exit_code == 0, result.output
    before, after = Plan.model_validate_json(locked.read_text()), Plan.model_validate_json(out.read_text())
    for b, a in zip(before.days, after.days, strict=True):
        if b.index != 5:
            assert a.model_dump_json() == b.model_dump_json()
    kept = [s.model_dump_json() for s in before.days[4].slots if s.name in ("breakfast", "dinner")]
    assert [s.model_dump_json() for s in after.days[4].slots if s.name in ("breakfast", "dinner")] == kept
    assert after.parent_id.startswith("sha256:")
    verified = run("verify", str(out))
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--day", "8"], "--day 8: the plan has days 1 to 7."),
        (["--day", "2", "--meal", "elevenses"], "--meal 'elevenses': day 2 has the meals breakfast, lunch, dinner"),
        (["--day", "2", "--lock", "two:dinner"], "--lock 'two:dinner': give DAY:MEAL, e.g. --lock 3:dinner"),
        (["--day", "2", "--lock", "9:dinner"], "--day 9: the plan has days 1 to 7."),
    ],
)
@pytest.mark.solve
def test_bad_replans_exit_2(week_file, args, message):
    result = run("replan", str(week_file), *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.solve
def test_lock_needs_day_and_meal_in_pairs(week_file):
    result = run("lock", str(week_file), "--day", "2", "--day", "3", "--meal", "dinner")
    assert result.exit_code == 2
    assert "Give --day and --meal in pairs: got 2 --day and 1 --meal." in result.output


@pytest.mark.solve
def test_replan_a_stored_plan_stores_the_new_one_with_its_parent(week, profile, tmp_path):
    from mealplan.workbench.store import Store

    db = tmp_path / "m.db"
    with Store.open(db) as s:
        s.add_client("ana", profile)
        s.add_plan("ana", week)
    assert run("lock", "1", "--day", "3", "--meal", "dinner", "--db", str(db)).exit_code == 0
    result = run("replan", "2", "--day", "3", "--meal", "lunch", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "stored plan 3 for client ana" in result.stderr
    history = json.loads(run("history", "ana", "--db", str(db), "--format", "json").stdout)["plans"]
    assert [(p["id"], p["action"], p["parent_id"]) for p in history] == [
        (1, "plan", None),
        (2, "lock", 1),
        (3, "replan", 2),
    ]
    missing = run("replan", "9", "--day", "3", "--db", str(db))
    assert missing.exit_code == 2 and "plan 9 is not in" in missing.output
