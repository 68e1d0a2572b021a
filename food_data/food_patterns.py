"""The USDA Food Patterns of the Dietary Guidelines 2020-2025, as data (issue 25).

``data/food_patterns.yaml`` holds the Healthy U.S.-Style, Healthy Vegetarian and Healthy
Mediterranean-Style patterns for ages 2 and older at 12 energy levels (1,000-3,200 kcal), each row
mapped to the food-group components of ``data/food_group_rules.yaml``. :func:`food_pattern` gives a
person's pattern: the nearest level to their energy (the tables' footnotes applied by age).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mealplan.errors import ConfigError
from mealplan.fileio import load_user_yaml, read_user_text
from mealplan.food_data.food_group_rules import load_rules
from mealplan.food_data.table import DATA_DIR

PATTERNS_FILE = DATA_DIR / "food_patterns.yaml"
DAYS_PER_WEEK = 7


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RowSpec(_Model):
    name: str
    unit: Literal["cup-eq", "oz-eq", "g"]
    per: Literal["day", "week"]
    sources: dict[str, float] = Field(alias="from", min_length=1)


class Style(_Model):
    name: str
    table: str
    amounts: dict[str, tuple[float, ...]] = Field(min_length=1)


class AdultLevel(_Model):
    from_age: float
    level: int


class ChildDairy(_Model):
    from_age: float
    below_age: float
    from_level: int
    dairy: float


class YoungDairy(_Model):
    style: str
    like: str
    below_age: float


class AgeRules(_Model):
    adult_min_level: AdultLevel
    child_dairy: ChildDairy
    young_dairy_like: YoungDairy


class Limits(_Model):
    added_sugars_energy_pct: float = Field(gt=0)
    saturated_fat_energy_pct: float = Field(gt=0)
    sodium_mg: float = Field(gt=0)


class StyleFor(_Model):
    diets: dict[str, str]
    diet_patterns: dict[str, str]


class PatternBook(_Model):
    schema_version: int = Field(alias="schema")
    source: str
    levels: tuple[int, ...] = Field(min_length=1)
    rows: dict[str, RowSpec] = Field(min_length=1)
    styles: dict[str, Style] = Field(min_length=1)
    age_rules: AgeRules
    limits: Limits
    style_for: StyleFor


class PatternRow(_Model):
    """One food group or subgroup of a person's pattern."""

    id: str
    name: str
    unit: str
    per: Literal["day", "week"]
    amount: float = Field(description="cup-eq, oz-eq or g per day or per week (``per``)")
    sources: dict[str, float] = Field(description="food-group component -> factor it counts with")

    @property
    def daily(self) -> float:
        """The amount per day (a weekly amount / 7)."""
        return self.amount if self.per == "day" else self.amount / DAYS_PER_WEEK

    @property
    def weekly(self) -> float:
        """The amount per week (a daily amount x 7)."""
        return self.amount if self.per == "week" else self.amount * DAYS_PER_WEEK

    def of(self, amounts: dict[str, float]) -> float:
        """This row's amount in food-group totals (component id -> amount), same period as the totals."""
        return sum(amounts.get(c, 0.0) * f for c, f in self.sources.items())


class FoodPattern(_Model):
    """A person's USDA Food Pattern: a style at one energy level, with its rows and limits."""

    style: str
    name: str
    level_kcal: int
    source: str
    rows: tuple[PatternRow, ...]
    limits: Limits

    def row(self, row_id: str) -> PatternRow:
        """The row with this id (KeyError when the style has none, e.g. seafood in the vegetarian pattern)."""
        for r in self.rows:
            if r.id == row_id:
                return r
        raise KeyError(row_id)


@functools.lru_cache(maxsize=4)
def load_food_patterns(path: str | Path | None = None) -> PatternBook:
    """Load and check the food patterns (default: the bundled ``food_patterns.yaml``)."""
    path = path or PATTERNS_FILE
    text = read_user_text(path, "food-patterns file", error=ConfigError)
    try:
        raw = load_user_yaml(text)
    except (yaml.YAMLError, RecursionError) as exc:
        raise ConfigError(f"{path}: cannot read food patterns: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping with schema, source, levels, rows, styles, age_rules, limits")
    try:
        book = PatternBook.model_validate(raw)
    except ValidationError as exc:
        errs = [(".".join(map(str, e["loc"])) or "(top)", e["msg"], e.get("input")) for e in exc.errors()]
        problems = [f"{path}: {loc}: {msg} (value: {value!r})" for loc, msg, value in errs]
        raise ConfigError(f"{path}: {len(problems)} problem(s) in food patterns", problems) from None
    problems = _check(book, str(path))
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in food patterns", problems)
    return book


def _check(book: PatternBook, path: str) -> list[str]:
    problems: list[str] = []
    if book.schema_version != 1:
        problems.append(f"{path}: schema: {book.schema_version} is unsupported; allowed: 1")
    if list(book.levels) != sorted(set(book.levels)):
        problems.append(f"{path}: levels: {list(book.levels)} must rise strictly")
    components = load_rules().ids
    for row_id, row in book.rows.items():
        problems += [f"{path}: rows.{row_id}: {c!r} is not a food-group component; allowed: {', '.join(components)}"
                     for c in row.sources if c not in components]  # fmt: skip
    for style_id, style in book.styles.items():
        for row_id, amounts in style.amounts.items():
            at = f"{path}: styles.{style_id}.amounts.{row_id}"
            if row_id not in book.rows:
                problems.append(f"{at}: row is unknown; allowed: {', '.join(book.rows)}")
            if len(amounts) != len(book.levels):
                problems.append(f"{at}: {len(amounts)} amounts; allowed: one per level ({len(book.levels)})")
            if any(a < 0 for a in amounts):
                problems.append(f"{at}: amounts must not be negative")
    young = book.age_rules.young_dairy_like
    wanted = {*book.style_for.diets.values(), *book.style_for.diet_patterns.values(), young.style, young.like}
    problems += [f"{path}: style {s!r} is named but not defined; allowed: {', '.join(book.styles)}"
                 for s in sorted(wanted) if s not in book.styles]  # fmt: skip
    return problems


def styles() -> tuple[str, ...]:
    """The pattern styles: ``us``, ``vegetarian``, ``mediterranean``."""
    return tuple(load_food_patterns().styles)


def style_for(diet: str, diet_pattern: str | None = None) -> str:
    """The pattern a profile points to: a named diet pattern first (``mediterranean``), then the diet
    (``vegan`` and ``vegetarian`` -> ``vegetarian``), else ``us``."""
    book = load_food_patterns()
    if diet_pattern and diet_pattern in book.style_for.diet_patterns:
        return book.style_for.diet_patterns[diet_pattern]
    return book.style_for.diets.get(diet, "us")


def nearest_level(energy_kcal: float, age_years: float | None = None) -> int:
    """The pattern level for an energy: the nearest of the 12 levels (a tie goes up), clamped to
    1,000-3,200; from age 9 (children 9 and older, adults) no level below 1,600 (the tables' footnote)."""
    book = load_food_patterns()
    rule = book.age_rules.adult_min_level
    levels = [lv for lv in book.levels if age_years is None or age_years < rule.from_age or lv >= rule.level]
    return min(levels, key=lambda lv: (abs(lv - energy_kcal), -lv))


def food_pattern(energy_kcal: float, style: str = "us", age_years: float | None = None) -> FoodPattern:
    """The USDA Food Pattern for a person: ``style`` at the level nearest ``energy_kcal``.

    Args:
        energy_kcal: The person's energy requirement (kcal/day).
        style: ``us``, ``vegetarian`` or ``mediterranean`` (:func:`style_for` picks it from a diet).
        age_years: Age, for the tables' footnotes (no level below 1,600 kcal from age 9; children's
            dairy); None applies no age rule.

    Raises:
        ConfigError: for an unknown style or a non-positive energy.
    """
    book = load_food_patterns()
    if style not in book.styles:
        raise ConfigError(f"food pattern style {style!r} is unknown; allowed: {', '.join(book.styles)}")
    if not energy_kcal > 0:
        raise ConfigError(f"energy {energy_kcal!r} kcal is not positive; a food pattern needs the day's energy")
    level = nearest_level(energy_kcal, age_years)
    at = book.levels.index(level)
    rows = []
    for row_id, amounts in book.styles[style].amounts.items():
        spec = book.rows[row_id]
        rows.append(PatternRow(id=row_id, name=spec.name, unit=spec.unit, per=spec.per,
                               amount=_dairy(book, style, row_id, amounts[at], level, age_years),
                               sources=spec.sources))  # fmt: skip
    source = f"{book.source} ({book.styles[style].table})"
    name = book.styles[style].name
    return FoodPattern(style=style, name=name, level_kcal=level, source=source, rows=tuple(rows), limits=book.limits)


def _dairy(book: PatternBook, style: str, row_id: str, amount: float, level: int, age: float | None) -> float:
    """The tables' footnotes on dairy for children: 2 1/2 cup-eq at 4-8 years on 1,600 kcal or more;
    the Mediterranean pattern's children and adolescents keep the U.S.-Style dairy."""
    if row_id != "dairy" or age is None:
        return amount
    rules = book.age_rules
    young = rules.young_dairy_like
    if style == young.style and age < young.below_age:
        amount = book.styles[young.like].amounts["dairy"][book.levels.index(level)]
    child = rules.child_dairy
    if child.from_age <= age < child.below_age and level >= child.from_level:
        amount = child.dairy
    return amount
