"""Purchase forms (cooked food -> raw or dry food: published yield or moisture rule), packs, merge keys.

Moisture-rule factors are worked by hand from SR24 water (g per 100 g):
raw grams per cooked gram = (100 - water_cooked) / (100 - water_raw).
Published yields (data/purchase_yields.csv) give raw grams per cooked gram = 1 / yield.
"""

from __future__ import annotations

import pandas as pd
import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.names import read_short_names
from mealplan.food_data.purchase import (
    FACTOR_RANGE,
    PAIRS_COLUMNS,
    Purchase,
    choose_packs,
    is_cooked,
    merge_key,
    packs_for,
    published_yield,
    purchase_form,
    read_packs,
    read_pairs,
    read_yields,
    yield_factor,
)
from mealplan.food_data.table import load_bundled


@pytest.fixture(scope="module")
def table():
    return load_bundled()


@pytest.mark.parametrize(
    "cooked_id, raw_id, raw_name, factor, form",
    [
        # brown rice: (100 - 73.09) / (100 - 10.37) = 26.91 / 89.63 = 0.300
        ("20037", "20036", "Rice, brown, long-grain, raw", 0.300, "dry"),
        # lentils, boiled: (100 - 69.64) / (100 - 10.4) = 30.36 / 89.6 = 0.339
        ("16070", "16069", "Lentils, raw", 0.339, "dry"),
        # spaghetti: (100 - 62.13) / (100 - 9.9) = 37.87 / 90.1 = 0.420
        ("20121", "20120", "Spaghetti, dry, enriched", 0.420, "dry"),
        # black beans: (100 - 65.74) / (100 - 11.02) = 34.26 / 88.98 = 0.385
        ("16015", "16014", "Beans, black, mature seeds, raw", 0.385, "dry"),
        # sockeye salmon, dry heat: (100 - 68.0) / (100 - 73.15) = 32 / 26.85 = 1.192
        ("15086", "15085", "Fish, salmon, sockeye, raw", 1.192, "raw"),
        # cream of wheat (a pair in purchase_pairs.csv): (100 - 87.61) / (100 - 10.9) = 12.39 / 89.1 = 0.139
        ("08103", "08102", "Cereals, CREAM OF WHEAT, regular, 10 minute cooking, dry", 0.139, "dry"),
    ],
)
def test_cooked_foods_are_bought_raw_or_dry(table, cooked_id, raw_id, raw_name, factor, form):
    p = purchase_form(cooked_id, table)
    assert (p.id, p.name, p.form) == (raw_id, raw_name, form)
    assert p.grams_factor == pytest.approx(factor, abs=0.002)
    assert p.converted and "dry matter kept" in p.note


@pytest.mark.parametrize(
    "cooked_id, raw_id, factor, source",
    [
        # USDA AH-102: spinach leaves cooked in water weigh 0.65 of the raw: 1 / 0.65 = 1.538 g raw a gram.
        # The moisture rule gave 1.022 (water 91.2 % cooked, 91.4 % raw): half the extra spinach missing.
        ("11458", "11457", 1.538, "AH-102"),
        # SR24: 1 lb ready-to-cook chicken gives 71 g raw breast meat and 52 g roasted: 71 / 52 = 1.365
        ("05064", "05062", 1.366, "SR24"),
        # SR24: a 10-oz (284 g) package of frozen spinach yields 220 g boiled: 284 / 220 = 1.291
        ("11464", "11463", 1.290, "SR24"),
    ],
)
def test_published_yields_win_over_the_moisture_rule(table, cooked_id, raw_id, factor, source):
    p = purchase_form(cooked_id, table)
    assert (p.id, p.form) == (raw_id, "raw") and p.converted
    assert p.grams_factor == pytest.approx(factor, abs=0.002)
    assert p.note.startswith("cooking yield") and source in p.note


def test_the_hand_checkable_yields(table):
    rice, lentils = purchase_form("20037", table), purchase_form("16070", table)
    chicken, spinach = purchase_form("05064", table), purchase_form("11458", table)
    # 1 cup dry brown rice (185 g) makes about 3 cups cooked (195 g a cup): 185 / 0.300 = 617 g, 3.2 cups
    assert 2.8 < 185 / rice.grams_factor / 195 < 3.5
    # 1 cup dry lentils (192 g) makes 2½ to 3 cups cooked (198 g a cup): 192 / 0.339 = 566 g, 2.9 cups
    assert 2.5 < 192 / lentils.grams_factor / 198 < 3.0
    assert 1.3 < chicken.grams_factor < 1.45  # meat loses a quarter to a third of its weight
    assert 1.4 < spinach.grams_factor < 2.2  # raw spinach cooks down by a third or more


# SR24 measures behind the SR24 rows of purchase_yields.csv: (cooked id, raw id, raw measure, cooked measure).
SR24_YIELDS = [
    ("05064", "05062", "unit (yield from 1 lb ready-to-cook chicken)", "unit (yield from 1 lb ready-to-cook chicken)"),
    ("05168", "05167", "unit (yield from 1 lb ready-to-cook turkey)", "unit (yield from 1 lb ready-to-cook turkey)"),
    ("05220", "05219", "unit (yield from 1 lb ready-to-cook turkey)", "unit (yield from 1 lb ready-to-cook turkey)"),
    ("10026", "10024", "chop, excluding refuse (yield from 1 raw chop, with refuse, weighing 151 g)",
     "chop, excluding refuse (yield from 1 raw chop, with refuse, weighing 151 g)"),
    ("17027", "17026", "chop, excluding refuse (yield from 1 raw chop, with refuse, weighing 120 g)",
     "chop, excluding refuse (yield from 1 raw chop, with refuse, weighing 120 g)"),
    ("11464", "11463", "package (10 oz)", "package (10 oz) yields"),
]  # fmt: skip


def test_sr24_yields_are_the_bundled_measures(table):
    """Each SR24 row is recomputed from the bundled household measures: cooked grams / raw grams."""
    rows = {row.food: row for row in read_yields() if row.source.startswith("SR24")}
    assert set(rows) == {cooked for cooked, *_ in SR24_YIELDS}
    for cooked, raw, raw_measure, cooked_measure in SR24_YIELDS:
        raw_g = dict(table.measures_of(raw))[raw_measure]
        cooked_g = dict(table.measures_of(cooked))[cooked_measure]
        assert rows[cooked].cooked_per_raw == pytest.approx(cooked_g / raw_g, abs=0.0005), cooked
        assert purchase_form(cooked, table).id == raw


def test_yields_file_matches_the_bundled_table(table):
    rows = read_yields()
    assert rows
    for row in rows:
        if row.is_kind:
            matched = table.foods["name"].str.contains(row.food, case=False, regex=True)
            assert matched.any(), row.food  # a kind that fits no food is a typo
        else:
            assert table.foods.at[row.food, "name"] == row.usda_name
            assert purchase_form(row.food, table).converted, row.food


def test_a_kind_fits_by_name_and_an_id_row_wins():
    spinach = published_yield("11458", "Spinach, cooked, boiled, drained, without salt")
    salted = published_yield("11856", "Spinach, cooked, boiled, drained, with salt")
    assert spinach is salted and spinach.is_kind and spinach.cooked_per_raw == 0.65
    assert published_yield("11464", "Spinach, frozen, chopped or leaf, cooked, boiled").food == "11464"
    assert published_yield("20037", "Rice, brown, long-grain, cooked") is None


def test_a_broken_yields_file_names_every_problem(tmp_path):
    bad = tmp_path / "yields.csv"
    bad.write_text(
        "# comment\nfood,usda_name,yield,source\n"
        "05064,,7,\n"
        '"^Spinach (",,0.6,somewhere\n'
        "11458,Spinach,0.65,AH-102,extra\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        read_yields(bad)
    text = str(err.value)
    assert "line 3 (food '05064'): yield '7' is not a cooking yield; allowed: 0.2 to 4.0 g cooked per g raw" in text
    assert "line 3 (food '05064'): source is empty" in text
    assert "line 3 (food '05064'): usda_name is empty" in text
    assert "line 4 (food '^Spinach ('): food '^Spinach (' is no id or pattern" in text
    assert "line 5: 5 fields; allowed: 4 (food,usda_name,yield,source)" in text


@pytest.mark.parametrize(
    "food_id",
    [
        "09040",  # Bananas, raw
        "01085",  # Milk, nonfat, fluid, with added vitamin A and vitamin D
        "16390",  # Peanuts, all types, dry-roasted: sold roasted
        "16410",  # Soybeans, roasted: the pairs file says bought as eaten
        "15021",  # Fish, croaker, cooked, breaded and fried: the crumbs and fat are not in raw fish
        "16058",  # Chickpeas, canned
        "20098",  # Pasta, homemade, made without egg, cooked: no dry form in the table
    ],
)
def test_foods_without_a_raw_form_are_bought_as_eaten(table, food_id):
    p = purchase_form(food_id, table)
    assert p == Purchase(id=food_id, name=table.foods.at[food_id, "name"])
    assert p.grams_factor == 1.0 and not p.converted


def test_unknown_food_is_bought_as_is(table):
    assert purchase_form("99999", table) == Purchase(id="99999", name="99999")


def test_factors_are_clamped():
    low, high = FACTOR_RANGE
    assert yield_factor(95.0, 5.0) == low  # 5/95 = 0.05: not a real yield
    assert yield_factor(20.0, 80.0) == high  # 80/20 = 4
    # A moist raw food does not gain weight cooked: kale's 15.5 % solids raw, 8.8 % boiled is leaching.
    assert yield_factor(91.2, 84.5) == 1.0
    assert yield_factor(float("nan"), 10.0) is None
    assert yield_factor(50.0, 100.0) is None


def test_clamped_factor_says_so(table):
    kale = purchase_form("11234", table)  # Kale, cooked, boiled, drained: 91.2 % water; raw 84.5 %
    assert kale.grams_factor == 1.0 and "gives 0.57, held to 1.00" in kale.note


def test_a_plain_frame_is_a_table(table):
    frame = pd.DataFrame(
        {"name": ["Rice, brown, long-grain, raw", "Rice, brown, long-grain, cooked"], "water": [10.0, 73.0]},
        index=["a", "b"],
    )
    p = purchase_form("b", frame)
    assert (p.id, p.grams_factor) == ("a", pytest.approx(0.3, abs=1e-3))
    assert purchase_form("b", frame.drop(columns="water")).grams_factor == 1.0


def test_every_planner_factor_is_in_range(table):
    planner = table.foods[table.foods["planner"].astype(bool)]
    low, high = FACTOR_RANGE
    for food_id in planner.index:
        p = purchase_form(food_id, table)
        assert low <= p.grams_factor <= high
        if p.converted:
            assert is_cooked(planner.at[food_id, "name"]) or food_id in read_pairs()


def test_pairs_file_matches_the_bundled_table(table):
    foods = table.foods
    pairs = read_pairs()
    assert pairs
    for cooked_id, (raw_id, cooked_name, raw_name) in pairs.items():
        assert foods.at[cooked_id, "name"] == cooked_name
        if raw_id:
            assert foods.at[raw_id, "name"] == raw_name
            assert purchase_form(cooked_id, table).id == raw_id
        else:
            assert raw_name == ""
            assert not purchase_form(cooked_id, table).converted


def test_pairs_file_is_checked(tmp_path):
    bad = tmp_path / "pairs.csv"
    bad.write_text("cooked,raw\n1,2\n")
    with pytest.raises(ValueError, match="columns must be"):
        read_pairs(bad)
    dup = tmp_path / "dup.csv"
    dup.write_text(",".join(PAIRS_COLUMNS) + "\n# a comment\n1,2,a,b\n1,3,a,c\n")
    with pytest.raises(ValueError, match="once"):
        read_pairs(dup)


@pytest.mark.parametrize(
    "names, category, key",
    [
        (
            [
                "Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)",
                "Milk, nonfat, fluid, with added nonfat milk solids, vitamin A and vitamin D (fat free or skim)",
                "Milk, nonfat, fluid, protein fortified, with added vitamin A and vitamin D (fat free and skim)",
            ],
            "dairy and fortified alternatives",
            "nonfat milk",
        ),
        (
            [
                "Spinach, raw",
                "Spinach, cooked, boiled, drained, without salt",
                "Spinach, cooked, boiled, drained, with salt",
            ],
            "vegetables",
            "spinach",
        ),
        (["Fish, salmon, sockeye, raw", "Fish, salmon, sockeye, cooked, dry heat"], "seafood", "sockeye salmon"),
        (
            [
                "Fish, salmon, sockeye, canned, drained solids",
                "Salmon, sockeye, canned, drained solids, without skin and bones",
            ],
            "seafood",
            "canned sockeye salmon",
        ),
        (["Rice, brown, long-grain, cooked", "Rice, brown, long-grain, raw"], "grains", "brown rice"),
    ],
)
def test_near_duplicates_share_a_merge_key(names, category, key):
    assert {merge_key(n, category) for n in names} == {key}


@pytest.mark.parametrize(
    "a, b",
    [
        ("Spinach, raw", "Spinach, frozen, chopped or leaf, unprepared"),
        ("Fish, salmon, sockeye, raw", "Fish, salmon, sockeye, canned, drained solids"),
        # the plan's calcium counts on the fortified one
        (
            "Soymilk, original and vanilla, with added calcium, vitamins A and D",
            "Soymilk, original and vanilla, unfortified",
        ),
        (
            "Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)",
            "Milk, lowfat, fluid, 1% milkfat, with added vitamin A and vitamin D",
        ),
        ("Tofu, raw, firm, prepared with calcium sulfate", "Tofu, firm, prepared with nigari"),
        # the plan's vitamin D counts on the UV-exposed one
        ("Mushrooms, portabella, grilled", "Mushrooms, portabella, exposed to ultraviolet light, grilled"),
    ],
)
def test_different_products_keep_apart(a, b):
    assert merge_key(a, "") != merge_key(b, "")


# --- packs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("product", "pack", "sizes"),
    [
        ("olive oil", "bottle", [500.0]),
        ("sesame oil", "bottle", [150.0]),  # the row above the general oils wins
        ("peanut butter", "jar", [454.0]),
        ("chunky peanut butter", "jar", [454.0]),
        ("2% milk", "half gallon", [1893.0, 946.0]),
        ("calcium-fortified soy milk", "half gallon", [1893.0, 946.0]),
        ("rolled oats", "canister", [510.0, 1190.0]),
        ("plain bagels", "bag", [6.0]),
        ("whole-wheat bread", "loaf", [567.0]),
        ("calcium-set firm tofu", "block", [397.0]),
    ],
)
def test_products_come_in_packs(product, pack, sizes):
    found = packs_for(product)
    assert found[0].pack == pack and [p.size for p in found] == sizes


def test_loose_products_have_no_pack():
    assert packs_for("boneless skinless chicken breasts") == ()
    assert packs_for("bananas") == ()


@pytest.mark.parametrize(
    ("amount", "sizes", "counts"),
    [
        (60, [500], [1]),  # a bottle for 4 tablespoons
        (2800, [1893, 946], [1, 1]),  # a half gallon and a quart, not 3 quarts (same volume, more packs)
        (3700, [1893, 946], [2, 0]),  # 2 half gallons
        (900, [1893, 946], [0, 1]),  # a quart: less left over than a half gallon
        (500, [907, 170], [0, 3]),  # three 6-oz cups of yogurt (510 g), not a 32-oz tub
        (1100, [907, 170], [1, 2]),  # a tub and two cups (1,247 g)
        (515, [510, 1190], [1, 0]),  # 5 g over an 18-oz canister is within the slack: no second canister
        (0, [500], [0]),
    ],
)
def test_choose_packs_covers_the_amount_with_least_left_over(amount, sizes, counts):
    assert choose_packs(amount, sizes) == counts
    if amount:
        covered = sum(c * s for c, s in zip(counts, sizes, strict=True))
        assert covered >= amount - 0.05 * min(sizes)


def test_every_pack_row_fits_a_reviewed_product():
    """A pattern that fits no shopping name of the reviewed table is a typo (or a product no plan shows)."""
    shop = {row.shop.lower() for row in read_short_names().values()}
    for pattern, sizes in read_packs():
        assert any(pattern.search(name) for name in shop), pattern.pattern
        for pack in sizes:
            assert pack.source and (pack.size is None or pack.size > 0)


def test_a_broken_packs_file_names_every_problem(tmp_path):
    bad = tmp_path / "packs.csv"
    bad.write_text(
        "product,pack,size,unit,label,source\n"
        "oil$,bottle,500,litre,16.9 fl oz,US retail\n"
        "(jam,jar,340,g,12 oz,US retail\n"
        "bagels$,bag,,each,,US retail\n"
        "honey$,bottle,-3,g,12 oz,US retail\n"
        "tea$,box,10,each,20 bags\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        read_packs(bad)
    text = str(err.value)
    assert "5 problem(s)" in text
    assert "line 2 (product 'oil$'): unit 'litre' is unknown; allowed: g, mL, each" in text
    assert "line 3 (product '(jam'): product is not a regular expression" in text
    assert "line 4 (product 'bagels$'): pack, source (and for unit each, size and label) are needed" in text
    assert "line 5 (product 'honey$'): size '-3' is not a positive number" in text
    assert "line 6: 5 fields; allowed: 6 (product,pack,size,unit,label,source)" in text
