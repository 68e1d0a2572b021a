"""Planner curation rules, checked on named real SR24 foods and on tiny hand-made tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mealplan.errors import FoodDataError
from mealplan.food_data.curation import OVERRIDES_FILE, classify_names, curate, load_overrides
from mealplan.food_data.curation.evidence import animal_markers
from mealplan.food_data.curation.fortified import added_columns
from mealplan.food_data.table import CURATION_COLUMNS, load_bundled, read_sr24
from mealplan.food_data.vocab import ALLERGENS, CATEGORIES, DIETS, SLOTS, split_tags


@pytest.fixture(scope="module")
def foods() -> pd.DataFrame:
    return load_bundled().foods


@pytest.fixture(scope="module")
def planner(foods: pd.DataFrame) -> pd.DataFrame:
    return foods[foods["planner"]]


def row(foods: pd.DataFrame, food_id: str) -> pd.Series:
    return foods.loc[food_id]


# --- named real foods -------------------------------------------------------------------------


def test_raw_beef_is_not_as_eaten(foods: pd.DataFrame) -> None:
    beef = row(foods, "23567")
    assert beef["name"] == "Beef, ground, 85% lean meat / 15% fat, raw"
    assert beef["category"] == "meat"
    assert beef["diet"] == "omnivore"
    assert not beef["as_eaten"]
    assert not beef["planner"]
    raw_beef = foods[foods["name"].str.startswith("Beef,") & foods["name"].str.contains(", raw")]
    assert len(raw_beef) > 100
    assert not raw_beef["as_eaten"].any()


def test_banana(foods: pd.DataFrame) -> None:
    banana = row(foods, "09040")
    assert banana["name"] == "Bananas, raw"
    assert banana["as_eaten"] and banana["planner"]
    assert banana["category"] == "fruits"
    assert banana["diet"] == "vegan"
    assert banana["allergens"] == ""
    assert {"snack", "breakfast"} <= set(split_tags(banana["slots"]))
    assert banana["serving_name"] == "1 medium"
    assert banana["serving_g"] == pytest.approx(118)


def test_whole_milk(foods: pd.DataFrame) -> None:
    milk = row(foods, "01077")
    assert milk["name"] == "Milk, whole, 3.25% milkfat, with added vitamin D"
    assert milk["category"] == "dairy and fortified alternatives"
    assert milk["diet"] == "vegetarian"
    assert split_tags(milk["allergens"]) == ["milk"]
    assert milk["serving_name"] == "1 cup"
    assert milk["max_g"] == pytest.approx(750)


def test_cooked_salmon(foods: pd.DataFrame) -> None:
    salmon = row(foods, "15209")
    assert salmon["name"] == "Fish, salmon, Atlantic, wild, cooked, dry heat"
    assert salmon["category"] == "seafood"
    assert salmon["diet"] == "pescatarian"
    assert "fish" in split_tags(salmon["allergens"])
    assert "shellfish" not in split_tags(salmon["allergens"])
    assert salmon["as_eaten"] and salmon["planner"]
    assert salmon["serving_name"] == "3 oz"
    assert set(split_tags(salmon["slots"])) == {"lunch", "dinner"}


def test_shrimp_is_shellfish_not_fish(foods: pd.DataFrame) -> None:
    shrimp = row(foods, "15151")
    assert shrimp["category"] == "seafood"
    assert shrimp["diet"] == "pescatarian"
    assert split_tags(shrimp["allergens"]) == ["shellfish"]


def test_bread_has_gluten(foods: pd.DataFrame) -> None:
    bread = row(foods, "18075")
    assert bread["name"] == "Bread, whole-wheat, commercially prepared"
    assert bread["category"] == "grains"
    assert "gluten" in split_tags(bread["allergens"])
    assert bread["serving_name"] == "1 slice"
    assert "breakfast" in split_tags(bread["slots"])


def test_calcium_set_tofu(foods: pd.DataFrame) -> None:
    tofu = row(foods, "16426")
    assert tofu["name"] == "Tofu, raw, firm, prepared with calcium sulfate"
    assert tofu["category"] == "legumes"
    assert tofu["diet"] == "vegan"
    assert split_tags(tofu["allergens"]) == ["soy"]
    assert tofu["as_eaten"] and tofu["planner"]  # raw tofu is eaten as it is


def test_baby_food_and_fast_food_are_not_in_the_planner(foods: pd.DataFrame) -> None:
    baby = row(foods, "03002")
    burger = row(foods, "21228")
    assert baby["name"].startswith("Babyfood")
    assert burger["name"] == "McDONALD'S, Hamburger"
    for food in (baby, burger):
        assert not food["as_eaten"]
        assert not food["planner"]
    groups = foods["usda_group"]
    assert not foods.loc[groups.isin(["Baby Foods", "Fast Foods", "Restaurant Foods"]), "planner"].any()


def test_deprecated_foods_are_not_as_eaten(foods: pd.DataFrame) -> None:
    assert foods["deprecated"].sum() > 0
    assert not foods.loc[foods["deprecated"], "as_eaten"].any()


def test_salt_twins_keep_one_representative(foods: pd.DataFrame) -> None:
    assert row(foods, "16390")["planner"]  # Peanuts, all types, dry-roasted, without salt
    assert not row(foods, "16090")["planner"]  # ... with salt
    assert row(foods, "16090")["as_eaten"]


def test_diet_of_mixed_and_baked_foods(foods: pd.DataFrame) -> None:
    names = foods.set_index("name")
    assert names.loc["Cookies, chocolate chip, commercially prepared, regular, lower fat", "diet"] == "vegetarian"
    assert names.loc["Honey", "diet"] == "vegetarian"
    assert names.loc["Gelatin desserts, dry mix", "diet"] == "omnivore"
    assert names.loc["Salad dressing, caesar dressing, regular", "diet"] == "pescatarian"
    assert names.loc["Beans, baked, canned, with pork", "diet"] == "omnivore"
    assert names.loc["Soup, cream of mushroom, canned, prepared with equal volume water", "diet"] != "vegan"


# --- the planner set --------------------------------------------------------------------------


def test_planner_set_size_and_categories(planner: pd.DataFrame) -> None:
    assert len(planner) >= 400
    present = set(planner["category"])
    assert present == set(CATEGORIES) - {"other"}


def test_planner_rows_are_consistent(planner: pd.DataFrame) -> None:
    assert planner["as_eaten"].all()
    assert (planner["serving_g"] > 0).all()
    assert (planner["max_g"] >= planner["serving_g"]).all()
    assert planner["energy"].notna().all()
    assert not planner["deprecated"].any()
    assert planner["serving_name"].str.len().gt(0).all()
    for tags in planner["slots"]:
        assert split_tags(tags) and set(split_tags(tags)) <= set(SLOTS)
    for tags in planner["allergens"]:
        assert set(split_tags(tags)) <= set(ALLERGENS)
    assert set(planner["diet"]) <= set(DIETS)
    assert not planner["name"].str.contains("Alcoholic beverage").any()


def test_max_g_by_category(foods: pd.DataFrame) -> None:
    assert row(foods, "04053")["max_g"] == pytest.approx(30)  # olive oil
    assert row(foods, "12061")["max_g"] == pytest.approx(60)  # almonds
    assert row(foods, "01009")["max_g"] == pytest.approx(80)  # cheddar
    assert row(foods, "11457")["max_g"] == pytest.approx(400)  # raw spinach
    assert row(foods, "15209")["max_g"] == pytest.approx(250)  # cooked salmon
    liver = foods[foods["name"].str.startswith("Beef, variety meats and by-products, liver, cooked")]
    assert (liver["max_g"] <= 100).all() and len(liver)


@pytest.mark.parametrize(
    ("food_id", "nutrient", "at_least"),
    [
        ("16139", "calcium", 100),  # Soymilk ... with added calcium, vitamins A and D
        ("16139", "vitamin_d", 1.0),
        ("16139", "vitamin_b12", 0.5),
        ("14639", "calcium", 100),  # Rice drink, unsweetened, with added calcium, vitamins A and D
        ("11998", "vitamin_d", 5.0),  # Mushrooms, portabella, exposed to ultraviolet light, raw
        ("11939", "vitamin_d", 5.0),  # ... grilled
        ("16426", "calcium", 300),  # Tofu, raw, firm, prepared with calcium sulfate
    ],
)
def test_fortified_foods_are_in_the_planner(foods: pd.DataFrame, food_id: str, nutrient: str, at_least: float) -> None:
    food = row(foods, food_id)
    assert food["planner"], food["name"]
    assert food[nutrient] >= at_least


def test_fortified_soy_milk_is_a_dairy_alternative(foods: pd.DataFrame) -> None:
    soy = row(foods, "16139")
    assert soy["category"] == "dairy and fortified alternatives"
    assert soy["diet"] == "vegan"
    assert "soy" in split_tags(soy["allergens"]) and "milk" not in split_tags(soy["allergens"])


def test_fortified_cereals_for_vegans(planner: pd.DataFrame) -> None:
    cereals = planner[planner["name"].str.startswith("Cereals ready-to-eat")]
    fortified = cereals[(cereals["vitamin_b12"] >= 1.5) & (cereals["vitamin_d"] > 0) & (cereals["diet"] == "vegan")]
    assert len(fortified) >= 5
    assert (fortified["max_g"] <= 90).all()


STAPLES = [
    r"^Cereals, oats, .*cooked",
    r"^Bread, whole-wheat",
    r"^Rice, brown, .*cooked",
    r"^(?:Pasta|Spaghetti|Macaroni), .*cooked",
    r"^Potato(?:es)?, .*(?:baked|boiled)",
    r"^Sweet potato, cooked",
    r"^Beans, (?:black|kidney|pinto|navy).*(?:boiled|canned)",
    r"^Lentils, .*boiled",
    r"^Chickpeas",
    r"^Tofu",
    r"^Egg, whole, cooked",
    r"^Milk, (?:whole|reduced fat|lowfat|nonfat)",
    r"^Yogurt, plain",
    r"^Cheese, cheddar",
    r"^Chicken, .*breast, meat only, cooked",
    r"^Turkey, .*cooked",
    r"^Beef, .*lean only.*cooked",
    r"^Pork, fresh, .*lean only.*cooked",
    r"^Fish, salmon, .*(?:cooked|canned)",
    r"^Fish, tuna, .*canned",
    r"^Fish, sardine",
    r"^Spinach, (?:raw|cooked)",
    r"^Kale, (?:raw|cooked)",
    r"^Broccoli, (?:raw|cooked)",
    r"^Carrots, raw",
    r"^Tomatoes, red, ripe, raw",
    r"^Bananas, raw",
    r"^Oranges, raw",
    r"^Apples, raw",
    r"^(?:Blueberries|Strawberries|Raspberries), raw",
    r"^Avocados, raw",
    r"^Nuts, almonds",
    r"^Seeds, pumpkin",
    r"^Peanut butter",
    r"^Oil, olive",
    r"^Chocolate, dark",
    r"^Apricots, dried",
]


@pytest.mark.parametrize("pattern", STAPLES)
def test_everyday_staples_are_in_the_planner(planner: pd.DataFrame, pattern: str) -> None:
    assert planner["name"].str.contains(pattern, regex=True).any(), pattern


# --- curate() contract, on a tiny hand-made table ----------------------------------------------


def tiny_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    foods = pd.DataFrame(
        {
            "name": ["Bananas, raw", "Oil, olive, salad or cooking", "Nuts, almonds", "Beef, ground, raw"],
            "energy": [89.0, 884.0, 579.0, 250.0],
        },
        index=pd.Index(["b", "o", "a", "g"], name="id"),
    )
    measures = pd.DataFrame(
        {
            "id": ["b", "b", "b", "o", "o", "a", "a"],
            "measure": [
                "cup, mashed",
                'medium (7" to 7-7/8" long)',
                "small",
                "tablespoon",
                "cup",
                "cup, whole",
                "oz (23 whole kernels)",
            ],
            "grams": [225.0, 118.0, 101.0, 13.5, 216.0, 143.0, 28.35],
        }
    )
    return foods, measures


def test_curate_adds_columns_and_keeps_the_table() -> None:
    foods, measures = tiny_table()
    out = curate(foods, measures, overrides=None)
    assert list(out.index) == list(foods.index)
    assert list(out.columns) == list(foods.columns) + list(CURATION_COLUMNS) + ["fortified", *added_columns()]
    assert out["price"].isna().all()
    assert list(foods.columns) == ["name", "energy"]  # input untouched


def test_curate_picks_household_servings() -> None:
    foods, measures = tiny_table()
    out = curate(foods, measures, overrides=None)
    assert (out.loc["b", "serving_name"], out.loc["b", "serving_g"]) == ("1 medium", 118.0)
    assert (out.loc["o", "serving_name"], out.loc["o", "serving_g"]) == ("1 tablespoon", 13.5)
    assert (out.loc["a", "serving_name"], out.loc["a", "serving_g"]) == ("1 oz", 28.4)
    # No measure at all: the category default (raw beef is not eaten as is either way).
    assert out.loc["g", "serving_name"] == "3 oz"
    assert not out.loc["g", "as_eaten"]
    assert list(out["category"]) == ["fruits", "fats and oils", "nuts and seeds", "meat"]


def test_classify_names_without_groups() -> None:
    names = pd.Series(
        [
            "Tofu, firm",
            "Chicken breast, roasted",
            "Peanut butter, smooth",
            "Salmon, baked",
            "Whole wheat bread",
            "Cheddar cheese",
            "Potatoes, mashed, flakes without milk",
            "Shrimp, boiled",
            "Pancakes, plain",
            "Lentil soup",
        ],
        index=list("abcdefghij"),
    )
    tags = classify_names(names)
    assert list(tags.index) == list(names.index)
    assert list(tags.columns) == ["category", "diet", "allergens"]
    expected = {
        "a": ("legumes", "vegan", "soy"),
        "b": ("poultry", "omnivore", ""),
        "c": ("nuts and seeds", "vegan", "peanuts"),
        "d": ("seafood", "pescatarian", "fish"),
        "e": ("grains", "vegan", "gluten"),
        "f": ("dairy and fortified alternatives", "vegetarian", "milk"),
        "g": ("vegetables", "vegan", ""),
        "h": ("seafood", "pescatarian", "shellfish"),
        "i": ("grains", "vegetarian", "milk;egg;gluten"),
        "j": ("mixed dishes", "vegetarian", ""),  # a dish of unknown recipe: not vegan when unsure
    }
    for key, (category, diet, allergens) in expected.items():
        assert tuple(tags.loc[key]) == (category, diet, allergens), (key, names[key])


def test_classify_names_uses_groups_when_given() -> None:
    names = pd.Series(["Beans, snap, green, raw", "Beans, black, mature seeds, cooked"])
    groups = pd.Series(["Vegetables and Vegetable Products", "Legumes and Legume Products"])
    assert list(classify_names(names, groups)["category"]) == ["vegetables", "legumes"]


def test_classify_names_matches_curate(foods: pd.DataFrame) -> None:
    overridden = load_overrides(OVERRIDES_FILE)["id"]
    sample = foods[~foods.index.isin(overridden)].sample(300, random_state=1)
    tags = classify_names(sample["name"], sample["usda_group"])
    # Curation also checks a vegan tag against nutrients (curation/evidence.py): those foods differ.
    raised = (tags["diet"] == "vegan") & (sample["diet"] != "vegan")
    markers = animal_markers(sample[raised], sample.loc[raised, "fortified"].to_numpy(dtype=bool))
    assert (markers != "").all()
    tags.loc[raised, "diet"] = sample.loc[raised, "diet"]
    pd.testing.assert_frame_equal(tags, sample[["category", "diet", "allergens"]], check_dtype=False)


# --- override file ----------------------------------------------------------------------------


def test_bundled_override_file_is_valid() -> None:
    raw, _ = read_sr24()
    overrides = load_overrides(OVERRIDES_FILE, raw.index)
    assert len(overrides) > 0
    assert overrides["id"].isin(raw.index).all()
    assert overrides["column"].isin(CURATION_COLUMNS).all()
    assert overrides["reason"].str.strip().str.len().gt(0).all()


def test_overrides_are_applied_last(foods: pd.DataFrame) -> None:
    assert row(foods, "16005")["diet"] == "omnivore"  # home-prepared baked beans: salt pork
    assert row(foods, "09032")["serving_name"] == "10 halves"
    assert row(foods, "09032")["serving_g"] == pytest.approx(35)


def test_bad_override_file_names_every_bad_row(tmp_path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_text(
        "id,column,value,reason\n"
        "# a comment line\n"
        "09040,diet,vegan,fine\n"
        "99999,diet,vegan,unknown id\n"
        "09040,colour,red,unknown column\n"
        "09040,as_eaten,maybe,bad bool\n"
        "09040,allergens,milk;nuts,bad tag\n"
        "09040,max_g,200,\n",
        encoding="utf-8",
    )
    raw, _ = read_sr24()
    with pytest.raises(FoodDataError) as caught:
        load_overrides(path, raw.index)
    message = str(caught.value)
    assert str(path) in message
    assert "line 4 (id '99999', column 'diet'): unknown food id '99999'" in message
    assert "line 5 (id '09040', column 'colour'): unknown column 'colour'" in message
    assert "line 6 (id '09040', column 'as_eaten'): bad value 'maybe'; allowed: true or false" in message
    assert "line 7 (id '09040', column 'allergens'): bad value 'milk;nuts'" in message
    assert "line 8 (id '09040', column 'max_g'): empty reason" in message
    assert caught.value.exit_code == 2
    assert len(caught.value.problems) == 5


def test_override_that_breaks_servings_is_an_error(tmp_path) -> None:
    foods, measures = tiny_table()
    path = tmp_path / "overrides.csv"
    path.write_text("id,column,value,reason\nb,max_g,10,too small on purpose\n", encoding="utf-8")
    with pytest.raises(FoodDataError, match="max_g >= serving_g"):
        curate(foods, measures, overrides=path)
    assert math.isclose(curate(foods, measures, overrides=None).loc["b", "max_g"], 400)
