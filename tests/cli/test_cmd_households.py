"""``mealplan households``: add, list, show, pantry, plan and ``history`` of a household; errors word for word
and their exit codes (the store itself: tests/workbench/test_households.py)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from tests.household_plans import pair_file


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="mealplan")


@pytest.fixture
def db(tmp_path):
    """A database with household ``pair`` (father and daughter as clients) and its pantry (7 rows)."""
    path = tmp_path / "h.db"
    result = invoke("households", "add", str(pair_file(tmp_path)), "--db", str(path))
    assert result.exit_code == 0, result.output
    assert f"added household pair (version 1) in {path}" in result.output
    assert "added client father" in result.output and "stored the pantry of pair: 7 rows" in result.output
    return path


def test_list_show_and_pantry_as_json(db):
    listed = json.loads(invoke("households", "list", "--db", str(db), "--format", "json").output)
    rows = [(h["id"], h["versions"], h["plans"], h["pantry_items"]) for h in listed["households"]]
    assert rows == [("pair", 1, 0, 7)]
    shown = json.loads(invoke("households", "show", "pair", "--db", str(db), "--format", "json").output)
    assert shown["version"]["household"]["members"] == [{"client": "father"}, {"client": "daughter"}]
    assert len(shown["pantry"]) == 7 and shown["plans"] == []
    clients = json.loads(invoke("clients", "list", "--db", str(db), "--format", "json").output)
    assert [c["id"] for c in clients["clients"]] == ["daughter", "father"]  # the household is no person


def test_pantry_import_replaces_the_rows_and_bad_rows_are_named(db, tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text("food,amount,unit\nrolled oats,250,g\nsugarz,1,kg\n", encoding="utf-8")
    bad = invoke("households", "pantry", "pair", "--db", str(db), "--import", str(csv))
    assert bad.exit_code == 2 and f"{csv}, row 3, column 'food': 'sugarz' is no food of the table" in bad.output
    csv.write_text("food,amount,unit\nrolled oats,250,g\n", encoding="utf-8")
    ok = invoke("households", "pantry", "pair", "--db", str(db), "--import", str(csv), "--format", "json")
    assert ok.exit_code == 0 and [i["food_id"] for i in json.loads(ok.stdout)["pantry"]] == ["08120"]
    both = invoke("households", "pantry", "pair", "--db", str(db), "--import", str(csv), "--clear")
    assert both.exit_code == 2 and "--import and --clear both replace the pantry: give one of them." in both.output


def test_errors_name_the_id_and_what_to_do(db, tmp_path):
    again = invoke("households", "add", str(tmp_path / "pair.yaml"), "--db", str(db))
    assert again.exit_code == 2
    words = " ".join(again.output.split())
    assert (f"Error: {tmp_path / 'pair.yaml'}: id 'pair' is already in {db}; add `--update` to store the file as "
            "the household's next version, or give the household another id.") in words  # fmt: skip
    unknown = invoke("households", "plan", "nope", "--db", str(db))
    assert unknown.exit_code == 2
    assert (f"Error: household 'nope' is not in {db} (known households: pair); add one with `mealplan households "
            "add FILE`.") in " ".join(unknown.output.split())  # fmt: skip
    person = invoke("clients", "show", "pair", "--db", str(db))
    assert person.exit_code == 2 and "'pair' is a household, not one person's client" in person.output
    assert "Traceback" not in again.output + unknown.output + person.output


@pytest.mark.solve
def test_plan_stores_the_plan_in_the_history_and_it_verifies(db, tmp_path):
    out = tmp_path / "pair.json"
    result = invoke("households", "plan", "pair", "--days", "1", "--time-limit", "20", "--db", str(db),
                    "--format", "json", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"stored plan 1 for household pair in {db}" in result.output
    checked = invoke("verify", str(out))
    assert checked.exit_code == 0, checked.output
    history = json.loads(invoke("history", "pair", "--db", str(db), "--format", "json").output)
    assert [(p["id"], p["figures"]["kind"], p["household_version"]) for p in history["plans"]] == [(1, "household", 1)]
    exported = invoke("history", "pair", "--db", str(db), "--export", "1")
    assert json.loads(exported.output) == json.loads(out.read_text())
