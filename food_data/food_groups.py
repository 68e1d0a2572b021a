"""Food-pattern equivalents (FPED-like) of every food of a table, per 100 g (issue 25).

SR24 carries no food-group equivalents, so they are derived: the first rule of
``data/food_group_rules.yaml`` whose conditions a food meets gives its amounts (cup-eq of fruit and
vegetables by subgroup, oz-eq of grains and protein foods, cup-eq of dairy, tsp-eq of added sugars,
grams of oils), then the reviewed overrides of ``data/food_group_overrides.csv`` correct the foods a
plan can show. Every amount is per 100 g of the food, so a plan's totals are linear in grams.

The equivalents are computed once per table and kept with it (``Rows.derived``): a planner asking
for a subset pays an indexing, not a derivation. A user's table (``--foods``) gets them by the rules
alone (an override applies only where the table's food has the override's id and name).
"""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from mealplan.food_data.food_group_rules import (
    WEIGHT_UNITS,
    Amount,
    Component,
    Override,
    Rule,
    RuleBook,
    load_overrides,
    load_rules,
    normalize,
)
from mealplan.food_data.table import FoodTable, Rows

log = logging.getLogger(__name__)

UNMATCHED = "unmatched"  # the basis of a food no rule takes: all amounts 0
_DERIVED_KEY = ("food_groups",)
_BASIS_KEY = ("food_group_basis",)
# Household measures left out when a food's grams per cup are read: a mashed banana or ground almonds
# pack more grams into a cup than the food as eaten, and "cup, dry, yields" is the cooked weight of a
# cup of the dry food (SR24 gives several cup measures for many foods).
_NOT_AS_EATEN = re.compile(r"mash|pure|crush|ground|melt|crumb|\bdry\b|yield|uncooked|unprepared")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s+(.*)$")


def components() -> tuple[Component, ...]:
    """The components, in the order of the equivalents array's columns."""
    return load_rules().components


def component_ids() -> tuple[str, ...]:
    """Component ids, in the order of the equivalents array's columns."""
    return load_rules().ids


def food_groups(table: FoodTable) -> tuple[tuple[str, ...], np.ndarray]:
    """The equivalents of every food of ``table``: (component ids, array n_foods x n_components).

    Row i is food ``table.rows.ids[i]``; amounts are per 100 g (cup-eq, oz-eq, tsp-eq or g, as
    :func:`components` says). Computed once per table and kept with it.
    """
    values = table.rows.derived(_DERIVED_KEY, lambda whole: derive(whole, table.measures_of)[0])
    return component_ids(), values


def groups_of(table: FoodTable, ids: Iterable[str]) -> np.ndarray:
    """The equivalents of the foods with these ids, in this order (n x n_components, per 100 g).

    Raises:
        KeyError: for an id not in the table.
    """
    _, values = food_groups(table)
    return values[table.rows.positions(ids)]


def food_group_basis(table: FoodTable) -> np.ndarray:
    """How each food of ``table`` got its equivalents: a rule id, ``override: ...`` or ``unmatched``
    (with " (sugars unknown)" where added sugars were left at 0 for want of a sugars value)."""
    return table.rows.derived(_BASIS_KEY, lambda whole: derive(whole, table.measures_of)[1])


def totals(table: FoodTable, grams: Mapping[str, float]) -> dict[str, float]:
    """Food-group totals of amounts of foods (food id -> grams eaten): component id -> amount."""
    ids = list(grams)
    eq = groups_of(table, ids)
    weights = np.array([grams[i] for i in ids], dtype=float) / 100.0
    return dict(zip(component_ids(), (weights @ eq).tolist(), strict=True))


# --- derivation ------------------------------------------------------------------------------------


def derive(
    rows: Rows,
    measures_of: Callable[[str], list[tuple[str, float]]],
    book: RuleBook | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Equivalents (n x n_components, per 100 g) and basis (n strings) of every food in ``rows``.

    Args:
        rows: The foods (a table's ``rows``): columns ``name`` and, where present, ``category``,
            ``usda_group`` and the nutrients the rules read (fat, carbohydrate, sugars, protein, ...).
        measures_of: A food's household measures as (name, grams) pairs (``FoodTable.measures_of``).
        book: The rules (default: the bundled rules file).
        overrides: Reviewed overrides by food id (default: the bundled overrides file).
    """
    book = book or load_rules()
    overrides = load_overrides() if overrides is None else overrides
    foods = _Foods(rows, measures_of)
    columns = [*book.ids, *book.pseudo]
    at = {c: i for i, c in enumerate(columns)}
    work = np.zeros((len(foods), len(columns)))
    basis = np.full(len(foods), UNMATCHED, dtype=object)
    todo = np.ones(len(foods), dtype=bool)
    for rule in book.rules:
        chosen = _matching(rule, foods, todo)
        if chosen.size:
            _apply(rule, chosen, foods, work, at, book)
            basis[chosen] = "mixed: not decomposed" if rule.mixed else rule.id
            todo[chosen] = False
    applied = _applicable(overrides, foods)
    for i, o in applied:
        if o.rule:
            work[i] = 0.0
            _apply(book.rule(o.rule), np.array([i]), foods, work, at, book)
            basis[i] = f"override: rule {o.rule}"
    whole = {i: o.whole_share for i, o in applied if o.whole_share is not None}
    values = _split(work, book, foods, at, whole)
    for i, o in applied:
        if o.whole_share is not None and not o.rule:
            basis[i] = f"{basis[i]}; override: whole_share {o.whole_share:g}"
    _decompose(values, basis, applied, foods)
    sugars = foods.nutrient("sugars", missing=np.nan)
    gave_sugar = work[:, at["added_sugars"]] > 0
    unknown = np.isnan(sugars) & ~gave_sugar & _rules_with_sugar(book, basis)
    basis[unknown] = [f"{b} (sugars unknown)" for b in basis[unknown]]
    return values, basis


class _Foods:
    """The columns the rules read, for all foods of a ``Rows`` (names normalized once)."""

    def __init__(self, rows: Rows, measures_of: Callable[[str], list[tuple[str, float]]]) -> None:
        self.rows = rows
        self.ids = rows.index
        self.names = [normalize(str(n)) for n in rows["name"].tolist()]
        # Which foods have each word in their name: a term is looked up, not searched for in every
        # name (a 100,000-food user table meets some 300 term lists).
        postings: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            for word in set(name.split()):
                postings.setdefault(word, []).append(i)
        self._postings = {w: np.array(p, dtype=np.intp) for w, p in postings.items()}
        self._named: dict[tuple[str, ...], np.ndarray] = {}
        self.groups = _text_column(rows, "usda_group")
        self._codes: dict[str, tuple[np.ndarray, dict[str, int]]] = {}
        self.measures_of = measures_of
        self._nutrients: dict[str, np.ndarray] = {}
        self.raw_names = [str(n) for n in rows["name"].tolist()]

    def __len__(self) -> int:
        return len(self.ids)

    def named(self, terms: tuple[str, ...]) -> np.ndarray:
        """Which foods' names hold any of these terms (in normal form) as whole words."""
        if terms not in self._named:
            mask = np.zeros(len(self), dtype=bool)
            for term in terms:
                words = term.split()
                rarest = min(words, key=lambda w: len(self._postings.get(w, ())))
                found = self._postings.get(rarest, np.zeros(0, dtype=np.intp))
                if len(words) > 1:  # a phrase: its words in this order, next to each other
                    found = np.array([i for i in found.tolist() if f" {term} " in self.names[i]], dtype=np.intp)
                mask[found] = True
            self._named[terms] = mask
        return self._named[terms]

    def among(self, column: str, values: Iterable[str]) -> np.ndarray:
        """Which foods' text ``column`` (category, usda_group) is one of ``values``."""
        if column not in self._codes:
            text = self.groups if column == "usda_group" else _text_column(self.rows, column)
            index: dict[str, int] = {}
            codes = np.array([index.setdefault(v, len(index)) for v in text], dtype=np.intp)
            self._codes[column] = (codes, index)
        codes, index = self._codes[column]
        return np.isin(codes, [index[v] for v in values if v in index])

    def nutrient(self, column: str, missing: float = 0.0) -> np.ndarray:
        """A nutrient column as floats, unknown values as ``missing`` (0: a food whose fat is unknown
        gives no oil)."""
        if column not in self._nutrients:
            raw = self.rows[column] if column in self.rows else np.full(len(self), np.nan)
            self._nutrients[column] = np.asarray(raw, dtype=float)
        values = self._nutrients[column]
        return np.where(np.isnan(values), missing, values)

    def grams_per(self, i: int, unit: str) -> float | None:
        """Grams of one household ``unit`` (cup, tbsp, large) of food i from its measures, or None."""
        found: list[tuple[float, str]] = []
        for name, grams in self.measures_of(self.ids[i]):
            m = _NUMBER.match(name.strip())
            amount, rest = (float(m[1]), m[2]) if m else (1.0, name.strip())
            word = re.split(r"[\s,(]", rest, maxsplit=1)[0]
            if word == unit and amount > 0 and grams > 0:
                found.append((grams / amount, rest))
        values = [g for g, rest in found if not _NOT_AS_EATEN.search(rest)]
        return statistics.median(values) if values else None


def _text_column(rows: Rows, column: str) -> list[str]:
    if column not in rows:
        return [""] * len(rows)
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in rows[column].tolist()]


def _matching(rule: Rule, foods: _Foods, todo: np.ndarray) -> np.ndarray:
    """Positions of the foods still without a rule that meet all of ``rule``'s conditions."""
    mask = todo.copy()
    if rule.categories:
        mask &= foods.among("category", rule.categories)
    if rule.groups:
        mask &= foods.among("usda_group", rule.groups)
    for column, low in rule.min.items():
        mask &= foods.nutrient(column, missing=-np.inf) >= low
    for column, high in rule.max.items():
        mask &= foods.nutrient(column, missing=np.inf) <= high
    if rule.words:
        mask &= foods.named(rule.words)
    if rule.and_words:
        mask &= foods.named(rule.and_words)
    if rule.unless:
        mask &= ~foods.named(rule.unless)
    return np.flatnonzero(mask)


def _apply(rule: Rule, chosen: np.ndarray, foods: _Foods, work: np.ndarray, at: Mapping[str, int],
           book: RuleBook) -> None:  # fmt: skip
    """Write the amounts ``rule`` gives the ``chosen`` foods into ``work`` (per 100 g)."""
    for comp, amount in rule.gives.items():
        work[chosen, at[comp]] = _amounts(amount, rule, chosen, foods, book)
    if rule.added_sugars is not None:
        s = rule.added_sugars
        sugars = foods.nutrient("sugars")[chosen]
        protein = foods.nutrient("protein")[chosen]
        grams = np.maximum(0.0, s.share * sugars - s.per_protein * protein - s.minus)
        work[chosen, at["added_sugars"]] = grams / book.constants["added_sugar_g_per_tsp"]


def _amounts(amount: Amount, rule: Rule, chosen: np.ndarray, foods: _Foods, book: RuleBook) -> np.ndarray:
    """Units of a component in 100 g of each chosen food."""
    if amount.fat is not None:
        return amount.share * amount.fat * foods.nutrient("fat")[chosen]
    if amount.carbs is not None:
        nonsugar = foods.nutrient("carbohydrate")[chosen] - foods.nutrient("sugars")[chosen]
        return amount.share * np.maximum(0.0, nonsugar) / amount.carbs
    if amount.protein is not None:
        return amount.share * foods.nutrient("protein")[chosen] / amount.protein
    unit = str(amount.unit)
    if unit in WEIGHT_UNITS:
        grams = np.full(chosen.size, book.constants["grams_per_oz"] if unit == "oz" else 1.0)
    else:
        per_food = [foods.grams_per(i, unit) for i in chosen.tolist()]
        grams = np.array([rule.fallback_g[unit] if g is None else g for g in per_food])
    eaten = np.full(chosen.size, 100.0)
    if amount.excess_fat_over is not None:  # fat beyond a lean cut's is solid fat, not meat (FPED)
        eaten -= np.maximum(0.0, foods.nutrient("fat")[chosen] - amount.excess_fat_over)
    return amount.share * eaten / (float(amount.per or 1.0) * grams)


def _split(work: np.ndarray, book: RuleBook, foods: _Foods, at: Mapping[str, int],
           whole: Mapping[int, float]) -> np.ndarray:  # fmt: skip
    """The final components: each split's pseudo-component shared out by name (``whole``: reviewed
    whole-grain shares by food position, for the split into grain_whole)."""
    values = work[:, : len(book.ids)].copy()
    for split in book.splits:
        share = np.full(len(foods), split.default)
        for entry in reversed(split.shares):  # the first entry that matches decides
            hit = foods.named(entry.words) if entry.words else np.zeros(len(foods), dtype=bool)
            if entry.groups:
                hit |= foods.among("usda_group", entry.groups)
            share[hit] = entry.share
        if split.to == "grain_whole":
            for i, w in whole.items():
                share[i] = w
        for pseudo, rest in split.sources.items():
            source = work[:, at[pseudo]]
            values[:, at[split.to]] += share * source
            values[:, at[rest]] += (1.0 - share) * source
    return values


def _applicable(overrides: Mapping[str, Override], foods: _Foods) -> list[tuple[int, Override]]:
    """The overrides whose food is in the table under the same name, with its position."""
    where = {f: i for i, f in enumerate(foods.ids)}
    out = []
    for food, o in overrides.items():
        i = where.get(food)
        if i is None:
            continue
        if foods.raw_names[i] != o.name:
            log.info("food-group override for %s skipped: the table calls it %r, the override %r",
                     food, foods.raw_names[i], o.name)  # fmt: skip
            continue
        out.append((i, o))
    return out


def _decompose(values: np.ndarray, basis: np.ndarray, applied: Sequence[tuple[int, Override]], foods: _Foods) -> None:
    """Foods overridden by ``parts``: the weighted sum of their parts' equivalents (parts as derived
    before any decomposition, so the result does not depend on the order of the overrides)."""
    where = {f: i for i, f in enumerate(foods.ids)}
    before = values.copy()
    for i, o in applied:
        if not o.parts:
            continue
        missing = [p for p, _ in o.parts if p not in where]
        if missing:
            log.info("food-group override for %s skipped: parts %s are not in the table", o.id, missing)
            continue
        values[i] = sum(share * before[where[p]] for p, share in o.parts)
        basis[i] = "override: parts " + " + ".join(f"{p}*{s:g}" for p, s in o.parts)


def _rules_with_sugar(book: RuleBook, basis: np.ndarray) -> np.ndarray:
    """Which foods' basis is a rule that derives added sugars (so unknown sugars matter)."""
    with_sugar = {r.id for r in book.rules if r.added_sugars is not None}
    return np.array([b in with_sugar or b.removeprefix("override: rule ") in with_sugar for b in basis.tolist()],
                    dtype=bool)  # fmt: skip
