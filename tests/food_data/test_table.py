"""The curated bundled table's cache file: same table, rebuilt when stale or damaged, never an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from food_data import table as table_module
from food_data.table import CACHE_ENV, cache_path, load_bundled


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
    path.write_bytes(b"not a pickle")
    table = load_bundled()
    assert len(table) == 8858 and table.foods["planner"].sum() > 2000
    assert path.read_bytes() != b"not a pickle"


def test_unwritable_cache_folder_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    load_bundled.cache_clear()
    try:
        assert len(load_bundled()) == 8858
    finally:
        load_bundled.cache_clear()


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
    (copy / "curation.py").write_text((copy / "curation.py").read_text() + "\n# changed\n")
    assert cache_path() not in (before, after)
    before.parent.mkdir()
    before.write_bytes(b"old")
    table_module._store(after, table_module.FoodTable(foods=pd.DataFrame(), measures=pd.DataFrame()))
    assert after.exists() and not before.exists()
