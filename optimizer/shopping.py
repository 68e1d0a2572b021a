"""A plan's foods aggregated into a shopping list, in units people buy, grouped by store section.

Every food of every day is summed by food id. The total in grams is always kept; the purchase
text rounds it up to something you can pick off a shelf:

- whole fruit, vegetables and eggs are counted ("6 medium bananas", "8 large eggs (1 dozen box)"),
  from the food table's household measures or, without a table, the plan's own serving measure;
- milks, juices and other drinks in litres, rounded up to half a litre ("1.5 L soy milk");
- bread in loaves ("1 loaf whole-wheat bread (about 12 slices)");
- grains and pulses planned cooked as the dry weight to buy ("250 g dry brown rice (makes about
  690 g cooked)"), pulses also in 15-oz cans;
- everything else by weight, rounded up to a sensible step, with pounds for larger amounts
  ("450 g chicken breast (about 1 lb)").

Store sections come from the food's planner category and words in its name (canned, frozen,
dried, juice...).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.optimizer.plan import Plan

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


class ShoppingItem(BaseModel):
    """One food to buy.

    Attributes:
        food_id: Food id in the food table (the first, when several foods are bought as one).
        name: The food's name as the plan gives it ("; "-joined when several foods are bought as one,
            e.g. hard-boiled and scrambled eggs are both bought as eggs).
        food_ids: Every food id this item covers.
        section: Store section id (a key of ``SECTIONS``).
        total_grams: Grams eaten over the whole plan.
        purchase_text: What to buy, rounded up to purchase units, e.g. ``"6 medium bananas"``.
        days_used: Day numbers (1-based) on which the food is eaten.
        portions: How many times it appears in a meal over the plan.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    food_id: str
    name: str
    section: str
    food_ids: list[str]
    total_grams: float
    purchase_text: str
    days_used: list[int]
    portions: int


class ShoppingSection(BaseModel):
    """One store section and its items, in the order they were first used in the plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    items: list[ShoppingItem]


class ShoppingDish(BaseModel):
    """A dish the plan cooks, with the meals it feeds.

    Attributes:
        dish_id: The dish's id in the dish library.
        title: The dish's name as the plan gives it (without "(leftovers from day N)").
        meals: Where it is eaten, in order, e.g. ``["day 1 dinner", "day 2 lunch"]``.
        days_used: Day numbers (1-based) on which it is eaten.
        times_cooked: How many times it is cooked (a leftover lunch is cooked with the dinner before).
        note: ``"cooked once for two meals"`` when leftovers make one cooking feed several meals.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dish_id: str
    title: str
    meals: list[str]
    days_used: list[int]
    times_cooked: int
    note: str = ""


class ShoppingList(BaseModel):
    """The shopping list of a plan, by store section (sections in shop-walk order, empty ones left out),
    and the dishes it cooks ("Dishes this week")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile_id: str
    days: int
    sections: list[ShoppingSection]
    skipped: list[str] = []
    dishes: list[ShoppingDish] = []

    @property
    def items(self) -> list[ShoppingItem]:
        """Every item, section by section."""
        return [item for section in self.sections for item in section.items]


# --- names ---------------------------------------------------------------------------------------

# Words in USDA names that describe preparation or labelling, not what you ask for in a shop.
_NOISE = re.compile(
    r"^(raw|cooked|boiled|baked|roasted|broiled|grilled|steamed|braised|stewed|microwaved|drained|"
    r"dry heat|moist heat|without salt|without salt added|no salt added|with salt|brewed.*|"
    r"commercially prepared|prepared|all commercial "
    r"varieties|mature seeds|meat only|fresh|regular|enriched|unenriched|fluid|ready-to-eat|"
    r"unprepared|solids and liquids|drained solids|includes .*|ns as to .*|nfs|broilers or fryers|"
    r"original and vanilla|all flavors|with added .*|without added .*|fortified|unfortified|"
    r"fortified with .*|"
    r"year round average|from concentrate|composite of .*|separable lean (and fat|only)|"
    r"trimmed to .*|flesh|with skin|without skin|flesh and skin|in skin|unheated|dry|sulfured|"
    r"unsulfured|uncooked|chilled|commercial|baked.*|cooked.*|regular and quick.*|boiled.*|"
    r"kernels|whole|plain|yellow|white|blanched|unsalted|salted|mixed species|farmed|wild|atlantic|"
    r"pacific|chinese|\(.*\))$",
    re.IGNORECASE,
)
# Common names for USDA names the general rule below renders awkwardly.
_COMMON_NAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Cereals, oats\b.*cooked", re.I), "oatmeal"),
    (re.compile(r"^Cereals, oats\b", re.I), "rolled oats"),
    (re.compile(r"^Salt, table", re.I), "salt"),
    (re.compile(r"^Oil, olive", re.I), "olive oil"),
    (re.compile(r"^Peanut butter", re.I), "peanut butter"),
    (re.compile(r"^Hummus", re.I), "hummus"),
    (re.compile(r"^Seeds, pumpkin", re.I), "pumpkin seeds"),
    (re.compile(r"^Seeds, sunflower", re.I), "sunflower seeds"),
)
# Generic first words in USDA names ("Nuts, almonds"): the next part is the real name.
_GENERIC_HEADS = {"nuts", "fish", "seeds", "cereals", "spices", "beverages", "cereals ready-to-eat", "snacks"}
# Cuts come after the animal ("chicken breast"); other qualifiers come first ("whole-wheat bread").
_CUTS = {"breast", "thigh", "drumstick", "leg", "wing", "loin", "tenderloin", "chop", "fillet", "steak"}


def _title_case(text: str) -> str:
    """Title case that leaves the letter after an apostrophe alone: "KELLOGG'S" -> "Kellogg's"."""
    return re.sub(r"[A-Za-z]+('[A-Za-z]+)?", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), text)


def short_name(name: str) -> str:
    """A shop-friendly name from a USDA-style name.

    ``"Bread, whole-wheat, commercially prepared"`` -> ``"whole-wheat bread"``;
    ``"Chicken, broilers or fryers, breast, meat only, cooked, roasted"`` -> ``"chicken breast"``;
    ``"Nuts, almonds"`` -> ``"almonds"``; calcium-fortified foods say so, since that is what to pick.
    """
    low = name.lower()
    for pattern, common in _COMMON_NAMES:
        if pattern.search(name):
            return common
    # Parenthesised asides may hold commas: "Chickpeas (garbanzo beans, bengal gram), mature seeds".
    parts = [p.strip() for p in re.sub(r"\s*\([^)]*\)", "", name).split(",") if p.strip()]
    if not parts:
        return name.strip()
    tag = ""
    if re.search(r"added calcium|calcium[- ]fortified|fortified with calcium", low):
        tag = " (calcium-fortified)"
    elif "tofu" in low and "calcium sulfate" in low:
        tag = " (calcium-set)"
    elif re.search(r"(?<!un)fortified", low):
        tag = " (fortified)"
    if parts[0].lower().startswith("cereals ready-to-eat"):
        brand = [p for p in parts[1:] if not _NOISE.match(p)]
        return (f"{_title_case(brand[-1])} cereal" if brand else "breakfast cereal") + tag
    if len(parts) > 1 and parts[0].lower() in _GENERIC_HEADS:
        parts = parts[1:]
    head, rest = parts[0], [p for p in parts[1:] if not _NOISE.match(p)]
    head = re.sub(r"\s*\(.*?\)", "", head).strip() or parts[0]
    words = head.lower()
    if rest and rest[0].lower() in _CUTS:
        return f"{words} {rest[0].lower()}{tag}"
    if rest and re.match(r"^(canned|in|with|packed)\b", rest[0].lower()):
        return f"{words} ({rest[0].lower()}){tag}"
    qualifier = rest[0].lower() if rest and len(rest[0].split()) <= 3 else ""
    return f"{qualifier} {words}".strip() + tag


def _plural(noun: str, n: float) -> str:
    if n <= 1 or noun.endswith("s"):
        return noun
    if noun in ("potato", "tomato", "mango", "sweet potato"):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith(("oes", "ches", "shes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith("ss"):
        return noun[:-1]
    return noun


# --- sections ------------------------------------------------------------------------------------

_MILK_LIKE = re.compile(r"\b(milk|soymilk|beverages?|kefir|drink|juice|nectar)\b", re.IGNORECASE)
_NOT_DRINKS = re.compile(r"cheese|yogurt|butter|cream|powder|dry|dried|\bice\b|pudding|chocolate bar", re.IGNORECASE)


def is_drink(name: str) -> bool:
    """True for milks, plant milks, juices and other drinks, judged by the first part of the name
    ("Milk, reduced fat..." yes; "Cheese, mozzarella, part skim milk" no)."""
    head = name.split(",")[0]
    return bool(_MILK_LIKE.search(head)) and not _NOT_DRINKS.search(name)


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
_COUNTED = {
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

# Dry weight per gram of cooked food, for staples a plan gives as cooked.
_DRY_PER_COOKED = (
    (re.compile(r"^rice\b|wild rice", re.I), 0.36),
    (re.compile(r"^(pasta|spaghetti|macaroni|noodles)\b", re.I), 0.45),
    (re.compile(r"^quinoa", re.I), 0.37),
    (re.compile(r"^(oats|cereals, oats)|oatmeal", re.I), 0.17),
    (re.compile(r"^(barley|bulgur|couscous|millet|buckwheat)", re.I), 0.38),
    (re.compile(r"^(lentils|beans|chickpeas|peas, split|cowpeas)", re.I), 0.4),
)
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


def _unit_measure(measures: list[tuple[str, float]], noun: str) -> tuple[str, float] | None:
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


_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}


def _serving_unit(serving_name: str, serving_g: float) -> tuple[str, float] | None:
    """A whole-piece unit from a serving such as ``"1 medium"``, ``"2 large"`` or ``"½ fruit"``."""
    m = re.match(r"^\s*(\d+(?:\.\d+)?|[½¼¾⅓⅔])\s+(medium|large|small|whole|fruit|egg)\b", serving_name.lower())
    if not m or serving_g <= 0:
        return None
    amount = _FRACTIONS.get(m.group(1)) or float(m.group(1))
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
        grams: Total grams eaten.
        measures: The food's household measures ``(text, grams)``, when a food table is at hand.
        serving: The plan's serving ``(serving_name, serving_g)``, used when no measure fits.

    Returns:
        A phrase such as ``"6 medium bananas"`` or ``"450 g chicken breast (about 1 lb)"``.
    """
    measures = measures or []
    low = name.lower()
    short = short_name(name)
    head = _singular(re.sub(r"\s*\(.*?\)", "", name.split(",")[0]).strip().lower())
    cat = (category or "").lower()
    canned = "canned" in low

    # Eggs and whole produce: count pieces.
    noun = _COUNTED.get(head)
    if noun and not canned and not re.search(r"frozen|dried|juice|dehydrated|powder|mashed", low):
        unit = _unit_measure(measures, head) or (serving and _serving_unit(*serving))
        if noun == "egg":
            unit = unit or ("large", 50.0)
        if unit:
            size, unit_g = unit
            n = _count(grams, unit_g)
            size_word = "" if size in ("whole", "fruit", "egg") else f"{size} "
            text = f"{n} {size_word}{_plural(noun, n)}"
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
            text += f" (about {max(1, round(grams / slice_g))} slices)"
        return text

    # Tortillas, pitas, bagels, muffins: count pieces when a measure gives a piece weight.
    for piece in ("tortilla", "pita", "bagel", "english muffin", "muffin", "roll"):
        if piece in low and not canned:
            unit_g = _measure_grams(measures, piece) or _measure_grams(measures, "medium")
            if unit_g:
                n = _count(grams, unit_g)
                return f"{n} {_plural(piece, n)} ({short})"

    # Canned fish and the like: cans, when the table knows a can's weight.
    if canned:
        can_g = _measure_grams(measures, "can")
        if can_g and can_g < 1000:
            n = _count(grams, can_g)
            return f"{n} can{'s' if n > 1 else ''} {short} ({can_g:.0f} g each)"

    # Grains and pulses planned cooked: buy them dry (pulses also as cans).
    if re.search(r"\bcooked\b|\bboiled\b", low) and not canned:
        for pattern, factor in _DRY_PER_COOKED:
            if pattern.search(name):
                dry_name = "rolled oats" if short == "oatmeal" else f"dry {short}"
                text = f"{_weight_text(grams * factor)} {dry_name}"
                text += f" (makes about {round(grams, -1):.0f} g cooked)"
                if cat == "legumes":
                    cans = max(1, math.ceil(grams / _CAN_DRAINED_G - 0.1))
                    text += f", or {cans} can{'s' if cans > 1 else ''} (15 oz)"
                return text

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


# --- the list ------------------------------------------------------------------------------------


def _buy_key(food_id: str, name: str) -> str:
    """Foods bought as the same thing share a key: whole eggs however cooked, potatoes baked or boiled."""
    low = name.lower()
    head = _singular(re.sub(r"\s*\(.*?\)", "", name.split(",")[0]).strip().lower())
    noun = _COUNTED.get(head)
    if noun and not re.search(r"canned|frozen|dried|juice|dehydrated|powder|mashed|white|yolk", low):
        return f"count:{noun}"
    return food_id


def _table_measures(foods: FoodTable | None, food_id: str) -> list[tuple[str, float]] | None:
    if foods is None or food_id not in foods.foods.index:
        return None
    return foods.measures_of(food_id)


def _piece_grams(item, foods: FoodTable | None) -> float | None:
    head = _singular(re.sub(r"\s*\(.*?\)", "", item.name.split(",")[0]).strip().lower())
    unit = _unit_measure(_table_measures(foods, item.food_id) or [], head) or _serving_unit(
        item.serving_name, item.serving_g
    )
    return unit[1] if unit else None


def _in_first_food_pieces(entry: dict, foods: FoodTable | None) -> float:
    """Grams of several foods bought as one (eggs scrambled and hard-boiled) expressed in pieces of
    the first food: a scrambled large egg weighs 61 g, a hard-boiled one 50 g, and both are one egg."""
    first = _piece_grams(entry["items"][0], foods)
    if not first:
        return entry["grams"]
    total = 0.0
    for item in entry["items"]:
        piece = _piece_grams(item, foods) or first
        total += entry["by_id"][item.food_id] / piece * first
    return total


_SKIP = re.compile(r"^water, (tap|bottled)|^beverages, water, (tap|bottled)", re.IGNORECASE)


def shopping_list(plan: Plan, foods: FoodTable | None = None) -> ShoppingList:
    """Aggregate a plan's foods into a shopping list grouped by store section.

    Args:
        plan: A day or week plan.
        foods: The food table the plan was made from; its household measures give better purchase
            units (whole pieces, cans, blocks). Without it the plan's own serving measures are used.

    Returns:
        The list, sections in shop-walk order (``SECTIONS``), items in order of first use. Tap and
        bottled water are left out (named in ``skipped``).
    """
    totals: dict[str, dict] = {}
    skipped: list[str] = []
    # Day numbers for people start at 1, whether the plan counts days from 0 or from 1.
    offset = 1 if plan.days and min(d.index for d in plan.days) == 0 else 0
    for day in plan.days:
        day_no = day.index + offset
        for slot in day.slots:
            for item in slot.items:
                if _SKIP.search(item.name):
                    if item.name not in skipped:
                        skipped.append(item.name)
                    continue
                entry = totals.setdefault(
                    _buy_key(item.food_id, item.name),
                    {
                        "item": item,
                        "names": [],
                        "ids": [],
                        "items": [],
                        "by_id": {},
                        "grams": 0.0,
                        "days": set(),
                        "portions": 0,
                    },
                )
                if item.food_id not in entry["ids"]:
                    entry["ids"].append(item.food_id)
                    entry["names"].append(item.name)
                    entry["items"].append(item)
                    entry["by_id"][item.food_id] = 0.0
                entry["by_id"][item.food_id] += item.grams
                entry["grams"] += item.grams
                entry["days"].add(day_no)
                entry["portions"] += 1

    by_section: dict[str, list[ShoppingItem]] = {key: [] for key in SECTIONS}
    for entry in totals.values():
        item = entry["item"]
        food_id = item.food_id
        measures = _table_measures(foods, food_id)
        category = item.category
        if foods is not None and food_id in foods.foods.index and "category" in foods.foods.columns:
            value = foods.foods.at[food_id, "category"]
            category = value if isinstance(value, str) and value else category
        grams = entry["grams"]
        if len(entry["ids"]) > 1:
            grams = _in_first_food_pieces(entry, foods)
        section = store_section(category, item.name)
        text = purchase_text(item.name, category, grams, measures, (item.serving_name, item.serving_g))
        by_section[section].append(
            ShoppingItem(
                food_id=food_id,
                name="; ".join(entry["names"]),
                section=section,
                food_ids=entry["ids"],
                total_grams=round(entry["grams"], 1),
                purchase_text=text,
                days_used=sorted(entry["days"]),
                portions=entry["portions"],
            )
        )
    sections = [ShoppingSection(id=key, title=SECTIONS[key], items=items) for key, items in by_section.items() if items]
    return ShoppingList(
        profile_id=plan.profile_id,
        days=len(plan.days),
        sections=sections,
        skipped=skipped,
        dishes=plan_dishes(plan),
    )


_LEFTOVER_SUFFIX = re.compile(r"\s*\(leftovers? from day \d+\)\s*$", re.IGNORECASE)
_COUNT_WORDS = {1: "once", 2: "twice"}
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}


def plan_dishes(plan: Plan) -> list[ShoppingDish]:
    """Each dish of the plan once, with the meals it feeds, in order of first use.

    A leftover lunch (``leftover_of`` set) is the dinner before, cooked twice over: it adds a meal,
    not a cooking. Its ingredients are on the list once each, in the grams both meals eat.
    """
    offset = 1 if plan.days and min(d.index for d in plan.days) == 0 else 0
    found: dict[str, dict] = {}
    for day in plan.days:
        for slot in day.slots:
            if not slot.dish_id:
                continue
            title = _LEFTOVER_SUFFIX.sub("", slot.title).strip()
            entry = found.setdefault(slot.dish_id, {"title": title, "meals": [], "days": set(), "n": 0})
            entry["meals"].append(f"day {day.index + offset} {slot.name}")
            entry["days"].add(day.index + offset)
            entry["n"] += 0 if slot.leftover_of is not None else 1
    out = []
    for dish_id, e in found.items():
        meals, cooked = len(e["meals"]), max(e["n"], 1)
        note = ""
        if meals > cooked:
            times = _COUNT_WORDS.get(cooked, f"{cooked} times")
            note = f"cooked {times} for {_NUMBER_WORDS.get(meals, str(meals))} meals"
        out.append(
            ShoppingDish(
                dish_id=dish_id,
                title=e["title"] or dish_id,
                meals=e["meals"],
                days_used=sorted(e["days"]),
                times_cooked=cooked,
                note=note,
            )
        )
    return out


def dish_line(dish: ShoppingDish) -> str:
    """A dish in words: "Lentil dal with brown rice — day 1 dinner, day 2 lunch (cooked once for two meals)"."""
    text = f"{dish.title} — {', '.join(dish.meals)}"
    return text + (f" ({dish.note})" if dish.note else "")


# --- renderings ----------------------------------------------------------------------------------


def _days_text(days: list[int], n_days: int) -> str:
    if n_days > 1 and len(days) == n_days:
        return "every day"
    return ", ".join(str(d) for d in days)


def shopping_rows(shopping: ShoppingList) -> list[dict[str, object]]:
    """Flat rows (section, buy, food, grams, days, food_id) for tables and CSV."""
    return [
        {
            "section": section.title,
            "buy": item.purchase_text,
            "food": item.name,
            "grams": round(item.total_grams),
            "days": _days_text(item.days_used, shopping.days),
            "food_id": item.food_id,
        }
        for section in shopping.sections
        for item in section.items
    ]


def shopping_csv(shopping: ShoppingList) -> str:
    """The list as CSV: section, buy, food, grams, days, food_id."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["section", "buy", "food", "grams", "days", "food_id"])
    writer.writeheader()
    writer.writerows(shopping_rows(shopping))
    return buf.getvalue()


def _md_cell(text: object) -> str:
    """Text safe inside a Markdown table or list: pipes escaped, HTML tags neutralised."""
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def shopping_markdown(shopping: ShoppingList, heading_level: int = 1) -> str:
    """The list as Markdown: one heading per store section, a checklist of items under it."""
    h = "#" * heading_level
    span = f"{shopping.days} days" if shopping.days != 1 else "1 day"
    lines = [f"{h} Shopping list: {_md_cell(shopping.profile_id)} ({span})", ""]
    for section in shopping.sections:
        lines += [f"{h}# {section.title}", ""]
        for item in section.items:
            days = _days_text(item.days_used, shopping.days)
            when = days if days == "every day" else f"day{'s' if len(item.days_used) > 1 else ''} {days}"
            lines.append(
                f"- [ ] **{_md_cell(item.purchase_text)}** — {item.total_grams:.0f} g in all, {when} "
                f"<br>_{_md_cell(item.name)}_"
            )
        lines.append("")
    if shopping.skipped:
        lines += [f"_Not listed (from the tap): {', '.join(_md_cell(s) for s in shopping.skipped)}._", ""]
    if shopping.dishes:
        lines += [f"{h}# Dishes this week", ""]
        for dish in shopping.dishes:
            note = f" _({_md_cell(dish.note)})_" if dish.note else ""
            lines.append(f"- **{_md_cell(dish.title)}** — {_md_cell(', '.join(dish.meals))}{note}")
        lines.append("")
    return "\n".join(lines)
