"""The nutrient and food bounds of a diet problem ("basket"), read from a CSV, YAML or JSON file or the
command line.

A targets CSV has a ``nutrient`` column and ``min``, and optionally ``max`` and ``unit``; a YAML or
JSON file maps ``nutrient -> {min, max, unit}`` and may add ``foods: {id: {min, max}}``. Every
problem is collected and reported together, naming the file, the row or key, the value and the rule.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mealplan.errors import ConfigError, InputError
from mealplan.fileio import load_user_yaml, read_user_text
from mealplan.food_data.nutrients import normalize_id

TARGET_COLUMNS = ("nutrient", "min", "max", "unit")
# Bounds at or above this are not amounts: HiGHS reads 1e20 as infinity (and a bound of 1e20 then broke
# the model), and no nutrient or food amount in any unit comes near it.
PHYSICAL_MAX = 1e15
BEYOND = "is beyond any physical amount (the solver reads such numbers as infinity); give an amount below 1e15"
MAX_TARGETS_BYTES = 1024 * 1024  # a targets file is a few lines; a larger file is not one


class FrozenModel(BaseModel):
    """An immutable model that refuses unknown fields (targets and results alike)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NutrientBound(FrozenModel):
    """A minimum and/or maximum for one nutrient column, in ``unit`` (default: the table's unit)."""

    nutrient: str
    min: float | None = None
    max: float | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _check(self) -> NutrientBound:
        for side in ("min", "max"):
            v = getattr(self, side)
            if v is not None and not math.isfinite(v):
                raise ValueError(f"{self.nutrient}: {side} {v!r} must be a finite number")
            if v is not None and v < 0:
                raise ValueError(f"{self.nutrient}: {side} {v:g} is negative; amounts are 0 or more")
            if v is not None and v >= PHYSICAL_MAX:
                raise ValueError(f"{self.nutrient}: {side} {v:g} {BEYOND}")
        if self.min is None and self.max is None:
            raise ValueError(f"{self.nutrient}: give a min, a max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"{self.nutrient}: min {self.min:g} is above max {self.max:g}")
        return self


class FoodBound(FrozenModel):
    """Bounds on one food's amount, in the food's basis units (``ID=MIN:MAX`` on the command line)."""

    food_id: str
    min: float = Field(0.0, ge=0)
    max: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _check(self) -> FoodBound:
        if not math.isfinite(self.min) or (self.max is not None and not math.isfinite(self.max)):
            raise ValueError(f"food {self.food_id}: bounds must be finite numbers")
        if max(self.min, self.max or 0) >= PHYSICAL_MAX:
            raise ValueError(f"food {self.food_id}: {max(self.min, self.max or 0):g} {BEYOND}")
        if self.max is not None and self.min > self.max:
            raise ValueError(f"food {self.food_id}: min {self.min:g} is above max {self.max:g}")
        return self


class BasketTargets(FrozenModel):
    """Nutrient bounds and optional per-food bounds for the diet problem.

    Attributes:
        nutrients: One bound per nutrient column (names are matched to the table's columns).
        foods: Optional bounds on single foods.
        source: Where the targets came from (a file name), for error messages.
    """

    nutrients: list[NutrientBound]
    foods: list[FoodBound] = []
    source: str = "targets"

    @model_validator(mode="after")
    def _unique(self) -> BasketTargets:
        problems = duplicate_problems([normalize_id(b.nutrient) for b in self.nutrients], "nutrient")
        problems += duplicate_problems([f.food_id for f in self.foods], "food bound for")
        if problems:
            raise ValueError("; ".join(problems))
        if not self.nutrients:
            raise ValueError("no nutrient bounds given; a diet problem needs at least one")
        return self

    def with_food_bounds(self, bounds: list[FoodBound]) -> BasketTargets:
        """A copy with ``bounds`` added; a bound for a food already bounded replaces the old one."""
        if not bounds:
            return self
        given = {fb.food_id for fb in bounds}
        kept = [fb for fb in self.foods if fb.food_id not in given]
        return BasketTargets(nutrients=self.nutrients, foods=kept + list(bounds), source=self.source)


def duplicate_problems(keys: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    dup = [k for k in keys if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return [f"{what} {k!r} is given more than once" for k in dict.fromkeys(dup)]


def load_basket_targets(path: Path | str) -> BasketTargets:
    """Read basket targets from CSV or YAML/JSON.

    CSV columns: ``nutrient,min[,max][,unit]`` (a blank cell, or no ``max`` column, means no bound).
    YAML (or JSON): a mapping ``nutrient -> {min, max, unit}``, plus an optional ``foods`` key mapping
    food id -> ``{min, max}`` (amounts in the food's basis units).

    Raises:
        ConfigError: naming the file, row or key, the bad value and what is allowed (all problems at once).
    """
    path = Path(path)
    text = read_user_text(
        path,
        "targets file",
        allowed="give a CSV, YAML or JSON file with one row or key per nutrient",
        error=ConfigError,
        max_bytes=MAX_TARGETS_BYTES,
    )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data, problems = _targets_from_csv(path, text)
    elif suffix in (".yaml", ".yml", ".json"):
        data, problems = _targets_from_mapping(path, text)
    else:
        raise ConfigError(f"targets file {str(path)!r}: the file must end in .csv, .yaml, .yml or .json.")
    if problems:
        raise ConfigError(f"{path}: the targets file has problems:", problems)
    try:
        return BasketTargets(**data, source=str(path))
    except ValidationError as exc:
        raise ConfigError(
            f"{path}: the targets file has problems:", [_pydantic_message(e) for e in exc.errors()]
        ) from None


def _pydantic_message(err: Any) -> str:
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    return f"{loc}: {msg}" if loc else msg


def _targets_from_csv(path: Path, text: str) -> tuple[dict[str, Any], list[str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    problems: list[str] = []
    if not rows or not any(c.strip() for c in rows[0]):
        return {}, [f"{path}: the file is empty; the header must be {','.join(TARGET_COLUMNS)}"]
    header = [normalize_id(c) for c in rows[0]]
    unknown = [c for c in header if c not in TARGET_COLUMNS]
    missing = [c for c in ("nutrient", "min") if c not in header]
    if unknown or missing:
        what = ", ".join([f"unknown column {c!r}" for c in unknown] + [f"missing column {c!r}" for c in missing])
        return {}, [f"{path}: row 1: {what}; the columns are nutrient, min and optionally max and unit"]
    bounds: list[dict[str, Any]] = []
    for row_no, rec in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in rec):
            continue
        cells = dict(zip(header, [c.strip() for c in rec] + [""] * (len(header) - len(rec)), strict=False))
        if len(rec) > len(header) and any(c.strip() for c in rec[len(header) :]):
            problems.append(f"{path}: row {row_no} has more cells than the header")
            continue
        if not cells["nutrient"]:
            problems.append(f"{path}: row {row_no}, column 'nutrient': blank; name a nutrient column")
            continue
        entry: dict[str, Any] = {"nutrient": cells["nutrient"], "unit": cells.get("unit") or None}
        for side in ("min", "max"):
            value, why = _number(cells.get(side, ""))
            if why:
                problems.append(f"{path}: row {row_no}, column {side!r}: {cells[side]!r} {why}")
            entry[side] = value
        if (
            entry["min"] is None
            and entry["max"] is None
            and not any(p.startswith(f"{path}: row {row_no},") for p in problems)
        ):
            problems.append(f"{path}: row {row_no}: {cells['nutrient']!r} has neither a min nor a max")
            continue
        bounds.append(entry)
    if not bounds and not problems:
        problems.append(f"{path}: the file has a header but no nutrient rows")
    return {"nutrients": bounds}, problems


def _number(text: str) -> tuple[float | None, str | None]:
    if not text:
        return None, None
    try:
        v = float(text)
    except ValueError:
        return None, "is not a number (leave the cell blank for no bound)"
    if not math.isfinite(v):
        return None, "is not a finite number"
    return v, None


def _targets_from_mapping(path: Path, text: str) -> tuple[dict[str, Any], list[str]]:
    try:
        doc = load_user_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [f"{path}: {where}not valid YAML/JSON: {problem}"]
    except RecursionError:
        return {}, [f"{path}: not valid targets: nested too deeply; expected nutrient -> {{min, max, unit}}"]
    if not isinstance(doc, dict) or not doc:
        return {}, [f"{path}: expected a mapping of nutrient -> {{min, max, unit}} (and optionally foods)"]
    problems: list[str] = []
    bounds: list[dict[str, Any]] = []
    foods: list[dict[str, Any]] = []
    for key, spec in doc.items():
        if key == "foods":
            if not isinstance(spec, dict):
                problems.append(f"{path}: foods: expected a mapping of food id -> {{min, max}}")
                continue
            for fid, fspec in spec.items():
                if not isinstance(fspec, dict) or set(fspec) - {"min", "max"}:
                    problems.append(f"{path}: foods.{fid}: expected {{min, max}} (amounts in the basis unit)")
                    continue
                foods.append({"food_id": str(fid), **fspec})
            continue
        if not isinstance(spec, dict) or set(spec) - {"min", "max", "unit"}:
            problems.append(f"{path}: {key}: expected a mapping with min, max and optionally unit, got {spec!r}")
            continue
        bounds.append({"nutrient": str(key), **spec})
    return {"nutrients": bounds, "foods": foods}, problems


def parse_food_bound(text: str) -> FoodBound:
    """Parse ``ID=MIN:MAX`` (either side may be blank: ``ID=:2``, ``ID=0.5:``).

    Raises:
        InputError: naming the option value and the allowed form.
    """
    m = re.fullmatch(r"\s*(?P<id>[^=]+?)\s*=\s*(?P<lo>[^:]*?)\s*:\s*(?P<hi>[^:]*?)\s*", text)
    lo, why_lo = _number(m["lo"]) if m else (None, "bad form")
    hi, why_hi = _number(m["hi"]) if m else (None, "bad form")
    if m is None or why_lo or why_hi or (lo is None and hi is None):
        raise InputError(
            f"bound {text!r}: expected ID=MIN:MAX with numbers in the food's basis units "
            "(either side may be blank, e.g. wheat_flour=:0.5)."
        )
    try:
        return FoodBound(food_id=m["id"], min=lo or 0.0, max=hi)
    except ValidationError as exc:
        raise InputError(f"bound {text!r}: " + "; ".join(_pydantic_message(e) for e in exc.errors())) from None
