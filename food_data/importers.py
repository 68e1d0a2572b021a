"""Food tables from outside the bundled data: a person's own CSV (here), and USDA FoodData Central
downloads (:mod:`food_data.fdc`, which shares this module's problem collector and curation step).

:func:`read_user_csv` reads a CSV of a person's own foods, recipes or commodities (one row per food,
nutrient columns named by registry id or alias, optional tags and prices) into a
:class:`~food_data.table.FoodTable`.

Both readers collect every problem they find and raise one :class:`~mealplan.errors.FoodDataError` whose
problems name the file, the row (as a spreadsheet numbers it: the header is row 1), the column,
the bad value and the rule. Blank nutrient cells are unknown (NaN), never zero.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import DTypeLike

from mealplan.errors import FoodDataError
from mealplan.fileio import CsvTable
from mealplan.food_data.nutrients import BY_ID, NUTRIENT_IDS, normalize_id, resolve, unit_factor
from mealplan.food_data.table import CURATION_COLUMNS, INFO_COLUMNS, Deferred, FoodTable, Rows
from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, ALLERGENS, CATEGORIES, DIETS, SLOTS, split_tags

if TYPE_CHECKING:
    import zipfile

    import pandas as pd

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
DEFAULT_BASIS = "100 g"
DEFAULT_MAX_G = 500.0
MAX_LISTED_PROBLEMS = 50

# Columns of a user CSV that describe a food rather than a nutrient. Every other column is a
# nutrient: a registry one when food_data.nutrients.resolve knows its name, else a custom one.
USER_TEXT_COLUMNS = (
    "id",
    "name",
    "per",
    "category",
    "diet",
    "allergens",
    "slots",
    "serving_name",
    "usda_group",
)
USER_NUMBER_COLUMNS = ("price", "serving_g", "max_g")
USER_BOOL_COLUMNS = ("as_eaten", "planner")
USER_COLUMNS = USER_TEXT_COLUMNS + USER_NUMBER_COLUMNS + USER_BOOL_COLUMNS
# A column mealplan fills itself that a person's table may still carry as a note: kept as text
# under another name (``source`` is where the figures come from, e.g. "Stigler 1945").
USER_RENAMED_TEXT = {"source": "source_note"}

# Conversions unit_factor cannot do because they are not between masses.
_SPECIAL_FACTORS: dict[tuple[str, str], float] = {
    ("vitamin_d", "IU"): 1 / 40,  # 1 µg vitamin D = 40 IU
    ("energy", "kJ"): 1 / 4.184,  # thermochemical calorie
}
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_MASS_GRAMS = {"g": 1.0, "kg": 1000.0, "mg": 1e-3, "oz": 28.349523125, "lb": 453.59237}


class Problems:
    """Collects problems, then raises them as one FoodDataError."""

    def __init__(self, source: Path | zipfile.Path | str) -> None:
        self.source = str(source)
        self.items: list[str] = []

    def add(self, text: str) -> None:
        self.items.append(text)

    def cell(self, row: int, column: str, value: object, rule: str) -> None:
        self.items.append(f"{self.source}: row {row}, column {column!r}: {value!r} {rule}")

    def raise_if_any(self, message: str) -> None:
        if not self.items:
            return
        shown = self.items[:MAX_LISTED_PROBLEMS]
        if len(self.items) > MAX_LISTED_PROBLEMS:
            shown.append(f"... and {len(self.items) - MAX_LISTED_PROBLEMS} more problems")
        raise FoodDataError(f"{message} ({len(self.items)} problem{'s' * (len(self.items) != 1)}):", shown)


# User CSV --------------------------------------------------------------------------------------


def read_user_csv(path: Path | str) -> FoodTable:
    """Read a CSV of a person's own foods, recipes or commodities.

    Columns: ``id`` and ``name`` (required); nutrient columns named by registry id, display name
    or alias (``magnesium``, ``Vitamin B12``, ``b12``), optionally with a unit in brackets
    (``calcium[g]``) that is converted to the registry unit; any other column is a custom nutrient
    kept under its normalised name in its declared unit (default ``unit``), unless it holds text
    (``unit``, ``notes``: a cell that is not a number), when it is kept as a text column. A ``source``
    column is kept as text under ``source_note``. Optional: ``per`` (the
    basis of the amounts, default ``100 g``; one basis per file), ``price`` (per basis), and the
    tag columns ``category``, ``diet``, ``allergens``, ``slots``, ``as_eaten``, ``planner``,
    ``serving_name``, ``serving_g``, ``max_g``, ``usda_group``. Blank category, diet and allergen
    cells are filled by ``food_data.curation.classify_names``; write ``none`` in ``allergens`` for a
    food free of all allergens.

    Args:
        path: The CSV file.

    Returns:
        The foods as a FoodTable whose ``basis`` is the file's basis and whose ``source`` is ``path``.

    Raises:
        FoodDataError: listing every problem in the file (row numbers as in a spreadsheet).
    """
    path = Path(path)
    problems = Problems(path)
    table = _read_table(path, problems)
    problems.raise_if_any(f"Cannot read food table {path}")
    assert table is not None
    return _parse_user_records(path, table, problems)


def _read_table(path: Path, problems: Problems) -> CsvTable | None:
    """The file's rows (:func:`mealplan.fileio.read_csv_table`, the one CSV reader), or None after adding
    a problem (too large, empty, binary, not text)."""
    from mealplan.fileio import read_csv_table

    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.add(f"{path}: cannot read the file ({exc.strerror})")
        return None
    if size > MAX_FILE_BYTES:
        problems.add(f"{path}: file is too large ({size / 1e6:.1f} MB); the limit is {MAX_FILE_BYTES // 2**20} MB")
        return None
    try:  # a FIFO or a device (/dev/zero) is refused, and the read is capped whatever st_size said
        table = read_csv_table(path, "food table", max_bytes=MAX_FILE_BYTES, error=FoodDataError)
    except FoodDataError as exc:
        problems.add(str(exc))
        return None
    if not table.header and not table.rows and not table.broken:
        problems.add(f"{path}: the file is empty; a food table needs a header row with at least id and name")
        return None
    return table


class _Column:
    """How one user CSV column is read.

    ``kind``: ``text``/``number``/``bool`` (a known column), ``nutrient`` (a registry nutrient),
    ``custom`` (an unknown column of numbers: a custom nutrient), ``note`` (an unknown column holding
    text, kept as text) or ``skip``.
    """

    def __init__(self, header: str, kind: str, target: str, unit: str | None = None, factor: float = 1.0):
        self.header, self.kind, self.target, self.unit, self.factor = header, kind, target, unit, factor


_HEADER_UNIT = re.compile(r"^(?P<base>.*?)\s*\[\s*(?P<unit>[^\]]*?)\s*\]$")


def _plan_columns(path: Path, header: list[str], records: list[list[str]], problems: Problems) -> list[_Column]:
    """Decide what each header means; problems for unnamed, duplicate or unconvertible columns."""
    columns: list[_Column] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(header):
        h = raw.strip()
        if not h:
            if any(i < len(r) and r[i].strip() for r in records[1:]):
                problems.add(f"{path}: row 1, column {i + 1} has values but no name in the header")
            columns.append(_Column(raw, "skip", ""))
            continue
        m = _HEADER_UNIT.match(h)
        base, unit = (m["base"], m["unit"]) if m else (h, None)
        key = normalize_id(base)
        if key in USER_RENAMED_TEXT:
            col = _Column(h, "note", USER_RENAMED_TEXT[key])
        elif key in INFO_COLUMNS + CURATION_COLUMNS and key not in USER_COLUMNS:
            problems.add(f"{path}: row 1, column {h!r}: mealplan sets {key!r} itself; remove or rename the column")
            col = _Column(h, "skip", "")
        elif key in USER_COLUMNS:
            if unit is not None and key != "price":
                problems.add(f"{path}: row 1, column {h!r}: only nutrient columns (and price) take a [unit]")
            kind = "text" if key in USER_TEXT_COLUMNS else "number" if key in USER_NUMBER_COLUMNS else "bool"
            col = _Column(h, kind, key)
        elif (nut := resolve(base)) is not None:
            factor = convert_factor(nut.id, unit, nut.unit) if unit else 1.0
            if factor is None:
                problems.add(
                    f"{path}: row 1, column {h!r}: unit {unit!r} cannot be converted to {nut.id}'s unit "
                    f"{nut.unit!r}; use {nut.unit} or another mass unit (g, mg, µg)"
                )
                factor = 1.0
            col = _Column(h, "nutrient", nut.id, nut.unit, factor)
        elif not key:
            problems.add(f"{path}: row 1, column {h!r}: a nutrient column needs a name")
            col = _Column(h, "skip", "")
        elif _holds_text(records[1:], i):
            col = _Column(h, "note", key)
        else:
            col = _Column(h, "custom", key, unit or "unit")
        if col.kind != "skip":
            if col.target in seen:
                problems.add(
                    f"{path}: row 1: columns {seen[col.target]!r} and {h!r} both mean {col.target!r}; keep one"
                )
            seen.setdefault(col.target, h)
        columns.append(col)
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        problems.add(
            f"{path}: row 1: the header {header[0]!r} is one column; the file looks separated by ';' "
            "or tabs, "
            "but a food table must be separated by commas"
        )
        return columns
    for required in ("id", "name"):
        if required not in seen:
            found = ", ".join(repr(c.strip()) for c in header) or "none"
            problems.add(f"{path}: row 1: missing required column {required!r} (columns found: {found})")
    return columns


def _holds_text(rows: list[list[str]], i: int) -> bool:
    """Whether column ``i`` holds text: a cell that is not a number, nor one with a decimal comma
    (a typo in a column of numbers, reported cell by cell)."""
    for rec in rows:
        cell = rec[i].strip() if i < len(rec) else ""
        if not cell or _DECIMAL_COMMA.fullmatch(cell):
            continue
        try:
            float(cell)
        except ValueError:
            return True
    return False


_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


def convert_factor(nutrient_id: str, unit: str, to_unit: str) -> float | None:
    special = _SPECIAL_FACTORS.get((nutrient_id, unit))
    if special is not None:
        return special
    try:
        return unit_factor(unit.replace("ug", "µg").replace("mcg", "µg"), to_unit)
    except ValueError:
        return None


def _number(text: str) -> tuple[float | None, str | None]:
    """Parse a numeric cell: (value, None), or (None, why it is not allowed). Blank gives NaN."""
    s = text.strip()
    if not s:
        return math.nan, None
    try:
        v = float(s)
    except ValueError:
        if _DECIMAL_COMMA.fullmatch(s):
            return None, "is not a number (use a dot as the decimal separator)"
        return None, "is not a number (leave the cell blank when unknown)"
    if math.isnan(v):
        return None, "is NaN; leave the cell blank when unknown"
    if math.isinf(v):
        return None, "is infinite; amounts must be finite numbers"
    if v < 0:
        return None, "is negative; amounts must be 0 or more"
    return v, None


def normalize_basis(text: str) -> str:
    """Canonical spelling of a basis: ``100g`` -> ``100 g``, ``1  lb`` -> ``1 lb``."""
    s = " ".join(text.split())
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([A-Za-zµ]+)", s)
    return f"{m[1]} {m[2]}" if m else s


# What ``per`` may say: an amount and a unit (mass, volume or a count), or a price.
_BASIS = re.compile(
    r"\d+(?:\.\d+)? (?:g|kg|mg|oz|lb|ml|l|cup|cups|tbsp|tsp|serving|servings|portion|item|items|piece|each)"
    r"|[$€£]\d+(?:\.\d+)?",
    re.IGNORECASE,
)
_BASIS_ALLOWED = "is not a basis; give an amount and a unit (100 g, 1 lb, 1 cup, 1 serving) or a price ($1)"


def basis_grams(basis: str) -> float | None:
    """Grams in a mass basis (``100 g`` -> 100, ``1 lb`` -> 453.6); None for other bases (``$1``)."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?) (g|kg|mg|oz|lb)", normalize_basis(basis))
    return float(m[1]) * _MASS_GRAMS[m[2]] if m else None


def _parse_user_records(path: Path, table: CsvTable, problems: Problems) -> FoodTable:
    header = table.header
    columns = _plan_columns(path, header, [header, *(r.cells for r in table.rows)], problems)
    problems.raise_if_any(f"Cannot read food table {path}")
    nutrients = [c for c in columns if c.kind in ("nutrient", "custom")]
    notes = [c.target for c in columns if c.kind == "note"]
    present = {c.target for c in columns}
    rows: list[dict[str, object]] = []
    first_row_of_id: dict[str, int] = {}
    bases: dict[str, int] = {}
    broken = {b.row: b for b in table.broken}
    for row_no, rec in sorted([(r.row, r.cells) for r in table.rows] + [(n, None) for n in broken]):
        if rec is None:
            # A stray double quote opened a quoted cell that would swallow the following lines (and foods).
            problems.add(broken[row_no].message(str(path)))
            continue
        if len(rec) > len(header) and any(cell.strip() for cell in rec[len(header) :]):
            problems.add(f"{path}: row {row_no} has {len(rec)} fields but the header has {len(header)}")
            continue
        if len(rec) < len(header):
            # Padding would shift nothing but hide a row cut short (a lost comma, a broken export).
            problems.add(
                f"{path}: row {row_no} has {len(rec)} fields but the header has {len(header)}; give every "
                "column (an empty cell is two commas in a row)"
            )
            continue
        row: dict[str, object] = {}
        for col, cell in zip(columns, rec, strict=False):
            if col.kind == "skip":
                continue
            if col.kind in ("text", "note"):
                row[col.target] = cell.strip()
            elif col.kind == "bool":
                row[col.target] = _parse_bool(cell, row_no, col, problems)
            else:
                v, why = _number(cell)
                if why is not None:
                    problems.cell(row_no, col.header, cell, why)
                number = math.nan if v is None else v  # None (a bad cell) exactly when why is given
                row[col.target] = number * col.factor if col.kind in ("nutrient", "custom") else number
        fid, name = str(row.get("id", "")), str(row.get("name", ""))
        if not fid:
            problems.cell(row_no, "id", "", "is blank; every food needs a unique id")
        elif fid in first_row_of_id:
            problems.cell(row_no, "id", fid, f"is a duplicate id (first used on row {first_row_of_id[fid]})")
        else:
            first_row_of_id[fid] = row_no
        if not name:
            problems.cell(row_no, "name", "", "is blank; every food needs a name")
        basis = normalize_basis(str(row.get("per", ""))) or DEFAULT_BASIS
        if _BASIS.fullmatch(basis):
            bases.setdefault(basis, row_no)
        else:
            problems.cell(row_no, "per", str(row.get("per", "")), _BASIS_ALLOWED)
        row["per"] = basis
        _check_tags(row, row_no, problems)
        for g in ("serving_g", "max_g"):
            if g in row and row[g] == 0:
                problems.cell(row_no, g, "0", "must be more than 0 grams")
        if row.get("serving_name") and "serving_g" in present and math.isnan(cast(float, row["serving_g"])):
            problems.cell(
                row_no,
                "serving_g",
                "",
                f"is blank but serving_name is {row['serving_name']!r}; give its grams",
            )
        rows.append(row)
    if not rows and not problems.items:
        problems.add(f"{path}: the file has a header but no food rows")
    if len(bases) > 1:
        listed = ", ".join(f"{b!r} (first on row {r})" for b, r in bases.items())
        problems.add(f"{path}: column 'per': the file mixes bases {listed}; use one basis per file")
    problems.raise_if_any(f"Cannot read food table {path}")
    basis = next(iter(bases))
    return _user_table(path, rows, nutrients, basis, notes)


def _parse_bool(cell: str, row_no: int, col: _Column, problems: Problems) -> bool | None:
    s = cell.strip().lower()
    if not s:
        return None
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    problems.cell(row_no, col.header, cell, "is not true or false (allowed: true, false, yes, no, 1, 0)")
    return None


def _match(value: str, allowed: Iterable[str]) -> str | None:
    key = value.strip().lower()
    for a in allowed:
        if a.lower() == key or normalize_id(a) == normalize_id(key):
            return a
    return None


def _check_tags(row: dict[str, object], row_no: int, problems: Problems) -> None:
    """Normalise and check the tag cells of one row in place (blank stays blank)."""
    for col, allowed, what in (("category", CATEGORIES, "category"), ("diet", DIETS, "diet")):
        value = str(row.get(col, ""))
        if value:
            hit = _match(value, allowed)
            if hit is None:
                problems.cell(row_no, col, value, f"is not a known {what}; allowed: {', '.join(allowed)}")
            row[col] = hit or ""
    value = str(row.get("allergens", ""))
    if value:
        tags: list[str] = []
        for tag in split_tags(value):
            t = tag.lower()
            t = ALLERGEN_SYNONYMS.get(t, t).replace("-", "_").replace(" ", "_")
            if t == "none":
                continue
            if t not in ALLERGENS:
                problems.cell(
                    row_no,
                    "allergens",
                    tag,
                    f"is not a known allergen; allowed: none, {', '.join(ALLERGENS)}",
                )
            elif t not in tags:
                tags.append(t)
        row["allergens"] = ";".join(sorted(tags, key=ALLERGENS.index)) if tags else "none"
    value = str(row.get("slots", ""))
    if value:
        slots: list[str] = []
        for tag in split_tags(value):
            hit = _match(tag, SLOTS)
            if hit is None:
                problems.cell(row_no, "slots", tag, f"is not a meal slot; allowed: {', '.join(SLOTS)}")
            elif hit not in slots:
                slots.append(hit)
        row["slots"] = ";".join(sorted(slots, key=SLOTS.index))


def _classify(
    names: list[str], groups: list[str] | None, nutrients: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Category, diet and allergens from names, by the curation layer's classifier; a vegan tag is
    checked against the foods' nutrients (cholesterol, retinol, lactose) when they are given."""
    # Imported on use: the curation modules and pandas cost about 0.5 s (python -X importtime), and
    # `mealplan basket` reads a user table of numbers without classifying it.
    import pandas as pd

    from mealplan.food_data.curation import classify_names

    tags = classify_names(
        pd.Series(names, dtype=object),
        None if groups is None else pd.Series(groups, dtype=object),
        None if not nutrients else pd.DataFrame(nutrients),
    )
    return {c: tags[c].to_numpy(dtype=object) for c in ("category", "diet", "allergens")}


def curate_imported(foods: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """The planner curation of the bundled table (as-eaten form, servings, daily maxima, slots,
    planner set) applied to FoodData Central foods, whose names follow the same USDA style. The
    bundled table's overrides are keyed by its own ids, so none apply here."""
    from mealplan.food_data.curation import curate  # on use, as in _classify

    return curate(foods, measures, overrides=None)


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _user_table(
    path: Path, rows: list[dict[str, object]], nutrients: list[_Column], basis: str, notes: Sequence[str] = ()
) -> FoodTable:
    """The table of a user's CSV, as numpy columns (no pandas unless its tags must be classified).

    ``notes`` are the user's own text columns (``unit``, ``notes``...), kept after the nutrients."""
    given = rows[0].keys()  # every row has the same cells

    def column(name: str, default: object, dtype: DTypeLike = object) -> np.ndarray:
        if name not in given:
            return np.array([default] * len(rows), dtype=dtype)
        return np.array([default if _blank(r[name]) else r[name] for r in rows], dtype=dtype)

    grams = basis_grams(basis)
    names = [str(r["name"]) for r in rows]
    data: dict[str, Any] = {  # numpy columns, and a Deferred for tags classified on first use
        "name": np.array(names, dtype=object),
        "usda_group": np.array([str(v) for v in column("usda_group", "")], dtype=object),
        "source": np.array([str(path)] * len(rows), dtype=object),
        "deprecated": np.zeros(len(rows), dtype=bool),
    }
    tag_names = ("category", "diet", "allergens")
    given_tags = {tag: column(tag, "") for tag in tag_names}
    if any(tag not in given or (given_tags[tag] == "").any() for tag in tag_names):
        groups = [str(r["usda_group"]) for r in rows] if "usda_group" in given else None

        def classified() -> dict[str, np.ndarray]:
            measured: dict[str, np.ndarray] = {n: data[n] for n in ("cholesterol", "retinol", "lactose") if n in data}
            found = _classify(names, groups, measured)
            return {tag: _tags(np.where(given_tags[tag] != "", given_tags[tag], found[tag])) for tag in tag_names}

        deferred = Deferred(classified)
        data.update({tag: deferred for tag in tag_names})
    else:
        data.update({tag: _tags(given_tags[tag]) for tag in tag_names})
    data["as_eaten"] = column("as_eaten", True, bool)
    default_g = 100.0 if basis == DEFAULT_BASIS else grams if grams is not None else math.nan
    serving_g = column("serving_g", default_g, float)
    serving_name = [
        str(name) if name != "" else basis if g == default_g or math.isnan(g) else f"{g:g} g"
        for name, g in zip(column("serving_name", ""), serving_g, strict=True)
    ]
    data["serving_name"] = np.array(serving_name, dtype=object)
    data["serving_g"] = serving_g
    # A portion limit only makes sense for foods per 100 g; commodity tables are unlimited by default.
    data["max_g"] = column("max_g", DEFAULT_MAX_G if basis == DEFAULT_BASIS else math.nan, float)
    data["slots"] = np.array([str(v) for v in column("slots", ";".join(SLOTS))], dtype=object)
    data["planner"] = column("planner", True, bool)
    data["price"] = column("price", math.nan, float)
    order = [c.target for c in sorted(nutrients, key=_nutrient_order)]
    for nid in order:
        data[nid] = np.array([r[nid] for r in rows], dtype=float)
    for note in notes:
        data[note] = np.array([str(r[note]) for r in rows], dtype=object)
    units = {c.target: c.unit or "unit" for c in nutrients}
    ids = np.array([str(r["id"]) for r in rows], dtype=object)
    measured = [i for i, (name, g) in enumerate(zip(serving_name, serving_g, strict=True)) if name != basis and g == g]
    measures = {
        "id": ids[measured],
        "measure": np.array([serving_name[i] for i in measured], dtype=object),
        "grams": serving_g[measured],
    }
    return FoodTable(foods=Rows(ids, data), measures=measures, units=units, basis=basis)


def _tags(values: np.ndarray) -> np.ndarray:
    """Tag cells as text, "none" (the user's word for no allergens) as blank."""
    return np.array(["" if v == "none" else str(v) for v in values], dtype=object)


def _nutrient_order(col: _Column) -> tuple[int, str]:
    return (NUTRIENT_IDS.index(col.target), "") if col.target in BY_ID else (len(NUTRIENT_IDS), col.target)
