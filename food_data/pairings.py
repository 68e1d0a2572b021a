"""Pairings: which foods of the meal-pattern pools may share a pattern meal, as data (issue 25, point 4).

``data/pairings.yaml`` tags pool foods (by food patterns, planner categories or listed ids) and states
rules over the tags: pairs never in one meal, tags not allowed at a meal kind, tags that need a
partner, and cuisines that must agree. :func:`pairing_rules` turns them into rules over food ids the
day model can state directly (see :class:`PairingRules`). Pure data: no solver, no printing.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, field_validator

from mealplan.errors import ConfigError
from mealplan.food_data.food_refs import FoodSet, StrictModel, check_slots, read_yaml, ref_problems, validate
from mealplan.food_data.patterns import PatternFood, PatternLibrary, load_patterns
from mealplan.food_data.table import DATA_DIR, FoodTable

PAIRINGS_FILE = DATA_DIR / "pairings.yaml"
WHAT = "pairings file"


class NeverRule(StrictModel):
    tags: tuple[str, str]
    why: str = Field(min_length=1)


class NotAtRule(StrictModel):
    tag: str
    meals: list[str] = Field(min_length=1)
    why: str = Field(min_length=1)

    _meals = field_validator("meals")(check_slots)


class NeedsRule(StrictModel):
    tag: str
    any_of: list[str] = Field(min_length=1)
    why: str = Field(min_length=1)


class CuisineRule(StrictModel):
    tags: list[str] = Field(min_length=2)
    why: str = Field(min_length=1)


class PairingFile(StrictModel):
    """The pairings file as written (its header documents each field)."""

    schema_version: int = Field(alias="schema")
    tags: dict[str, FoodSet] = Field(min_length=1)
    never_together: list[NeverRule] = []
    not_at: list[NotAtRule] = []
    needs: list[NeedsRule] = []
    cuisines: CuisineRule | None = None

    def used_tags(self) -> set[str]:
        """Every tag a rule names."""
        used = {t for r in self.never_together for t in r.tags} | {r.tag for r in self.not_at}
        used |= {r.tag for r in self.needs} | {t for r in self.needs for t in r.any_of}
        return used | set(self.cuisines.tags if self.cuisines else ())


@functools.lru_cache(maxsize=4)
def load_pairings(path: str | Path | None = None) -> PairingFile:
    """The pairings file (default: the bundled one), checked: schema, fields, tags the rules name.

    Raises:
        ConfigError: listing every problem (field, the bad value and what is allowed).
    """
    path = path or PAIRINGS_FILE
    raw = read_yaml(path, WHAT)
    doc: PairingFile = validate(PairingFile, raw, path, WHAT)
    problems = []
    if doc.schema_version != 1:
        problems.append(f"{path}: schema: {doc.schema_version} is unsupported; allowed: 1")
    problems += [
        f"{path}: tags.{t}: names no foods; allowed: ids, foods or categories" for t, s in doc.tags.items() if s.empty
    ]
    for t in sorted(doc.used_tags() - set(doc.tags)):
        problems.append(f"{path}: a rule names the tag {t!r}, which is not defined; allowed: {', '.join(doc.tags)}")
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in the {WHAT}", problems)
    return doc


def check_pairings(table: FoodTable, pool_food_ids: Iterable[str], path: str | Path | None = None) -> list[str]:
    """Problems of the pairings file against the bundled table and pools: listed ids it lacks or names
    otherwise, tags no pool food carries, tags no rule uses."""
    doc = load_pairings(path)
    where = str(path or PAIRINGS_FILE)
    pool = list(pool_food_ids)
    out = []
    for tag, spec in doc.tags.items():
        out += ref_problems(spec.ids, table, f"{where}: tags.{tag}.ids")
        if not spec.members(table, pool):
            out.append(f"{where}: tags.{tag}: no food of the meal-pattern pools carries it")
    out += [f"{where}: tags.{t}: no rule uses it" for t in sorted(set(doc.tags) - doc.used_tags())]
    return out


@dataclass(frozen=True)
class PairingRules:
    """Pairing rules over food ids, for pattern meals (dishes and drinks are not subject to them).

    Attributes:
        never_together: food-id pairs (a < b) never in one meal: ``y[a,s] + y[b,s] <= 1``.
        why: the reason of each pair (the first rule that forbids it).
        not_at: food id -> meal kinds (breakfast, lunch, dinner, snack) whose pattern meals never hold it.
        needs: food id -> the foods one of which must be in the same meal: ``y[a,s] <= sum(y[b,s])``
            (empty: the food never fits a pattern meal).
        tags: tag -> its food ids among the pool foods (for explanations and reviews).
    """

    never_together: tuple[tuple[str, str], ...]
    why: dict[tuple[str, str], str] = field(repr=False)
    not_at: dict[str, frozenset[str]]
    needs: dict[str, frozenset[str]]
    tags: dict[str, frozenset[str]] = field(repr=False)

    def violations(self, food_ids: Iterable[str], kind: str) -> list[str]:
        """Why a pattern meal of these foods at a meal of this kind breaks the rules ([]: it keeps them)."""
        foods = sorted(set(food_ids))
        out = [f"{f} not at {kind}" for f in foods if kind in self.not_at.get(f, ())]
        never = set(self.never_together)
        out += [f"{a} with {b}: {self.why[(a, b)]}" for a, b in itertools.combinations(foods, 2) if (a, b) in never]
        out += [
            f"{f} needs one of {len(self.needs[f])} foods"
            for f in foods
            if f in self.needs and not self.needs[f] & set(foods)
        ]
        return out

    def allows(self, food_ids: Iterable[str], kind: str) -> bool:
        """Whether a pattern meal of these foods at a meal of this kind keeps every rule."""
        return not self.violations(food_ids, kind)


def pairing_rules(
    pool_foods: Mapping[str, PatternFood] | Iterable[str],
    table: FoodTable,
    *,
    library: PatternLibrary | None = None,
    path: str | Path | None = None,
) -> PairingRules:
    """The pairing rules over the given pool foods.

    Args:
        pool_foods: the pool foods (``load_pattern_foods``), or just their ids. With ``PatternFood``
            values, pairs that no pattern could put in one meal anyway (two foods of a one-food role,
            or foods kept from every meal kind the pattern serves) are left out.
        table: the food table (tags by pattern read its names and categories).
        library: the meal patterns (default: the bundled ones), used with ``PatternFood`` values.
        path: a pairings file (default: the bundled one).
    """
    doc = load_pairings(path)
    ids = list(pool_foods)
    tags = {t: frozenset(spec.members(table, ids)) for t, spec in doc.tags.items()}
    not_at: dict[str, set[str]] = {}
    for rule in doc.not_at:
        for f in tags[rule.tag]:
            not_at.setdefault(f, set()).update(rule.meals)
    why: dict[tuple[str, str], str] = {}
    for pair in doc.never_together:
        a_tag, b_tag = pair.tags
        for a, b in itertools.product(sorted(tags[a_tag]), sorted(tags[b_tag])):
            if a != b:
                why.setdefault((min(a, b), max(a, b)), pair.why)
    if doc.cuisines is not None:
        _cuisine_pairs(doc.cuisines, tags, why)
    needs = {f: frozenset().union(*(tags[t] for t in r.any_of)) - {f} for r in doc.needs for f in tags[r.tag]}
    frozen_not_at = {f: frozenset(k) for f, k in not_at.items()}
    if isinstance(pool_foods, Mapping):
        together = _together(pool_foods, library or load_patterns(), frozen_not_at)
        why = {pair: reason for pair, reason in why.items() if together(*pair)}
    return PairingRules(tuple(sorted(why)), why, frozen_not_at, needs, tags)


def _cuisine_pairs(rule: CuisineRule, tags: dict[str, frozenset[str]], why: dict[tuple[str, str], str]) -> None:
    """Pairs of foods whose cuisines (both given) share none, into ``why``."""
    cuisines: dict[str, set[str]] = {}
    for cuisine in rule.tags:
        for f in tags[cuisine]:
            cuisines.setdefault(f, set()).add(cuisine)
    for a, b in itertools.combinations(sorted(cuisines), 2):
        if not cuisines[a] & cuisines[b]:
            names = f"{'/'.join(sorted(cuisines[a]))} and {'/'.join(sorted(cuisines[b]))}"
            why.setdefault((a, b), f"{names}: {rule.why}")


def _together(
    pool_foods: Mapping[str, PatternFood], library: PatternLibrary, not_at: Mapping[str, frozenset[str]]
) -> Callable[[str, str], bool]:
    """A test: can some pattern put foods a and b in one meal of a kind both may be at?"""
    shared: dict[tuple[str, str], set[str]] = {}  # (pool, pool) -> meal kinds where a pattern holds both
    for pattern in library.patterns:
        roles = list(pattern.components.values())
        for i, r1 in enumerate(roles):
            for j, r2 in enumerate(roles):
                if i < j or (i == j and r1.count[1] >= 2):
                    for p1, p2 in itertools.product(r1.pools, r2.pools):
                        shared.setdefault((p1, p2), set()).update(pattern.slots)
                        shared.setdefault((p2, p1), set()).update(pattern.slots)

    def together(a: str, b: str) -> bool:
        kinds = shared.get((pool_foods[a].component, pool_foods[b].component), set())
        return bool(kinds - not_at.get(a, frozenset()) - not_at.get(b, frozenset()))

    return together
