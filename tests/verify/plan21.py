"""A small schema 2.1 week that keeps every rule, written by hand, for the verifier's 2.1 checks.

Three days of real SR24 foods (the bundled table), four meals a day (grams; ``*`` a drink):

  day 1  breakfast  dish scrambled-eggs-toast-tomato: 2 scrambled eggs (122), 2 slices toast (50),
                    tomato 90, butter 5; *coffee 240
         lunch      pattern plate: half a chicken breast (86), brown rice 195, broccoli 156, olive oil 5;
                    *water 250
         dinner     dish tofu-bok-choy-mushroom-stir-fry (its default amounts); *nonfat milk 245
         snack      pattern snack-fruit: 1 banana (118), almonds 28; *water 250
  day 2  breakfast  dish oatmeal-milk-banana-almonds (oats 234, 2% milk 122, 1 banana 118, almonds 14);
                    *water 250 (a milk-based meal: no milk drink)
         lunch      dish chicken-broccoli-stir-fry-rice with half a breast (86); *water 250
         dinner     pattern plate: salmon 120, 1 baked potato (173), green beans 125, olive oil 5; *water 250
         snack      pattern snack-yogurt: yogurt 170, strawberries 80
  day 3  breakfast  dish scrambled-eggs-toast-tomato again (twice in the week); *orange juice 180 (0.73 cup)
         lunch      dish huevos-rancheros: 2 corn tortillas (52), 2 fried eggs (92), pinto beans 80,
                    tomato 80, salsa 32, avocado 30; *water 250
         dinner     pattern plate: turkey 100, quinoa 185, carrots 156; *water 250
         snack      pattern snack-fruit: 1 apple (182); *black tea 240

Rules: a breakfast and a snack at most twice a week, a food on at most 2 days with dish ingredients
counted (bread, milk, fats, water, coffee and tea are everyday foods), drinks as ``DrinkRules`` and
drinks.yaml say, counted foods in whole units, pattern pairings, the 2,000 kcal Healthy U.S.-Style pattern. The
totals, food groups, HEI and shortfalls are computed here from the table, as a planner would.
"""

from __future__ import annotations

from functools import cache

from mealplan.food_data.dishes import DishLibrary, load_dishes
from mealplan.food_data.food_groups import totals
from mealplan.food_data.food_patterns import food_pattern
from mealplan.food_data.hei import hei2020_of_foods
from mealplan.food_data.table import SR24_SOURCE, FoodTable, load_bundled
from mealplan.plan import (
    DayPlan,
    DaySolve,
    DietQuality,
    DrinkRules,
    FoodGroupGoals,
    MealRules,
    NutrientTotal,
    Plan,
    PlanItem,
    PlanRules,
    Shortfall,
    SlotPlan,
    SlotRule,
    SolveInfo,
    SolveStatus,
    week_blocks,
)
from mealplan.targets.model import Target, Targets
from mealplan.verify import VerificationReport, verify_plan

SLOTS = ("breakfast", "lunch", "dinner", "snack")
MACRO_KCAL = {"protein": 4.0, "fat": 9.0, "carbohydrate": 4.0}
WATER, COFFEE, TEA, NONFAT_MILK, OJ = "14411", "14209", "14355", "01085", "09206"

# A meal: (kind, dish or pattern id, [(food id, grams, role)]); a dish takes its ingredients' ranges from
# the library, and foods it does not list take the library's default amounts.
DAYS: list[dict[str, tuple[str, str, list[tuple[str, float, str]]]]] = [
    {
        "breakfast": ("dish", "scrambled-eggs-toast-tomato", [(COFFEE, 240, "drink")]),
        "lunch": (
            "pattern",
            "plate",
            [
                ("05064", 86, "protein"),
                ("20037", 195, "starch"),
                ("11091", 156, "vegetable"),
                ("04053", 5, "fat"),
                (WATER, 250, "drink"),
            ],
        ),
        "dinner": ("dish", "tofu-bok-choy-mushroom-stir-fry", [(NONFAT_MILK, 245, "drink")]),
        "snack": ("pattern", "snack-fruit", [("09040", 118, "fruit"), ("12061", 28, "nuts"), (WATER, 250, "drink")]),
    },
    {
        "breakfast": ("dish", "oatmeal-milk-banana-almonds", [("09040", 118, "fruit"), (WATER, 250, "drink")]),
        "lunch": ("dish", "chicken-broccoli-stir-fry-rice", [("05064", 86, "protein"), (WATER, 250, "drink")]),
        "dinner": (
            "pattern",
            "plate",
            [
                ("15237", 120, "protein"),
                ("11674", 173, "starch"),
                ("11053", 125, "vegetable"),
                ("04053", 5, "fat"),
                (WATER, 250, "drink"),
            ],
        ),
        "snack": ("pattern", "snack-yogurt", [("01117", 170, "yogurt"), ("09316", 80, "fruit")]),
    },
    {
        "breakfast": ("dish", "scrambled-eggs-toast-tomato", [(OJ, 180, "drink")]),
        "lunch": ("dish", "huevos-rancheros", [(WATER, 250, "drink")]),
        "dinner": (
            "pattern",
            "plate",
            [("05168", 100, "protein"), ("20137", 185, "starch"), ("11125", 156, "vegetable"), (WATER, 250, "drink")],
        ),
        "snack": ("pattern", "snack-fruit", [("09003", 182, "fruit"), (TEA, 240, "drink")]),
    },
]


@cache
def table() -> FoodTable:
    return load_bundled()


@cache
def library() -> DishLibrary:
    """The bundled dish library on the bundled table, read once (reading it checks all its dishes)."""
    return load_dishes(foods=table())


def target(nutrient: str, name: str, unit: str, lo: float | None, hi: float | None = None, weekly: bool = False):
    return Target(
        nutrient=nutrient,
        name=name,
        unit=unit,
        min=lo,
        max=hi,
        min_source="RDA" if lo else "",
        max_source="UL" if hi else "",
        priority=1.0,
        weekly=weekly,
        suspected=False,
    )


def targets(**changes: object) -> Targets:
    fields: dict[str, object] = dict(
        profile_id="quality-week",
        life_stage="females 31-50",
        energy_kcal=2000,
        energy_min=1000,
        energy_max=4000,
        energy_source="fixture",
        amdr={m: (0.0, 100.0) for m in MACRO_KCAL},
        items={
            "protein": target("protein", "Protein", "g", 46),
            "calcium": target("calcium", "Calcium", "mg", 1000, 2500),
            "sodium": target("sodium", "Sodium", "mg", None, 3000),
            "vitamin_b12": target("vitamin_b12", "Vitamin B12", "µg", 2.4, weekly=True),
        },
    )
    fields.update(changes)
    return Targets(**fields)


def goals() -> FoodGroupGoals:
    p = food_pattern(2000, "us", 40)
    return FoodGroupGoals(
        style=p.style,
        name=p.name,
        level_kcal=p.level_kcal,
        source=p.source,
        # the daily rows a planner aims at (as the lead's planner records them): grains as whole grains
        daily={r.id: r.amount for r in p.rows if r.per == "day" and r.id not in ("grains", "refined_grains", "oils")},
        weekly={r.id: r.amount for r in p.rows if r.per == "week"},
        sources={r.id: dict(r.sources) for r in p.rows},
    )


def drink_rules(**changes: object) -> DrinkRules:
    """The drink rules a planner records from drinks.yaml: juice 3/4 cup a day, vegetable juice and coconut water
    a cup."""
    fields: dict[str, object] = dict(cups_per_day={"juice": 0.75, "vegetable_juice": 1.0, "other": 1.0})
    fields.update(changes)
    return DrinkRules(**fields)


def meal_rules(**changes: object) -> MealRules:
    fields: dict[str, object] = dict(
        breakfast_max_per_week=2,
        snack_max_per_week=2,
        food_days_cover_dishes=True,
        drinks=drink_rules(),
        whole_units=True,
        pairings=True,
    )
    fields.update(changes)
    return MealRules(**fields)


def rules(**changes: object) -> PlanRules:
    slot = SlotRule(name="x", min_items=1, max_items=12, energy_share=(0.0, 1.0))
    fields: dict[str, object] = dict(
        diet="omnivore",
        allergies=[],
        exclude=[],
        dislikes=[],
        likes=[],
        slots=[slot.model_copy(update={"name": s}) for s in SLOTS],
        group_max_g={},
        group_min_g={},
        min_portion_servings=0.25,
        portion_step_servings=0.25,
        min_distinct_foods_per_day=1,
        max_days_per_food=2,
        protein_categories=["meat", "poultry", "seafood", "eggs", "legumes"],
        produce_categories=["vegetables", "fruits"],
        weekly_nutrients=["vitamin_b12"],
        energy_min=1000.0,
        energy_max=4000.0,
        amdr={m: (0.0, 100.0) for m in MACRO_KCAL},
        meal_rules=meal_rules(),
        food_groups=goals(),
    )
    fields.update(changes)
    return PlanRules(**fields)


def item(fid: str, grams: float, role: str, range_g: tuple[float, float] | None = None) -> PlanItem:
    row = table().foods.loc[fid]
    serving_g = float(row["serving_g"])
    return PlanItem(
        food_id=fid,
        name=str(row["name"]),
        category=str(row["category"]),
        role=role,
        grams=grams,
        servings=grams / serving_g,
        serving_name=str(row["serving_name"]),
        serving_g=serving_g,
        household=f"{grams:g} g",
        range_g=range_g,
    )


def slot(name: str, kind: str, meal_id: str, foods: list[tuple[str, float, str]]) -> SlotPlan:
    """A meal: a dish with its library ingredients (``foods`` overriding amounts, drinks added), or a pattern."""
    if kind == "dish":
        dish = library().get(meal_id)
        given = {f: g for f, g, _ in foods}
        items = [item(i.food, given.get(i.food, i.grams), i.role, (i.min, i.max)) for i in dish.ingredients]
        items += [item(f, g, r) for f, g, r in foods if r == "drink"]
        title, method = dish.name, dish.method
    else:
        items = [item(f, g, r) for f, g, r in foods]
        title, method = meal_id.replace("-", " ").capitalize(), None
    return SlotPlan(
        name=name,
        title=title,
        meal_kind=kind,
        dish_id=meal_id if kind == "dish" else None,
        pattern_id=meal_id if kind == "pattern" else None,
        method=method,
        portion=1.0 if kind == "dish" else None,
        energy_kcal=energy(items),
        items=items,
    )


def value(fid: str, column: str) -> float | None:
    v = table().foods.at[fid, column]
    return None if v != v else float(v)


def energy(items: list[PlanItem]) -> float:
    return sum((value(i.food_id, "energy") or 0.0) * i.grams / 100 for i in items)


def total(t: Targets, nut: str, items: list[PlanItem]) -> NutrientTotal:
    known = [(value(i.food_id, nut), i.grams) for i in items]
    amount = sum(v * g / 100 for v, g in known if v is not None)
    tg = t.items.get(nut)
    lo = tg.min if tg is not None and tg.min else None
    return NutrientTotal(
        nutrient=nut,
        unit=tg.unit if tg else table().units[nut],
        amount=amount,
        min=lo,
        max=tg.max if tg else None,
        pct_of_min=100 * amount / lo if lo else None,
        met=lo is None or amount >= lo * 0.999,
        unknown_items=sum(v is None for v, _ in known),
    )


def grams_of(items: list[PlanItem]) -> dict[str, float]:
    out: dict[str, float] = {}
    for i in items:
        out[i.food_id] = out.get(i.food_id, 0.0) + i.grams
    return out


def make_day(index: int, spec: dict[str, tuple[str, str, list[tuple[str, float, str]]]], t: Targets) -> DayPlan:
    slots = [slot(name, *spec[name]) for name in SLOTS if name in spec]
    items = [i for s in slots for i in s.items]
    nuts = sorted(set(t.items) | {"energy", *MACRO_KCAL})
    day_totals = {n: total(t, n, items) for n in nuts}
    kcal = day_totals["energy"].amount
    macros = {m: 100 * day_totals[m].amount * k / kcal for m, k in MACRO_KCAL.items()}
    return DayPlan(
        index=index,
        energy_kcal=kcal,
        macros_pct=macros,
        slots=slots,
        totals=day_totals,
        food_groups=totals(table(), grams_of(items)),
    )


def _shortfall(t: Targets, nut: str, scope: str, achieved: float) -> Shortfall:
    tg = t.items[nut]
    return Shortfall(
        nutrient=nut,
        name=tg.name,
        unit=tg.unit,
        scope=scope,
        target=tg.min,
        achieved=achieved,
        short_by=tg.min - achieved,
        pct_of_target=100 * achieved / tg.min,
        causes=["fixture"],
    )


def make_plan(
    days_spec=None,
    plan_rules: PlanRules | None = None,
    plan_targets: Targets | None = None,
    statuses: list[SolveStatus] | None = None,
) -> Plan:
    """The week (or another list of days): every number a planner records, computed from the table."""
    t = plan_targets or targets()
    r = plan_rules or rules()
    days = [make_day(k, spec, t) for k, spec in enumerate(days_spec or DAYS, start=1)]
    n = len(days)
    kind = "day" if n == 1 else "week"
    week = None
    if kind == "week":
        week = {}
        for nut, tot in days[0].totals.items():
            amount = sum(d.totals[nut].amount for d in days) / n
            tg = t.items.get(nut)
            lo = tg.min if tg is not None and tg.min else None
            week[nut] = tot.model_copy(
                update={
                    "amount": amount,
                    "pct_of_min": 100 * amount / lo if lo else None,
                    "met": lo is None or amount >= lo * 0.999,
                    "unknown_items": sum(d.totals[nut].unknown_items for d in days),
                }
            )
    shortfalls = []
    for nut, tg in t.items.items():
        if not tg.min:
            continue
        if nut in r.weekly_nutrients and kind == "week":
            blocks = week_blocks([d.index for d in days])
            for k, block in enumerate(blocks, start=1):
                amount = sum(days[i - 1].totals[nut].amount for i in block) / len(block)
                scope = "week average" if len(blocks) == 1 else f"week {k} average"
                if amount < tg.min * 0.999:
                    shortfalls.append(_shortfall(t, nut, scope, amount))
        else:
            shortfalls += [
                _shortfall(t, nut, f"day {d.index}", d.totals[nut].amount)
                for d in days
                if d.totals[nut].amount < tg.min * 0.999
            ]
    quality = []
    blocks = week_blocks([d.index for d in days])
    for k, block in enumerate(blocks, start=1):
        scope = f"day {block[0]}" if kind == "day" else ("week" if len(blocks) == 1 else f"week {k}")
        score = hei2020_of_foods(table(), grams_of([i for d in block for s in days[d - 1].slots for i in s.items]))
        quality.append(
            DietQuality(
                scope=scope,
                total=score.total,
                components={c.id: c.points for c in score.components},
                max_points={c.id: c.max_points for c in score.components},
            )
        )
    groups = {c: sum(d.food_groups[c] for d in days) / n for c in days[0].food_groups}
    statuses = statuses or [SolveStatus.OPTIMAL] * n
    solve_days = [
        DaySolve(day=d.index, status=s, gap=0.0, seconds=1.0, attempt="week")
        for d, s in zip(days, statuses, strict=True)
    ]
    status = SolveStatus.TIME_LIMIT if SolveStatus.TIME_LIMIT in statuses else SolveStatus.OPTIMAL
    return Plan(
        kind=kind,
        profile_id="quality-week",
        created_with="tests",
        disclaimer="For education only.",
        red_flags=[],
        triage=None,
        targets=t,
        rules=r,
        days=days,
        week_totals=week,
        shortfalls=shortfalls,
        solve=SolveInfo(
            solver="highs",
            status=status,
            gap=0.0,
            objective=1.0,
            build_seconds=0.1,
            solve_seconds=1.0,
            total_seconds=1.1,
            variables=100,
            constraints=100,
            days=solve_days,
        ),
        food_sources=[SR24_SOURCE],
        week_food_groups=groups if kind == "week" else None,
        diet_quality=quality,
    )


def with_meal(plan_days, day: int, meal: str, spec: tuple[str, str, list[tuple[str, float, str]]]):
    """The days spec with one meal replaced (day counts from 1)."""
    out = [dict(d) for d in plan_days]
    out[day - 1][meal] = spec
    return out


def report(plan: Plan) -> VerificationReport:
    """The verification of ``plan`` against the bundled table (after a JSON round trip: what a file says)."""
    return verify_plan(Plan.model_validate_json(plan.model_dump_json()), table())


def found(plan: Plan, check: str | None = None) -> list[tuple[str, str, str]]:
    """The problems of ``plan`` (of one check), as ``(check, where, message)``."""
    return [(p.check, p.where, p.message) for p in report(plan).problems if check is None or p.check == check]
