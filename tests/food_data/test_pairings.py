"""Pairings: pattern meals nobody eats are refused, the everyday ones are allowed, the file is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.pairings import check_pairings, load_pairings, pairing_rules
from mealplan.food_data.patterns import load_pattern_foods
from mealplan.food_data.table import load_bundled


@pytest.fixture(scope="module")
def table():
    return load_bundled()


@pytest.fixture(scope="module")
def pool_foods(table):
    return load_pattern_foods(table)


@pytest.fixture(scope="module")
def rules(table, pool_foods):
    return pairing_rules(pool_foods, table)


def test_the_bundled_file_is_clean(table, pool_foods):
    assert check_pairings(table, pool_foods) == []


@pytest.mark.parametrize(
    ("foods", "kind"),
    [
        (["16070", "18006", "11939"], "lunch"),  # lentils with cinnamon-raisin bagel and grilled UV portabella
        (["16070", "18006", "11939"], "dinner"),
        (["01132", "20110", "11091"], "dinner"),  # scrambled eggs with egg noodles and broccoli
        (["15221", "18002", "11457"], "lunch"),  # seared tuna on a bagel with spinach
        (["18006", "01132"], "breakfast"),  # eggs on a cinnamon-raisin bagel
        (["18006", "09037"], "breakfast"),  # avocado on a cinnamon-raisin bagel
        (["16126", "18449", "16123", "11117"], "dinner"),  # tofu, corn tortillas, soy sauce: two cuisines
        (["05064", "20037", "11091", "06931"], "dinner"),  # marinara on rice
        (["05064", "20037", "11091", "04143"], "dinner"),  # Italian dressing with no salad
        (["15237", "11674", "11091", "06150"], "dinner"),  # barbecue sauce on salmon
        (["05064", "20037", "11458", "11162"], "dinner"),  # two cooked greens
        (["01129", "20037", "11091"], "dinner"),  # boiled eggs beside rice
        (["12061", "08013", "16090"], "breakfast"),  # salted peanuts on cereal (as a second topping too)
        (["01131", "18076", "04058"], "breakfast"),  # poached eggs with sesame oil
        (["01132", "18076", "11099"], "breakfast"),  # Brussels sprouts with breakfast eggs
    ],
)
def test_meals_nobody_eats_are_refused(rules, foods, kind):
    assert not rules.allows(foods, kind), rules.violations(foods, kind)


@pytest.mark.parametrize(
    ("foods", "kind"),
    [
        (["15237", "20037", "11091"], "dinner"),  # baked salmon with brown rice and broccoli
        (["01132", "18076"], "breakfast"),  # scrambled eggs on whole-wheat toast
        (["01132", "18076", "11458", "09040"], "breakfast"),  # ... with spinach and a banana
        (["05064", "20137", "11458", "04053"], "dinner"),  # chicken, quinoa, spinach, olive oil
        (["16015", "18449", "11529", "06164"], "lunch"),  # black beans, corn tortillas, tomatoes, salsa
        (["16126", "20053", "11117", "16123"], "dinner"),  # tofu, short-grain rice, bok choy, soy sauce
        (["05064", "20134", "11120", "06112"], "dinner"),  # chicken, rice noodles, napa cabbage, teriyaki
        (["23560", "20121", "11529", "06931"], "dinner"),  # ground beef, spaghetti, tomatoes, marinara
        (["23563", "18348", "11251", "11935"], "lunch"),  # burger in a roll with lettuce and ketchup
        (["15192", "11365", "11053", "27049"], "dinner"),  # cod, boiled potatoes, green beans, tartar sauce
        (["16070", "20029", "11210", "12166"], "dinner"),  # lentils, couscous, eggplant, tahini
        (["05064", "20037", "11251", "04143"], "lunch"),  # chicken, rice, romaine salad, Italian dressing
        (["18006", "01017", "09003"], "breakfast"),  # cinnamon-raisin bagel with cream cheese and an apple
        (["08121", "01079", "09050", "12155"], "breakfast"),  # oatmeal, milk, blueberries, walnuts
        (["01117", "09054", "12061"], "breakfast"),  # yogurt with frozen blueberries and almonds
        (["18235", "01009", "09003"], "snack"),  # crackers, cheddar, apple
        (["16158", "11124", "11143"], "snack"),  # hummus with carrot and celery sticks
    ],
)
def test_everyday_meals_are_allowed(rules, foods, kind):
    assert rules.allows(foods, kind), rules.violations(foods, kind)


def test_rules_are_stated_over_food_ids(rules, table, pool_foods):
    ids = set(pool_foods)
    assert all(a < b and {a, b} <= ids for a, b in rules.never_together)
    assert set(rules.why) == set(rules.never_together)
    assert rules.not_at["18002"] == frozenset({"lunch", "dinner"})  # a bagel is no main-meal starch
    assert "16070" not in rules.not_at
    assert "11251" in rules.needs["04143"]  # Italian dressing needs a salad: romaine will do
    # Pairs no pattern can serve together are left out: two proteins, a bagel and fish (never at one meal kind).
    all_pairs = set(pairing_rules(list(pool_foods), table).never_together)
    assert set(rules.never_together) < all_pairs
    assert ("15221", "18006") in all_pairs and ("15221", "18006") not in set(rules.never_together)


def _write(tmp_path: Path, text: str) -> Path:
    # a new file each time: loaded files are cached by path
    path = tmp_path / f"pairings-{len(list(tmp_path.iterdir()))}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SMALL = """schema: 1
tags:
  banana: {ids: {"09040": "Bananas, raw"}}
  apple: {ids: {"09003": "Apples, raw, with skin"}}
  fruit: {foods: ["bananas, raw", "apples, raw*", "pears, raw"]}
  bagel: {foods: ["bagels, *"]}
  toast: {foods: ["bread, whole-wheat*toasted"]}
  eastern: {ids: {"09040": "Bananas, raw", "09003": "Apples, raw, with skin"}}
  western: {ids: {"09003": "Apples, raw, with skin", "09252": "Pears, raw"}}
never_together:
  - {tags: [banana, apple], why: "not both"}
  - {tags: [fruit, fruit], why: "one fruit"}
not_at:
  - {tag: bagel, meals: [dinner], why: "breakfast bread"}
needs:
  - {tag: banana, any_of: [toast], why: "on toast"}
cuisines: {tags: [eastern, western], why: "cuisines"}
"""


def test_a_small_file_gives_the_rules_by_hand(tmp_path, table):
    path = _write(tmp_path, SMALL)
    foods = ["09040", "09003", "09252", "18002", "18076"]
    rules = pairing_rules(foods, table, path=path)
    assert rules.why == {
        ("09003", "09040"): "not both",
        ("09003", "09252"): "one fruit",
        ("09040", "09252"): "one fruit",  # the cuisine rule would say it too (eastern vs western); first wins
    }
    assert rules.not_at == {"18002": frozenset({"dinner"})}
    assert rules.needs == {"09040": frozenset({"18076"})}
    assert rules.allows(["09040", "18076"], "breakfast")
    assert not rules.allows(["09040"], "snack")  # banana without toast
    assert not rules.allows(["18002"], "dinner")
    assert check_pairings(table, foods, path) == []


def test_file_problems_are_named(tmp_path, table):
    bad = SMALL.replace("meals: [dinner]", "meals: [supper]").replace("any_of: [toast]", "any_of: [crumpet]")
    bad = bad.replace('banana: {ids: {"09040": "Bananas, raw"}}', 'banana: {ids: {"09040": "Banana"}, colour: yellow}')
    with pytest.raises(ConfigError) as err:
        load_pairings(_write(tmp_path, bad))
    text = str(err.value)
    assert "not_at.0.meals: unknown meal kinds ['supper']; allowed: breakfast, lunch, dinner, snack" in text
    assert "tags.banana.colour: Extra inputs are not permitted (value: 'yellow')" in text
    with pytest.raises(ConfigError, match="a rule names the tag 'crumpet', which is not defined"):
        load_pairings(_write(tmp_path, SMALL.replace("any_of: [toast]", "any_of: [crumpet]")))
    drift = _write(tmp_path, SMALL.replace('"09040": "Bananas, raw"}}', '"09040": "Banana"}}'))
    assert any(
        "tags.banana.ids: id '09040' is named 'Banana'; the food table names it 'Bananas, raw'" in p
        for p in check_pairings(table, ["09040", "09003", "09252", "18002", "18076"], drift)
    )
    with pytest.raises(ConfigError, match=r"food ids must be quoted text"):
        load_pairings(_write(tmp_path, SMALL.replace('{"09040": "Bananas, raw"}', '{9040: "Bananas, raw"}')))
