"""Dietary Reference Intakes (National Academies) by life stage, energy requirement and AMDR.

The intakes live in ``food_data/data/dri.csv``, one row per nutrient and life-stage group, each row
citing the report and summary table it comes from. Columns:

- ``kind``: ``RDA`` or ``AI`` for the amount (``none`` when the row carries only an upper level, as
  for ``retinol``);
- ``amount``: the RDA or AI per day, in the nutrient's canonical unit (``food_data.nutrients``);
- ``per_kg``: for protein, the RDA in g per kg of body weight per day;
- ``ul``, ``ul_kind``: the upper level per day and what it is (``UL``, or ``CDRR`` for sodium's
  chronic-disease risk-reduction intake);
- ``ul_applies_to``: ``food`` when the upper level covers total intake (food, water and supplements),
  so a meal plan must respect it; ``supplements`` when it covers supplements, medicines or fortificants
  only (magnesium, folic acid, niacin, vitamin E), so it does not limit food; ``none`` when no upper
  level was set.

The vitamin A UL is for preformed vitamin A, so it sits on ``retinol``; ``vitamin_a`` (µg RAE) has an
RDA and no UL.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from mealplan.errors import FoodDataError
from mealplan.food_data.nutrients import BY_ID

DRI_PATH = Path(__file__).parent / "data" / "dri.csv"

Sex = Literal["female", "male"]
Activity = Literal["sedentary", "low", "active", "very_active"]
ACTIVITIES: tuple[str, ...] = ("sedentary", "low", "active", "very_active")

# Adults (19+): Mifflin-St Jeor resting energy times a physical-activity factor. These are the
# conventional factors used with Mifflin-St Jeor: sedentary (desk job, little exercise), low (light
# exercise 1-3 days a week), active (moderate exercise 3-5 days), very active (hard exercise 6-7 days
# or a physical job).
ACTIVITY_FACTORS: dict[str, float] = {"sedentary": 1.2, "low": 1.375, "active": 1.55, "very_active": 1.725}

# Children and teens (3-18): IOM 2005 EER physical-activity coefficients (PA) for the categories
# sedentary, low active, active and very active, by sex.
CHILD_PA: dict[str, dict[str, float]] = {
    "male": {"sedentary": 1.00, "low": 1.13, "active": 1.26, "very_active": 1.42},
    "female": {"sedentary": 1.00, "low": 1.16, "active": 1.31, "very_active": 1.56},
}

# Energy added in pregnancy by trimester and in lactation (IOM 2005: pregnancy +0/+340/+452 kcal;
# lactation in the first 6 months: 500 kcal milk energy less 170 kcal from weight loss = +330).
PREGNANCY_EXTRA_KCAL: dict[int, float] = {1: 0.0, 2: 340.0, 3: 452.0}
DEFAULT_TRIMESTER = 2
LACTATION_EXTRA_KCAL = 330.0

# Reference heights (cm) and weights (kg), IOM 2002/2005 Macronutrients report (reference heights
# and weights for the United States). Used when a profile gives no weight or height.
REFERENCE_BODY: dict[tuple[str, str], tuple[float, float]] = {
    ("children 1-3", "female"): (12.0, 86.0),
    ("children 1-3", "male"): (12.0, 86.0),
    ("children 4-8", "female"): (20.0, 115.0),
    ("children 4-8", "male"): (20.0, 115.0),
    ("9-13", "male"): (36.0, 144.0),
    ("9-13", "female"): (37.0, 144.0),
    ("14-18", "male"): (61.0, 174.0),
    ("14-18", "female"): (54.0, 163.0),
    ("adult", "male"): (70.0, 177.0),
    ("adult", "female"): (57.0, 163.0),
}

# Acceptable Macronutrient Distribution Ranges, percent of energy (IOM 2002/2005).
AMDR_ADULT: dict[str, tuple[float, float]] = {"protein": (10, 35), "fat": (20, 35), "carbohydrate": (45, 65)}
AMDR_CHILD_1_3: dict[str, tuple[float, float]] = {
    "protein": (5, 20),
    "fat": (30, 40),
    "carbohydrate": (45, 65),
}
AMDR_CHILD_4_18: dict[str, tuple[float, float]] = {
    "protein": (10, 30),
    "fat": (25, 35),
    "carbohydrate": (45, 65),
}
AMDR_SOURCE = "AMDR, IOM 2002/2005 DRI for Macronutrients"


@dataclass(frozen=True)
class Intake:
    """One reference intake for one life stage.

    Attributes:
        nutrient: Registry id (``magnesium``).
        unit: Canonical unit of the nutrient (matches ``food_data.nutrients``).
        amount: RDA or AI per day, or ``None`` when the row only carries an upper level.
        kind: ``RDA``, ``AI`` or ``none``.
        ul: Upper level per day, or ``None``.
        ul_kind: ``UL`` or ``CDRR`` (sodium), empty when there is no upper level.
        ul_applies_to: ``food`` (total intake, so it limits a meal plan), ``supplements`` or ``none``.
        source: The report and table the row comes from.
        note: A short remark on the row (what the UL covers, unit caveats).
        per_kg: RDA per kg body weight per day (protein), or ``None``.
        life_stage: The life-stage group of the row.
    """

    nutrient: str
    unit: str
    amount: float | None
    kind: str
    ul: float | None
    ul_kind: str
    ul_applies_to: str
    source: str
    note: str = ""
    per_kg: float | None = None
    life_stage: str = ""

    @property
    def ul_limits_food(self) -> bool:
        """True when the upper level applies to food, so a plan must stay under it."""
        return self.ul is not None and self.ul_applies_to == "food"


@dataclass(frozen=True)
class EnergyEstimate:
    """An energy requirement with the method that produced it.

    Attributes:
        kcal: Energy per day.
        method: How it was computed, for people (``Mifflin-St Jeor x 1.375 (low)``).
        assumed: Reference sizes used for missing weight or height, e.g. ``weight 57 kg (reference)``.
    """

    kcal: float
    method: str
    assumed: tuple[str, ...] = ()


def life_stage(age: float, sex: str, pregnant: bool = False, lactating: bool = False) -> str:
    """The DRI life-stage group for a person.

    Pregnancy and lactation groups start at 14 (the tables' "<= 18" group) and end at 50; ages outside
    that range are placed in the nearest group. Pregnancy takes precedence over lactation.

    Args:
        age: Age in years (1 or more).
        sex: ``female`` or ``male``.
        pregnant: Pregnant (females only).
        lactating: Breastfeeding (females only).

    Returns:
        A group name such as ``children 4-8``, ``girls 14-18``, ``women 31-50``, ``men >70``,
        ``pregnancy 19-30`` or ``lactation 31-50``.

    Raises:
        ValueError: for ages below 1, an unknown sex, or pregnancy or lactation for a male.
    """
    if age < 1:
        raise ValueError(f"age {age!r}: reference intakes here start at 1 year")
    if sex not in ("female", "male"):
        raise ValueError(f"sex {sex!r}: allowed female, male")
    if (pregnant or lactating) and sex != "female":
        raise ValueError("pregnant/lactating apply to females only")
    if pregnant or lactating:
        band = "14-18" if age < 19 else "19-30" if age < 31 else "31-50"
        return f"{'pregnancy' if pregnant else 'lactation'} {band}"
    if age < 4:
        return "children 1-3"
    if age < 9:
        return "children 4-8"
    if age < 19:
        young = "boys" if sex == "male" else "girls"
        return f"{young} {'9-13' if age < 14 else '14-18'}"
    adult = "men" if sex == "male" else "women"
    band = "19-30" if age < 31 else "31-50" if age < 51 else "51-70" if age < 71 else ">70"
    return f"{adult} {band}"


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def _table() -> dict[str, dict[str, Intake]]:
    """All rows of dri.csv by life stage, then nutrient. Checked against the nutrient registry."""
    table: dict[str, dict[str, Intake]] = {}
    with DRI_PATH.open(newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            nutrient = row["nutrient"]
            reg = BY_ID.get(nutrient)
            if reg is None or reg.unit != row["unit"]:
                raise FoodDataError(
                    f"{DRI_PATH}: row {line}: nutrient {nutrient!r} with unit {row['unit']!r} does not match "
                    "the nutrient registry (food_data/nutrients.py); the bundled DRI table is damaged"
                )
            intake = Intake(
                nutrient=nutrient,
                unit=row["unit"],
                amount=_num(row["amount"]),
                kind=row["kind"],
                ul=_num(row["ul"]),
                ul_kind=row["ul_kind"],
                ul_applies_to=row["ul_applies_to"],
                source=row["source"],
                note=row["note"],
                per_kg=_num(row["per_kg"]),
                life_stage=row["life_stage"],
            )
            table.setdefault(row["life_stage"], {})[nutrient] = intake
    return table


def life_stages() -> tuple[str, ...]:
    """Every life-stage group in the DRI table, in file order."""
    return tuple(_table())


def reference_intakes(age: float, sex: str, pregnant: bool = False, lactating: bool = False) -> dict[str, Intake]:
    """The reference intakes (RDA or AI, and upper levels) for a person's life stage.

    Args:
        age: Age in years.
        sex: ``female`` or ``male``.
        pregnant: Pregnant (females only).
        lactating: Breastfeeding (females only).

    Returns:
        Intakes by nutrient id, in canonical registry units.
    """
    return dict(_table()[life_stage(age, sex, pregnant, lactating)])


def reference_body(age: float, sex: str) -> tuple[float, float]:
    """Reference weight (kg) and height (cm) for an age and sex (IOM 2002/2005 reference sizes)."""
    if age < 4:
        return REFERENCE_BODY[("children 1-3", sex)]
    if age < 9:
        return REFERENCE_BODY[("children 4-8", sex)]
    if age < 14:
        return REFERENCE_BODY[("9-13", sex)]
    if age < 19:
        return REFERENCE_BODY[("14-18", sex)]
    return REFERENCE_BODY[("adult", sex)]


def mifflin_st_jeor(age: float, sex: str, weight_kg: float, height_cm: float) -> float:
    """Resting energy expenditure (kcal/day), Mifflin-St Jeor (1990).

    ``10 x weight + 6.25 x height - 5 x age + 5`` for men, ``- 161`` instead of ``+ 5`` for women.
    """
    return 10 * weight_kg + 6.25 * height_cm - 5 * age + (5 if sex == "male" else -161)


def iom_child_eer(age: float, sex: str, weight_kg: float, height_cm: float, activity: str) -> float:
    """Estimated energy requirement (kcal/day) for ages 1-18, IOM 2005.

    Ages 1-2: ``89 x weight - 100 + 20``. Ages 3-8 (boys): ``88.5 - 61.9 age + PA (26.7 weight +
    903 height_m) + 20``; girls ``135.3 - 30.8 age + PA (10.0 weight + 934 height_m) + 20``; ages
    9-18 add 25 kcal of energy deposition instead of 20. PA from :data:`CHILD_PA`.
    """
    if age < 3:
        return 89 * weight_kg - 100 + 20
    pa = CHILD_PA[sex][activity]
    h = height_cm / 100
    deposition = 20 if age < 9 else 25
    if sex == "male":
        return 88.5 - 61.9 * age + pa * (26.7 * weight_kg + 903 * h) + deposition
    return 135.3 - 30.8 * age + pa * (10.0 * weight_kg + 934 * h) + deposition


def energy_estimate(
    age: float,
    sex: str,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    activity: str = "low",
    pregnant: bool = False,
    lactating: bool = False,
    trimester: int | None = None,
) -> EnergyEstimate:
    """Daily energy requirement with the method used, for provenance.

    Adults (19+): Mifflin-St Jeor times :data:`ACTIVITY_FACTORS`. Ages 1-18: the IOM 2005 EER
    equations (they include the energy of growth, which Mifflin-St Jeor does not). Pregnancy adds
    0/340/452 kcal in trimester 1/2/3 (trimester 2 when not given); lactation adds 330 kcal. A
    missing weight or height is replaced by the IOM reference size for the age and sex, and the
    estimate says so in ``assumed``.

    Raises:
        ValueError: for an unknown activity level or trimester.
    """
    if activity not in ACTIVITY_FACTORS:
        raise ValueError(f"activity {activity!r}: allowed {', '.join(ACTIVITIES)}")
    ref_w, ref_h = reference_body(age, sex)
    assumed: list[str] = []
    if weight_kg is None:
        weight_kg = ref_w
        assumed.append(f"weight {ref_w:g} kg (reference)")
    if height_cm is None:
        height_cm = ref_h
        assumed.append(f"height {ref_h:g} cm (reference)")
    if age < 19:
        kcal = iom_child_eer(age, sex, weight_kg, height_cm, activity)
        method = "IOM 2005 EER (1-2 y)" if age < 3 else f"IOM 2005 EER, PA {CHILD_PA[sex][activity]:g} ({activity})"
    else:
        factor = ACTIVITY_FACTORS[activity]
        kcal = mifflin_st_jeor(age, sex, weight_kg, height_cm) * factor
        method = f"Mifflin-St Jeor x {factor:g} ({activity})"
    if pregnant:
        t = DEFAULT_TRIMESTER if trimester is None else trimester
        if t not in PREGNANCY_EXTRA_KCAL:
            raise ValueError(f"trimester {trimester!r}: allowed 1, 2, 3")
        extra = PREGNANCY_EXTRA_KCAL[t]
        kcal += extra
        method += f" + {extra:g} kcal (pregnancy, trimester {t}{'' if trimester else ' assumed'})"
    elif lactating:
        kcal += LACTATION_EXTRA_KCAL
        method += f" + {LACTATION_EXTRA_KCAL:g} kcal (lactation, first 6 months)"
    if not math.isfinite(kcal) or kcal <= 0:
        raise ValueError(f"energy estimate {kcal!r} kcal is not plausible; check weight and height")
    return EnergyEstimate(kcal=kcal, method=method, assumed=tuple(assumed))


def amdr(age: float) -> dict[str, tuple[float, float]]:
    """Acceptable Macronutrient Distribution Ranges (percent of energy) for an age.

    Ages 1-3: protein 5-20, fat 30-40, carbohydrate 45-65; ages 4-18: protein 10-30, fat 25-35,
    carbohydrate 45-65; adults: protein 10-35, fat 20-35, carbohydrate 45-65.
    """
    if age < 4:
        return dict(AMDR_CHILD_1_3)
    if age < 19:
        return dict(AMDR_CHILD_4_18)
    return dict(AMDR_ADULT)
