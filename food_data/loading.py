"""One food table from the bundled SR24 data and any number of user CSVs and FoodData Central downloads."""

from __future__ import annotations

import hashlib
import logging
import stat
import zipfile
from pathlib import Path

import numpy as np

from mealplan.errors import FoodDataError
from mealplan.food_data import table as table_module
from mealplan.food_data.cache import cache_folder
from mealplan.food_data.nutrients import NUTRIENT_IDS
from mealplan.food_data.table import CURATION_COLUMNS, INFO_COLUMNS, SR24_SOURCE, FoodTable, Rows

log = logging.getLogger(__name__)


def load_table(path: Path | str) -> FoodTable:
    """Read one food table: a folder or ``.zip`` is a FoodData Central download, a file is a user CSV.

    A table read once is kept in the cache folder (:func:`food_data.table.cached_table`) under a hash
    of its bytes (every file of a folder), its path and the code that reads it, so the next command
    given the same file pays no parse: a 20,000-food CSV takes seconds to read and milliseconds to
    load back. Only regular files and folders are hashed; anything else goes to the readers, which
    refuse it.

    Raises:
        FoodDataError: when the path does not exist or the table has problems.
    """
    path = Path(path)
    key = _content_key(path)
    if key is None:
        table = _read_table(path)
    else:
        # The file records the whole key (path and content hash), so a cache copied over another
        # table's is refused whatever its name (food_data.cache).
        table = table_module.cached_table(f"user-{key[:12]}", key[12:32], lambda: _read_table(path), source=key)
    log.info("read %d foods and %d measures from %s", len(table.rows), table.measure_count, path)
    return table


def _read_table(path: Path) -> FoodTable:
    """The table at ``path``, its foods placed in meal-pattern pools (kept in the cache with it: 1 s on
    every plan for a 100,000-food table)."""
    from mealplan.food_data.patterns import placements  # (imported on a parse only, as the readers are)

    table = _read_foods(path)
    table.placed = placements(table.rows)
    return table


def _read_foods(path: Path) -> FoodTable:
    # Imported here, each reader only when its kind of table is given: the FoodData Central reader
    # imports pandas (about 0.4 s, python -X importtime), which the diet problem on a CSV never needs.
    if path.is_dir():
        from mealplan.food_data.fdc import read_fdc_folder

        return read_fdc_folder(path)
    if not path.exists():
        raise FoodDataError(
            f"{path}: no such file or folder; --foods takes a CSV file or a FoodData Central folder (or its .zip)"
        )
    if is_zip(path):
        from mealplan.food_data.fdc import read_fdc_zip

        return read_fdc_zip(path)
    from mealplan.food_data.importers import read_user_csv

    return read_user_csv(path)


def is_zip(path: Path | str) -> bool:
    """True for a zip file (a FoodData Central download as USDA ships it): named ``.zip``, or a zip inside."""
    path = Path(path)
    return path.is_file() and (path.suffix.lower() == ".zip" or zipfile.is_zipfile(path))


# A table file larger than this is not hashed for the cache (the reader refuses or streams it).
MAX_HASHED_BYTES = 2 * 1024**3


def _content_key(path: Path) -> str | None:
    """A hex key for the table at ``path``: its resolved path (first 12 characters, one cache per file)
    then a hash of its content and of the reading code; None when it is not a regular file or folder
    of regular files, or the cache is off."""
    if cache_folder() is None:
        return None
    try:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        if not files or not all(stat.S_ISREG(f.stat().st_mode) for f in files):
            return None
        if sum(f.stat().st_size for f in files) > MAX_HASHED_BYTES:
            return None
        where = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
        digest = hashlib.sha256(table_module.code_digest().encode())
        for f in files:
            digest.update(f.relative_to(path).as_posix().encode() if path.is_dir() else b"")
            digest.update(b"\0")
            with f.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
    except OSError:
        return None
    return where + digest.hexdigest()


def load_tables(paths: list[Path], bundled: bool = True) -> FoodTable:
    """The food table a command works on: the bundled table (unless ``bundled`` is false) plus ``paths``.

    Each path is a user CSV file, or a FoodData Central folder or ``.zip`` (see :mod:`food_data.importers`
    and :mod:`food_data.fdc`).
    Food ids must be unique across all tables; a nutrient must have the same unit in every table
    that has it; all tables must share one basis, so a table whose amounts are not per 100 g can
    only be used without the bundled table.

    Args:
        paths: Extra tables, in order.
        bundled: Include the bundled SR24 table (``food_data.table.load_bundled``, cached).

    Returns:
        One FoodTable: foods of every table (bundled first), their measures and units.

    Raises:
        FoodDataError: for unreadable tables (every problem of every table), id clashes, unit or
            basis disagreements, or no table at all.
    """
    tables: list[tuple[str, FoodTable]] = []
    if bundled:
        tables.append((SR24_SOURCE, table_module.load_bundled()))
    problems: list[str] = []
    for path in paths:
        try:
            tables.append((str(path), load_table(path)))
        except FoodDataError as exc:
            problems.extend([exc.message, *(f"  {p}" for p in exc.problems)] if exc.problems else [exc.message])
    if problems:
        raise FoodDataError("Cannot load the food tables:", problems)
    if not tables:
        raise FoodDataError("No food table to use: give --foods FILE or leave out --no-bundled.")
    if len(tables) == 1:
        return tables[0][1]
    _check_compatible(tables, bundled)
    return _merge(tables)


def _check_compatible(tables: list[tuple[str, FoodTable]], bundled: bool) -> None:
    from mealplan.food_data.importers import DEFAULT_BASIS, MAX_LISTED_PROBLEMS  # as in load_table

    problems: list[str] = []
    basis_source, basis = tables[0][0], tables[0][1].basis
    for source, t in tables[1:]:
        if t.basis != basis:
            if bundled:
                problems.append(
                    f"{source}: amounts are per {t.basis!r}, but the bundled table's are per "
                    f"{DEFAULT_BASIS!r}; "
                    "use --no-bundled to plan with this table alone, or give its amounts per 100 g"
                )
            else:
                problems.append(
                    f"{source}: amounts are per {t.basis!r}, but {basis_source}'s are per {basis!r}; "
                    "tables used together need one basis"
                )
    units: dict[str, tuple[str, str]] = {}
    for source, t in tables:
        for nutrient, unit in t.units.items():
            first = units.setdefault(nutrient, (unit, source))
            if first[0] != unit:
                problems.append(
                    f"{source}: nutrient {nutrient!r} is in {unit!r}, but in {first[1]} it is in "
                    f"{first[0]!r}; "
                    f"declare the unit in the header as {nutrient}[{first[0]}] or convert the values"
                )
    first_source: dict[str, str] = {}
    clashes: list[str] = []
    for source, t in tables:
        for food_id in t.rows.index:
            if food_id in first_source:
                clashes.append(f"food id {food_id!r} is in both {first_source[food_id]} and {source}")
            else:
                first_source[food_id] = source
    if clashes:
        shown = clashes[:MAX_LISTED_PROBLEMS]
        if len(clashes) > MAX_LISTED_PROBLEMS:
            shown.append(f"... and {len(clashes) - MAX_LISTED_PROBLEMS} more clashing ids")
        problems.extend(shown)
        problems.append("food ids must be unique across tables: rename the ids in your file (e.g. add a prefix)")
    if problems:
        raise FoodDataError("The food tables cannot be used together:", problems)


def _merge(tables: list[tuple[str, FoodTable]]) -> FoodTable:
    """The tables' foods one after another as numpy columns (no pandas frame: 0.8 s for a 100,000-food
    table on every command); a column a table lacks is unknown there (NaN), or false for the flags."""
    units: dict[str, str] = {}
    for _, t in tables:
        for nutrient, unit in t.units.items():
            units.setdefault(nutrient, unit)
    registry = [n for n in NUTRIENT_IDS if n in units]
    custom = sorted(n for n in units if n not in NUTRIENT_IDS)
    numbers = {"serving_g", "max_g", "price", *registry, *custom}
    data: dict[str, np.ndarray] = {}
    for col in list(INFO_COLUMNS + CURATION_COLUMNS) + registry + custom:
        parts = [t.rows[col] if col in t.rows else np.full(len(t), np.nan, dtype=object) for _, t in tables]
        if col in _FLAGS:
            data[col] = np.concatenate([np.where(_unknown(p), False, p).astype(bool) for p in parts])
        else:
            data[col] = np.concatenate([p.astype(float) if col in numbers else p.astype(object) for p in parts])
    ids = np.concatenate([np.asarray(t.rows.ids, dtype=object) for _, t in tables])
    measures = {
        "id": np.concatenate([_measure_column(t, "id", object) for _, t in tables]),
        "measure": np.concatenate([_measure_column(t, "measure", object) for _, t in tables]),
        "grams": np.concatenate([_measure_column(t, "grams", float) for _, t in tables]),
    }
    own = [t.placed for source, t in tables if source != SR24_SOURCE]
    placed = None if None in own else {f: pool for p in own if p is not None for f, pool in p.items()}
    log.info("merged %d tables: %d foods", len(tables), len(ids))
    return FoodTable(Rows(ids, data), measures, units=units, basis=tables[0][1].basis, placed=placed)


_FLAGS = ("deprecated", "as_eaten", "planner")


def _unknown(values: np.ndarray) -> np.ndarray:
    return np.array([v is None or (isinstance(v, float) and v != v) for v in values.tolist()], dtype=bool)


def _measure_column(table: FoodTable, column: str, dtype: type) -> np.ndarray:
    m = table._measures
    values = m[column] if isinstance(m, dict) else m[column].to_numpy()
    return np.asarray(values, dtype=dtype)
