"""Short food names as people say them and shop for them, from USDA descriptions.

``short_name("Bananas, raw")`` is "bananas"; ``is_drink`` tells milks, plant milks and juices from
cheese or yogurt. Used by the planner's dish text, every report and the shopping list.
"""

from __future__ import annotations

import re

# --- short names ---------------------------------------------------------------------------------------

# Words in USDA names that describe preparation or labelling, not what you ask for in a shop.
_NOISE = re.compile(
    r"^(raw|cooked|boiled|baked|roasted|broiled|grilled|steamed|braised|stewed|microwaved|drained|"
    r"dry heat|moist heat|without salt|without salt added|no salt added|with salt|brewed.*|"
    r"commercially prepared|prepared|all varieties|all commercial "
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
    elif "ultraviolet" in low or re.search(r"\buv\b", low):
        tag = " (UV-exposed)"  # the vitamin D is in the UV-exposed kind: that is what to buy
    if parts[0].lower().startswith("cereals ready-to-eat"):
        brand = [p for p in parts[1:] if not _NOISE.match(p)]
        brand_name = _title_case(brand[-1]) if brand else ""
        named = brand_name if brand_name.lower().endswith("cereal") else f"{brand_name} cereal".strip()
        return (named if brand else "breakfast cereal") + tag
    if len(parts) > 1 and parts[0].lower() in _GENERIC_HEADS:
        parts = parts[1:]
    head, rest = parts[0], [p for p in parts[1:] if not _NOISE.match(p)]
    head = re.sub(r"\s*\(.*?\)", "", head).strip() or parts[0]
    words = head.lower()
    if rest and rest[0].lower() in _CUTS:
        return f"{words} {rest[0].lower()}{tag}"
    if rest and re.match(r"^(canned|in|with|packed)\b", rest[0].lower()):
        return f"{words} ({rest[0].lower()}){tag}"
    if rest and re.match(r"^skins?\b", rest[0].lower()):  # "Potatoes, baked, skin": the skins alone
        return f"{singular(words)} skins{tag}"
    qualifier = rest[0].lower() if rest and len(rest[0].split()) <= 3 else ""
    if {singular(w) for w in words.split()} <= {singular(w) for w in qualifier.split()}:
        return qualifier + tag  # "Soup, vegetable soup": "vegetable soup", not "vegetable soup soup"
    return f"{qualifier} {words}".strip() + tag


_MILK_LIKE = re.compile(r"\b(milk|soymilk|beverages?|kefir|drink|juice|nectar)\b", re.IGNORECASE)
_NOT_DRINKS = re.compile(r"cheese|yogurt|butter|cream|powder|dry|dried|\bice\b|pudding|chocolate bar", re.IGNORECASE)


def is_drink(name: str) -> bool:
    """True for milks, plant milks, juices and other drinks, judged by the first part of the name
    ("Milk, reduced fat..." yes; "Cheese, mozzarella, part skim milk" no)."""
    head = name.split(",")[0]
    return bool(_MILK_LIKE.search(head)) and not _NOT_DRINKS.search(name)


# --- nouns ---------------------------------------------------------------------------------------

_ES_PLURALS = frozenset({"potato", "tomato", "mango", "sweet potato"})
_IE_NOUNS = frozenset({"pies", "cookies", "brownies", "smoothies", "veggies"})  # "pie", not "py"


def plural(noun: str, n: float = 2) -> str:
    """``noun`` for ``n`` of them: "2 bananas", "1½ cups", but "1 cup", "½ banana" and "3 oats"."""
    if n <= 1 or noun.endswith("s"):
        return noun
    if noun in _ES_PLURALS:
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def singular(noun: str) -> str:
    """The singular of an English plural noun ("berries" -> "berry", "potatoes" -> "potato")."""
    if noun.endswith("ies") and noun not in _IE_NOUNS:
        return noun[:-3] + "y"
    if noun.endswith(("oes", "ches", "shes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith("ss"):
        return noun[:-1]
    return noun


def head_noun(name: str) -> str:
    """The thing a USDA name is about, singular and lower case: "Bananas, raw" -> "banana"."""
    return singular(re.sub(r"\s*\(.*?\)", "", name.split(",")[0]).strip().lower())
