"""Food safety as data: the foods a life stage, a young child's age or a medicine or condition keeps
out of a plan, and why.

``food_data/data/safety.yaml`` holds the rules (checked at load). A rule is for one kind of person:
a life stage (``stage``: pregnancy, breastfeeding), children under an age (``age_under``: choking
hazards under 4, high-mercury fish under 12) or people with a risk factor (``factors``: warfarin,
bariatric surgery). ``safety_rules(pregnant, lactating, age=, factors=)`` returns the rules for a
person and ``unsafe(rules, name, category)`` the first reason a food is out (``unsafe_rules(rules,
names, categories)`` for a whole table at once). A rule may name USDA food groups
(``usda_groups``: "Sausages and Luncheon Meats"): a caller that knows the foods' groups passes them,
otherwise the group of a bundled SR24 food is looked up by its name. The planner applies the rules
to every ingredient, pattern food and suggestion; the verifier re-checks them from the rules
recorded in the plan.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mealplan.errors import ConfigError
from mealplan.fileio import read_user_text
from mealplan.food_data.matching import NameIndex

SAFETY_FILE = Path(__file__).parent / "data" / "safety.yaml"
Stage = Literal["pregnant", "lactating"]


class SafetyRule(BaseModel):
    """Foods kept out for one kind of person, with the reason said to the person and its guidance.

    Who: exactly one of ``stage`` (pregnant, lactating), ``age_under`` (children younger than this
    many years) or ``factors`` (triage risk-factor ids such as ``vitamin-k-antagonist``). Which foods:
    those whose name matches ``match`` (any name when None) and not ``unless``, whose planner
    category is one of ``categories`` and whose USDA food group is one of ``usda_groups`` (each
    check only when given).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: Stage | None = None
    age_under: float | None = Field(default=None, gt=0, le=18)
    factors: list[str] = Field(default_factory=list)
    match: str | None = None
    unless: str | None = None
    categories: list[str] = Field(default_factory=list)
    usda_groups: list[str] = Field(default_factory=list)
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

    @model_validator(mode="after")
    def _one_kind_of_person(self) -> SafetyRule:
        given = [k for k, v in (("stage", self.stage), ("age_under", self.age_under), ("factors", self.factors)) if v]
        if len(given) != 1:
            raise ValueError(f"give exactly one of stage, age_under or factors (got {', '.join(given) or 'none'})")
        if self.match is None and not self.categories and not self.usda_groups:
            raise ValueError("give match, categories or usda_groups: a rule must say which foods it keeps out")
        return self

    def applies_to(self, pregnant: bool, lactating: bool, age: float | None, factors: Iterable[str]) -> bool:
        """Whether this rule is for a person of this life stage, age and risk factors."""
        if self.stage is not None:
            return (self.stage == "pregnant" and pregnant) or (self.stage == "lactating" and lactating)
        if self.age_under is not None:
            return age is not None and age < self.age_under
        return bool(set(self.factors) & set(factors))

    def hits(self, name: str, category: str, usda_group: str | None = None) -> bool:
        """Whether this rule keeps out the food with this name, category and USDA group (looked up by
        name among the bundled foods when not given)."""
        if self.categories and category not in self.categories:
            return False
        if self.usda_groups:
            group = usda_group if usda_group is not None else bundled_group(name)
            if group not in self.usda_groups:
                return False
        if self.unless and _regex(self.unless).search(name):
            return False
        return self.match is None or _regex(self.match).search(name) is not None


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


def safety_rules(
    pregnant: bool, lactating: bool, age: float | None = None, factors: Iterable[str] = ()
) -> list[SafetyRule]:
    """The rules for a person: their life stage, their age (children) and their risk factors
    (medicines and conditions, as triage ids); none for most adults."""
    factors = set(factors)
    return [r for r in load_safety() if r.applies_to(pregnant, lactating, age, factors)]


def unsafe(rules: list[SafetyRule], name: str, category: str, usda_group: str | None = None) -> str | None:
    """The first reason ``rules`` keep out this food, or None."""
    rule = unsafe_rule(rules, name, category, usda_group)
    return None if rule is None else rule.why


def unsafe_rule(rules: list[SafetyRule], name: str, category: str, usda_group: str | None = None) -> SafetyRule | None:
    """The first of ``rules`` that keeps out this food (its ``why`` and ``source``), or None."""
    return next((rule for rule in rules if rule.hits(name, category, usda_group)), None)


def unsafe_rules(
    rules: list[SafetyRule],
    names: Sequence[object],
    categories: Sequence[object],
    usda_groups: Sequence[object] | None = None,
) -> list[SafetyRule | None]:
    """:func:`unsafe_rule` of many foods at once (``usda_groups`` as in :meth:`SafetyRule.hits`).

    Each pattern is searched once in the lower-cased names joined by line breaks (28,858 names:
    0.84 s, against 1.29 s food by food, both while other work ran), and verdicts are kept per rule
    set, so the planner's second look (dish ingredients and pool foods) costs nothing.
    """
    key = tuple(r.model_dump_json() for r in rules)
    known = _VERDICTS.setdefault(key, {})
    while len(_VERDICTS) > 4:  # a process plans for a few kinds of person at most
        del _VERDICTS[next(iter(_VERDICTS))]
    if usda_groups is None:
        groups = [bundled_group(str(n)) for n in names]
    else:
        groups = [None if g is None else str(g) for g in usda_groups]
    foods = [(str(n).replace("\n", " "), str(c), g) for n, c, g in zip(names, categories, groups, strict=True)]
    new = list(dict.fromkeys(f for f in foods if f not in known))
    if new:
        found = _search(rules, [n for n, _, _ in new], [c for _, c, _ in new], [g for _, _, g in new])
        for food, index in zip(new, found, strict=True):
            known[food] = index
    return [None if known[f] < 0 else rules[known[f]] for f in foods]


# Per rule set (as data): (name, category, USDA group) -> the index of the first rule that keeps the
# food out, or -1.
_VERDICTS: dict[tuple, dict[tuple[str, str, str | None], int]] = {}


@functools.cache
def _bundled_groups() -> dict[str, str]:
    import pandas as pd

    from mealplan.food_data.table import DATA_DIR, FOODS_FILE

    foods = pd.read_csv(DATA_DIR / FOODS_FILE, usecols=["name", "usda_group"], dtype=str, keep_default_na=False)
    return dict(zip(foods["name"], foods["usda_group"], strict=True))


def bundled_group(name: str) -> str | None:
    """The USDA food group of the bundled SR24 food of this name ("Frankfurter, beef, unheated" ->
    "Sausages and Luncheon Meats"), or None for a name the bundled table does not have."""
    return _bundled_groups().get(name)


def _search(rules: list[SafetyRule], names: list[str], categories: list[str], groups: list[str | None]) -> list[int]:
    name_index = NameIndex(names)  # lower case once: re.IGNORECASE is several times slower
    cats = np.asarray(categories, dtype=object)
    usda = np.asarray(["" if g is None else g for g in groups], dtype=object)

    def lines(pattern: str) -> np.ndarray:
        hit = np.zeros(len(names), dtype=bool)
        hit[name_index.matching(_regex(_lower(pattern), re.MULTILINE, case=True))] = True
        return hit

    out = [-1] * len(names)
    for index, rule in enumerate(rules):
        hit = np.ones(len(names), dtype=bool) if rule.match is None else lines(rule.match)
        if rule.unless:
            hit &= ~lines(rule.unless)
        if rule.categories:
            hit &= np.isin(cats, rule.categories)
        if rule.usda_groups:
            hit &= np.isin(usda, rule.usda_groups)
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
