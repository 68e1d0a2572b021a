"""Household measures as arithmetic: how many grams a piece, a pack, a cup or a named measure of a food
holds, from the food table's household measures (``FoodTable.measures_of``: ``(text, grams)`` pairs).

The shopping list words what to buy with them (``report.purchase``), and a pantry reads amounts given in
pieces, packs or cups with them (``targets.pantry``): one definition for both.
"""

from __future__ import annotations

import re

from mealplan.food_data.household import FRACTION_VALUES
from mealplan.food_data.purchase import Pack

SIZE_WORDS = ("medium", "large", "small", "extra large", "jumbo", "whole", "fruit")


def unit_measure(measures: list[tuple[str, float]], noun: str) -> tuple[str, float] | None:
    """Find a whole-piece measure: ``medium (7" long)``, ``potato medium (...)``, ``avocado, NS as to...``."""
    found: dict[str, float] = {}
    nouns = (noun, noun.replace(" ", ""))
    for text, grams in measures:
        if grams <= 0:
            continue
        t = re.sub(r"\s*\(.*?\)", "", text.lower()).strip().rstrip(",")
        for n in nouns:
            if t.startswith(n):
                rest = t[len(n) :].strip(" ,")
                t = rest if rest in SIZE_WORDS else "whole"
                break
        if t in SIZE_WORDS:
            found.setdefault(t, float(grams))
    order = ("large", "medium") if noun == "egg" else ("medium", "whole", "fruit", "large")
    for size in (*order, "small", "extra large", "jumbo", "whole", "fruit"):
        if size in found:
            return size, found[size]
    return None


def serving_unit(serving_name: str, serving_g: float) -> tuple[str, float] | None:
    """A whole-piece unit from a serving such as ``"1 medium"``, ``"2 large"`` or ``"½ fruit"``."""
    m = re.match(r"^\s*(\d+(?:\.\d+)?|[½¼¾⅓⅔])\s+(medium|large|small|whole|fruit|egg)\b", serving_name.lower())
    if not m or serving_g <= 0:
        return None
    amount = FRACTION_VALUES.get(m.group(1)) or float(m.group(1))
    if amount <= 0:
        return None
    return m.group(2), serving_g / amount


# Household measures of volume, in mL: a food's density is its grams for one of them.
VOLUMES = {"cup": 236.59, "fl oz": 29.574, "tbsp": 14.787, "tablespoon": 14.787, "tsp": 4.929, "quart": 946.35}


def grams_per_ml(measures: list[tuple[str, float]]) -> float:
    """A food's density from its cup, fluid-ounce, tablespoon or teaspoon measure; 1 g per mL without one."""
    for text, grams in measures:
        m = re.fullmatch(r"(\d+(?:\.\d+)?\s+)?(cup|fl oz|tbsp|tablespoon|tsp|quart)s?", text.strip().lower())
        if m and grams > 0:
            return float(grams) / (float(m.group(1) or 1) * VOLUMES[m.group(2)])
    return 1.0


def piece_grams(measures: list[tuple[str, float]], piece: str) -> float | None:
    """Grams of one piece (a bagel, a tortilla, a packet) from the household measures naming it:
    "medium bagel (3-1/2" to 4" dia)" before other sizes; "2 tortillas" is divided by 2."""
    found = []
    for text, grams in measures:
        t = re.sub(r"\s*\(.*?\)", "", text.lower())
        if grams > 0 and re.search(rf"\b{re.escape(piece)}(s|es)?\b", t):
            m = re.match(r"^(\d+(?:\.\d+)?)\s", t)
            found.append((0 if "medium" in t else 1, float(grams) / (float(m.group(1)) if m else 1.0)))
    return min(found)[1] if found else None


def measure_named(measures: list[tuple[str, float]], word: str) -> float | None:
    """Grams of the measure named ``word`` ("head", "lime yields"), the medium one where sizes are given."""
    named = [(t.lower(), float(g)) for t, g in measures if g > 0 and re.match(rf"^{re.escape(word)}\b", t.lower())]
    return next((g for t, g in named if "medium" in t), named[0][1] if named else None)


def pack_grams(pack: Pack, measures: list[tuple[str, float]]) -> float | None:
    """Grams of the food one pack holds; None when the food's measures cannot say (pieces, heads)."""
    if pack.unit == "each":
        piece = piece_grams(measures, pack.piece)
        return pack.size * piece if piece and pack.size else None
    if pack.size is None:
        return measure_named(measures, pack.pack)
    return pack.size * grams_per_ml(measures) if pack.unit == "mL" else pack.size
