"""Meal slots: which meals (breakfast, lunch, dinner, snack) each food suits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mealplan.food_data.curation.classify import VEG
from mealplan.food_data.curation.rules import rules
from mealplan.food_data.curation.tokens import Tokens, t
from mealplan.food_data.vocab import SLOTS


def slots(tok: Tokens, kind: np.ndarray, cat: dict[str, np.ndarray]) -> np.ndarray:
    """ ";"-joined meal slots: the kind's slots plus word-based additions."""
    kinds = rules().kinds
    table = {k: [s in kinds[k].slots for s in SLOTS] for k in kinds}
    codes = pd.Index(list(kinds)).get_indexer(kind)
    flags = np.array([table[k] for k in kinds], dtype=bool)[codes]
    b, lunch, dinner, snack = (SLOTS.index(s) for s in ("breakfast", "lunch", "dinner", "snack"))
    has = tok.has
    breakfast_words = has(
        t(
            "breakfast|bacon|sausage|sausages|ham|pancake|pancakes|waffle|waffles|"
            "french toast|bagel|bagels|english|muffin|muffins|croissant|croissants|"
            "biscuit|biscuits|hash brown|hash browns|scrambled|omelet|grits|toast|"
            "doughnut|doughnuts|danish|sweet rolls|coffeecake|cinnamon|toaster"
        )
    )
    morning_kinds = np.isin(kind, ["deli", "meat", "bread", "egg", "baked_sweet", "veg", "cereal", "hot_cereal"])
    flags[:, b] |= breakfast_words & morning_kinds & ~has(t("soup|soups|stew|chowder"))
    flags[:, b] |= (kind == "mixed") & has(t("breakfast|scrambled|omelet|pancakes|waffles|french toast"))
    raw_snack = (
        cat[VEG]
        & has(t("raw"))
        & has(
            t(
                "carrots|carrot|celery|cucumber|tomatoes|cherry|sweet|"
                "broccoli|cauliflower|radishes|snap|jicama|yambean|"
                "kohlrabi|edamame|peas edible"
            )
        )
    )
    flags[:, snack] |= raw_snack | has(t("jerky|edamame|roasted soybeans|trail mix|hummus"))
    flags[:, snack] |= (kind == "bread") & has(t("muffin|muffins|bagel|bagels|pita"))
    pancake = (kind == "bread") & has(t("pancake|pancakes|waffle|waffles|french toast"))
    flags[pancake, lunch] = False
    flags[pancake, dinner] = False
    flags[:, lunch] |= (kind == "yogurt") | (kind == "nuts") & has(t("seeds|seed"))
    flags[:, dinner] |= (kind == "nuts") & has(t("seeds|seed"))
    joined = np.full(len(kind), "", dtype=object)
    for i, slot in enumerate(SLOTS):
        joined = joined + np.where(flags[:, i], slot + ";", "")
    return np.array([s[:-1] for s in joined.tolist()], dtype=object)
