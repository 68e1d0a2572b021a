"""Life-stage food safety as data: the foods pregnancy or breastfeeding keep out of a plan, and why.

``food_data/data/safety.yaml`` holds the rules (checked at load); ``safety_rules(stage)`` returns the
ones for a life stage and ``unsafe(rules, name, category)`` the first reason a food is out. The
planner applies them to every ingredient, pattern food and suggestion; the verifier re-checks them
from the rules recorded in the plan.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mealplan.errors import ConfigError
from mealplan.fileio import read_user_text

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
        if self.unless and re.search(self.unless, name, re.I):
            return False
        return re.search(self.match, name, re.I) is not None


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
