"""Cache files of food tables: data, never code, checked before use, in a folder only the user can write.

A curated table takes a quarter of a second to build (the bundled one) and a 20,000-food CSV seconds
to read, so each is kept in the cache folder and read back in milliseconds. What is read back is
trusted by the planner, so a cache file is:

- **data only**: a numpy ``.npz`` archive read with ``allow_pickle=False`` (numbers and flags as arrays,
  text columns and the table's description as JSON); nothing in it can run code when loaded;
- **checked against what it stands for**: its header names the cache format and version, the table's
  family and key, and the hash of its source (the bundled data and code, or a user file's content and
  path); a file copied over another table's cache, a foreign or damaged file, or one of another type
  or version is ignored and rebuilt;
- **in a private folder**: a folder mealplan makes is the user's alone (``0700``); one that others may
  write to (world-writable, or owned by someone else) is not used, and a warning says so. A cache file
  must be a regular file owned by the user and writable by no one else.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import stat
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import platformdirs

from mealplan.fileio import write_atomic

log = logging.getLogger(__name__)

CACHE_ENV = "MEALPLAN_CACHE_DIR"  # where the curated tables are cached; "off" disables the cache
CACHE_FORMAT = "mealplan-food-table"
CACHE_VERSION = 1
CACHE_SUFFIX = ".npz"
# A cache file larger than this is not read (a 100,000-food table is about 80 MB).
MAX_CACHE_BYTES = 2 * 1024**3
# User tables' cache files kept (each table's newest): the most recently used, so files given once
# (a benchmark's temporary tables, last month's exports) do not fill the disk at 15 MB a 20,000 foods.
USER_CACHES_KEPT = 16


class CacheRejected(Exception):
    """A cache file that must not be used (the reason is logged; the table is built afresh)."""


# --- the folder ------------------------------------------------------------------------------------------


def cache_folder() -> Path | None:
    """The folder of mealplan's caches, or None when caching is off or the folder is not private.

    ``$MEALPLAN_CACHE_DIR``, else the platform's user cache folder (``platformdirs.user_cache_dir
    ("mealplan")``: ``$XDG_CACHE_HOME/mealplan`` or ``~/.cache/mealplan`` on Linux,
    ``~/Library/Caches/mealplan`` on macOS, ``%LOCALAPPDATA%`` on Windows). A folder that others may
    write to is not used (see :func:`unsafe_folder`): a warning names it and the fix, once per process.
    """
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() == "off":
        return None
    folder = Path(setting) if setting else Path(platformdirs.user_cache_dir("mealplan", appauthor=False))
    why = unsafe_folder(folder)
    if why is not None:
        _warn_unsafe(str(folder), why)
        return None
    return folder


def unsafe_folder(folder: Path) -> str | None:
    """Why ``folder`` must not hold caches (world-writable, or another user's), or None when it may.

    A folder that does not exist yet is fine: :func:`make_folder` creates it private.
    """
    if not hasattr(os, "geteuid"):  # Windows: the user's own profile folder, no POSIX modes
        return None
    try:
        st = os.stat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None  # writing fails and is skipped, as for any unwritable folder
    if st.st_uid != os.geteuid():
        return f"it belongs to another user (uid {st.st_uid})"
    if st.st_mode & stat.S_IWOTH:
        return f"every user may write to it (mode {stat.S_IMODE(st.st_mode):o})"
    return None


@functools.cache
def _warn_unsafe(folder: str, why: str) -> None:
    log.warning(
        "not using the cache folder %s: %s, so a file placed there could change your food tables; "
        "make it yours alone (chmod 700 %s) or set %s to a private folder (or 'off')",
        folder,
        why,
        folder,
        CACHE_ENV,
    )


def make_folder(folder: Path) -> None:
    """Create the cache folder readable and writable by the user alone."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


# --- reading and writing -------------------------------------------------------------------------------


class TableParts(NamedTuple):
    """What a cache file holds: a table's ids, columns, measures, units, basis and pool places."""

    ids: np.ndarray
    data: dict[str, np.ndarray]
    measures: dict[str, np.ndarray]
    units: dict[str, str]
    basis: str
    placed: dict[str, str] | None


def read_cache(path: Path, family: str, key: str, source: str) -> TableParts:
    """The table in a cache file, after checking the file and everything its header says.

    Raises:
        FileNotFoundError: no such file.
        CacheRejected: the file is not the user's own regular file, not a cache of this format and
            version, or stands for another table or source; or its arrays do not fit its header.
    """
    data = _read_own_file(path)
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        meta = _json_member(archive, "meta")
        expected = {"format": CACHE_FORMAT, "version": CACHE_VERSION, "family": family, "key": key, "source": source}
        for name, value in expected.items():
            if not isinstance(meta, dict) or meta.get(name) != value:
                found = meta.get(name) if isinstance(meta, dict) else None
                raise CacheRejected(f"its {name} is {str(found)[:80]!r}, not {str(value)[:80]!r}")
        text = _json_member(archive, "text")
        arrays = {name: archive[name] for name in archive.files if name not in ("meta", "text")}
    return _table_from(meta, text, arrays)


def _read_own_file(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise CacheRejected(f"cannot open it ({exc.strerror}; a link is never followed)") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CacheRejected("it is not a regular file")
        if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or st.st_mode & (stat.S_IWOTH | stat.S_IWGRP)):
            raise CacheRejected("it is not the user's own file (owner or mode)")
        if st.st_size > MAX_CACHE_BYTES:
            raise CacheRejected(f"it is too large ({st.st_size} bytes)")
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read(MAX_CACHE_BYTES + 1)
    finally:
        os.close(fd)


def _json_member(archive: Any, name: str) -> Any:
    raw = archive[name]
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise CacheRejected(f"its {name} is not JSON text")
    return json.loads(raw.tobytes().decode("utf-8"))


def store(path: Path, table: Any, family: str = "bundled", key: str = "", source: str = "") -> None:
    """Write ``table`` (a :class:`~mealplan.food_data.table.FoodTable`) to its cache file atomically, the
    user's alone; remove the family's caches of older data or code (or an older format), and the least
    recently used user tables' caches beyond ``USER_CACHES_KEPT``."""
    try:
        make_folder(path.parent)
        if unsafe_folder(path.parent) is not None:
            return
        write_atomic(path, _encode(table, family, key, source), mode=0o600)
        for old in [*path.parent.glob(f"{family}-*{CACHE_SUFFIX}"), *path.parent.glob(f"{family}-*.pickle")]:
            if old != path:
                old.unlink(missing_ok=True)  # a cache of older data or code (or an older format)
        if family.startswith("user-"):
            users = sorted(path.parent.glob(f"user-*{CACHE_SUFFIX}"), key=_used, reverse=True)
            for old in users[USER_CACHES_KEPT:]:
                if old != path:
                    old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("cannot write the table cache %s: %s", path, exc)


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another process
        return 0.0


# --- the format -------------------------------------------------------------------------------------------

# Array kinds a cache may hold: float64 numbers, flags; everything else is text (or None/NaN) in JSON.
_ARRAY_KINDS = {"f": "<f8", "b": "|b1", "i": "<i8"}


def _encode(table: Any, family: str, key: str, source: str) -> bytes:
    rows = table.rows
    measures = table._measures
    if not isinstance(measures, dict):
        measures = {c: measures[c].to_numpy(dtype=object if c != "grams" else float) for c in measures}
    arrays: dict[str, Any] = {}  # np.savez's keywords
    columns, text = [], {"ids": [str(i) for i in rows.ids.tolist()]}
    for i, name in enumerate(rows.columns):
        values = np.asarray(rows[name])
        if values.dtype.kind in _ARRAY_KINDS:
            arrays[f"c{i}"] = values.astype(_ARRAY_KINDS[values.dtype.kind])
            columns.append({"name": name, "array": f"c{i}"})
        else:
            text[f"c{i}"] = _plain(values.tolist())
            columns.append({"name": name, "text": f"c{i}"})
    text["measure_id"] = [str(v) for v in np.asarray(measures.get("id", [])).tolist()]
    text["measure"] = [str(v) for v in np.asarray(measures.get("measure", [])).tolist()]
    arrays["measure_grams"] = np.asarray(measures.get("grams", []), dtype="<f8")
    meta = {
        "format": CACHE_FORMAT,
        "version": CACHE_VERSION,
        "family": family,
        "key": key,
        "source": source,
        "foods": len(rows),
        "columns": columns,
        "units": dict(table.units),
        "basis": table.basis,
        "placed": table.placed,
    }
    buf = io.BytesIO()
    np.savez(buf, meta=_json_bytes(meta), text=_json_bytes(text), **arrays)
    return buf.getvalue()


def _plain(values: list[Any]) -> list[Any]:
    """A text column's values as JSON can hold them: text, None, or a number (NaN for a missing cell)."""
    out = []
    for v in values:
        if v is None or isinstance(v, str | bool | int | float):
            out.append(v)
        elif isinstance(v, np.generic):
            out.append(v.item())
        else:
            out.append(str(v))
    return out


def _json_bytes(value: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _table_from(meta: dict[str, Any], text: Any, arrays: dict[str, np.ndarray]) -> TableParts:
    """The table a checked header describes; every column must be there, of its kind and length."""
    if not isinstance(text, dict) or not isinstance(meta.get("columns"), list):
        raise CacheRejected("its description of the columns is missing")
    n = meta.get("foods")
    ids = _strings(text.get("ids"), n, "ids")
    data: dict[str, np.ndarray] = {}
    for col in meta["columns"]:
        if not isinstance(col, dict) or not isinstance(col.get("name"), str):
            raise CacheRejected("a column has no name")
        if "array" in col:
            values = arrays.get(str(col["array"]))
            if values is None or values.ndim != 1 or len(values) != n or values.dtype.str not in _ARRAY_KINDS.values():
                raise CacheRejected(f"column {col['name']!r} is not {n} numbers")
            data[col["name"]] = values
        else:
            values = text.get(str(col.get("text")))
            if not isinstance(values, list) or len(values) != n:
                raise CacheRejected(f"column {col['name']!r} is not {n} values")
            data[col["name"]] = np.array(values, dtype=object)
    grams = arrays.get("measure_grams")
    if grams is None or grams.dtype.str != "<f8" or grams.ndim != 1:
        raise CacheRejected("its measures are not numbers")
    m = len(grams)
    measures = {
        "id": np.array(_strings(text.get("measure_id"), m, "measure ids"), dtype=object),
        "measure": np.array(_strings(text.get("measure"), m, "measures"), dtype=object),
        "grams": grams,
    }
    units, basis, placed = meta.get("units"), meta.get("basis"), meta.get("placed")
    if not isinstance(units, dict) or not isinstance(basis, str) or not isinstance(placed, dict | None):
        raise CacheRejected("its units, basis or pool places are missing")
    return TableParts(np.array(ids, dtype=object), data, measures, units, basis, placed)


def _strings(values: Any, n: Any, what: str) -> list[str]:
    if not isinstance(values, list) or len(values) != n or not all(isinstance(v, str) for v in values):
        raise CacheRejected(f"its {what} are not {n} texts")
    return values
