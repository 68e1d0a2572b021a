"""Meal slots: which meals (breakfast, lunch, dinner, snack) each food suits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mealplan.food_data.curation.classify import VEG
from mealplan.food_data.curation.rules import rules
from mealplan.food_data.curation.tokens import Tokens
from mealplan.food_data.vocab import SLOTS


def slots(tok: Tokens, kind: np.ndarray, cat: dict[str, np.ndarray]) -> np.ndarray:
    """ ";"-joined meal slots: the kind's slots plus word-based additions."""
    kinds = rules().kinds
    table = {k: [s in kinds[k].slots for s in SLOTS] for k in kinds}
    codes = pd.Index(list(kinds)).get_indexer(pd.Index(kind))
    flags = np.array([table[k] for k in kinds], dtype=bool)[codes]
    b, lunch, dinner, snack = (SLOTS.index(s) for s in ("breakfast", "lunch", "dinner", "snack"))
    W = rules().words
    has = tok.has
    morning_kinds = np.isin(kind, rules().kind_lists["morning"])
    flags[:, b] |= has(W["breakfast_foods"]) & morning_kinds & ~has(W["soups"])
    flags[:, b] |= (kind == "mixed") & has(W["breakfast_dishes"])
    raw_snack = cat[VEG] & has(W["named_raw"]) & has(W["snack_vegetables"])
    flags[:, snack] |= raw_snack | has(W["snack_foods"])
    flags[:, snack] |= (kind == "bread") & has(W["snack_breads"])
    pancake = (kind == "bread") & has(W["pancakes"])
    flags[pancake, lunch] = False
    flags[pancake, dinner] = False
    seeds = (kind == "nuts") & has(W["seeds"])
    flags[:, lunch] |= (kind == "yogurt") | seeds
    flags[:, dinner] |= seeds
    joined = np.full(len(kind), "", dtype=object)
    for i, slot in enumerate(SLOTS):
        joined = joined + np.where(flags[:, i], slot + ";", "")
    return np.array([s[:-1] for s in joined.tolist()], dtype=object)
