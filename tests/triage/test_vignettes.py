"""Vignettes written from the source articles (../shared/seeds), run through ``mealplan triage`` as
a person would type them: what comes first, how urgent, which nutrients lead, which advice is given
and which is withheld."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.triage import DISCLAIMER


def run(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["triage", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def flags(data: dict) -> list[tuple[str, str]]:
    return [(f["id"], f["urgency"]) for f in data["red_flags"]]


def top(data: dict, n: int) -> set[str]:
    return {s["nutrient"] for s in data["suspected"][:n]}


def notes(data: dict) -> str:
    return " ".join(data["notes"]).lower()


def test_vegan_with_eyelid_twitch_and_pins_and_needles_for_ten_days():
    """Articles: B12 has no reliable plant source; twitching and tingling point at B12; caffeine aggravates."""
    data = run(
        "--symptom", "eye twitch", "--symptom", "pins and needles", "--factor", "vegan", "--factor", "coffee",
        "--days", "10", "--age", "27", "--sex", "female",
    )  # fmt: skip
    assert flags(data) == []
    assert data["suspected"][0]["nutrient"] == "vitamin_b12"
    assert "coffee" in notes(data) and "drink enough" in notes(data)
    assert data["disclaimer"] == DISCLAIMER


def test_twitching_all_over_the_body_for_three_weeks():
    """Articles: twitching in more than one muscle group, or lasting over two weeks, needs a doctor."""
    data = run("--symptom", "twitching all over my body", "--days", "21", "--age", "45", "--sex", "male")
    assert data["input"]["symptoms"] == ["muscle-twitching"] and data["input"]["multiple_groups"] is True
    assert flags(data) == [("multiple-groups", "soon"), ("long-duration", "routine")]
    assert data["suspected"][0]["nutrient"] == "magnesium"
    assert "usually fade with rest" not in notes(data)


def test_hands_that_lock_and_tingling_lips_after_neck_surgery():
    """Articles: severe hypocalcaemia causes tetany with tingling; domain: same-day care."""
    data = run("--symptom", "hands locking", "--symptom", "tingling lips", "--age", "50", "--sex", "female")
    assert flags(data) == [("low-calcium-signs", "urgent")]
    assert "today" in data["red_flags"][0]["advice"]
    assert data["suspected"][0]["nutrient"] == "calcium"


def test_older_woman_on_furosemide_with_night_cramps_and_weak_legs():
    """Articles: diuretics lose potassium and magnesium; weakness needs a doctor; older age: B12, vitamin D."""
    data = run(
        "--symptom", "leg cramps at night", "--symptom", "weakness", "--factor", "furosemide",
        "--age", "74", "--sex", "female",
    )  # fmt: skip
    assert flags(data) == [("weakness-or-stiffness", "soon"), ("medication", "routine")]
    assert top(data, 2) == {"potassium", "magnesium"}
    assert {"vitamin_b12", "vitamin_d"} <= {s["nutrient"] for s in data["suspected"]}
    assert "drink regularly" not in notes(data) and "drink enough" not in notes(data)
    assert "ask your prescriber how much fluid to drink" in notes(data)


def test_man_on_lisinopril_and_spironolactone_with_cramps_and_palpitations():
    """Palpitations come before the medicine flag; no electrolyte drinks, a word on salt substitutes."""
    data = run(
        "--symptom", "cramps", "--symptom", "palpitations", "--factor", "lisinopril", "--factor", "spironolactone",
        "--age", "60", "--sex", "male",
    )  # fmt: skip
    # Potassium may build up with both medicines: palpitations then need care the same day.
    assert flags(data) == [("palpitations-electrolytes", "urgent"), ("medication", "routine")]
    assert "potassium-sparing-diuretic, ace-inhibitor-or-arb" in data["red_flags"][1]["message"]
    assert "salt substitutes" in notes(data) and "electrolytes replaces" not in notes(data)
    assert "one to three weeks" not in notes(data) and notes(data).startswith("now:")


def test_palpitations_with_chest_pain_in_a_runner():
    """Articles: an irregular heartbeat can come from electrolytes; with chest pain it is an emergency."""
    data = run("--symptom", "palpitations", "--symptom", "chest pain", "--symptom", "cramps", "--factor", "marathon")
    assert flags(data)[:2] == [("emergency-signs", "urgent"), ("palpitations-electrolytes", "urgent")]
    assert top(data, 3) == {"magnesium", "potassium", "sodium"}


def test_baby_with_twitching_whose_mother_is_vegan():
    """Domain: infants go to a clinician first; no adult lifestyle advice for a baby."""
    data = run("--symptom", "twitching", "--factor", "vegan", "--age", "0.5")
    assert flags(data)[0] == ("infant", "urgent")
    assert "coffee" not in notes(data) and "drink" not in notes(data)


def test_eight_year_old_with_leg_cramps_at_night():
    """Under 12 the first message is to see a clinician (a paediatric assessment)."""
    data = run("--symptom", "leg cramps at night", "--age", "8", "--days", "20")
    assert flags(data) == [("child", "soon"), ("long-duration", "routine")]
    assert "paediatric" in data["red_flags"][0]["message"]


def test_person_with_kidney_disease_and_cramps():
    """Kidney disease: potassium, phosphorus and fluid need the renal team."""
    data = run("--symptom", "cramps", "--factor", "chronic kidney disease", "--age", "66", "--sex", "male")
    assert flags(data) == [("kidney-disease", "routine")]
    assert "renal" in data["red_flags"][0]["advice"]
    assert "drink regularly" not in notes(data) and "salt substitutes" in notes(data)


def test_sixty_year_old_with_nothing_to_report_still_hears_about_b12():
    """Age rules run without symptoms: from about 50 less B12 is absorbed from food."""
    data = run("--age", "60", "--sex", "male")
    assert flags(data) == []
    assert [s["nutrient"] for s in data["suspected"]] == ["vitamin_b12"]
