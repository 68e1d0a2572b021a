"""The food-group derivation rules and their reviewed overrides, as data (issue 25).

``data/food_group_rules.yaml`` says how a food row (name, planner category, USDA group, nutrients,
household measures) gets its food-pattern equivalents per 100 g; its header documents the format.
``data/food_group_overrides.csv`` (``id,name,rule,parts,whole_share,note``) corrects the rules for
foods a plan can show. Both are checked on load, every problem collected into one ``ConfigError``.
The mechanism that applies them is :mod:`food_data.food_groups`.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mealplan.errors import ConfigError
from mealplan.fileio import load_user_yaml, read_user_text
from mealplan.food_data.table import DATA_DIR
from mealplan.food_data.vocab import CATEGORIES

RULES_FILE = DATA_DIR / "food_group_rules.yaml"
OVERRIDES_FILE = DATA_DIR / "food_group_overrides.csv"
OVERRIDE_COLUMNS = ("id", "name", "rule", "parts", "whole_share", "note")
# Household units a rule may measure a food by: looked up in the food's own measures, else the
# rule's ``fallback_g``. "oz" (the rules' constant grams_per_oz) and "g" are weights.
HOUSEHOLD_UNITS = ("cup", "tbsp", "large")
WEIGHT_UNITS = ("oz", "g")


def normalize(text: str) -> str:
    """A name or term as the rules match it: lower case, every run of characters that is not a letter
    or digit one space, padded with a space at each end (" bread whole wheat toasted ")."""
    return " " + " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split()) + " "


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Model):
    """One food-group component: a column of the equivalents array."""

    id: str
    name: str
    unit: Literal["cup-eq", "oz-eq", "tsp-eq", "g"]
    group: str
    description: str = ""


class Amount(_Model):
    """How much of a component 100 g of a food holds, from one of four bases.

    ``per`` + ``unit``: ``per`` household units (cup, tbsp, large) or weight units (oz, g) of the food
    make one unit of the component; ``fat``: grams of oil = the food's fat x ``fat``; ``carbs``: one
    unit per ``carbs`` g of non-sugar carbohydrate; ``protein``: one unit per ``protein`` g of protein.
    ``share`` scales the result; ``excess_fat_over`` leaves out fat above that many g/100 g (meat).
    """

    per: float | None = Field(default=None, gt=0)
    unit: str | None = None
    fat: float | None = Field(default=None, gt=0)
    carbs: float | None = Field(default=None, gt=0)
    protein: float | None = Field(default=None, gt=0)
    share: float = Field(default=1.0, gt=0, le=1)
    excess_fat_over: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_basis(self) -> Amount:
        bases = [b for b in ("unit", "fat", "carbs", "protein") if getattr(self, b) is not None]
        if len(bases) != 1:
            raise ValueError(f"give exactly one of unit (with per), fat, carbs, protein; got {bases or 'none'}")
        if self.unit is not None:
            if self.unit not in (*HOUSEHOLD_UNITS, *WEIGHT_UNITS):
                raise ValueError(
                    f"unit {self.unit!r} is unknown; allowed: {', '.join((*HOUSEHOLD_UNITS, *WEIGHT_UNITS))}"
                )
            if self.per is None:
                raise ValueError("unit needs per (how many units of the food make one equivalent)")
        elif self.per is not None:
            raise ValueError("per goes with unit")
        return self


class AddedSugars(_Model):
    """Added sugars (g) = share x sugars - per_protein x protein - minus, at least 0."""

    share: float = Field(default=1.0, gt=0, le=1)
    per_protein: float = Field(default=0.0, ge=0)
    minus: float = Field(default=0.0, ge=0)


class Rule(_Model):
    """A derivation rule: which foods it takes (all conditions given must hold) and what they give."""

    id: str
    note: str = ""
    categories: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    and_words: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    min: dict[str, float] = {}
    max: dict[str, float] = {}
    gives: dict[str, Amount] = {}
    added_sugars: AddedSugars | None = None
    fallback_g: dict[str, float] = {}
    mixed: bool = False


class ShareEntry(_Model):
    share: float = Field(ge=0, le=1)
    words: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


class Split(_Model):
    """Pseudo-components rules give (``from``: pseudo-component -> the component that gets the rest),
    split by name: the share goes to ``to``."""

    sources: dict[str, str] = Field(alias="from", min_length=1)
    to: str
    shares: tuple[ShareEntry, ...] = ()
    default: float = Field(default=0.0, ge=0, le=1)


class RuleBook(_Model):
    schema_version: int = Field(alias="schema")
    constants: dict[str, float]
    components: tuple[Component, ...] = Field(min_length=1)
    splits: tuple[Split, ...] = ()
    rules: tuple[Rule, ...] = Field(min_length=1)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.components)

    @property
    def pseudo(self) -> list[str]:
        """The pseudo-components rules may give, which the splits share out."""
        return [source for s in self.splits for source in s.sources]

    def rule(self, rule_id: str) -> Rule:
        return {r.id: r for r in self.rules}[rule_id]


@dataclass(frozen=True, slots=True)
class Override:
    """A reviewed correction for one food: a rule to apply, a decomposition into other foods by weight
    (``parts``: (food id, grams per gram)), and/or the whole-grain share of its grains."""

    id: str
    name: str
    rule: str = ""
    parts: tuple[tuple[str, float], ...] = ()
    whole_share: float | None = None
    note: str = ""


CONSTANTS = ("grams_per_oz", "added_sugar_g_per_tsp", "legume_oz_per_cup")


def load_rules(path: str | Path | None = None) -> RuleBook:
    """Load and check the derivation rules (default: the bundled ``food_group_rules.yaml``); loaded
    once per path."""
    return _load_rules(Path(path or RULES_FILE))


@functools.lru_cache(maxsize=4)
def _load_rules(path: Path) -> RuleBook:
    text = read_user_text(path, "food-group rules file", error=ConfigError)
    try:
        raw = load_user_yaml(text)
    except (yaml.YAMLError, RecursionError) as exc:
        raise ConfigError(f"{path}: cannot read food-group rules: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping with schema, constants, components, splits, rules")
    try:
        book = RuleBook.model_validate(raw)
    except ValidationError as exc:
        errs = [(".".join(map(str, e["loc"])) or "(top)", e["msg"], e.get("input")) for e in exc.errors()]
        problems = [f"{path}: {loc}: {msg} (value: {_short(value)})" for loc, msg, value in errs]
        raise ConfigError(f"{path}: {len(problems)} problem(s) in food-group rules", problems) from None
    problems = _check_book(book, str(path))
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in food-group rules", problems)
    return book


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_book(book: RuleBook, path: str) -> list[str]:
    problems: list[str] = []
    if book.schema_version != 1:
        problems.append(f"{path}: schema: {book.schema_version} is unsupported; allowed: 1")
    problems += [f"{path}: constants.{c}: missing; required: {', '.join(CONSTANTS)}" for c in CONSTANTS
                 if c not in book.constants]  # fmt: skip
    ids = [c.id for c in book.components]
    problems += [f"{path}: components: id {i!r} is given twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    pseudo = book.pseudo
    for s in book.splits:
        for source, target in (*s.sources.items(), (s.to, s.to)):
            if target not in ids:
                problems.append(f"{path}: splits.{source}: {target!r} is not a component; allowed: {', '.join(ids)}")
            if source in ids and source != target:
                problems.append(f"{path}: splits.{source}: a split's source must not be a component")
    if len(set(pseudo)) != len(pseudo):
        problems.append(f"{path}: splits: a pseudo-component is split twice: {sorted(pseudo)}")
    seen: set[str] = set()
    for i, rule in enumerate(book.rules):
        at = f"{path}: rules[{i}] ({rule.id})"
        if rule.id in seen:
            problems.append(f"{at}: id {rule.id!r} is used twice; allowed: unique ids")
        seen.add(rule.id)
        problems += [f"{at}: category {c!r} is unknown; allowed: {', '.join(CATEGORIES)}"
                     for c in rule.categories if c not in CATEGORIES]  # fmt: skip
        for comp, amount in rule.gives.items():
            if comp not in ids and comp not in pseudo:
                problems.append(f"{at}: gives {comp!r}, which is neither a component nor a split; "
                                f"allowed: {', '.join([*ids, *pseudo])}")  # fmt: skip
            if amount.unit in HOUSEHOLD_UNITS and amount.unit not in rule.fallback_g:
                problems.append(f"{at}: gives {comp} per {amount.unit} but fallback_g has no {amount.unit!r} "
                                "(grams of one unit for foods without that household measure)")  # fmt: skip
        if rule.mixed and rule.gives:
            problems.append(f"{at}: a rule marked mixed gives nothing (it flags foods not decomposed)")
        for term in (*rule.words, *rule.and_words, *rule.unless):
            if normalize(term).strip() != term:
                problems.append(f"{at}: term {term!r} is not in normal form; write {normalize(term).strip()!r}")
    return problems


def load_overrides(path: str | Path | None = None, book_path: str | Path | None = None) -> dict[str, Override]:
    """Load and check the reviewed overrides (default: the bundled ``food_group_overrides.csv``; rule
    ids checked against ``book_path``, default the bundled rules); loaded once per path.

    Lines starting with ``#`` are comments (the file documents its format in them).
    """
    return _load_overrides(Path(path or OVERRIDES_FILE), Path(book_path or RULES_FILE))


@functools.lru_cache(maxsize=4)
def _load_overrides(path: Path, book_path: Path) -> dict[str, Override]:
    text = read_user_text(path, "food-group overrides file", error=ConfigError)
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(lines))
    if not rows or tuple(rows[0]) != OVERRIDE_COLUMNS:
        raise ConfigError(f"{path}: header is {rows[:1]}; allowed: {','.join(OVERRIDE_COLUMNS)}")
    rule_ids = {r.id for r in load_rules(book_path).rules}
    out: dict[str, Override] = {}
    problems: list[str] = []
    for n, row in enumerate(rows[1:], start=2):
        at = f"{path}: row {n}"
        if len(row) != len(OVERRIDE_COLUMNS):
            problems.append(f"{at}: {len(row)} fields; allowed: {len(OVERRIDE_COLUMNS)} ({','.join(OVERRIDE_COLUMNS)})")
            continue
        food, name, rule, parts_text, whole_text, note = (c.strip() for c in row)
        if not food or not name:
            problems.append(f"{at}: id and name are required (name as the table spells it)")
        if food in out:
            problems.append(f"{at}: id {food!r} is given twice")
        if rule and rule not in rule_ids:
            problems.append(f"{at}: rule {rule!r} is unknown; allowed: a rule id of the rules file")
        parts, bad = _parse_parts(parts_text)
        if bad:
            problems.append(f"{at}: parts {parts_text!r}: {bad}")
        whole = None
        if whole_text:
            try:
                whole = float(whole_text)
            except ValueError:
                whole = -1.0
            if not 0 <= whole <= 1:
                problems.append(f"{at}: whole_share {whole_text!r} is not a number from 0 to 1")
        if sum(bool(x) for x in (rule, parts, whole_text)) == 0:
            problems.append(f"{at}: give a rule, parts or a whole_share")
        if rule and parts:
            problems.append(f"{at}: give a rule or parts, not both")
        if not note:
            problems.append(f"{at}: note is required (why the rules are overridden)")
        out[food] = Override(food, name, rule, parts, whole, note)
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in food-group overrides", problems)
    return out


def _parse_parts(text: str) -> tuple[tuple[tuple[str, float], ...], str]:
    """``"16057*0.6 + 12166*0.15"`` -> ((id, share), ...) and a problem ("" for none)."""
    if not text:
        return (), ""
    parts = []
    for piece in text.split("+"):
        m = re.fullmatch(r"\s*([^*\s]+)\s*\*\s*([0-9.]+)\s*", piece)
        if not m:
            return (), f"{piece.strip()!r} is not food_id*share"
        share = float(m[2])
        if not 0 < share <= 1:
            return (), f"share {m[2]} of {m[1]} is not in (0, 1]"
        parts.append((m[1], share))
    if sum(s for _, s in parts) > 1.0 + 1e-9:
        return (), "shares add up to more than 1 (they are grams of each part per gram of the food)"
    return tuple(parts), ""
