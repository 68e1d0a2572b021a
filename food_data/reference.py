"""Dietary Reference Intakes (National Academies) by life stage, energy requirement and AMDR.

The energy requirement (EER) equations live in ``food_data/data/energy.yaml`` (:mod:`food_data.energy`).

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
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from mealplan.errors import FoodDataError
from mealplan.food_data import energy as _energy
from mealplan.food_data.energy import ACTIVITIES, EnergyEstimate  # noqa: F401 - re-exported
from mealplan.food_data.nutrients import BY_ID

DRI_PATH = Path(__file__).parent / "data" / "dri.csv"

Sex = Literal["female", "male"]
Activity = Literal["sedentary", "low", "active", "very_active"]

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

    The NASEM 2023 EER equations for every age (``food_data/data/energy.yaml``, see
    :mod:`food_data.energy`): adults 19+ by sex and physical-activity category, children 3-18 and
    toddlers 1-2 with their energy of growth; pregnancy adds 0/340/452 kcal in trimester 1/2/3
    (trimester 2 when not given), lactation 330 kcal (IOM 2005 increments). A missing weight or height
    is replaced by the IOM reference size for the age and sex (:func:`reference_body`), and the
    estimate says so in ``assumed``.

    Raises:
        ValueError: for an unknown activity level or trimester.
    """
    return _energy.energy_estimate(
        age, sex, weight_kg, height_cm, activity, pregnant, lactating, trimester, reference_body=reference_body
    )


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
