"""The FoodTable type every loader returns, and the bundled SR24 table (loaded once per process).

A table holds its foods twice over, each built on first use from the other: ``rows``, numpy columns
the planner works on, and ``foods``, a pandas DataFrame for everything else. The cached bundled
table is stored as rows, so a day plan never imports pandas (0.4 s of a 1 s budget).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import platform
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mealplan.food_data.cache import (  # noqa: F401 (CACHE_ENV: part of the table's API)
    CACHE_ENV,
    CACHE_SUFFIX,
    TableParts,
    cache_folder,
    read_cache,
    store,
)
from mealplan.food_data.nutrients import BY_ID, NUTRIENT_IDS
from mealplan.food_data.vocab import CURATION_COLUMNS, INFO_COLUMNS  # noqa: F401 (part of the table's API)

# _PANDAS_LATE: pandas is imported inside the few functions that build data frames. A plan runs on
# the cached table's numpy columns and never needs it, and importing it costs about 0.4 s of a day
# plan's 1 s (python -X importtime; tests/cli/test_cmd_plan.py::test_a_day_plan_does_not_import_pandas).

if TYPE_CHECKING:
    import pandas as pd

SR24_SOURCE = "USDA SR24"
# The committed SR24 files (written by food_data.build).
DATA_DIR = Path(__file__).parent / "data"
FOODS_FILE = "sr24_foods.csv.gz"
MEASURES_FILE = "sr24_measures.csv.gz"
log = logging.getLogger(__name__)

# INFO_COLUMNS describe a food, CURATION_COLUMNS are the planner columns curation adds (defined
# with the other vocabularies in food_data.vocab, which curation reads too).
# Optional: ``common`` (bool) marks everyday foods (food_data.staples); tables without it, such as a
# user's own foods, count every food as common.


class Deferred:
    """Columns computed together on first use, e.g. tags classified from food names.

    A user's table gets its category, diet and allergens from the curation classifier, which needs
    pandas; a diet problem never looks at them, so it never pays for them.
    """

    def __init__(self, compute: Callable[[], dict[str, np.ndarray]]) -> None:
        self._compute = compute
        self._values: dict[str, np.ndarray] | None = None

    def column(self, name: str) -> np.ndarray:
        if self._values is None:
            self._values = self._compute()
        return self._values[name]


class Rows:
    """Some foods of a table as numpy columns, in a fixed order: what the planner computes on.

    ``rows[name]`` is a column's values for these foods (a numpy array); ``rows.index`` their ids.
    Subsets (``where``, ``take``) share the table's arrays, so they are cheap.
    """

    __slots__ = ("ids", "_all", "_data", "_pos", "_where", "_derived")

    def __init__(
        self, ids: np.ndarray, data: dict[str, np.ndarray], pos: np.ndarray | None = None, derived: dict | None = None
    ) -> None:
        self._all = ids  # the whole table's ids
        self._data = data  # the whole table's columns
        self._pos = pos  # positions of these foods in the whole table (None: all, in order)
        self.ids = ids if pos is None else ids[pos]
        self._where: dict[str, int] | None = None
        self._derived = {} if derived is None else derived  # the whole table's derived values (``derived``)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def index(self) -> list[str]:
        """Food ids, in order."""
        return self.ids.tolist()

    @property
    def columns(self) -> list[str]:
        """Column names, in the table's order."""
        return list(self._data)

    @property
    def empty(self) -> bool:
        return len(self.ids) == 0

    def __contains__(self, column: str) -> bool:
        return column in self._data

    def __getitem__(self, column: str) -> np.ndarray:
        values = self._data[column]
        if isinstance(values, Deferred):
            values = self._data[column] = values.column(column)
        return values if self._pos is None else values[self._pos]

    def _positions(self) -> np.ndarray:
        return np.arange(len(self.ids)) if self._pos is None else self._pos

    def where(self, mask: np.ndarray) -> Rows:
        """The foods where ``mask`` (one bool per food here) is true."""
        return self.at(np.flatnonzero(np.asarray(mask, dtype=bool)))

    def at(self, positions: np.ndarray) -> Rows:
        """The foods at these positions (of the foods here), in this order."""
        return Rows(self._all, self._data, self._positions()[np.asarray(positions, dtype=np.intp)], self._derived)

    def take(self, ids: Iterable[str]) -> Rows:
        """The foods with these ids, in this order (ids not here raise KeyError)."""
        return self.at(self.positions(ids))

    def positions(self, ids: Iterable[str], missing: int | None = None) -> np.ndarray:
        """Where the foods with these ids are here; an id not here raises KeyError, or with ``missing``
        gets that position."""
        if self._where is None:
            self._where = {f: i for i, f in enumerate(self.ids.tolist())}
        if missing is None:
            return np.array([self._where[f] for f in ids], dtype=np.intp)
        return np.array([self._where.get(f, missing) for f in ids], dtype=np.intp)

    def derived(
        self, key: tuple[Hashable, ...], make: Callable[[Rows], np.ndarray], most: int | None = None
    ) -> np.ndarray:
        """These foods' values of a column ``make`` computes from the whole table once, e.g. names in
        lower case: every subset of a table shares it, so a batch or web worker planning on a
        100,000-food table pays for it once, not per plan. ``key`` starts with its kind; with ``most``,
        no more than that many of a kind are kept (the rest are computed each time)."""
        values = self._derived.get(key)
        if values is None:
            values = make(Rows(self._all, self._data, None, self._derived))
            if most is None or sum(1 for k in self._derived if k[0] == key[0]) < most:
                self._derived[key] = values
        return values if self._pos is None else values[self._pos]

    def records(self, columns: Iterable[str]) -> dict[str, dict[str, Any]]:
        """``{food id: {column: value}}`` for these foods."""
        cols = [(c, self[c].tolist()) for c in columns]
        return {f: {c: v[i] for c, v in cols} for i, f in enumerate(self.index)}

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd  # here, not at the top: see _PANDAS_LATE

        return pd.DataFrame({c: self[c] for c in self._data}, index=pd.Index(self.ids, name="id", dtype="str"))


class FoodTable:
    """Foods with nutrients per 100 g in registry units, plus household measures.

    Attributes:
        foods: One row per food, indexed by food id (str). Columns: ``INFO_COLUMNS``,
            ``CURATION_COLUMNS`` and one float column per nutrient (NaN = unknown, never 0).
        rows: The same foods as numpy columns (``Rows``), for the planner.
        measures: Household measures: columns ``id``, ``measure`` (e.g. "1 cup, sliced"), ``grams``.
        units: Unit of every nutrient column (registry units, or the user's for custom nutrients).
        basis: What the nutrient amounts are per, e.g. ``"100 g"`` (user tables may declare another).
        placed: A user's foods placed in meal-pattern pools by name and category (food id -> pool,
            ``patterns.placements``), found once when the table is read and kept in its cache; None
            when not found yet (the bundled foods' pools are ``data/pattern_foods.csv``).
    """

    def __init__(
        self,
        foods: pd.DataFrame | Rows,
        measures: pd.DataFrame | dict[str, np.ndarray],
        units: dict[str, str] | None = None,
        basis: str = "100 g",
        placed: dict[str, str] | None = None,
    ) -> None:
        self._frame = None if isinstance(foods, Rows) else foods
        self._rows = foods if isinstance(foods, Rows) else None
        self._measures = measures
        self.units = dict(units or {})
        self.basis = basis
        self.placed = placed
        self._by_food: dict[str, list[tuple[str, float]]] | None = None  # measures_of's index

    @property
    def foods(self) -> pd.DataFrame:
        if self._frame is None:
            assert self._rows is not None  # a table holds its rows, its frame or both
            self._frame = self._rows.to_frame()
        return self._frame

    @property
    def rows(self) -> Rows:
        if self._rows is None:
            frame = self._frame
            assert frame is not None  # a table holds its rows, its frame or both
            self._rows = Rows(
                np.array(frame.index.astype(str), dtype=object),
                {str(c): frame[c].to_numpy(dtype=object if frame[c].dtype.kind not in "biuf" else None) for c in frame},
            )
        return self._rows

    @property
    def measure_count(self) -> int:
        """How many household measures the table has (without building the measures frame)."""
        m = self._measures
        return len(m["id"]) if isinstance(m, dict) else len(m)

    @property
    def measures(self) -> pd.DataFrame:
        if isinstance(self._measures, dict):
            import pandas as pd  # see _PANDAS_LATE

            self._measures = pd.DataFrame(self._measures).astype({"id": "str", "measure": "str", "grams": float})
        return self._measures

    def __getstate__(self) -> dict[str, Any]:
        """Pickled as numpy columns, so reading a pickle back does not import pandas."""
        rows = self.rows
        measures = self._measures
        if not isinstance(measures, dict):
            measures = {str(c): measures[c].to_numpy(dtype=object if c != "grams" else float) for c in measures}
        return {
            "ids": rows.ids,
            "data": {c: rows[c] for c in rows.columns},
            "measures": measures,
            "units": self.units,
            "basis": self.basis,
            "placed": self.placed,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        FoodTable.__init__(self, Rows(state["ids"], state["data"]), state["measures"], state["units"], state["basis"],
                           state["placed"])  # fmt: skip

    @classmethod
    def from_cache(cls, parts: TableParts) -> FoodTable:
        """The table a checked cache file holds (:func:`mealplan.food_data.cache.read_cache`)."""
        return cls(Rows(parts.ids, parts.data), parts.measures, parts.units, parts.basis, parts.placed)

    @property
    def nutrient_columns(self) -> list[str]:
        """Nutrient columns in this table, registry nutrients first in registry order."""
        return [c for c in self.rows.columns if c in self.units]

    def __len__(self) -> int:
        return len(self.rows)

    def planner_foods(self) -> pd.DataFrame:
        """The curated planner set: foods marked ``planner``."""
        return self.foods[self.foods["planner"].astype(bool)]

    def measures_of(self, food_id: str) -> list[tuple[str, float]]:
        """Household measures of one food as ``(name, grams)`` pairs (an index of them is built once)."""
        if self._by_food is None:
            m = self._measures
            columns = [m[c] if isinstance(m, dict) else m[c].to_numpy() for c in ("id", "measure", "grams")]
            self._by_food = {}
            for fid, name, grams in zip(*(np.asarray(c).tolist() for c in columns), strict=True):
                self._by_food.setdefault(str(fid), []).append((str(name), float(grams)))
        return list(self._by_food.get(food_id, []))


def read_sr24(data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the committed SR24 foods and measures files without curation."""
    import pandas as pd  # see _PANDAS_LATE

    foods = pd.read_csv(
        data_dir / FOODS_FILE,
        dtype={"id": str, "name": str, "usda_group": str},
        keep_default_na=False,
        na_values={n: [""] for n in NUTRIENT_IDS},
    ).set_index("id")
    foods["deprecated"] = foods["deprecated"].astype(bool)
    foods.insert(2, "source", SR24_SOURCE)
    measures = pd.read_csv(data_dir / MEASURES_FILE, dtype={"id": str, "measure": str})
    measures["measure"] = [
        m if a == 1 else f"{a:g} {m}" for a, m in zip(measures["amount"], measures["measure"], strict=True)
    ]
    return foods, measures[["id", "measure", "grams"]]


@functools.cache
def load_bundled() -> FoodTable:
    """The bundled SR24 table with planner curation, loaded once per process.

    Curation takes a quarter of a second or more, so the curated table is kept in a cache file
    (:func:`~mealplan.food_data.cache.cached_table`, :func:`cache_path`) keyed by a hash of the data and
    the code that builds it: any change to either builds it anew.
    """
    digest = code_digest()
    return cached_table("bundled", digest[:20], _build_bundled, source=digest)


def _build_bundled() -> FoodTable:
    """Read and curate the bundled table (a cache miss). Data flows one way: this table module asks
    curation to derive the planner columns; curation knows nothing of FoodTable or the cache."""
    # Imported here, not at the top: curation imports pandas, 0.4 s of a day plan's 1 s start-up
    # (python -X importtime), which a cache hit never needs.
    from mealplan.food_data.curation import curate
    from mealplan.food_data.staples import staple_mask

    foods, measures = read_sr24()
    foods = curate(foods, measures)
    foods["common"] = staple_mask(foods["name"])
    # Units of the nutrient columns it has (a registry nutrient SR24 lacks, such as lactose, has none).
    return FoodTable(foods=foods, measures=measures, units={n: BY_ID[n].unit for n in NUTRIENT_IDS if n in foods})


_PACKAGE_DIR = Path(__file__).parent


def code_digest() -> str:
    """A hash of every file in the ``food_data`` package and its subpackages (code and data) and of
    the Python and numpy versions: a cached table built by other code or data is never used."""
    digest = hashlib.sha256(f"{platform.python_version()} {np.__version__}".encode())
    for file in sorted([*_PACKAGE_DIR.rglob("*.py"), *(_PACKAGE_DIR / "data").iterdir()]):
        if file.is_file():
            digest.update(file.relative_to(_PACKAGE_DIR).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def cache_path() -> Path | None:
    """The cache file for the curated bundled table, or None when caching is off (see
    :func:`~mealplan.food_data.cache.cache_folder`); its name carries :func:`code_digest`."""
    folder = cache_folder()
    return None if folder is None else folder / f"bundled-{code_digest()[:20]}{CACHE_SUFFIX}"


def cached_table(family: str, key: str, build: Callable[[], FoodTable], source: str = "") -> FoodTable:
    """A table from the cache file ``<family>-<key>.npz`` (:mod:`mealplan.food_data.cache`), or ``build()``
    stored there.

    ``key`` must change whenever the table would (a hash of the input and of the code); ``source`` is
    the full hash of what the table is made from, recorded in the file and compared on reading, so a
    file standing for other data is never used, whatever its name. One file per ``family`` is kept, so
    a changed input replaces its old cache. A cache that cannot be read or written is skipped, never an
    error.
    """
    folder = cache_folder()
    path = None if folder is None else folder / f"{family}-{key}{CACHE_SUFFIX}"
    if path is not None:
        try:
            table = FoodTable.from_cache(read_cache(path, family, key, source))
            log.debug("loaded the %s table from the cache %s", family, path)
            with contextlib.suppress(OSError):
                os.utime(path)  # used now: the last the user caches lose (``USER_CACHES_KEPT``)
            return table
        except FileNotFoundError:
            pass
        except Exception as exc:  # noqa: BLE001 - a damaged, foreign or planted file: rebuild it
            log.info("ignoring the table cache %s: %s", path, exc)
    table = build()
    if path is not None:
        store(path, table, family, key, source)
    return table
