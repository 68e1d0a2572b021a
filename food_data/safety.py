"""Life-stage food safety as data: the foods pregnancy or breastfeeding keep out of a plan, and why.

``food_data/data/safety.yaml`` holds the rules (checked at load); ``safety_rules(stage)`` returns the
ones for a life stage and ``unsafe(rules, name, category)`` the first reason a food is out
(``unsafe_rules(rules, names, categories)`` for a whole table at once). The
planner applies them to every ingredient, pattern food and suggestion; the verifier re-checks them
from the rules recorded in the plan.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mealplan.errors import ConfigError
from mealplan.fileio import read_user_text
from mealplan.food_data.matching import NameIndex

SAFETY_FILE = Path(__file__).parent / "data" / "safety.yaml"
Stage = Literal["pregnant", "lactating"]


class SafetyRule(BaseModel):
    """Foods whose name matches ``match`` and not ``unless`` (and, when given, whose category is one
    of ``categories``), with the reason said to the person and the guidance it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: Stage
    match: str
    unless: str | None = None
    categories: list[str] = Field(default_factory=list)
    why: str
    source: str = ""  # required in the safety file; plans saved before it existed have none

    @field_validator("match", "unless")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return value

    def hits(self, name: str, category: str) -> bool:
        """Whether this rule keeps out the food with this name and category."""
        if self.categories and category not in self.categories:
            return False
        if self.unless and _regex(self.unless).search(name):
            return False
        return _regex(self.match).search(name) is not None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_: int = Field(alias="schema")
    rules: list[SafetyRule]

    @field_validator("rules")
    @classmethod
    def _sourced(cls, rules: list[SafetyRule]) -> list[SafetyRule]:
        missing = [i for i, r in enumerate(rules) if not r.source.strip()]
        if missing:
            raise ValueError(f"rules {missing} have no source; every rule names the guidance it follows")
        return rules


@functools.lru_cache(maxsize=4)
def load_safety(path: Path = SAFETY_FILE) -> tuple[SafetyRule, ...]:
    """Every rule of the safety file; one ``ConfigError`` listing each problem (file, rule, field)."""
    text = read_user_text(path, "food-safety file", error=ConfigError)
    try:
        doc = yaml.safe_load(text)
        return tuple(_File.model_validate(doc).rules)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: cannot read the food-safety rules: {exc}") from exc
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(f"{path}: bad food-safety rules.", problems) from None


def safety_rules(pregnant: bool, lactating: bool) -> list[SafetyRule]:
    """The rules for a person's life stage (none for most people)."""
    stages = {s for s, on in (("pregnant", pregnant), ("lactating", lactating)) if on}
    return [r for r in load_safety() if r.stage in stages]


def unsafe(rules: list[SafetyRule], name: str, category: str) -> str | None:
    """The first reason ``rules`` keep out this food, or None."""
    rule = unsafe_rule(rules, name, category)
    return None if rule is None else rule.why


def unsafe_rule(rules: list[SafetyRule], name: str, category: str) -> SafetyRule | None:
    """The first of ``rules`` that keeps out this food (its ``why`` and ``source``), or None."""
    return next((rule for rule in rules if rule.hits(name, category)), None)


def unsafe_rules(
    rules: list[SafetyRule], names: Sequence[object], categories: Sequence[object]
) -> list[SafetyRule | None]:
    """:func:`unsafe_rule` of many foods at once.

    Each pattern is searched once in the lower-cased names joined by line breaks (28,858 names:
    0.84 s, against 1.29 s food by food, both while other work ran), and verdicts are kept per rule
    set, so the planner's second look (dish ingredients and pool foods) costs nothing.
    """
    key = tuple((r.stage, r.match, r.unless, tuple(r.categories), r.why) for r in rules)
    known = _VERDICTS.setdefault(key, {})
    while len(_VERDICTS) > 4:  # a process plans for a few life stages at most
        del _VERDICTS[next(iter(_VERDICTS))]
    foods = [(str(n).replace("\n", " "), str(c)) for n, c in zip(names, categories, strict=True)]
    new = list(dict.fromkeys(f for f in foods if f not in known))
    if new:
        for food, index in zip(new, _search(rules, [n for n, _ in new], [c for _, c in new]), strict=True):
            known[food] = index
    return [None if known[f] < 0 else rules[known[f]] for f in foods]


# Per rule set (as data): (name, category) -> the index of the first rule that keeps the food out, or -1.
_VERDICTS: dict[tuple, dict[tuple[str, str], int]] = {}


def _search(rules: list[SafetyRule], names: list[str], categories: list[str]) -> list[int]:
    name_index = NameIndex(names)  # lower case once: re.IGNORECASE is several times slower
    cats = np.asarray(categories, dtype=object)

    def lines(pattern: str) -> np.ndarray:
        hit = np.zeros(len(names), dtype=bool)
        hit[name_index.matching(_regex(_lower(pattern), re.MULTILINE, case=True))] = True
        return hit

    out = [-1] * len(names)
    for index, rule in enumerate(rules):
        hit = lines(rule.match)
        if rule.unless:
            hit &= ~lines(rule.unless)
        if rule.categories:
            hit &= np.isin(cats, rule.categories)
        for i in np.flatnonzero(hit).tolist():
            if out[i] < 0:
                out[i] = index
    return out


def _lower(pattern: str) -> str:
    """``pattern`` for lower-cased text: its letters lower-cased, escapes (``\\S``, ``\\B``) kept."""
    return re.sub(r"\\.|[^\\]+", lambda m: m.group(0) if m.group(0).startswith("\\") else m.group(0).lower(), pattern)


@functools.lru_cache(maxsize=256)
def _regex(pattern: str, flags: int = 0, case: bool = False) -> re.Pattern[str]:
    return re.compile(pattern, flags if case else re.IGNORECASE | flags)
