"""Adjustments to the reference intakes for medicines, conditions and diets, from
``food_data/data/target_rules.yaml``.

The file holds the margin kept below upper limits, the potassium, sodium and water rules for
diuretics, ACE inhibitors or ARBs, kidney disease and hypertension, the vegetarian iron and zinc
multipliers and when vitamin B12 is to come from fortified foods; each rule carries the source text
that ``mealplan targets`` prints beside the bound it changes. :mod:`targets.compute` applies them.
The file is checked at load: an unknown key, a bad number or a missing source is a
:class:`~mealplan.errors.FoodDataError` naming the file and the field.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from mealplan.errors import FoodDataError
from mealplan.food_data.nutrients import BY_ID

TARGET_RULES_FILE = Path(__file__).parent / "data" / "target_rules.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


SourceText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10)]


class UlMargin(_Strict):
    share: float = Field(gt=0.5, le=1.0)
    discourage_above: float = Field(gt=0.0, le=1.0)
    source: SourceText


class FactorRule(_Strict):
    """Risk factors that trigger a rule, its source and the note a plan carries ({factors} filled in)."""

    factors: list[str] = Field(min_length=1)
    source: SourceText
    note: str = ""


class PotassiumNoRaise(FactorRule):
    soft_x_ai: float = Field(ge=1.0, le=2.0)


class PotassiumRetention(FactorRule):
    cap_x_ai: float = Field(ge=1.0, le=1.5)
    unknown_type: SourceText


class SodiumSweat(_Strict):
    lift_factors: list[str] = Field(min_length=1)
    lift_source: SourceText
    keep_factors: list[str] = Field(min_length=1)
    keep_source: SourceText


class Multiplier(_Strict):
    factor: float = Field(gt=1.0, le=3.0)
    source: SourceText


class B12Fortified(_Strict):
    min_age: float = Field(gt=0, lt=120)
    factors: list[str]
    age_source: SourceText
    factor_source: SourceText
    note: SourceText


class TargetRules(_Strict):
    ul_margin: UlMargin
    ul_columns: dict[str, str]
    potassium_retention: PotassiumRetention
    potassium_no_raise: PotassiumNoRaise
    sodium_sweat: SodiumSweat
    water_no_raise: FactorRule
    diet_multipliers: dict[str, dict[str, Multiplier]]
    b12_fortified: B12Fortified

    @field_validator("ul_columns")
    @classmethod
    def _known_columns(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted({*value, *value.values()} - set(BY_ID))
        if unknown:
            raise ValueError(f"unknown nutrient id(s) {', '.join(unknown)}")
        return value

    @field_validator("diet_multipliers")
    @classmethod
    def _known_nutrients(cls, value: dict[str, dict[str, Multiplier]]) -> dict[str, dict[str, Multiplier]]:
        for diet, rules in value.items():
            unknown = sorted(set(rules) - set(BY_ID))
            if unknown:
                raise ValueError(f"{diet}: unknown nutrient id(s) {', '.join(unknown)}")
        return value


@functools.cache
def load_target_rules(path: Path = TARGET_RULES_FILE) -> TargetRules:
    """The target rules file, checked; one ``FoodDataError`` listing every problem (file and field)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        return TargetRules.model_validate(doc)
    except (OSError, yaml.YAMLError) as exc:
        raise FoodDataError(f"{path}: cannot read the target rules: {exc}") from exc
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise FoodDataError(f"{path}: the bundled target rules are damaged:", problems) from None


def factor_rule_ids(rules: TargetRules) -> set[str]:
    """Every risk factor id the rules name (a test checks each is a triage factor)."""
    out = set(rules.potassium_retention.factors) | set(rules.potassium_no_raise.factors)
    out |= set(rules.sodium_sweat.lift_factors) | set(rules.sodium_sweat.keep_factors)
    out |= set(rules.water_no_raise.factors) | set(rules.b12_fortified.factors)
    return out
