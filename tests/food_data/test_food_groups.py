"""Food-group equivalents (food_data.food_groups, data/food_group_rules.yaml and overrides) and the
USDA Food Patterns (food_data.food_patterns, data/food_patterns.yaml).

A five-food table with answers worked on paper, the checks of the data files, and the real bundled
table: every food a plan can show (the pattern pools and the dish library) gets equivalents that
pass the sanity checks a dietitian would make.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from mealplan.errors import ConfigError
from mealplan.food_data import food_groups as fg
from mealplan.food_data.food_group_rules import load_overrides, load_rules, normalize
from mealplan.food_data.food_patterns import food_pattern, load_food_patterns, nearest_level, style_for
from mealplan.food_data.table import DATA_DIR, FoodTable, load_bundled

OZ = 28.349523125


def _table(rows: list[dict], measures: list[tuple[str, str, float]]) -> FoodTable:
    frame = pd.DataFrame(rows).set_index("id")
    return FoodTable(frame, pd.DataFrame(measures, columns=["id", "measure", "grams"]))


@pytest.fixture(scope="module")
def tiny() -> FoodTable:
    # Five foods whose equivalents can be worked on paper (see test_tiny_table_by_hand).
    nutrients = {"fat": 0.0, "carbohydrate": 0.0, "sugars": 0.0, "protein": 0.0, "calcium": 0.0}
    rows = [
        {"id": "s", "name": "Spinach, raw", "category": "vegetables", "usda_group": "", **nutrients},
        {"id": "c", "name": "Cheese, cheddar", "category": "dairy and fortified alternatives", **nutrients,
         "fat": 33.0},
        {"id": "m", "name": "Milk, chocolate, fluid", "category": "dairy and fortified alternatives", **nutrients,
         "sugars": 10.0, "protein": 3.2},
        {"id": "r", "name": "Rice, brown, long-grain, cooked", "category": "grains", **nutrients},
        {"id": "b", "name": "Pork, cured, bacon, cooked", "category": "meat", **nutrients, "fat": 42.0},
    ]  # fmt: skip
    for r in rows:
        r.setdefault("usda_group", "")
    measures = [("s", "cup", 30.0), ("m", "cup", 250.0), ("r", "cup", 195.0), ("r", "cup, dry, yields", 500.0)]
    return _table(rows, measures)


def test_tiny_table_by_hand(tiny: FoodTable) -> None:
    ids, values = fg.food_groups(tiny)
    got = {f: dict(zip(ids, row, strict=True)) for f, row in zip(tiny.rows.index, values, strict=True)}
    # raw leafy greens: 2 cups (2 x 30 g) = 1 cup-eq of dark-green vegetables
    assert got["s"]["veg_dark_green"] == pytest.approx(100 / 60)
    # natural cheese: 1.5 oz = 1 cup-eq of dairy
    assert got["c"]["dairy"] == pytest.approx(100 / (1.5 * OZ))
    # chocolate milk: 1 cup (250 g) = 1 cup-eq; added sugars = sugars - 1.48 g lactose per g protein, / 4.2 g
    assert got["m"]["dairy"] == pytest.approx(100 / 250)
    assert got["m"]["added_sugars"] == pytest.approx((10 - 1.48 * 3.2) / 4.2)
    # cooked brown rice: 1/2 cup = 1 oz-eq of whole grains (the "dry, yields" cup is not the food as eaten)
    assert got["r"]["grain_whole"] == pytest.approx(100 / 97.5)
    assert got["r"]["grain_refined"] == 0
    # bacon: cured meat; fat above 10 g/100 g is solid fat, not meat: (100 - 32) g / 1 oz
    assert got["b"]["cured_meat"] == pytest.approx(68 / OZ)
    assert got["b"]["meat"] == 0
    # cheese's fat is solid fat: no oils; nothing else anywhere
    assert got["c"]["oils"] == 0
    assert sum(v for k, v in got["s"].items() if k != "veg_dark_green") == 0


def test_amounts_are_linear_in_grams(tiny: FoodTable) -> None:
    one = fg.totals(tiny, {"m": 100.0, "r": 100.0})
    two = fg.totals(tiny, {"m": 200.0, "r": 200.0})
    assert all(two[k] == pytest.approx(2 * one[k]) for k in one)
    assert one["dairy"] == pytest.approx(0.4) and one["grain_whole"] == pytest.approx(100 / 97.5)


def test_computed_once_per_table_and_subsets_share_it(tiny: FoodTable) -> None:
    _, first = fg.food_groups(tiny)
    _, again = fg.food_groups(tiny)
    assert again is first
    sub = fg.groups_of(tiny, ["r", "s"])
    assert np.array_equal(sub, first[tiny.rows.positions(["r", "s"])])
    with pytest.raises(KeyError):
        fg.groups_of(tiny, ["nope"])


def test_a_user_table_without_usda_groups_gets_equivalents_by_rules() -> None:
    # A user's table: no usda_group column, ids that collide with an override's id but another name.
    table = _table(
        [{"id": "11934", "name": "My mashed potatoes", "category": "vegetables", "fat": 4.0},
         {"id": "u2", "name": "Blueberries, raw", "category": "fruits", "fat": 0.3}],
        [("u2", "cup", 148.0)],
    )  # fmt: skip
    ids, values = fg.food_groups(table)
    basis = fg.food_group_basis(table)
    assert values[1, ids.index("fruit_whole")] == pytest.approx(100 / 148)
    assert basis[0] == "starchy" and values[0, ids.index("veg_starchy")] == pytest.approx(100 / 150)  # no cup: 150 g


# --- the data files ------------------------------------------------------------------------------------


def test_rules_and_overrides_load_and_every_term_is_in_normal_form() -> None:
    book = load_rules()
    assert book.ids[0] == "fruit_whole" and "added_sugars" in book.ids and len(set(book.ids)) == len(book.ids)
    assert load_overrides()
    for rule in book.rules:
        for term in (*rule.words, *rule.and_words, *rule.unless):
            assert normalize(term).strip() == term


def test_a_broken_rules_file_names_every_problem(tmp_path: Path) -> None:
    raw = yaml.safe_load((DATA_DIR / "food_group_rules.yaml").read_text(encoding="utf-8"))
    raw["rules"][0]["categories"] = ["vegetable"]  # not a planner category
    raw["rules"][1]["words"] = ["Whole-Wheat"]  # not in normal form
    raw["rules"].append({"id": "x", "gives": {"fruit_whole": {"per": 1, "unit": "cup"}}})  # no fallback_g
    raw["rules"].append({"id": "y", "gives": {"fruitz": {"fat": 1}}})  # no such component
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    text = str(err.value)
    assert "category 'vegetable' is unknown" in text
    assert "term 'Whole-Wheat' is not in normal form; write 'whole wheat'" in text
    assert "rules[" in text and "(x): gives fruit_whole per cup but fallback_g has no 'cup'" in text
    assert "(y): gives 'fruitz', which is neither a component nor a split" in text


def test_a_broken_overrides_file_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_text(
        "id,name,rule,parts,whole_share,note\n"
        "1,Food one,no-such-rule,,,why\n"
        "2,Food two,,3*0.7 + 4*0.6,,why\n"
        "3,Food three,,,1.5,\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_overrides(path)
    text = str(err.value)
    assert "row 2: rule 'no-such-rule' is unknown" in text
    assert "row 3: parts '3*0.7 + 4*0.6': shares add up to more than 1" in text
    assert "row 4: whole_share '1.5' is not a number from 0 to 1" in text
    assert "row 4: note is required" in text


def test_every_override_names_its_food_as_the_bundled_table_does() -> None:
    foods = load_bundled().foods
    for food, o in load_overrides().items():
        assert food in foods.index, f"override {food} is not a bundled food"
        assert foods.at[food, "name"] == o.name, f"override {food}: the table calls it {foods.at[food, 'name']!r}"
        for part, _ in o.parts:
            assert part in foods.index, f"override {food}: part {part} is not a bundled food"


# --- the foods a plan can show ----------------------------------------------------------------------


def _plan_foods() -> list[str]:
    pools = {r["id"] for r in csv.DictReader((DATA_DIR / "pattern_foods.csv").open(encoding="utf-8"))}
    dishes = yaml.safe_load((DATA_DIR / "dishes.yaml").read_text(encoding="utf-8"))["dishes"]
    return sorted(pools | {i["food"] for d in dishes for i in d["ingredients"]})


@pytest.fixture(scope="module")
def plan_foods() -> pd.DataFrame:
    table = load_bundled()
    ids = _plan_foods()
    comp, values = fg.food_groups(table)
    frame = pd.DataFrame(fg.groups_of(table, ids), index=ids, columns=list(comp))
    frame["basis"] = fg.food_group_basis(table)[table.rows.positions(ids)]
    return frame.join(table.foods.loc[ids, ["name", "category", "sugars"]])


VEG = ["veg_dark_green", "veg_red_orange", "veg_starchy", "veg_other", "legumes"]
PROTEIN = ["meat", "cured_meat", "poultry", "eggs", "seafood_high_n3", "seafood_low_n3", "nuts_seeds", "soy"]
GROUPS = ["fruit_whole", "fruit_juice", *VEG, "grain_whole", "grain_refined", "dairy", *PROTEIN]


def test_every_plan_food_is_matched_and_none_is_an_undecomposed_mixed_food(plan_foods: pd.DataFrame) -> None:
    assert len(plan_foods) > 400
    bad = plan_foods[plan_foods["basis"].str.startswith(("unmatched", "mixed"))]
    assert bad.empty, bad[["name", "basis"]].to_string()


def test_plan_food_amounts_are_finite_and_plausible(plan_foods: pd.DataFrame) -> None:
    values = plan_foods[[*GROUPS, "oils", "added_sugars"]]
    assert np.isfinite(values.to_numpy()).all() and (values.to_numpy() >= 0).all()
    units = {c.id: c.unit for c in fg.components()}
    for comp in GROUPS:  # per 100 g: no food is more than 3 cups-eq or 8 oz-eq of a group
        limit = 3.0 if units[comp] == "cup-eq" else 8.0
        assert (plan_foods[comp] <= limit).all(), plan_foods.loc[plan_foods[comp] > limit, ["name", comp]]
    # added sugars never exceed the food's sugars
    sugars = plan_foods["sugars"].fillna(0.0)
    assert (plan_foods["added_sugars"] * 4.2 <= sugars + 1e-9).all()


def _named(frame: pd.DataFrame, pattern: str) -> pd.DataFrame:
    return frame[frame["name"].str.contains(pattern, case=False, regex=True)]


def test_each_kind_of_plan_food_has_its_group(plan_foods: pd.DataFrame) -> None:
    f = plan_foods
    veg_like_fruits = "avocado|olive|plantain"
    fruits = f[(f["category"] == "fruits") & ~f["name"].str.contains(veg_like_fruits, case=False)]
    assert (fruits["fruit_whole"] + fruits["fruit_juice"] > 0).all(), fruits[["name"]]
    assert (_named(f[f["category"] == "fruits"], veg_like_fruits)["veg_other"] > 0).all()
    veg = f[f["category"] == "vegetables"]
    assert (veg[VEG].sum(axis=1) > 0).all(), veg[["name"]]
    cheese = _named(f[f["category"] == "dairy and fortified alternatives"], r"^Cheese, (?!cream)")
    assert len(cheese) > 15 and (cheese["dairy"] > 0).all()
    assert (_named(f, r"^Cheese, cream")[GROUPS].sum(axis=1) == 0).all()  # cream cheese is not dairy
    milks = _named(f, r"^(?:Milk|Yogurt|Soymilk|SILK)")
    assert (milks["dairy"] > 0).all(), milks[["name", "dairy"]]
    assert (_named(f, "^Rice drink")[GROUPS].sum(axis=1) == 0).all()  # only fortified soy is a dairy alternative
    fats = f[f["category"] == "fats and oils"]
    assert (fats[GROUPS].sum(axis=1) == 0).all(), fats[["name"]]
    assert (_named(f, r"^Oil, ")["oils"] > 99).all() and (_named(f, "^Butter")["oils"] == 0).all()
    for category, columns in [("nuts and seeds", ["nuts_seeds"]), ("meat", ["meat", "cured_meat"]),
                              ("poultry", ["poultry"]), ("eggs", ["eggs"]),
                              ("seafood", ["seafood_high_n3", "seafood_low_n3"]),
                              ("grains", ["grain_whole", "grain_refined"])]:  # fmt: skip
        group = f[(f["category"] == category) & ~f["name"].str.contains("coconut", case=False)]
        assert (group[columns].sum(axis=1) > 0).all(), (category, group.loc[group[columns].sum(axis=1) == 0, "name"])
    legumes = f[f["category"] == "legumes"]
    assert (legumes[["legumes", "soy", "nuts_seeds"]].sum(axis=1) > 0).all(), legumes[["name"]]
    hot = _named(f, "^(?:Coffee|Tea)")
    assert len(hot) >= 4 and (hot[[*GROUPS, "added_sugars"]].sum(axis=1) == 0).all()


def test_whole_and_refined_grains_and_juice_follow_the_name(plan_foods: pd.DataFrame) -> None:
    f = plan_foods
    whole = _named(f, "whole-wheat|rice, brown|oats|quinoa|bulgur|wild rice").drop("42240")  # 42240: half whole
    assert f.loc["42240", "grain_whole"] == pytest.approx(f.loc["42240", "grain_refined"])
    assert (whole["grain_whole"] > 0).all() and (whole["grain_refined"] == 0).all(), whole[["name"]]
    refined = _named(f, r"rice, white|bagels, plain|bread, french|farina|pearled")
    assert (refined["grain_refined"] > 0).all() and (refined["grain_whole"] == 0).all(), refined[["name"]]
    juice = _named(f, r"^[A-Za-z ]+ juice,")
    fruit_juice = juice[~juice["name"].str.contains("Tomato|Vegetable", case=False)]
    assert (fruit_juice["fruit_juice"] > 0).all() and (fruit_juice["fruit_whole"] == 0).all()
    salmon = _named(f, "salmon|sardine|trout")
    assert (salmon["seafood_high_n3"] > 0).all() and (salmon["seafood_low_n3"] == 0).all()
    sweet = _named(f, r"^(?:Honey|Jams|Syrups|Yogurt, (?:fruit|vanilla)|Milk, chocolate|Catsup)")
    assert len(sweet) >= 8 and (sweet["added_sugars"] > 0).all()
    plain = _named(f, r"^(?:Yogurt, plain|Milk, (?:nonfat|lowfat|reduced fat|whole)|Apples|Bananas)")
    assert (plain["added_sugars"] == 0).all()


def test_the_whole_bundled_table_derives_and_flags_mixed_dishes() -> None:
    table = load_bundled()
    comp, values = fg.food_groups(table)
    basis = fg.food_group_basis(table)
    assert values.shape == (len(table), len(comp)) and np.isfinite(values).all() and (values >= 0).all()
    mixed = basis == "mixed: not decomposed"
    assert mixed.sum() > 500 and (values[mixed, :] == 0).all()
    assert (basis == fg.UNMATCHED).mean() < 0.01


# --- food patterns -------------------------------------------------------------------------------------


def test_the_pattern_tables_add_up() -> None:
    book = load_food_patterns()
    veg_subgroups = ["veg_dark_green", "veg_red_orange", "veg_legumes", "veg_starchy", "veg_other"]
    for style_id, style in book.styles.items():
        a = {k: np.array(v) for k, v in style.amounts.items()}
        assert np.allclose(sum(a[k] for k in veg_subgroups), 7 * a["vegetables"]), style_id
        assert np.allclose(a["whole_grains"] + a["refined_grains"], a["grains"]), style_id
        assert (a["whole_grains"] >= a["grains"] / 2).all(), style_id  # at least half whole
        protein_subgroups = [k for k in ("meats_poultry_eggs", "seafood", "nuts_seeds_soy", "eggs",
                                         "protein_legumes", "soy", "nuts_seeds") if k in a]  # fmt: skip
        weekly = sum(a[k] for k in protein_subgroups)
        assert np.all(np.abs(weekly - 7 * a["protein_foods"]) <= 2.0), (style_id, weekly, 7 * a["protein_foods"])
    assert set(book.styles) == {"us", "vegetarian", "mediterranean"}
    assert "seafood" not in book.styles["vegetarian"].amounts


def test_food_pattern_picks_the_nearest_level_and_applies_the_footnotes() -> None:
    assert nearest_level(2050) == 2000 and nearest_level(2100) == 2200  # a tie goes up
    assert nearest_level(600) == 1000 and nearest_level(5000) == 3200
    assert nearest_level(1200, age_years=30) == 1600 and nearest_level(1200, age_years=6) == 1200
    us = food_pattern(2000, "us", age_years=40)
    assert us.level_kcal == 2000 and us.row("vegetables").amount == 2.5 and us.row("seafood").weekly == 8
    assert us.row("veg_dark_green").daily == pytest.approx(1.5 / 7)
    assert food_pattern(1800, "us", age_years=6).row("dairy").amount == 2.5  # 4-8 years on 1,600 kcal or more
    assert food_pattern(2000, "mediterranean", age_years=40).row("dairy").amount == 2
    assert food_pattern(2000, "mediterranean", age_years=15).row("dairy").amount == 3
    veg = food_pattern(2400, "vegetarian")
    with pytest.raises(KeyError):
        veg.row("seafood")
    assert veg.row("protein_legumes").of({"legumes": 1.0}) == 4  # 1 cup-eq of legumes = 4 oz-eq of protein
    assert us.limits.added_sugars_energy_pct == 10 and us.limits.saturated_fat_energy_pct == 10
    with pytest.raises(ConfigError, match="style 'keto' is unknown; allowed: us, vegetarian, mediterranean"):
        food_pattern(2000, "keto")
    assert not math.isnan(us.row("oils").amount)


def test_style_for_a_profile() -> None:
    assert style_for("vegan") == "vegetarian" and style_for("vegetarian") == "vegetarian"
    assert style_for("omnivore") == "us" and style_for("pescatarian") == "us"
    assert style_for("omnivore", "mediterranean") == "mediterranean" and style_for("omnivore", "dash") == "us"
