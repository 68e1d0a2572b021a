"""Meal patterns and their food pools, as data (issue 13): the plate, breakfast and snack patterns.

Two bundled files, both checked on load with every problem collected into one ``ConfigError``:

- ``data/meal_patterns.yaml``: the pools (``components``: default min/max grams), the patterns
  (slots, name order, roles and how many foods each takes) and the optional drinks. The file's
  header documents the format.
- ``data/pattern_foods.csv``: ``id,component,max_g,note``, one row per food, each food in exactly
  one pool. ``max_g`` (blank = the pool's default) is grams per meal; ``note`` is the short name
  generated meal names use ("baked salmon").

Pure data: no solver, no optimizer import. ``component_for`` places a food of a user's own table
(not in the CSV) into a pool by its category and name.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from mealplan.food_data.errors import ConfigError
from mealplan.food_data.table import DATA_DIR, FoodTable
from mealplan.food_data.vocab import SLOTS
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PATTERNS_FILE = DATA_DIR / "meal_patterns.yaml"
POOL_FOODS_FILE = DATA_DIR / "pattern_foods.csv"
CSV_COLUMNS = ("id", "component", "max_g", "note")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Model):
    """A food pool's defaults."""

    min_g: float = Field(gt=0)
    max_g: float = Field(gt=0)
    description: str = ""


class Role(_Model):
    """One role of a pattern: the pools it draws from and how many foods it takes, [lo, hi]."""

    pools: tuple[str, ...] = Field(alias="from", min_length=1)
    count: tuple[int, int]

    @property
    def optional(self) -> bool:
        return self.count[0] == 0


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


class Extra(_Model):
    """An optional extra (drink, hot drink) that may join any meal in its slots."""

    pools: tuple[str, ...] = Field(alias="from", min_length=1)
    count: tuple[int, int]
    slots: tuple[str, ...] = Field(min_length=1)
    max_g: float = Field(gt=0)


class PatternLibrary(_Model):
    schema_version: int = Field(alias="schema")
    components: dict[str, Component] = Field(min_length=1)
    patterns: tuple[Pattern, ...] = Field(min_length=1)
    drink: Extra
    hot_drink: Extra

    def pattern(self, pattern_id: str) -> Pattern:
        for p in self.patterns:
            if p.id == pattern_id:
                return p
        raise KeyError(pattern_id)

    def for_slot(self, slot: str) -> list[Pattern]:
        return [p for p in self.patterns if slot in p.slots]


class PatternFood(_Model):
    """A food's place in the pools: its component and its grams per meal."""

    id: str
    component: str
    min_g: float
    max_g: float
    label: str  # short name for generated meal names


def _where(loc: Sequence[Any]) -> str:
    return ".".join(str(x) for x in loc) or "(top)"


def load_patterns(path: str | Path | None = None) -> PatternLibrary:
    """Load and check the pattern library (default: the bundled ``meal_patterns.yaml``)."""
    return _load_patterns(str(path or PATTERNS_FILE))


@functools.lru_cache(maxsize=8)
def _load_patterns(path: str) -> PatternLibrary:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read meal patterns: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping with schema, components, patterns, drink, hot_drink")
    try:
        lib = PatternLibrary.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{path}: {_where(e['loc'])}: {e['msg']} (value: {e.get('input')!r})" for e in exc.errors()]
        raise ConfigError(f"{path}: {len(problems)} problem(s) in meal patterns", problems) from None
    problems = _check_library(lib, path)
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in meal patterns", problems)
    return lib


def _check_range(where: str, count: tuple[int, int], problems: list[str]) -> None:
    lo, hi = count
    if lo < 0 or hi < lo or hi == 0:
        problems.append(f"{where}: count {list(count)} is not a range; allowed: [lo, hi] with 0 <= lo <= hi, hi >= 1")


def _check_slots(where: str, slots: Sequence[str], problems: list[str]) -> None:
    for s in slots:
        if s not in SLOTS:
            problems.append(f"{where}: slot {s!r} is unknown; allowed: {', '.join(SLOTS)}")


def _check_pools(where: str, pools: Sequence[str], known: Mapping[str, Component], problems: list[str]) -> None:
    for pool in pools:
        if pool not in known:
            problems.append(f"{where}: component {pool!r} is unknown; allowed: {', '.join(known)}")


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
        _check_slots(f"{at}.slots", p.slots, problems)
        for role, spec in p.components.items():
            _check_range(f"{at}.components.{role}", spec.count, problems)
            _check_pools(f"{at}.components.{role}", spec.pools, lib.components, problems)
        for role in p.name:
            if role not in p.components:
                problems.append(
                    f"{at}.name: role {role!r} is not in its components; allowed: {', '.join(p.components)}"
                )
        if not any(spec.count[0] >= 1 for spec in p.components.values()):
            problems.append(f"{at}.components: every role is optional; allowed: at least one role with lo >= 1")
    for key in ("drink", "hot_drink"):
        extra: Extra = getattr(lib, key)
        _check_range(f"{path}: {key}", extra.count, problems)
        _check_slots(f"{path}: {key}.slots", extra.slots, problems)
        _check_pools(f"{path}: {key}.from", extra.pools, lib.components, problems)
    return problems


def load_pattern_foods(
    foods: FoodTable,
    path: str | Path | None = None,
    *,
    library: PatternLibrary | None = None,
    skip_missing: bool = False,
    fallback: bool = False,
) -> dict[str, PatternFood]:
    """The pool foods: food id -> ``PatternFood`` (component, min_g, max_g, label).

    Every CSV id must be in ``foods`` (``skip_missing=True`` drops absent ones instead, for a
    user's table). ``fallback=True`` also places the table's other foods with ``component_for``
    (for a user's own table; never for the bundled SR24 table, whose pools are hand-picked).
    """
    path = Path(path or POOL_FOODS_FILE)
    lib = library or load_patterns()
    ids = set(foods.rows.index)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read pattern foods: {exc}") from exc
    if not rows or tuple(c.strip() for c in rows[0]) != CSV_COLUMNS:
        header = rows[0] if rows else []
        raise ConfigError(f"{path}: header is {header}; allowed: {','.join(CSV_COLUMNS)}")
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
        max_g = default.max_g
        if max_text:
            try:
                max_g = float(max_text)
            except ValueError:
                max_g = float("nan")
            if not max_g > 0:
                problems.append(f"{at}: max_g: {max_text!r} is not a positive number; allowed: grams > 0 or blank")
                continue
        out[fid] = PatternFood(
            id=fid, component=comp, min_g=min(default.min_g, max_g / 2), max_g=max_g, label=note or fid
        )
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in pattern foods", problems)
    if fallback:
        rec = foods.rows.records(("name", "category"))
        for fid, row in rec.items():
            comp = None if fid in out else component_for(row)
            if comp is not None and comp in lib.components:
                d = lib.components[comp]
                out[fid] = PatternFood(id=fid, component=comp, min_g=d.min_g, max_g=d.max_g, label=str(row["name"]))
    return out


def pools(pattern_foods: Mapping[str, PatternFood]) -> dict[str, list[str]]:
    """Component -> its food ids, in file order."""
    out: dict[str, list[str]] = {}
    for f in pattern_foods.values():
        out.setdefault(f.component, []).append(f.id)
    return out


def meal_name(pattern: Pattern, picks: Mapping[str, Sequence[str]]) -> str:
    """A generated meal name: ``picks`` maps a role to the labels of its chosen foods.

    ``meal_name(plate, {"protein": ["baked salmon"], "starch": ["brown rice"], "vegetable":
    ["broccoli"]})`` -> "Baked salmon with brown rice and broccoli".
    """
    parts = [label for role in pattern.name for label in picks.get(role, ())]
    if not parts:
        return pattern.id.replace("-", " ").capitalize()
    head, rest = parts[0], parts[1:]
    text = (
        head
        if not rest
        else f"{head} with " + (rest[0] if len(rest) == 1 else ", ".join(rest[:-1]) + " and " + rest[-1])
    )
    return text[0].upper() + text[1:]


# Never a pattern component: salt, egg white or yolk, alcohol, infant foods.
_NEVER = re.compile(r"^salt\b|salt, table|egg,? white|egg,? yolk|alcohol|\bbeer\b|\bwine\b|infant|babyfood")
# Not as eaten: raw, dried or powdered forms.
_RAW = re.compile(r"\braw\b|\bdried\b|powder|\bdry\b|unprepared|\bflour\b|\bmix\b")
# (category prefix, name pattern or "", component or None, allowed when raw); the first match wins.
_RULES: tuple[tuple[str, str, str | None, bool], ...] = (
    ("legumes", "hummus", "dip", False),
    ("vegetables", r"carrot|celery|cucumber|pepper|radish|jicama|snap", "raw_veg", True),
    ("vegetables", r"potato|\bcorn\b|\byam|plantain|cassava", "starch", False),
    ("fruits", "juice", "drink", False),
    ("fruits", r"apricots|raisins|prunes|dates|figs|cranberries", "fruit", True),
    ("grains", "ready-to-eat", "cereal", False),
    ("grains", r"cracker|rice cake|crispbread|matzo", "crackers", False),
    ("grains", r"(oat|grits|farina|cream of).*(cooked|prepared) with water", "hot_cereal", False),
    ("grains", r"toasted|bagel|english muffin", "bread", False),
    ("grains", r"cookie|cake|pie\b|pastry|doughnut|muffin|biscuit|waffle|pancake", None, True),
    ("dairy", "yogurt", "yogurt", False),
    ("dairy", r"cream cheese|cheese, cream", "spread", False),
    ("dairy", "cheese", "cheese", False),
    ("dairy", r"milk|drink", "milk", False),
    ("nuts and seeds", "butter", "spread", False),
    ("nuts and seeds", r"milk|cream", None, True),
    ("nuts and seeds", "", "nuts", True),
    ("fats and oils", "", "fat", False),
    ("beverages", r"coffee|\btea\b", "hot_drink", False),
    ("beverages", r"juice|coconut water|kefir", "drink", False),
    ("condiments", r"spice|salt|leavening|vinegar|\bfresh\b", None, True),
    ("condiments", "", "sauce", False),
    ("sweets", r"\bjams?\b|jelly|preserves|honey|marmalade", "spread", False),
    ("meat", "", "protein", False),
    ("poultry", "", "protein", False),
    ("seafood", "", "protein", False),
    ("legumes", "", "protein", False),
    ("eggs", "whole", "egg", False),
    ("vegetables", "", "vegetable", False),
    ("fruits", "", "fruit", False),
    ("grains", "", "starch", False),
)


def component_for(food_row: Mapping[str, Any]) -> str | None:
    """A pool for a food not in ``pattern_foods.csv``, from its ``category`` and ``name``; or None.

    Conservative: raw meat, fish and eggs, egg white or yolk, salt, dried or powdered forms, mixed
    dishes and sweets get None.
    """
    name = str(food_row.get("name", "")).lower()
    cat = str(food_row.get("category", "")).lower()
    if _NEVER.search(name):
        return None
    raw = bool(_RAW.search(name))
    for prefix, pattern, component, raw_ok in _RULES:
        if cat.startswith(prefix) and re.search(pattern, name):
            return component if raw_ok or not raw else None
    return None
