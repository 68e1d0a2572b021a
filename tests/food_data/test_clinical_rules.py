"""Issue 27 clinical data: the rules file (checked at load, every rule sourced), the food kinds that
targets limit, and lactose per food."""

from __future__ import annotations

import pytest

from mealplan.errors import FoodDataError
from mealplan.food_data.clinical_rules import (
    CLINICAL_RULES_FILE,
    clinical_factor_ids,
    kind_mask,
    load_clinical_rules,
)
from mealplan.food_data.lactose import LACTOSE_FILE, lactose_per_100g, load_lactose_rules
from mealplan.food_data.table import load_bundled
from mealplan.triage import load_knowledge


def test_every_factor_the_clinical_rules_name_is_a_triage_factor():
    assert clinical_factor_ids(load_clinical_rules()) <= set(load_knowledge().factors)


def test_every_rule_names_a_guideline():
    rules = load_clinical_rules()
    sources = [
        rules.caffeine.pregnancy.source, rules.caffeine.children.source, rules.children.milk_max_g.source,
        rules.children.juice_max_g.source, rules.children.seafood_week_max_g.source, rules.fish_pregnancy.source,
        rules.lactose.source, rules.warfarin.source, rules.ckd.sodium.source, rules.ckd.potassium.source,
        rules.ckd.phosphorus.source, *[p.source for p in rules.ckd.protein], rules.bariatric.energy_source,
        rules.bariatric.protein_source, rules.heavy_menstrual_bleeding.source,
    ]  # fmt: skip
    bodies = ("ACOG", "AAP", "FDA/EPA", "NIH", "KDOQI", "KDIGO", "ASMBS", "NICE", "warfarin")
    for source in sources:
        assert any(body in source for body in bodies), source


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("band_pct: 20", "band_pct: 90", "warfarin.band_pct"),
        ("{under: 4, value: 57}", "{under: 4, value: -1}", "children.seafood_week_max_g.steps.0.value"),
        ('stages: ["3", "3a", "3b"]', 'stages: ["3", "3c"]', "ckd"),
        ("categories: [seafood]", "categories: [fish]", "kinds.seafood.categories"),
    ],
)
def test_a_damaged_rules_file_names_the_field(tmp_path, old, new, field):
    bad = tmp_path / "clinical_rules.yaml"
    text = CLINICAL_RULES_FILE.read_text(encoding="utf-8")
    assert old in text
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FoodDataError) as exc:
        load_clinical_rules.__wrapped__(bad)
    assert str(bad) in str(exc.value) and any(p.startswith(field) for p in exc.value.problems), exc.value.problems


def test_ckd_stages_from_egfr():
    ckd = load_clinical_rules().ckd
    assert [ckd.stage_for(e) for e in (95, 60, 59, 45, 30, 29, 15, 14, 0)] == [
        "1", "2", "3a", "3a", "3b", "4", "4", "5", "5"]  # fmt: skip


def test_food_kinds_on_the_bundled_table():
    rows = load_bundled().rows
    names, cats = [str(n) for n in rows["name"]], [str(c) for c in rows["category"]]

    def members(kind):
        mask = kind_mask(kind, names, cats)
        return {n for n, m in zip(names, mask, strict=True) if m}

    milk, juice, coffee, tea = members("milk"), members("juice"), members("coffee"), members("tea")
    assert "Milk, whole, 3.25% milkfat, with added vitamin D" in milk and "Prune juice, canned" in juice
    assert not any("dry" in n.lower() or "evaporated" in n.lower() for n in milk)
    assert not any("juice pack" in n for n in juice)
    rich = members("high-potassium juice")
    assert {"Orange juice, raw", "Prune juice, canned", "Tomato juice, canned, without salt added"} <= rich
    assert "Vegetable juice cocktail, canned" in rich and "Carrot juice, canned" in rich
    assert not any(n.startswith(("Apple juice", "Grape juice", "Cranberry")) or "in tomato juice" in n for n in rich)
    assert "Coffee, brewed from grounds, prepared with tap water" in coffee
    assert not any("decaf" in n for n in coffee | tea) and not any("herb" in n.lower() for n in tea)
    assert all(c == "seafood" for c, m in zip(cats, kind_mask("seafood", names, cats), strict=True) if m)
    with pytest.raises(KeyError, match="known: seafood"):
        kind_mask("fish", names, cats)


# --- lactose --------------------------------------------------------------------------------------------


def lactose(name: str, sugars: float, allergens: str = "milk", group: str = "Dairy and Egg Products") -> float:
    return float(lactose_per_100g([name], [allergens], [sugars], [group])[0])


def test_lactose_per_food():
    assert lactose("Milk, whole, 3.25% milkfat, with added vitamin D", 5.05) == 5.05
    assert lactose("Milk, chocolate, fluid, commercial, whole", 9.54) == 4.8  # the rest is added sugar
    assert lactose("Milk, lactose free, reduced fat", 5.0) == 0  # lactose-free milk stays
    assert lactose("Cheese, cheddar", 0.52) == 0.52 and lactose("Cheese, parmesan, hard", float("nan")) == 0.5
    assert lactose("Yogurt, plain, whole milk", 4.66) == 4.66 and lactose("Yogurt, fruit, low fat", 19.0) == 4.0
    assert lactose("Butter, salted", 0.06) == 0.1
    assert lactose("Egg, whole, cooked, hard-boiled", 1.12) == 0  # eggs share the dairy group, not lactose
    assert lactose("Muffins, plain, made with milk", 20.0, group="Baked Products") == 5.0  # capped at milk's
    assert lactose("Bread, white, with milk", float("nan"), group="Baked Products") == 5.0  # missing: counted high
    assert lactose("Soymilk, unsweetened", 1.0, allergens="soy", group="Legumes") == 0
    assert float(lactose_per_100g(["Milk, whole"], ["milk"], [5.0], measured=[4.2])[0]) == 4.2  # measured wins


def test_a_cup_of_milk_is_about_the_12_g_sitting_and_hard_cheese_is_almost_none():
    rows = load_bundled().rows
    table = {str(n): i for i, n in enumerate(rows["name"])}
    names = ["Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D", "Cheese, cheddar"]
    idx = [table[n] for n in names]
    values = lactose_per_100g(
        names, [rows["allergens"][i] for i in idx], [float(rows["sugars"][i]) for i in idx],
        [rows["usda_group"][i] for i in idx],
    )  # fmt: skip
    assert 11 <= values[0] * 2.44 <= 13  # a cup (244 g) of milk
    assert values[1] * 0.28 < 0.5  # an ounce of cheddar


def test_a_damaged_lactose_file_names_the_rule(tmp_path):
    bad = tmp_path / "lactose.yaml"
    bad.write_text(
        LACTOSE_FILE.read_text(encoding="utf-8").replace(
            '{match: "^butter', '{grams: 1, sugars_share: 1, match: "^butter'
        )
    )
    with pytest.raises(FoodDataError) as exc:
        load_lactose_rules.__wrapped__(bad)
    assert any(p.startswith("rules.") for p in exc.value.problems)
