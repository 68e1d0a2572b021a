"""What to buy: store sections and purchase wording ("6 medium bananas", "1 lime (for about 15 mL
juice)", "1 bottle olive oil (16.9 fl oz; uses about 60 mL)", "1 bag brown rice (2 lb; uses about 210 g,
makes about 690 g cooked)"), rounded up to what a shop sells.

A line names the product as the shopper looks for it (``food_data.names.shop_name``); the packs it is
sold in come from ``food_data.purchase.packs_for`` (data/purchase_packs.csv) and the list says how many
packs and how much of them the plan uses.
"""

from __future__ import annotations

import math
import re

from mealplan.food_data.measures import (
    grams_per_ml,
    measure_named,
    pack_grams,
    piece_grams,
    serving_unit,
    unit_measure,
)
from mealplan.food_data.names import head_noun, is_drink, plural, shop_name, singular
from mealplan.food_data.purchase import Pack, choose_packs, packs_for

SECTIONS: dict[str, str] = {
    "produce": "Produce",
    "dairy": "Dairy, eggs and alternatives",
    "meat": "Meat and fish",
    "bakery": "Bakery and grains",
    "pantry": "Pantry",
    # Dried herbs and spices (a dish's seasonings are listed here too); fresh herbs are produce.
    "herbs_spices": "Herbs and spices",
    "frozen_canned": "Frozen and canned",
    "beverages": "Beverages",
    "other": "Other",
}

GRAMS_PER_LB = 453.592


# --- sections ------------------------------------------------------------------------------------


def store_section(category: str, name: str) -> str:
    """The store section id of a food from its planner category and its name.

    Canned and frozen foods go to ``frozen_canned`` whatever their category; juices to ``beverages``;
    dried herbs and spices (USDA "Spices, ...") to ``herbs_spices``; dried fruit, nuts, oils, salt and
    dry pulses to ``pantry``; plant milks and tofu to ``dairy``.
    """
    low = name.lower()
    cat = (category or "").lower()
    if low.startswith("spices,"):
        return "herbs_spices"
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


def _measure_grams(measures: list[tuple[str, float]], word: str) -> float | None:
    for text, grams in measures:
        m = re.match(rf"^(\d+(?:\.\d+)?\s+)?{word}\b", text.lower())
        if m and grams > 0:
            amount = float(m.group(1)) if m.group(1) else 1.0
            return float(grams) / amount
    return None


# --- packs -----------------------------------------------------------------------------------------


def _uses_text(grams: float, pack: Pack, measures: list[tuple[str, float]]) -> str:
    """How much of the packs the plan uses, in the pack's own terms: mL, pieces, slices or grams."""
    if pack.unit == "mL":
        ml = grams / grams_per_ml(measures)
        return f"about {ml / 1000:.1f} L" if _about(ml) >= 1000 else f"about {_about(ml)} mL"
    if pack.unit == "each":
        n = max(1, round(grams / (piece_grams(measures, pack.piece) or grams)))
        return f"{n} {plural(pack.piece, n)}"
    slice_g = _measure_grams(measures, "slice")
    if pack.pack == "loaf" and slice_g:
        n = max(1, round(grams / slice_g))
        return f"about {n} slice{'s' if n > 1 else ''}"
    return f"about {grams / 1000:.1f} kg" if grams >= 1000 else f"about {_about(grams)} g"


def pack_text(name: str, grams: float, measures: list[tuple[str, float]] | None = None, extra: str = "") -> str | None:
    """The packs to buy for ``grams`` of a food sold in packs, or None when it is sold loose.

    ``"1 bottle olive oil (16.9 fl oz; uses about 60 mL)"``; two sizes are named with their labels:
    ``"1 half gallon (64 fl oz) and 1 quart (32 fl oz) 2% milk (uses about 2.8 L)"``. ``extra`` is added
    to the parenthesis (", makes about 690 g cooked").
    """
    measures = measures or []
    shop = shop_name(name)
    sizes = packs_for(shop)
    amounts = [pack_grams(p, measures) for p in sizes]
    if not sizes or any(a is None for a in amounts) or grams <= 0:
        return None
    counts = choose_packs(grams, [a for a in amounts if a is not None])
    used = [(p, n) for p, n in zip(sizes, counts, strict=True) if n]
    product = re.sub(r"\bcanned ", "", shop) if all(p.pack == "can" for p, _ in used) else shop
    uses = _uses_text(grams, sizes[0], measures) + extra
    if len(used) == 1:
        pack, n = used[0]
        label = f"{pack.label}; " if pack.label else ""
        return f"{n} {plural(pack.pack, n)} {product} ({label}uses {uses})"
    parts = " and ".join(f"{n} {plural(p.pack, n)}" + (f" ({p.label})" if p.label else "") for p, n in used)
    return f"{parts} {product} (uses {uses})"


# --- the words to buy by -------------------------------------------------------------------------


def _counted_text(name: str, noun: str, grams: float, unit: tuple[str, float]) -> str:
    """ "6 medium bananas", "2 medium red bell peppers", "8 large eggs (1 dozen box)"."""
    size, unit_g = unit
    n = _count(grams, unit_g)
    size_word = "" if size in ("whole", "fruit", "egg") else f"{size} "
    # The shopping name when it ends in the counted noun ("red bell peppers"), else the noun ("onions").
    *first, last = shop_name(name).split(" ")
    end = noun.split(" ")[-1]
    thing = " ".join([*first, plural(end, n)]) if singular(last) == end else plural(noun, n)
    text = f"{n} {size_word}{thing}"
    if noun == "egg":
        boxes = math.ceil(n / 12)
        text += " (half-dozen box)" if n <= 6 else f" ({boxes} dozen box{'es' if boxes > 1 else ''})"
    return text


def _juiced_text(name: str, grams: float, measures: list[tuple[str, float]]) -> str | None:
    """Lime or lemon juice bought as the fruit, when the names table says so (shopping name "limes")
    and the table has the juice one fruit yields: "1 lime (for about 15 mL juice)"."""
    noun = singular(shop_name(name))
    fruit_g = measure_named(measures, f"{noun} yields")
    if COUNTED.get(noun) != noun or head_noun(name) == noun or not fruit_g:
        return None
    n = _count(grams, fruit_g)
    return f"{n} {plural(noun, n)} (for about {_about(grams / grams_per_ml(measures))} mL juice)"


def purchase_text(
    name: str,
    category: str,
    grams: float,
    measures: list[tuple[str, float]] | None = None,
    serving: tuple[str, float] | None = None,
    packs: bool = True,
) -> str:
    """What to buy for ``grams`` of a food, rounded up to units a shop sells.

    Args:
        name: The food's name (USDA style: "Bananas, raw").
        category: The food's planner category.
        grams: Total grams to buy (a food eaten cooked is converted first: ``cooked_text``).
        measures: The food's household measures ``(text, grams)``, when a food table is at hand.
        serving: The plan's serving ``(serving_name, serving_g)``, used when no measure fits.
        packs: Whether to buy in the packs the product is sold in. False for a food eaten cooked and
            listed by its cooked weight (no food table to find its raw form): no pack of dry rice or
            raw spinach matches that weight.

    Returns:
        A phrase such as ``"6 medium bananas"``, ``"1 jar peanut butter (16 oz; uses about 130 g)"`` or
        ``"450 g boneless skinless chicken breasts (about 1 lb)"``.
    """
    measures = measures or []
    low = name.lower()
    short = shop_name(name)
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
            return _counted_text(name, noun, grams, unit)

    juiced = _juiced_text(name, grams, measures)
    if juiced:
        return juiced

    packed = pack_text(name, grams, measures) if packs else None
    if packed:
        return packed

    # Canned fish and the like: cans, when the table knows a can's weight.
    if canned:
        can_g = _measure_grams(measures, "can")
        if can_g and can_g < 1000:
            n = _count(grams, can_g)
            return f"{n} can{'s' if n > 1 else ''} {re.sub(r'^canned ', '', short)} ({can_g:.0f} g each)"

    # Other drinks: litres, up to the next half litre.
    if is_drink(name):
        litres = grams / 1000.0
        if litres <= 0.25:
            return f"250 mL {short}"
        return f"{math.ceil(litres * 2 - 1e-9) / 2:g} L {short}"

    # Tortillas, pitas, bagels, muffins without a pack: count pieces when a measure gives a piece weight.
    for piece in ("tortilla", "pita", "bagel", "english muffin", "muffin", "roll"):
        if piece in low and not canned:
            unit_g = _measure_grams(measures, piece) or _measure_grams(measures, "medium")
            if unit_g:
                n = _count(grams, unit_g)
                return f"{n} {plural(piece, n)} ({short})"

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
        ``"1 bag brown rice (2 lb; uses about 210 g, makes about 690 g cooked)"``, with ``", or 2 cans
        (15 oz)"`` for pulses; ``"4 bags spinach (10 oz; uses about 920 g; cooks to about 600 g)"``;
        ``"450 g boneless skinless chicken breasts (about 1 lb), raw (cooks to about 320 g)"``.
    """
    cooked = f"about {_about(cooked_g)} g"
    part = f"{_about(for_cooking_g)} g of it " if for_cooking_g is not None else ""
    if form == "dry":
        short = shop_name(name)
        dry_name = short if re.search(r"\b(dry|rolled)\b", short) else f"dry {short}"
        text = pack_text(name, grams, measures, f", {part}makes {cooked} cooked")
        text = text or f"{_weight_text(grams)} {dry_name} ({part}makes {cooked} cooked)"
        if (category or "").lower() == "legumes":
            cans = max(1, math.ceil(cooked_g / _CAN_DRAINED_G - 0.1))
            text += f", or {cans} can{'s' if cans > 1 else ''} (15 oz)"
        return text
    packed = pack_text(name, grams, measures, f"; {part}cooks to {cooked}")
    return packed or f"{purchase_text(name, category, grams, measures)}, raw ({part}cooks to {cooked})"
