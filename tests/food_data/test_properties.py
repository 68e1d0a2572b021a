"""Loaders round-trip, and never crash on junk: property tests over generated tables and profiles.

- A user food CSV written from generated foods reads back to the same ids, names, tags and values
  (blank cells stay unknown, never 0), and writing the table read back gives the same table again.
- A profile written as YAML, TOML or JSON (and with no extension, sniffed) loads to the same
  ``Profile`` as validating the dict directly.
- Arbitrary bytes as a profile or a food CSV give a ``ConfigError`` / ``FoodDataError`` (exit 2)
  naming the file, or a valid result: never another exception.

Examples per property are in the ``settings`` decorators; the README figures come from them.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mealplan.errors import ConfigError, FoodDataError
from mealplan.food_data.importers import read_user_csv
from mealplan.food_data.vocab import ALLERGENS, CATEGORIES, DIETS, SLOTS
from mealplan.targets.profile_files import load_profile, profile_from_dict
from tests.optimizer.test_properties import profiles

CSV_EXAMPLES = 60
PROFILE_EXAMPLES = 60
JUNK_EXAMPLES = 100
NUTRIENT_COLUMNS = ("energy", "protein", "calcium", "magnesium", "vitamin_d", "vitamin_b12", "sodium")
_SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=_SUPPRESS)


# Cell text: no control characters (CSV itself quotes commas, quotes and new lines), no outer spaces
# (the reader strips cells).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).map(str.strip)
AMOUNT = st.one_of(st.none(), st.just(0.0), st.floats(0, 1e6, allow_nan=False, allow_subnormal=False))


@st.composite
def food_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(
        st.lists(
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_:.\-]{0,11}", fullmatch=True),
            min_size=1,
            max_size=8,
            unique_by=str,
        )
    )
    rows = []
    for fid in ids:
        name = draw(TEXT.filter(bool))
        rows.append(
            {
                "id": fid,
                "name": name,
                "category": draw(st.sampled_from(CATEGORIES)),
                "diet": draw(st.sampled_from(DIETS)),
                "allergens": draw(st.lists(st.sampled_from(ALLERGENS), max_size=3, unique=True)),
                "slots": draw(st.lists(st.sampled_from(SLOTS), min_size=1, max_size=4, unique=True)),
                "serving_g": draw(st.floats(1, 500, allow_nan=False)),
                **{n: draw(AMOUNT) for n in NUTRIENT_COLUMNS},
            }
        )
    return rows


def write_foods_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    """The rows as a user food CSV; floats with repr (exact), None as a blank cell."""
    header = ["id", "name", "category", "diet", "allergens", "slots", "serving_g", *NUTRIENT_COLUMNS]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            w.writerow(
                [
                    r["id"],
                    r["name"],
                    r["category"],
                    r["diet"],
                    ";".join(r["allergens"]) or "none",
                    ";".join(r["slots"]),
                    repr(r["serving_g"]),
                ]
                + ["" if r[n] is None else repr(r[n]) for n in NUTRIENT_COLUMNS]
            )


def rows_of(table_foods: pd.DataFrame) -> list[dict[str, Any]]:
    """A read table back as generator rows (to write it again)."""
    out = []
    for fid, row in table_foods.iterrows():
        out.append(
            {
                "id": fid,
                "name": row["name"],
                "category": row["category"],
                "diet": row["diet"],
                "allergens": [a for a in row["allergens"].split(";") if a],
                "slots": row["slots"].split(";"),
                "serving_g": float(row["serving_g"]),
                **{n: None if math.isnan(row[n]) else float(row[n]) for n in NUTRIENT_COLUMNS},
            }
        )
    return out


@_settings(CSV_EXAMPLES)
@given(rows=food_rows())
def test_user_csv_round_trips(tmp_path: Path, rows: list[dict[str, Any]]):
    path = tmp_path / "foods.csv"
    write_foods_csv(path, rows)
    table = read_user_csv(path)
    foods = table.foods
    assert list(foods.index) == [r["id"] for r in rows]
    for r in rows:
        got = foods.loc[r["id"]]
        assert got["name"] == r["name"]
        assert (got["category"], got["diet"]) == (r["category"], r["diet"])
        assert got["allergens"] == ";".join(a for a in ALLERGENS if a in r["allergens"])
        assert got["slots"] == ";".join(s for s in SLOTS if s in r["slots"])
        assert got["serving_g"] == r["serving_g"]
        for n in NUTRIENT_COLUMNS:
            if r[n] is None:
                assert math.isnan(got[n]), (n, "a blank cell is unknown, never 0")
            else:
                assert got[n] == r[n], n
    # Read -> write -> read gives the same foods again.
    again = tmp_path / "again.csv"
    write_foods_csv(again, rows_of(foods))
    second = read_user_csv(again).foods
    pd.testing.assert_frame_equal(second.drop(columns="source"), foods.drop(columns="source"), check_exact=True)


# --- profiles -------------------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string without control characters is TOML
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(type(value))


def to_toml(data: dict[str, Any]) -> str:
    """A minimal TOML writer for profiles: scalars and lists, then ``[nutrients.<id>]`` tables."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if k != "nutrients"]
    for nid, bound in (data.get("nutrients") or {}).items():
        lines.append(f"\n[nutrients.{nid}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in bound.items()]
    return "\n".join(lines) + "\n"


WRITERS = {
    ".yaml": lambda d: yaml.safe_dump(d, sort_keys=False),
    ".json": lambda d: json.dumps(d, indent=2),
    ".toml": to_toml,
}


@_settings(PROFILE_EXAMPLES)
@given(data=profiles(), name=st.one_of(st.none(), TEXT), fmt=st.sampled_from(sorted(WRITERS)))
def test_profile_round_trips_through_yaml_toml_and_json(tmp_path: Path, data, name, fmt: str):
    if name is not None:
        data = {**data, "name": name}
    expected = profile_from_dict(data)
    text = WRITERS[fmt](data)
    for path in (tmp_path / f"p{fmt}", tmp_path / "p-without-extension"):
        path.write_text(text, encoding="utf-8")
        assert load_profile(path) == expected, (path.name, text)
    # And back out: the loaded profile written again loads to itself.
    dumped = expected.model_dump(mode="json", exclude_defaults=True)
    (tmp_path / f"q{fmt}").write_text(WRITERS[fmt](dumped), encoding="utf-8")
    assert load_profile(tmp_path / f"q{fmt}") == expected


# --- junk never crashes a loader ------------------------------------------------------------------

JUNK = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from(["id", "name", ",", ":", "\n", "[", "]", "{", "}", '"', "=", "- ", "1e400",
                              "nan", "-1", "age", "sex", "\x00", "\t", "#"]), max_size=40)
    .map(lambda parts: "".join(parts).encode()),
)  # fmt: skip


@_settings(JUNK_EXAMPLES)
@given(blob=JUNK, suffix=st.sampled_from([".yaml", ".toml", ".json", ".txt"]))
def test_junk_profile_files_give_a_config_error_naming_the_file(tmp_path: Path, blob: bytes, suffix: str):
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(blob)
    try:
        load_profile(path)
    except ConfigError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        assert exc.exit_code == 2


@_settings(JUNK_EXAMPLES)
@given(blob=JUNK)
def test_junk_food_csv_files_give_a_food_data_error_naming_the_file(tmp_path: Path, blob: bytes):
    path = tmp_path / "junk.csv"
    path.write_bytes(blob)
    try:
        table = read_user_csv(path)
    except FoodDataError as exc:
        assert str(path) in str(exc)
        assert exc.exit_code == 2
    else:
        assert len(table) >= 1 and table.foods.index.is_unique


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e400", "-1", "-0.5"])
def test_non_finite_and_negative_food_values_are_rejected_with_row_and_column(tmp_path: Path, value: str):
    path = tmp_path / "bad.csv"
    path.write_text(f"id,name,magnesium\nx1,Food,{value}\n", encoding="utf-8")
    with pytest.raises(FoodDataError) as err:
        read_user_csv(path)
    assert f"{path}: row 2, column 'magnesium': {value!r}" in str(err.value)
