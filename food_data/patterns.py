"""Meal patterns and their food pools, as data (issue 13). Pure data: no solver, no optimizer import.

``data/meal_patterns.yaml`` holds the pools (default grams), the patterns and the optional drinks
(its header documents the format); ``data/pattern_foods.csv`` (``id,component,max_g,note``) puts each
food in exactly one pool: ``max_g`` per meal (blank = the pool's default), ``note`` the short name a
generated meal name uses. Both are checked on load, every problem collected into one ``ConfigError``.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mealplan.errors import ConfigError
from mealplan.fileio import load_user_yaml, read_user_text
from mealplan.food_data.matching import NameIndex
from mealplan.food_data.table import DATA_DIR, FoodTable, Rows
from mealplan.food_data.vocab import SLOTS

PATTERNS_FILE = DATA_DIR / "meal_patterns.yaml"
POOL_FOODS_FILE = DATA_DIR / "pattern_foods.csv"
CSV_COLUMNS = ("id", "component", "max_g", "note")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Model):  # a food pool's defaults
    min_g: float = Field(gt=0)
    max_g: float = Field(gt=0)
    description: str = ""


class Role(_Model):
    """One role of a pattern: the pools it draws from and how many foods it takes, [lo, hi]."""

    pools: tuple[str, ...] = Field(alias="from", min_length=1)
    count: tuple[int, int]


class Pattern(_Model):
    id: str
    slots: tuple[str, ...] = Field(min_length=1)
    name: tuple[str, ...] = Field(min_length=1)
    components: dict[str, Role] = Field(min_length=1)
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _short_roles(cls, data: Any) -> Any:
        # ``role: [lo, hi]`` is short for ``role: {from: [role], count: [lo, hi]}``.
        if isinstance(data, dict) and isinstance(data.get("components"), dict):
            data = dict(data)
            data["components"] = {
                role: {"from": [role], "count": spec} if isinstance(spec, list) else spec
                for role, spec in data["components"].items()
            }
        return data


class Extra(Role):
    """An optional extra (drink, hot drink) that may join any meal in its slots."""

    slots: tuple[str, ...] = Field(min_length=1)
    max_g: float = Field(gt=0)


class PatternLibrary(_Model):
    schema_version: int = Field(alias="schema")
    components: dict[str, Component] = Field(min_length=1)
    patterns: tuple[Pattern, ...] = Field(min_length=1)
    drink: Extra
    hot_drink: Extra

    def pattern(self, pattern_id: str) -> Pattern:
        return {p.id: p for p in self.patterns}[pattern_id]

    def for_slot(self, slot: str) -> list[Pattern]:
        return [p for p in self.patterns if slot in p.slots]


@dataclass(frozen=True, slots=True)
class PatternFood:  # a food's place in the pools: its component and grams per meal (a dataclass: 50,000 a table)
    id: str
    component: str
    min_g: float
    max_g: float
    label: str = ""  # short name for generated meal names ("": the food's short name)


@functools.lru_cache(maxsize=8)
def load_patterns(path: str | Path | None = None) -> PatternLibrary:
    """Load and check the pattern library (default: the bundled ``meal_patterns.yaml``)."""
    path = path or PATTERNS_FILE
    text = read_user_text(path, "meal-pattern file", error=ConfigError)
    try:
        raw = load_user_yaml(text)
    except (yaml.YAMLError, RecursionError) as exc:
        raise ConfigError(f"{path}: cannot read meal patterns: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping with schema, components, patterns, drink, hot_drink")
    try:
        lib = PatternLibrary.model_validate(raw)
    except ValidationError as exc:
        errs = [(".".join(map(str, e["loc"])) or "(top)", e["msg"], e.get("input")) for e in exc.errors()]
        problems = [f"{path}: {loc}: {msg} (value: {value!r})" for loc, msg, value in errs]
        raise ConfigError(f"{path}: {len(problems)} problem(s) in meal patterns", problems) from None
    problems = _check_library(lib, str(path))
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in meal patterns", problems)
    return lib


def _check(where: str, count: tuple[int, int], pools: Sequence[str], lib: PatternLibrary) -> list[str]:
    out = [
        f"{where}: component {p!r} is unknown; allowed: {', '.join(lib.components)}"
        for p in pools
        if p not in lib.components
    ]
    if count[0] < 0 or count[1] < count[0] or count[1] == 0:
        out.append(f"{where}: count {list(count)} is not a range; allowed: [lo, hi] with 0 <= lo <= hi, hi >= 1")
    return out


def _bad_slots(where: str, slots: Sequence[str]) -> list[str]:
    return [f"{where}: slot {s!r} is unknown; allowed: {', '.join(SLOTS)}" for s in slots if s not in SLOTS]


def _check_library(lib: PatternLibrary, path: str) -> list[str]:
    problems: list[str] = []
    if lib.schema_version != 1:
        problems.append(f"{path}: schema: {lib.schema_version} is unsupported; allowed: 1")
    for name, comp in lib.components.items():
        if comp.min_g > comp.max_g:
            problems.append(f"{path}: components.{name}: min_g {comp.min_g:g} > max_g {comp.max_g:g}")
    seen: set[str] = set()
    for i, p in enumerate(lib.patterns):
        at = f"{path}: patterns[{i}] ({p.id})"
        if p.id in seen:
            problems.append(f"{at}: id {p.id!r} is used twice; allowed: unique ids")
        seen.add(p.id)
        problems += _bad_slots(f"{at}.slots", p.slots)
        for role, spec in p.components.items():
            problems += _check(f"{at}.components.{role}", spec.count, spec.pools, lib)
        for role in p.name:
            if role not in p.components:
                problems.append(
                    f"{at}.name: role {role!r} is not in its components; allowed: {', '.join(p.components)}"
                )
        if not any(spec.count[0] >= 1 for spec in p.components.values()):
            problems.append(f"{at}.components: every role is optional; allowed: at least one role with lo >= 1")
    for key in ("drink", "hot_drink"):
        extra: Extra = getattr(lib, key)
        problems += _check(f"{path}: {key}", extra.count, extra.pools, lib) + _bad_slots(f"{path}: {key}", extra.slots)
    return problems


def load_pattern_foods(
    foods: FoodTable,
    path: str | Path | None = None,
    *,
    library: PatternLibrary | None = None,
    skip_missing: bool = False,
    fallback: bool = False,
) -> dict[str, PatternFood]:
    """Food id -> ``PatternFood``. Every CSV id must be in ``foods`` (``skip_missing`` drops absent ones);
    ``fallback`` places a user's table's other foods with ``component_for`` (not for bundled SR24)."""
    path = Path(path or POOL_FOODS_FILE)
    lib = library or load_patterns()
    ids = set(foods.rows.index)
    rows = list(csv.reader(read_user_text(path, "pattern-foods file", error=ConfigError).splitlines()))
    if not rows or tuple(c.strip() for c in rows[0]) != CSV_COLUMNS:
        raise ConfigError(f"{path}: header is {rows[:1]}; allowed: {','.join(CSV_COLUMNS)}")
    problems: list[str] = []
    out: dict[str, PatternFood] = {}
    first_line: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        at = f"{path}: line {line}"
        if len(row) != len(CSV_COLUMNS):
            problems.append(f"{at}: {len(row)} fields; allowed: {len(CSV_COLUMNS)} ({','.join(CSV_COLUMNS)})")
            continue
        fid, comp, max_text, note = (c.strip() for c in row)
        at = f"{at} (id {fid})"
        if fid in first_line:
            problems.append(f"{at}: id: {fid!r} is already in line {first_line[fid]}; allowed: one component per food")
            continue
        first_line[fid] = line
        if fid not in ids:
            if not skip_missing:
                problems.append(f"{at}: id: {fid!r} is not in the food table; allowed: ids of the food table")
            continue
        if comp not in lib.components:
            problems.append(f"{at}: component: {comp!r} is unknown; allowed: {', '.join(lib.components)}")
            continue
        default = lib.components[comp]
        try:
            max_g = float(max_text) if max_text else default.max_g
        except ValueError:
            max_g = float("nan")
        if not max_g > 0:
            problems.append(f"{at}: max_g: {max_text!r} is not a positive number; allowed: grams > 0 or blank")
            continue
        out[fid] = PatternFood(id=fid, component=comp, min_g=min(default.min_g, max_g / 2), max_g=max_g, label=note)
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in pattern foods", problems)
    if fallback:
        placed = foods.placed if foods.placed is not None else placements(foods.rows)
        for fid, comp in placed.items():
            if fid in ids and fid not in out and comp in lib.components:
                d = lib.components[comp]
                out[fid] = PatternFood(fid, comp, d.min_g, d.max_g)
    return out


def placements(rows: Rows) -> dict[str, str]:
    """Food id -> the pool ``component_for`` finds, for the foods it places."""
    comps = components_for(rows["name"], rows["category"])
    return {fid: comp for fid, comp in zip(rows.index, comps, strict=True) if comp is not None}


def pools(pattern_foods: Mapping[str, PatternFood]) -> dict[str, list[str]]:
    """Component -> its food ids, in file order."""
    out: dict[str, list[str]] = {}
    for f in pattern_foods.values():
        out.setdefault(f.component, []).append(f.id)
    return out


def meal_name(roles: Sequence[str], pattern_id: str, picks: Mapping[str, Sequence[str]]) -> str:
    """A generated meal name: the labels of the chosen foods (``picks``: role -> labels) in the order
    of the pattern's ``roles``, the first then "with" the rest.

    ``meal_name(plate.name, plate.id, {"protein": ["baked salmon"], "starch": ["brown rice"],
    "vegetable": ["broccoli"]})`` -> "Baked salmon with brown rice and broccoli".
    """
    parts = [label for role in roles for label in picks.get(role, ())]
    if not parts:
        return pattern_id.replace("-", " ").capitalize()
    text = parts[0] if len(parts) == 1 else f"{parts[0]} with " + " and ".join([", ".join(parts[1:-1]), parts[-1]])
    text = text.replace(" with  and ", " with ")
    return text[0].upper() + text[1:]


# Never a pattern component: salt, egg white or yolk, alcohol, infant, dehydrated and fast-food items.
_NEVER = re.compile(  # (MULTILINE: NameIndex searches the names joined by line breaks)
    r"^salt\b|salt, table|egg,? white|egg,? yolk|alcohol|\bbeer\b|\bwine\b|infant|babyfood|powder|dehydrated|"
    r"freeze-dried|flakes, dried|fast food|mcdonald|burger king|wendy|popeyes|kfc|taco bell|applebee|cracker barrel",
    re.MULTILINE,
)
# Not as eaten (for meat, fish, eggs, grains, legumes): raw, dried or powdered forms.
_RAW = re.compile(r"\braw\b|\bdried\b|\bdry\b|uncooked|unprepared|\bflour\b|\bmix\b")
# (category pattern, name pattern, component or None, form: "any" | "raw" | "eaten"); the first match wins.
_RULES: tuple[tuple[str, str, str | None, str], ...] = (
    ("legumes", "hummus", "dip", "any"),
    ("vegetables", r"carrot|celery|cucumber|pepper|radish|jicama|snap", "raw_veg", "raw"),
    ("vegetables", r"potato|\bcorn\b|\byam|plantain|cassava", "starch", "eaten"),
    ("vegetables", "", "vegetable", "any"),
    ("fruits", "juice", "drink", "any"),
    ("fruits", "", "fruit", "any"),
    ("grains", "ready-to-eat", "cereal", "any"),
    ("grains", r"cracker|rice cake|crispbread|matzo", "crackers", "any"),
    ("grains", r"\boat(s|meal)?\b|porridge|grits|farina|cream of", "hot_cereal", "any"),
    ("grains", r"cookie|cake|pie\b|pastry|doughnut|muffins, (?!english)|biscuit|waffle|pancake", None, "any"),
    ("grains", r"\bbread\b|toast|bagel|english muffin|\brolls?\b", "bread", "eaten"),
    ("grains", "", "starch", "eaten"),
    ("dairy", "yogurt", "yogurt", "any"),
    ("dairy", r"cream cheese|cheese, cream", "spread", "any"),
    ("dairy", "cheese", "cheese", "any"),
    ("dairy", r"milk|drink", "milk", "eaten"),
    ("nuts and seeds", "butter", "spread", "any"),
    ("nuts and seeds", r"milk|cream|flour|meal", None, "any"),
    ("nuts and seeds", "", "nuts", "any"),
    ("fats and oils", "", "fat", "any"),
    ("beverages", r"coffee|\btea\b", "hot_drink", "eaten"),
    ("beverages", r"juice|coconut water|kefir", "drink", "eaten"),
    ("condiments", r"spice|salt|leavening|vinegar|\bfresh\b", None, "any"),
    ("condiments", "", "sauce", "eaten"),
    ("sweets", r"\bjams?\b|jelly|preserves|honey|marmalade", "spread", "any"),
    ("meat|poultry|seafood|legumes", "", "protein", "eaten"),
    ("eggs", "whole", "egg", "eaten"),
)


def component_for(food_row: Mapping[str, Any]) -> str | None:
    """A pool for a food of a user's table (not in the CSV) from its ``category`` and ``name``, or None."""
    return components_for([food_row.get("name", "")], [food_row.get("category", "")])[0]


def components_for(names: Iterable[object], categories: Iterable[object]) -> list[str | None]:
    """``component_for`` of many foods: each rule's regex runs once over the joined names of the foods
    of its categories (100,000 foods: 1.9 s one name at a time)."""
    found = NameIndex(names)
    never = set(found.matching(_NEVER))
    raw = set(found.matching(_RAW))
    by_category: dict[str, list[int]] = {}
    for i, cat in enumerate(categories):
        if i not in never:
            by_category.setdefault(str(cat).lower(), []).append(i)
    out: list[str | None] = [None] * len(found.names)
    for category, rows in by_category.items():
        names_here = NameIndex(found.lowered[i] for i in rows)
        left = set(range(len(rows)))
        for pattern, component, form in _rules_for(category):
            hits = left.intersection(names_here.matching(pattern)) if pattern.pattern else set(left)
            for j in hits:
                i = rows[j]
                out[i] = component if form == "any" or (form == "raw") == (i in raw) else None
            left -= hits
    return out


@functools.lru_cache(maxsize=64)
def _rules_for(category: str) -> tuple[tuple[re.Pattern[str], str | None, str], ...]:
    """The rules of :data:`_RULES` for one category, compiled (a 20,000-food table: 1.8 s -> 0.2 s)."""
    return tuple((re.compile(pat), comp, form) for prefix, pat, comp, form in _RULES if re.match(prefix, category))
