"""Dish text that follows the plate: the markup, dish_text, the load-time checks and the bundled library.

Hand-checkable strings first (no food table), then tiny dish files written per test, then every
bundled dish with every optional ingredient left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mealplan.errors import ConfigError
from mealplan.food_data.dish_markup import (
    MarkupError,
    Mentions,
    grammar_problems,
    markup_problems,
    parse,
    render,
    tidy,
)
from mealplan.food_data.dishes import bundled_path, dish_text, load_dishes
from mealplan.food_data.plate_text import default_called, dish_mentions, text_warnings
from mealplan.food_data.seasonings import load_seasonings
from mealplan.food_data.table import load_bundled

OATS = Mentions.of({"oats": ["oats"], "milk": ["milk"], "banana": ["banana"], "almonds": ["almonds"]})


# --- the markup, on strings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "absent", "expected"),
    [
        ("Oatmeal with {milk | banana | almonds}", set(), "Oatmeal with milk, banana and almonds"),
        ("Oatmeal with {milk | banana | almonds}", {"almonds"}, "Oatmeal with milk and banana"),
        ("Oatmeal with {milk | banana | almonds}", {"almonds", "banana"}, "Oatmeal with milk"),
        ("Top with {sliced banana | almonds}.", {"almonds"}, "Top with sliced banana."),
        ("Simmer the oats[, then stir in the almonds].", {"almonds"}, "Simmer the oats."),
        ("Cook.[ Scatter {banana | almonds} over.]", {"banana"}, "Cook. Scatter almonds over."),
        ("Cook.[ Scatter {banana | almonds} over.]", {"banana", "almonds"}, "Cook."),
        ("[Almond ]oat porridge", {"almonds"}, "Oat porridge"),  # the first word goes: capitalised again
        ("Serve the oats[, spread with almonds,] and a banana.", {"almonds"}, "Serve the oats and a banana."),
    ],
)
def test_a_left_out_ingredient_leaves_the_text_with_its_words(text, absent, expected):
    assert render(text, OATS, absent) == expected


def test_words_match_whatever_the_case_and_plural_and_the_longest_phrase_wins():
    mentions = Mentions.of({"soy": ["soy milk"], "milk": ["milk"], "banana": ["banana"]})
    found = mentions.find("Pour the Soy milk over two bananas, then the milk.")
    assert found == [("soy", "Soy milk"), ("banana", "bananas"), ("milk", "milk")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Oats with {milk | banana", "never closed"),
        ("Oats ] with milk", "closes nothing"),
        ("Oats | milk", "outside a { | } list"),
        ("Oats with {milk | | banana}", "empty list item"),
        ("Oats[ ] with milk", "is empty"),
        ("Oats with {milk ] banana}", "closes nothing"),
    ],
)
def test_markup_that_cannot_be_read_is_an_error_naming_the_place(text, words):
    with pytest.raises(MarkupError, match=re.escape(words)):
        parse(text)


def test_checks_name_the_field_and_the_words():
    optional = {"almonds": "12061 (almonds)", "banana": "09040 (banana)"}
    outside = markup_problems("method", "Top with almonds.", OATS, optional)
    assert outside and "field method: 'almonds' names the optional ingredient 12061 (almonds)" in outside[0]
    two = markup_problems("name", "Oats with {milk | banana and almonds}", OATS, optional)
    assert any("names 2 optional ingredients" in p for p in two), two
    bare = markup_problems("name", "Oats[ with milk]", OATS, optional)
    assert any("names no optional ingredient" in p for p in bare), bare
    all_go = markup_problems("method", "Top with {banana | almonds}.", OATS, optional)
    assert any("every item of the list" in p for p in all_go), all_go
    assert markup_problems("method", "Top[ with {banana | almonds}].", OATS, optional) == []
    assert "field name:" in markup_problems("name", "Oats with {milk", OATS, optional)[0]


def test_tidy_and_the_grammar_check():
    assert tidy(" simmer ,  then serve . top it.") == "Simmer, then serve. Top it."
    assert tidy("Add the oats, .") == "Add the oats."
    for bad in ("Oats with milk, and banana", "Oats with .", "Top with", "Oats  with milk", "Oats with and milk"):
        assert grammar_problems(bad), bad
    assert grammar_problems("Oats with milk and banana. Scatter the walnuts over.") == []


# --- dish files ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def foods():
    return load_bundled()


@pytest.fixture(scope="module")
def library(foods):
    return load_dishes(foods=foods)


def write(tmp_path: Path, dish: dict) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"schema": 1, "dishes": [dish]}, sort_keys=False), encoding="utf-8")
    return path


OATMEAL = {
    "id": "my-oatmeal",
    "name": "Oatmeal with {milk | banana | almonds}",
    "slots": ["breakfast"],
    "method": "Simmer the oats in the milk with a pinch of cinnamon. Top with {sliced banana | almonds}.",
    "seasonings": ["ground cinnamon"],
    "ingredients": [
        {"food": "08121", "grams": 234, "min": 160, "max": 350, "role": "starch", "called": "oats"},
        {"food": "01079", "grams": 122, "min": 60, "max": 245, "role": "dairy", "called": "milk"},
        {"food": "09040", "grams": 118, "min": 59, "max": 150, "role": "fruit"},
        {"food": "12061", "grams": 14, "min": 0, "max": 28, "role": "garnish"},
    ],
}


def test_dish_text_writes_the_plate_and_the_full_text_is_the_dish(foods, tmp_path):
    dish = load_dishes([write(tmp_path, OATMEAL)], foods=foods, bundled=False).get("my-oatmeal")
    assert dish.name == "Oatmeal with milk, banana and almonds"
    assert dish.method == "Simmer the oats in the milk with a pinch of cinnamon. Top with sliced banana and almonds."
    assert dish.name_markup == OATMEAL["name"] and dish.seasonings == ("ground cinnamon",)
    assert dish.ingredients[3].called == ("almonds",)  # filled in from the food's short name
    title, method = dish_text(dish, {"08121", "01079", "09040"})
    assert title == "Oatmeal with milk and banana"
    assert method == "Simmer the oats in the milk with a pinch of cinnamon. Top with sliced banana."
    assert dish_text(dish) == (dish.name, dish.method)
    assert dish_text(dish, set()) == (title, method)  # required ingredients always stay


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"method": "Simmer the oats in the milk with cinnamon. Top with banana and almonds."}, ["'almonds'", "12061"]),
        ({"seasonings": ["ground cinamon"]}, ["unknown seasoning 'ground cinamon'", "ground cinnamon"]),
        ({"name": "Oatmeal with {milk | banana | almonds"}, ["field name", "never closed"]),
    ],
)
def test_a_dish_file_with_unmarked_or_unknown_text_is_refused(foods, tmp_path, change, words):
    with pytest.raises(ConfigError) as err:
        load_dishes([write(tmp_path, OATMEAL | change)], foods=foods, bundled=False)
    assert len(err.value.problems) == 1, err.value.problems
    for word in ["my-oatmeal", *words]:
        assert word in err.value.problems[0], (word, err.value.problems[0])


def test_two_ingredients_called_the_same_are_refused(foods, tmp_path):
    dish = OATMEAL | {"ingredients": [*OATMEAL["ingredients"][:3], {**OATMEAL["ingredients"][3], "called": "milk"}]}
    with pytest.raises(ConfigError, match="also what food '01079' is called"):
        load_dishes([write(tmp_path, dish)], foods=foods, bundled=False)


def test_check_warns_of_a_method_that_forgets_an_ingredient_or_a_seasoning(foods, tmp_path):
    dish = OATMEAL | {"method": "Simmer the oats with salt and dill. Top with {sliced banana | almonds}."}
    lib = load_dishes([write(tmp_path, dish)], foods=foods, bundled=False)
    warnings = text_warnings(lib.get("my-oatmeal"))
    assert "method never names ingredient 01079 (milk)." in warnings
    assert "method never uses the seasoning 'ground cinnamon' it lists." in warnings
    assert "method uses 'dill' but seasonings does not list 'fresh dill'." in warnings
    assert any("says salt" in w for w in warnings)


# --- the bundled library -----------------------------------------------------------------------------


def _left_out(dish) -> list[set[str]]:
    optional = [i.food for i in dish.ingredients if i.optional]
    return [{f} for f in optional] + ([set(optional)] if len(optional) > 1 else [])


def test_every_bundled_ingredient_says_what_the_text_calls_it():
    doc = yaml.safe_load(bundled_path().read_text(encoding="utf-8"))
    missing = [(d["id"], i["food"]) for d in doc["dishes"] for i in d["ingredients"] if not i.get("called")]
    assert missing == []  # explicit words: the library reads the same whatever the short-names table says


def test_a_left_out_ingredient_is_never_named_and_the_text_still_reads(library, foods):
    names = foods.foods["name"]
    seasonings = {f"~{n}": s.words for n, s in load_seasonings().items()}
    failures = []
    for dish in library:
        every = {i.food for i in dish.ingredients}
        called = {i.food: i.called for i in dish.ingredients}
        for absent in _left_out(dish):
            title, method = dish_text(dish, every - absent)
            # The dropped food, by its own words and by its short name, the rest of the dish by theirs.
            dropped = {f"dropped {f}": (*called[f], default_called(str(names[f]))) for f in absent}
            mentions = Mentions.of(seasonings | {f: c for f, c in called.items() if f not in absent} | dropped)
            for field, text in (("name", title), ("method", method)):
                named = [w for key, w in mentions.find(text) if key.startswith("dropped")]
                bad = grammar_problems(text)
                if named or bad:
                    failures.append((dish.id, sorted(absent), field, text, named, bad))
            used = {key for key, _ in dish_mentions(dish).find(method)}
            unnamed = sorted(every - absent - used)
            if unnamed:
                failures.append((dish.id, sorted(absent), "method never names", unnamed))
    assert failures == []


def test_the_full_text_of_every_bundled_dish_checks_clean(library):
    assert [(d.id, w) for d in library for w in text_warnings(d)] == []
    assert sum(bool(i.optional) for d in library for i in d.ingredients) > 250  # the test above has work to do


def test_the_example_in_docs_dishes_md_loads_and_reads_as_the_page_says(foods, tmp_path):
    page = (Path(__file__).parents[2] / "docs" / "dishes.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", page, re.DOTALL).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    dish = load_dishes([path], foods=foods, bundled=False).get("oatmeal-milk-banana-almonds")
    assert text_warnings(dish) == []
    assert dish_text(dish, {"08121", "01079", "09040"})[0] == "Oatmeal with milk and banana"
    snippets = [q for q in re.findall(r"`([\[{][^`]*[\]}][^`]*)`", page) if re.search(r"[a-z]{3}", q)]
    assert len(snippets) >= 4
    for snippet in snippets:  # every markup example on the page parses
        parse(snippet)
