"""Household measures in words: "1⅔ cups (38 g)", "1½ × 1 medium (177 g)".

A portion's grams are exact; its household text rounds to the nearest kitchen fraction, the way a
recipe is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from mealplan.food_data.names import plural

# Kitchen fractions for household amounts: "1⅔ cup" rather than "1¼ × 1.333 cup". Eighths are read
# (plans written before) but never written: nobody measures ⅜ cup; below ¼ cup a measure is in tbsp.
FRACTIONS = ((0.0, ""), (1 / 4, "¼"), (1 / 3, "⅓"), (1 / 2, "½"), (2 / 3, "⅔"), (3 / 4, "¾"), (1.0, ""))
FRACTION_VALUES = {glyph: value for value, glyph in FRACTIONS if glyph}  # "⅔" -> 0.667
FRACTION_VALUES |= {"⅛": 1 / 8, "⅜": 3 / 8, "⅝": 5 / 8, "⅞": 7 / 8}
TBSP_PER_CUP = 16
SPOONS = frozenset({"tbsp", "tsp"})
SPOON_WORDS = {"tablespoon": "tbsp", "tablespoons": "tbsp", "teaspoon": "tsp", "teaspoons": "tsp"}
# Household units said in the plural for more than one ("2 cups"); "oz", "tbsp" and "g" never are.
PLURAL_UNITS = frozenset({"cup", "slice", "piece", "fillet", "link", "serving", "stalk", "spear"})


def amount_text(value: float) -> str:
    """``value`` as a whole number and the nearest kitchen fraction ("1⅔"): grams carry the exact amount."""
    whole = int(value)
    frac, glyph = min(FRACTIONS, key=lambda fg: abs(value - whole - fg[0]))
    if whole == 0 and frac == 0.0:
        frac, glyph = FRACTIONS[1]  # never "0 cups" for an amount that is there
    whole += frac == 1.0
    return (str(whole) if whole or not glyph else "") + glyph or "0"


# Things people count (a slice, an egg, a medium banana) are said to the nearest half; the grams
# beside them stay exact.
# A counted amount under ⅜ would be said as ½, a third or more too much: it is said in grams instead
# ("30 g yogurt", not "½ container").
COUNTED = frozenset(
    {"slice", "piece", "fillet", "link", "large", "medium", "small", "extra", "egg", "patty", "fruit", "container"}
)
COUNTED_MIN = 3 / 8


def _counted(amount: float) -> float:
    return max(0.5, round(amount * 2) / 2)


# The food's other measures a too-small counted portion is said in: "2 tbsp yogurt", not "30 g".
VOLUMES = frozenset({"cup", *SPOONS, *SPOON_WORDS})
# A measure's note of its own size: "cup (8 fl oz)" is a cup.
_SIZE_NOTE = re.compile(r"\s*\((?:[\d./ ]+|about )+(?:fl )?oz\)")


def household(
    servings: float,
    serving_name: str,
    grams: float,
    others: Callable[[], Iterable[tuple[str, float]]] | None = None,
) -> str:
    """The portion in the serving's household measure: "1⅔ cup (38 g)", "1½ × 1 medium (177 g)".

    A counted portion too small to count (30 g of a 227 g container) is said in the first volume
    measure among ``others`` (the food's other measures, as (name, grams)), else in grams.
    """
    numbered = re.fullmatch(r"(\d+(?:\.\d+)?)(?:/(\d+))? (.+)", serving_name.strip())
    if numbered and numbered[3] == "g":
        return f"{grams:.0f} g"
    if numbered and float(numbered[2] or 1) > 0:  # "0.5 cup", "1/4 tsp", "3 oz": multiply the measure
        amount = servings * float(numbered[1]) / float(numbered[2] or 1)
        unit = numbered[3]
        first, space, rest = unit.partition(" ")
        word = first.rstrip(",")
        if word in SPOON_WORDS:  # "1 tbsp olive oil", as every other spoon measure reads
            first, word = SPOON_WORDS[word] + first[len(word) :], SPOON_WORDS[word]
            unit = first + space + rest
        if word in COUNTED and amount < COUNTED_MIN:
            return _in_volume(grams, others() if others else ()) or f"{grams:.0f} g"
        if word == "cup" and amount < 1 / 4:  # "2 tbsp yogurt", not "⅛ cup"
            amount, first, word = amount * TBSP_PER_CUP, "tbsp" + first[len(word) :], "tbsp"
            unit = first + space + rest
        if word in SPOONS:  # "2½ tbsp", not "2⅔ tbsp": spoons measure to the half (¼ below one)
            amount = max(0.25, round(amount * 4) / 4 if amount < 1 else round(amount * 2) / 2)
        shown = amount_text(_counted(amount) if word in COUNTED else amount)
        if amount > 1 + 1e-9 and shown != "1" and word in PLURAL_UNITS:  # "2 cups, diced", but "1 cup" for 1.03
            unit = plural(word) + first[len(word) :] + space + rest
        return f"{shown} {unit} ({grams:.0f} g)"
    counted = serving_name.split(" ", 1)[0].rstrip(",") in COUNTED
    count = amount_text(_counted(servings) if counted else servings)
    if count == "1":
        return f"{serving_name} ({grams:.0f} g)"
    return f"{count} × {serving_name} ({grams:.0f} g)"


def _in_volume(grams: float, measures: Iterable[tuple[str, float]]) -> str:
    """``grams`` in the first volume measure of ``measures`` ("cup (8 fl oz)", 245), or ""."""
    for name, measure_g in measures:
        name = _SIZE_NOTE.sub("", name).strip()
        numbered = name if re.match(r"\d", name) else f"1 {name}"
        unit = numbered.split(" ", 2)[1].rstrip(",") if " " in numbered else ""
        if unit in VOLUMES and measure_g > 0:
            return household(grams / measure_g, numbered, grams)
    return ""
