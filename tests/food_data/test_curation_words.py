"""Curation words live in the data files only: no inline word list in the curation code, every named
list of ``curation_words.yaml`` used, every new section schema-checked, and the data deciding.

An inline list is what ``t("raw|uncooked")`` was: words written in Python beside the rule. The
rule says ``W["raw_or_uncooked"]`` now and ``curation_words.yaml`` says the words.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mealplan.errors import ConfigError
from mealplan.food_data import curation
from mealplan.food_data.curation import curate
from mealplan.food_data.curation.rules import SERVINGS_FILE, WORDS_FILE, load_rules, rules
from mealplan.food_data.table import read_sr24

# Modules by name: the package's ``classify`` is the function of the same name.
classify_module = importlib.import_module("mealplan.food_data.curation.classify")
rules_module = importlib.import_module("mealplan.food_data.curation.rules")
tokens_module = importlib.import_module("mealplan.food_data.curation.tokens")
CURATION_DIR = Path(curation.__file__).resolve().parent
MODULES = sorted(CURATION_DIR.glob("*.py"))
TERM = re.compile(r"^[a-z0-9']+(?: [a-z0-9']+)*$")
# Calls that take words or USDA groups: a string literal with a letter (or a literal list of them)
# there is inline data.
WORD_CALLS = frozenset({"t", "terms", "has", "is_", "isin", "frozenset", "set", "startswith", "replace"})


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literal_strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [s for e in node.elts for s in _literal_strings(e)]
    return []


def inline_word_lists(source: str) -> list[str]:
    """Where ``source`` writes words as data: ``"a|b"`` term lists, literal words passed to a word
    lookup, and USDA group names (those belong in ``group_lists``)."""
    group_names = set(rules().groups)
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts = [p.strip() for p in node.value.split("|")]
            if len(parts) > 1 and all(TERM.match(p) for p in parts if p) and any(parts):
                found.append((node.lineno, f"term list {node.value!r}"))
            if node.value in group_names:
                found.append((node.lineno, f"USDA group {node.value!r}"))
        if isinstance(node, ast.Call) and _name(node.func) in WORD_CALLS:
            words = [s for arg in node.args for s in _literal_strings(arg) if re.search("[A-Za-z]", s)]
            if words:
                found.append((node.lineno, f"{_name(node.func)}() of literal words {words}"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def test_no_curation_module_writes_a_word_list_inline() -> None:
    found = {p.name: inline_word_lists(p.read_text(encoding="utf-8")) for p in MODULES}
    assert {name: hits for name, hits in found.items() if hits} == {}
    assert len(MODULES) >= 12  # the scan sees the package's modules


def test_the_scan_finds_what_the_modules_used_to_write() -> None:
    before = """
prepared = tok.has(W["prepared"], unless=t("not reconstituted|unprepared"))
raw = tok.has(t("raw"))
legumes = grp("Legumes and Legume Products") & brand
breakfast = np.isin(kind, ["deli", "meat", "bread"])
fluid = lower.startswith(("fl oz", "fluid ounce"))
line = line.replace("\\n", " ")
"""
    assert [hit.split(":")[0] for hit in inline_word_lists(before)] == [
        "line 2",  # the "a|b" literal
        "line 2",  # t() of literal words
        "line 3",
        "line 4",  # the group name
        "line 5",
        "line 6",  # but not line 7: no letter
    ]
    assert inline_word_lists('rx = ", (?:" + "|".join(words.variants) + ")(?=,|$)"') == []  # a regex is no list


def _used_names(source: str) -> dict[str, set[str]]:
    """Named lists the code reads: ``W["x"]`` / ``….words["x"]``, ``….group_lists["x"]`` (also
    ``grp("x")``) and ``….kind_lists["x"]``."""
    used: dict[str, set[str]] = {"words": set(), "group_lists": set(), "kind_lists": set()}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            key = node.slice.value
            if isinstance(node.value, ast.Name) and node.value.id == "W":
                used["words"].add(key)
            elif isinstance(node.value, ast.Attribute) and node.value.attr in used:
                used[node.value.attr].add(key)
        if isinstance(node, ast.Call) and _name(node.func) == "grp":
            used["group_lists"] |= {a.value for a in node.args if isinstance(a, ast.Constant)}
    return used


def test_every_named_list_is_used_and_every_used_name_exists() -> None:
    words = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    servings = yaml.safe_load(SERVINGS_FILE.read_text(encoding="utf-8"))
    used: dict[str, set[str]] = {"words": set(), "group_lists": set(), "kind_lists": set()}
    for path in MODULES:
        for section, names in _used_names(path.read_text(encoding="utf-8")).items():
            used[section] |= names
    rule_lists = [r for s in ("head_markers", "first_word", "any_word") for r in words[s]] + servings["kind_rules"]
    used["words"] |= {name for r in rule_lists for name in r.get("lists", [])}
    used["words"] |= {r["words"] for r in words["daily_max"]}
    for section in used:
        assert set(words[section]) - used[section] == set(), f"unused {section} in {WORDS_FILE.name}"
        assert used[section] - set(words[section]) == set(), f"{section} the code reads but {WORDS_FILE.name} lacks"


# --- the new sections are schema-checked --------------------------------------------------------


def _write(tmp_path: Path, edit_words=None, edit_servings=None) -> tuple[Path, Path]:
    words = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    servings = yaml.safe_load(SERVINGS_FILE.read_text(encoding="utf-8"))
    if edit_words:
        edit_words(words)
    if edit_servings:
        edit_servings(servings)
    paths = tmp_path / "curation_words.yaml", tmp_path / "curation_servings.yaml"
    paths[0].write_text(yaml.safe_dump(words, sort_keys=False), encoding="utf-8")
    paths[1].write_text(yaml.safe_dump(servings, sort_keys=False), encoding="utf-8")
    return paths


def test_the_copied_files_load_as_the_bundled_ones(tmp_path: Path) -> None:
    assert load_rules(*_write(tmp_path)) == rules()


def test_a_bad_threshold_or_daily_max_rule_is_a_schema_error(tmp_path: Path) -> None:
    def words(w: dict) -> None:
        w["daily_max"][0]["cap_g"] = 100  # and set_g: one of them only
        w["daily_max"][1]["set_g"] = 0
        w["planner"]["alcohol_above"] = -1
        w["planner"]["typo"] = 1

    with pytest.raises(ConfigError) as err:
        load_rules(*_write(tmp_path, words))
    assert sorted(p.split(": ", 1)[1] for p in err.value.problems) == [
        "daily_max.0: give exactly one of set_g and cap_g",
        "daily_max.1.set_g: Input should be greater than 0",
        "planner.alcohol_above: Input should be greater than or equal to 0",
        "planner.typo: Extra inputs are not permitted",
    ]


def test_named_lists_refer_to_known_groups_kinds_lists_and_nutrients(tmp_path: Path) -> None:
    def words(w: dict) -> None:
        w["group_lists"]["sweets"].append("Candy")
        w["kind_lists"]["morning"].append("brunch")
        w["daily_max"][0]["words"] = "espresso"
        w["daily_max"][1]["kind"] = "teapot"
        w["planner"]["cereal_fortified_if_any"]["vitamin_z"] = 1.0
        w["not_brands"].append("Usda")

    def servings(s: dict) -> None:
        s["unit_phrases"]["fluid ounce"] = "floz"

    with pytest.raises(ConfigError) as err:
        load_rules(*_write(tmp_path, words, servings))
    assert [p.split(": ", 1)[1] for p in err.value.problems] == [
        "unit_phrases.fluid ounce: need a lowercase phrase and a unit of kinds, got 'floz'",
        "group_lists.sweets: 'Candy' is not a group of groups",
        "kind_lists.morning: 'brunch' is not a kind of curation_servings.yaml",
        "daily_max.0: no word list named 'espresso' under words",
        "daily_max.1: 'teapot' is not a kind of curation_servings.yaml",
        "planner.cereal_fortified_if_any: 'vitamin_z' is not a nutrient of food_data/nutrients.py",
        "not_brands: 'Usda' is not one ALL-CAPS word",
    ]


def test_new_word_lists_are_checked_as_terms(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_rules(*_write(tmp_path, lambda w: w["words"]["baking_agents"].append("cream of tartar")))
    assert [p.split(": ", 1)[1] for p in err.value.problems] == [
        "words.baking_agents: 'cream of tartar' is not one lowercase word or two-word phrase"
    ]


# --- the data decides ---------------------------------------------------------------------------


@pytest.fixture
def use_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Curate with edited copies of the rule files (every cache of them cleared before and after)."""

    def clear() -> None:
        rules_module.rules.cache_clear()
        classify_module._lexicons.cache_clear()
        tokens_module._rewrites.cache_clear()

    def use(edit_words=None, edit_servings=None) -> None:
        words_file, servings_file = _write(tmp_path, edit_words, edit_servings)
        monkeypatch.setattr(rules_module, "WORDS_FILE", words_file)
        monkeypatch.setattr(rules_module, "SERVINGS_FILE", servings_file)
        clear()

    yield use
    clear()


@pytest.fixture(scope="module")
def sr24() -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_sr24()


# Brewed coffee and tea, sour pickles, HONEY NUT CHEERIOS (fortified, 32 g sugars), brown rice.
IDS = ["14209", "14355", "11941", "08045", "20037"]


def _curated(sr24: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    foods, measures = sr24
    return curate(foods.loc[IDS], measures[measures["id"].isin(IDS)], overrides=None)


def test_thresholds_lists_and_rules_come_from_the_data_file(sr24, use_rules) -> None:
    before = _curated(sr24)
    assert list(before.loc[IDS, "max_g"]) == [750, 1000, 100, 90, 400]
    assert list(before.loc[IDS, "planner"]) == [True, True, True, False, True]

    def words(w: dict) -> None:
        w["daily_max"][0]["set_g"] = 500  # coffee drinks
        w["daily_max"][2]["cap_g"] = 80  # brined foods
        w["planner"]["cereal_sugars_above"] = 40  # sweet fortified cereals kept up to 40 g
        w["words"]["snack_foods"].append("rice")

    use_rules(words)
    after = _curated(sr24)
    changed = {c: list(after.index[after[c] != before[c]]) for c in ("max_g", "planner", "slots")}
    assert changed == {"max_g": ["14209", "11941"], "planner": ["08045"], "slots": ["20037"]}
    assert list(after.loc[IDS, "max_g"]) == [500, 1000, 80, 90, 400]
    assert after.loc["08045", "planner"]
    assert (before.loc["20037", "slots"], after.loc["20037", "slots"]) == ("lunch;dinner", "lunch;dinner;snack")
