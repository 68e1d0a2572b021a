"""The day model of meals on hand-made options: one option a meal, dish amounts in their ranges,
pattern entries, drinks, the elastic conflict filter, and a golden LP file for the model's structure.

The spec is small enough to check on paper: two slots (breakfast, dinner), one breakfast dish, one
dinner dish and a plate pattern over three pool foods (chicken, rice, broccoli) and a drink (milk).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mealplan.optimizer.model import (
    DRINK_USE,
    MEAL_USE,
    DishOption,
    MealSpec,
    PatternEntry,
    PatternOption,
    PoolFood,
    build_meal_model,
)
from mealplan.optimizer.solve import solve
from mealplan.plan import MealRules, PlanRules, SlotRule
from mealplan.targets.model import Targets
from tests.optimizer.conftest import target

GOLDEN = Path(__file__).parent.parent / "golden" / "meals_tiny.lp"

# per 100 g: energy, protein, fat, carbohydrate, calcium
NUTRIENTS = {
    "oats": (71, 2.5, 1.5, 12, 10),
    "milk": (50, 3.4, 2, 5, 120),
    "banana": (89, 1.1, 0.3, 23, 5),
    "chicken": (165, 31, 3.6, 0, 15),
    "rice": (112, 2.3, 0.8, 24, 10),
    "broccoli": (35, 2.4, 0.4, 7, 40),
    "lentils": (116, 9, 0.4, 20, 19),
}
NAMES = ("energy", "protein", "fat", "carbohydrate", "calcium")
CATEGORY = {
    "oats": "grains",
    "milk": "dairy and fortified alternatives",
    "banana": "fruits",
    "chicken": "poultry",
    "rice": "grains",
    "broccoli": "vegetables",
    "lentils": "legumes",
}


def rules(energy: tuple[float, float] = (900, 1300)) -> PlanRules:
    slots = [
        SlotRule(name="breakfast", min_items=1, max_items=4, energy_share=(0.2, 0.5)),
        SlotRule(name="dinner", min_items=1, max_items=5, energy_share=(0.5, 0.8), needs_protein=True),
    ]
    return PlanRules(
        diet="omnivore",
        allergies=[],
        exclude=[],
        dislikes=[],
        likes=[],
        slots=slots,
        group_max_g={},
        group_min_g={},
        min_portion_servings=0.5,
        portion_step_servings=0.25,
        min_distinct_foods_per_day=0,
        max_days_per_food=3,
        protein_categories=["poultry", "legumes"],
        produce_categories=["vegetables", "fruits"],
        weekly_nutrients=[],
        energy_min=energy[0],
        energy_max=energy[1],
        amdr={},
        meal_rules=MealRules(),
    )


def targets(calcium: float = 600) -> Targets:
    return Targets(
        profile_id="tiny",
        life_stage="test",
        energy_kcal=1100,
        energy_min=900,
        energy_max=1300,
        energy_source="test",
        amdr={},
        items={"calcium": target("calcium", calcium)},
    )


def spec(**changes) -> MealSpec:
    porridge = DishOption(
        id="porridge",
        name="Porridge with milk and banana",
        kinds=frozenset({"breakfast"}),
        method="Simmer the oats in the milk; top with banana.",
        foods=("oats", "milk", "banana"),
        grams=(234.0, 120.0, 100.0),
        lo=(150.0, 60.0, 0.0),
        hi=(350.0, 245.0, 150.0),
        roles=("starch", "dairy", "fruit"),
    )
    dal = DishOption(
        id="dal",
        name="Lentil dal with rice",
        kinds=frozenset({"dinner"}),
        method="Simmer the lentils; serve over rice.",
        foods=("lentils", "rice", "broccoli"),
        grams=(200.0, 180.0, 100.0),
        lo=(150.0, 100.0, 60.0),
        hi=(300.0, 250.0, 200.0),
        roles=("protein", "starch", "vegetable"),
    )
    plate = PatternOption(
        id="plate",
        name="protein starch vegetable",
        kinds=frozenset({"dinner"}),
        entries=(
            PatternEntry("protein", frozenset({"protein"}), 1, 1),
            PatternEntry("starch", frozenset({"starch"}), 1, 1),
            PatternEntry("vegetable", frozenset({"vegetable"}), 1, 2),
        ),
    )
    pool = [
        PoolFood("chicken", "Chicken", "poultry", "protein", step_g=25.0, min_steps=3, max_steps=8),
        PoolFood("rice", "Rice", "grains", "starch", step_g=50.0, min_steps=2, max_steps=5),
        PoolFood("broccoli", "Broccoli", "vegetables", "vegetable", step_g=40.0, min_steps=2, max_steps=7),
        PoolFood("milk", "Milk", "dairy and fortified alternatives", "milk", step_g=60.0, min_steps=1,
                 max_steps=0, drink_max_steps=8),
    ]  # fmt: skip
    values = dict(
        day=1,
        goals={"calcium": 600.0},
        foods=pool,
        dishes=[porridge, dal],
        patterns=[plate],
        nutrients={f: dict(zip(NAMES, v, strict=True)) for f, v in NUTRIENTS.items()},
        categories=dict(CATEGORY),
    )
    values.update(changes)
    return MealSpec(**values)


def solved(s: MealSpec, r: PlanRules | None = None, t: Targets | None = None):
    built = build_meal_model(s, r or rules(), t or targets())
    outcome = solve(built.prob, time_limit=20, gap=0.0)
    assert outcome.has_solution, outcome
    return built


def chosen(built, slot: str) -> str:
    for (j, s), v in built.z.items():
        if s == slot and (v.value() or 0) > 0.5:
            return j
    for (k, s), v in built.p.items():
        if s == slot and (v.value() or 0) > 0.5:
            return k
    raise AssertionError(f"no option at {slot}")


def test_each_meal_is_exactly_one_option():
    built = solved(spec())
    for slot in ("breakfast", "dinner"):
        picks = [v.value() for (_, s), v in [*built.z.items(), *built.p.items()] if s == slot]
        assert sum(picks) == pytest.approx(1.0)
    assert chosen(built, "breakfast") == "porridge"


def test_dish_amounts_stay_within_their_ranges_and_vanish_when_not_chosen():
    built = solved(spec())
    for (j, s, i), x in built.x.items():
        dish = built.dishes[j]
        on = (built.z[(j, s)].value() or 0) > 0.5
        g = x.value() or 0.0
        if on:
            assert dish.lo[i] - 1e-6 <= g <= dish.hi[i] + 1e-6
        else:
            assert g == pytest.approx(0.0, abs=1e-6)


def test_a_pattern_meal_has_one_food_per_required_entry():
    """Without the dal, dinner must be the plate: one protein, one starch, one or two vegetables."""
    s = spec()
    s.dishes = [d for d in s.dishes if d.id != "dal"]
    built = solved(s)
    assert chosen(built, "dinner") == "plate"
    served = {f for (f, slot, use), y in built.y.items() if slot == "dinner" and use == MEAL_USE and y.value() > 0.5}
    assert served == {"chicken", "rice", "broccoli"}


def test_pool_foods_are_absent_when_a_dish_is_the_meal():
    built = solved(spec())
    assert chosen(built, "dinner") == "dal"  # calcium: the dal and milk beat chicken
    assert all((y.value() or 0) < 0.5 for (f, s, u), y in built.y.items() if s == "dinner" and u == MEAL_USE)


def test_a_meal_has_at_most_one_drink_and_a_calcium_goal_takes_it():
    built = solved(spec(), t=targets(900))
    drinks = [(f, s) for (f, s, u), y in built.y.items() if u == DRINK_USE and (y.value() or 0) > 0.5]
    assert drinks and all(sum(1 for d in drinks if d[1] == slot) <= 1 for slot in ("breakfast", "dinner"))
    for (_, _, u), n in built.n.items():
        if u == DRINK_USE:
            assert (n.value() or 0) * 60.0 <= 480.0 + 1e-6


def test_a_banned_dish_is_not_offered():
    built = build_meal_model(spec(banned_dishes={"dinner": {"dal"}}), rules(), targets())
    assert ("dal", "dinner") not in built.z


def test_a_leftover_fixes_the_dish_and_its_amounts():
    built = solved(spec(fixed={"dinner": ("dal", {0: 180.0, 1: 150.0, 2: 90.0})}))
    assert chosen(built, "dinner") == "dal"
    assert [built.x[("dal", "dinner", i)].value() for i in range(3)] == pytest.approx([180.0, 150.0, 90.0])


def test_elastic_model_names_the_rules_in_conflict():
    built = build_meal_model(spec(), rules(energy=(5000, 5200)), targets(), elastic=True)
    assert solve(built.prob, time_limit=20, gap=0.0).has_solution
    given = {label for label, s in built.slacks.items() if (s.value() or 0) > 1e-6}
    assert any("energy" in label for label in given)


def test_golden_meal_model(tmp_path, update_golden):
    path = tmp_path / "meals_tiny.lp"
    build_meal_model(spec(), rules(), targets()).prob.writeLP(str(path))
    text = path.read_text()
    if update_golden:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text)
    assert GOLDEN.exists(), "no golden file yet: run pytest --update-golden"
    assert text == GOLDEN.read_text(), "the meal model changed: review, then run pytest --update-golden"


def test_a_dishs_protein_food_is_served_at_one_meal_a_day_like_a_patterns():
    """Breakfast can only be the plate with lentils (chicken is not allowed there), dinner only the dal:
    with the dal's lentils counted as served at dinner, the day has no plan; without, it has one."""
    from dataclasses import replace

    from mealplan.plan import SolveStatus

    base = spec()
    dal = next(d for d in base.dishes if d.id == "dal")
    plate = replace(base.patterns[0], kinds=frozenset({"breakfast"}))
    lentils = PoolFood("lentils", "Lentils", "legumes", "protein", step_g=50.0, min_steps=2, max_steps=5)
    for proteins, feasible in (((), True), ((("lentils", "lentils"),), False)):
        s = spec(dishes=[replace(dal, proteins=proteins)], patterns=[plate], foods=[*base.foods, lentils],
                 forbidden={("chicken", "breakfast")})  # fmt: skip
        built = build_meal_model(s, rules(), targets())
        outcome = solve(built.prob, time_limit=20, gap=0.0)
        assert outcome.has_solution is feasible
        if not feasible:
            assert outcome.status == SolveStatus.INFEASIBLE
