"""The independent plan verifier: a hand-built correct plan passes, and each broken rule is caught.

The fixture is six foods with round numbers. Day 1 of the hand-built plan (grams):
  breakfast: oats 100 (2 x 50 g), milk 250 (1 cup)
  lunch:     lentils 200, spinach 100
  dinner:    chicken 150 (1.5 x 100 g), spinach 100, lentils 200
Energy 400 + 150 + 240 + 25 + 240 + 25 + 240 = 1320 kcal; calcium 50 + 300 + 40 + 100 + 15 + 100 + 40
= 645 mg (short of 1000 by 355); vitamin B12 1.25 + 0.45 = 1.7 µg with 2 unknown items (lentils).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from mealplan.food_data.table import SR24_SOURCE, FoodTable
from mealplan.plan import (
    DayPlan,
    NutrientTotal,
    Plan,
    PlanItem,
    PlanRules,
    Shortfall,
    SlotPlan,
    SlotRule,
    SolveInfo,
    SolveStatus,
)
from mealplan.targets.model import Target, Targets
from mealplan.verify.verifier import CHECKS, Problem, VerificationReport, food_matches, verify_plan
from tests.optimizer.conftest import table_from

NUTS = ["energy", "protein", "fat", "carbohydrate", "calcium", "magnesium", "sodium", "vitamin_b12"]
UNITS = {
    "energy": "kcal",
    "protein": "g",
    "fat": "g",
    "carbohydrate": "g",
    "calcium": "mg",
    "magnesium": "mg",
    "sodium": "mg",
    "vitamin_b12": "µg",
}
# id: name, category, diet, allergens, serving_name, serving_g, max_g, price, then NUTS per 100 g
FOODS = {
    "f_oat": ("Oats, rolled", "grains", "vegan", "gluten", "½ cup", 50, 200, 0.2,
              [400, 10, 5, 70, 50, 150, 0, 0]),
    "f_milk": ("Milk, whole", "dairy and fortified alternatives", "vegetarian", "milk", "1 cup", 250, 1000,
               0.1, [60, 3.2, 3.3, 4.8, 120, 10, 40, 0.5]),
    "f_chicken": ("Chicken, roasted", "poultry", "omnivore", "", "1 piece", 100, 300, 1.0,
                  [160, 30, 4, 0, 10, 30, 70, 0.3]),
    "f_lentil": ("Lentils, boiled", "legumes", "vegan", "", "1 cup", 200, 400, 0.3,
                 [120, 9, 0.4, 20, 20, 36, 2, math.nan]),
    "f_spinach": ("Spinach, cooked", "vegetables", "vegan", "", "1 cup", 100, 300, 0.5,
                  [25, 3, 0.4, 3.6, 100, 80, 80, 0]),
    "f_egg": ("Egg, boiled", "eggs", "vegetarian", "egg", "1 large", 50, 150, 0.6,
              [143, 12.6, 9.5, 0.7, 56, 12, 142, 0.9]),
}  # fmt: skip

DAY1 = {
    "breakfast": [("f_oat", 2), ("f_milk", 1)],
    "lunch": [("f_lentil", 1), ("f_spinach", 1)],
    "dinner": [("f_chicken", 1.5), ("f_spinach", 1), ("f_lentil", 1)],
}
DAY2 = {
    "breakfast": [("f_oat", 2), ("f_milk", 1)],
    "lunch": [("f_egg", 2), ("f_spinach", 1)],
    "dinner": [("f_egg", 1), ("f_spinach", 1), ("f_oat", 2)],
}


def food_table(**changes: dict[str, object]) -> FoodTable:
    """The fixture table; ``changes`` maps a food id to column overrides."""
    every_slot = "breakfast;lunch;dinner;snack"
    foods = {fid: (*spec[:7], every_slot, *spec[7:]) for fid, spec in FOODS.items()}
    return table_from(foods, NUTS, UNITS, changes)


def target(nutrient, unit, lo, hi=None, weekly=False):
    return Target(
        nutrient=nutrient,
        name=nutrient.replace("_", " ").title(),
        unit=unit,
        min=lo,
        max=hi,
        min_source="RDA" if lo else "",
        max_source="UL" if hi else "",
        priority=1.0,
        weekly=weekly,
        suspected=False,
    )


AMDR = {"protein": (10.0, 35.0), "fat": (10.0, 35.0), "carbohydrate": (45.0, 65.0)}
TARGETS = Targets(
    profile_id="fixture",
    life_stage="adult",
    energy_kcal=1350,
    energy_min=1200,
    energy_max=1500,
    energy_source="fixture",
    amdr=AMDR,
    items={
        "protein": target("protein", "g", 50),
        "calcium": target("calcium", "mg", 1000, 2500),
        "magnesium": target("magnesium", "mg", 400),
        "sodium": target("sodium", "mg", None, 2300),
        "vitamin_b12": target("vitamin_b12", "µg", 2.4, weekly=True),
    },
)


def plan_rules(**changes) -> PlanRules:
    base = dict(
        diet="omnivore",
        allergies=["peanuts"],
        exclude=["liver"],
        dislikes=["*tofu*"],
        likes=[],
        slots=[
            SlotRule(name="breakfast", min_items=2, max_items=3, energy_share=(0.15, 0.50)),
            SlotRule(
                name="lunch",
                min_items=2,
                max_items=3,
                energy_share=(0.10, 0.45),
                needs_protein=True,
                needs_produce=True,
            ),
            SlotRule(
                name="dinner",
                min_items=2,
                max_items=3,
                energy_share=(0.20, 0.45),
                needs_protein=True,
                needs_produce=True,
            ),
        ],
        group_max_g={"fats and oils": 40.0},
        group_min_g={"vegetables": 150.0},
        min_portion_servings=0.5,
        portion_step_servings=0.5,
        min_distinct_foods_per_day=4,
        max_days_per_food=2,
        protein_categories=["meat", "poultry", "seafood", "eggs", "legumes"],
        produce_categories=["vegetables", "fruits"],
        weekly_nutrients=[],
        energy_min=1200.0,
        energy_max=1500.0,
        amdr=AMDR,
        budget=5.0,
    )
    base.update(changes)
    return PlanRules(**base)


# --- a tiny plan builder (straightforward arithmetic, written for the tests) --------------------


def _item(table: FoodTable, fid: str, servings: float) -> PlanItem:
    row = table.foods.loc[fid]
    grams = servings * float(row["serving_g"])
    return PlanItem(
        food_id=fid,
        name=str(row["name"]),
        category=str(row["category"]),
        grams=grams,
        servings=servings,
        serving_name=str(row["serving_name"]),
        serving_g=float(row["serving_g"]),
        household=f"{servings:g} x {row['serving_name']}",
        cost=round(float(row["price"]) * grams / 100, 4),
    )


def _total(nut: str, amount: float, unknown: int) -> NutrientTotal:
    t = TARGETS.items.get(nut)
    lo = t.min if t is not None and t.min else None
    hi = t.max if t is not None else None
    return NutrientTotal(
        nutrient=nut,
        unit=t.unit if t else UNITS[nut],
        amount=amount,
        min=lo,
        max=hi,
        pct_of_min=100 * amount / lo if lo else None,
        met=lo is None or amount >= lo,
        unknown_items=unknown,
    )


def make_day(index: int, spec: dict[str, list[tuple[str, float]]], table: FoodTable | None = None) -> DayPlan:
    table = table or food_table()
    f = table.foods
    slots = []
    for name, entries in spec.items():
        items = [_item(table, fid, s) for fid, s in entries]
        energy = sum(f.at[i.food_id, "energy"] * i.grams / 100 for i in items)
        slots.append(SlotPlan(name=name, energy_kcal=energy, items=items))
    items = [i for s in slots for i in s.items]
    totals = {}
    for nut in sorted(set(TARGETS.items) | {"energy", "protein", "fat", "carbohydrate"}):
        values = [f.at[i.food_id, nut] for i in items]
        amount = sum(v * i.grams / 100 for v, i in zip(values, items, strict=True) if not pd.isna(v))
        totals[nut] = _total(nut, amount, sum(pd.isna(v) for v in values))
    energy = totals["energy"].amount
    macros = {m: 100 * totals[m].amount * k / energy for m, k in (("protein", 4), ("fat", 9), ("carbohydrate", 4))}
    return DayPlan(index=index, energy_kcal=energy, macros_pct=macros, slots=slots, totals=totals)


def _shortfall(nut: str, scope: str, achieved: float) -> Shortfall:
    t = TARGETS.items[nut]
    return Shortfall(
        nutrient=nut,
        name=t.name,
        unit=t.unit,
        scope=scope,
        target=t.min,
        achieved=achieved,
        short_by=t.min - achieved,
        pct_of_target=100 * achieved / t.min,
        causes=["fixture"],
    )


def make_plan(days: list[DayPlan], rules: PlanRules | None = None, shortfalls=None, **changes) -> Plan:
    kind = "day" if len(days) == 1 else "week"
    rules = rules or plan_rules(weekly_nutrients=[] if kind == "day" else ["vitamin_b12"])
    week = None
    if kind == "week":
        week = {}
        for nut in days[0].totals:
            amount = sum(d.totals[nut].amount for d in days) / len(days)
            week[nut] = _total(nut, amount, sum(d.totals[nut].unknown_items for d in days))
    if shortfalls is None:
        shortfalls = []
        for nut, t in TARGETS.items.items():
            if not t.min:
                continue
            if nut in rules.weekly_nutrients and week is not None:
                if week[nut].amount < t.min:
                    shortfalls.append(_shortfall(nut, "week average", week[nut].amount))
            else:
                shortfalls += [
                    _shortfall(nut, f"day {d.index}", d.totals[nut].amount)
                    for d in days
                    if d.totals[nut].amount < t.min
                ]
    costs = [sum(i.cost for s in d.slots for i in s.items) for d in days]
    fields = dict(
        kind=kind,
        profile_id="fixture",
        created_with="tests",
        disclaimer="For education only.",
        red_flags=[],
        triage=None,
        targets=TARGETS,
        rules=rules,
        days=days,
        week_totals=week,
        shortfalls=shortfalls,
        solve=SolveInfo(
            solver="highs",
            status=SolveStatus.OPTIMAL,
            gap=0.0,
            objective=1.0,
            build_seconds=0.01,
            solve_seconds=0.01,
            total_seconds=0.02,
            variables=10,
            constraints=10,
        ),
        food_sources=[SR24_SOURCE],
        cost=sum(costs) / len(costs),
    )
    fields.update(changes)
    return Plan(**fields)


def day_plan(**rule_changes) -> Plan:
    return make_plan([make_day(1, DAY1)], rules=plan_rules(**rule_changes) if rule_changes else None)


def week_plan(spec2=DAY2, **rule_changes) -> Plan:
    rules = plan_rules(weekly_nutrients=["vitamin_b12"], **rule_changes)
    return make_plan([make_day(1, DAY1), make_day(2, spec2)], rules=rules)


def problems(report: VerificationReport, check: str | None = None) -> list[tuple[str, str, str]]:
    return [(p.check, p.where, p.message) for p in report.problems if check is None or p.check == check]


def failing(report: VerificationReport) -> set[str]:
    return {p.check for p in report.problems}


# --- correct plans pass -------------------------------------------------------------------------


def test_hand_built_day_plan_matches_hand_arithmetic_and_passes():
    plan = day_plan()
    day = plan.days[0]
    assert day.energy_kcal == pytest.approx(1320)
    assert day.totals["calcium"].amount == pytest.approx(645)
    assert day.totals["vitamin_b12"].amount == pytest.approx(1.7)
    assert day.totals["vitamin_b12"].unknown_items == 2
    assert [(s.nutrient, s.scope, round(s.short_by, 6)) for s in plan.shortfalls] == [
        ("calcium", "day 1", 355.0),
        ("vitamin_b12", "day 1", 0.7),
    ]
    report = verify_plan(plan, food_table())
    assert problems(report) == []
    assert report.ok
    assert report.checks_run == list(CHECKS)
    assert report.problems_by_check()["totals"] == 0


def test_hand_built_week_plan_passes():
    plan = week_plan()
    # Vitamin B12 counts on the week average: (1.7 + 2.6) / 2 = 2.15 < 2.4.
    assert [(s.nutrient, s.scope) for s in plan.shortfalls] == [
        ("calcium", "day 1"),
        ("calcium", "day 2"),
        ("vitamin_b12", "week average"),
    ]
    report = verify_plan(plan, food_table())
    assert problems(report) == []


def test_report_round_trips_as_json():
    report = verify_plan(day_plan(), food_table(), tolerance=1e-6)
    assert VerificationReport.model_validate_json(report.model_dump_json()) == report


# --- recomputed totals --------------------------------------------------------------------------


def _with_day(plan: Plan, day: DayPlan) -> Plan:
    return plan.model_copy(update={"days": [day, *plan.days[1:]]})


def test_wrong_total_is_caught():
    plan = day_plan()
    day = plan.days[0]
    bad = day.totals["calcium"].model_copy(update={"amount": 700.0})
    plan = _with_day(plan, day.model_copy(update={"totals": {**day.totals, "calcium": bad}}))
    assert problems(verify_plan(plan, food_table()), "totals") == [
        ("totals", "day 1", "calcium: the plan says 700 mg; the food table gives 645")
    ]


def test_unknown_items_must_match():
    plan = day_plan()
    day = plan.days[0]
    bad = day.totals["vitamin_b12"].model_copy(update={"unknown_items": 0})
    plan = _with_day(plan, day.model_copy(update={"totals": {**day.totals, "vitamin_b12": bad}}))
    assert problems(verify_plan(plan, food_table()), "totals") == [
        ("totals", "day 1", "vitamin_b12: unknown_items is 0, but 2 item(s) have no vitamin_b12 value")
    ]


def test_missing_total_is_caught():
    plan = day_plan()
    day = plan.days[0]
    totals = {k: v for k, v in day.totals.items() if k != "magnesium"}
    plan = _with_day(plan, day.model_copy(update={"totals": totals}))
    assert ("totals", "day 1", "no total for magnesium") in problems(verify_plan(plan, food_table()))


def test_table_values_changed_after_planning_are_caught():
    # The plan was made with calcium 100 mg/100 g in spinach; a table saying 200 disagrees.
    report = verify_plan(day_plan(), food_table(f_spinach={"calcium": 200.0}))
    assert ("totals", "day 1", "calcium: the plan says 645 mg; the food table gives 845") in problems(report)


def test_energy_and_macros_are_recomputed():
    plan = day_plan()
    day = plan.days[0]
    plan = _with_day(plan, day.model_copy(update={"macros_pct": {**day.macros_pct, "fat": 20.0}, "energy_kcal": 1300}))
    assert problems(verify_plan(plan, food_table()), "energy_macros") == [
        ("energy_macros", "day 1", "energy_kcal 1300 differs from the recomputed 1320 kcal"),
        ("energy_macros", "day 1", "macros_pct[fat] 20 should be 14.7614"),
    ]


def test_wrong_week_average_is_caught():
    plan = week_plan()
    bad = plan.week_totals["magnesium"].model_copy(update={"amount": 1.0})
    plan = plan.model_copy(update={"week_totals": {**plan.week_totals, "magnesium": bad}})
    msgs = problems(verify_plan(plan, food_table()), "week_totals")
    assert len(msgs) == 1 and msgs[0][2].startswith("magnesium: the plan says 1 mg; the food table gives 5")


# --- items and food rules -----------------------------------------------------------------------


def test_items_must_match_the_table():
    plan = day_plan()
    day = plan.days[0]
    item = day.slots[0].items[0].model_copy(update={"name": "Oats, instant", "grams": 90.0})
    slot = day.slots[0].model_copy(update={"items": [item, *day.slots[0].items[1:]]})
    plan = _with_day(plan, day.model_copy(update={"slots": [slot, *day.slots[1:]]}))
    got = problems(verify_plan(plan, food_table()), "items")
    assert got == [
        (
            "items",
            "day 1, breakfast, f_oat (Oats, instant)",
            "name 'Oats, instant' differs from the food table's 'Oats, rolled'",
        ),
        ("items", "day 1, breakfast, f_oat (Oats, instant)", "grams 90 != servings 2 x serving_g 50 = 100"),
    ]


def test_unknown_food_is_caught():
    report = verify_plan(
        day_plan(),
        food_table().__class__(
            foods=food_table().foods.drop(index="f_milk"), measures=food_table().measures, units=UNITS
        ),
    )
    assert (
        "items",
        "day 1, breakfast, f_milk (Milk, whole)",
        "food id 'f_milk' is not in the food table",
    ) in problems(report)


def test_allergen_present():
    report = verify_plan(week_plan(allergies=["eggs"]), food_table())
    assert problems(report, "allergens") == [
        ("allergens", "day 2, lunch, f_egg (Egg, boiled)", "contains egg: the profile is allergic"),
        ("allergens", "day 2, dinner, f_egg (Egg, boiled)", "contains egg: the profile is allergic"),
    ]


def test_diet_violation():
    report = verify_plan(day_plan(diet="vegetarian"), food_table())
    assert problems(report, "diet") == [
        (
            "diet",
            "day 1, dinner, f_chicken (Chicken, roasted)",
            "the food is omnivore; the plan's diet is vegetarian",
        )
    ]


def test_exclude_glob_and_id_and_dislike_substring():
    report = verify_plan(day_plan(exclude=["CHICK*", "f_milk"], dislikes=["spinach"]), food_table())
    assert problems(report, "exclude") == [
        ("exclude", "day 1, breakfast, f_milk (Milk, whole)", "matches exclude pattern 'f_milk'"),
        ("exclude", "day 1, dinner, f_chicken (Chicken, roasted)", "matches exclude pattern 'CHICK*'"),
    ]
    assert [w for _, w, _ in problems(report, "dislikes")] == [
        "day 1, lunch, f_spinach (Spinach, cooked)",
        "day 1, dinner, f_spinach (Spinach, cooked)",
    ]


def test_food_matches():
    assert food_matches("f_milk", "f_milk", "Milk")
    assert food_matches("milk", "x", "Milk, whole")
    assert food_matches("*WHOLE", "x", "Milk, whole")
    assert not food_matches("whole*", "x", "Milk, whole")  # a glob matches the whole name
    assert not food_matches("", "x", "Milk")


def test_non_planner_bundled_food_is_caught_but_user_foods_are_fine():
    report = verify_plan(day_plan(), food_table(f_spinach={"planner": False}))
    assert len(problems(report, "planner_foods")) == 2
    user = food_table(f_spinach={"planner": False, "source": "my_foods.csv"})
    plan = day_plan().model_copy(update={"food_sources": [SR24_SOURCE, "my_foods.csv"]})
    assert problems(verify_plan(plan, user)) == []


def test_portion_off_step_and_below_minimum():
    spec = {**DAY1, "dinner": [("f_chicken", 1.25), ("f_spinach", 1), ("f_lentil", 1)]}
    plan = make_plan([make_day(1, spec)])
    assert problems(verify_plan(plan, food_table()), "portions") == [
        (
            "portions",
            "day 1, dinner, f_chicken (Chicken, roasted)",
            "1.25 servings is not a multiple of the portion step 0.5",
        ),
    ]
    report = verify_plan(day_plan(min_portion_servings=1.5), food_table())
    assert problems(report, "portions") == [
        ("portions", "day 1, breakfast, f_milk (Milk, whole)", "1 servings is below the minimum portion 1.5"),
        (
            "portions",
            "day 1, lunch, f_lentil (Lentils, boiled)",
            "1 servings is below the minimum portion 1.5",
        ),
        (
            "portions",
            "day 1, lunch, f_spinach (Spinach, cooked)",
            "1 servings is below the minimum portion 1.5",
        ),
        (
            "portions",
            "day 1, dinner, f_spinach (Spinach, cooked)",
            "1 servings is below the minimum portion 1.5",
        ),
        (
            "portions",
            "day 1, dinner, f_lentil (Lentils, boiled)",
            "1 servings is below the minimum portion 1.5",
        ),
    ]


def test_daily_grams_of_a_food_above_its_max_g():
    report = verify_plan(day_plan(), food_table(f_lentil={"max_g": 300.0}))
    assert problems(report, "food_max_g") == [
        (
            "food_max_g",
            "day 1, f_lentil (Lentils, boiled)",
            "400 g in the day is above the food's maximum 300 g",
        )
    ]


# --- targets ------------------------------------------------------------------------------------


def test_nutrient_max_exceeded():
    targets = TARGETS.model_copy(update={"items": {**TARGETS.items, "sodium": target("sodium", "mg", None, 300)}})
    plan = day_plan().model_copy(update={"targets": targets})
    msgs = problems(verify_plan(plan, food_table()), "nutrient_max")
    assert msgs == [("nutrient_max", "day 1", "sodium 373 mg is above the maximum 300 mg (UL)")]


def test_weekly_nutrient_max_applies_per_day():
    items = {**TARGETS.items, "vitamin_b12": target("vitamin_b12", "µg", 1.0, 2.0, weekly=True)}
    plan = week_plan().model_copy(update={"targets": TARGETS.model_copy(update={"items": items})})
    msgs = problems(verify_plan(plan, food_table()), "nutrient_max")
    assert msgs == [
        (
            "nutrient_max",
            "day 2",
            "vitamin_b12 2.6 µg is above the maximum 2 µg (UL) (a weekly nutrient's maximum holds every day)",
        )
    ]


def test_energy_outside_range():
    msgs = problems(verify_plan(day_plan(energy_max=1250.0), food_table()), "energy_range")
    assert msgs == [("energy_range", "day 1", "energy 1320 kcal is outside 1200-1250 kcal")]


def test_macros_outside_amdr_with_half_point_slack():
    # Protein gives 105 g x 4 / 1320 = 31.8 % of energy.
    msgs = problems(verify_plan(day_plan(amdr={"protein": (10.0, 30.0)}), food_table()), "amdr")
    assert msgs == [("amdr", "day 1", "protein gives 31.8 % of energy, outside 10-30 % (AMDR)")]
    assert problems(verify_plan(day_plan(amdr={"protein": (10.0, 31.5)}), food_table()), "amdr") == []


def test_food_group_limits():
    report = verify_plan(day_plan(group_min_g={"vegetables": 250.0}, group_max_g={"legumes": 300.0}), food_table())
    assert problems(report, "food_groups") == [
        ("food_groups", "day 1", "legumes: 400 g is above the daily maximum 300 g"),
        ("food_groups", "day 1", "vegetables: 200 g is below the daily minimum 250 g"),
    ]


# --- shortfalls ---------------------------------------------------------------------------------


def test_missing_shortfall_is_caught():
    plan = day_plan()
    plan = plan.model_copy(update={"shortfalls": [s for s in plan.shortfalls if s.nutrient != "calcium"]})
    assert problems(verify_plan(plan, food_table()), "shortfalls") == [
        (
            "shortfalls",
            "calcium (day 1)",
            "645 mg is below the minimum 1000 mg but the plan lists no shortfall",
        )
    ]


def test_shortfall_listed_but_met_and_wrong_short_by():
    plan = day_plan()
    fake = _shortfall("magnesium", "day 1", 300.0)
    wrong = plan.shortfalls[0].model_copy(update={"short_by": 300.0})
    plan = plan.model_copy(update={"shortfalls": [wrong, plan.shortfalls[1], fake]})
    assert problems(verify_plan(plan, food_table()), "shortfalls") == [
        (
            "shortfalls",
            "shortfall calcium (day 1)",
            "short_by 300 mg should be 355 (minimum 1000, achieved 645)",
        ),
        ("shortfalls", "shortfall magnesium (day 1)", "listed, but the day 1 total meets the minimum"),
    ]


def test_short_by_within_one_percent_is_accepted():
    plan = day_plan()
    near = plan.shortfalls[0].model_copy(update={"short_by": 355.0 * 1.009})
    plan = plan.model_copy(update={"shortfalls": [near, plan.shortfalls[1]]})
    assert problems(verify_plan(plan, food_table()), "shortfalls") == []


def test_weekly_nutrient_shortfall_must_be_on_the_week_average():
    plan = week_plan()
    by_day = [_shortfall("vitamin_b12", "day 1", 1.7)]
    plan = plan.model_copy(update={"shortfalls": [s for s in plan.shortfalls if s.nutrient != "vitamin_b12"] + by_day})
    assert problems(verify_plan(plan, food_table()), "shortfalls") == [
        ("shortfalls", "shortfall vitamin_b12 (day 1)", "no such target minimum for this scope"),
        (
            "shortfalls",
            "vitamin_b12 (week average)",
            "2.15 µg is below the minimum 2.4 µg but the plan lists no shortfall",
        ),
    ]


# --- slot structure -----------------------------------------------------------------------------


def test_missing_protein_at_lunch():
    spec = {**DAY1, "lunch": [("f_spinach", 1), ("f_milk", 1)]}
    report = verify_plan(make_plan([make_day(1, spec)]), food_table())
    assert problems(report, "slot_protein") == [
        ("slot_protein", "day 1, lunch", "no protein food (one of: meat, poultry, seafood, eggs, legumes)")
    ]


def test_missing_produce_at_dinner():
    spec = {**DAY1, "dinner": [("f_chicken", 1.5), ("f_lentil", 1), ("f_milk", 1)]}
    report = verify_plan(make_plan([make_day(1, spec)]), food_table())
    assert problems(report, "slot_produce") == [
        ("slot_produce", "day 1, dinner", "no vegetable or fruit (one of: vegetables, fruits)")
    ]


def test_items_per_slot():
    rules = plan_rules()
    slots = [rules.slots[0], rules.slots[1], rules.slots[2].model_copy(update={"max_items": 2})]
    report = verify_plan(day_plan(slots=slots), food_table())
    assert problems(report, "slot_items") == [
        (
            "slot_items",
            "day 1, dinner",
            "3 items (3 besides accompaniments); the slot takes at least 2 besides accompaniments and at most 2 in all",
        )
    ]


def test_slot_energy_share_with_one_point_slack():
    # Breakfast gives 550 / 1320 = 41.7 % of the day.
    rules = plan_rules()
    tight = [rules.slots[0].model_copy(update={"energy_share": (0.15, 0.40)}), *rules.slots[1:]]
    report = verify_plan(day_plan(slots=tight), food_table())
    assert problems(report, "slot_energy_share") == [
        ("slot_energy_share", "day 1, breakfast", "gives 41.7% of the day's energy, outside 15%-40%")
    ]
    slack = [rules.slots[0].model_copy(update={"energy_share": (0.15, 0.41)}), *rules.slots[1:]]
    assert problems(verify_plan(day_plan(slots=slack), food_table()), "slot_energy_share") == []


def test_distinct_foods_per_day():
    report = verify_plan(day_plan(min_distinct_foods_per_day=6), food_table())
    assert problems(report, "distinct_foods") == [
        ("distinct_foods", "day 1", "5 different foods; at least 6 are required")
    ]


def test_slots_must_follow_the_rules():
    report = verify_plan(day_plan(slots=plan_rules().slots[:2]), food_table())
    assert (
        "structure",
        "day 1",
        "slots are ['breakfast', 'lunch', 'dinner']; the rules define ['breakfast', 'lunch']",
    ) in (problems(report))


# --- variety over the week ----------------------------------------------------------------------


def test_repeated_protein_on_consecutive_days():
    spec2 = {**DAY2, "dinner": [("f_chicken", 1), ("f_spinach", 1), ("f_oat", 2)]}
    report = verify_plan(week_plan(spec2), food_table())
    assert problems(report, "protein_rotation") == [
        (
            "protein_rotation",
            "day 2, f_chicken",
            "protein food f_chicken is at a main meal on day 1 and again on day 2",
        )
    ]


def test_identical_days():
    plan = make_plan([make_day(1, DAY1), make_day(2, DAY1)], rules=plan_rules(weekly_nutrients=["vitamin_b12"]))
    report = verify_plan(plan, food_table())
    assert problems(report, "identical_days") == [
        ("identical_days", "day 2", "the same foods in the same slots as day 1")
    ]
    assert failing(report) == {"identical_days", "protein_rotation"}


def test_food_on_too_many_days():
    report = verify_plan(week_plan(max_days_per_food=1), food_table())
    assert problems(report, "days_per_food") == [
        ("days_per_food", "f_milk", "on 2 days (days [1, 2]); at most 1 are allowed"),
        ("days_per_food", "f_oat", "on 2 days (days [1, 2]); at most 1 are allowed"),
        ("days_per_food", "f_spinach", "on 2 days (days [1, 2]); at most 1 are allowed"),
    ]


def test_a_long_plan_counts_days_per_food_and_weekly_shortfalls_in_each_week():
    """Nine days alternating DAY1 and DAY2: oats are on all 9 days (7 in week 1, 2 in week 2), so a
    limit of 7 a week holds; lentils are on days 1, 3, 5, 7 and 9. B12, a weekly nutrient, is judged
    on each week's average ("week 1 average", "week 2 average")."""
    days = [make_day(i, DAY1 if i % 2 else DAY2) for i in range(1, 10)]
    report = verify_plan(make_plan(days, rules=plan_rules(weekly_nutrients=["vitamin_b12"], max_days_per_food=7)),
                         food_table())  # fmt: skip
    assert problems(report, "days_per_food") == []
    assert {p.where for p in report.problems if p.check == "shortfalls"} <= {
        "shortfall vitamin_b12 (week average)",
        "vitamin_b12 (week 1 average)",
        "vitamin_b12 (week 2 average)",
    }
    three = plan_rules(weekly_nutrients=["vitamin_b12"], max_days_per_food=3)
    found = problems(verify_plan(make_plan(days, rules=three), food_table()), "days_per_food")
    assert ("days_per_food", "f_lentil", "on 4 days (days [1, 3, 5, 7]); at most 3 are allowed") in found
    assert not any("[8, 9]" in message for _, _, message in found)  # week 2 has 2 days of everything


# --- budget, status, structure ------------------------------------------------------------------


def test_budget_exceeded():
    # Day 1 items: 0.2 + 0.25 + 0.6 + 0.5 + 1.5 + 0.5 + 0.6 = 4.15.
    report = verify_plan(day_plan(budget=4.0), food_table())
    assert problems(report, "budget") == [
        ("budget", "plan", "cost 4.15 a day is above the budget 4"),
        ("budget", "day 1", "the items cost 4.15, above the budget 4 a day"),
    ]


def test_status_must_describe_a_solution():
    bad = day_plan().solve.model_copy(update={"status": SolveStatus.INFEASIBLE})
    report = verify_plan(day_plan().model_copy(update={"solve": bad}), food_table())
    assert problems(report, "status") == [
        ("status", "solve", "status 'infeasible': a plan exists only for optimal or time_limit")
    ]
    no_gap = day_plan().solve.model_copy(update={"gap": None})
    report = verify_plan(day_plan().model_copy(update={"solve": no_gap}), food_table())
    assert problems(report, "status") == [
        ("status", "solve", "status optimal from HiGHS on a MIP but no gap is recorded")
    ]


def test_kind_and_day_count_agree():
    plan = week_plan().model_copy(update={"kind": "day"})
    report = verify_plan(plan, food_table())
    assert ("structure", "plan", "kind is 'day' but the plan has 2 days") in problems(report)


def test_problem_model_is_strict():
    with pytest.raises(ValueError):
        Problem(check="x", where="y", message="z", extra=1)


# --- real plans from the planner ----------------------------------------------------------------

PROFILES = sorted((Path(__file__).resolve().parents[2] / "examples" / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module")
def bundled() -> FoodTable:
    from mealplan.food_data.table import load_bundled

    return load_bundled()


@pytest.mark.solve
@pytest.mark.parametrize("profile_path", PROFILES, ids=[p.stem for p in PROFILES])
def test_real_day_plans_pass_verification(profile_path, bundled):
    from mealplan.optimizer.planner import make_plan
    from mealplan.targets.profile_files import load_profile

    plan = make_plan(load_profile(profile_path), bundled, days=1, time_limit=30)
    report = verify_plan(plan, bundled)
    assert problems(report) == []


@pytest.mark.solve
def test_real_week_plan_passes_verification(bundled):
    from mealplan.optimizer.planner import make_plan
    from mealplan.targets.profile_files import load_profile

    profile = load_profile(Path(__file__).resolve().parents[2] / "examples" / "profiles" / "vegan_twitching.yaml")
    plan = make_plan(profile, bundled, days=7, time_limit=60)
    report = verify_plan(plan, bundled)
    assert problems(report) == []
    assert plan.kind == "week" and len(plan.days) == 7


def test_a_minimum_missed_within_the_met_tolerance_counts_as_met():
    """The solver stops within 0.1 % of a target (its optimality tolerance): the plan calls that met."""
    plan = day_plan()
    achieved = plan.days[0].totals["calcium"].amount  # 645 mg
    minimum = achieved * 1.0005
    calcium = plan.targets.items["calcium"].model_copy(update={"min": minimum})
    targets = plan.targets.model_copy(update={"items": {**plan.targets.items, "calcium": calcium}})
    total = (
        plan.days[0]
        .totals["calcium"]
        .model_copy(update={"min": minimum, "pct_of_min": 100 * achieved / minimum, "met": True})
    )
    day = plan.days[0].model_copy(update={"totals": {**plan.days[0].totals, "calcium": total}})
    shortfalls = [s for s in plan.shortfalls if s.nutrient != "calcium"]
    plan = plan.model_copy(update={"targets": targets, "days": [day], "shortfalls": shortfalls})
    assert plan.rules.met_tolerance == 0.001
    assert problems(verify_plan(plan, food_table())) == []
    strict = plan.model_copy(update={"rules": plan.rules.model_copy(update={"met_tolerance": 0.0})})
    assert failing(verify_plan(strict, food_table())) == {"totals", "shortfalls"}


def test_more_protein_foods_in_a_meal_than_the_rule_allows():
    # Day 1's dinner has chicken and lentils.
    assert failing(verify_plan(day_plan(max_protein_items_per_meal=2), food_table())) == set()
    assert problems(verify_plan(day_plan(max_protein_items_per_meal=1), food_table()), "slot_protein") == [
        ("slot_protein", "day 1, dinner", "2 protein foods; a meal takes at most 1")
    ]
