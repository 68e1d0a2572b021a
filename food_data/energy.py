"""Energy requirement (EER) and the volume of food that carries it, from ``food_data/data/energy.yaml``.

The file holds the EER equations (NASEM 2023, by age band, sex and physical-activity category), how
our activity levels map onto those categories, the pregnancy and lactation increments, and the
poor-appetite and fibre-ceiling figures. It is checked at load: an equation that lacks a category,
an age band that leaves a gap or a bad number is a :class:`~mealplan.errors.FoodDataError` naming
the file and the field.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mealplan.errors import FoodDataError
from mealplan.fileio import load_data_file

ENERGY_FILE = Path(__file__).parent / "data" / "energy.yaml"
ACTIVITIES: tuple[str, ...] = ("sedentary", "low", "active", "very_active")
PA_CATEGORIES: tuple[str, ...] = ("inactive", "low_active", "active", "very_active")
PA_NAMES = {"inactive": "inactive", "low_active": "low active", "active": "active", "very_active": "very active"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Coefficients(_Strict):
    """kcal/day = intercept + age x years + height x cm + weight x kg."""

    intercept: float
    age: float
    height: float
    weight: float

    def kcal(self, age: float, height_cm: float, weight_kg: float) -> float:
        return self.intercept + self.age * age + self.height * height_cm + self.weight * weight_kg


class Equation(_Strict):
    """One set of EER equations: per sex, a category (or ``any``) to its coefficients."""

    name: str
    source: str
    male: dict[str, Coefficients]
    female: dict[str, Coefficients]

    @model_validator(mode="after")
    def _complete(self) -> Equation:
        for sex in ("male", "female"):
            keys = set(getattr(self, sex))
            if keys != {"any"} and keys != set(PA_CATEGORIES):
                allowed = ", ".join(PA_CATEGORIES)
                raise ValueError(f"{sex}: give 'any' or every category of {allowed}; got {sorted(keys)}")
        return self

    def coefficients(self, sex: str, category: str) -> Coefficients:
        table = getattr(self, sex)
        return table.get("any") or table[category]


class Band(_Strict):
    """Ages ``[from, to)`` in whole years use ``equation`` and add ``deposition`` kcal (growth) by sex."""

    ages: tuple[int, int]
    equation: str
    deposition: dict[Literal["male", "female"], float]


class Increments(_Strict):
    source: str
    kcal_by_trimester: dict[int, float] = Field(default_factory=dict)
    default_trimester: int | None = None
    kcal: float | None = None


class PoorAppetite(_Strict):
    min_energy_density: float = Field(gt=0.5, le=4.0, description="kcal per gram of the day's food and drink")
    fibre_g_per_1000kcal: float = Field(gt=0)
    source: str


class FibreCeiling(_Strict):
    g_per_1000kcal: float = Field(gt=0)
    source: str


class EnergyData(_Strict):
    """The whole energy file."""

    schema_: int = Field(alias="schema")
    activity: dict[Literal["sedentary", "low", "active", "very_active"], Literal[PA_CATEGORIES]]  # type: ignore[valid-type]
    equations: dict[str, Equation]
    bands: list[Band]
    pregnancy: Increments
    lactation: Increments
    poor_appetite: PoorAppetite
    fibre_ceiling: FibreCeiling

    @model_validator(mode="after")
    def _consistent(self) -> EnergyData:
        if set(self.activity) != set(ACTIVITIES):
            raise ValueError(f"activity: map every level of {', '.join(ACTIVITIES)}")
        ages = sorted(b.ages for b in self.bands)
        if not ages or ages[0][0] != 1:
            raise ValueError("bands: the first band must start at age 1")
        for (lo1, hi1), (lo2, _) in zip(ages, ages[1:], strict=False):
            if hi1 != lo2:
                raise ValueError(f"bands: ages {lo1}-{hi1} and the next band starting at {lo2} leave a gap or overlap")
        for b in self.bands:
            if b.equation not in self.equations:
                raise ValueError(f"bands: equation {b.equation!r} is not one of {', '.join(self.equations)}")
        if set(self.pregnancy.kcal_by_trimester) != {1, 2, 3} or self.pregnancy.default_trimester not in (1, 2, 3):
            raise ValueError("pregnancy: give kcal_by_trimester for 1, 2 and 3 and a default_trimester")
        if self.lactation.kcal is None:
            raise ValueError("lactation: give kcal")
        return self


@functools.lru_cache(maxsize=2)
def load_energy(path: Path = ENERGY_FILE) -> EnergyData:
    """The energy file, checked; one ``FoodDataError`` listing every problem (file and field)."""
    return load_data_file(path, EnergyData, "energy equations", error=FoodDataError)


@dataclass(frozen=True)
class EnergyEstimate:
    """An energy requirement with the method that produced it.

    Attributes:
        kcal: Energy per day.
        method: How it was computed, for people
            (``NASEM 2023 EER, adults 19+, low active (activity low)``).
        assumed: Reference sizes used for missing weight or height, e.g. ``weight 57 kg (reference)``.
    """

    kcal: float
    method: str
    assumed: tuple[str, ...] = ()


def eer(age: float, sex: str, weight_kg: float, height_cm: float, activity: str) -> tuple[float, str]:
    """The non-pregnant EER (kcal/day) and the equation's name, from the energy file.

    Raises:
        ValueError: an unknown activity level or sex, or an age outside the bands.
    """
    data = load_energy()
    if activity not in data.activity:
        raise ValueError(f"activity {activity!r}: allowed {', '.join(ACTIVITIES)}")
    if sex not in ("female", "male"):
        raise ValueError(f"sex {sex!r}: allowed female, male")
    years = math.floor(age)
    band = next((b for b in data.bands if b.ages[0] <= years < b.ages[1]), None)
    if band is None:
        raise ValueError(f"age {age!r}: the energy equations cover ages 1-120")
    eq = data.equations[band.equation]
    category = data.activity[activity]
    growth = band.deposition["male" if sex == "male" else "female"]
    kcal = eq.coefficients(sex, category).kcal(age, height_cm, weight_kg) + growth
    pa = "" if "any" in getattr(eq, sex) else f", {PA_NAMES[category]} (activity {activity})"
    return kcal, f"{eq.name}{pa}"


def energy_estimate(
    age: float,
    sex: str,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    activity: str = "low",
    pregnant: bool = False,
    lactating: bool = False,
    trimester: int | None = None,
    reference_body=None,
) -> EnergyEstimate:
    """Daily energy requirement with the method used, for provenance.

    The NASEM 2023 EER equations for every age (``food_data/data/energy.yaml``), our activity level
    mapped onto their physical-activity categories; pregnancy adds the IOM 0/340/452 kcal of trimester
    1/2/3 (trimester 2 when not given), lactation 330 kcal. A missing weight or height is replaced by
    the reference size for the age and sex (``reference_body(age, sex) -> (kg, cm)``), and the
    estimate says so in ``assumed``.

    Raises:
        ValueError: for an unknown activity level or trimester, or an implausible result.
    """
    data = load_energy()
    if activity not in data.activity:
        raise ValueError(f"activity {activity!r}: allowed {', '.join(ACTIVITIES)}")
    assumed: list[str] = []
    if weight_kg is None or height_cm is None:
        ref_w, ref_h = reference_body(age, sex)
        if weight_kg is None:
            weight_kg = ref_w
            assumed.append(f"weight {ref_w:g} kg (reference)")
        if height_cm is None:
            height_cm = ref_h
            assumed.append(f"height {ref_h:g} cm (reference)")
    kcal, method = eer(age, sex, weight_kg, height_cm, activity)
    if pregnant:
        t = data.pregnancy.default_trimester if trimester is None else trimester
        if t not in data.pregnancy.kcal_by_trimester:
            raise ValueError(f"trimester {trimester!r}: allowed 1, 2, 3")
        extra = data.pregnancy.kcal_by_trimester[t]
        kcal += extra
        method += f" + {extra:g} kcal (pregnancy, trimester {t}{'' if trimester else ' assumed'}; IOM 2005)"
    elif lactating:
        extra = data.lactation.kcal or 0.0
        kcal += extra
        method += f" + {extra:g} kcal (lactation, first 6 months; IOM 2005)"
    if not math.isfinite(kcal) or kcal <= 0:
        raise ValueError(f"energy estimate {kcal!r} kcal is not plausible; check weight and height")
    return EnergyEstimate(kcal=kcal, method=method, assumed=tuple(assumed))


def food_mass_cap(energy_kcal: float) -> float:
    """The most grams of food and drink a poor-appetite day may weigh: energy / minimum density."""
    return energy_kcal / load_energy().poor_appetite.min_energy_density


def fibre_ceiling(energy_kcal: float, ai: float | None, poor_appetite: bool) -> tuple[float, str]:
    """Fibre's daily maximum (g) and its source: never below the AI ``ai``."""
    data = load_energy()
    per_1000 = data.poor_appetite.fibre_g_per_1000kcal if poor_appetite else data.fibre_ceiling.g_per_1000kcal
    source = data.poor_appetite.source if poor_appetite else data.fibre_ceiling.source
    cap = per_1000 * energy_kcal / 1000.0
    src = f"{source}: {per_1000:g} g per 1000 kcal of {energy_kcal:,.0f} kcal"
    if ai is not None and cap < ai:
        cap, src = ai, f"{src}, raised to the AI ({ai:g} g)"
    return round(cap, 1), src
