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


# --- issue 27: conditions, children, supplements ----------------------------------------------------------


def test_kidney_disease_sources_print_beside_the_bounds():
    result = invoke("--profile", str(PROFILES / "ckd_stage4_renal_team.yaml"), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["nutrient"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert (
        rows["protein"]["max"] == "47"
        and "the renal team's limit, kidney disease (stage 4)" in rows["protein"]["max_source"]
    )
    assert rows["potassium"]["max"] == "2000" and rows["phosphorus"]["max"] == "800"
    assert "KDOQI 2020" in rows["magnesium"]["min_source"]
    assert "Rule: protein range widened" in result.stderr


def test_a_childs_rules_are_listed_with_their_sources():
    result = invoke("--profile", str(PROFILES / "child_toddler.yaml"))
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())  # the table wraps long lines
    assert "Rules beyond the daily targets (child (2 years)):" in out
    for text in ("milk at most 590 g a day", "juice at most 120 g a day: 120 g a day, age 2: AAP 2017",
                 "seafood at most 57 g a week", "portions x 0.5", "coffee and tea served: none"):  # fmt: skip
        assert text in out, text
    assert out.index("See a clinician first") < out.index("Daily targets")  # red flags first


def test_a_condition_without_the_clinicians_numbers_exits_2_naming_the_fields(tmp_path):
    path = tmp_path / "ckd.yaml"
    path.write_text("id: k\nage: 66\nsex: male\nweight_kg: 80\nconditions: {ckd: {stage: 4}}\n", encoding="utf-8")
    result = invoke("--profile", str(path))
    assert result.exit_code == 2
    assert "profile 'k': a clinician must supply what these conditions need before a plan is made:" in result.output
    assert (
        "conditions.ckd.renal_limits.protein_g, conditions.ckd.renal_limits.potassium_mg, "
        "conditions.ckd.renal_limits.phosphorus_mg: kidney disease (stage 4) needs the renal team's limits"
    ) in " ".join(result.output.split())


def test_supplements_are_listed_and_counted_in_json():
    result = invoke(
        "--profile", str(ROOT / "tests" / "fixtures" / "clinical" / "bariatric_bypass.yaml"), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    tg = data["targets"]
    assert tg["supplements"] == {"iron": 45, "calcium": 1200, "vitamin_d": 75, "vitamin_b12": 350}
    assert tg["meal_mass_max_g"] == 180 and tg["drinks_with_meals"] is False
    assert [f["id"] for f in data["red_flags"]] == ["bariatric"] and data["disclaimer"] == DISCLAIMER
