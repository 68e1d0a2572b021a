"""``mealplan targets`` through the real command group: formats, red flags, triage files, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.triage import DISCLAIMER, TriageInput, run_triage

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "examples" / "profiles"


def invoke(*args: str):
    return CliRunner().invoke(cli, ["targets", *args])


def test_table_for_vegan_with_twitching():
    result = invoke("--profile", str(PROFILES / "vegan_twitching.yaml"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Profile vegan-twitching (women 19-30)" in out
    assert "Vitamin B12 * w" in out and "Magnesium *" in out
    assert "raised: suspected" in out
    assert "UL applies to supplements" in out
    assert out.rstrip().endswith("belong in front of a doctor.")
    assert "See a clinician first" not in out  # ten days, nothing alarming


def test_red_flags_print_first_and_disclaimer_last():
    result = invoke("--profile", str(PROFILES / "older_diuretics.yaml"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    positions = [
        out.index("See a clinician first"),
        out.index("more than two weeks"),
        out.index("Daily targets"),
        out.index("Potassium"),
        out.index("For education only."),
    ]
    assert positions == sorted(positions)


def test_json_output():
    result = invoke("--profile", str(PROFILES / "dietitian_adjusted.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["disclaimer"] == DISCLAIMER
    assert [f["id"] for f in data["red_flags"]] == ["medication"]
    items = data["targets"]["items"]
    assert items["magnesium"]["min"] == 400 and items["magnesium"]["min_source"] == "dietitian override"
    assert data["targets"]["energy_kcal"] == 1800


def test_csv_output_to_file(tmp_path):
    out = tmp_path / "targets.csv"
    result = invoke("--profile", str(PROFILES / "pregnant.yaml"), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["nutrient"] == "energy" and rows[0]["unit"] == "kcal"
    by_id = {r["nutrient"]: r for r in rows}
    # A vegetarian pregnancy: 27 mg x 1.8, held at 90 % of the 45 mg UL (issue 14).
    assert by_id["iron"]["min"] == "40.5" and by_id["iron"]["max"] == "40.5"
    assert by_id["magnesium"]["suspected"] == "True"
    assert by_id["vitamin_c"]["min"] == "85" and by_id["vitamin_c"]["max"] == "1800"  # 90 % of the 2,000 mg UL
    assert by_id["folate"]["max"] == "" and float(by_id["folate"]["min"]) > 600  # pregnancy raises folate


def test_no_symptoms_means_no_triage():
    result = invoke("--profile", str(ROOT / "examples" / "batch" / "no_symptoms_man.toml"))
    assert result.exit_code == 0, result.output
    assert "*" not in result.stdout.split("Daily targets", 1)[1].split("\n", 1)[1]
    assert "assumed weight 70 kg (reference)" in " ".join(result.stdout.split())


def test_saved_triage_file_is_used(tmp_path):
    saved = tmp_path / "mealplan.triage.json"
    saved.write_text(run_triage(TriageInput(factors=["diuretics"], days=30)).model_dump_json(), encoding="utf-8")
    profile = ROOT / "examples" / "batch" / "no_symptoms_man.toml"
    result = invoke("--profile", str(profile), "--triage", str(saved), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["targets"]["items"]["potassium"]["suspected"] is True
    assert "long-duration" in [f["id"] for f in data["red_flags"]]


def test_bad_triage_file_names_it(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    result = invoke("--profile", str(PROFILES / "pregnant.yaml"), "--triage", str(bad))
    assert result.exit_code == 2
    assert f"Error: {bad}: not a saved triage result" in result.stderr


def test_bad_profile_lists_problems(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("id: a\nage: 200\nsex: female\nalergies: [milk]\n", encoding="utf-8")
    result = invoke("--profile", str(path))
    assert result.exit_code == 2
    assert f"Error: {path}: the profile is not valid:" in result.stderr
    assert "  - alergies: unknown field; did you mean allergies?" in result.stderr
    assert "  - age: Input should be less than or equal to 120 (got 200)" in result.stderr


def test_conflicting_override_exits_2(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("id: a\nage: 30\nsex: female\nnutrients: {calcium: {min: 3000}}\n", encoding="utf-8")
    result = invoke("--profile", str(path))
    assert result.exit_code == 2
    assert (
        "nutrients.calcium: min 3,000 mg (dietitian override) is above max 2,250 mg (90 % of the UL (2,500 mg)"
        in result.stderr
    )


@pytest.mark.parametrize("args", [[], ["--profile", "does-not-exist.yaml"]])
def test_usage_errors(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "--profile" in result.stderr
