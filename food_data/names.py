"""Short food names as people say them and shop for them, from USDA descriptions.

``short_name("Bananas, raw")`` is "bananas"; ``shop_name("Egg, whole, cooked, scrambled")`` is "eggs";
``is_drink`` tells milks, plant milks and juices from cheese or yogurt. Used by the planner's dish text,
every report and the shopping list.

Every food a plan can show has a reviewed name in ``SHORT_NAMES_FILE`` (``data/short_names.csv``: id,
USDA name, short name, shopping name; its header documents the format). Foods outside it (a user's own
foods, the rest of the table) are named by the rules below, from the USDA description.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from mealplan.errors import ConfigError

SHORT_NAMES_FILE = Path(__file__).parent / "data" / "short_names.csv"
SHORT_NAMES_COLUMNS = ("id", "usda_name", "short", "shop")
# USDA words that are labelling, not what a shopper asks for: never in a reviewed name.
NOISE_WORDS = re.compile(
    r"\b(raw|nfs|ns as to|not further specified|composite|all commercial varieties|mature seeds|"
    r"separable lean|commercially prepared|ready-to-eat|broilers or fryers|crustaceans|mollusks|domestic)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ShortName:
    """A reviewed name of one food.

    Attributes:
        id: The food's USDA NDB number.
        usda_name: Its name in the bundled table (names are looked up by it).
        short: How recipes, titles and reports name it ("chicken breast", "scrambled eggs").
        shop: The product on a shopping list ("boneless skinless chicken breasts", "eggs"); the short
            name when the file leaves it empty.
    """

    id: str
    usda_name: str
    short: str
    shop: str


@functools.cache
def read_short_names(path: Path = SHORT_NAMES_FILE) -> dict[str, ShortName]:
    """The short-names file, by USDA name. Every problem is collected into one ``ConfigError``.

    Lines starting with "#" are comments. Each id and each USDA name once; short names non-empty,
    trimmed and free of USDA noise words (``NOISE_WORDS``).
    """
    with open(path, newline="", encoding="utf-8") as fh:
        numbered = [(n, line) for n, line in enumerate(fh, start=1) if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(line for _, line in numbered))
    header = rows[0] if rows else []
    if tuple(header) != SHORT_NAMES_COLUMNS:
        raise ConfigError(f"{path}: header is {','.join(header)!r}; allowed: {','.join(SHORT_NAMES_COLUMNS)}")
    problems: list[str] = []
    out: dict[str, ShortName] = {}
    seen_ids: set[str] = set()
    for (n, _), row in zip(numbered[1:], rows[1:], strict=True):
        at = f"line {n}"
        if len(row) != len(SHORT_NAMES_COLUMNS):
            allowed = f"{len(SHORT_NAMES_COLUMNS)} ({','.join(SHORT_NAMES_COLUMNS)})"
            problems.append(f"{at}: {len(row)} fields; allowed: {allowed}")
            continue
        food_id, usda, short, shop = row
        at = f"{at} (id {food_id!r})"
        for field, value in (("id", food_id), ("usda_name", usda), ("short", short), ("shop", shop)):
            if value != value.strip() or "  " in value:
                problems.append(f"{at}: {field} {value!r} has stray spaces; allowed: single spaces inside")
        if not re.fullmatch(r"\d{5}", food_id):
            problems.append(f"{at}: id {food_id!r} is not an NDB number; allowed: 5 digits")
        elif food_id in seen_ids:
            problems.append(f"{at}: id {food_id!r} is listed twice; allowed: each food once")
        seen_ids.add(food_id)
        if not usda or usda in out:
            problems.append(f"{at}: usda_name {usda!r} is empty or listed twice; allowed: the table's name, once")
        if not short:
            problems.append(f"{at}: short is empty; allowed: the food's name as a shopper says it")
        for field, value in (("short", short), ("shop", shop)):
            noise = NOISE_WORDS.search(value)
            if noise:
                problems.append(f"{at}: {field} {value!r} has the USDA word {noise.group(0)!r}; allowed: shop words")
        out[usda] = ShortName(id=food_id, usda_name=usda, short=short, shop=shop or short)
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in short names", problems)
    return out


def reviewed_name(name: str) -> ShortName | None:
    """The reviewed names of a food, by its USDA name; None for a food outside ``SHORT_NAMES_FILE``."""
    return read_short_names().get(name)


def shop_name(name: str) -> str:
    """The product a shopper looks for: the reviewed shopping name, else the short name.

    ``"Egg, whole, cooked, scrambled"`` -> ``"eggs"``; ``"Lime juice, raw"`` -> ``"limes"``.
    """
    listed = reviewed_name(name)
    return listed.shop if listed else short_name(name)


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
    """A food's name as people say it: the reviewed name (``SHORT_NAMES_FILE``), else by rule.

    ``"Lamb, domestic, leg, whole (shank and sirloin), ..."`` -> ``"lamb leg"`` (reviewed);
    ``"Bread, whole-wheat, commercially prepared"`` -> ``"whole-wheat bread"``; for foods outside the
    file, ``"Nuts, almonds"`` -> ``"almonds"`` by rule (``rule_name``).
    """
    listed = reviewed_name(name)
    return listed.short if listed else rule_name(name)


def rule_name(name: str) -> str:
    """A shop-friendly name derived from a USDA-style name by rules (foods without a reviewed name).

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
    """``noun`` for ``n`` of them: "2 bananas", "1½ cups", "2 boxes", but "1 cup", "½ banana" and "3 oats"."""
    if n <= 1 or noun.endswith("s"):
        return noun
    if noun in _ES_PLURALS or noun.endswith(("x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def singular(noun: str) -> str:
    """The singular of an English plural noun ("berries" -> "berry", "potatoes" -> "potato")."""
    if noun.endswith("ies") and noun not in _IE_NOUNS:
        return noun[:-3] + "y"
    if noun.endswith(("oes", "ches", "shes", "xes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith("ss"):
        return noun[:-1]
    return noun


def head_noun(name: str) -> str:
    """The thing a USDA name is about, singular and lower case: "Bananas, raw" -> "banana"."""
    return singular(re.sub(r"\s*\(.*?\)", "", name.split(",")[0]).strip().lower())
