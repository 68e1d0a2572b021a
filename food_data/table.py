"""The FoodTable type every loader returns, and the bundled SR24 table (loaded once per process)."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import platform
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from food_data.build import DATA_DIR, FOODS_FILE, MEASURES_FILE
from food_data.nutrients import BY_ID, NUTRIENT_IDS

SR24_SOURCE = "USDA SR24"
log = logging.getLogger(__name__)

# Columns that describe a food rather than its nutrients. Curation adds the planner columns.
INFO_COLUMNS = ("name", "usda_group", "source", "deprecated")
CURATION_COLUMNS = (
    "category",  # one of food_data.curation.CATEGORIES
    "diet",  # the most restrictive pattern the food fits: vegan < vegetarian < pescatarian < omnivore
    "allergens",  # ";"-joined allergen tags (food_data.curation.ALLERGENS), "" for none
    "as_eaten",  # bool: in the form people eat it
    "serving_name",  # household measure of the default serving, e.g. "1 medium"
    "serving_g",  # grams in that serving
    "max_g",  # realistic maximum per day, grams
    "slots",  # ";"-joined meal slots it suits: breakfast;lunch;dinner;snack
    "planner",  # bool: in the curated planner set
    "price",  # price per 100 g (or per the table's declared unit); NaN when unknown
)
# Optional: ``common`` (bool) marks everyday foods (food_data.staples); tables without it, such as a
# user's own foods, count every food as common.


@dataclass(frozen=True)
class FoodTable:
    """Foods with nutrients per 100 g in registry units, plus household measures.

    Attributes:
        foods: One row per food, indexed by food id (str). Columns: ``INFO_COLUMNS``,
            ``CURATION_COLUMNS`` and one float column per nutrient (NaN = unknown, never 0).
        measures: Household measures: columns ``id``, ``measure`` (e.g. "1 cup, sliced"), ``grams``.
        units: Unit of every nutrient column (registry units, or the user's for custom nutrients).
        basis: What the nutrient amounts are per, e.g. ``"100 g"`` (user tables may declare another).
    """

    foods: pd.DataFrame
    measures: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)
    basis: str = "100 g"

    @property
    def nutrient_columns(self) -> list[str]:
        """Nutrient columns in this table, registry nutrients first in registry order."""
        return [c for c in self.foods.columns if c in self.units]

    def __len__(self) -> int:
        return len(self.foods)

    def planner_foods(self) -> pd.DataFrame:
        """The curated planner set: foods marked ``planner``."""
        return self.foods[self.foods["planner"].astype(bool)]

    def measures_of(self, food_id: str) -> list[tuple[str, float]]:
        """Household measures of one food as ``(name, grams)`` pairs."""
        rows = self.measures[self.measures["id"] == food_id]
        return list(zip(rows["measure"], rows["grams"].astype(float), strict=True))


def read_sr24(data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the committed SR24 foods and measures files without curation."""
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

    Curation takes about 0.3 s, so the curated table is kept in a cache file (see ``cache_path``)
    keyed by a hash of the data and the code that builds it: any change to either builds it anew.
    A cache that cannot be read or written is skipped, never an error.
    """
    path = cache_path()
    if path is not None:
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except FileNotFoundError:
            pass
        except Exception as exc:  # a damaged or foreign cache file: rebuild it
            log.info("ignoring the table cache %s: %s", path, exc)
    table = _build_bundled()
    if path is not None:
        _store(path, table)
    return table


def _build_bundled() -> FoodTable:
    from food_data.curation import curate
    from food_data.staples import staple_mask

    foods, measures = read_sr24()
    foods = curate(foods, measures)
    foods["common"] = staple_mask(foods["name"])
    return FoodTable(foods=foods, measures=measures, units={n: BY_ID[n].unit for n in NUTRIENT_IDS})


CACHE_ENV = "MEALPLAN_CACHE_DIR"  # where the curated table is cached; "off" disables the cache
_PACKAGE_DIR = Path(__file__).parent


def cache_path() -> Path | None:
    """The cache file for the curated bundled table, or None when caching is off.

    The folder is ``$MEALPLAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/mealplan``, else
    ``~/.cache/mealplan``. The file name carries a hash of every file in the ``food_data`` package
    (code and data) and the Python and pandas versions.
    """
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() == "off":
        return None
    if setting:
        folder = Path(setting)
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mealplan"
    digest = hashlib.sha256(f"{platform.python_version()} {pd.__version__}".encode())
    for file in sorted([*_PACKAGE_DIR.glob("*.py"), *(_PACKAGE_DIR / "data").iterdir()]):
        if file.is_file():
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return folder / f"bundled-{digest.hexdigest()[:20]}.pickle"


def _store(path: Path, table: FoodTable) -> None:
    """Write the cache file atomically and remove caches of older data or code."""
    from food_data.atomic import write_atomic

    try:
        write_atomic(path, pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
        for old in path.parent.glob("bundled-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("cannot write the table cache %s: %s", path, exc)
