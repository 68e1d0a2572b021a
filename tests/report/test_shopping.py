"""Shopping list: aggregation invariants on the fixture week, purchase units, store sections."""

from __future__ import annotations

import csv
import io

import pytest

from mealplan.food_data.names import short_name
from mealplan.food_data.table import FoodTable
from mealplan.optimizer.plan import Plan
from mealplan.report.purchase import SECTIONS, purchase_text, store_section
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
        ("16139", "beverages", 1400, "1.5 L soymilk (calcium-fortified)"),
        ("01079", "dairy and fortified alternatives", 200, "250 mL reduced fat milk"),
        ("18075", "grains", 300, "1 loaf whole-wheat bread (about 11 slices)"),
        ("05064", "poultry", 450, "450 g chicken breast (about 1 lb)"),
        ("20037", "grains", 690, "250 g dry brown rice (makes about 690 g cooked)"),
        ("16015", "legumes", 300, "150 g dry black beans (makes about 300 g cooked), or 2 cans (15 oz)"),
        ("12061", "nuts and seeds", 101, "150 g almonds"),
        ("12061", "nuts and seeds", 60, "75 g almonds"),
        ("16126", "legumes", 500, "2 blocks firm tofu (calcium-set) (about 324 g each)"),
        ("11507", "vegetables", 520, "4 sweet potatoes"),  # "sweetpotato, 5\" long" 130 g
        ("09037", "fruits", 300, "2 avocados"),
        ("01123", "eggs", 400, "8 large eggs (1 dozen box)"),
        ("01123", "eggs", 250, "5 large eggs (half-dozen box)"),
        ("15088", "seafood", 180, "2 cans sardine (canned in oil) (92 g each)"),
        ("01028", "dairy and fortified alternatives", 60, "75 g mozzarella cheese"),
        ("11457", "vegetables", 1200, "1.2 kg spinach (about 2.75 lb)"),
    ],
)
def test_purchase_text_with_household_measures(sr24, food_id, category, grams, expected):
    name = sr24.foods.at[food_id, "name"]
    assert purchase_text(name, category, grams, _measures(sr24, food_id)) == expected


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
        ("Cereals ready-to-eat, GENERAL MILLS, CHEERIOS", "Cheerios cereal"),
        (
            "Orange juice, chilled, includes from concentrate, fortified with calcium",
            "orange juice (calcium-fortified)",
        ),
        ("Soymilk, original and vanilla, unfortified", "soymilk"),
        ("Apricots, dried, sulfured, uncooked", "dried apricots"),
        ("Egg, whole, cooked, scrambled", "scrambled egg"),
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
    ],
)
def test_store_sections(category, name, section):
    assert store_section(category, name) == section
