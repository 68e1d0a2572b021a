"""Life-stage food safety as data (food_data/safety.py, data/safety.yaml): coverage, sources, 'unless'."""

from __future__ import annotations

from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.safety import _lower, load_safety, safety_rules, unsafe, unsafe_rule, unsafe_rules
from mealplan.food_data.table import load_bundled

PREGNANT = safety_rules(pregnant=True, lactating=False)
LACTATING = safety_rules(pregnant=False, lactating=True)
SEAFOOD, MEAT, POULTRY, DAIRY, EGGS = "seafood", "meat", "poultry", "dairy and fortified alternatives", "eggs"


def test_every_rule_names_its_source() -> None:
    for rule in load_safety():
        assert rule.source.strip(), rule.why
        assert any(body in rule.source for body in ("FDA", "USDA", "IOM", "AAP", "ASMBS", "MHRA")), rule.source


@pytest.mark.parametrize(
    ("name", "category", "why"),
    [
        # refrigerated smoked seafood: the issue's kippered herring has no "smoked" in its name
        ("Fish, herring, Atlantic, kippered", SEAFOOD, "smoked seafood"),
        ("Fish, salmon, chinook, smoked, (lox), regular", SEAFOOD, "smoked seafood"),
        ("Fish, whitefish, mixed species, smoked", SEAFOOD, "smoked seafood"),
        # raw or undercooked meat, fish and eggs
        ("Mollusks, oyster, eastern, wild, raw", SEAFOOD, "raw or undercooked"),
        ("Sushi, salmon nigiri", "mixed dishes", "raw or undercooked"),
        ("Beef, ground, 80% lean meat / 20% fat, raw", MEAT, "raw or undercooked"),
        ("Egg, whole, raw, fresh", EGGS, "raw or undercooked"),
        # unpasteurised milk and soft cheeses
        ("Cheese, feta", DAIRY, "soft"),
        ("Cheese, fresh, queso fresco", DAIRY, "soft"),
        ("Cheese, white, queso blanco", DAIRY, "soft"),
        ("Cheese, camembert", DAIRY, "soft"),
        ("Cheese, goat, soft type", DAIRY, "soft"),
        ("Milk, raw, unpasteurized", DAIRY, "unpasteurised"),
        # deli meats
        ("Ham, sliced, regular (approximately 11% fat)", MEAT, "deli"),
        ("Turkey breast, low salt, prepackaged or deli, luncheon meat", POULTRY, "deli"),
        ("Frankfurter, beef, low fat", MEAT, "deli"),
        # high-mercury fish
        ("Fish, shark, mixed species, cooked, batter-dipped and fried", SEAFOOD, "high-mercury"),
        ("Fish, swordfish, cooked, dry heat", SEAFOOD, "high-mercury"),
        ("Fish, mackerel, king, cooked, dry heat", SEAFOOD, "high-mercury"),
        ("Fish, tilefish, cooked, dry heat", SEAFOOD, "high-mercury"),
        ("Fish, roughy, orange, cooked, dry heat", SEAFOOD, "high-mercury"),
        ("Fish, marlin, cooked", SEAFOOD, "high-mercury"),
        ("Fish, tuna, bigeye, cooked", SEAFOOD, "high-mercury"),
        # liver and liver products (preformed vitamin A)
        ("Chicken, liver, all classes, cooked, simmered", POULTRY, "vitamin A"),
        ("Beef, variety meats and by-products, liver, cooked, pan-fried", MEAT, "vitamin A"),
        ("Liverwurst spread", MEAT, "pâté"),
        ("Braunschweiger (a liver sausage), pork", MEAT, "pâté"),
        # raw sprouts
        ("Alfalfa seeds, sprouted, raw", "vegetables", "sprouts"),
    ],
)
def test_pregnancy_keeps_out(name: str, category: str, why: str) -> None:
    assert why in (unsafe(PREGNANT, name, category) or ""), name
    assert unsafe(safety_rules(False, False), name, category) is None


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Cheese, feta, made with pasteurized milk", DAIRY),  # "unless labelled pasteurised"
        ("Cheese, cheddar", DAIRY),
        ("Cheese, Mexican blend", DAIRY),  # shredded cheddar and Monterey Jack, not a fresh cheese
        ("Fish, salmon, sockeye, canned, drained solids", SEAFOOD),
        ("Fish, herring, Atlantic, cooked, dry heat", SEAFOOD),
        ("Fish, salmon, chinook, smoked, canned", SEAFOOD),  # shelf-stable smoked seafood is safe
        ("Frankfurter, beef, heated", MEAT),  # heated until steaming
        ("Brussels sprouts, raw", "vegetables"),
        ("Lentils, sprouted, cooked, stir-fried, without salt", "vegetables"),
        ("Egg, whole, cooked, hard-boiled", EGGS),
        ("Spinach, raw", "vegetables"),
    ],
)
def test_safe_foods_pass_in_pregnancy(name: str, category: str) -> None:
    assert unsafe(PREGNANT, name, category) is None, unsafe(PREGNANT, name, category)


def test_breastfeeding_keeps_out_high_mercury_fish_only() -> None:
    assert "breastfeeding" in unsafe(LACTATING, "Fish, swordfish, cooked, dry heat", SEAFOOD)
    assert unsafe(LACTATING, "Fish, salmon, chinook, smoked", SEAFOOD) is None
    assert unsafe(LACTATING, "Cheese, brie", DAIRY) is None
    assert unsafe_rule(LACTATING, "Fish, shark, raw", SEAFOOD).source.startswith("FDA/EPA")


def test_no_planner_food_of_the_issue_kinds_passes_in_pregnancy() -> None:
    foods = load_bundled().foods
    planner = foods[foods["planner"].astype(bool) & foods["category"].isin([SEAFOOD, MEAT, POULTRY, DAIRY])]
    kinds = r"smoked|kippered|\blox\b|\bliver\b|swordfish|shark|tilefish|roughy|mackerel, king|\bbrie\b|camembert|feta"
    flagged = planner[planner["name"].str.contains(kinds, case=False, regex=True)]
    heated = flagged["category"].isin([MEAT, POULTRY]) & flagged["name"].str.contains(
        "heated|cooked|roasted", case=False
    )
    flagged = flagged[~heated & ~flagged["name"].str.contains("canned", case=False)]
    assert len(flagged) >= 20  # 20 when written
    for name, category in zip(flagged["name"], flagged["category"], strict=True):
        assert unsafe(PREGNANT, name, category) is not None, name


def test_a_rule_without_a_source_or_with_a_bad_unless_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "safety.yaml"
    path.write_text("schema: 1\nrules:\n  - {stage: pregnant, match: lox, unless: '(', why: x, source: FDA}\n")
    with pytest.raises(ConfigError) as info:
        load_safety.__wrapped__(path)
    assert "rules.0.unless" in " ".join(info.value.problems)
    path.write_text("schema: 1\nrules:\n  - {stage: pregnant, match: lox, why: x}\n")
    with pytest.raises(ConfigError) as info:
        load_safety.__wrapped__(path)
    assert "rules [0] have no source" in " ".join(info.value.problems)


def test_the_whole_table_at_once_agrees_with_food_by_food() -> None:
    """unsafe_rules (one search per pattern over the joined, lower-cased names, verdicts kept) gives
    what unsafe_rule gives for every bundled food, asked twice and in pieces."""
    rows = load_bundled().rows
    names, cats = [str(n) for n in rows["name"]], [str(c) for c in rows["category"]]
    for rules in (safety_rules(pregnant=True, lactating=False), safety_rules(pregnant=False, lactating=True)):
        expected = [unsafe_rule(rules, n, c) for n, c in zip(names, cats, strict=True)]
        assert sum(r is not None for r in expected) >= 10
        assert unsafe_rules(rules, names[:500], cats[:500]) == expected[:500]
        assert unsafe_rules(rules, names, cats) == expected
        assert unsafe_rules(rules, ["Fish, SWORDFISH, cooked\nline two"], ["seafood"])[0] is not None


def test_patterns_for_lower_cased_names_keep_their_escapes() -> None:
    assert _lower(r"Smoked\b\S+\W[A-Z]Éclair") == r"smoked\b\S+\W[a-z]éclair"


# --- issue 27: by USDA group and description, by age, by medicine or condition -----------------------------


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Turkey breast meat", POULTRY),  # USDA group 07: a luncheon meat with no deli word in its name
        ("Frankfurter, beef, unheated", MEAT),  # "heated" is a word: "unheated" is not heated
        ("Chicken breast, oven-roasted, fat-free, sliced", POULTRY),  # roasted at the factory, eaten cold
        ("Salami, cooked, beef", MEAT),
        ("Turkey ham, sliced, extra lean, prepackaged or deli-sliced", POULTRY),  # outside group 07, by name
    ],
)
def test_pregnancy_keeps_out_deli_meats_by_usda_group_and_description(name, category):
    assert "deli" in (unsafe(PREGNANT, name, category) or ""), name


@pytest.mark.parametrize(
    "name", ["Frankfurter, beef, heated", "Pork sausage, fresh, cooked", "Turkey sausage, fresh, cooked"]
)
def test_heated_deli_meat_and_fresh_sausage_stay_in_pregnancy(name):
    assert unsafe(PREGNANT, name, MEAT) is None


def test_the_usda_group_can_be_given_for_foods_outside_the_bundled_table():
    rule = next(r for r in PREGNANT if r.usda_groups)
    assert unsafe_rule([rule], "My turkey slices", POULTRY, "Sausages and Luncheon Meats") is rule
    assert unsafe_rule([rule], "My turkey slices", POULTRY) is None  # unknown group: the name rules apply


TODDLER = safety_rules(False, False, age=2)


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Carrots, raw", "vegetables"),
        ("Peppers, sweet, red, raw", "vegetables"),
        ("Celery, raw", "vegetables"),
        ("Nuts, almonds", "nuts and seeds"),
        ("Peanuts, all types, dry-roasted, without salt", "nuts and seeds"),
        ("Seeds, sunflower seed kernels, dried", "nuts and seeds"),
        ("Peanut butter, chunk style, without salt", "nuts and seeds"),
        ("Grapes, red or green (European type, such as Thompson seedless), raw", "fruits"),
        ("Raisins, seedless", "fruits"),
        ("Snacks, popcorn, air-popped", "sweets and snacks"),
        ("Candies, hard", "sweets and snacks"),
        ("Frankfurter, beef, heated", MEAT),
        ("Pork sausage, fresh, cooked", MEAT),
    ],
)
def test_choking_hazards_stay_out_under_4(name, category):
    assert "choking" in (unsafe(TODDLER, name, category) or ""), name
    assert unsafe(safety_rules(False, False, age=4), name, category) is None  # from 4 on they come back


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Carrots, cooked, boiled, drained, without salt", "vegetables"),
        ("Peanut butter, smooth style, without salt", "nuts and seeds"),
        ("Seeds, chia seeds, dried", "nuts and seeds"),
        ("Grape juice, canned or bottled, unsweetened, without added ascorbic acid", "beverages"),
        ("Applesauce, canned, unsweetened, without added ascorbic acid", "fruits"),
        ("Bananas, raw", "fruits"),
        ("Tomatoes, red, ripe, raw, year round average", "vegetables"),
    ],
)
def test_soft_and_cut_forms_stay_for_a_toddler(name, category):
    assert unsafe(TODDLER, name, category) is None, unsafe(TODDLER, name, category)


def test_children_under_12_avoid_high_mercury_fish():
    assert "children" in unsafe(safety_rules(False, False, age=9), "Fish, swordfish, cooked, dry heat", SEAFOOD)
    assert unsafe(safety_rules(False, False, age=30), "Fish, swordfish, cooked, dry heat", SEAFOOD) is None


def test_warfarin_keeps_out_grapefruit_and_cranberry_juice():
    rules = safety_rules(False, False, age=70, factors=["vitamin-k-antagonist"])
    for name in ("Grapefruit juice, pink, raw", "Cranberry juice, unsweetened", "Grapefruit, raw, pink and red"):
        assert "warfarin" in unsafe(rules, name, "beverages"), name
    assert unsafe(rules, "Orange juice, raw", "beverages") is None


def test_bariatric_surgery_keeps_out_sugary_drinks_and_sweets_not_milk_or_water():
    rules = safety_rules(False, False, age=40, factors=["bariatric-surgery"])
    for name, category in (
        ("Milk, chocolate, fluid, commercial, whole, with added vitamin A and vitamin D", DAIRY),
        ("Apple juice, canned or bottled, unsweetened, without added ascorbic acid", "beverages"),
        ("Candies, milk chocolate", "sweets and snacks"),
        ("Ice creams, vanilla", "sweets and snacks"),
    ):
        assert "bariatric" in (unsafe(rules, name, category) or ""), name
    for name, category in (
        ("Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)", DAIRY),
        ("Water, tap, drinking", "beverages"),
        ("Tomato juice, canned, without salt added", "beverages"),
        ("Tea, black, brewed, prepared with tap water", "beverages"),
    ):
        assert unsafe(rules, name, category) is None, name


def test_a_rule_is_for_exactly_one_kind_of_person(tmp_path: Path) -> None:
    path = tmp_path / "safety.yaml"
    path.write_text("schema: 1\nrules:\n  - {stage: pregnant, age_under: 4, match: lox, why: x, source: FDA}\n")
    with pytest.raises(ConfigError) as info:
        load_safety.__wrapped__(path)
    assert "exactly one of stage, age_under or factors" in " ".join(info.value.problems)
