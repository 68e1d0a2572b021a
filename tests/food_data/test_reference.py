"""Reference intakes against the published DRI tables, energy equations by hand, AMDR."""

from __future__ import annotations

import csv

import pytest

from mealplan.food_data.nutrients import BY_ID
from mealplan.food_data.reference import (
    DRI_PATH,
    amdr,
    energy_estimate,
    life_stage,
    life_stages,
    reference_intakes,
)

# (age, sex, pregnant, lactating, nutrient, RDA/AI) from the National Academies DRI summary tables.
PUBLISHED = [
    (25, "female", False, False, "magnesium", 310),
    (45, "male", False, False, "magnesium", 420),
    (30, "female", True, False, "magnesium", 350),
    (16, "female", True, False, "magnesium", 400),
    (35, "female", False, True, "magnesium", 320),
    (2, "male", False, False, "magnesium", 80),
    (75, "female", False, False, "vitamin_d", 20),
    (75, "male", False, False, "vitamin_d", 20),
    (70, "male", False, False, "vitamin_d", 15),
    (30, "female", False, False, "vitamin_d", 15),
    (60, "female", False, False, "calcium", 1200),
    (60, "male", False, False, "calcium", 1000),
    (12, "female", False, False, "calcium", 1300),
    (2, "female", False, False, "calcium", 700),
    (16, "male", False, False, "potassium", 3000),
    (16, "female", False, False, "potassium", 2300),
    (40, "male", False, False, "potassium", 3400),
    (40, "female", False, False, "potassium", 2600),
    (28, "female", True, False, "potassium", 2900),
    (28, "female", False, True, "potassium", 2800),
    (45, "male", False, False, "sodium", 1500),
    (6, "male", False, False, "sodium", 1000),
    (30, "female", False, False, "iron", 18),
    (55, "female", False, False, "iron", 8),
    (30, "female", True, False, "iron", 27),
    (16, "female", False, False, "iron", 15),
    (40, "male", False, False, "zinc", 11),
    (40, "female", False, False, "zinc", 8),
    (30, "female", True, False, "folate", 600),
    (30, "male", False, False, "vitamin_c", 90),
    (30, "female", False, False, "vitamin_c", 75),
    (30, "female", False, True, "vitamin_c", 120),
    (30, "male", False, False, "vitamin_a", 900),
    (30, "female", False, True, "vitamin_a", 1300),
    (30, "male", False, False, "vitamin_b12", 2.4),
    (30, "female", True, False, "vitamin_b12", 2.6),
    (60, "male", False, False, "vitamin_b6", 1.7),
    (60, "female", False, False, "vitamin_b6", 1.5),
    (30, "male", False, False, "protein", 56),
    (30, "female", False, False, "protein", 46),
    (30, "female", True, False, "protein", 71),
    (30, "male", False, False, "fiber", 38),
    (60, "male", False, False, "fiber", 30),
    (60, "female", False, False, "fiber", 21),
    (40, "male", False, False, "copper", 0.9),
    (40, "female", False, False, "choline", 425),
    (40, "male", False, False, "vitamin_k", 120),
    (40, "male", False, False, "water", 3700),
    (40, "female", False, False, "selenium", 55),
    (40, "male", False, False, "phosphorus", 700),
    (10, "male", False, False, "phosphorus", 1250),
]


@pytest.mark.parametrize(("age", "sex", "pregnant", "lactating", "nutrient", "amount"), PUBLISHED)
def test_published_values(age, sex, pregnant, lactating, nutrient, amount):
    intake = reference_intakes(age, sex, pregnant, lactating)[nutrient]
    assert intake.amount == pytest.approx(amount)
    assert intake.unit == BY_ID[nutrient].unit


@pytest.mark.parametrize(
    ("age", "sex", "pregnant", "lactating", "stage"),
    [
        (2, "male", False, False, "children 1-3"),
        (8, "female", False, False, "children 4-8"),
        (9, "male", False, False, "boys 9-13"),
        (18, "female", False, False, "girls 14-18"),
        (19, "male", False, False, "men 19-30"),
        (31, "female", False, False, "women 31-50"),
        (50, "female", False, False, "women 31-50"),
        (51, "male", False, False, "men 51-70"),
        (70, "male", False, False, "men 51-70"),
        (71, "female", False, False, "women >70"),
        (16, "female", True, False, "pregnancy 14-18"),
        (30, "female", True, False, "pregnancy 19-30"),
        (45, "female", False, True, "lactation 31-50"),
    ],
)
def test_life_stage(age, sex, pregnant, lactating, stage):
    assert life_stage(age, sex, pregnant, lactating) == stage


def test_life_stage_rejects_pregnant_male_and_infants():
    with pytest.raises(ValueError, match="females only"):
        life_stage(30, "male", pregnant=True)
    with pytest.raises(ValueError, match="start at 1 year"):
        life_stage(0.5, "female")


def test_table_is_complete_and_cited():
    stages = life_stages()
    assert len(stages) == 20
    nutrients = set(reference_intakes(30, "female"))
    for key in (
        "magnesium",
        "calcium",
        "potassium",
        "sodium",
        "vitamin_d",
        "vitamin_b12",
        "vitamin_b6",
        "iron",
    ):
        assert key in nutrients
    with DRI_PATH.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        assert row["source"].startswith(("IOM", "NASEM")), row
        assert row["kind"] in ("RDA", "AI", "none")
        assert row["ul_applies_to"] in ("food", "supplements", "none")
        assert (row["ul"] == "") == (row["ul_applies_to"] == "none"), row
    # Every stage has the same nutrients.
    for stage in stages:
        assert {r["nutrient"] for r in rows if r["life_stage"] == stage} == nutrients


def test_upper_levels_and_what_they_apply_to():
    adult = reference_intakes(30, "female")
    older = reference_intakes(60, "female")
    assert adult["magnesium"].ul == 350 and adult["magnesium"].ul_applies_to == "supplements"
    assert not adult["magnesium"].ul_limits_food
    assert adult["calcium"].ul == 2500 and adult["calcium"].ul_limits_food
    assert older["calcium"].ul == 2000
    assert adult["vitamin_d"].ul == 100 and adult["vitamin_d"].ul_limits_food
    assert reference_intakes(3, "male")["vitamin_d"].ul == 63
    for supplements_only in ("folate", "niacin", "vitamin_e"):
        assert adult[supplements_only].ul_applies_to == "supplements"
    assert adult["vitamin_a"].ul is None
    assert adult["retinol"].ul == 3000 and adult["retinol"].amount is None
    assert adult["potassium"].ul is None
    assert adult["sodium"].ul == 2300 and adult["sodium"].ul_kind == "CDRR"
    assert adult["protein"].per_kg == 0.8
    assert reference_intakes(30, "female", lactating=True)["protein"].per_kg == 1.3


def test_adult_eer_worked_examples():
    # NASEM 2023's worked example: woman 22 y, 165 cm, 63 kg, low active:
    # 575.77 - 7.01 * 22 + 6.60 * 165 + 12.14 * 63 = 2,275 kcal.
    assert energy_estimate(22, "female", 63, 165, "low").kcal == pytest.approx(2275.37)
    # Man 30 y, 70 kg, 177 cm, active: 1004.82 - 10.83 * 30 + 6.52 * 177 + 15.91 * 70 = 2,947.66
    # (the IOM 2005 equation gave 2,962 for him: 662 - 9.53 * 30 + 1.25 * (15.91 * 70 + 539.6 * 1.77)).
    est = energy_estimate(30, "male", 70, 177, "active")
    assert est.kcal == pytest.approx(2947.66)
    assert est.method == "NASEM 2023 EER, adults 19+, active (activity active)"
    # Man 40 y, 80 kg, 180 cm, inactive: 753.07 - 433.2 + 1170 + 1128 = 2,617.87 (Mifflin x 1.2 said 2,076).
    assert energy_estimate(40, "male", 80, 180, "sedentary").kcal == pytest.approx(2617.87)
    # Woman 80 y, 55 kg, 158 cm, inactive: 584.90 - 560.8 + 903.76 + 644.05 = 1,571.91.
    assert energy_estimate(80, "female", 55, 158, "sedentary").kcal == pytest.approx(1571.91)


def test_every_activity_level_maps_to_its_own_category():
    kcal = [energy_estimate(30, "female", 60, 165, a).kcal for a in ("sedentary", "low", "active", "very_active")]
    assert kcal == sorted(kcal) and len(set(kcal)) == 4
    # very active woman: 511.83 - 210.3 + 9.07 * 165 + 12.56 * 60 = 2,551.68.
    assert kcal[3] == pytest.approx(2551.68)


def test_child_eer_worked_examples():
    # Boy 10 y, 36 kg, 144 cm, active: -388.19 + 3.68 * 10 + 12.66 * 144 + 20.46 * 36 + 25 (growth).
    assert energy_estimate(10, "male", 36, 144, "active").kcal == pytest.approx(2233.21)
    # Girl 6 y, 20 kg, 115 cm, low active: -297.54 - 22.25 * 6 + 12.77 * 115 + 14.73 * 20 + 15.
    assert energy_estimate(6, "female", 20, 115, "low").kcal == pytest.approx(1347.11)
    # Girl 15 y, 54 kg, 163 cm, active: -189.55 - 333.75 + 1913.62 + 990.36 + 20.
    assert energy_estimate(15, "female", 54, 163, "active").kcal == pytest.approx(2400.68)
    # Toddler boy 2 y, 12 kg, 86 cm (one equation for every activity): -716.45 - 2 + 1532.52 + 180.72 + 20.
    toddler = energy_estimate(2, "male", 12, 86, "low")
    assert toddler.kcal == pytest.approx(1014.79)
    assert toddler.method == "NASEM 2023 EER, 1-2 y"
    assert energy_estimate(2, "male", 12, 86, "very_active").kcal == pytest.approx(toddler.kcal)


def test_pregnancy_and_lactation_increments():
    base = energy_estimate(30, "female", 60, 165, "low").kcal
    assert energy_estimate(30, "female", 60, 165, "low", pregnant=True).kcal == pytest.approx(base + 340)
    assert energy_estimate(30, "female", 60, 165, "low", pregnant=True, trimester=3).kcal == pytest.approx(base + 452)
    assert energy_estimate(30, "female", 60, 165, "low", pregnant=True, trimester=1).kcal == pytest.approx(base)
    assert energy_estimate(30, "female", 60, 165, "low", lactating=True).kcal == pytest.approx(base + 330)
    method = energy_estimate(30, "female", 60, 165, "low", pregnant=True).method
    assert method.endswith("+ 340 kcal (pregnancy, trimester 2 assumed; IOM 2005)")


def test_reference_body_used_and_reported():
    est = energy_estimate(30, "female", None, None, "sedentary")
    # Reference woman 57 kg, 163 cm: 584.90 - 210.3 + 5.72 * 163 + 11.71 * 57 = 1,974.43.
    assert est.kcal == pytest.approx(1974.43)
    assert est.assumed == ("weight 57 kg (reference)", "height 163 cm (reference)")
    assert "NASEM 2023 EER, adults 19+, inactive" in est.method


def test_bad_activity_is_an_error():
    with pytest.raises(ValueError, match="allowed sedentary, low, active, very_active"):
        energy_estimate(30, "female", 60, 165, "couch")


def test_amdr():
    assert amdr(30) == {"protein": (10, 35), "fat": (20, 35), "carbohydrate": (45, 65)}
    assert amdr(2) == {"protein": (5, 20), "fat": (30, 40), "carbohydrate": (45, 65)}
    assert amdr(12)["fat"] == (25, 35) and amdr(12)["protein"] == (10, 30)


def test_damaged_table_is_a_food_data_error(tmp_path, monkeypatch):
    import mealplan.food_data.reference as ref
    from mealplan.errors import FoodDataError

    bad = tmp_path / "dri.csv"
    text = DRI_PATH.read_text(encoding="utf-8").replace(
        "magnesium,children 1-3,RDA,80,mg", "magnesium,children 1-3,RDA,80,g"
    )
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setattr(ref, "DRI_PATH", bad)
    ref._table.cache_clear()
    try:
        with pytest.raises(
            FoodDataError, match="nutrient 'magnesium' with unit 'g' does not match the nutrient registry"
        ):
            ref.reference_intakes(30, "female")
    finally:
        ref._table.cache_clear()
