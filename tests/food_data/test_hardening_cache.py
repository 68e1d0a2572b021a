"""The table cache (issue #28): data, never code; checked against its source; in a folder only the user
can write. A copied, foreign, damaged or planted cache file is ignored and the table rebuilt."""

from __future__ import annotations

import logging
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.food_data import cache as cache_module
from mealplan.food_data.cache import CACHE_ENV
from mealplan.food_data.loading import load_table
from mealplan.food_data.table import cache_path, load_bundled


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    load_bundled.cache_clear()
    yield folder
    load_bundled.cache_clear()


def _csv(path: Path, foods: list[tuple[str, str]]) -> Path:
    path.write_text("id,name,energy\n" + "".join(f"{i},{n},100\n" for i, n in foods), encoding="utf-8")
    return path


class _Boom:
    """Unpickling it runs a command: it writes a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_cache_copied_over_another_tables_cache_is_not_used(tmp_path: Path, cache_dir: Path):
    a = _csv(tmp_path / "a.csv", [("a1", "Apple thing")])
    b = _csv(tmp_path / "b.csv", [("b1", "Banana thing"), ("b2", "Bean thing")])
    assert load_table(a).rows.index == ["a1"]
    assert load_table(b).rows.index == ["b1", "b2"]
    files = sorted(cache_dir.glob("user-*.npz"))
    assert len(files) == 2
    for src in files:  # copy each over the other's name: neither table may answer with the other's foods
        for dst in files:
            if src != dst:
                shutil.copyfile(src, dst)
                assert load_table(a).rows.index == ["a1"]
                assert load_table(b).rows.index == ["b1", "b2"]


def test_a_pickle_in_the_cache_folder_never_runs(tmp_path: Path, cache_dir: Path):
    marker = tmp_path / "ran"
    load_bundled()
    path = cache_path()
    assert path is not None and path.suffix == ".npz" and path.exists()
    payload = pickle.dumps(_Boom(marker))
    path.write_bytes(payload)  # the cache file itself replaced by a pickle
    path.with_suffix(".pickle").write_bytes(payload)  # and where the old format kept it
    for name in ("bundled", "user-000000000000-x", "yaml-x"):
        (cache_dir / f"{name}.pickle").write_bytes(payload)
    load_bundled.cache_clear()
    table = load_bundled()
    assert len(table) > 8000 and not marker.exists()
    result = CliRunner().invoke(cli, ["foods", "search", "salmon", "--limit", "1"])
    assert result.exit_code == 0 and not marker.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a cache",
        b"PK\x03\x04 broken zip",
        "object array",
        "wrong format",
        "wrong version",
        "short column",
        "text as numbers",
    ],
)
def test_a_cache_file_of_the_wrong_type_is_rebuilt(tmp_path: Path, cache_dir: Path, content):
    table_csv = _csv(tmp_path / "t.csv", [("t1", "Tofu thing"), ("t2", "Tempeh thing")])
    load_table(table_csv)
    (path,) = cache_dir.glob("user-*.npz")
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        _spoil(path, content)
    again = load_table(table_csv)
    assert again.rows.index == ["t1", "t2"] and again.rows["energy"].tolist() == [100.0, 100.0]


def _spoil(path: Path, how: str) -> None:
    import io
    import json

    with np.load(path, allow_pickle=False) as archive:
        members = {name: archive[name] for name in archive.files}
    meta = json.loads(members["meta"].tobytes())
    if how == "object array":
        members["c0"] = np.array([{"a": 1}, None], dtype=object)
    elif how == "wrong format":
        meta["format"] = "something-else"
    elif how == "wrong version":
        meta["version"] = 999
    elif how == "short column":
        first = next(c["array"] for c in meta["columns"] if "array" in c)
        members[first] = members[first][:1]
    elif how == "text as numbers":
        first = next(c for c in meta["columns"] if "text" in c)
        first["array"] = first.pop("text")
    members["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **members)  # allow_pickle is on for saving: a planted object array
    path.write_bytes(buf.getvalue())


def test_a_world_writable_cache_folder_is_not_used_and_the_user_is_told(tmp_path: Path, cache_dir: Path):
    cache_dir.mkdir()
    cache_dir.chmod(0o777)
    cache_module._warn_unsafe.cache_clear()
    table_csv = _csv(tmp_path / "t.csv", [("t1", "Tofu thing")])
    result = CliRunner().invoke(cli, ["foods", "search", "tofu", "--foods", str(table_csv), "--no-bundled"])
    assert result.exit_code == 0, result.output
    assert f"warning: not using the cache folder {cache_dir}: every user may write to it (mode 777)" in result.output
    assert f"chmod 700 {cache_dir}" in result.output
    assert list(cache_dir.iterdir()) == []


def test_a_new_cache_folder_and_its_files_are_private(tmp_path: Path, cache_dir: Path):
    load_table(_csv(tmp_path / "t.csv", [("t1", "Tofu thing")]))
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in cache_dir.iterdir()} == {0o600}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away")
def test_a_cache_folder_or_file_of_another_user_is_not_used(tmp_path: Path, cache_dir: Path, caplog):
    table_csv = _csv(tmp_path / "t.csv", [("t1", "Tofu thing")])
    load_table(table_csv)
    (path,) = cache_dir.glob("user-*.npz")
    os.chown(path, 65534, 65534)
    with caplog.at_level(logging.INFO, logger="mealplan"):
        assert load_table(table_csv).rows.index == ["t1"]
    assert "it is not the user's own file" in caplog.text
    os.chown(cache_dir, 65534, 65534)
    cache_module._warn_unsafe.cache_clear()
    with caplog.at_level(logging.WARNING, logger="mealplan"):
        assert load_table(table_csv).rows.index == ["t1"]
    assert "it belongs to another user (uid 65534)" in caplog.text


def test_a_link_in_the_cache_folder_is_never_followed(tmp_path: Path, cache_dir: Path):
    table_csv = _csv(tmp_path / "t.csv", [("t1", "Tofu thing")])
    load_table(table_csv)
    (path,) = cache_dir.glob("user-*.npz")
    elsewhere = tmp_path / "elsewhere.npz"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert load_table(table_csv).rows.index == ["t1"]
    assert not path.is_symlink()  # replaced by a fresh file of its own
