"""Conditions and groups as data: kidney disease, warfarin, bariatric surgery, children, lactose
intolerance, heavy menstrual bleeding, pregnancy caffeine and fish, supplements already taken.

``food_data/data/clinical_rules.yaml`` holds the numbers and the source of each rule (the text
``mealplan targets`` prints beside the bound it changes); :mod:`targets.clinical` applies them. The
file is checked at load: an unknown key, a bad number or a missing source is a
:class:`~mealplan.errors.FoodDataError` naming the file and the field. The file also defines the food
kinds that targets limit by amount (``seafood``, ``milk``, ``juice``) or allow by habit (``coffee``,
``tea``): :func:`kind_mask` says which foods of a table are of a kind.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from mealplan.errors import FoodDataError
from mealplan.food_data.vocab import CATEGORIES

if TYPE_CHECKING:
    import numpy as np

CLINICAL_RULES_FILE = Path(__file__).parent / "data" / "clinical_rules.yaml"

SourceText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10)]
CKD_STAGES = ("1", "2", "3", "3a", "3b", "4", "5")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Kind(_Strict):
    """Foods of one kind: planner categories, and a name pattern (and one that excludes)."""

    categories: list[str] = Field(min_length=1)
    match: str | None = None
    unless: str | None = None

    @field_validator("categories")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if c not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown planner categories {unknown}; allowed: {', '.join(CATEGORIES)}")
        return value

    @field_validator("match", "unless")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return value


class Step(_Strict):
    under: float = Field(gt=0, le=130)
    value: float = Field(ge=0)


class ByAge(_Strict):
    """A value by age: the first step whose ``under`` is above the age; None past the last."""

    steps: list[Step] = Field(min_length=1)
    source: SourceText

    @field_validator("steps")
    @classmethod
    def _ascending(cls, value: list[Step]) -> list[Step]:
        if [s.under for s in value] != sorted({s.under for s in value}):
            raise ValueError("steps must go up by age, each 'under' once")
        return value

    def at(self, age: float) -> float | None:
        return next((s.value for s in self.steps if age < s.under), None)


class Limit(_Strict):
    max_mg: float = Field(ge=0)
    source: SourceText


class Caffeine(_Strict):
    pregnancy: Limit
    lactation: Limit
    children: ByAge
    cut_back: Limit
    hot_drinks_from_age: float = Field(gt=0, le=21)
    hot_drinks_source: SourceText


class Children(_Strict):
    portion_scale: ByAge
    milk_max_g: ByAge
    juice_max_g: ByAge
    seafood_week_max_g: ByAge
    note: SourceText


class FishPregnancy(_Strict):
    week_min_g: float = Field(gt=0)
    week_max_g: float = Field(gt=0)
    source: SourceText


class WeekLimit(_Strict):
    max_g: float = Field(gt=0)
    source: SourceText


class Lactose(_Strict):
    per_meal_g: float = Field(gt=0, le=50)
    factor: str
    source: SourceText
    note: SourceText


class Warfarin(_Strict):
    factors: list[str] = Field(min_length=1)
    band_pct: float = Field(gt=0, le=50)
    source: SourceText
    note: SourceText


class CkdStage(_Strict):
    stage: str
    egfr_at_least: float = Field(ge=0)


class CkdProtein(_Strict):
    stages: list[str] = Field(min_length=1)
    min_g_per_kg: float = Field(gt=0, le=2)
    max_g_per_kg: float = Field(gt=0, le=2)
    source: SourceText


class SerumRule(_Strict):
    normal_mmol_l: tuple[float, float]
    high_max_mg: float = Field(gt=0)
    max_mg: float | None = Field(default=None, gt=0)
    source: SourceText


class Ckd(_Strict):
    factor: str
    stages: list[CkdStage] = Field(min_length=1)
    stage_source: SourceText
    protein: list[CkdProtein]
    team_stages: list[str]
    team_source: SourceText
    team_required: list[str]
    dialysis_required: list[str]
    sodium: Limit
    potassium: SerumRule
    potassium_drinks: str  # a kind of ``kinds``: none of it under a potassium limit
    potassium_drinks_source: SourceText
    phosphorus: SerumRule
    magnesium_source: SourceText
    note: SourceText

    def stage_for(self, egfr: float) -> str:
        """The GFR category of an eGFR (mL/min/1.73 m²)."""
        return next(s.stage for s in sorted(self.stages, key=lambda s: -s.egfr_at_least) if egfr >= s.egfr_at_least)


class BariatricPhase(_Strict):
    from_months: float = Field(ge=0)
    energy_min: float = Field(gt=0)
    energy_max: float = Field(gt=0)
    meal_max_g: float = Field(gt=0)


class Bariatric(_Strict):
    factor: str
    from_months: float = Field(ge=0)
    early_source: SourceText
    phases: list[BariatricPhase] = Field(min_length=1)
    energy_source: SourceText
    meal_source: SourceText
    protein_min_g: float = Field(gt=0)
    protein_source: SourceText
    drinks_source: SourceText
    note: SourceText

    def phase_at(self, months: float) -> BariatricPhase | None:
        found = [p for p in self.phases if months >= p.from_months]
        return found[-1] if found else None


class HeavyBleeding(_Strict):
    factor: str
    source: SourceText
    note: SourceText


class Supplements(_Strict):
    source: SourceText
    note: SourceText
    over_ul_note: SourceText
    near_ul_note: SourceText


class ClinicalRules(_Strict):
    schema_: int = Field(alias="schema")
    kinds: dict[str, Kind]
    caffeine: Caffeine
    children: Children
    fish_pregnancy: FishPregnancy
    week_limits: dict[str, WeekLimit]
    lactose: Lactose
    warfarin: Warfarin
    ckd: Ckd
    bariatric: Bariatric
    heavy_menstrual_bleeding: HeavyBleeding
    supplements: Supplements

    @field_validator("ckd")
    @classmethod
    def _ckd_stages(cls, value: Ckd) -> Ckd:
        named = {s.stage for s in value.stages} | {s for p in value.protein for s in p.stages} | set(value.team_stages)
        unknown = sorted(named - set(CKD_STAGES))
        if unknown:
            raise ValueError(f"unknown CKD stage(s) {unknown}; allowed: {', '.join(CKD_STAGES)}")
        return value

    @model_validator(mode="after")
    def _kinds_known(self) -> ClinicalRules:
        if self.ckd.potassium_drinks not in self.kinds:
            raise ValueError(
                f"ckd.potassium_drinks: {self.ckd.potassium_drinks!r} is not a kind; known: {', '.join(self.kinds)}"
            )
        unknown = [k for k in self.week_limits if k not in self.kinds]
        if unknown:
            raise ValueError(f"week_limits: {unknown} are not kinds; known: {', '.join(self.kinds)}")
        return self


@functools.cache
def load_clinical_rules(path: Path = CLINICAL_RULES_FILE) -> ClinicalRules:
    """The clinical rules file, checked; one ``FoodDataError`` listing every problem (file and field)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ClinicalRules.model_validate(doc)
    except (OSError, yaml.YAMLError) as exc:
        raise FoodDataError(f"{path}: cannot read the clinical rules: {exc}") from exc
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise FoodDataError(f"{path}: the bundled clinical rules are damaged:", problems) from None


def clinical_factor_ids(rules: ClinicalRules) -> set[str]:
    """Every risk factor id the rules name (a test checks each is a triage factor)."""
    return {
        rules.lactose.factor,
        *rules.warfarin.factors,
        rules.ckd.factor,
        rules.bariatric.factor,
        rules.heavy_menstrual_bleeding.factor,
    }


def kind_mask(kind: str, names: Sequence[object] | np.ndarray, categories: Sequence[object] | np.ndarray) -> np.ndarray:
    """Which foods are of ``kind`` (``seafood``, ``milk``, ``juice``, ``coffee``, ``tea``, ``decaf``,
    ``herbal tea``): a boolean array in the order of ``names``.

    Raises:
        KeyError: ``kind`` is not a kind of the rules file (the message lists them).
    """
    import numpy as np  # here, not at the top: `mealplan targets` reads these rules without numpy

    kinds = load_clinical_rules().kinds
    if kind not in kinds:
        raise KeyError(f"unknown food kind {kind!r}; known: {', '.join(kinds)}")
    rule = kinds[kind]
    cats = np.asarray([str(c) for c in categories], dtype=object)
    out = np.isin(cats, rule.categories)
    match = re.compile(rule.match, re.IGNORECASE) if rule.match else None
    unless = re.compile(rule.unless, re.IGNORECASE) if rule.unless else None
    for i in np.flatnonzero(out).tolist():
        name = str(names[i])
        if (match is not None and not match.search(name)) or (unless is not None and unless.search(name)):
            out[i] = False
    return out
