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
