"""Short food names, nouns and the words a recipe line puts together (food_data.names, report.meals)."""

from __future__ import annotations

import csv
import re

import pytest
import yaml

from mealplan.errors import ConfigError
from mealplan.food_data.names import (
    NOISE_WORDS,
    SHORT_NAMES_FILE,
    head_noun,
    plural,
    read_short_names,
    rule_name,
    shop_name,
    short_name,
    singular,
)
from mealplan.food_data.purchase import purchase_form
from mealplan.food_data.table import DATA_DIR, load_bundled
from mealplan.report.meals import ingredient_text


@pytest.fixture(scope="module")
def table():
    return load_bundled()


def _plan_visible_ids(table) -> set[str]:
    """Every food a plan can show: pattern-pool foods, dish ingredients, and what the list buys for them."""
    with open(DATA_DIR / "pattern_foods.csv", encoding="utf-8") as fh:
        pool = {row["id"] for row in csv.DictReader(fh)}
    dishes = yaml.safe_load((DATA_DIR / "dishes.yaml").read_text(encoding="utf-8"))["dishes"]
    ingredients = {ing["food"] for dish in dishes for ing in dish["ingredients"]}
    eaten = pool | ingredients
    return eaten | {purchase_form(i, table).id for i in eaten}


# --- the reviewed table --------------------------------------------------------------------------


def test_the_table_matches_the_bundled_foods(table):
    """Each row's USDA name is the bundled table's name for its id: the file cannot drift."""
    names = read_short_names()
    assert len(names) >= 500
    for usda, row in names.items():
        assert row.usda_name == usda
        assert table.foods.at[row.id, "name"] == usda, row.id


def test_every_food_a_plan_can_show_has_a_reviewed_name(table):
    listed = {row.id for row in read_short_names().values()}
    missing = sorted(_plan_visible_ids(table) - listed)
    assert not missing, f"add to {SHORT_NAMES_FILE.name}: {missing}"


# Words a reviewed name may capitalise: proper nouns, places and brand names shoppers know.
PROPER = {
    "All-Bran", "Brussels", "Caesar", "Cheerios", "Chex", "Complete", "Corn", "D", "English", "Fiber", "Flakes",
    "French", "GoLean", "Grain", "Grape-Nuts", "Hass", "Honey", "Bunches", "Italian", "Jack", "K", "Kashi",
    "Krispies", "Life", "Monterey", "Mueslix", "Multi-Grain", "Oats", "One", "Raisin", "Bran", "Rice", "Special",
    "Swiss", "Total", "UV-treated", "Wheaties", "Whole",
}  # fmt: skip


def test_reviewed_names_read_as_a_shopper_says_them():
    for row in read_short_names().values():
        for name in (row.short, row.shop):
            assert name and name == name.strip() and "  " not in name, row
            assert not NOISE_WORDS.search(name), row
            assert not re.search(r"\b(cooked|dry heat|moist heat|NFS|composite|raw)\b", name, re.I), row
            capitals = {w for w in re.findall(r"[\w%-]+", name) if w[:1].isupper()}
            assert capitals <= PROPER, (row.id, name, capitals - PROPER)


@pytest.mark.parametrize(
    ("food_id", "short", "not_like"),
    [
        ("08029", "bran flakes", "Single Brand cereal"),
        ("17014", "lamb leg", "domestic lamb"),
        ("15151", "shrimp", "shrimp crustaceans"),
        ("11939", "portabella mushrooms (high in vitamin D)", "UV portabella"),
        ("12040", "sunflower seed butter", "sunflower seeds"),
        ("08129", "cinnamon-spice instant oatmeal", "rolled oats"),
        ("08123", "plain instant oatmeal", "rolled oats"),
        ("08148", "spoon-size shredded wheat", "Spoon-Size cereal"),
        ("15165", "mussels", "mussel mollusks"),
        ("16063", "black-eyed peas", "common cowpeas"),
    ],
)
def test_the_odd_names_are_fixed(table, food_id, short, not_like):
    name = table.foods.at[food_id, "name"]
    assert short_name(name) == short
    assert not_like not in short_name(name) and not_like not in shop_name(name)


@pytest.mark.parametrize(
    ("name", "shop"),
    [
        ("Egg, whole, cooked, scrambled", "eggs"),
        ("Lime juice, raw", "limes"),
        ("Tofu, raw, firm, prepared with calcium sulfate", "calcium-set firm tofu"),
        ("Soymilk, original and vanilla, with added calcium, vitamins A and D", "calcium-fortified soy milk"),
        ("Bananas, raw", "bananas"),  # no shopping name: the short name
        ("Nuts, brazilnuts, dried, unblanched", rule_name("Nuts, brazilnuts, dried, unblanched")),  # not listed
    ],
)
def test_shop_names(name, shop):
    assert shop_name(name) == shop


def test_foods_outside_the_table_are_named_by_rule():
    name = "Nuts, brazilnuts, dried, unblanched"
    assert name not in read_short_names()
    assert short_name(name) == rule_name(name) == "dried brazilnuts"


def test_a_broken_names_file_names_every_problem(tmp_path):
    bad = tmp_path / "short_names.csv"
    bad.write_text(
        "# a comment\n"
        "id,usda_name,short,shop\n"
        '09040,"Bananas, raw",bananas,\n'
        '9040,"Bananas, raw",raw bananas,\n'
        '09041,"Bananas, dehydrated",,\n'
        "09042,Blackberries,blackberries\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        read_short_names(bad)
    text = str(err.value)
    assert "5 problem(s)" in text
    assert "line 4 (id '9040'): id '9040' is not an NDB number; allowed: 5 digits" in text
    assert "line 4 (id '9040'): usda_name 'Bananas, raw' is empty or listed twice" in text
    assert "line 4 (id '9040'): short 'raw bananas' has the USDA word 'raw'; allowed: shop words" in text
    assert "line 5 (id '09041'): short is empty" in text
    assert "line 6: 3 fields; allowed: 4 (id,usda_name,short,shop)" in text
    header = tmp_path / "header.csv"
    header.write_text("id,name,short\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="allowed: id,usda_name,short,shop"):
        read_short_names(header)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Potatoes, baked, skin, without salt", "potato skins"),
        ("Potatoes, microwaved, cooked, in skin, skin with salt", "potato skins"),
        ("Potatoes, red, flesh and skin, baked", "red potatoes"),
        ("Soup, vegetable soup, condensed, low sodium, prepared with equal volume water", "vegetable soup"),
        ("Sauce, tomato chili sauce, bottled, with salt", "tomato chili sauce"),
        ("Cereals ready-to-eat, POST, GRAPE-NUTS Cereal", "Grape-Nuts Cereal"),
        (
            "Cereals ready-to-eat, KELLOGG, KELLOGG'S RICE KRISPIES TREATS Cereal",
            "Kellogg's Rice Krispies Treats Cereal",
        ),
        ("Pie, fried pies, cherry", "fried pies"),
    ],
)
def test_short_names_say_a_thing_once(name, expected):
    assert rule_name(name) == expected


def test_no_bundled_short_name_repeats_its_noun_or_shouts():
    """Over the whole bundled table, reviewed or by rule: no "soup soup", no "Kellogg'S", no "skin potatoes"."""
    repeats = []
    for name in load_bundled().foods["name"]:
        short = short_name(name)
        words = [singular(w) for w in short.lower().split()]
        if len(words) > 1 and words[-1] == words[-2]:  # "vegetable soup soup", "Grape-Nuts Cereal cereal"
            repeats.append((name, short))
        assert not re.search(r"[a-z]'S\b", short), short
        assert "skin potato" not in short, short
    assert not repeats


@pytest.mark.parametrize(
    ("noun", "n", "expected"),
    [
        ("banana", 2, "bananas"),
        ("banana", 0.5, "banana"),
        ("cup", 1, "cup"),
        ("potato", 3, "potatoes"),
        ("berry", 2, "berries"),
        ("oats", 2, "oats"),
        ("box", 2, "boxes"),  # packs: "2 boxes", "2 bunches"
        ("bunch", 3, "bunches"),
        ("half gallon", 2, "half gallons"),
    ],
)
def test_plural(noun, n, expected):
    assert plural(noun, n) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("berries", "berry"),
        ("pies", "pie"),
        ("potatoes", "potato"),
        ("peaches", "peach"),
        ("boxes", "box"),
        ("bananas", "banana"),
        ("hummus", "hummu"),
        ("glass", "glass"),
    ],
)
def test_singular(word, expected):
    # "hummus" shows the rule's limit: callers only singularise words they count (bananas, eggs).
    assert singular(word) == expected


def test_head_noun():
    assert head_noun("Bananas, raw") == "banana"
    assert head_noun("Eggs (whole), cooked") == "egg"


@pytest.mark.parametrize(
    ("household", "name", "expected"),
    [
        ("⅔ cup, chunks", "pineapple", "⅔ cup pineapple (chunks)"),
        ("⅓ cup slices", "carrots", "⅓ cup carrots (slices)"),
        ("⅓ cup chopped", "celery", "⅓ cup celery (chopped)"),
        ("1 cup (8 fl oz)", "milk", "1 cup milk (8 fl oz)"),
        ("½ medium", "bananas", "½ medium banana"),
        ("1½ medium", "bananas", "1½ medium bananas"),
        ("2 large", "egg", "2 large eggs"),
        ("2 tbsp", "peanut butter", "2 tbsp peanut butter"),
        ("1 medium bagel", "oat bran bagels", "1 medium oat bran bagel"),  # the size's noun is the food's
        ("2 large bagel", "oat bran bagels", "2 large oat bran bagels"),
        ("1½ roll", "hard rolls", "1½ hard rolls"),
        ("1 roll", "hard rolls", "1 hard roll"),
        ("2 fruit", "green kiwifruit", "2 green kiwifruits"),  # the fruit is the count: no "2 fruit kiwifruit"
        ("1 fruit", "green kiwifruit", "1 green kiwifruit"),
        ("2 tbsp, chopped", "red tomatoes", "2 tbsp red tomatoes (chopped)"),
        ("⅓ cup slices", "cucumber (with peel)", "⅓ cup cucumber (with peel, slices)"),  # one bracket
    ],
)
def test_ingredient_text_reads_like_a_recipe(household, name, expected):
    assert ingredient_text(household, name) == expected


@pytest.mark.parametrize(
    ("name", "household", "expected"),
    [
        ("Rice, white, long-grain, regular, cooked", "1½ cups (250 g)", "1½ cups cooked long-grain white rice"),
        ("Spinach, cooked, boiled, drained, without salt", "⅓ cup (60 g)", "⅓ cup cooked spinach"),
        ("Onions, cooked, boiled, drained, without salt", "1 medium (80 g)", "1 medium onion"),  # counted
        ("Rice, white, long-grain, regular, raw, enriched", "¼ cup (46 g)", "¼ cup long-grain white rice"),
        ("Egg, whole, cooked, scrambled", "2 large (122 g)", "2 large scrambled eggs"),
        ("Egg, whole, cooked, scrambled", "1 large (61 g)", "1 large scrambled egg"),
        (
            'Lamb, domestic, leg, whole (shank and sirloin), separable lean only, trimmed to 1/4" fat, choice, cooked, '
            "roasted",
            "4¾ oz (135 g)",
            "4¾ oz cooked lamb leg",
        ),
    ],
)
def test_a_measured_cooked_food_says_cooked(name, household, expected):
    """Amounts are as eaten: "1½ cups cooked rice" is never read as a cup and a half of dry rice."""
    from mealplan.plan import PlanItem
    from mealplan.report.meals import _line

    item = PlanItem(food_id="x", name=name, category="grains", grams=1.0, servings=1.0, serving_name="1 cup",
                    serving_g=1.0, household=household)  # fmt: skip
    assert _line(item).text == expected
