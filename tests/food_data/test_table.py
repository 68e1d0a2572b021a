"""The curated bundled table's cache file: same table, rebuilt when stale or damaged, never an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mealplan.food_data import cache as cache_module
from mealplan.food_data import table as table_module
from mealplan.food_data.table import CACHE_ENV, cache_path, load_bundled


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    load_bundled.cache_clear()
    yield tmp_path
    load_bundled.cache_clear()


def _fresh() -> table_module.FoodTable:
    return table_module._build_bundled()


def test_cached_table_equals_a_fresh_build(cache_dir: Path) -> None:
    first = load_bundled()
    path = cache_path()
    assert path is not None and path.parent == cache_dir and path.exists()
    load_bundled.cache_clear()
    cached = load_bundled()
    assert cached is not first  # read back from the file, not the in-process cache
    fresh = _fresh()
    pd.testing.assert_frame_equal(cached.foods, fresh.foods)
    pd.testing.assert_frame_equal(cached.measures, fresh.measures)
    assert cached.units == fresh.units and cached.basis == fresh.basis


def test_damaged_cache_is_rebuilt(cache_dir: Path) -> None:
    path = cache_path()
    path.write_bytes(b"not a cache")
    table = load_bundled()
    assert len(table) == 8858 and table.foods["planner"].sum() > 2000
    assert path.read_bytes() != b"not a cache"


def test_unwritable_cache_folder_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    load_bundled.cache_clear()
    try:
        assert len(load_bundled()) == 8858
    finally:
        load_bundled.cache_clear()


def test_cache_folder_is_the_platform_user_cache_unless_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_path().parent == Path(platformdirs.user_cache_dir("mealplan", appauthor=False))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    assert cache_path().parent == tmp_path / "mine"


def test_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_path() is None


def test_cache_key_follows_data_and_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing any data or code file of food_data gives a new cache file; old ones are removed."""
    copy = tmp_path / "food_data"
    shutil.copytree(table_module._PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(table_module, "_PACKAGE_DIR", copy)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    before = cache_path()
    overrides = copy / "data" / "curation_overrides.csv"
    overrides.write_text(overrides.read_text() + "\n")
    after = cache_path()
    assert before != after and before.parent == after.parent
    code = copy / "curation" / "kinds.py"  # a module of a subpackage counts too
    code.write_text(code.read_text() + "\n# changed\n")
    changed = cache_path()
    assert changed not in (before, after)
    words = copy / "data" / "curation_words.yaml"
    words.write_text(words.read_text() + "\n")
    assert cache_path() not in (before, after, changed)
    before.parent.mkdir()
    before.write_bytes(b"old")
    cache_module.store(after, table_module.FoodTable(foods=pd.DataFrame(), measures=pd.DataFrame()), "bundled")
    assert after.exists() and not before.exists()


def test_rows_and_frame_are_the_same_foods(tiny_frame_table) -> None:
    table = tiny_frame_table
    rows = table.rows
    assert rows.index == list(table.foods.index) and rows.columns == list(table.foods.columns)
    for column in ("name", "energy", "planner"):
        assert rows[column].tolist() == table.foods[column].tolist()
    back = table_module.FoodTable(rows, table.measures, table.units).foods
    pd.testing.assert_frame_equal(back, table.foods)


def test_rows_subsets_keep_the_order_asked_for(tiny_frame_table) -> None:
    rows = tiny_frame_table.rows
    picked = rows.take(["b", "a"])
    assert picked.index == ["b", "a"] and picked["energy"].tolist() == [20.0, 10.0]
    assert picked.take(["a"]).index == ["a"]  # a subset of a subset
    some = rows.where(rows["energy"] > 15)
    assert some.index == ["b", "c"] and not some.empty and rows.take([]).empty
    assert some.records(["name"]) == {"b": {"name": "Bee"}, "c": {"name": "Cee"}}
    with pytest.raises(KeyError):
        some.take(["a"])


def test_a_cached_table_loads_without_pandas(tiny_frame_table, tmp_path: Path) -> None:
    """The cache file is numpy only: reading it back (what every `mealplan plan` does) needs no pandas."""
    import subprocess
    import sys

    path = tmp_path / "table.npz"
    cache_module.store(path, tiny_frame_table, "user-x", "k", "src")
    code = (
        "import sys; from pathlib import Path; from mealplan.food_data.cache import read_cache; "
        "from mealplan.food_data.table import FoodTable; "
        "t = FoodTable.from_cache(read_cache(Path(sys.argv[1]), 'user-x', 'k', 'src')); "
        "assert t.rows['energy'].tolist() == [10.0, 20.0, 30.0]; print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.fixture
def tiny_frame_table() -> table_module.FoodTable:
    foods = pd.DataFrame(
        {"name": ["Ay", "Bee", "Cee"], "energy": [10.0, 20.0, 30.0], "planner": [True, False, True]},
        index=pd.Index(["a", "b", "c"], name="id", dtype="str"),
    )
    measures = pd.DataFrame({"id": ["a"], "measure": ["1 cup"], "grams": [240.0]})
    return table_module.FoodTable(foods=foods, measures=measures, units={"energy": "kcal"})


def test_deferred_columns_are_computed_once_on_first_use() -> None:
    calls = []

    def classify() -> dict[str, np.ndarray]:
        calls.append(1)
        return {"category": np.array(["fruits", "grains"], dtype=object), "diet": np.array(["vegan"] * 2, dtype=object)}

    deferred = table_module.Deferred(classify)
    data = {"name": np.array(["Apple", "Oats"], dtype=object), "category": deferred, "diet": deferred}
    rows = table_module.Rows(np.array(["a", "o"], dtype=object), data)
    assert rows["name"].tolist() == ["Apple", "Oats"] and calls == []
    assert rows.take(["o"])["category"].tolist() == ["grains"]  # a view computes for the whole table
    assert rows["diet"].tolist() == ["vegan", "vegan"] and calls == [1]


def test_derived_columns_are_made_once_from_the_whole_table_and_shared_by_subsets() -> None:
    calls = []

    def lower(t) -> np.ndarray:
        calls.append(len(t))
        return np.array([n.lower() for n in t["name"]], dtype=object)

    rows = table_module.Rows(
        np.array(["a", "o", "p"], dtype=object), {"name": np.array(["Apple", "Oats", "Pear"], dtype=object)}
    )
    subset = rows.take(["p", "a"])
    assert subset.derived(("lower",), lower).tolist() == ["pear", "apple"]
    assert rows.where(np.array([False, True, False])).derived(("lower",), lower).tolist() == ["oats"]
    assert calls == [3]  # once, over the whole table
    assert rows.positions(["o", "zz"], missing=-1).tolist() == [1, -1]
    # ``most`` bounds how many of a kind are kept; the rest are made each time
    rows.derived(("pattern", "x"), lower, most=1)
    rows.derived(("pattern", "y"), lower, most=1)
    rows.derived(("pattern", "y"), lower, most=1)
    assert calls == [3, 3, 3, 3]


def test_a_user_tables_pool_places_are_kept_in_its_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's foods are placed in meal-pattern pools once, when the table is read; the next command
    reads the places back with the table (100,000 foods: 1 s a plan) and the merged table keeps them."""
    from mealplan.food_data import patterns
    from mealplan.food_data.loading import load_table, load_tables

    csv = Path(__file__).parents[1] / "fixtures" / "user_foods_good.csv"
    first = load_table(csv)
    assert first.placed == patterns.placements(first.rows) and first.placed["u_tofu"] == "protein"

    def no_search(*_args, **_kwargs):
        raise AssertionError("placed again")

    monkeypatch.setattr(patterns, "components_for", no_search)
    again = load_table(csv)
    assert again is not first and again.placed == first.placed
    merged = load_tables([csv])
    assert merged.placed == first.placed
    own = patterns.load_pattern_foods(merged, skip_missing=True, fallback=True)
    assert own["u_tofu"].component == "protein"


def test_user_table_caches_beyond_the_kept_number_lose_the_least_recently_used(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files given once (a benchmark's temporary tables) do not fill the disk: the user tables' caches
    keep the most recently used ``USER_CACHES_KEPT``; a cache read counts as a use."""
    import os

    monkeypatch.setattr(cache_module, "USER_CACHES_KEPT", 3)
    tiny = table_module.FoodTable(foods=pd.DataFrame(), measures=pd.DataFrame())
    for i in range(4):
        table_module.cached_table(f"user-{i:012d}", "k", lambda: tiny)
        os.utime(cache_dir / f"user-{i:012d}-k.npz", (1000 + i, 1000 + i))  # made in this order
    assert sorted(p.name[:17] for p in cache_dir.glob("user-*")) == ["user-000000000001", "user-000000000002",
                                                                      "user-000000000003"]  # fmt: skip
    table_module.cached_table("user-000000000001", "k", lambda: pytest.fail("read, not built"))  # used now
    table_module.cached_table(f"user-{9:012d}", "k", lambda: tiny)
    assert sorted(p.name[:17] for p in cache_dir.glob("user-*")) == ["user-000000000001", "user-000000000003",
                                                                      "user-000000000009"]  # fmt: skip
