"""Issue 27 vignettes, written from the source articles (../shared/seeds) and the domain brief's
caseload, run through ``mealplan triage`` as a person would type them. Each checks what comes first,
how urgent it is, which nutrients lead, and that no note contradicts a flag or says what the plan does
not do."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.triage import DISCLAIMER

ROUTINE = ("one to three weeks", "drink regularly", "usually fade with rest", "drink enough")


def run(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["triage", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["disclaimer"] == DISCLAIMER  # every triage output carries it
    return data


def flags(data: dict) -> list[tuple[str, str]]:
    return [(f["id"], f["urgency"]) for f in data["red_flags"]]


def notes(data: dict) -> str:
    return " ".join(data["notes"]).lower()


def top(data: dict, n: int) -> list[str]:
    return [s["nutrient"] for s in data["suspected"][:n]]


def no_routine_advice(data: dict) -> None:
    """An urgent flag replaces the routine advice with what to do now."""
    text = notes(data)
    assert not [phrase for phrase in ROUTINE if phrase in text], text
    assert data["notes"][0].startswith("Now: get the care")


def test_seizure_with_twitching_all_over():
    """Article: severe magnesium or calcium shortage can cause seizures; the emergency comes first and
    nothing about weeks of diet changes or drinking sits beside it."""
    data = run("--symptom", "twitching all over", "--symptom", "seizure", "--age", "34", "--sex", "male")
    assert flags(data)[0] == ("emergency-signs", "urgent")
    assert "emergency services" in data["red_flags"][0]["advice"]
    assert top(data, 2) == ["magnesium", "calcium"]
    no_routine_advice(data)


def test_chest_pain_and_breathlessness_with_cramps():
    """Articles: an irregular heartbeat or a serious electrolyte imbalance; chest pain and breathlessness
    are an emergency."""
    data = run("--symptom", "cramps", "--symptom", "chest pain", "--symptom", "short of breath", "--days", "3")
    assert flags(data) == [("emergency-signs", "urgent")]
    no_routine_advice(data)


def test_tingling_around_the_mouth_after_thyroid_surgery():
    """Article: hypocalcaemia causes tingling; domain: tingling around the mouth means same-day care."""
    data = run("--symptom", "tingling around the mouth", "--symptom", "muscle cramps", "--age", "52", "--sex", "female")
    assert flags(data) == [("low-calcium-signs", "urgent")]
    assert "today" in data["red_flags"][0]["advice"] and top(data, 1) == ["calcium"]
    no_routine_advice(data)


def test_palpitations_on_a_water_pill_in_a_heatwave():
    """Articles: diuretics and heavy sweating drain potassium and magnesium, which can disturb the heart's
    rhythm: the same day, not within days."""
    data = run(
        "--symptom", "palpitations", "--symptom", "leg cramps", "--factor", "hydrochlorothiazide",
        "--factor", "hot weather", "--age", "63", "--sex", "female",
    )  # fmt: skip
    assert flags(data)[0] == ("palpitations-electrolytes", "urgent")
    assert ("palpitations", "soon") not in flags(data)
    assert (
        "thiazide-diuretic" in data["red_flags"][0]["message"] and "heavy-sweating" in data["red_flags"][0]["message"]
    )
    assert set(top(data, 2)) == {"potassium", "magnesium"}
    no_routine_advice(data)
    assert "electrolytes replaces" not in notes(data)  # no sports drinks with a diuretic


def test_palpitations_alone_are_still_within_days():
    data = run("--symptom", "palpitations", "--symptom", "anxiety", "--age", "29", "--sex", "female")
    assert flags(data) == [("palpitations", "soon")]
    assert "one to three weeks" in notes(data)  # no urgent flag: the routine plan stays


def test_eight_year_old_who_drinks_cola_with_twitching():
    """Articles: caffeine aggravates twitching; children get no coffee talk, no caffeine at all (AAP)."""
    data = run("--symptom", "eye twitch", "--factor", "energy drinks", "--age", "8", "--sex", "male")
    assert flags(data) == [("child", "soon")]
    text = notes(data)
    assert "coffee" not in text.replace("no cola, energy drinks, coffee or tea", "")
    assert "children under 12 should not have caffeine" in text
    assert "cut back on coffee" not in text and "seven to nine hours" not in text
    assert "paediatrician" in text


def test_tired_teenage_runner_with_heavy_periods():
    """Domain: heavy menstrual bleeding with fatigue: iron first, and a clinician with the blood count."""
    data = run(
        "--symptom", "tired", "--symptom", "muscle cramps", "--factor", "heavy periods", "--factor", "marathon",
        "--age", "17", "--sex", "female",
    )  # fmt: skip
    assert flags(data) == [("heavy-bleeding-symptoms", "soon")]
    advice = data["red_flags"][0]["advice"]
    assert "full blood count and ferritin" in advice
    assert set(top(data, 2)) == {"iron", "magnesium"}  # iron 3 (bleeding) + 2 (tiredness) + 1 (running)
    assert "ferritin and a full blood count" in data["blood_tests"]
    assert "seven to nine hours" not in notes(data)  # a teenager's sleep is not an adult's


def test_heavy_periods_without_symptoms_are_routine():
    data = run("--factor", "menorrhagia", "--age", "38", "--sex", "female")
    assert flags(data) == [("heavy-bleeding", "routine")] and top(data, 1) == ["iron"]


def test_lactose_intolerant_woman_with_cramps():
    """Articles: dairy is the main calcium source; domain: lactose intolerance is not a milk allergy."""
    data = run("--symptom", "cramps", "--factor", "lactose intolerant", "--age", "45", "--sex", "female")
    assert data["input"]["factors"] == ["lactose-intolerance"]
    assert flags(data) == []
    assert "calcium" in top(data, 3)
    assert "not a milk allergy" in notes(data) and "yogurt, hard cheese and lactose-free milk" in notes(data)


def test_man_on_warfarin_with_night_cramps():
    """Domain: warfarin needs vitamin K kept steady and grapefruit and cranberry juice left out."""
    data = run("--symptom", "night cramps", "--factor", "warfarin", "--age", "71", "--sex", "male")
    assert flags(data) == [("anticoagulant", "routine")]
    assert "anticoagulation clinic" in data["red_flags"][0]["advice"]
    assert "steady from day to day" in notes(data) and "cranberry" in notes(data)
    assert top(data, 1) == ["magnesium"]


def test_four_months_after_gastric_bypass_with_tingling_and_fatigue():
    """Articles: B12 keeps nerves healthy; domain: bariatric surgery (ASMBS): small meals, drinks apart."""
    data = run("--symptom", "pins and needles", "--symptom", "tired", "--factor", "gastric bypass", "--age", "41",
               "--sex", "female")  # fmt: skip
    assert flags(data) == [("bariatric", "routine")]
    assert top(data, 1) == ["vitamin_b12"] and {"iron", "calcium"} <= set(top(data, 5))
    text = notes(data)
    assert "between meals rather than with them" in text and "drink regularly through the day" not in text


def test_vomiting_after_bariatric_surgery_is_same_day():
    data = run("--symptom", "vomiting", "--factor", "sleeve gastrectomy", "--age", "39", "--sex", "female")
    assert flags(data)[0] == ("bariatric-vomiting", "urgent") and "thiamin" in data["red_flags"][0]["advice"]
    no_routine_advice(data)


def test_office_worker_with_eyelid_twitching_hears_nothing_about_sweat():
    """Notes follow the person: no sweat, sports drinks or electrolyte advice for someone who does not
    sweat heavily."""
    data = run("--symptom", "eyelid twitching", "--factor", "stress", "--factor", "coffee", "--age", "33")
    assert flags(data) == []
    text = notes(data)
    assert "sweat" not in text and "electrolytes" not in text
    assert "cut back on coffee" in text and "stress" in text
