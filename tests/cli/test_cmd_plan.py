"""``mealplan plan`` through the real command group: output formats, files, and errors with exit codes."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.food_data.table import load_bundled
from mealplan.plan import Plan
from mealplan.verify.verifier import verify_plan

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
OLDER = str(EXAMPLES / "older_diuretics.yaml")  # red flags: long-lasting, weakness, diuretics
PREGNANT = str(EXAMPLES / "pregnant.yaml")  # no red flags
DISCLAIMER = "For education only."


def invoke(*args: str):
    return CliRunner().invoke(cli, ["plan", *args])


@pytest.fixture(scope="module")
def json_plan() -> Plan:
    result = invoke("--profile", OLDER, "--format", "json")
    assert result.exit_code == 0, result.output
    return Plan.model_validate_json(result.stdout)


@pytest.mark.solve
def test_table_starts_with_red_flags_then_the_disclaimer_then_meals():
    result = invoke("--profile", OLDER)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.lstrip().startswith("╭─ See a clinician")
    assert "A prescribed medicine may be involved (diuretics)." in out
    positions = [out.index("See a clinician"), out.index(DISCLAIMER), out.index("Day 1 — "), out.index("breakfast")]
    assert positions == sorted(positions)
    assert "highs optimal" in out or "highs time_limit" in out


@pytest.mark.solve
def test_without_red_flags_the_disclaimer_comes_first():
    result = invoke("--profile", PREGNANT)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(DISCLAIMER)
    assert "See a clinician" not in result.stdout
    assert result.stdout.index(DISCLAIMER) < result.stdout.index("Day 1 — ")


@pytest.mark.solve
def test_json_is_a_plan_that_verifies(json_plan):
    assert json_plan.profile_id == "older-diuretics" and json_plan.kind == "day"
    assert json_plan.red_flags and json_plan.disclaimer.startswith(DISCLAIMER)
    assert verify_plan(json_plan, load_bundled()).problems == []


@pytest.mark.solve
def test_csv_has_one_row_per_item(json_plan):
    result = invoke("--profile", OLDER, "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # Red flags first and the disclaimer, as comment lines before the header.
    comments = [ln for ln in lines if ln.startswith("# ")]
    assert lines[: len(comments)] == comments
    assert [c.removeprefix("# See a clinician: ") for c in comments[:-1]] == [
        f"{f.message} {f.advice}" for f in json_plan.red_flags
    ]
    assert comments[-1] == f"# {json_plan.disclaimer}"
    rows = list(csv.reader(io.StringIO("\n".join(lines[len(comments) :]))))
    assert rows[0][:9] == ["day", "slot", "meal", "meal_kind", "dish_id", "portion", "role", "food_id", "food"]
    assert rows[0][-1] == "household" and "grams" in rows[0]
    col = {name: k for k, name in enumerate(rows[0])}
    items = [
        (str(d.index), s.name, s.title, s.meal_kind, s.dish_id or "", i.role, i.food_id)
        for d in json_plan.days
        for s in d.slots
        for i in s.items
    ]
    keys = ("day", "slot", "meal", "meal_kind", "dish_id", "role", "food_id")
    assert [tuple(r[col[k]] for k in keys) for r in rows[1:]] == items  # the same input gives the same plan
    assert any(r[col["role"]] == "drink" for r in rows[1:]) == any(
        i.role == "drink" for d in json_plan.days for s in d.slots for i in s.items
    )


@pytest.mark.solve
def test_table_speaks_dishes(json_plan):
    """The terminal table names each meal (bold title), its portion and method, then ingredients."""
    result = invoke("--profile", OLDER)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    for slot in json_plan.days[0].slots:
        assert " ".join(slot.title.split()[:4]) in flat
        if slot.meal_kind == "dish":
            assert "portion" in flat and " ".join((slot.method or "").split()[:4]) in flat
        if any(i.role == "drink" for i in slot.items):
            assert "Drink: " in flat


@pytest.mark.solve
@pytest.mark.parametrize(("fmt", "marker"), [("md", "# "), ("html", "<html")])
def test_md_and_html_reports(fmt, marker):
    result = invoke("--profile", OLDER, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert marker in result.stdout
    assert DISCLAIMER in result.stdout
    if fmt == "md":
        assert result.stdout.index("See a doctor") < result.stdout.index(DISCLAIMER)
        assert "**Breakfast: " in result.stdout  # each meal is named: slot and title


@pytest.mark.solve
def test_output_file_is_written_atomically(tmp_path):
    out = tmp_path / "plan.json"
    result = invoke("--profile", OLDER, "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"wrote {out}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]  # no temporary file left
    assert Plan.model_validate_json(out.read_bytes()).profile_id == "older-diuretics"


@pytest.mark.solve
def test_write_model(tmp_path):
    model = tmp_path / "x.mps"
    result = invoke("--profile", OLDER, "--format", "csv", "--write-model", str(model))
    assert result.exit_code == 0, result.output
    text = model.read_text()
    assert text.startswith("*") or text.startswith("NAME")
    assert "ROWS" in text and "qty_" in text


@pytest.mark.solve
def test_write_model_bad_suffix(tmp_path):
    model = tmp_path / "x.txt"
    result = invoke("--profile", OLDER, "--write-model", str(model))
    assert result.exit_code == 2
    assert result.stderr == f"Error: --write-model {str(model)!r}: the file must end in .mps or .lp.\n"


@pytest.mark.solve
def test_symptoms_on_the_command_line_run_triage(tmp_path):
    profile = tmp_path / "me.yaml"
    profile.write_text("id: me\nage: 30\nsex: female\ndiet: vegetarian\n")
    result = invoke("--profile", str(profile), "--symptom", "charley horse", "--factor", "PPI", "--format", "json")
    assert result.exit_code == 0, result.output
    plan = Plan.model_validate_json(result.stdout)
    assert plan.triage is not None
    assert plan.triage.input.symptoms == ["muscle-cramps"]
    assert plan.triage.input.factors == ["acid-reducers", "vegetarian"]  # the diet implies its factor
    assert any(t.suspected and t.priority > 1 for t in plan.targets.items.values())


def test_unknown_symptom_exits_2_with_the_closest_term():
    result = invoke("--profile", OLDER, "--symptom", "charly horse")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Unknown symptom or risk factor ('mealplan triage --list' shows every id with its synonyms):\n"
        "  - --symptom: unknown symptom 'charly horse'; did you mean 'muscle-cramps'?\n"
    )
    assert "Traceback" not in result.output


def test_missing_profile_names_the_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    result = invoke("--profile", str(missing))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {missing}: profile file not found; ")


def test_days_out_of_range_names_the_flag():
    result = invoke("--profile", OLDER, "--days", "29")
    assert result.exit_code == 2
    assert "Invalid value for '--days': 29 is not in the range 1<=x<=28." in result.stderr


def test_cost_objective_without_prices(tmp_path):
    profile = tmp_path / "me.yaml"
    shutil.copy(OLDER, profile)
    result = invoke("--profile", str(profile), "--objective", "cost")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --objective cost needs prices: give the profile a `prices` table or a food table with a price column.\n"
    )


@pytest.mark.solve
def test_a_day_plan_does_not_import_pandas(tmp_path, imports_pandas):
    """pandas takes 0.4 s to import, almost half the 1 s budget of a day plan: the planner path is numpy only."""
    load_bundled()  # the cached table exists, as on every run after the first
    profile = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "vegan_twitching.yaml"
    out = tmp_path / "day.json"
    assert not imports_pandas("plan", "--profile", str(profile), "--format", "json", "-o", str(out))
    plan = Plan.model_validate_json(out.read_text())
    assert plan.days and verify_plan(plan, load_bundled()).problems == []


@pytest.mark.solve
def test_a_plan_for_dates_records_its_first_day_and_says_the_dates():
    result = invoke("--profile", PREGNANT, "--from", "2026-12-07", "--to", "2026-12-08", "--format", "json")
    assert result.exit_code == 0, result.output
    plan = Plan.model_validate_json(result.stdout)
    assert len(plan.days) == 2 and str(plan.start_date) == "2026-12-07"
    assert verify_plan(plan, load_bundled()).problems == []
    from mealplan.report import render_markdown

    assert "from Mon 7 Dec to Tue 8 Dec 2026" in render_markdown(plan, None)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--from", "2026-12-07"), "--from and --to go together"),
        (("--from", "2026-12-07", "--to", "2027-01-20"), "is 45 days; a plan covers 1 to 28 days"),
        (("--from", "2026-12-07", "--to", "2026-12-01"), "is -5 days"),
        (("--from", "2026-12-07", "--to", "2026-12-09", "--days", "3"), "give one of them"),
        (("--from", "7/12/2026", "--to", "2026-12-09"), "'7/12/2026' does not match the format '%Y-%m-%d'"),
        (("--days", "29"), "29 is not in the range 1<=x<=28"),
    ],
)
def test_bad_plan_lengths_exit_2_and_say_why(args, says):
    result = invoke("--profile", PREGNANT, *args)
    assert result.exit_code == 2
    assert says in result.output
