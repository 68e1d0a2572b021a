"""Counted foods: foods served in whole units or halves ("2 large eggs", "1/2 bagel"), as data.

``data/counted_foods.csv`` lists, for the bundled SR24 foods a plan can show, the unit a cook counts,
its grams (checked against an SR24 household measure) and the step (1: whole units; 0.5: halves). The
planner serves a counted food only in ``unit_g * step * n`` grams for a whole number ``n``.

Foods of a user's table (not from SR24) are counted by rule: when the first part of the food's name
(``vocab.family``: "Bread", "Egg", "Bananas") and the unit word of one of its own household measures
("slice", "large", "medium") are those of a row of the CSV, the food is counted in that measure, with
that row's unit and step. A bundled food the CSV leaves out is never counted: leaving it out was a
decision (see the CSV's header and docs/meal-rules-data.md).

Pure data: no solver; every problem of the file is collected into one ``ConfigError``.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mealplan.errors import ConfigError
from mealplan.fileio import read_user_text
from mealplan.food_data.food_refs import ref_problems
from mealplan.food_data.table import DATA_DIR, SR24_SOURCE, FoodTable
from mealplan.food_data.vocab import family

COUNTED_FILE = DATA_DIR / "counted_foods.csv"
COLUMNS = ("id", "usda_name", "unit", "unit_g", "step", "measure_id", "measure", "note")
STEPS = (1.0, 0.5)  # whole units, halves
NOT_COUNTED = 0.0  # a row's step 0: reviewed, served by weight or volume
GRAMS_TOLERANCE = 0.05  # unit_g against the SR24 measure's grams / amount (SR24 gives 0.1 g)
_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)\s+(.*)$")


@dataclass(frozen=True, slots=True)
class CountedUnit:
    """How a food is counted: ``unit`` ("large egg") of ``unit_g`` grams, served in steps of ``step`` units."""

    unit: str
    unit_g: float
    step: float

    @property
    def step_g(self) -> float:
        """Grams of the smallest amount served (half a bagel, one egg)."""
        return self.unit_g * self.step

    def counts_within(self, lo_g: float, hi_g: float) -> list[float]:
        """The amounts in units (multiples of ``step``, above 0) whose grams lie in [lo_g, hi_g]."""
        first = max(1, math.ceil(lo_g / self.step_g - 1e-9))
        last = math.floor(hi_g / self.step_g + 1e-9)
        return [n * self.step for n in range(first, last + 1)]


@dataclass(frozen=True, slots=True)
class CountedRow:
    """One reviewed row of ``counted_foods.csv``."""

    id: str
    usda_name: str
    unit: CountedUnit | None  # None: reviewed and not counted (``note`` says why)
    measure_id: str  # the food whose SR24 measure gives the grams (this food's own when blank in the file)
    measure: str
    note: str
    line: int


def split_amount(measure: str) -> tuple[float, str]:
    """A measure's amount and text: ``"0.5 breast, bone removed"`` -> (0.5, "breast, bone removed")."""
    m = _AMOUNT.match(measure.strip())
    return (float(m[1]), m[2]) if m else (1.0, measure.strip())


def unit_word(measure: str) -> str:
    """The counted word of a measure, singular and lower case: "2 biscuits (1 NLEA serving)" -> "biscuit",
    "medium (7\\" to 7-7/8\\" long)" -> "medium", "slice, regular" -> "slice"."""
    text = re.sub(r"\([^)]*\)", " ", split_amount(measure)[1].lower())
    words = re.findall(r"[a-z]+", text)
    if not words:
        return ""
    word = words[0]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@functools.lru_cache(maxsize=4)
def load_counted(path: str | Path | None = None) -> dict[str, CountedRow]:
    """Food id -> its row of the counted-foods file (default: the bundled one), format checked.

    Raises:
        ConfigError: listing every problem (line, id, column, the bad value and what is allowed).
    """
    path = Path(path or COUNTED_FILE)
    lines = read_user_text(path, "counted-foods file", error=ConfigError).splitlines()
    rows = list(csv.reader(line for line in lines if not line.startswith("#")))
    numbered = [i + 1 for i, line in enumerate(lines) if not line.startswith("#")]
    if not rows or tuple(c.strip() for c in rows[0]) != COLUMNS:
        raise ConfigError(f"{path}: header is {rows[:1]}; allowed: {','.join(COLUMNS)}")
    problems: list[str] = []
    out: dict[str, CountedRow] = {}
    first_line: dict[str, int] = {}
    for line, row in zip(numbered[1:], rows[1:], strict=True):
        if not any(c.strip() for c in row):
            continue
        at = f"{path}: line {line}"
        if len(row) != len(COLUMNS):
            problems.append(f"{at}: {len(row)} fields; allowed: {len(COLUMNS)} ({','.join(COLUMNS)})")
            continue
        fid, name, unit, grams, step, measure_id, measure, note = (c.strip() for c in row)
        at = f"{at} (id {fid})"
        found = _row_problems(at, fid, name, unit, grams, step, measure, first_line)
        first_line.setdefault(fid, line)
        problems += found
        if not found:
            counted = CountedUnit(unit=unit, unit_g=float(grams), step=float(step)) if unit else None
            out[fid] = CountedRow(fid, name, counted, measure_id or fid, measure, note, line)
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in counted foods", problems)
    return out


def _row_problems(
    at: str, fid: str, name: str, unit: str, grams: str, step: str, measure: str, seen: dict[str, int]
) -> list[str]:
    out = []
    if not re.fullmatch(r"\d{5}", fid):
        out.append(f"{at}: id: {fid!r} is not an SR24 id; allowed: 5 digits")
    elif fid in seen:
        out.append(f"{at}: id: {fid!r} is already on line {seen[fid]}; allowed: one row per food")
    if not name:
        out.append(f"{at}: usda_name: is empty; allowed: the food's SR24 name")
    try:
        value = float(step)
    except ValueError:
        value = math.nan
    if value == NOT_COUNTED:
        return out + _not_counted_problems(at, unit, grams, measure)
    if value not in STEPS:
        out.append(f"{at}: step: {step!r} is not allowed; allowed: 1 (whole units), 0.5 (halves), 0 (not counted)")
    if not unit:
        out.append(f"{at}: unit: is empty; allowed: the unit as said after a number, e.g. 'slice'")
    try:
        ok = math.isfinite(float(grams)) and float(grams) > 0
    except ValueError:
        ok = False
    if not ok:
        out.append(f"{at}: unit_g: {grams!r} is not a number of grams; allowed: grams > 0")
    if not measure:
        out.append(f"{at}: measure: is empty; allowed: the SR24 household measure the grams come from")
    return out


def _not_counted_problems(at: str, unit: str, grams: str, measure: str) -> list[str]:
    return [
        f"{at}: {column}: {value!r} on a row of step 0 (not counted); allowed: blank"
        for column, value in (("unit", unit), ("unit_g", grams), ("measure", measure))
        if value
    ]


def check_counted(table: FoodTable, path: str | Path | None = None) -> list[str]:
    """Problems of the counted-foods file against ``table`` (the bundled table): ids it lacks or names
    otherwise, measures it does not have, grams that are not the measure's."""
    rows = load_counted(path)
    where = str(path or COUNTED_FILE)
    problems = ref_problems({r.id: r.usda_name for r in rows.values()}, table, where)
    known = set(table.rows.ids.tolist())
    for r in rows.values():
        at = f"{where}: line {r.line} (id {r.id})"
        if r.unit is None:
            if not r.note:
                problems.append(f"{at}: note: is empty on a row of step 0; allowed: why the food is not counted")
            continue
        if r.measure_id not in known:
            problems.append(f"{at}: measure_id: {r.measure_id!r} is not in the food table")
            continue
        measures = dict(table.measures_of(r.measure_id))
        if r.measure not in measures:
            allowed = "; ".join(measures) or "none"
            problems.append(f"{at}: measure: {r.measure!r} is not a measure of {r.measure_id}; allowed: {allowed}")
            continue
        grams = measures[r.measure] / split_amount(r.measure)[0]
        if abs(grams - r.unit.unit_g) > GRAMS_TOLERANCE:
            problems.append(f"{at}: unit_g: {r.unit.unit_g:g} is not {r.measure!r}'s {grams:g} g a unit")
    return problems


def counted_units(table: FoodTable, path: str | Path | None = None) -> dict[str, CountedUnit]:
    """Food id -> how it is counted, for the foods of ``table`` that are counted.

    The file's rows apply to the table's foods with the same id and the same name; foods not from SR24
    are counted by the family-and-measure rule (the module's docstring); any other food is absent.
    """
    rows = load_counted(path)
    ids = table.rows.ids.tolist()
    names = [str(n) for n in table.rows["name"]]
    out = {
        fid: unit
        for fid, name in zip(ids, names, strict=True)
        if fid in rows and rows[fid].usda_name == name and (unit := rows[fid].unit) is not None
    }
    by_key = _rule_keys(rows)
    families = {fam for fam, _ in by_key}
    sources = table.rows["source"] if "source" in table.rows else np.full(len(ids), "")
    for fid, name, source in zip(ids, names, sources, strict=True):
        if fid in out or source == SR24_SOURCE or family(name) not in families:
            continue
        unit = _by_rule(family(name), table.measures_of(fid), by_key)
        if unit is not None:
            out[fid] = unit
    return out


def _rule_keys(rows: dict[str, CountedRow]) -> dict[tuple[str, str], CountedRow]:
    """(family, unit word) -> the first row with them: how a user's food of that family is counted."""
    out: dict[tuple[str, str], CountedRow] = {}
    for r in rows.values():
        if r.unit is not None:
            out.setdefault((family(r.usda_name), unit_word(r.measure)), r)
    return out


def _by_rule(
    fam: str, measures: list[tuple[str, float]], by_key: dict[tuple[str, str], CountedRow]
) -> CountedUnit | None:
    for text, grams in measures:
        row = by_key.get((fam, unit_word(text)))
        amount = split_amount(text)[0]
        if row is not None and row.unit is not None and grams > 0 and amount > 0:
            return CountedUnit(unit=row.unit.unit, unit_g=grams / amount, step=row.unit.step)
    return None
