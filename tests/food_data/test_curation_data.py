"""The curation rules as data: the rule files' schema, and the curated table they give, byte for byte.

The fingerprint in ``tests/fixtures/curated_fingerprint.json`` is a sha256 of every column of the
curated bundled SR24 table (as CSV text, with the food ids). A change to a word list, a serving
table, a rule or the override file that changes any food's curation fails
``test_the_curated_table_matches_its_fingerprint``. When the change is intended, rewrite the
fingerprint and commit it with the change, saying in the commit which foods changed and why::

    python -m pytest -q tests/food_data/test_curation_data.py --update-golden

(The suite's conftest clears every MEALPLAN_* variable, so the older ``MEALPLAN_UPDATE_FINGERPRINT=1``
only works outside it; ``--update-golden`` is the suite's one switch for rewriting expected files.)
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mealplan.errors import ConfigError
from mealplan.food_data import table as table_module
from mealplan.food_data.curation.rules import SERVINGS_FILE, WORDS_FILE, load_rules, rules
from mealplan.food_data.vocab import CATEGORIES, CURATION_COLUMNS

FINGERPRINT = Path(__file__).resolve().parents[1] / "fixtures" / "curated_fingerprint.json"
UPDATE_ENV = "MEALPLAN_UPDATE_FINGERPRINT"


def fingerprint(foods: pd.DataFrame) -> dict[str, object]:
    """sha256 of each column (CSV text with the ids), of the ids and of the dtypes."""

    def sha(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    return {
        "rows": len(foods),
        "index": sha("\n".join(foods.index)),
        "dtypes": sha(repr([(c, str(t)) for c, t in foods.dtypes.items()])),
        "columns": {c: sha(foods[c].to_csv()) for c in foods.columns},
    }


def test_the_curated_table_matches_its_fingerprint(update_golden: bool) -> None:
    got = fingerprint(table_module._build_bundled().foods)  # built afresh, not read from the cache
    if update_golden or os.environ.get(UPDATE_ENV) == "1":
        FINGERPRINT.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
        pytest.skip(f"rewrote {FINGERPRINT}; commit it with the change that made it differ")
    want = json.loads(FINGERPRINT.read_text())
    assert set(CURATION_COLUMNS) <= set(want["columns"])
    changed = sorted(c for c in want["columns"] if got["columns"].get(c) != want["columns"][c])
    assert (got["rows"], got["index"], changed) == (want["rows"], want["index"], []), (
        f"the curated table changed in {changed or 'its rows'}; if that is intended, run with --update-golden "
        "(see this file's docstring)"
    )
    assert got == want


def test_the_rule_files_pass_their_schema() -> None:
    r = rules()
    assert {label for label, _ in r.head_markers + r.first_word + r.any_word} <= set(CATEGORIES)
    assert {rule.kind for rule in r.kind_rules} == set(r.kinds)  # every kind is reachable
    assert r.kind_rules[-1].kind == "mixed" and "drinkable" in r.words
    assert rules() is r  # read once


def _copy(tmp_path: Path, edit_words=None, edit_servings=None) -> tuple[Path, Path]:
    words, servings = yaml.safe_load(WORDS_FILE.read_text()), yaml.safe_load(SERVINGS_FILE.read_text())
    if edit_words:
        edit_words(words)
    if edit_servings:
        edit_servings(servings)
    paths = tmp_path / "words.yaml", tmp_path / "servings.yaml"
    paths[0].write_text(yaml.safe_dump(words))
    paths[1].write_text(yaml.safe_dump(servings))
    return paths


def test_every_problem_of_both_files_is_listed_at_once(tmp_path: Path) -> None:
    def words(w: dict) -> None:
        w["words"]["milk"].append("cream of tartar")  # three words never match a name
        w["head_markers"][0]["category"] = "snacks"
        w["head_markers"][1]["lists"] = ["no_such_list"]
        w["groups"]["Beverages"]["typo"] = 1

    def servings(s: dict) -> None:
        s["kinds"]["milk"]["target"] = 1000  # above hi
        s["kind_rules"][0]["kind"] = "soup"

    with pytest.raises(ConfigError) as err:
        load_rules(*_copy(tmp_path, words, servings))
    problems = "\n".join(err.value.problems)
    for fragment in (
        "head_markers.0.category: Input should be",
        "groups.Beverages.typo: Extra inputs are not permitted",
        "kinds.milk: need lo <= target <= hi, got 150, 1000, 300",
    ):
        assert fragment in problems, problems
    assert len(err.value.problems) == 3  # the schema errors; references are checked once those pass

    with pytest.raises(ConfigError) as err:
        load_rules(*_copy(tmp_path, lambda w: w["head_markers"][1].update(lists=["no_such_list"])))
    assert err.value.problems == [f"{WORDS_FILE}: head_markers.1: no word list named 'no_such_list' under words"]


def test_references_and_terms_are_checked(tmp_path: Path) -> None:
    def words(w: dict) -> None:
        w["words"]["milk"].append("cream of tartar")
        w["first_word"][1]["words"].append("Beef")

    def servings(s: dict) -> None:
        s["kind_rules"][0]["kind"] = "soup"
        s["kind_rules"][1]["group"] = "Soups"

    with pytest.raises(ConfigError) as err:
        load_rules(*_copy(tmp_path, words, servings))
    assert [p.split(": ", 1)[1] for p in err.value.problems] == [
        "words.milk: 'cream of tartar' is not one lowercase word or two-word phrase",
        "first_word.1.words: 'Beef' is not one lowercase word or two-word phrase",
        "kind_rules.0: kind 'soup' is not one of kinds",
        "kind_rules.1: group 'Soups' is not a group of curation_words.yaml",
    ]
