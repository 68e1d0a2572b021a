"""What to buy: store sections and purchase wording ("6 medium bananas", "1.5 L soy milk",
"250 g dry brown rice (makes about 690 g cooked)"), rounded up to what a shop sells."""

from __future__ import annotations

import math
import re

from mealplan.food_data.household import FRACTION_VALUES
from mealplan.food_data.names import head_noun, is_drink, plural, short_name

SECTIONS: dict[str, str] = {
    "produce": "Produce",
    "dairy": "Dairy, eggs and alternatives",
    "meat": "Meat and fish",
    "bakery": "Bakery and grains",
    "pantry": "Pantry",
    "frozen_canned": "Frozen and canned",
    "beverages": "Beverages",
    "other": "Other",
}

GRAMS_PER_LB = 453.592


# --- sections ------------------------------------------------------------------------------------


def store_section(category: str, name: str) -> str:
    """The store section id of a food from its planner category and its name.

    Canned and frozen foods go to ``frozen_canned`` whatever their category; juices to ``beverages``;
    dried fruit, nuts, oils, spices and dry pulses to ``pantry``; plant milks and tofu to ``dairy``.
    """
    low = name.lower()
    cat = (category or "").lower()
    if re.search(r"\bcanned\b|\bfrozen\b", low):
        return "frozen_canned"
    if re.search(r"\bjuice\b|\bnectar\b", low):
        return "beverages"
    if cat in ("vegetables", "fruits"):
        return "pantry" if re.search(r"\bdried\b|\bdehydrated\b|raisins|prunes", low) else "produce"
    if cat in ("meat", "poultry", "seafood"):
        return "meat"
    if cat in ("eggs", "dairy and fortified alternatives"):
        return "dairy"
    if cat == "legumes":
        if re.search(r"tofu|soymilk|soy milk|tempeh|yogurt", low):
            return "dairy"
        return "pantry"
    if cat == "grains":
        return "bakery"
    if cat == "beverages":
        if re.search(r"soymilk|almond|oat|rice|soy\b|milk", low) and is_drink(name):
            return "dairy"
        return "beverages"
    if cat in ("nuts and seeds", "fats and oils", "sweets and snacks", "condiments and spices"):
        return "pantry"
    return "other"


# --- purchase units ------------------------------------------------------------------------------

# Produce and eggs people buy by the piece, with the noun to count them by.
COUNTED = {
    "banana": "banana",
    "apple": "apple",
    "orange": "orange",
    "pear": "pear",
    "peach": "peach",
    "nectarine": "nectarine",
    "plum": "plum",
    "kiwifruit": "kiwi",
    "kiwi": "kiwi",
    "mango": "mango",
    "avocado": "avocado",
    "grapefruit": "grapefruit",
    "lemon": "lemon",
    "lime": "lime",
    "tangerine": "tangerine",
    "potato": "potato",
    "sweet potato": "sweet potato",
    "sweetpotato": "sweet potato",
    "carrot": "carrot",
    "onion": "onion",
    "tomato": "tomato",
    "pepper": "pepper",
    "cucumber": "cucumber",
    "zucchini": "zucchini",
    "squash": "squash",
    "egg": "egg",
}
_SIZE_WORDS = ("medium", "large", "small", "extra large", "jumbo", "whole", "fruit")

_CAN_DRAINED_G = 250.0  # a 15-oz (425 g) can of beans drains to about 250 g


def _round_weight(grams: float) -> int:
    """Round up to a step shops sell in: 25 g to 100 g, 50 g to 1 kg, 100 g above."""
    step = 25 if grams <= 100 else 50 if grams <= 1000 else 100
    return int(math.ceil(grams / step - 1e-9) * step)


def _weight_text(grams: float) -> str:
    g = _round_weight(grams)
    return f"{g / 1000:g} kg" if g >= 1000 else f"{g} g"


def _count(grams: float, unit_g: float) -> int:
    # Round up, but do not buy a whole extra banana for the last few grams.
    return max(1, math.ceil(grams / unit_g - 0.1))


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
                t = rest if rest in _SIZE_WORDS else "whole"
                break
        if t in _SIZE_WORDS:
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


def _measure_grams(measures: list[tuple[str, float]], word: str) -> float | None:
    for text, grams in measures:
        m = re.match(rf"^(\d+(?:\.\d+)?\s+)?{word}\b", text.lower())
        if m and grams > 0:
            amount = float(m.group(1)) if m.group(1) else 1.0
            return float(grams) / amount
    return None


def purchase_text(
    name: str,
    category: str,
    grams: float,
    measures: list[tuple[str, float]] | None = None,
    serving: tuple[str, float] | None = None,
) -> str:
    """What to buy for ``grams`` of a food, rounded up to units a shop sells.

    Args:
        name: The food's name (USDA style: "Bananas, raw").
        category: The food's planner category.
        grams: Total grams to buy (a food eaten cooked is converted first: ``cooked_text``).
        measures: The food's household measures ``(text, grams)``, when a food table is at hand.
        serving: The plan's serving ``(serving_name, serving_g)``, used when no measure fits.

    Returns:
        A phrase such as ``"6 medium bananas"`` or ``"450 g chicken breast (about 1 lb)"``.
    """
    measures = measures or []
    low = name.lower()
    short = short_name(name)
    head = head_noun(name)
    cat = (category or "").lower()
    canned = "canned" in low

    # Eggs and whole produce: count pieces.
    noun = COUNTED.get(head)
    if noun and not canned and not re.search(r"frozen|dried|juice|dehydrated|powder|mashed", low):
        unit = unit_measure(measures, head) or (serving and serving_unit(*serving))
        if noun == "egg":
            unit = unit or ("large", 50.0)
        if unit:
            size, unit_g = unit
            n = _count(grams, unit_g)
            size_word = "" if size in ("whole", "fruit", "egg") else f"{size} "
            text = f"{n} {size_word}{plural(noun, n)}"
            if noun == "egg":
                boxes = math.ceil(n / 12)
                text += " (half-dozen box)" if n <= 6 else f" ({boxes} dozen box{'es' if boxes > 1 else ''})"
            return text

    # Drinks and milks: litres, up to the next half litre.
    if is_drink(name):
        litres = grams / 1000.0
        if litres <= 0.25:
            return f"250 mL {short}"
        return f"{math.ceil(litres * 2 - 1e-9) / 2:g} L {short}"

    # Bread: loaves of about 500 g.
    if head == "bread" and not canned:
        slice_g = _measure_grams(measures, "slice")
        if slice_g is None and serving and "slice" in serving[0].lower():
            unit = re.match(r"^\s*(\d+(?:\.\d+)?)", serving[0])
            slice_g = serving[1] / float(unit.group(1)) if unit else serving[1]
        loaves = math.ceil(grams / 500.0 - 0.05) or 1
        text = f"{loaves} loa{'ves' if loaves > 1 else 'f'} {short}"
        if slice_g:
            count = max(1, round(grams / slice_g))
            text += f" (about {count} slice{'s' if count > 1 else ''})"
        return text

    # Tortillas, pitas, bagels, muffins: count pieces when a measure gives a piece weight.
    for piece in ("tortilla", "pita", "bagel", "english muffin", "muffin", "roll"):
        if piece in low and not canned:
            unit_g = _measure_grams(measures, piece) or _measure_grams(measures, "medium")
            if unit_g:
                n = _count(grams, unit_g)
                return f"{n} {plural(piece, n)} ({short})"

    # Canned fish and the like: cans, when the table knows a can's weight.
    if canned:
        can_g = _measure_grams(measures, "can")
        if can_g and can_g < 1000:
            n = _count(grams, can_g)
            return f"{n} can{'s' if n > 1 else ''} {short} ({can_g:.0f} g each)"

    # Tofu: blocks, when the table gives a block's weight.
    if "tofu" in low:
        block_g = _measure_grams(measures, "block")
        if block_g:
            n = _count(grams, block_g)
            return f"{n} block{'s' if n > 1 else ''} {short} (about {block_g:.0f} g each)"

    weight = _weight_text(grams)
    lb = _round_weight(grams) / GRAMS_PER_LB
    if cat in ("meat", "poultry", "seafood", "vegetables", "fruits") and lb >= 0.45:
        return f"{weight} {short} (about {round(lb * 4) / 4:g} lb)"
    return f"{weight} {short}"


def _about(grams: float) -> int:
    """Grams to the nearest 5 under 100, the nearest 10 above."""
    step = 5 if grams < 100 else 10
    return int(math.floor(grams / step + 0.5) * step)


def cooked_text(
    name: str,
    category: str,
    grams: float,
    cooked_g: float,
    form: str,
    for_cooking_g: float | None = None,
    measures: list[tuple[str, float]] | None = None,
) -> str:
    """What to buy for a food eaten cooked and bought raw or dry (``food_data.purchase``).

    Args:
        name: The name of the form bought ("Rice, brown, long-grain, raw").
        category: Its planner category.
        grams: Grams to buy in all.
        cooked_g: Grams eaten cooked that they make.
        form: ``"dry"`` (grains, pulses, pasta) or ``"raw"``.
        for_cooking_g: Grams of ``grams`` that are cooked, when the rest is eaten as bought (raw
            spinach in a salad, cooked spinach in a dal); None when all of it is cooked.
        measures: Household measures of the form bought.

    Returns:
        ``"250 g dry brown rice (makes about 690 g cooked)"``, ``", or 2 cans (15 oz)"`` added for
        pulses; ``"450 g chicken breast (about 1 lb), raw (cooks to about 320 g)"``.
    """
    cooked = f"about {_about(cooked_g)} g"
    part = f"{_about(for_cooking_g)} g of it " if for_cooking_g is not None else ""
    if form == "dry":
        short = short_name(name)
        dry_name = short if re.search(r"\b(dry|rolled)\b", short) else f"dry {short}"
        text = f"{_weight_text(grams)} {dry_name} ({part}makes {cooked} cooked)"
        if (category or "").lower() == "legumes":
            cans = max(1, math.ceil(cooked_g / _CAN_DRAINED_G - 0.1))
            text += f", or {cans} can{'s' if cans > 1 else ''} (15 oz)"
        return text
    return f"{purchase_text(name, category, grams, measures)}, raw ({part}cooks to {cooked})"
