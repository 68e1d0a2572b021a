"""Tags checked against nutrients (``food_data/data/curation_evidence.yaml``).

Names decide a food's diet tag; its nutrients can prove the name wrong. A food tagged vegan with
cholesterol, retinol (unless added) or lactose holds an animal ingredient, so its tag is raised
(``vegan_evidence``). Vitamin B12 in a plant food (``plant_foods``) that was not fortified with it
is a data artefact and is set to 0 (``b12_artefacts``), so no plan counts it as a source.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from mealplan.errors import ConfigError
from mealplan.fileio import load_data_file
from mealplan.food_data.nutrients import BY_ID

EVIDENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "curation_evidence.yaml"


class Marker(BaseModel):
    """``min`` or more of ``nutrient`` per 100 g shows an animal ingredient."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nutrient: str
    min: float = Field(gt=0)
    unless_fortified: bool = False
    fortified_from: float | None = Field(default=None, gt=0)
    why: str = Field(min_length=1)

    @field_validator("nutrient")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in BY_ID:
            raise ValueError(f"unknown nutrient {value!r}; use an id of food_data/nutrients.py")
        return value


class EvidenceFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: int = Field(alias="schema")
    animal_markers: list[Marker] = Field(min_length=1)
    meat_cholesterol: float = Field(gt=0)
    plant_groups: list[str]
    b12_artefact: bool


@functools.cache
def evidence_rules(path: Path = EVIDENCE_FILE) -> EvidenceFile:
    """The evidence rules, read and checked once.

    Raises:
        ConfigError: listing every problem (file, field, what is allowed).
    """
    return load_data_file(path, EvidenceFile, "nutrient-evidence rules", error=ConfigError)


def _number(foods: pd.DataFrame, column: str) -> np.ndarray:
    if column not in foods:
        return np.full(len(foods), np.nan)
    return pd.to_numeric(foods[column], errors="coerce").to_numpy(dtype=float)


@dataclass(frozen=True)
class VeganEvidence:
    """Per food: the corrected diet tag, and why a vegan tag was raised ("" where it was not)."""

    diet: np.ndarray
    why: np.ndarray


def animal_markers(foods: pd.DataFrame, fortified: np.ndarray) -> np.ndarray:
    """Per food: the first animal marker its nutrients show ("" for none), whatever its tag."""
    rules = evidence_rules()
    cholesterol = np.nan_to_num(_number(foods, "cholesterol"), nan=0.0)
    why = np.full(len(foods), "", dtype=object)
    for marker in rules.animal_markers:
        amount = np.nan_to_num(_number(foods, marker.nutrient), nan=0.0)
        hit = amount >= marker.min
        if marker.unless_fortified:
            hit &= ~fortified
            if marker.fortified_from is not None:
                hit &= ~((amount >= marker.fortified_from) & (cholesterol < 0.5))
        unit = BY_ID[marker.nutrient].unit
        label = f"{marker.nutrient} {{:g}} {unit} per 100 g: {marker.why}"
        for i in np.flatnonzero(hit & (why == "")):
            why[i] = label.format(amount[i])
    return why


def vegan_evidence(
    foods: pd.DataFrame, diet: np.ndarray, fortified: np.ndarray, milk_or_egg: np.ndarray
) -> VeganEvidence:
    """Raise the vegan tag of foods whose nutrients show an animal ingredient.

    Args:
        foods: Foods with nutrient columns.
        diet: Each food's diet tag from its name.
        fortified: Each food's fortified tag (retinol is added to fortified foods).
        milk_or_egg: Whether each food's name names milk or egg (the likely animal source).
    """
    markers = animal_markers(foods, fortified)
    hit = (diet == "vegan") & (markers != "")
    cholesterol = np.nan_to_num(_number(foods, "cholesterol"), nan=0.0)
    meat_likely = (cholesterol >= evidence_rules().meat_cholesterol) & ~milk_or_egg
    out = diet.copy()
    out[hit] = np.where(meat_likely[hit], "omnivore", "vegetarian")
    return VeganEvidence(diet=out, why=np.where(hit, markers, ""))


def plant_foods(foods: pd.DataFrame, diet: np.ndarray, fortified: np.ndarray) -> np.ndarray:
    """Per food: a plant food (tagged vegan, or in a plant USDA group) with no animal marker."""
    groups = foods["usda_group"].fillna("").astype(str).to_numpy() if "usda_group" in foods else np.full(len(foods), "")
    plant = (np.asarray(diet) == "vegan") | np.isin(groups, evidence_rules().plant_groups)
    return plant & (animal_markers(foods, fortified) == "")


def b12_artefacts(foods: pd.DataFrame, plant: np.ndarray, b12_added: np.ndarray) -> np.ndarray:
    """Per food: True where vitamin B12 is a plant-food artefact (a plant food, none added, B12 > 0)."""
    if not evidence_rules().b12_artefact:
        return np.zeros(len(foods), dtype=bool)
    b12 = np.nan_to_num(_number(foods, "vitamin_b12"), nan=0.0)
    return plant & (b12 > 0) & ~(np.nan_to_num(b12_added, nan=0.0) > 0)
