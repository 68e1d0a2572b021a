"""Food tables from outside the bundled data: a person's own CSV, and USDA FoodData Central downloads.

Two loaders, each returning a :class:`~food_data.table.FoodTable`:

* :func:`read_user_csv` reads a CSV of a person's own foods, recipes or commodities (one row per
  food, nutrient columns named by registry id or alias, optional tags and prices).
* :func:`read_fdc_folder` reads a FoodData Central CSV download folder (SR Legacy or Foundation
  Foods): ``food.csv``, ``nutrient.csv``, ``food_nutrient.csv`` and, when present,
  ``food_portion.csv``, ``measure_unit.csv`` and ``food_category.csv``. :func:`read_fdc_zip` reads
  the same files straight out of the ``.zip`` USDA ships, without unpacking it to disk.

Both collect every problem they find and raise one :class:`~mealplan.errors.FoodDataError` whose
problems name the file, the row (as a spreadsheet numbers it: the header is row 1), the column,
the bad value and the rule. Blank nutrient cells are unknown (NaN), never zero.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mealplan.errors import FoodDataError
from mealplan.food_data.nutrients import BY_ID, BY_USDA_NBR, NUTRIENT_IDS, normalize_id, resolve, unit_factor
from mealplan.food_data.table import CURATION_COLUMNS, INFO_COLUMNS, Deferred, FoodTable, Rows
from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, ALLERGENS, CATEGORIES, DIETS, SLOTS, split_tags

if TYPE_CHECKING:
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

# FoodData Central ------------------------------------------------------------------------------
FDC_ID_PREFIX = "fdc:"
FDC_DATA_TYPES = ("foundation_food", "sr_legacy_food", "survey_fndds_food", "branded_food")
FDC_UNITS = {"G": "g", "MG": "mg", "UG": "µg", "KCAL": "kcal", "IU": "IU", "KJ": "kJ"}
# Energy: SR Legacy gives nbr 208 (kcal); Foundation Foods often only the Atwater energies.
_FDC_ENERGY_NBRS = (208, 958, 957)
_FDC_VITAMIN_D_UG, _FDC_VITAMIN_D_IU = 328, 324
_FDC_NUMERIC = {
    "food.csv": ("fdc_id",),
    "nutrient.csv": ("id",),
    "food_nutrient.csv": ("fdc_id", "nutrient_id", "amount"),
    "food_portion.csv": ("fdc_id", "amount", "gram_weight"),
}
_FDC_USED = {
    "food.csv": ("fdc_id", "data_type", "description", "food_category_id"),
    "nutrient.csv": ("id", "name", "unit_name", "nutrient_nbr"),
    "food_nutrient.csv": ("fdc_id", "nutrient_id", "amount"),
    "food_portion.csv": (
        "fdc_id",
        "seq_num",
        "amount",
        "measure_unit_id",
        "portion_description",
        "modifier",
        "gram_weight",
    ),
    "measure_unit.csv": ("id", "name"),
    "food_category.csv": ("id", "description"),
}
_FDC_FILES: dict[str, tuple[tuple[str, ...], bool]] = {
    # file: (required columns, file required)
    "food.csv": (("fdc_id", "description"), True),
    "nutrient.csv": (("id", "name", "unit_name", "nutrient_nbr"), True),
    "food_nutrient.csv": (("fdc_id", "nutrient_id", "amount"), True),
    "food_portion.csv": (("fdc_id", "amount", "gram_weight"), False),
    "measure_unit.csv": (("id", "name"), False),
    "food_category.csv": (("id", "description"), False),
}


class _Problems:
    """Collects problems, then raises them as one FoodDataError."""

    def __init__(self, source: Path | str) -> None:
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
    problems = _Problems(path)
    text = _read_text(path, problems)
    problems.raise_if_any(f"Cannot read food table {path}")
    assert text is not None
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FoodDataError(f"{path} is not a readable CSV file: {exc}") from None
    return _parse_user_records(path, records, problems)


def _read_text(path: Path, problems: _Problems) -> str | None:
    """The file as text, or None after adding a problem (too large, empty, binary, not text)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.add(f"{path}: cannot read the file ({exc.strerror})")
        return None
    if size > MAX_FILE_BYTES:
        problems.add(f"{path}: file is too large ({size / 1e6:.1f} MB); the limit is {MAX_FILE_BYTES // 2**20} MB")
        return None
    data = path.read_bytes()
    if not data.strip():
        problems.add(f"{path}: the file is empty; a food table needs a header row with at least id and name")
        return None
    if b"\x00" in data[:65536]:
        problems.add(f"{path}: not a CSV file (it holds binary data); save the table as CSV (UTF-8)")
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.add(f"{path}: not a text CSV file (not UTF-8); save the table as CSV (UTF-8)")
    return None


class _Column:
    """How one user CSV column is read.

    ``kind``: ``text``/``number``/``bool`` (a known column), ``nutrient`` (a registry nutrient),
    ``custom`` (an unknown column of numbers: a custom nutrient), ``note`` (an unknown column holding
    text, kept as text) or ``skip``.
    """

    def __init__(self, header: str, kind: str, target: str, unit: str | None = None, factor: float = 1.0):
        self.header, self.kind, self.target, self.unit, self.factor = header, kind, target, unit, factor


_HEADER_UNIT = re.compile(r"^(?P<base>.*?)\s*\[\s*(?P<unit>[^\]]*?)\s*\]$")


def _plan_columns(path: Path, header: list[str], records: list[list[str]], problems: _Problems) -> list[_Column]:
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
            factor = 1.0
            if unit:
                factor = _unit_factor(nut.id, unit, nut.unit)
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


def _unit_factor(nutrient_id: str, unit: str, to_unit: str) -> float | None:
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


def basis_grams(basis: str) -> float | None:
    """Grams in a mass basis (``100 g`` -> 100, ``1 lb`` -> 453.6); None for other bases (``$1``)."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?) (g|kg|mg|oz|lb)", normalize_basis(basis))
    return float(m[1]) * _MASS_GRAMS[m[2]] if m else None


def _parse_user_records(path: Path, records: list[list[str]], problems: _Problems) -> FoodTable:
    header = records[0] if records else []
    columns = _plan_columns(path, header, records, problems)
    problems.raise_if_any(f"Cannot read food table {path}")
    nutrients = [c for c in columns if c.kind in ("nutrient", "custom")]
    notes = [c.target for c in columns if c.kind == "note"]
    present = {c.target for c in columns}
    rows: list[dict[str, object]] = []
    first_row_of_id: dict[str, int] = {}
    bases: dict[str, int] = {}
    for row_no, rec in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in rec):
            continue
        if len(rec) > len(header) and any(cell.strip() for cell in rec[len(header) :]):
            problems.add(f"{path}: row {row_no} has {len(rec)} fields but the header has {len(header)}")
            continue
        rec = rec + [""] * (len(header) - len(rec))
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
                    v = math.nan
                row[col.target] = v * col.factor if col.kind in ("nutrient", "custom") else v
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
        bases.setdefault(basis, row_no)
        row["per"] = basis
        _check_tags(row, row_no, problems)
        for g in ("serving_g", "max_g"):
            if g in row and row[g] == 0:
                problems.cell(row_no, g, "0", "must be more than 0 grams")
        if row.get("serving_name") and "serving_g" in present and math.isnan(row["serving_g"]):
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


def _parse_bool(cell: str, row_no: int, col: _Column, problems: _Problems) -> bool | None:
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


def _check_tags(row: dict[str, object], row_no: int, problems: _Problems) -> None:
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


def _classify(names: list[str], groups: list[str] | None) -> dict[str, np.ndarray]:
    """Category, diet and allergens from names, by the curation layer's classifier."""
    import pandas as pd

    from mealplan.food_data.curation import classify_names

    tags = classify_names(pd.Series(names, dtype=object), None if groups is None else pd.Series(groups, dtype=object))
    return {c: tags[c].to_numpy(dtype=object) for c in ("category", "diet", "allergens")}


def _curate(foods: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """The planner curation of the bundled table (as-eaten form, servings, daily maxima, slots,
    planner set) applied to FoodData Central foods, whose names follow the same USDA style. The
    bundled table's overrides are keyed by its own ids, so none apply here."""
    from mealplan.food_data.curation import curate

    return curate(foods, measures, overrides=None)


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _user_table(
    path: Path, rows: list[dict[str, object]], nutrients: list[_Column], basis: str, notes: list[str] = ()
) -> FoodTable:
    """The table of a user's CSV, as numpy columns (no pandas unless its tags must be classified).

    ``notes`` are the user's own text columns (``unit``, ``notes``...), kept after the nutrients."""
    given = rows[0].keys()  # every row has the same cells

    def column(name: str, default: object, dtype: object = object) -> np.ndarray:
        if name not in given:
            return np.array([default] * len(rows), dtype=dtype)
        return np.array([default if _blank(r[name]) else r[name] for r in rows], dtype=dtype)

    grams = basis_grams(basis)
    names = [str(r["name"]) for r in rows]
    data: dict[str, object] = {
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
            found = _classify(names, groups)
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


# FoodData Central ------------------------------------------------------------------------------


# A FoodData Central download: a folder on disk, or a folder inside the .zip (zipfile.Path reads
# members in place: is_file, is_dir, iterdir, "/" and open work as on a Path).
FdcFolder = Path | zipfile.Path


def find_fdc_folder(folder: Path | str | zipfile.Path) -> FdcFolder:
    """The folder holding ``food.csv``: ``folder`` itself, or its one ``FoodData_Central_*`` subfolder.

    ``folder`` may be a folder inside a zip file (:class:`zipfile.Path`); USDA's zips hold one top
    folder, older ones the files themselves.

    Raises:
        FoodDataError: when neither holds ``food.csv``.
    """
    folder = folder if isinstance(folder, zipfile.Path) else Path(folder)
    if (folder / "food.csv").is_file():
        return folder
    subs = [p for p in folder.iterdir() if p.is_dir() and (p / "food.csv").is_file()] if folder.is_dir() else []
    if len(subs) == 1:
        return subs[0]
    needed = ", ".join(name for name, (_, required) in _FDC_FILES.items() if required)
    what = "zip file" if isinstance(folder, zipfile.Path) else "folder"
    where = str(folder).rstrip("/") if isinstance(folder, zipfile.Path) else str(folder)
    raise FoodDataError(
        f"{where} is not a FoodData Central CSV {what}: no food.csv in it"
        + (" or in its one top folder" if what == "zip file" and not subs else "")
        + (f" (several subfolders have one: {', '.join(p.name for p in subs)}; name one)" if subs else "")
        + f". A FoodData Central download folder holds {needed}."
    )


@contextmanager
def _csv_source(path: FdcFolder) -> Iterator[Path | io.BufferedIOBase]:
    """What pandas reads: the path of a file on disk, or an open (decompressing) member of a zip."""
    if isinstance(path, Path):
        yield path
        return
    with path.open("rb") as handle:
        yield handle


def _is_empty(path: FdcFolder) -> bool:
    if isinstance(path, Path):
        return path.stat().st_size == 0
    with path.open("rb") as handle:
        return not handle.read(1)


def _read_fdc_csv(folder: FdcFolder, name: str, problems: _Problems) -> pd.DataFrame | None:
    import pandas as pd

    required, must_exist = _FDC_FILES[name]
    path = folder / name
    if not path.is_file():
        if must_exist:
            problems.add(f"{path}: missing; a FoodData Central folder needs {name}")
        return None
    numeric = _FDC_NUMERIC.get(name, ())
    try:
        if _is_empty(path):
            problems.add(f"{path}: the file is empty")
            return None
        with _csv_source(path) as source:
            header = pd.read_csv(source, nrows=0, encoding="utf-8-sig").columns
        used = [c for c in header if c in _FDC_USED[name]]
        # Numeric columns are parsed by pandas (fast); one holding junk stays text and is checked
        # cell by cell in _fdc_numbers. Blank numeric cells are NaN; text cells stay strings.
        with _csv_source(path) as source:
            df = pd.read_csv(
                source,
                usecols=used,
                dtype={c: str for c in used if c not in numeric},
                keep_default_na=False,
                na_values={c: [""] for c in used if c in numeric},
                encoding="utf-8-sig",
                low_memory=False,
            )
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a damaged member of a zip
        problems.add(f"{path}: cannot be read from the zip file ({exc}); download it again")
        return None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        problems.add(f"{path}: not a readable CSV file ({str(exc).splitlines()[0]})")
        return None
    header_cols = list(header)
    missing = [c for c in required if c not in df.columns]
    if missing:
        problems.add(
            f"{path}: row 1: missing required column{'s' * (len(missing) > 1)} "
            f"{', '.join(map(repr, missing))} "
            f"(columns found: {', '.join(map(repr, header_cols))})"
        )
        return None
    return df


def _fdc_numbers(
    df: pd.DataFrame,
    column: str,
    path: FdcFolder,
    problems: _Problems,
    *,
    positive: bool = False,
    blank_ok: bool = True,
) -> pd.Series:
    """A numeric column of an FDC file; problems for non-numeric, negative or (if asked) zero cells."""
    import pandas as pd

    raw = df[column]
    if pd.api.types.is_numeric_dtype(raw):
        values = raw.astype(float)
        bad = ~np.isfinite(values.fillna(0)) | (values < 0)
        if not blank_ok:
            bad |= values.isna()
        if positive:
            bad |= values == 0
        if not bad.any():
            return values
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    unparsed = values.isna()
    if unparsed.any():  # retry the few cells with spaces; what stays NaN and is not blank is bad
        text = raw[unparsed].astype(str).str.strip()
        values[unparsed] = pd.to_numeric(text, errors="coerce").astype(float)
        not_blank = pd.Series(False, index=values.index)
        not_blank[unparsed] = text != ""
    else:
        not_blank = pd.Series(False, index=values.index)
    bad = (values.isna() & not_blank) | ~np.isfinite(values.fillna(0)) | (values < 0)
    if not blank_ok:
        bad |= values.isna()
    if positive:
        bad |= values == 0
    rule = "must be a number greater than 0" if positive else "must be a number of 0 or more"
    for i in np.flatnonzero(bad.to_numpy())[: MAX_LISTED_PROBLEMS + 1]:
        problems.add(f"{path}: row {i + 2}, column {column!r}: {str(raw.iloc[i]).strip()!r} {rule}")
    return values.where(~bad)


def read_fdc_folder(folder: Path | str | zipfile.Path) -> FoodTable:
    """Read a USDA FoodData Central CSV download (SR Legacy or Foundation Foods).

    Foods get ids ``fdc:<fdc_id>`` (FoodData Central's own id, so an SR Legacy import never clashes
    with the bundled SR24 table's NDB numbers). Nutrients are mapped by ``nutrient_nbr`` to the
    registry and converted to registry units; energy comes from the kcal rows only (nbr 208, else
    the Atwater energies 958 then 957), vitamin D from nbr 328 (µg), else nbr 324 (IU) / 40.
    Portions become household measures; the first portion is the default serving (100 g when
    there is none). Category, diet and allergens come from ``food_data.curation.classify_names``.
    Only final foods are read (``data_type`` foundation, SR Legacy, survey or branded), and only
    those with at least one nutrient value.

    Args:
        folder: The download folder, or a folder holding exactly one such folder (on disk, or a
            :class:`zipfile.Path` inside a zip: see :func:`read_fdc_zip`).

    Returns:
        The foods per 100 g as a FoodTable.

    Raises:
        FoodDataError: naming file, row and column of every problem found.
    """
    import pandas as pd

    folder = find_fdc_folder(folder)
    problems = _Problems(folder)
    frames = {name: _read_fdc_csv(folder, name, problems) for name in _FDC_FILES}
    problems.raise_if_any(f"Cannot read FoodData Central folder {folder}")
    food, nutrient, food_nutrient = frames["food.csv"], frames["nutrient.csv"], frames["food_nutrient.csv"]
    assert food is not None and nutrient is not None and food_nutrient is not None

    food_ids = _fdc_numbers(food, "fdc_id", folder / "food.csv", problems, blank_ok=False)
    fn_ids = _fdc_numbers(food_nutrient, "fdc_id", folder / "food_nutrient.csv", problems, blank_ok=False)
    fn_nut = _fdc_numbers(food_nutrient, "nutrient_id", folder / "food_nutrient.csv", problems, blank_ok=False)
    amounts = _fdc_numbers(food_nutrient, "amount", folder / "food_nutrient.csv", problems)
    nut_ids = _fdc_numbers(nutrient, "id", folder / "nutrient.csv", problems, blank_ok=False)
    portion = frames["food_portion.csv"]
    if portion is not None:
        p_ids = _fdc_numbers(portion, "fdc_id", folder / "food_portion.csv", problems, blank_ok=False)
        p_amount = _fdc_numbers(portion, "amount", folder / "food_portion.csv", problems)
        p_grams = _fdc_numbers(portion, "gram_weight", folder / "food_portion.csv", problems, positive=True)
    dupes = food_ids[food_ids.duplicated() & food_ids.notna()]
    for i in dupes.index[:MAX_LISTED_PROBLEMS]:
        problems.add(
            f"{folder / 'food.csv'}: row {i + 2}, column 'fdc_id': {food['fdc_id'].iloc[i]!r} is a duplicate id"
        )
    problems.raise_if_any(f"Cannot read FoodData Central folder {folder}")

    # Foods: final foods only (Foundation downloads also list samples and acquisitions).
    keep = food_ids.notna()
    if "data_type" in food:
        keep &= food["data_type"].isin(FDC_DATA_TYPES) | (food["data_type"] == "")
    foods = pd.DataFrame(
        {
            "fdc_id": food_ids[keep].astype("int64"),
            "name": food.loc[keep, "description"].astype(str).str.strip(),
            "category_id": food.loc[keep, "food_category_id"].astype(str) if "food_category_id" in food else "",
            "data_type": food.loc[keep, "data_type"].astype(str) if "data_type" in food else "",
        }
    )
    groups = _fdc_groups(frames["food_category.csv"], foods["category_id"])

    # Nutrient values in registry ids and units, one per food and nutrient by priority.
    mapping = _fdc_nutrient_map(nutrient, nut_ids)
    values = pd.DataFrame({"fdc_id": fn_ids, "nutrient_id": fn_nut, "amount": amounts}).dropna()
    values = values.merge(mapping, on="nutrient_id", how="inner")
    values["amount"] = values["amount"] * values["factor"]
    values = values.sort_values(["fdc_id", "target", "priority"]).drop_duplicates(["fdc_id", "target"])
    wide = values.pivot(index="fdc_id", columns="target", values="amount")
    foods = foods[foods["fdc_id"].isin(wide.index)]
    order = [n for n in NUTRIENT_IDS if n in wide.columns]
    wide = wide.reindex(index=foods["fdc_id"], columns=order)

    ids = pd.Index([f"{FDC_ID_PREFIX}{i}" for i in foods["fdc_id"]], name="id")
    measures = (
        _fdc_measures(portion, p_ids, p_amount, p_grams, frames["measure_unit.csv"]) if portion is not None else None
    )
    if measures is None:
        measures = pd.DataFrame(
            {"id": pd.Series(dtype=str), "measure": pd.Series(dtype=str), "grams": pd.Series(dtype=float)}
        )
    measures = measures[measures["id"].isin(ids)].reset_index(drop=True)

    info = pd.DataFrame(index=ids)
    info["name"] = foods["name"].to_numpy()
    # Without food_category.csv the groups are unknown (NaN), as curation expects, and blank in the table.
    unknown = np.full(len(ids), math.nan, dtype=object)
    info["usda_group"] = groups.loc[foods.index].to_numpy(dtype=object) if groups is not None else unknown
    info["source"] = [f"FoodData Central {t or 'food'}: {folder}" for t in foods["data_type"].to_numpy()]
    info["deprecated"] = False
    for nid in order:
        info[nid] = wide[nid].to_numpy(dtype=float)
    out = _curate(info, measures)[list(INFO_COLUMNS + CURATION_COLUMNS) + order]
    out["usda_group"] = ["" if g is None or g != g else str(g) for g in out["usda_group"].tolist()]
    log.info("read %d foods and %d measures from %s", len(out), len(measures), folder)
    return FoodTable(foods=out, measures=measures, units={n: BY_ID[n].unit for n in order}, basis=DEFAULT_BASIS)


def is_zip(path: Path | str) -> bool:
    """True for a zip file (a FoodData Central download as USDA ships it): named ``.zip``, or a zip inside."""
    path = Path(path)
    return path.is_file() and (path.suffix.lower() == ".zip" or zipfile.is_zipfile(path))


def read_fdc_zip(path: Path | str) -> FoodTable:
    """Read a FoodData Central CSV download from its ``.zip``, as USDA ships it, without unpacking it.

    The CSV files are read from the zip in place: at its top, or in its one top folder (as in
    ``FoodData_Central_sr_legacy_food_csv_2018-04.zip``). Everything else is as :func:`read_fdc_folder`;
    problems name the file inside the zip (``download.zip/FoodData_Central_.../food.csv``).

    Raises:
        FoodDataError: when the file is not a readable zip or its CSV files have problems.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return read_fdc_folder(zipfile.Path(archive))
    except zipfile.BadZipFile as exc:
        raise FoodDataError(
            f"{path}: not a readable zip file ({exc}); --foods takes a FoodData Central .zip as USDA ships it"
        ) from None


def _fdc_groups(category: pd.DataFrame | None, category_ids: pd.Series) -> pd.Series | None:
    """USDA food group names (``food_category.csv`` descriptions) of each food, or None."""
    if category is None:
        return None
    names = dict(zip(category["id"].astype(str).str.strip(), category["description"].astype(str), strict=True))
    return category_ids.astype(str).str.strip().map(names).fillna("").astype(str)


def _fdc_nutrient_map(nutrient: pd.DataFrame, nut_ids: pd.Series) -> pd.DataFrame:
    """FDC nutrient ids -> registry id, unit factor and priority (lower wins)."""
    import pandas as pd

    rows = []
    nbrs = pd.to_numeric(nutrient["nutrient_nbr"].astype(str).str.strip(), errors="coerce")
    for fdc_nid, nbr, unit_name in zip(nut_ids, nbrs, nutrient["unit_name"].astype(str), strict=True):
        if pd.isna(fdc_nid) or pd.isna(nbr) or not float(nbr).is_integer():
            continue
        nbr = int(nbr)
        unit = FDC_UNITS.get(unit_name.strip().upper(), unit_name.strip())
        if nbr in _FDC_ENERGY_NBRS:
            if unit == "kcal":  # kJ rows are never used for energy
                rows.append((fdc_nid, "energy", 1.0, _FDC_ENERGY_NBRS.index(nbr)))
            continue
        if nbr == _FDC_VITAMIN_D_IU:
            if unit == "IU":
                rows.append((fdc_nid, "vitamin_d", 1 / 40, 1))
            continue
        nut = BY_USDA_NBR.get(nbr)
        if nut is None:
            continue
        factor = _unit_factor(nut.id, unit, nut.unit)
        if factor is None:
            log.warning(
                "FoodData Central nutrient %s (nbr %d) in %r cannot be converted to %s; skipped",
                fdc_nid,
                nbr,
                unit,
                nut.unit,
            )
            continue
        rows.append((fdc_nid, nut.id, factor, 0))
    return pd.DataFrame(rows, columns=["nutrient_id", "target", "factor", "priority"]).astype(
        {"nutrient_id": float, "factor": float, "priority": int}
    )


def _fdc_measures(
    portion: pd.DataFrame,
    p_ids: pd.Series,
    p_amount: pd.Series,
    p_grams: pd.Series,
    units: pd.DataFrame | None,
) -> pd.DataFrame:
    """Household measures from ``food_portion.csv``: "amount unit, description, modifier" -> grams."""
    import pandas as pd

    unit_names = {}
    if units is not None:
        unit_names = dict(zip(units["id"].astype(str).str.strip(), units["name"].astype(str).str.strip(), strict=True))

    def text(column: str) -> list[str]:
        if column not in portion:
            return [""] * len(portion)
        return portion[column].astype(str).str.strip().tolist()

    seq = (
        pd.to_numeric(portion["seq_num"], errors="coerce")
        if "seq_num" in portion
        else pd.Series(0, index=portion.index)
    )
    labels = []
    for unit_id, desc, modifier, amount in zip(
        text("measure_unit_id"), text("portion_description"), text("modifier"), p_amount.tolist(), strict=True
    ):
        unit = unit_names.get(unit_id, "")
        unit = "" if unit == "undetermined" else unit
        label = ", ".join(dict.fromkeys(p for p in (unit, desc, modifier) if p)) or "portion"
        if not math.isnan(amount) and amount != 1 and not label[0].isdigit():
            label = f"{amount:g} {label}"
        labels.append(label)
    out = pd.DataFrame({"fdc_id": p_ids, "seq": seq.fillna(0), "measure": labels, "grams": p_grams}).dropna(
        subset=["fdc_id", "grams"]
    )
    out = out.sort_values(["fdc_id", "seq"], kind="stable")
    out["id"] = [f"{FDC_ID_PREFIX}{int(i)}" for i in out["fdc_id"]]
    return out[["id", "measure", "grams"]].reset_index(drop=True)
