"""USDA FoodData Central downloads as a food table.

:func:`read_fdc_folder` reads a FoodData Central CSV download folder (SR Legacy or Foundation Foods):
``food.csv``, ``nutrient.csv``, ``food_nutrient.csv`` and, when present, ``food_portion.csv``,
``measure_unit.csv`` and ``food_category.csv``. :func:`read_fdc_zip` reads the same files straight out
of the ``.zip`` USDA ships, without unpacking it to disk. Every problem found is collected and raised
as one :class:`~mealplan.errors.FoodDataError` naming the file, the row and the column.
"""

from __future__ import annotations

import logging
import math
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from mealplan.errors import FoodDataError
from mealplan.food_data.importers import (
    DEFAULT_BASIS,
    MAX_LISTED_PROBLEMS,
    Problems,
    convert_factor,
    curate_imported,
)
from mealplan.food_data.nutrients import BY_ID, BY_USDA_NBR, NUTRIENT_IDS
from mealplan.food_data.table import CURATION_COLUMNS, INFO_COLUMNS, FoodTable

log = logging.getLogger(__name__)

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
def _csv_source(path: FdcFolder) -> Iterator[Path | IO[bytes]]:
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


# A FoodData Central CSV file (unpacked) is read up to this size: SR Legacy's largest, food_nutrient.csv, is
# about 60 MB. A zip member whose unpacked size is larger (a "zip bomb" of a few MB claims gigabytes) is
# refused before a byte is unpacked; zipfile never gives more bytes than a member declares.
MAX_MEMBER_BYTES = 1024**3
# A CSV row of FoodData Central is well under a kilobyte; a "line" of a megabyte is not a row.
MAX_LINE_BYTES = 1024**2


def _declared_size(path: FdcFolder) -> int | None:
    """A file's size, or the unpacked size a zip member declares."""
    if isinstance(path, Path):
        return path.stat().st_size
    root, at = getattr(path, "root", None), getattr(path, "at", None)
    if isinstance(root, zipfile.ZipFile) and isinstance(at, str):
        return root.getinfo(at).file_size
    return None


def _not_a_csv_size(path: FdcFolder) -> str | None:
    """Why the file cannot be a FoodData Central CSV by its size or its lines, or None; streams it once
    (unpacking a zip member in 1 MB blocks) without holding it in memory."""
    cap, line_cap = MAX_MEMBER_BYTES, MAX_LINE_BYTES
    declared = _declared_size(path)
    if declared is not None and declared > cap:
        return (
            f"{declared / 2**20:,.0f} MB unpacked, more than the {cap // 2**20:,} MB a FoodData Central CSV file is "
            "read up to; use the SR Legacy or Foundation Foods download"
        )
    total, run, line = 0, 0, 1
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            total += len(block)
            if total > cap:
                return f"more than {cap // 2**20:,} MB unpacked; use the SR Legacy or Foundation Foods download"
            parts = block.split(b"\n")
            run += len(parts[0])
            lengths = [run, *(len(p) for p in parts[1:-1])]  # whole lines (the first one continued)
            if len(parts) == 1:
                lengths = [run]
            long = next((k for k, n in enumerate(lengths) if n > line_cap), None)
            if long is not None:
                return (
                    f"line {line + long} is longer than {line_cap // 2**20} MB; not a CSV row (download the file again)"
                )
            if len(parts) > 1:
                line += len(parts) - 1
                run = len(parts[-1])
    return None


def _read_fdc_csv(folder: FdcFolder, name: str, problems: Problems) -> pd.DataFrame | None:
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
        why = _not_a_csv_size(path)
        if why is not None:
            problems.add(f"{path}: {why}")
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
    except MemoryError:
        problems.add(f"{path}: too large to read in this machine's memory; use SR Legacy or Foundation Foods")
        return None
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
    problems: Problems,
    *,
    positive: bool = False,
    blank_ok: bool = True,
) -> pd.Series:
    """A numeric column of an FDC file; problems for non-numeric, negative or (if asked) zero cells."""
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
    invalid = (values.isna() & not_blank) | ~np.isfinite(values.fillna(0)) | (values < 0)
    if not blank_ok:
        invalid |= values.isna()
    if positive:
        invalid |= values == 0
    rule = "must be a number greater than 0" if positive else "must be a number of 0 or more"
    for i in np.flatnonzero(invalid.to_numpy())[: MAX_LISTED_PROBLEMS + 1]:
        problems.add(f"{path}: row {i + 2}, column {column!r}: {str(raw.iloc[i]).strip()!r} {rule}")
    return values.where(~invalid)


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
    folder = find_fdc_folder(folder)
    problems = Problems(folder)
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
    out = curate_imported(info, measures)[list(INFO_COLUMNS + CURATION_COLUMNS) + order]
    out["usda_group"] = ["" if g is None or g != g else str(g) for g in out["usda_group"].tolist()]
    return FoodTable(foods=out, measures=measures, units={n: BY_ID[n].unit for n in order}, basis=DEFAULT_BASIS)


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
        factor = convert_factor(nut.id, unit, nut.unit)
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
