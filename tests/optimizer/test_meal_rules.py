"""Issue 13, point 3: each rule that makes a meal read right has a test that fails without it.

Three levels:
- the model: a small day built from a test table (``tests/fixtures/meals/``) through the real inputs
  (``meal_inputs``: pool portions, drink caps, hot-drink slots, the carrier filter), solved and read
  back. Each rule's tempting food is rich in a goal nutrient nothing else has, so breaking the rule
  pays; each test also switches the rule's mechanism off and shows the same day then breaks it (and
  that ``meal_rule_problems`` says so);
- the verifier: a hand-made 2.0 meal that breaks each rule is reported, the unbroken one is not;
- the real data and real day plans for every example profile.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.dishes import load_dishes
from mealplan.food_data.patterns import load_pattern_foods, load_patterns
from mealplan.optimizer.inputs import CARRIER_POOLS, NEEDS_CARRIER, _pattern_options, meal_inputs
from mealplan.optimizer.model import REQUIRED_POOL, MealSpec, PatternEntry, PoolFood, build_meal_model
from mealplan.optimizer.model.spec import DRINK_USE
from mealplan.optimizer.read import read_slots
from mealplan.optimizer.solve import solve
from mealplan.plan import MealRules, PlanItem, SlotPlan, SlotRule
from mealplan.targets.model import Targets
from mealplan.verify import meals as vm

from .conftest import AMDR, table_from, target, tiny_rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "meals"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "profiles"

NUTRIENTS = ("energy", "protein", "fat", "carbohydrate", "magnesium", "potassium", "calcium", "iron", "zinc",
             "fiber", "vitamin_c", "vitamin_e", "sodium", "selenium")  # fmt: skip
BASE = {"energy": 60.0, "protein": 2.0, "fat": 1.0, "carbohydrate": 8.0}
# id: name, category, serving name, serving g, {tempting nutrient: per 100 g}
FOODS = {
    "m_chicken": ("Chicken breast, roasted", "poultry", "1 piece", 100, {"protein": 31}),
    "m_lentil": ("Lentils, boiled", "legumes", "1 cup", 198, {"iron": 50}),
    "m_chickpea": ("Chickpeas, boiled", "legumes", "1 cup", 164, {"iron": 50}),
    "m_egg": ("Egg, whole, cooked, hard-boiled", "eggs", "1 large", 50, {}),
    "m_egg_white": ("Egg, white, cooked", "eggs", "1 large", 33, {"selenium": 500}),
    "m_rice": ("Rice, white, cooked", "grains", "1 cup", 158, {}),
    "m_bread": ("Bread, whole-wheat", "grains", "1 slice", 32, {}),
    "m_spinach": ("Spinach, cooked", "vegetables", "1 cup", 180, {"vitamin_c": 500}),
    "m_broccoli": ("Broccoli, cooked", "vegetables", "1 cup", 156, {}),
    "m_banana": ("Banana, raw", "fruits", "1 medium", 118, {"vitamin_c": 500}),
    "m_jam": ("Jams and preserves", "sweets and snacks", "1 tbsp", 20, {"calcium": 30000}),
    "m_pb": ("Peanut butter, smooth style", "nuts and seeds", "2 tbsp", 32, {"vitamin_e": 100}),
    "m_almond": ("Nuts, almonds", "nuts and seeds", "1 oz", 28, {"zinc": 50}),
    "m_cereal": ("Cereals ready-to-eat, bran flakes", "grains", "1 cup", 40, {"fiber": 80}),
    "m_milk": ("Milk, whole", "dairy and fortified alternatives", "1 cup", 244, {"calcium": 100}),
    "m_juice": ("Tomato juice, canned", "beverages", "1 cup", 240, {"potassium": 2000}),
    "m_coffee": ("Coffee, brewed", "beverages", "1 cup", 240, {"magnesium": 500}),
    "m_salt": ("Salt, table", "condiments and spices", "1 tsp", 6, {"sodium": 38000}),
}
GOAL = 1e5  # far above what any day can reach: every gram of the tempting food pays


def _table():
    rows = {}
    for fid, (name, cat, sname, sg, extra) in FOODS.items():
        values = {**{n: 0.0 for n in NUTRIENTS}, **BASE, **extra}
        rows[fid] = (name, cat, "omnivore", "", sname, sg, 5000, "breakfast;lunch;dinner;snack", 0.1,
                     [values[n] for n in NUTRIENTS])  # fmt: skip
    from mealplan.food_data.nutrients import BY_ID

    return table_from(rows, NUTRIENTS, {n: BY_ID[n].unit for n in NUTRIENTS})


TABLE = _table()


def _targets() -> Targets:
    return Targets(
        profile_id="meal-rules",
        life_stage="test",
        energy_kcal=2000.0,
        energy_min=0.0,
        energy_max=1e5,
        energy_source="test",
        amdr=dict(AMDR),
        items={n: target(n, GOAL, priority=1000.0) for n in NUTRIENTS if n not in BASE},
    )


def _rules(kinds=("breakfast", "lunch", "dinner", "snack")):
    slots = [SlotRule(name=k, min_items=0, max_items=9, energy_share=(0.0, 1.0)) for k in kinds]
    t = _targets()
    return tiny_rules(
        t,
        slots=slots,
        amdr={},
        group_min_g={},
        group_max_g={},
        energy_min=0.0,
        energy_max=1e5,
        meal_rules=MealRules(),
    )


def _inputs(rules, pool=None):
    lib = load_patterns(FIXTURES / "patterns.yaml")
    if pool is None:
        # The CSV places the foods; the fallback places every other food of the table by its name and
        # category (``component_for``), which refuses table salt and egg whites.
        pool = load_pattern_foods(TABLE, FIXTURES / "pool.csv", library=lib, fallback=True)
    dishes = load_dishes([FIXTURES / "dishes.yaml"], foods=TABLE, bundled=False)
    inputs = meal_inputs(TABLE, dishes, lib, pool, rules, _targets(), keep=set(pool))
    return inputs, lib


def _spec(inputs, goals: dict[str, float], **changes) -> MealSpec:
    spec = MealSpec(
        day=1,
        goals=goals,
        foods=list(inputs.foods),
        dishes=list(inputs.dishes),
        patterns=list(inputs.patterns),
        nutrients=inputs.nutrients,
        categories=inputs.categories,
        hot_drink_kinds=inputs.hot_drink_kinds,
        hot_drink_pools=inputs.hot_drink_pools,
    )
    return dataclasses.replace(spec, **changes)


def _household(servings, serving_name, grams, others=None):
    return f"{grams:.0f} g"


def _day(spec, rules, inputs, prices=None) -> list[SlotPlan]:
    built = build_meal_model(spec, rules, _targets(), prices=prices)
    outcome = solve(built.prob, time_limit=20.0, gap=0.0)
    assert outcome.has_solution, outcome
    return read_slots(built, inputs, rules, None, _household)


def _problems(slots, rules) -> list[str]:
    return [
        f"{s.name}: {m}"
        for s in slots
        for m in vm.meal_rule_problems(s, rules.meal_rules, lambda i: i.name, lambda i: i.category)
    ]


def _items(slots, fid, role=None):
    return [(s.name, i) for s in slots for i in s.items if i.food_id == fid and (role is None or i.role == role)]


def _with_food(inputs, fid, pool):
    """The inputs with ``fid`` placed in ``pool`` (what the rule keeps from happening)."""
    step = FOODS[fid][3] * 0.25
    inputs.names[fid] = FOODS[fid][0]
    inputs.categories[fid] = FOODS[fid][1]
    inputs.serving[fid] = (FOODS[fid][2], float(FOODS[fid][3]))
    inputs.nutrients[fid] = {n: float(TABLE.foods.at[fid, n]) for n in NUTRIENTS}
    return PoolFood(fid, FOODS[fid][0], FOODS[fid][1], pool, step, 1, int(200 // step) or 1)


def _raise(inputs, fid, **caps):
    """The pool foods with ``fid``'s step caps replaced (a rule's portion cap switched off)."""
    return [dataclasses.replace(f, **caps) if f.id == fid else f for f in inputs.foods]


# --- 1. the model ---------------------------------------------------------------------------------


def test_model_table_salt_never_a_line_item():
    rules = _rules()
    inputs, _ = _inputs(rules)
    assert "m_salt" not in {f.id for f in inputs.foods}  # component_for refuses it
    slots = _day(_spec(inputs, {"sodium": GOAL}), rules, inputs)
    assert not _items(slots, "m_salt")
    assert not _problems(slots, rules)
    # Without the rule: salt in a pool (here the spread pool, with toast) is served at once.
    salt = _with_food(inputs, "m_salt", "spread")
    broken = _day(_spec(inputs, {"sodium": GOAL}, foods=[*inputs.foods, salt]), rules, inputs)
    assert _items(broken, "m_salt")
    assert any("table salt is a line item" in p for p in _problems(broken, rules))


def test_dish_check_refuses_table_salt():
    with pytest.raises(ConfigError) as err:
        load_dishes([FIXTURES / "salt_dish.yaml"], foods=TABLE, bundled=False)
    assert "salt" in " ".join(err.value.problems if hasattr(err.value, "problems") else [str(err.value)]).lower()


def test_model_drink_at_most_two_cups():
    rules = _rules()
    inputs, _ = _inputs(rules)
    juice = next(f for f in inputs.foods if f.id == "m_juice")
    assert juice.drink_max_steps * juice.step_g == pytest.approx(480.0)
    slots = _day(_spec(inputs, {"potassium": GOAL}), rules, inputs)
    drinks = [i.grams for _, i in _items(slots, "m_juice", "drink")]
    assert drinks and max(drinks) == pytest.approx(480.0, abs=1e-6)  # the cap binds
    assert not _problems(slots, rules)
    # Without the cap (the drink's steps raised to 5 cups) the same day pours more.
    foods = _raise(inputs, "m_juice", drink_max_steps=20)
    broken = _day(_spec(inputs, {"potassium": GOAL}, foods=foods), rules, inputs)
    assert max(i.grams for _, i in _items(broken, "m_juice", "drink")) > 480.0
    assert any("a drink is at most 480 g" in p for p in _problems(broken, rules))


def test_model_milk_and_juice_in_every_form_a_day():
    rules = _rules()
    inputs, _ = _inputs(rules)
    goals = {"calcium": GOAL, "potassium": GOAL}
    poured = {"m_milk", "m_juice"}

    def grams(slots):
        return sum(i.grams for s in slots for i in s.items if i.food_id in poured)

    # Without the rule the day pours milk and juice at every meal it can (far over 300 g).
    free = _day(_spec(inputs, goals), rules, inputs)
    assert grams(free) > 600.0
    capped = dataclasses.replace(inputs.facts, poured=frozenset(poured), poured_max_g=300.0)
    slots = _day(_spec(inputs, goals, facts=capped), rules, inputs)
    assert 0.0 < grams(slots) <= 300.0 + 1e-6  # to drink and on cereal alike


def test_model_a_food_that_is_no_drink_never_stands_in_for_the_water():
    # A required food outside the patterns (an item of its meal: no smallest portion, no drink steps) was
    # once a 0 g "drink" the model chose to leave a meal's glass of water out (its calcium at a UL).
    rules = _rules()
    inputs, _ = _inputs(rules)
    own = PoolFood("m_jam", FOODS["m_jam"][0], FOODS["m_jam"][1], REQUIRED_POOL, 1.0, 0, 200)
    built = build_meal_model(_spec(inputs, {"calcium": GOAL}, foods=[*inputs.foods, own]), rules, _targets())
    assert not [k for k in built.y if k[0] == "m_jam" and k[2] == DRINK_USE]


def test_model_a_food_whose_partners_are_all_out_is_never_served():
    # A need with no partner left (frozen berries need a bowl base; a person allergic to every base) keeps
    # the food out: the facts keep such a need (test_properties.NO_BOWL_BASE is the plan that broke it).
    rules = _rules()
    inputs, _ = _inputs(rules)
    goals = {"vitamin_c": GOAL}
    assert _items(_day(_spec(inputs, goals), rules, inputs), "m_banana")  # tempting
    alone = dataclasses.replace(inputs.facts, needs={"m_banana": frozenset()})
    slots = _day(_spec(inputs, goals, facts=alone), rules, inputs)
    assert not [i for s in slots if s.meal_kind == "pattern" for i in s.items if i.food_id == "m_banana"]


def test_model_coffee_and_tea_only_at_breakfast_or_snack():
    rules = _rules()
    inputs, _ = _inputs(rules)
    assert inputs.hot_drink_kinds == {"breakfast", "snack"}
    slots = _day(_spec(inputs, {"magnesium": GOAL}), rules, inputs)
    assert {s for s, _ in _items(slots, "m_coffee")} == {"breakfast", "snack"}  # tempting: taken where allowed
    assert not _problems(slots, rules)
    wide = frozenset({"breakfast", "lunch", "dinner", "snack"})
    broken = _day(_spec(inputs, {"magnesium": GOAL}, hot_drink_kinds=wide), rules, inputs)
    # (the day's drinks share one cap, so the coffee moves to a main meal rather than being added)
    assert {s for s, _ in _items(broken, "m_coffee")} & {"lunch", "dinner"}
    assert any("coffee or tea at lunch" in p for p in _problems(broken, rules))


def test_model_spreads_only_on_a_carrier_in_household_amounts():
    rules = _rules()
    inputs, lib = _inputs(rules)
    bowl = next(p for p in inputs.patterns if p.id == "fruit-bowl")
    assert "spread" not in {e.key for e in bowl.entries}  # the carrier filter dropped it
    # Bread is dear: jam is only worth it where it needs no bread.
    prices = {f: (10.0 if f == "m_bread" else 0.01) for f in FOODS}
    slots = _day(_spec(inputs, {"calcium": GOAL}), rules, inputs, prices)
    jam = _items(slots, "m_jam")
    assert jam, "jam is tempting: it should be served on toast"
    for s, _ in jam:
        assert any(i.food_id == "m_bread" for sl in slots if sl.name == s for i in sl.items)
    assert not _problems(slots, rules)
    # Without the filter: the fruit bowl keeps its spread and the jam comes without bread.
    raw = next(p for p in lib.patterns if p.id == "fruit-bowl")
    entries = tuple(PatternEntry(k, frozenset(r.pools), *r.count) for k, r in raw.components.items())
    patterns = [dataclasses.replace(p, entries=entries) if p.id == "fruit-bowl" else p for p in inputs.patterns]
    broken = _day(_spec(inputs, {"calcium": GOAL}, patterns=patterns), rules, inputs, prices)
    assert any("on its own" in p for p in _problems(broken, rules))
    # Without the household amount (the jam's steps raised to 100 g): more than 40 g of it.
    foods = _raise(inputs, "m_jam", max_steps=20)
    broken = _day(_spec(inputs, {"calcium": GOAL}, foods=foods), rules, inputs)
    assert any("a condiment or spread is at most 40 g" in p for p in _problems(broken, rules))


def test_model_cereal_comes_with_milk():
    rules = _rules()
    inputs, _ = _inputs(rules)
    prices = {f: (100.0 if f == "m_milk" else 0.01) for f in FOODS}  # milk is dear
    slots = _day(_spec(inputs, {"fiber": GOAL}), rules, inputs, prices)
    bowls = [s for s in slots if any(i.food_id == "m_cereal" for i in s.items)]
    assert bowls, "cereal is tempting"
    assert all(any(i.food_id == "m_milk" and i.role != "drink" for i in s.items) for s in bowls)
    assert not _problems(slots, rules)
    # Without the rule (the bowl's milk optional) the cereal is eaten dry.
    patterns = [
        dataclasses.replace(p, entries=tuple(dataclasses.replace(e, lo=0) if e.key == "milk" else e for e in p.entries))
        for p in inputs.patterns
    ]
    broken = _day(_spec(inputs, {"fiber": GOAL}, patterns=patterns, dishes=[]), rules, inputs, prices)
    assert "ready-to-eat cereal without milk, a milk alternative or yogurt" in " ".join(_problems(broken, rules))


def test_model_one_plain_legume_a_meal():
    rules = _rules(("breakfast", "lunch"))  # one main meal: two legumes would have to share it
    inputs, _ = _inputs(rules)
    slots = _day(_spec(inputs, {"iron": GOAL}), rules, inputs)
    lunch = next(s for s in slots if s.name == "lunch")
    assert any(i.category == "legumes" for i in lunch.items)
    assert not _problems(slots, rules)
    # Without the rule (the plate's protein takes two foods) lentils and chickpeas share the plate.
    patterns = [
        dataclasses.replace(
            p, entries=tuple(dataclasses.replace(e, hi=2) if e.key == "protein" else e for e in p.entries)
        )
        for p in inputs.patterns
    ]
    broken = _day(_spec(inputs, {"iron": GOAL}, patterns=patterns), rules, inputs)
    lunch = next(s for s in broken if s.name == "lunch")
    assert {"m_lentil", "m_chickpea"} <= {i.food_id for i in lunch.items}
    assert any("2 plain legume foods" in p for p in _problems(broken, rules))


@pytest.mark.parametrize(
    ("fid", "nutrient", "cap", "message"),
    [
        ("m_spinach", "vitamin_c", 300.0, "a vegetable or fruit is at most 300 g"),
        ("m_banana", "vitamin_c", 300.0, "a vegetable or fruit is at most 300 g"),
        ("m_almond", "zinc", 57.0, "of nuts and seeds; at most 57 g"),
        ("m_pb", "vitamin_e", 32.0, "of nut butter; at most 32 g"),
    ],
)
def test_model_pattern_portions_within_household_norms(fid, nutrient, cap, message):
    rules = _rules()
    inputs, _ = _inputs(rules)
    food = next(f for f in inputs.foods if f.id == fid)
    assert food.max_steps * food.step_g <= cap + 1e-9
    slots = _day(_spec(inputs, {nutrient: GOAL}), rules, inputs)
    grams = [i.grams for _, i in _items(slots, fid)]
    assert grams and max(grams) <= cap + 1e-6
    assert not _problems(slots, rules)
    # Larger portions on a day of fewer meals (``MealSpec.scale``) keep these per-meal caps.
    big = _day(_spec(inputs, {nutrient: GOAL}, scale={k: 2.0 for k in ("breakfast", "lunch", "dinner", "snack")}),
               rules, inputs)  # fmt: skip
    assert max(i.grams for _, i in _items(big, fid)) <= cap + 1e-6
    # Without the pool's cap (three times as many steps) the same day serves more.
    foods = _raise(inputs, fid, max_steps=food.max_steps * 3)
    broken = _day(_spec(inputs, {nutrient: GOAL}, foods=foods), rules, inputs)
    assert max(i.grams for _, i in _items(broken, fid)) > cap
    assert any(message in p for p in _problems(broken, rules))


def test_model_dish_ranges_keep_produce_within_300_g():
    rules = _rules(("breakfast", "lunch"))
    inputs, _ = _inputs(rules)
    # Only the dal at lunch: the spinach in it is as tempting as it gets.
    patterns = [p for p in inputs.patterns if "lunch" not in p.kinds]
    slots = _day(_spec(inputs, {"vitamin_c": GOAL}, patterns=patterns), rules, inputs)
    (_, spinach), *_ = [(s, i) for s, i in _items(slots, "m_spinach") if s == "lunch"]
    assert spinach.grams == pytest.approx(300.0)
    assert not _problems(slots, rules)
    dishes = [
        dataclasses.replace(d, hi=tuple(600.0 if f == "m_spinach" else h for f, h in zip(d.foods, d.hi, strict=True)))
        for d in inputs.dishes
    ]
    broken = _day(_spec(inputs, {"vitamin_c": GOAL}, patterns=patterns, dishes=dishes), rules, inputs)
    (_, spinach), *_ = [(s, i) for s, i in _items(broken, "m_spinach") if s == "lunch"]
    assert spinach.grams > 300.0
    assert any("a vegetable or fruit is at most 300 g" in p for p in _problems(broken, rules))


def test_model_whole_eggs_only():
    rules = _rules()
    inputs, _ = _inputs(rules)
    assert "m_egg_white" not in {f.id for f in inputs.foods}  # component_for refuses it
    slots = _day(_spec(inputs, {"selenium": GOAL}), rules, inputs)
    assert not _items(slots, "m_egg_white")
    white = _with_food(inputs, "m_egg_white", "egg")
    broken = _day(_spec(inputs, {"selenium": GOAL}, foods=[*inputs.foods, white]), rules, inputs)
    assert _items(broken, "m_egg_white")
    assert any("whole eggs only" in p for p in _problems(broken, rules))


def test_dish_check_refuses_egg_whites():
    with pytest.raises(ConfigError):
        load_dishes([FIXTURES / "egg_white_dish.yaml"], foods=TABLE, bundled=False)


# --- 2. the verifier ------------------------------------------------------------------------------


def _item(fid, grams, role, name=None, category=None):
    name = name or FOODS[fid][0]
    return PlanItem(food_id=fid, name=name, category=category or FOODS[fid][1], role=role, grams=grams,
                    servings=1.0, serving_name="1 serving", serving_g=grams, household=f"{grams:g} g")  # fmt: skip


def _slot(name, items, kind="pattern"):
    extra = {"dish_id": "d", "method": "m"} if kind == "dish" else {"pattern_id": "p"}
    return SlotPlan(name=name, title="A meal", meal_kind=kind, energy_kcal=1.0, items=items, **extra)


PLATE = [_item("m_chicken", 120, "protein"), _item("m_rice", 150, "starch"), _item("m_broccoli", 100, "vegetable")]
TOAST = [_item("m_bread", 64, "bread")]
# rule: (good meal, bad meal, what the verifier says about the bad one)
VERIFIER_CASES = {
    "salt": (_slot("breakfast", TOAST), _slot("breakfast", [*TOAST, _item("m_salt", 2, "spread")]), "table salt"),
    "drink": (
        _slot("lunch", [*PLATE, _item("m_juice", 480, "drink")]),
        _slot("lunch", [*PLATE, _item("m_juice", 600, "drink")]),
        "a drink is at most 480 g",
    ),
    "hot drink": (
        _slot("snack2", [*TOAST, _item("m_jam", 20, "spread"), _item("m_coffee", 240, "drink")]),
        _slot("dinner", [*PLATE, _item("m_coffee", 240, "drink")]),
        "coffee or tea at dinner",
    ),
    "carrier": (
        _slot("breakfast", [*TOAST, _item("m_jam", 20, "spread")]),
        _slot("breakfast", [_item("m_banana", 118, "fruit"), _item("m_jam", 20, "spread")]),
        "on its own",
    ),
    "condiment amount": (
        _slot("breakfast", [*TOAST, _item("m_jam", 40, "spread")]),
        _slot("breakfast", [*TOAST, _item("m_jam", 60, "spread")]),
        "a condiment or spread is at most 40 g",
    ),
    "cereal": (
        _slot("breakfast", [_item("m_cereal", 40, "cereal"), _item("m_milk", 200, "milk")]),
        _slot("breakfast", [_item("m_cereal", 40, "cereal"), _item("m_banana", 118, "fruit")]),
        "ready-to-eat cereal without milk",
    ),
    "cereal, milk as the drink": (
        _slot("breakfast", [_item("m_cereal", 40, "cereal"), _item("m_milk", 240, "drink")]),
        _slot("breakfast", [_item("m_cereal", 40, "cereal"), _item("m_juice", 240, "drink")]),
        "ready-to-eat cereal without milk",
    ),
    "legumes": (
        _slot("dinner", [_item("m_lentil", 150, "protein"), *PLATE[1:]]),
        _slot("dinner", [_item("m_lentil", 150, "protein"), _item("m_chickpea", 100, "protein"), *PLATE[1:]]),
        "2 plain legume foods",
    ),
    "legumes in a dish": (
        _slot("dinner", [_item("m_lentil", 150, "protein"), _item("m_chickpea", 100, "protein"), *PLATE[1:]], "dish"),
        _slot("dinner", [_item("m_lentil", 150, "protein"), _item("m_chickpea", 100, "protein"), *PLATE[1:]]),
        "2 plain legume foods",
    ),
    "vegetable": (
        _slot("lunch", [*PLATE[:2], _item("m_spinach", 300, "vegetable")]),
        _slot("lunch", [*PLATE[:2], _item("m_spinach", 320, "vegetable")]),
        "a vegetable or fruit is at most 300 g",
    ),
    "vegetable in a dish": (
        _slot("lunch", [*PLATE[:2], _item("m_spinach", 300, "vegetable")], "dish"),
        _slot("lunch", [*PLATE[:2], _item("m_spinach", 320, "vegetable")], "dish"),
        "a vegetable or fruit is at most 300 g",
    ),
    "fruit": (
        _slot("snack", [_item("m_banana", 300, "fruit")]),
        _slot("snack", [_item("m_banana", 354, "fruit")]),
        "a vegetable or fruit is at most 300 g",
    ),
    "nut butter": (
        _slot("breakfast", [*TOAST, _item("m_pb", 32, "spread")]),
        _slot("breakfast", [*TOAST, _item("m_pb", 40, "spread")]),
        "of nut butter; at most 32 g",
    ),
    "nuts": (
        _slot("snack", [_item("m_banana", 118, "fruit"), _item("m_almond", 57, "nuts")]),
        _slot(
            "snack",
            [
                _item("m_banana", 118, "fruit"),
                _item("m_almond", 30, "nuts"),
                _item("m_almond", 30, "nuts", "Seeds, pumpkin", "nuts and seeds"),
            ],
        ),  # fmt: skip
        "of nuts and seeds; at most 57 g",
    ),
    "whole eggs": (
        _slot("breakfast", [_item("m_egg", 100, "egg"), *TOAST]),
        _slot("breakfast", [_item("m_egg_white", 100, "egg"), *TOAST]),
        "whole eggs only",
    ),
    "egg yolk": (
        _slot("breakfast", [_item("m_egg", 100, "egg"), *TOAST]),
        _slot("breakfast", [_item("m_egg", 40, "egg", "Egg, yolk, raw, fresh"), *TOAST]),
        "whole eggs only",
    ),
}


def _verify(slot, rules=None):
    return vm.meal_rule_problems(slot, rules or MealRules(), lambda i: i.name, lambda i: i.category)


@pytest.mark.parametrize("case", list(VERIFIER_CASES))
def test_verifier_reports_each_broken_rule(case):
    good, bad, message = VERIFIER_CASES[case]
    assert _verify(good) == []
    found = _verify(bad)
    assert any(message in p for p in found), found


@pytest.mark.parametrize(
    ("case", "switch"),
    [
        ("salt", {"no_salt_items": False}),
        ("drink", {"drink_max_g": 1000.0}),
        ("hot drink", {"hot_drink_slots": ["breakfast", "lunch", "dinner", "snack"]}),
        ("carrier", {"condiments_need_carrier": False}),
        ("condiment amount", {"condiment_max_g": 100.0}),
        ("cereal", {"cereal_needs_milk": False}),
        ("legumes", {"max_plain_legumes_per_meal": 2}),
        ("vegetable", {"produce_max_g": 500.0}),
        ("nut butter", {"nut_butter_max_g": 64.0}),
        ("nuts", {"nuts_max_g": 100.0}),
        ("whole eggs", {"whole_eggs_only": False}),
    ],
)
def test_verifier_rule_is_what_reports_it(case, switch):
    """The plan's recorded rule drives the check: with it switched off the bad meal passes."""
    _, bad, _ = VERIFIER_CASES[case]
    assert _verify(bad, MealRules(**switch)) == []


@pytest.mark.solve
def test_verify_plan_reports_meal_rules_of_an_edited_plan(tiny):
    """A real (tiny-table) plan verifies; the same plan with a rule broken reports ``meal_rules``."""
    from mealplan.optimizer.planner import make_plan
    from mealplan.targets.profile_files import load_profile
    from mealplan.verify.verifier import verify_plan

    # (Not the pregnant example: the tiny table's foods cannot keep her calcium under 90 % of the UL.)
    plan = make_plan(load_profile(EXAMPLES / "older_diuretics.yaml"), tiny)
    report = verify_plan(plan, tiny)
    assert not [p for p in report.problems if p.check == "meal_rules"], report.problems
    day = plan.days[0]
    slot = day.slots[-1]
    coffee = PlanItem(food_id="t_milk", name="Milk, whole", category="dairy and fortified alternatives",
                      role="drink", grams=700.0, servings=700 / 244, serving_name="1 cup", serving_g=244.0,
                      household="")  # fmt: skip
    edited = plan.model_copy(
        update={
            "days": [
                day.model_copy(
                    update={"slots": [*day.slots[:-1], slot.model_copy(update={"items": [*slot.items, coffee]})]}
                )
            ]
        }
    )
    problems = [p for p in verify_plan(edited, tiny).problems if p.check == "meal_rules"]
    assert any("a drink is at most 480 g" in p.message for p in problems), problems


# --- 3. the real data -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library(bundled):
    lib = load_patterns()
    return {
        "patterns": lib,
        "options": _pattern_options(lib),
        "pool": load_pattern_foods(bundled, skip_missing=True),
        "dishes": load_dishes(foods=bundled),
        "name": lambda f: str(bundled.foods.at[f, "name"]),
        "category": lambda f: str(bundled.foods.at[f, "category"]),
    }


def _nutty(name: str, category: str) -> str | None:
    if re.search(r"\b(water|milk|beverage)\b", name, re.I):
        return None
    if vm._NUT_BUTTER.search(name):
        return "nut butter"
    if category == "nuts and seeds" or vm._NUTS.search(name):
        return "nuts"
    return None


def test_data_no_salt_or_egg_parts(library):
    name = library["name"]
    bad = [f for f in library["pool"] if vm._SALT.search(name(f)) or vm._EGG_PART.search(name(f))]
    bad += [
        f"{d.id}: {name(i.food)}"
        for d in library["dishes"]
        for i in d.ingredients
        if vm._SALT.search(name(i.food)) or vm._EGG_PART.search(name(i.food))
    ]
    assert bad == []


def test_data_sauces_and_spreads_only_with_a_carrier(library):
    for pat in library["options"]:
        pools = {p for e in pat.entries for p in e.pools}
        if pools & NEEDS_CARRIER:
            assert pools & CARRIER_POOLS, pat.id


def test_data_a_sauce_always_has_a_carrier_served(library):
    for pat in library["options"]:
        for e in pat.entries:
            if e.pools & NEEDS_CARRIER:
                # a carrier entry the pattern cannot leave out, drawing only from carriers
                assert any(c.lo >= 1 and c.pools <= CARRIER_POOLS for c in pat.entries), pat.id


def test_data_condiment_pool_foods_in_household_amounts_and_on_carriers(library, bundled):
    """A pool food the verifier counts as a condiment or spread sits in a pool that needs a carrier
    (or is a carrier), and at most ``condiment_max_g`` of it fits a meal."""
    rules = MealRules()
    bad = []
    for f, p in library["pool"].items():
        name, cat = library["name"](f), library["category"](f)
        if cat in vm._SIDE_CATEGORIES or p.component in NEEDS_CARRIER:
            if p.component not in NEEDS_CARRIER | CARRIER_POOLS:
                bad.append(f"{f} {name}: in {p.component}, served without a carrier")
            elif p.component in NEEDS_CARRIER and p.max_g > rules.condiment_max_g:
                bad.append(f"{f} {name}: max_g {p.max_g:g}")
    assert bad == []


def test_data_cereal_comes_with_milk(library):
    name = library["name"]
    cereal_pools = {p.component for f, p in library["pool"].items() if vm._CEREAL.search(name(f))}
    assert cereal_pools == {"cereal"}
    for pat in library["options"]:
        if any("cereal" in e.pools for e in pat.entries):
            assert any(e.pools == {"milk"} and e.lo >= 1 for e in pat.entries), pat.id


def test_data_dishes_with_cereal_have_milk(library):
    name = library["name"]
    bad = []
    for d in library["dishes"]:
        if any(vm._CEREAL.search(name(i.food)) for i in d.ingredients):
            if not any(
                vm._MILK.search(name(i.food)) and i.min > 0
                for i in d.ingredients
                if not vm._CEREAL.search(name(i.food))
            ):
                bad.append(d.id)
    assert bad == []


def test_data_portions_within_household_norms(library):
    name, category = library["name"], library["category"]
    rules = MealRules()
    bad = []
    for f, p in library["pool"].items():
        kind = _nutty(name(f), category(f))
        if category(f) in ("vegetables", "fruits") and p.max_g > rules.produce_max_g:
            bad.append(f"pool {f} {name(f)}: {p.max_g:g} g")
        if kind == "nut butter" and p.max_g > rules.nut_butter_max_g:
            bad.append(f"pool {f} {name(f)}: {p.max_g:g} g")
        if kind == "nuts" and p.max_g > rules.nuts_max_g:
            bad.append(f"pool {f} {name(f)}: {p.max_g:g} g")
    for d in library["dishes"]:
        totals = {"nut butter": 0.0, "nuts": 0.0}
        for i in d.ingredients:
            if category(i.food) in ("vegetables", "fruits") and i.max > rules.produce_max_g:
                bad.append(f"dish {d.id} {name(i.food)}: {i.max:g} g")
            kind = _nutty(name(i.food), category(i.food))
            if kind:
                totals[kind] += i.max
        if totals["nut butter"] > rules.nut_butter_max_g or totals["nuts"] > rules.nuts_max_g:
            bad.append(f"dish {d.id}: {totals}")
    assert bad == []


def test_data_drinks_at_most_two_cups_and_hot_drinks_at_breakfast_or_snack(library):
    lib, name, category = library["patterns"], library["name"], library["category"]
    assert lib.drink.max_g <= 480 and lib.hot_drink.max_g <= 480
    assert set(lib.hot_drink.slots) <= {"breakfast", "snack"}
    drink_pools = set(lib.drink.pools)
    for f, p in library["pool"].items():
        if vm._HOT.search(name(f)) and category(f) == "beverages":
            assert p.component in lib.hot_drink.pools and p.component not in drink_pools, f
    for d in library["dishes"]:
        if any(vm._HOT.search(name(i.food)) and category(i.food) == "beverages" for i in d.ingredients):
            assert set(d.slots) <= {"breakfast", "snack"}, d.id


def test_data_legumes_only_where_one_is_taken(library):
    """A legume pool food is a protein or a dip, and no pattern takes two proteins."""
    category = library["category"]
    pools = {p.component for f, p in library["pool"].items() if category(f) == "legumes"}
    assert pools <= {"protein", "dip"}
    for pat in library["options"]:
        for e in pat.entries:
            if e.pools & {"protein"}:
                assert e.hi == 1, pat.id


# --- 4. real days for the example profiles --------------------------------------------------------


@pytest.mark.solve
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_profile_day_reads_right(path, bundled):
    from mealplan.optimizer.planner import make_plan
    from mealplan.targets.profile_files import load_profile
    from mealplan.verify.verifier import verify_plan

    plan = make_plan(load_profile(path), bundled)
    report = verify_plan(plan, bundled)
    assert report.ok, report.problems
    assert not [p for p in report.problems if p.check == "meal_rules"]
    for day in plan.days:
        for slot in day.slots:
            assert slot.title.strip(), slot
    assert not math.isnan(plan.days[0].energy_kcal)


def test_foods_placed_by_name_read_their_short_name_in_meal_names():
    """A pool food without a label of its own (a user's food placed by name and category, or a pool
    CSV row without a note) is named in generated meals by its short name, never its id."""
    import dataclasses

    from mealplan.food_data.names import short_name

    lib = load_patterns(FIXTURES / "patterns.yaml")
    pool = load_pattern_foods(TABLE, FIXTURES / "pool.csv", library=lib, fallback=True)
    pool = {f: dataclasses.replace(p, label="") if f in ("m_lentil", "m_rice") else p for f, p in pool.items()}
    inputs, _ = _inputs(tiny_rules(), pool=pool)
    named = {f.id: f.label for f in inputs.all_foods}
    for fid in ("m_lentil", "m_rice"):
        assert named[fid] == short_name(inputs.names[fid]) and named[fid] != fid
    assert named["m_chicken"] == "chicken"  # the CSV's own label stays
