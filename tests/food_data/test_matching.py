"""Food patterns (food_data.matching): one rule for the planner, the verifier and the profile."""

from __future__ import annotations

import fnmatch
import re
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mealplan.food_data.matching import NameIndex, food_matches, pattern_mask, required_runs

IDS = ["09040", "05027", "f_milk"]
NAMES = ["Bananas, raw", "Chicken, liver, all classes, raw", "Milk, whole"]


@pytest.mark.parametrize(
    ("pattern", "hits"),
    [
        ("09040", [True, False, False]),
        ("BANANA", [True, False, False]),
        ("*raw", [True, True, False]),
        ("raw*", [False, False, False]),  # a glob matches the whole name
        ("*liver*", [False, True, False]),
        ("090", [False, False, False]),  # an id matches whole, not as a substring of the name
        ("", [False, False, False]),  # a blank pattern names nothing
        ("   ", [False, False, False]),
    ],
)
def test_one_pattern_both_ways(pattern: str, hits: list[bool]) -> None:
    assert [food_matches(pattern, i, n) for i, n in zip(IDS, NAMES, strict=True)] == hits
    assert pattern_mask([pattern], np.array(IDS, dtype=object), NAMES).tolist() == hits


def test_any_of_several_patterns() -> None:
    assert pattern_mask(["f_milk", "banana"], IDS, NAMES).tolist() == [True, False, True]
    assert not pattern_mask([], IDS, NAMES).any()


# --- group words (food_data/data/curation_food_groups.yaml) ------------------------------------


@pytest.fixture(scope="module")
def bundled_foods():
    from mealplan.food_data.table import load_bundled

    return load_bundled().foods


def _named(foods, pattern: str) -> set[str]:
    hit = pattern_mask(
        [pattern], foods.index.to_numpy(dtype=object), foods["name"], foods["category"], foods["allergens"]
    )
    return set(foods.index[hit])


def _id(foods, name: str) -> str:
    return foods.index[foods["name"] == name][0]


@pytest.mark.parametrize(
    ("pattern", "named", "not_named"),
    [
        # Issue 14: a dislike of "fish" missed "Salmon, sockeye, canned".
        (
            "fish",
            ["Salmon, sockeye, canned, total can contents", "Fish, tuna, light, canned in water, drained solids"],
            ["Crustaceans, shrimp, mixed species, cooked, moist heat"],
        ),
        ("Fish", ["Fish, salmon, sockeye, canned, drained solids"], []),
        (
            "seafood",
            ["Crustaceans, shrimp, mixed species, cooked, moist heat", "Fish, salmon, sockeye, canned, drained solids"],
            ["Chicken, broilers or fryers, breast, meat only, cooked, roasted"],
        ),
        (
            "shellfish",
            [
                "Crustaceans, shrimp, mixed species, cooked, moist heat",
                "Mollusks, clam, mixed species, cooked, moist heat",
            ],
            ["Fish, salmon, sockeye, canned, drained solids"],
        ),
        (
            "red meat",
            ["Pork, fresh, loin, whole, separable lean and fat, cooked, broiled", "Lamb, ground, cooked, broiled"],
            ["Chicken, broilers or fryers, breast, meat only, cooked, roasted", "Bacon, meatless"],
        ),
        (
            "pork",
            ["Pork, cured, bacon, cooked, baked", "Ham, sliced, regular (approximately 11% fat)"],
            ["Bacon, meatless", "Beef, ground, 85% lean meat / 15% fat, patty, cooked, broiled"],
        ),
        (
            "poultry",
            [
                "Chicken, broilers or fryers, breast, meat only, cooked, roasted",
                "Chicken, broilers or fryers, breast, meat only, cooked, stewed",
            ],
            ["Pork, cured, bacon, cooked, baked"],
        ),
        (
            "dairy",
            ["Cheese, cheddar", "Yogurt, plain, whole milk, 8 grams protein per 8 ounce"],
            ["Soymilk, original and vanilla, unfortified", "Spinach, raw"],
        ),
        (
            "nuts",
            ["Nuts, almonds", "Peanut butter, smooth style, with salt"],
            [
                "Doughnuts, cake-type, plain, chocolate-coated or frosted",
                "Spices, nutmeg, ground",
                "Waterchestnuts, chinese, (matai), raw",
            ],
        ),
        ("mushrooms", ["Mushrooms, shiitake, stir-fried", "Mushrooms, white, raw"], ["Spinach, raw"]),
        ("eggs", ["Egg, whole, cooked, hard-boiled", "Egg, whole, cooked, scrambled"], ["Eggplant, raw"]),
    ],
)
def test_a_group_word_names_its_foods_by_their_tags(
    bundled_foods, pattern: str, named: list[str], not_named: list[str]
) -> None:
    hits = _named(bundled_foods, pattern)
    for name in named:
        assert _id(bundled_foods, name) in hits, (pattern, name)
    for name in not_named:
        assert _id(bundled_foods, name) not in hits, (pattern, name)


def test_fish_names_every_fish_of_the_table_not_only_those_named_fish(bundled_foods) -> None:
    fish = _named(bundled_foods, "fish")
    plain = {i for i, n in zip(bundled_foods.index, bundled_foods["name"], strict=True) if "fish" in n.lower()}
    from mealplan.food_data.matching import name_terms

    salmon = {i for i, n in zip(bundled_foods.index, bundled_foods["name"], strict=True) if "salmon" in name_terms(n)}
    assert salmon and salmon <= fish  # "Salmonberries" is not salmon
    assert _id(bundled_foods, "Salmonberries, raw (Alaska Native)") not in fish
    assert len(fish) > len(plain)


def test_food_matches_agrees_with_the_mask_and_reads_tags() -> None:
    assert food_matches("fish", "x", "Salmon, sockeye, canned")  # by the name words (the finfish list)
    assert food_matches("dairy", "x", "Labneh", category="other", allergens="milk")  # by the allergen tag
    assert not food_matches("dairy", "x", "Labneh")
    assert food_matches("seafood", "x", "Fried things", category="seafood")
    assert not food_matches("nuts", "x", "Doughnuts, glazed")  # the group's 'unless' words win
    assert food_matches("nut", "x", "Doughnuts, glazed") is False  # 'nut' is a group word too
    assert food_matches("doughnut", "x", "Doughnuts, glazed")  # a plain substring still works
    names = ["Salmon, sockeye, canned", "Labneh", "Doughnuts, glazed"]
    mask = pattern_mask(
        ["fish", "dairy"], ["a", "b", "c"], names, ["seafood", "other", "sweets"], ["fish", "milk", "gluten"]
    )
    assert mask.tolist() == [True, True, False]


def test_the_group_file_is_checked(tmp_path) -> None:
    from mealplan.errors import ConfigError
    from mealplan.food_data import matching

    bad = tmp_path / "groups.yaml"
    bad.write_text(
        "schema: 1\ngroups:\n  fish: {say: [fish], allergens: [fishes], lists: [finfishes]}\n"
        "  cod: {say: [fish], categories: [fishy]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        matching.food_groups.__wrapped__(bad)
    text = "\n".join(err.value.problems)
    assert "groups.fish.allergens: unknown allergens ['fishes']" in text
    assert "groups.cod.categories: unknown categories ['fishy']" in text
    bad.write_text(
        "schema: 1\ngroups:\n  fish: {say: [fish], lists: [finfishes]}\n  cod: {say: [fish]}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as err:
        matching.food_groups.__wrapped__(bad)
    assert [p.split(": ", 1)[1] for p in err.value.problems] == [
        "groups.fish.lists: no word list 'finfishes' in curation_words.yaml",
        "groups.cod.say: 'fish' already names group 'fish'",
    ]


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.text(alphabet="ab*?[]!-", min_size=1, max_size=8),
    names=st.lists(st.text(alphabet="ab[]!-?*", max_size=8), min_size=1, max_size=6),
)
def test_a_glob_matches_as_fnmatch_does(pattern: str, names: list[str]) -> None:
    """The mask's quick look at a glob's literal runs never changes what the glob matches."""
    if not any(ch in pattern for ch in "*?["):
        return
    ids = np.array([f"id{i}" for i in range(len(names))], dtype=object)
    expected = [fnmatch.fnmatchcase(n.lower(), pattern.lower()) for n in names]
    assert pattern_mask([pattern], ids, names).tolist() == expected


@pytest.mark.parametrize(
    ("pattern", "runs"),
    [
        (r"\bbread\b|toast|egg,? white", ("bread", "toast", " white")),
        (r"\boat(s|meal)?\b|porridge", ("oat", "porridge")),
        (r"a{2}b|cd{1,2}e", ("b", "c")),  # a counted letter is no run, nor is its count
        (r"ab+c", ("ab",)),
        (r"x[a|b]y", ("x",)),  # "|" in a class splits nothing
        (r"\bp[aâ]t[eé]\b|soft[- ]boiled", ("pate", "paté", "pâte", "pâté", "soft boiled", "soft-boiled")),
        (r"a[b-d]e|ab[cd]?e", ("a", "ab")),  # a range, an optional class: no spellings
        (r"pie\b|", None),  # an empty branch matches anywhere
        (r"^.*$", None),
    ],
)
def test_required_runs(pattern: str, runs: tuple[str, ...] | None) -> None:
    assert required_runs(pattern) == runs


@settings(max_examples=400, deadline=None)
@given(
    pattern=st.text(alphabet="abé |?*+()[]^$.\\{}12,-", min_size=1, max_size=10),
    names=st.lists(st.text(alphabet="abé \n,12-", max_size=10), min_size=1, max_size=6),
)
@example(pattern="1|[^1]", names=["", "a"])  # a negated class matches the line break between names
@example(pattern="x[^1]*", names=["x", "x"])  # ... and would run on into the next name
def test_a_regex_finds_the_names_a_plain_search_finds(pattern: str, names: list[str]) -> None:
    """The quick look at a regex's required runs never changes which names it finds."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "possible nested set": not a pattern anyone writes
        try:
            regex = re.compile(pattern, re.MULTILINE)
        except (re.error, FutureWarning):
            return
    expected = [i for i, n in enumerate(names) if regex.search(n.replace("\n", " "))]
    assert NameIndex(names).matching(regex) == expected


def test_a_names_array_keeps_one_index_while_it_lives() -> None:
    """A table's name column gets one NameIndex for all its patterns, dropped with the column."""
    import gc

    from mealplan.food_data.matching import _INDEXES, name_index

    names = np.array(["Kale, raw", "Milk, whole"], dtype=object)
    first = name_index(names)
    assert name_index(names) is first and name_index(list(names)) is not first
    assert pattern_mask(["kale"], np.array(["a", "b"], dtype=object), names).tolist() == [True, False]
    key = id(names)
    del names, first
    gc.collect()
    assert key not in _INDEXES


def test_a_verbose_regex_is_searched_as_written() -> None:
    """In a verbose regex spaces are no text, so its runs are not looked for."""
    assert NameIndex(["ab c", "abc"]).matching(re.compile("(?x) ab c")) == [1]
