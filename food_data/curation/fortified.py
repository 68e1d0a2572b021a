"""Fortified foods and the nutrient amounts their makers add (``food_data/data/curation_fortified.yaml``).

A food is fortified when its name says so ("enriched", "with added calcium, vitamins A and D"),
when its kind always is (formulas, supplement drinks), or when its nutrients show it (a breakfast
cereal with vitamin B12, a bread with enriched-flour folate, a plant food with 1 µg of B12 per
100 g). Each derived column of the file's ``added`` (``folic_acid``, ``niacin_added``,
``vitamin_e_added``, ``vitamin_b12_added``) then holds the whole amount of its nutrient in the
fortified foods whose kind adds it, 0 in every other food, and stays unknown (NaN) where the
nutrient is unknown. Counting all of it as added is the conservative estimate for upper limits; a
table that already has the real column (FoodData Central's 431, 573, 578) keeps its values.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mealplan.errors import ConfigError
from mealplan.fileio import load_data_file
from mealplan.food_data.nutrients import BY_ID
from mealplan.food_data.vocab import CATEGORIES, DIETS, members_of

FORTIFIED_FILE = Path(__file__).resolve().parent.parent / "data" / "curation_fortified.yaml"


def _regex(value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
    return value


class _Scope(BaseModel):
    """Foods in any of ``groups``, ``categories`` or ``diets``, plant foods (``plant``), or whose name
    matches ``names``; minus ``unless``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    why: str = Field(min_length=1)
    groups: list[str] = []
    categories: list[str] = []
    diets: list[str] = []
    plant: bool = False
    names: str | None = None
    unless: str | None = None
    min: dict[str, float] = {}
    min_dry: dict[str, float] = {}

    _names = field_validator("names", "unless")(_regex)

    _categories = field_validator("categories")(members_of(CATEGORIES, "categories"))
    _diets = field_validator("diets")(members_of(DIETS, "diets"))

    @field_validator("min", "min_dry")
    @classmethod
    def _nutrients(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [n for n in value if n not in BY_ID]
        if bad:
            raise ValueError(f"unknown nutrients {bad}; use ids of food_data/nutrients.py")
        return value


class Evidence(_Scope):
    """Foods in scope that reach any ``min`` or ``min_dry`` are fortified."""

    @model_validator(mode="after")
    def _has_threshold(self) -> Evidence:
        if not self.min and not self.min_dry:
            raise ValueError("evidence needs min or min_dry")
        return self


class Kind(_Scope):
    """What a fortified food of this kind has added (``adds``); ``always``: its foods are fortified."""

    kind: str = Field(min_length=1)
    always: bool = False
    adds: list[str] = Field(min_length=1)


class FortifiedFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: int = Field(alias="schema")
    added: dict[str, str]
    name_says: str
    name_denies: str
    evidence: list[Evidence]
    kinds: list[Kind]
    named: dict[str, str]

    _patterns = field_validator("name_says", "name_denies")(_regex)

    @model_validator(mode="after")
    def _references(self) -> FortifiedFile:
        problems = [
            f"added.{c}: {c!r} is not a nutrient of food_data/nutrients.py" for c in self.added if c not in BY_ID
        ]
        problems += [f"added.{c}: {n!r} is not a nutrient" for c, n in self.added.items() if n not in BY_ID]
        for i, kind in enumerate(self.kinds):
            problems += [f"kinds.{i}.adds: {c!r} is not one of added" for c in kind.adds if c not in self.added]
        problems += [f"named.{c}: not one of added" for c in self.named if c not in self.added]
        for c, rx in self.named.items():
            try:
                re.compile(rx)
            except re.error as exc:
                problems.append(f"named.{c}: not a regular expression: {exc}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@functools.cache
def fortified_rules(path: Path = FORTIFIED_FILE) -> FortifiedFile:
    """The fortification rules, read and checked once.

    Raises:
        ConfigError: listing every problem (file, field, what is allowed).
    """
    return load_data_file(path, FortifiedFile, "fortification rules", error=ConfigError)


def added_columns() -> dict[str, str]:
    """``{derived column: nutrient it is taken from}``, e.g. ``{"folic_acid": "folate", ...}``."""
    return dict(fortified_rules().added)


@dataclass(frozen=True)
class Fortification:
    """Per food: fortified or not, and the amount of each derived column (per 100 g)."""

    fortified: np.ndarray
    added: dict[str, np.ndarray]


def _number(foods: pd.DataFrame, column: str) -> np.ndarray:
    if column not in foods:
        return np.full(len(foods), np.nan)
    return pd.to_numeric(foods[column], errors="coerce").to_numpy(dtype=float)


class Names:
    """Names searched with regular expressions in one pass over their joined text (not row by row:
    pandas' ``str.contains`` took 0.07 s a pattern on the bundled table, this takes a few ms)."""

    def __init__(self, names: pd.Series) -> None:
        rows = [str(n).replace("\n", " ") for n in names.fillna("").tolist()]
        self.n = len(rows)
        self.text = "\n".join(rows).lower()  # lower case once: re.IGNORECASE is several times slower
        self.starts = np.cumsum([0] + [len(r) + 1 for r in rows[:-1]]) if rows else np.zeros(0, dtype=int)
        self._cache: dict[str, np.ndarray] = {}

    def contains(self, pattern: str) -> np.ndarray:
        """Per name: does ``pattern`` (case-insensitive, ``^``/``$`` at each name) match in it."""
        hit = self._cache.get(pattern)
        if hit is None:
            hit = np.zeros(self.n, dtype=bool)
            at = [m.start() for m in re.finditer(pattern.lower(), self.text, re.MULTILINE)]
            if at:
                hit[np.searchsorted(self.starts, at, side="right") - 1] = True
            self._cache[pattern] = hit
        return hit


def _in_scope(
    rule: _Scope, foods: pd.DataFrame, names: Names, category: np.ndarray, diet: np.ndarray, plant: np.ndarray
) -> np.ndarray:
    groups = foods["usda_group"].fillna("").astype(str).to_numpy() if "usda_group" in foods else np.full(len(foods), "")
    scope = np.isin(groups, rule.groups) | np.isin(category, rule.categories) | np.isin(diet, rule.diets)
    if rule.plant:
        scope |= plant
    if rule.names:
        scope |= names.contains(rule.names)
    if rule.unless:
        scope &= ~names.contains(rule.unless)
    return scope


def _reaches(rule: _Scope, foods: pd.DataFrame) -> np.ndarray:
    """Any ``min`` (per 100 g) or ``min_dry`` (per 100 g of dry matter) reached; True without thresholds."""
    if not rule.min and not rule.min_dry:
        return np.ones(len(foods), dtype=bool)
    hit = np.zeros(len(foods), dtype=bool)
    for nutrient, least in rule.min.items():
        hit |= np.nan_to_num(_number(foods, nutrient), nan=-1.0) >= least
    if rule.min_dry:
        dry = 100.0 - _number(foods, "water")
        for nutrient, least in rule.min_dry.items():
            with np.errstate(divide="ignore", invalid="ignore"):
                per_dry = np.where(dry > 1.0, _number(foods, nutrient) / dry * 100.0, np.nan)
            hit |= np.nan_to_num(per_dry, nan=-1.0) >= least
    return hit


def fortification(
    foods: pd.DataFrame,
    category: np.ndarray,
    diet: np.ndarray,
    plant: np.ndarray | None = None,
    names: Names | None = None,
) -> Fortification:
    """Which foods are fortified and what their makers added, by the rules of ``curation_fortified.yaml``.

    Args:
        foods: Foods with ``name`` and nutrient columns (``usda_group`` and ``water`` when known).
        category: Each food's planner category (as classified).
        diet: Each food's diet tag (as classified).
        plant: Whether each food is a plant food (``evidence.plant_foods``); None: those tagged vegan.
        names: The foods' ``Names``, to share their searches between calls (made when None).
    """
    rules = fortified_rules()
    if plant is None:
        plant = np.asarray(diet) == "vegan"
    names = Names(foods["name"]) if names is None else names
    denied = names.contains(rules.name_denies)
    fortified = names.contains(rules.name_says) & ~denied
    for ev in rules.evidence:
        fortified |= _in_scope(ev, foods, names, category, diet, plant) & _reaches(ev, foods) & ~denied
    adds = {c: np.zeros(len(foods), dtype=bool) for c in rules.added}
    for kind in rules.kinds:
        scope = _in_scope(kind, foods, names, category, diet, plant) & _reaches(kind, foods)
        if kind.always:
            fortified |= scope & ~denied
        for c in kind.adds:
            adds[c] |= scope
    for c, rx in rules.named.items():
        adds[c] |= names.contains(rx)
    added: dict[str, np.ndarray] = {}
    for column, nutrient in rules.added.items():
        amount = _number(foods, nutrient)
        estimate = np.where(fortified & adds[column], amount, 0.0)
        given = _number(foods, column)  # a table's real values (FoodData Central) win
        added[column] = np.where(np.isnan(given), estimate, given)
    return Fortification(fortified=fortified, added=added)
