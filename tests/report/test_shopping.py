"""Shopping list: aggregation invariants on the fixture week, purchase units, store sections."""

from __future__ import annotations

import csv
import io

import pytest

from mealplan.food_data.names import short_name
from mealplan.food_data.purchase import purchase_form
from mealplan.food_data.table import FoodTable
from mealplan.plan import Plan
from mealplan.report.purchase import SECTIONS, cooked_text, pack_text, purchase_text, store_section
from mealplan.report.shopping import ShoppingList, shopping_csv, shopping_list, shopping_markdown

# Fixtures `plan` (tests/fixtures/plan_week.json) and `sr24` come from tests/optimizer/conftest.py
# (through tests/report/conftest.py).


def _measures(table: FoodTable, food_id: str) -> list[tuple[str, float]]:
    return table.measures_of(food_id)


def _plan_grams(plan: Plan) -> dict[str, float]:
    out: dict[str, float] = {}
    for day in plan.days:
        for slot in day.slots:
            for item in slot.items:
                out[item.food_id] = out.get(item.food_id, 0.0) + item.grams
    return out


@pytest.mark.parametrize("with_foods", [False, True])
def test_every_gram_of_the_plan_is_on_the_list_once(plan, sr24, with_foods):
    shop = shopping_list(plan, sr24 if with_foods else None)
    grams = _plan_grams(plan)
    listed: dict[str, float] = {}
    for item in shop.items:
        for fid in item.food_ids:
            assert fid not in listed, f"{fid} listed twice"
            listed[fid] = grams[fid]
        assert item.total_grams == pytest.approx(sum(grams[f] for f in item.food_ids), abs=0.06)
    assert set(listed) == set(grams)
    assert shop.days == 7 and shop.profile_id == plan.profile_id


def test_sections_follow_the_shop_walk_and_days_are_right(plan):
    shop = shopping_list(plan)
    order = [s.id for s in shop.sections]
    assert order == [k for k in SECTIONS if k in order]
    assert all(s.items for s in shop.sections)
    bananas = next(i for i in shop.items if i.food_id == "09040")
    expected = sorted(d.index for d in plan.days for s in d.slots for i in s.items if i.food_id == "09040")
    assert bananas.days_used == sorted(set(expected))
    assert bananas.section == "produce"
    assert bananas.portions == len(expected)


def test_eggs_cooked_two_ways_are_bought_as_one_box(plan, sr24):
    shop = shopping_list(plan, sr24)
    eggs = [i for i in shop.items if "egg" in i.purchase_text]
    assert len(eggs) == 1
    assert set(eggs[0].food_ids) == {"01129", "01132"}
    # 4 scrambled (61 g each cooked) + 4 hard-boiled (50 g each): 8 eggs, not 444 g / 50 g = 9
    assert eggs[0].purchase_text == "8 large eggs (1 dozen box)"
    assert eggs[0].total_grams == pytest.approx(444.0)


def test_json_round_trip(plan):
    shop = shopping_list(plan)
    assert ShoppingList.model_validate_json(shop.model_dump_json()) == shop


def test_csv_and_markdown_carry_every_item(plan):
    shop = shopping_list(plan)
    rows = list(csv.DictReader(io.StringIO(shopping_csv(shop))))
    assert len(rows) == len(shop.items)
    assert rows[0].keys() == {"section", "buy", "food", "grams", "days", "food_id"}
    md = shopping_markdown(shop)
    assert md.startswith("# Shopping list: ana-vegetarian (7 days)")
    for section in shop.sections:
        assert f"## {section.title}" in md
    assert md.count("- [ ] **") == len(shop.items)


def test_tap_water_is_left_out(plan):
    day = plan.days[0]
    slot = day.slots[0]
    water = slot.items[0].model_copy(
        update={"food_id": "14411", "name": "Beverages, water, tap, drinking", "category": "beverages"}
    )
    slots = [slot.model_copy(update={"items": [*slot.items, water]}), *day.slots[1:]]
    one_day = plan.model_copy(update={"days": [day.model_copy(update={"slots": slots})]})
    shop = shopping_list(one_day)
    assert "14411" not in {i.food_id for i in shop.items}
    assert shop.skipped == ["Beverages, water, tap, drinking"]


# --- purchase units, each checked by hand against SR24 measures ------------------------------


@pytest.mark.parametrize(
    ("food_id", "category", "grams", "expected"),
    [
        ("09040", "fruits", 700, "6 medium bananas"),  # medium 118 g: 5.9 -> 6
        ("09040", "fruits", 600, "5 medium bananas"),  # 5.08: no extra banana for 10 g
        # 1,400 g at 243 g a cup (1.03 g/mL) is 1.36 L: a half gallon (1.89 L)
        ("16139", "beverages", 1400, "1 half gallon calcium-fortified soy milk (64 fl oz; uses about 1.4 L)"),
        # 200 g at 244 g a cup is 194 mL: a quart, not a half gallon
        ("01079", "dairy and fortified alternatives", 200, "1 quart 2% milk (32 fl oz; uses about 190 mL)"),
        # 2,800 g is 2.72 L: a half gallon (1.89 L) and a quart (0.95 L), not three quarts
        (
            "01079",
            "dairy and fortified alternatives",
            2800,
            "1 half gallon (64 fl oz) and 1 quart (32 fl oz) 2% milk (uses about 2.7 L)",
        ),
        ("18075", "grains", 300, "1 loaf whole-wheat bread (20 oz; uses about 11 slices)"),  # 28 g a slice
        ("05064", "poultry", 450, "450 g boneless skinless chicken breasts (about 1 lb)"),  # loose: by weight
        ("12061", "nuts and seeds", 101, "1 bag almonds (8 oz; uses about 100 g)"),
        ("12061", "nuts and seeds", 300, "2 bags almonds (8 oz; uses about 300 g)"),  # 300 g > 227 g
        ("16126", "legumes", 500, "2 blocks calcium-set firm tofu (14 oz; uses about 500 g)"),  # 500 g > 397 g
        ("11507", "vegetables", 520, "4 sweet potatoes"),  # "sweetpotato, 5\" long" 130 g
        ("09037", "fruits", 300, "2 avocados"),
        ("11821", "vegetables", 300, "3 medium red bell peppers"),  # medium 119 g: 2.5 -> 3
        ("01123", "eggs", 400, "8 large eggs (1 dozen box)"),
        ("01123", "eggs", 250, "5 large eggs (half-dozen box)"),
        ("15088", "seafood", 180, "2 cans sardines in oil (92 g each)"),  # SR24 "can (3.75 oz)" 92 g
        ("01028", "dairy and fortified alternatives", 60, "1 block part-skim mozzarella (8 oz; uses about 60 g)"),
        ("11457", "vegetables", 1200, "5 bags spinach (10 oz; uses about 1.2 kg)"),  # 1,200 / 284 = 4.2
        # 60 g of olive oil at 13.5 g a tablespoon (0.91 g/mL) is 66 mL: a bottle, not "60 g olive oil"
        ("04053", "fats and oils", 60, "1 bottle olive oil (16.9 fl oz; uses about 65 mL)"),
        # lime juice is bought as limes: a lime yields 44 g of juice (SR24)
        ("09160", "fruits", 15, "1 lime (for about 15 mL juice)"),
        ("09160", "fruits", 100, "3 limes (for about 100 mL juice)"),  # 100 / 44 = 2.3
        ("09152", "fruits", 50, "1 lemon (for about 50 mL juice)"),  # a lemon yields 48 g: 1.04 -> 1
        ("11282", "vegetables", 300, "3 medium onions"),  # medium 110 g: 2.7 -> 3
        ("16398", "nuts and seeds", 130, "1 jar peanut butter (16 oz; uses about 130 g)"),
        ("18002", "grains", 300, "1 bag plain bagels (6 bagels; uses 3 bagels)"),  # medium bagel 99 g
        ("14355", "beverages", 1000, "1 box black tea bags (makes 20 cups; uses 4 cups)"),  # a cup 237 g
        # 1,100 g: a 32-oz tub and two 6-oz cups (1,247 g), not seven cups (1,190 g in seven packs)
        (
            "01117",
            "dairy and fortified alternatives",
            1100,
            "1 tub (32 oz) and 2 cups (6 oz) plain low-fat yogurt (uses about 1.1 kg)",
        ),
    ],
)
def test_purchase_text_with_household_measures(sr24, food_id, category, grams, expected):
    name = sr24.foods.at[food_id, "name"]
    assert purchase_text(name, category, grams, _measures(sr24, food_id)) == expected


@pytest.mark.parametrize(
    ("food_id", "category", "cooked_g", "expected"),
    [
        # 690 g cooked x 0.300 (water 73.1 % cooked, 10.4 % dry) = 207 g from a 2-lb bag
        ("20037", "grains", 690, "1 bag brown rice (2 lb; uses about 210 g, makes about 690 g cooked)"),
        # 300 g x 0.385 = 116 g from a 1-lb bag; 300 g drained is 2 cans of 250 g
        (
            "16015",
            "legumes",
            300,
            "1 bag black beans (1 lb dry; uses about 120 g, makes about 300 g cooked), or 2 cans (15 oz)",
        ),
        # 320 g roasted / 0.732 (SR24: 71 g raw, 52 g roasted) = 437 g, up to 450 g
        ("05064", "poultry", 320, "450 g boneless skinless chicken breasts (about 1 lb), raw (cooks to about 320 g)"),
        # oatmeal: 700 g x 0.184 = 129 g of rolled oats from an 18-oz canister
        ("08121", "grains", 700, "1 canister rolled oats (18 oz; uses about 130 g, makes about 700 g cooked)"),
        # boiled spinach: 600 g / 0.65 (USDA AH-102) = 923 g raw: 4 bags of 10 oz (1,136 g)
        ("11458", "vegetables", 600, "4 bags spinach (10 oz; uses about 920 g; cooks to about 600 g)"),
        # instant oatmeal: 500 g x 0.178 = 89 g dry, 3 packets of 28 g from a box of 10
        (
            "08123",
            "grains",
            500,
            "1 box plain instant oatmeal (10 packets; uses 3 packets, makes about 500 g cooked)",
        ),
    ],
)
def test_cooked_foods_are_bought_raw_or_dry(sr24, food_id, category, cooked_g, expected):
    bought = purchase_form(food_id, sr24)
    grams = cooked_g * bought.grams_factor
    assert (
        cooked_text(bought.name, category, grams, cooked_g, bought.form, None, _measures(sr24, bought.id)) == expected
    )


def test_purchase_text_without_measures_uses_the_plan_serving():
    assert purchase_text("Bananas, raw", "fruits", 472, None, ("1 medium", 118)) == "4 medium bananas"
    assert purchase_text("Avocados, raw", "fruits", 200, None, ("½ fruit", 100)) == "1 avocado"
    assert purchase_text("Kiwifruit, green, raw", "fruits", 207, None, ("1 fruit", 69)) == "3 kiwis"
    # No serving that counts pieces: by weight
    assert purchase_text("Bananas, raw", "fruits", 472, None, ("1 cup, sliced", 150)) == "500 g bananas (about 1 lb)"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bread, whole-wheat, commercially prepared", "whole-wheat bread"),
        ("Chicken, broilers or fryers, breast, meat only, cooked, roasted", "chicken breast"),
        ("Nuts, almonds", "almonds"),
        ("Chickpeas (garbanzo beans, bengal gram), mature seeds, cooked, boiled, without salt", "chickpeas"),
        ("Cereals ready-to-eat, GENERAL MILLS, CHEERIOS", "Cheerios"),
        (
            "Orange juice, chilled, includes from concentrate, fortified with calcium",
            "orange juice (calcium-fortified)",
        ),
        ("Soymilk, original and vanilla, unfortified", "soymilk"),
        ("Apricots, dried, sulfured, uncooked", "dried apricots"),
        ("Egg, whole, cooked, scrambled", "scrambled eggs"),
    ],
)
def test_short_names(name, expected):
    assert short_name(name) == expected


@pytest.mark.parametrize(
    ("category", "name", "section"),
    [
        ("vegetables", "Spinach, raw", "produce"),
        ("vegetables", "Beans, snap, green, canned, regular pack", "frozen_canned"),
        ("vegetables", "Kale, frozen, unprepared", "frozen_canned"),
        ("fruits", "Apricots, dried, sulfured, uncooked", "pantry"),
        ("fruits", "Orange juice, raw", "beverages"),
        ("legumes", "Tofu, firm, prepared with calcium sulfate", "dairy"),
        ("legumes", "Lentils, mature seeds, cooked, boiled, without salt", "pantry"),
        ("seafood", "Fish, salmon, Atlantic, wild, cooked, dry heat", "meat"),
        ("seafood", "Fish, sardine, Atlantic, canned in oil, drained solids with bone", "frozen_canned"),
        ("eggs", "Egg, whole, raw, fresh", "dairy"),
        ("grains", "Bread, whole-wheat, commercially prepared", "bakery"),
        ("beverages", "Beverages, almond milk, sweetened, vanilla flavor, ready-to-drink", "dairy"),
        ("beverages", "Beverages, coffee, brewed", "beverages"),
        ("mixed dishes", "Lasagna, cheese", "other"),
        ("condiments and spices", "Salt, table", "pantry"),
        ("condiments and spices", "Spices, cumin seed", "herbs_spices"),  # dried spices: their own section
        ("vegetables", "Parsley, fresh", "produce"),  # fresh herbs are produce
    ],
)
def test_store_sections(category, name, section):
    assert store_section(category, name) == section


def test_herbs_and_spices_come_after_the_pantry():
    order = list(SECTIONS)
    assert order.index("pantry") + 1 == order.index("herbs_spices") and SECTIONS["herbs_spices"] == "Herbs and spices"


def test_pack_text_names_the_packs_and_the_amount_used(sr24):
    tomatoes = sr24.foods.at["11885", "name"]  # canned tomatoes, no salt added: "canned" is said once, as cans
    assert pack_text(tomatoes, 700, sr24.measures_of("11885")) == (
        "2 cans no-salt-added tomatoes (14.5 oz; uses about 700 g)"
    )
    oil = sr24.foods.at["04053", "name"]
    assert pack_text(oil, 600, sr24.measures_of("04053")) == "2 bottles olive oil (16.9 fl oz; uses about 660 mL)"
    assert pack_text("Bananas, raw", 500, sr24.measures_of("09040")) is None  # sold loose
    # a pack of pieces needs the piece's weight: without measures, no pack
    assert pack_text(sr24.foods.at["18002", "name"], 300, []) is None


# --- one line per product, bought raw or dry ---------------------------------------------------


def _week_of(plan: Plan, foods: list[tuple[str, str, str, float]]) -> Plan:
    """A hand-made one-day plan: the fixture's first day with its items replaced by ``foods``
    (food id, name, category, grams), one slot each."""
    day = plan.days[0]
    template = day.slots[0].items[0]
    items = [
        template.model_copy(update={"food_id": i, "name": n, "category": c, "grams": g, "serving_g": g})
        for i, n, c, g in foods
    ]
    slots = [day.slots[0].model_copy(update={"items": [item]}) for item in items]
    return plan.model_copy(update={"days": [day.model_copy(update={"slots": slots})]})


_DAIRY = "dairy and fortified alternatives"
_VARIANTS = [
    ("01085", "Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)", _DAIRY, 250.0),
    ("11457", "Spinach, raw", "vegetables", 60.0),
    (
        "01087",
        "Milk, nonfat, fluid, protein fortified, with added vitamin A and vitamin D (fat free and skim)",
        _DAIRY,
        250.0,
    ),
    ("15087", "Fish, salmon, sockeye, canned, drained solids", "seafood", 100.0),
    ("11458", "Spinach, cooked, boiled, drained, without salt", "vegetables", 180.0),
    (
        "01086",
        "Milk, nonfat, fluid, with added nonfat milk solids, vitamin A and vitamin D (fat free or skim)",
        _DAIRY,
        250.0,
    ),
    ("15264", "Salmon, sockeye, canned, drained solids, without skin and bones", "seafood", 100.0),
]


def test_near_duplicates_are_one_line_listing_their_variants(plan, sr24):
    shop = shopping_list(_week_of(plan, _VARIANTS), sr24)
    by_product = {item.product: item for item in shop.items}
    assert set(by_product) == {"nonfat milk", "spinach", "canned sockeye salmon"}

    milk = by_product["nonfat milk"]
    assert milk.food_ids == ["01085", "01087", "01086"]
    assert milk.variants == [_VARIANTS[0][1], _VARIANTS[2][1], _VARIANTS[5][1]]
    # 750 g at 245 g a cup (1.04 g/mL) is 724 mL: a quart
    assert milk.total_grams == 750 and milk.purchase_text == "1 quart nonfat milk (32 fl oz; uses about 720 mL)"
    assert milk.buy_grams == 750 and milk.yield_note == "" and milk.section == "dairy"

    salmon = by_product["canned sockeye salmon"]
    assert salmon.food_ids == ["15087", "15264"] and salmon.total_grams == 200

    md = shopping_markdown(shop)
    assert md.count("nonfat milk (32 fl oz; uses about 720 mL)**") == 1
    assert f"variants: {_VARIANTS[0][1]}; {_VARIANTS[2][1]}; {_VARIANTS[5][1]}" in md


def test_cooked_and_raw_spinach_are_bought_raw_on_one_line(plan, sr24):
    spinach = next(i for i in shopping_list(_week_of(plan, _VARIANTS), sr24).items if i.product == "spinach")
    assert spinach.food_ids == ["11457", "11458"] and spinach.variants == ["Spinach, raw", _VARIANTS[4][1]]
    assert spinach.total_grams == 240  # eaten: 60 g raw + 180 g cooked
    # 180 g boiled / 0.65 (USDA AH-102: spinach cooked in water) = 277 g raw, + 60 g eaten raw = 337 g.
    # The moisture rule (water 91.2 % cooked, 91.4 % raw) bought 244 g: a third of the cooking short.
    assert spinach.buy_grams == pytest.approx(60 + 180 / 0.65, abs=0.2)
    assert spinach.buy_food_id == "11457"
    assert spinach.purchase_text == "2 bags spinach (10 oz; uses about 340 g; 280 g of it cooks to about 180 g)"
    assert spinach.yield_note == "cooking yield 0.65 g cooked per g raw (AH-102: spinach leaves cooked in water)"


def test_the_week_buys_cooked_staples_dry_and_keeps_the_json_shape(plan, sr24):
    shop = shopping_list(plan, sr24)
    rice = next(i for i in shop.items if i.food_ids == ["20037"])
    # 731 g cooked x 0.300 = 219 g dry, up to 250 g
    assert rice.buy_food_id == "20036" and rice.buy_grams == pytest.approx(219.4, abs=0.2)
    assert rice.purchase_text == "1 bag brown rice (2 lb; uses about 220 g, makes about 730 g cooked)"
    data = shop.model_dump(mode="json")
    assert set(data) == {"profile_id", "days", "sections", "skipped", "dishes"}
    line = data["sections"][0]["items"][0]
    assert {"product", "variants", "buy_food_id", "buy_grams", "yield_note"} <= set(line)


def test_without_a_food_table_foods_are_bought_as_eaten(plan):
    shop = shopping_list(plan)
    rice = next(i for i in shop.items if i.food_ids == ["20037"])
    assert rice.buy_food_id == "20037" and rice.buy_grams == rice.total_grams and rice.yield_note == ""
    assert rice.purchase_text == "750 g brown rice"


def test_the_html_report_lists_merged_variants(plan, sr24):
    from mealplan.report import render_html

    page = render_html(_week_of(plan, _VARIANTS), sr24)
    shop = page[page.index('id="shopping"') :]
    assert "3 kinds" in shop and "2 kinds" in shop  # nonfat milks; spinach raw and cooked, salmons
    assert "Milk, nonfat, fluid, protein fortified" in shop  # the full names, on hover


def test_foods_that_read_the_same_are_one_legend_entry(plan, sr24):
    from mealplan.report.nutrients import nutrient_sources

    sources = nutrient_sources(_week_of(plan, _VARIANTS), sr24, "calcium", top=10)
    names = [short_name(s.name) for s in sources if s.food_id]
    assert len(names) == len(set(names)) and "nonfat milk" in names
