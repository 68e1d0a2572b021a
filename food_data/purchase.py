"""What a shopper buys for a food eaten cooked, and which foods are one product on a shopping list.

``purchase_form("20037", table)`` (brown rice, cooked) is brown rice as sold, raw (dry), and the
grams of it that make one gram cooked. ``merge_key`` names near-duplicate products alike, so three
kinds of nonfat milk are one line, "nonfat milk".

The yield comes from the water of the two forms. Cooking adds or removes water; assuming the dry
matter is kept::

    raw grams = cooked grams × (100 − water_cooked) / (100 − water_raw)

with water in g per 100 g. Brown rice, cooked, is 73.1 % water and raw brown rice 10.4 %, so
100 g cooked needs 100 × 26.9 / 89.6 = 30 g dry; roasted chicken breast (65.3 %) needs
100 × 34.7 / 24.2 = 143 g raw (75.8 %). Dry matter is not quite kept (fat drips from meat, some
solids leach into the cooking water), so the factor is an estimate, clamped to ``FACTOR_RANGE`` and,
for a moist raw form, to at least 1 (``MOIST_WATER``). A food with no raw form in the table, or
sold as eaten (canned, fried, breaded, roasted nuts), is bought as it is eaten (factor 1).

Where the rule fails, a published cooking yield is used instead: ``YIELDS_FILE``
(``data/purchase_yields.csv``: cooked grams per raw gram by food or kind, each with its source). Boiled
spinach keeps its water percentage while losing a third of its weight, so the rule bought raw spinach at
its cooked weight; USDA's yield (0.65) buys 1.54 g raw per gram cooked.

The raw form is found by name: the cooked name without its cooking words ("cooked", "boiled",
"dry heat", "without salt"...) is the raw name without its raw words ("raw", "dry", "uncooked",
"unprepared"), both without "mature seeds". When that finds no single raw food, ``PAIRS_FILE``
(``data/purchase_pairs.csv``: cooked id, raw id and both names, checked against the table) says which.

Products come in packs (``PACKS_FILE``, ``data/purchase_packs.csv``: the pack a product is sold in and
its typical size); ``packs_for`` finds a product's pack sizes and ``choose_packs`` the packs that cover
an amount.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from mealplan.errors import ConfigError
from mealplan.food_data.names import reviewed_name, short_name
from mealplan.numbers import cell_float

if TYPE_CHECKING:
    import pandas as pd

    from mealplan.food_data.table import FoodTable

DATA = Path(__file__).parent / "data"
PAIRS_FILE = DATA / "purchase_pairs.csv"
PAIRS_COLUMNS = ("cooked_id", "raw_id", "cooked_name", "raw_name")
YIELDS_FILE = DATA / "purchase_yields.csv"
YIELDS_COLUMNS = ("food", "usda_name", "yield", "source")
PACKS_FILE = DATA / "purchase_packs.csv"
PACKS_COLUMNS = ("product", "pack", "size", "unit", "label", "source")
PACK_UNITS = ("g", "mL", "each")
# Raw grams per cooked gram outside this range mean the two forms are not the same food as bought
# (or the water figures are off). The wettest cooked staples, cream of wheat and oat bran cooked with
# water, are about 0.12-0.14 g dry a gram; meat loses at most about a third of its weight.
FACTOR_RANGE = (0.1, 1.6)
# A published yield outside this range (cooked grams per raw gram) is a typo, not a food.
YIELD_RANGE = (0.2, 4.0)
# A moist raw food (water at least this, g per 100 g: vegetables, meat, fish) does not gain weight
# when cooked, so it is bought at least gram for gram. Boiled kale's water (91 % against 84 % raw)
# would say 0.57 g raw per gram cooked: leached solids, not a yield.
MOIST_WATER = 50.0
# A purchase form drier than this (g water per 100 g) is "dry": grains, pulses, pasta.
DRY_WATER = 20.0


@dataclass(frozen=True)
class Purchase:
    """A food as bought.

    Attributes:
        id: Food id of the form bought (the eaten food's own id when it is bought as eaten).
        name: Its name in the food table.
        grams_factor: Grams bought per gram eaten (1.0 when bought as eaten).
        note: How the factor was found, e.g. ``"dry matter kept: water 73.1 % cooked, 10.4 % dry"``;
            empty when bought as eaten.
        form: ``"dry"`` (grains, pulses, pasta: under ``DRY_WATER``) or ``"raw"`` when bought in
            another form than eaten; empty when bought as eaten.
    """

    id: str
    name: str
    grams_factor: float = 1.0
    note: str = ""
    form: str = ""

    @property
    def converted(self) -> bool:
        """Whether the food is bought in another form than eaten (raw or dry)."""
        return bool(self.form)


# --- names ---------------------------------------------------------------------------------------

# A part of a name (between commas) that says the food was cooked ...
_COOKED = re.compile(
    r"\b(cooked|boiled|steamed|roasted|braised|stewed|broiled|grilled|baked|microwaved|simmered|"
    r"poached|fried|browned|dry heat|moist heat|prepared with water)\b",
    re.IGNORECASE,
)
# ... or goes with cooking, and is dropped from the cooked name with it ...
_COOKING_DETAIL = re.compile(
    r"^(drained|with(out)? (added )?salt|no salt added|in skin|baked in skin|flesh|without skin|patty|patties|"
    r"crumbles)$",
    re.IGNORECASE,
)
# ... a part that says it is raw, dry or unprepared, dropped from the raw name ...
_RAW = re.compile(r"^(raw|dry|uncooked|unprepared|dry form|as purchased)$", re.IGNORECASE)
# ... and parts either name may have or not.
_EITHER = re.compile(r"^(mature seeds?|without salt|with salt|fresh|year round average)$", re.IGNORECASE)
# Foods bought as they are eaten, though their names say cooked: canned, fried or breaded (the fat
# and crumbs are not in the raw food), roasted nuts and seeds.
_AS_IS = re.compile(
    r"\b(canned|dried|dehydrated|breaded|batter|fried|juice|powder|flour|toasted)\b|\b(dry|oil|honey)[- ]roasted\b",
    re.IGNORECASE,
)


def _parts(name: str) -> list[str]:
    """The comma-separated parts of a USDA name, outside parentheses, lower case."""
    parts, depth, current = [], 0, ""
    for ch in name:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(current.strip().lower())
            current = ""
        else:
            current += ch
    parts.append(current.strip().lower())
    return [p for p in parts if p]


def is_cooked(name: str) -> bool:
    """Whether a food's name says it is eaten cooked (and is not canned, frozen or otherwise sold so)."""
    return any(_COOKED.search(p) for p in _parts(name)[1:]) and not _AS_IS.search(name)


def _cooked_base(name: str) -> frozenset[str]:
    """The name's parts without cooking words: what its raw form is called without raw words."""
    return frozenset(
        p for p in _parts(name) if not _COOKED.search(p) and not _COOKING_DETAIL.match(p) and not _EITHER.match(p)
    )


def _raw_base(name: str) -> frozenset[str] | None:
    """The name's parts without raw words, or None if it is not a raw (or dry) form."""
    parts = _parts(name)
    if not any(_RAW.match(p) for p in parts[1:]) or any(_COOKED.search(p) for p in parts):
        return None
    return frozenset(p for p in parts if not _RAW.match(p) and not _EITHER.match(p))


# --- the raw form --------------------------------------------------------------------------------


def _water(frame: pd.DataFrame, food_id: str) -> float:
    """Water, g per 100 g; NaN when unknown."""
    water = cell_float(frame.at[food_id, "water"]) if "water" in frame.columns else None
    return math.nan if water is None else water


def _frame(table: FoodTable | pd.DataFrame) -> pd.DataFrame:
    return cast("pd.DataFrame", table.foods if hasattr(table, "foods") else table)


@functools.cache
def read_pairs(path: Path = PAIRS_FILE) -> dict[str, tuple[str, str, str]]:
    """The pairs file: cooked id -> (raw id, cooked name, raw name). Raw id empty: bought as eaten."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(line for line in fh if not line.startswith("#"))
        if tuple(reader.fieldnames or ()) != PAIRS_COLUMNS:
            raise ValueError(f"{path.name}: columns must be {', '.join(PAIRS_COLUMNS)}")
        rows = list(reader)
    pairs: dict[str, tuple[str, str, str]] = {}
    for n, row in enumerate(rows, start=1):
        if not row["cooked_id"] or row["cooked_id"] in pairs or None in row.values():
            raise ValueError(f"{path.name}, pair {n}: each cooked_id once, with four fields")
        pairs[row["cooked_id"]] = (row["raw_id"], row["cooked_name"], row["raw_name"])
    return pairs


def _raw_index(frame: pd.DataFrame) -> dict[frozenset[str], list[str]]:
    index: dict[frozenset[str], list[str]] = {}
    for food_id, name in frame["name"].items():
        base = _raw_base(str(name))
        if base:
            index.setdefault(base, []).append(str(food_id))
    return index


# The raw forms of the last table asked about, by name parts (a plan asks about one table).
_RAW_INDEX: list[tuple[pd.DataFrame, dict[frozenset[str], list[str]]]] = []


def raw_form(food_id: str, table: FoodTable | pd.DataFrame) -> str | None:
    """The id of the raw (or dry) form of a cooked food, or None when it is bought as eaten."""
    frame = _frame(table)
    if food_id not in frame.index:
        return None
    pairs = read_pairs()
    if food_id in pairs:
        raw_id = pairs[food_id][0]
        return raw_id if raw_id and raw_id in frame.index else None
    if not is_cooked(str(frame.at[food_id, "name"])):
        return None
    if not _RAW_INDEX or _RAW_INDEX[0][0] is not frame:
        _RAW_INDEX[:] = [(frame, _raw_index(frame))]
    found = _RAW_INDEX[0][1].get(_cooked_base(str(frame.at[food_id, "name"])), [])
    return found[0] if len(found) == 1 else None


def yield_factor(water_cooked: float, water_raw: float) -> float | None:
    """Raw grams per cooked gram, dry matter kept: ``(100 − water_cooked) / (100 − water_raw)``.

    Clamped to ``FACTOR_RANGE``, and to at least 1 when the raw form is moist (``MOIST_WATER``).
    None without usable water figures (g per 100 g, from 0 to under 100).
    """
    if not all(isinstance(w, int | float) and math.isfinite(w) and 0 <= w < 100 for w in (water_cooked, water_raw)):
        return None
    low, high = FACTOR_RANGE
    if water_raw >= MOIST_WATER:
        low = 1.0
    return min(high, max(low, (100.0 - water_cooked) / (100.0 - water_raw)))


def purchase_form(food_id: str, table: FoodTable | pd.DataFrame) -> Purchase:
    """What to buy for a food, and how many grams of it per gram eaten.

    A published cooking yield (``published_yield``) is used where one fits the food; otherwise the
    grams come from the two forms' water (``yield_factor``).

    Args:
        food_id: The eaten food's id.
        table: A food table (or its ``foods`` frame) with ``name`` and ``water`` (g per 100 g).

    Returns:
        The raw or dry form for a cooked food with one in the table (cooked brown rice: dry brown
        rice, factor 0.30; boiled spinach: raw spinach, factor 1.54); otherwise the food itself, factor 1.
    """
    frame = _frame(table)
    name = str(frame.at[food_id, "name"]) if food_id in frame.index else food_id
    as_is = Purchase(id=food_id, name=name)
    raw_id = raw_form(food_id, frame)
    if raw_id is None:
        return as_is
    raw_name = str(frame.at[raw_id, "name"])
    w_cooked, w_raw = (_water(frame, i) for i in (food_id, raw_id))
    form = "dry" if w_raw < DRY_WATER else "raw"
    published = published_yield(food_id, name)
    if published is not None:
        published_factor = 1.0 / published.cooked_per_raw
        note = f"cooking yield {published.cooked_per_raw:.2f} g cooked per g {form} ({published.source})"
        return Purchase(id=raw_id, name=raw_name, grams_factor=round(published_factor, 3), note=note, form=form)
    factor = yield_factor(w_cooked, w_raw)
    if factor is None:
        return as_is
    note = f"dry matter kept: water {w_cooked:.1f} % cooked, {w_raw:.1f} % {form}"
    unclamped = (100.0 - w_cooked) / (100.0 - w_raw)
    if abs(unclamped - factor) > 0.0005:
        note += f" (gives {unclamped:.2f}, held to {factor:.2f})"
    return Purchase(id=raw_id, name=raw_name, grams_factor=round(factor, 3), note=note, form=form)


# --- published yields ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedYield:
    """A published cooking yield (a row of ``YIELDS_FILE``).

    Attributes:
        food: A cooked food's id, or a kind: a regular expression searched in cooked foods' USDA names.
        usda_name: The food's name in the bundled table (id rows); empty for a kind.
        cooked_per_raw: Grams cooked per gram raw (0.65: 100 g raw spinach boils down to 65 g).
        source: Where it is published, short.
    """

    food: str
    usda_name: str
    cooked_per_raw: float
    source: str

    @property
    def is_kind(self) -> bool:
        """Whether the row is a kind of food (a name pattern), not one food."""
        return not re.fullmatch(r"\d{5}", self.food)


def _data_rows(path: Path, columns: tuple[str, ...], what: str) -> list[tuple[int, list[str]]]:
    """A data file's rows as (line number, fields), comment and blank lines skipped.

    A header other than ``columns`` is a ``ConfigError``; callers check each row's field count.
    """
    with open(path, newline="", encoding="utf-8") as fh:
        numbered = [(n, line) for n, line in enumerate(fh, start=1) if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(line for _, line in numbered))
    if not rows or tuple(rows[0]) != columns:
        found = ",".join(rows[0]) if rows else ""
        raise ConfigError(f"{path}: {what} header is {found!r}; allowed: {','.join(columns)}")
    return [(n, row) for (n, _), row in zip(numbered[1:], rows[1:], strict=True)]


def _fields(at: str, row: list[str], columns: tuple[str, ...], problems: list[str]) -> list[str] | None:
    if len(row) != len(columns):
        problems.append(f"{at}: {len(row)} fields; allowed: {len(columns)} ({','.join(columns)})")
        return None
    return [field.strip() for field in row]


@functools.cache
def read_yields(path: Path = YIELDS_FILE) -> tuple[PublishedYield, ...]:
    """The published-yields file, in file order. Every problem is collected into one ``ConfigError``."""
    problems: list[str] = []
    out: list[PublishedYield] = []
    seen: set[str] = set()
    for line, row in _data_rows(path, YIELDS_COLUMNS, "yields"):
        fields = _fields(f"line {line}", row, YIELDS_COLUMNS, problems)
        if fields is None:
            continue
        food, usda, text, source = fields
        at = f"line {line} (food {food!r})"
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        low, high = YIELD_RANGE
        if not low <= value <= high:
            problems.append(f"{at}: yield {text!r} is not a cooking yield; allowed: {low} to {high} g cooked per g raw")
        if not source:
            problems.append(f"{at}: source is empty; allowed: where the yield is published")
        if food in seen:
            problems.append(f"{at}: food {food!r} is listed twice; allowed: once")
        seen.add(food)
        entry = PublishedYield(food=food, usda_name=usda, cooked_per_raw=value, source=source)
        if entry.is_kind:
            try:
                re.compile(food)
            except re.error as exc:
                problems.append(f"{at}: food {food!r} is no id or pattern ({exc}); allowed: 5 digits, a regex")
            if usda:
                problems.append(f"{at}: usda_name {usda!r} is set for a kind; allowed: empty")
        elif not usda:
            problems.append(f"{at}: usda_name is empty; allowed: the food's name in the bundled table")
        out.append(entry)
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in published yields", problems)
    return tuple(out)


def published_yield(food_id: str, name: str) -> PublishedYield | None:
    """The published yield of a cooked food: its id's row, else the first kind whose pattern is in its name."""
    rows = read_yields()
    for row in rows:
        if not row.is_kind and row.food == food_id:
            return row
    return next((row for row in rows if row.is_kind and re.search(row.food, name, re.IGNORECASE)), None)


# --- packs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pack:
    """One size a product is sold in (a row of ``PACKS_FILE``).

    Attributes:
        pack: The pack's word, singular ("bottle", "half gallon", "bag").
        size: What it holds, in ``unit``; None: the food's own household measure named like ``pack``.
        unit: "g", "mL" or "each" (pieces, weighed by the food's measure of the piece word in ``label``).
        label: The size as the pack states it ("16.9 fl oz", "6 bagels").
        source: Where the size comes from.
    """

    pack: str
    size: float | None
    unit: str
    label: str
    source: str

    @property
    def piece(self) -> str:
        """For a pack of pieces, the piece word, singular: "6 bagels" -> "bagel"."""
        word = self.label.split()[-1] if self.label else ""
        return word[:-1] if word.endswith("s") else word


def _pack(at: str, fields: list[str], problems: list[str]) -> Pack | None:
    pack, size_text, unit, label, source = fields[1:]
    size: float | None = None
    if size_text:
        try:
            size = float(size_text)
        except ValueError:
            size = math.nan
        if not size > 0:
            problems.append(f"{at}: size {size_text!r} is not a positive number; allowed: > 0, or empty")
            return None
    if unit not in PACK_UNITS:
        problems.append(f"{at}: unit {unit!r} is unknown; allowed: {', '.join(PACK_UNITS)}")
        return None
    if not pack or not source or (unit == "each" and (size is None or not label)):
        problems.append(f"{at}: pack, source (and for unit each, size and label) are needed; allowed: non-empty")
        return None
    return Pack(pack=pack, size=size, unit=unit, label=label, source=source)


@functools.cache
def read_packs(path: Path = PACKS_FILE) -> tuple[tuple[re.Pattern[str], tuple[Pack, ...]], ...]:
    """The packs file: each product pattern with its sizes, in file order (consecutive rows of one
    product are its sizes). Every problem is collected into one ``ConfigError``."""
    problems: list[str] = []
    grouped: list[tuple[str, list[Pack]]] = []
    for line, row in _data_rows(path, PACKS_COLUMNS, "packs"):
        fields = _fields(f"line {line}", row, PACKS_COLUMNS, problems)
        if fields is None:
            continue
        product = fields[0]
        at = f"line {line} (product {product!r})"
        try:
            re.compile(product)
        except re.error as exc:
            problems.append(f"{at}: product is not a regular expression ({exc}); allowed: a regex")
            continue
        pack = _pack(at, fields, problems)
        if pack is None:
            continue
        if grouped and grouped[-1][0] == product:
            grouped[-1][1].append(pack)
        elif any(p == product for p, _ in grouped):
            problems.append(f"{at}: product is listed again further down; allowed: its sizes on adjacent rows")
        else:
            grouped.append((product, [pack]))
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in packs", problems)
    return tuple((re.compile(p), tuple(sizes)) for p, sizes in grouped)


def packs_for(product: str) -> tuple[Pack, ...]:
    """The sizes a product is sold in, by its shopping name (``names.shop_name``); empty: sold loose."""
    low = product.lower()
    return next((sizes for pattern, sizes in read_packs() if pattern.search(low)), ())


def choose_packs(amount: float, sizes: list[float], slack: float = 0.05) -> list[int]:
    """How many packs of each size cover ``amount``: the least left over, each pack counted as a tenth
    of the largest size left over (a tub and two cups of yogurt, not seven cups).

    Up to ``slack`` of the smallest pack may stay uncovered (no extra bottle for the last spoonful);
    two sizes at most are mixed. ``choose_packs(2800, [1893, 946])`` is ``[1, 1]``: a half gallon and a
    quart (three quarts leave as much over, in more packs).
    """
    if not sizes or amount <= 0:
        return [0] * len(sizes)
    need = max(amount - slack * min(sizes), 1e-9)
    per_pack = 0.1 * max(sizes)
    best: tuple[float, list[int]] | None = None
    for i, big in enumerate(sizes):
        for n_big in range(int(need // big) + 2):
            rest = max(0.0, need - n_big * big)
            for j, small in enumerate(sizes):
                counts = [0] * len(sizes)
                counts[i] += n_big
                counts[j] += math.ceil(rest / small - 1e-9) if rest > 0 else 0
                total = sum(c * s for c, s in zip(counts, sizes, strict=True))
                if total < need:
                    continue
                score = total - need + per_pack * sum(counts)
                if best is None or score < best[0] - 1e-9:
                    best = (score, counts)
    assert best is not None  # n_big = need // big + 1 of any size covers the amount
    return best[1]


# --- one line per product ------------------------------------------------------------------------

# Qualifiers of a short name that are labelling, not another product. "(calcium-fortified)" and
# "(calcium-set)" stay: the plan's calcium counts on them. "(canned)" comes back as a prefix.
_QUALIFIER = re.compile(r"\s*\((fortified|canned|canned entree|with calcium propionate|with ca prop)\)")
# Mushrooms exposed to UV light are the vitamin D a plan may count on: another product.
_UV = re.compile(r"\bultraviolet\b|\buv\b", re.IGNORECASE)
_STATE = re.compile(r"\b(canned|frozen|dried|dehydrated|smoked)\b", re.IGNORECASE)


def merge_key(name: str, category: str = "") -> str:
    """The product a food is bought as, for one shopping line per product.

    A food with a reviewed name (``names.SHORT_NAMES_FILE``) is its shopping name, lower case. Others:
    the short name (``food_data.names.short_name``, which drops preparation and labelling words)
    without labelling qualifiers, so vitamin-added, protein-fortified and plain nonfat milk are all
    "nonfat milk", raw and cooked spinach "spinach", sockeye salmon raw and cooked "sockeye salmon".
    Canned, frozen, dried and smoked stay apart ("canned sockeye salmon"): other products on other
    shelves. So do calcium-fortified and calcium-set foods, and mushrooms exposed to UV light: the
    plan's calcium and vitamin D count on them. Dried or dehydrated fruit and vegetables (by
    ``category``; empty: any food) are "dried", apart from fresh ones.
    """
    listed = reviewed_name(name)
    if listed is not None:
        return listed.shop.lower()  # reviewed: canned, frozen, fortified and UV-treated already say so
    key = _QUALIFIER.sub("", short_name(name)).strip().lower()
    key = re.sub(r"\s+", " ", key)
    produce = (category or "").lower() in ("fruits", "vegetables", "")
    for state in dict.fromkeys(m.lower() for m in _STATE.findall(name)):
        if state in ("dried", "dehydrated") and not produce:
            continue  # sunflower seeds, dried: seeds are always dry
        state = "dried" if state == "dehydrated" else state
        if not re.search(rf"\b{state}\b", key):
            key = f"{state} {key}"
    if _UV.search(name) and "uv" not in key:
        key = f"uv-exposed {key}"
    return key
