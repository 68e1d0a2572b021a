"""Serving kinds: what kind of serving each food comes in (a cup of milk, an ounce of nuts...).

The kinds and the rules that assign them are data (``food_data/data/curation_servings.yaml``): the
first rule that holds for a food decides, by category, name words, USDA group and energy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mealplan.food_data.curation.as_eaten import spice_rows
from mealplan.food_data.curation.classify import Groups, Names
from mealplan.food_data.curation.rules import KindRule, rules
from mealplan.food_data.curation.tokens import Tokens
from mealplan.food_data.vocab import CATEGORIES


def kinds(tok: Tokens, names: Names, groups: Groups, energy: np.ndarray) -> np.ndarray:
    """The serving kind of each food (a key of the kinds table), by the first kind rule that holds."""
    cat = {c: names.category == c for c in CATEGORIES}
    kind = np.full(tok.n, "other", dtype=object)
    done = np.zeros(tok.n, dtype=bool)
    for rule in rules().kind_rules:
        new = _holds(rule, tok, cat, groups, energy) & ~done
        kind[new] = rule.kind
        done |= new
    return kind


def _holds(rule: KindRule, tok: Tokens, cat: dict[str, np.ndarray], groups: Groups, energy: np.ndarray) -> np.ndarray:
    words = rules().words
    mask = np.logical_or.reduce([cat[c] for c in rule.categories])
    if rule.spice:
        mask = mask & spice_rows(tok, groups)
    named = frozenset(rule.words).union(*(words[n] for n in rule.lists))
    if named or rule.group:
        hit = tok.has(named) if named else np.zeros(tok.n, dtype=bool)
        if rule.group:
            hit = hit | groups.is_(rule.group)
        mask = mask & hit
    if rule.also:
        mask = mask & tok.has(frozenset(rule.also))
    if rule.unless:
        mask = mask & ~tok.has(frozenset(rule.unless))
    if rule.energy_below is not None:
        mask = mask & (energy < rule.energy_below)
    return mask


def max_g(tok: Tokens, kind: np.ndarray, serving_g: np.ndarray) -> np.ndarray:
    """Realistic maximum per day of each food, grams: the kind's, then the ``daily_max`` rules in order
    (coffee and tea drinks set, brined foods capped); never below the food's serving."""
    r = rules()
    codes = pd.Index(list(r.kinds)).get_indexer(pd.Index(kind))
    max_g = np.array([r.kinds[k].max_g for k in r.kinds], dtype=float)[codes]
    for rule in r.daily_max:
        hit = tok.has(r.words[rule.words])
        if rule.kind is not None:
            hit = hit & (kind == rule.kind)
        if rule.set_g is not None:
            max_g = np.where(hit, rule.set_g, max_g)
        elif rule.cap_g is not None:  # the rule's one bound (checked when the rules are read)
            max_g = np.where(hit, np.minimum(max_g, rule.cap_g), max_g)
    return np.maximum(max_g, serving_g)
