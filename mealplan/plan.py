"""Result models: the Plan a day or week solve returns, and its JSON schema (stable, versioned).

JSON layout (``Plan.model_dump_json``), schema version 2.0::

    {schema_version, kind: "day"|"week", profile_id, created_with, disclaimer,
     red_flags: [{id, message, advice}], triage: TriageResult | null, targets: Targets,
     rules: PlanRules,
     days: [{index, energy_kcal, macros_pct: {protein, fat, carbohydrate},
             slots: [{name, title, meal_kind: "dish"|"pattern"|"foods", dish_id, pattern_id,
                      method, portion, leftover_of, energy_kcal,
                      items: [{food_id, name, category, role, grams, servings, serving_name,
                               serving_g, household, range_g}]}],
             totals: {nutrient: NutrientTotal}}],

Version 2.0 made meals speak dishes: each slot is one named dish (``meal_kind`` "dish", with
``dish_id``, ``method`` and ``portion``, its items the ingredients with their ``range_g``) or a meal
pattern filled from the food table (``meal_kind`` "pattern", ``pattern_id``, a generated ``title``);
an item with ``role`` "drink" is the meal's drink. ``rules.meal_rules`` records the rules that make a
meal read right.

Migration from 1.x (1.0 and 1.1 plans still load and verify): every 2.0 field has a default, so a 1.x
plan reads as 2.0 with ``meal_kind`` "foods" (a list of foods, no dish), ``title`` made from its
items' names, ``role`` "" and ``rules.meal_rules`` null (the meal-rule checks are skipped). Version
1.1 had added ``rules.met_tolerance`` and ``rules.max_protein_items_per_meal``; a 1.0 plan reads
with their defaults.

Version 2.1 (additive: a 2.0 plan reads with every new rule off) records the rules of a week a
dietitian signs: ``rules.meal_rules`` gains breakfast and snack limits a week, dish ingredients in the
days-per-food count, drinks (``drinks``: water by default, milk drinks a day, cups of juice, a drink's
share of its meal, hot drinks by habit), counted foods in whole units and pattern pairings;
``rules.food_groups`` the person's USDA Food Pattern; each day its ``food_groups`` totals;
``diet_quality`` the HEI-2020 of each week (or the day); ``solve.days`` each day's status and gap.
     week_totals: {nutrient: NutrientTotal} | null,   # daily average over the week
     shortfalls: [Shortfall], solve: SolveInfo, food_sources: [str], cost: float | null}
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mealplan.errors import InputError
from mealplan.food_data.dishes import MAIN_MEAL_ROLES
from mealplan.food_data.safety import SafetyRule
from mealplan.status import SolveStatus
from mealplan.targets.model import Targets
from mealplan.targets.profile import Requirement
from mealplan.triage import RedFlag, TriageResult

SCHEMA_VERSION = "2.1"
# A plan has 1 to MAX_DAYS days. Its weekly rules (a dish at most so many times a week, a food on at
# most so many days, the weekly average of vitamin D and B12) hold in each block of WEEK_DAYS days:
# days 1-7, 8-14, ...; a last block may be shorter.
WEEK_DAYS = 7
MAX_DAYS = 28


def week_blocks(indexes: list[int]) -> list[list[int]]:
    """A plan's day indexes in weeks, by position: ``[1..7], [8..14], ...`` (or ``[0..6], ...``)."""
    ordered = sorted(indexes)
    return [ordered[i : i + WEEK_DAYS] for i in range(0, len(ordered), WEEK_DAYS)]


def week_scope(week: int, weeks: int) -> str:
    """The scope name of a weekly nutrient's total: "week average", or "week 2 average" in a longer plan."""
    return "week average" if weeks == 1 else f"week {week} average"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanItem(_Model):
    """One food in one meal: a dish's ingredient, a pattern's food or the meal's drink."""

    food_id: str
    name: str
    category: str
    role: str = Field("", description='"protein", "starch", "vegetable", ... or "drink"; "" in 1.x plans')
    grams: float
    servings: float = Field(description="number of default servings")
    serving_name: str = Field(description='household measure of one serving, e.g. "1 medium"')
    serving_g: float
    household: str = Field(description='portion in words, e.g. "1½ × 1 medium (177 g)"')
    cost: float | None = None
    range_g: tuple[float, float] | None = Field(None, description="a dish ingredient's allowed grams")


class SlotPlan(_Model):
    """One meal of a day: a named dish or a filled meal pattern, and its items."""

    name: str
    title: str = Field("", description='what the meal is called: "Lentil dal with brown rice"')
    meal_kind: Literal["dish", "pattern", "foods"] = "foods"
    dish_id: str | None = None
    pattern_id: str | None = None
    method: str | None = Field(None, description="a dish's one-line method")
    portion: float | None = Field(None, description="a dish's grams relative to its default portion")
    leftover_of: int | None = Field(None, description="the day whose dinner this meal is the leftover of")
    energy_kcal: float
    items: list[PlanItem]

    @model_validator(mode="before")
    @classmethod
    def _title_from_items(cls, data: object) -> object:
        # Schema 1.x plans have no title: name the meal by its foods (migration, see the module doc).
        if isinstance(data, dict) and not data.get("title") and data.get("items"):
            names = [str(i.get("name", "")).split(",")[0] for i in data["items"] if isinstance(i, dict)]
            return {**data, "title": ", ".join(dict.fromkeys(n for n in names if n))}
        return data


class NutrientTotal(_Model):
    """A nutrient's total for a day (or the week's daily average) against its target."""

    nutrient: str
    unit: str
    amount: float
    min: float | None = None
    max: float | None = None
    pct_of_min: float | None = None
    met: bool = True
    unknown_items: int = Field(0, description="items whose food has no value for this nutrient (counted 0)")


class DayPlan(_Model):
    """One day: slots with items, totals for every targeted nutrient and the day's food groups."""

    index: int
    energy_kcal: float
    macros_pct: dict[str, float]
    slots: list[SlotPlan]
    totals: dict[str, NutrientTotal]
    food_groups: dict[str, float] = Field(
        {}, description="food-pattern equivalents of the day (cup-eq, oz-eq, tsp-eq; food_data.food_groups)"
    )


class FoodSuggestion(_Model):
    """A food that would help close a shortfall, and the rule that keeps it out."""

    food_id: str
    name: str
    per_serving: float
    blocked_by: str


class Shortfall(_Model):
    """A target the plan does not reach, with why and what would close it."""

    nutrient: str
    name: str
    unit: str
    scope: str = Field(description='"day 3" or "week average"')
    target: float
    achieved: float
    short_by: float
    pct_of_target: float
    causes: list[str]
    would_close: list[FoodSuggestion] = []


class DaySolve(_Model):
    """How one day was solved: its status, gap and seconds, and the attempt that gave it."""

    day: int
    status: SolveStatus
    gap: float | None = None
    seconds: float
    attempt: str = Field(
        description='"week" (as the week allows), "no leftover", "wider" (more dishes and foods, the week\'s '
        'variety kept), "variety relaxed", "wider, variety relaxed" or "rescue" (the first plan that holds the '
        "rules, of the last attempt that ran out of time)"
    )


class SolveInfo(_Model):
    """How the plan was solved."""

    solver: str
    status: SolveStatus
    gap: float | None = None
    objective: float | None = None
    build_seconds: float
    solve_seconds: float
    total_seconds: float
    variables: int
    constraints: int
    candidates: int = 0
    notes: list[str] = []
    days: list[DaySolve] = Field([], description="each day's solve (empty in plans before schema 2.1)")


class SlotRule(_Model):
    """Structure rules of one meal slot."""

    name: str
    min_items: int
    max_items: int
    energy_share: tuple[float, float]
    needs_protein: bool = False
    needs_produce: bool = False
    needs_one_of: list[str] = Field([], description="at least one item from these categories")


class DrinkRules(_Model):
    """Drinks as people drink (schema 2.1): water by default, milk drinks and juice in measure."""

    water_default: bool = Field(True, description="a meal without another drink has a glass of water")
    water_g: float = Field(250.0, ge=0, description="the glass of water, in grams")
    with_meals: bool = Field(True, description="False: no drink at a meal (fluids apart from meals)")
    milk_drinks_per_day: int = Field(1, ge=0, description="milk or fortified plant-milk drinks a day, at most")
    drinks_per_day: int | None = Field(None, ge=0, description="drinks other than water a day, at most")
    no_milk_drink_beside_milk_meal: bool = Field(
        True, description="no milk drink beside a dish built on milk, yogurt or a smoothie, or a meal with milk"
    )
    cups_per_day: dict[str, float] = Field({}, description="drink kind -> cups a day at most (juice 0.75)")
    poured_max_g: float | None = Field(
        None,
        ge=0,
        description="milk, plant milk and juice in every form (drinks, cereal, smoothies), grams a day "
        "together at most (drinks.yaml's poured foods); None in plans made before the rule",
    )
    energy_share_max: float = Field(1 / 3, gt=0, le=1, description="a drink's share of its meal's energy, at most")
    hot_drinks: list[str] | None = Field(
        None, description="coffee and tea kinds the person drinks (the profile's habit); None: any, [] none"
    )


class FoodGroupGoals(_Model):
    """The person's USDA Food Pattern (schema 2.1): what the week aims at, as goals with weights."""

    style: str
    name: str
    level_kcal: int
    source: str
    daily: dict[str, float] = Field(description="pattern row -> amount a day (cup-eq or oz-eq)")
    weekly: dict[str, float] = Field({}, description="subgroup row -> amount a week")
    sources: dict[str, dict[str, float]] = Field(description="pattern row -> food-group component -> factor")
    whole_grain_share: float = Field(0.5, description="whole grains, at least this share of grains")
    whole_fruit_share: float = Field(0.5, description="whole fruit, at least this share of fruit")
    refined_grains_max: float | None = Field(None, description="refined grains a day, at most (a soft maximum)")
    added_sugars_pct_max: float = Field(10.0, description="added sugars, at most this % of energy")
    saturated_fat_pct_max: float = Field(10.0, description="saturated fat, at most this % of energy")


class DietQuality(_Model):
    """The Healthy Eating Index 2020 of a week (or a day plan), from the food-group totals."""

    scope: str = Field(description='"week", "week 2" or "day 1"')
    total: float = Field(description="0-100")
    components: dict[str, float] = Field(description="HEI component -> points")
    max_points: dict[str, float]


class MealRules(_Model):
    """The rules that make a meal read right (schema 2.0), enforced by the model and the verifier."""

    no_salt_items: bool = Field(True, description="table salt is never a line item (sodium stays a target)")
    drink_max_g: float = Field(480.0, description="a drink is at most 2 cups a meal")
    hot_drink_slots: list[str] = Field(["breakfast", "snack"], description="coffee and tea only at these meals")
    condiment_max_g: float = Field(40.0, description="a condiment or sweet spread outside a dish, at most")
    condiments_need_carrier: bool = Field(
        True, description="condiments and spreads only in a dish or on bread/crackers"
    )
    cereal_needs_milk: bool = Field(
        True, description="ready-to-eat cereal comes with milk, a milk alternative or yogurt"
    )
    max_plain_legumes_per_meal: int = Field(1, description="legume foods outside a dish, per meal")
    produce_max_g: float = Field(300.0, description="a vegetable or fruit item, at most")
    nut_butter_max_g: float = Field(32.0, description="nut butter in a meal (2 tbsp)")
    nuts_max_g: float = Field(57.0, description="nuts and seeds in a meal (2 oz)")
    whole_eggs_only: bool = True
    main_meal_parts: list[str] = Field(
        list(MAIN_MEAL_ROLES), description="what every lunch and dinner has (roles; food_data.dishes.MAIN_MEAL_ROLES)"
    )
    dish_max_per_week: int = Field(
        2,
        ge=1,
        description="a lunch or dinner dish cooked at most this many times a week (a leftover is the same cooking)",
    )
    breakfast_max_per_week: int | None = Field(
        None,
        ge=1,
        description="the same breakfast (dish or meal pattern) on at most this many days a week; None: no rule",
    )
    snack_max_per_week: int | None = Field(
        None, ge=1, description="the same snack (dish or meal pattern) at most this many times a week"
    )
    food_days_cover_dishes: bool = Field(
        False,
        description="max_days_per_food counts dish ingredients and drinks too, by short name (raw and cooked "
        "spinach are one food), everyday foods and water excepted (food_data/data/everyday_foods.yaml); "
        "False: pattern foods only, by id (plans before 2.1)",
    )
    drinks: DrinkRules | None = Field(None, description="drinks as people drink (None: plans before 2.1)")
    whole_units: bool = Field(
        False, description="counted foods in whole units or halves (food_data/data/counted_foods.csv)"
    )
    pairings: bool = Field(False, description="pattern meals combine only parts that go together (pairings.yaml)")
    no_main_dish_two_days_running: bool = Field(
        True, description="a lunch or dinner dish is not chosen again the next day (a leftover lunch aside)"
    )
    no_light_dish_two_days_running: bool = Field(
        False,
        description="a breakfast or snack dish is not served at breakfast or a snack again the next day "
        "(False: plans before this rule)",
    )

    def most_per_week(self, kind: str) -> int | None:
        """How many times a week the same meal of ``kind`` may come ("lunch" and "dinner": a dish's
        cookings, counted together), None for no limit."""
        return {"breakfast": self.breakfast_max_per_week, "snack": self.snack_max_per_week}.get(
            kind, self.dish_max_per_week if kind in ("lunch", "dinner") else None
        )


class PlanRules(_Model):
    """Every rule the plan was built under, recorded so verification can check them independently."""

    diet: str
    allergies: list[str]
    exclude: list[str]
    forbid: list[str] = Field([], description="food ids, name patterns or dish ids never served (hard)")
    require: list[Requirement] = Field([], description="foods or dishes the plan must serve (hard)")
    dislikes: list[str]
    likes: list[str]
    slots: list[SlotRule]
    group_max_g: dict[str, float]
    group_min_g: dict[str, float]
    min_portion_servings: float
    portion_step_servings: float
    min_distinct_foods_per_day: int
    max_days_per_food: int
    protein_categories: list[str]
    produce_categories: list[str]
    side_categories: list[str] = Field(
        [],
        description="accompaniments (oils, condiments, drinks): not counted toward min_items or distinct foods",
    )
    one_per_family: bool = Field(
        True, description="at most one food a day per family (the name's first part: 'Soymilk', 'Coffee')"
    )
    weekly_nutrients: list[str]
    energy_min: float
    energy_max: float
    amdr: dict[str, tuple[float, float]]
    amdr_overrides: dict[str, str] = Field(
        {}, description="macros whose range is not the AMDR, and why (a diet pattern, the dietitian's range)"
    )
    budget: float | None = None
    objective: Literal["shortfall", "cost"] = "shortfall"
    max_protein_items_per_meal: int | None = Field(
        None, ge=1, description="at most this many protein foods (protein_categories) in one meal; None: no limit"
    )
    meal_rules: MealRules | None = Field(None, description="schema 2.0 meal rules; None in 1.x plans")
    food_groups: FoodGroupGoals | None = Field(None, description="the USDA Food Pattern aimed at (None before 2.1)")
    variety_relaxed_days: list[int] = Field(
        [], description="days whose dishes and foods could not keep the week's variety rules (see solve.notes)"
    )
    safety: list[SafetyRule] = Field(
        [], description="foods the life stage keeps out (pregnancy, breastfeeding), from food_data/data/safety.yaml"
    )
    met_tolerance: float = Field(
        0.001,
        ge=0,
        lt=0.05,
        description="a minimum counts as met within this fraction of it (the solver's optimality tolerance)",
    )


# The rules a person's safety rests on: recorded as the plan was made (``Plan.planned_rules``).
HARD_RULES: tuple[str, ...] = ("diet", "allergies", "exclude", "forbid", "require", "safety")


class PlannedRules(_Model):
    """The person's hard rules as the plan was made (diet, allergies, exclude, forbid, require, safety).

    ``rules`` may be edited in the JSON; these are compared with it, so a rule loosened by hand (a vegan
    plan's ``diet`` set to omnivore to let milk in) is found by ``rescore`` and ``verify``, not laundered.
    A rule made stricter (a food forbidden on the web page) is fine.
    """

    diet: str
    allergies: list[str] = []
    exclude: list[str] = []
    forbid: list[str] = []
    require: list[Requirement] = []
    safety: list[SafetyRule] = []


class PlanEdit(_Model):
    """A change a person made to a plan after it was solved (``mealplan edit``, ``rescore``, ``replan``).

    ``verify`` trusts an item an edit names (its amount may be off the portion grid or a dish's
    range) and still checks every hard rule; a change no edit records is tampering.
    """

    action: Literal["set", "add", "remove", "replan", "hand"] = Field(
        description='"set", "add", "remove" an item; "replan" a day or meal; "hand" an item changed in the JSON'
    )
    day: int
    slot: str | None = None
    food_id: str | None = None
    grams_before: float | None = None
    grams_after: float | None = None
    note: str = ""
    at: str = Field("", description="when (UTC, ISO 8601)")


class MealRef(_Model):
    """One meal of a plan: day ``day``'s slot ``slot``."""

    day: int
    slot: str


class UlPeak(_Model):
    """The plan's highest intake against an upper limit that applies to food (optimizer.upper_limits)."""

    nutrient: str
    name: str
    unit: str
    day: int
    amount: float
    ul: float
    pct_of_ul: float


class Plan(_Model):
    """A day or week meal plan with totals, shortfalls and solve information."""

    schema_version: str = SCHEMA_VERSION
    kind: Literal["day", "week"]
    profile_id: str
    created_with: str
    disclaimer: str
    red_flags: list[RedFlag]
    triage: TriageResult | None
    targets: Targets
    rules: PlanRules
    days: list[DayPlan]
    week_totals: dict[str, NutrientTotal] | None = None
    shortfalls: list[Shortfall]
    solve: SolveInfo
    food_sources: list[str]
    cost: float | None = None
    parent_id: str | None = Field(
        None, description="the plan this one was made from: a stored plan id ('12') or 'sha256:...' of a file"
    )
    edits: list[PlanEdit] = Field([], description="changes made after solving, oldest first")
    highest_ul: UlPeak | None = Field(None, description="the day and nutrient nearest its food UL (None: no UL)")
    locked: list[MealRef] = Field([], description="meals a re-plan keeps as they are (mealplan lock)")
    start_date: date | None = Field(None, description="the calendar date of the first day, when planned for dates")
    week_food_groups: dict[str, float] | None = Field(None, description="the food groups' daily average over the week")
    diet_quality: list[DietQuality] = Field([], description="HEI-2020 of each week (or of the day plan)")
    planned_rules: PlannedRules | None = Field(
        None,
        description="the person's hard rules as the plan was made; a plan read without them records its rules now",
    )

    @model_validator(mode="before")
    @classmethod
    def _record_planned_rules(cls, data: object) -> object:
        # A new plan (and a plan saved before this field) records its hard rules as they are now.
        if isinstance(data, dict) and data.get("planned_rules") is None and data.get("rules") is not None:
            rules = data["rules"]
            get = rules.get if isinstance(rules, dict) else lambda k: getattr(rules, k, None)
            snapshot = {k: get(k) for k in HARD_RULES if get(k) is not None}
            if "diet" in snapshot:
                return {**data, "planned_rules": snapshot}
        return data


def day_index(plan: Plan, day: int) -> int:
    """Where day ``day`` is in ``plan.days``.

    Raises:
        InputError: the plan has no such day (the message gives its days).
    """
    indices = [d.index for d in plan.days]
    if day not in indices:
        raise InputError(f"--day {day}: the plan has days {indices[0]} to {indices[-1]}.")
    return indices.index(day)


def slot_index(plan: Plan, day: int, meal: str) -> int:
    """Where meal ``meal`` is in day ``day``'s slots.

    Raises:
        InputError: the day has no such meal (the message lists its meals).
    """
    names = [s.name for s in plan.days[day_index(plan, day)].slots]
    if meal not in names:
        raise InputError(f"--meal {meal!r}: day {day} has the meals {', '.join(names)}.")
    return names.index(meal)


def loosened_rules(plan: Plan) -> list[str]:
    """How the plan's hard rules are looser now than when it was made (empty when they are not).

    A diet that allows more, an allergy, exclusion, forbidden food, requirement or safety rule gone:
    each one line naming the rule, what it was and what it is.
    """
    from mealplan.food_data.vocab import DIET_LEVEL

    was, now = plan.planned_rules, plan.rules
    if was is None:
        return []
    out = []
    if DIET_LEVEL.get(now.diet, len(DIET_LEVEL)) > DIET_LEVEL.get(was.diet, len(DIET_LEVEL)):
        out.append(f"rules.diet is {now.diet!r}, but the plan was made for a {was.diet} diet")
    for field in ("allergies", "exclude", "forbid"):
        gone = [v for v in getattr(was, field) if v not in getattr(now, field)]
        if gone:
            out.append(f"rules.{field} no longer has {', '.join(map(repr, gone))}, which the plan was made with")
    gone_req = [r for r in was.require if r not in now.require]
    if gone_req:
        out.append(f"rules.require no longer has {len(gone_req)} requirement(s) the plan was made with")
    gone_safety = [r for r in was.safety if r not in now.safety]
    if gone_safety:
        out.append(f"rules.safety no longer has {len(gone_safety)} life-stage rule(s) the plan was made with")
    return out
