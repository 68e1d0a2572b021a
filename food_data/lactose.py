"""Lactose per food, for the lactose-intolerance limit per sitting.

The bundled SR24 copy has no lactose column, so lactose is estimated from the rules in
``food_data/data/lactose.yaml`` (the format and the sources are documented there): a measured value
(a FoodData Central table's nutrient 213) always wins; otherwise the first rule whose name pattern
fits a milk food gives a fixed amount or a share of its sugars; a milk food no rule fits counts its
sugars up to the lactose of milk; a food without milk holds none. :func:`lactose_per_100g` gives the
column for a whole table.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mealplan.errors import FoodDataError
from mealplan.food_data.vocab import split_tags

LACTOSE_FILE = Path(__file__).parent / "data" / "lactose.yaml"
DAIRY_GROUP = "Dairy and Egg Products"  # USDA food group 01


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class LactoseRule(_Strict):
    """Milk foods whose name matches ``match``: ``grams`` per 100 g, or ``sugars_share`` of their sugars."""

    match: str
    grams: float | None = Field(default=None, ge=0, le=100)
    sugars_share: float | None = Field(default=None, gt=0, le=1)
    missing_g: float | None = Field(default=None, ge=0, le=100)

    @field_validator("match")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _one_way(self) -> LactoseRule:
        if (self.grams is None) == (self.sugars_share is None):
            raise ValueError("give grams or sugars_share (with missing_g), not both")
        if self.sugars_share is not None and self.missing_g is None:
            raise ValueError("sugars_share needs missing_g (the lactose when the food's sugars are missing)")
        return self

    def value(self, sugars: float) -> float:
        if self.grams is not None:
            return self.grams
        assert self.sugars_share is not None and self.missing_g is not None
        return self.missing_g if math.isnan(sugars) else self.sugars_share * sugars


class Fallback(_Strict):
    cap_g: float = Field(gt=0, le=100)
    missing_g: float = Field(ge=0, le=100)


class LactoseFile(_Strict):
    schema_: int = Field(alias="schema")
    source: str = Field(min_length=10)
    rules: list[LactoseRule] = Field(min_length=1)
    fallback: Fallback


@functools.cache
def load_lactose_rules(path: Path = LACTOSE_FILE) -> LactoseFile:
    """The lactose rules, checked; one ``FoodDataError`` listing every problem (file and field)."""
    try:
        return LactoseFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise FoodDataError(f"{path}: cannot read the lactose rules: {exc}") from exc
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise FoodDataError(f"{path}: the bundled lactose rules are damaged:", problems) from None


def lactose_per_100g(
    names: Sequence[object] | np.ndarray,
    allergens: Sequence[object] | np.ndarray,
    sugars: Sequence[float] | np.ndarray,
    usda_groups: Sequence[object] | np.ndarray | None = None,
    measured: Sequence[float] | np.ndarray | None = None,
) -> np.ndarray:
    """Grams of lactose per 100 g of each food (the table's basis), never missing.

    Args:
        names: The foods' USDA names.
        allergens: Their allergen tags (``"milk;gluten"``); a food tagged ``milk`` (or in USDA group
            01, Dairy and Egg Products) is a milk food.
        sugars: Their total sugars per 100 g (NaN when missing).
        usda_groups: Their USDA food groups, if known.
        measured: A measured lactose per 100 g (NaN when not measured), if the table has one.

    Returns:
        A float array in the order of ``names``.
    """
    data = load_lactose_rules()
    patterns = [(re.compile(r.match, re.IGNORECASE), r) for r in data.rules]
    out = np.zeros(len(names), dtype=float)
    for i, name in enumerate(names):
        if measured is not None and not math.isnan(float(measured[i])):
            out[i] = float(measured[i])
            continue
        milk = "milk" in split_tags(allergens[i]) or (usda_groups is not None and usda_groups[i] == DAIRY_GROUP)
        if not milk:
            continue
        sugar = float(sugars[i]) if sugars[i] is not None else math.nan
        rule = next((r for pattern, r in patterns if pattern.search(str(name))), None)
        if rule is not None:
            out[i] = rule.value(sugar)
        else:
            out[i] = data.fallback.missing_g if math.isnan(sugar) else min(sugar, data.fallback.cap_g)
    return out
