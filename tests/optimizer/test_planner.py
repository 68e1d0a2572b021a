"""make_plan: days and weeks on the tiny table and on the real bundled table.

Every plan made here passes the independent verifier. Plans on the bundled table are made once per
module (fixtures) to keep the suite fast; only two week plans are made.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mealplan.errors import ConfigError, ConflictError, InputError
from mealplan.food_data.everyday import everyday_ids
from mealplan.food_data.names import short_name
from mealplan.food_data.table import SR24_SOURCE
from mealplan.food_data.vocab import split_tags
from mealplan.optimizer import day as day_module
from mealplan.optimizer.planner import make_plan
from mealplan.optimizer.prices import read_prices
from mealplan.optimizer.solve import SolveOutcome
from mealplan.plan import Plan, SolveStatus
from mealplan.targets.profile_files import load_profile, profile_from_dict
from mealplan.triage import TriageInput, run_triage
from mealplan.verify.verifier import verify_plan
from tests.optimizer.conftest import tiny_table

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
PROFILES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
KEY = ("magnesium", "calcium", "potassium", "vitamin_b12")


def verified(plan: Plan, foods) -> Plan:
    report = verify_plan(plan, foods)
    assert report.problems == []
    return plan


def items(plan: Plan):
    return [(d, s, i) for d in plan.days for s in d.slots for i in s.items]


def comparable(plan: Plan) -> dict:
    """A plan without its timings."""
    return plan.model_dump(include={"days", "shortfalls", "week_totals", "targets", "rules", "cost"})


def tiny_profile(**fields):
    base = {"id": "tiny", "age": 30, "sex": "female", "energy_kcal": 1600, "meals": ["breakfast", "lunch", "dinner"]}
    return profile_from_dict({**base, **fields})


# --- the tiny table -----------------------------------------------------------------------------------


def test_tiny_day_plan():
    table = tiny_table()
    plan = verified(make_plan(tiny_profile(), table), table)
    assert plan.kind == "day" and plan.week_totals is None and len(plan.days) == 1
    assert plan.solve.status == SolveStatus.OPTIMAL
    # The MILP runs on the foods the LP relaxation uses, a subset of the table.
    assert plan.solve.solver == "highs" and 0 < plan.solve.candidates <= len(table)
    assert plan.food_sources == [SR24_SOURCE]
    # Every target nutrient the tiny table has no column for is short in full and explained.
    short = {s.nutrient: s for s in plan.shortfalls}
    assert short["vitamin_d"].achieved == 0.0 and short["vitamin_d"].pct_of_target == 0.0
    assert "calcium" not in short and "magnesium" not in short and "potassium" not in short
    assert all(s.causes for s in plan.shortfalls)
    assert plan.cost == pytest.approx(sum(i.cost for _, _, i in items(plan)))


def test_tiny_vegan_day_by_hand():
    table = tiny_table()
    plan = verified(make_plan(tiny_profile(diet="vegan"), table), table)
    day = plan.days[0]
    mains = {s.name: {i.food_id for i in s.items} & {"t_lentil", "t_tofu"} for s in day.slots}
    assert sorted(map(sorted, (mains["lunch"], mains["dinner"]))) == [["t_lentil"], ["t_tofu"]]
    b12 = next(s for s in plan.shortfalls if s.nutrient == "vitamin_b12")
    assert b12.achieved == 0.0 and b12.short_by == b12.target
    assert [f.food_id for f in b12.would_close][0] == "t_salmon"


@pytest.mark.solve
def test_tiny_week_plan_rules():
    table = tiny_table()
    plan = verified(make_plan(tiny_profile(), table, days=3), table)
    assert plan.kind == "week" and len(plan.days) == 3 and plan.week_totals is not None
    per_food = Counter(
        f
        for d in plan.days
        for f in {i.food_id for s in d.slots if s.meal_kind == "pattern" for i in s.items if i.role != "drink"}
    )
    assert max(per_food.values()) <= 3
    # A main meal's protein food is not a main meal's protein food the next day.
    proteins = [
        {
            i.food_id
            for s in d.slots
            if s.name in ("lunch", "dinner")
            for i in s.items
            if i.category in plan.rules.protein_categories
        }
        for d in plan.days
    ]
    assert all(not (a & b) for a, b in zip(proteins, proteins[1:], strict=False))
    # Weekly nutrients are judged on the week's average.
    assert {s.scope for s in plan.shortfalls if s.nutrient in ("vitamin_d", "vitamin_b12")} == {"week average"}


@pytest.mark.solve
def test_tiny_week_runs_out_of_foods():
    """Fifteen foods, each on one day only: day 2 cannot keep the variety rules, so it repeats foods
    and the plan says so (its rules name the day, its notes why); it still verifies."""
    table = tiny_table()
    plan = verified(make_plan(tiny_profile(), table, days=2, max_days_per_food=1), table)
    assert plan.rules.variety_relaxed_days == [2]
    assert any(n.startswith("day 2: dishes or foods repeat") for n in plan.solve.notes)


@pytest.mark.solve
def test_a_day_whose_attempts_all_run_out_of_time_is_rescued_by_the_next_when_one_rescue_fails(monkeypatch):
    """Every attempt stops without a plan; on day 2 (two attempts: the week, variety relaxed) the first
    rescue finds none either, and the next attempt's rescue gives the day."""
    table = tiny_table()
    real, rescues = day_module.solve, []

    def flaky(prob, **kw):
        if kw.get("relax"):  # the relaxation's start and the polish
            return real(prob, **kw)
        if kw.get("start") is not None:  # an attempt: out of time without a plan
            return SolveOutcome(SolveStatus.NOT_SOLVED, "highs", 0.01)
        rescues.append(prob.name)
        if rescues.count("mealplan_day2") == 1:
            return SolveOutcome(SolveStatus.NOT_SOLVED, "highs", 0.01)
        return real(prob, **kw)

    monkeypatch.setattr(day_module, "solve", flaky)
    plan = make_plan(tiny_profile(), table, days=2)
    assert rescues == ["mealplan_day1", "mealplan_day2", "mealplan_day2"]
    assert [d.attempt for d in plan.solve.days] == ["rescue", "rescue"]
    assert verify_plan(plan, table).ok


@pytest.mark.parametrize("meals", [["dinner"], ["breakfast", "snack"]])
def test_one_or_two_small_meals_a_day(meals):
    """A day of one or two meals gets a plan: its meals may take larger portions (the tiny table's foods
    reach about 1,000 kcal in one plate, so the energy asked is modest)."""
    table = tiny_table(**{f: {"slots": "breakfast;lunch;dinner;snack"} for f in tiny_table().foods.index})
    plan = verified(make_plan(tiny_profile(meals=meals, energy_kcal=950), table), table)
    assert [s.name for s in plan.days[0].slots] == meals


def test_a_vanishing_minimum_gives_a_verified_plan():
    """A minimum of 1e-308 mg: no overflowing weight in the model, no infinite percentage in the plan."""
    table = tiny_table()
    plan = verified(make_plan(tiny_profile(nutrients={"magnesium": {"min": 1e-308}}), table), table)
    total = plan.days[0].totals["magnesium"]
    assert total.met and total.amount > 0 and total.pct_of_min is None


def test_budget_too_low_is_a_conflict_naming_the_budget():
    with pytest.raises(ConflictError) as info:
        make_plan(tiny_profile(budget=0.5), tiny_table())
    err = info.value
    assert err.exit_code == 3
    assert err.problems == ["cost at most 0.5 a day (budget)"]
    assert str(err).startswith("No plan for day 1 can satisfy every hard rule.")
    assert "  - cost at most 0.5 a day (budget)" in str(err)


def test_energy_cap_below_the_minimum_items_is_a_conflict():
    profile = tiny_profile(nutrients={"energy": {"min": 100, "max": 150}})
    with pytest.raises(ConflictError) as info:
        make_plan(profile, tiny_table())
    problems = info.value.problems
    assert problems
    assert all(p in str(info.value) for p in problems)
    # The rules named are the energy cap or the ones that force items in.
    assert all("energy" in p or "AMDR" in p or "has its" in p or "one dish or one meal pattern" in p for p in problems)


def test_time_limit_is_shared_by_the_days(monkeypatch):
    """Each day of a week gets its share of the plan's solver seconds (at least one)."""
    real = day_module.solve
    limits: list[float] = []

    def recording(prob, **kwargs):
        if not kwargs.get("relax"):  # the polish LP after each day's MILP has its own small limit
            limits.append(kwargs["time_limit"])
        return real(prob, **kwargs)

    monkeypatch.setattr(day_module, "solve", recording)
    table = tiny_table()
    verified(make_plan(tiny_profile(), table, days=2, time_limit=8.0), table)
    # Day 1 gets its share (less the seconds its relaxation took); day 2 what the week has left.
    assert len(limits) == 2 and 3.5 < limits[0] <= 4.0 and 4.0 < limits[1] <= 8.0


def test_write_model_for_the_first_day(tmp_path):
    table = tiny_table()
    path = tmp_path / "day.lp"
    plan = verified(make_plan(tiny_profile(), table, model_path=path), table)
    text = path.read_text()
    assert text.startswith("\\* mealplan_day1 *\\")
    slot = plan.days[0].slots[0]
    chosen = f"dish_{slot.dish_id}_{slot.name}" if slot.dish_id else f"pattern_{slot.pattern_id}_{slot.name}"
    assert chosen.replace("-", "_") in text  # the model that was solved


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0}, "days 0: plan 1 to 28 days."),
        ({"days": 29}, "days 29: plan 1 to 28 days."),
        ({"objective": "weight"}, "objective 'weight': allowed values are shortfall and cost."),
        ({"solver": "glpk"}, "solver 'glpk' is not known; allowed: highs, cbc."),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(InputError) as info:
        make_plan(tiny_profile(), tiny_table(), **kwargs)
    assert str(info.value) == message
    assert info.value.exit_code == 2


def test_cost_objective_needs_prices():
    table = tiny_table(**{f: {"price": float("nan")} for f in tiny_table().foods.index})
    with pytest.raises(ConfigError) as info:
        make_plan(tiny_profile(), table, objective="cost")
    assert str(info.value) == (
        "objective cost needs prices: give the profile a `prices` table or a food table with a price column."
    )


def test_read_prices(tmp_path):
    good = tmp_path / "prices.csv"
    good.write_text("id,price\n1077,0.12\nt_oat,0.5\n")
    assert read_prices(good) == {"01077": 0.12, "t_oat": 0.5}
    bad = tmp_path / "bad.csv"
    bad.write_text("id,price\n01077,-1\n01078,cheap\n01079,0.3\n")
    with pytest.raises(ConfigError) as info:
        read_prices(bad)
    assert info.value.problems == [
        f"{bad}, row 2, column price: '-1' is not a price >= 0",
        f"{bad}, row 3, column price: 'cheap' is not a price >= 0",
    ]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("food,cost\n01077,1\n")
    with pytest.raises(ConfigError, match="a price table needs the columns id and price"):
        read_prices(wrong)


# --- the bundled table: example profiles ------------------------------------------------------------


@pytest.fixture(scope="module")
def day_plans(bundled) -> dict[str, tuple[object, Plan]]:
    out = {}
    for name in PROFILES:
        profile = load_profile(EXAMPLES / f"{name}.yaml")
        out[name] = (profile, make_plan(profile, bundled))
    return out


@pytest.mark.solve
@pytest.mark.parametrize("name", PROFILES)
def test_example_day_plan_verifies(day_plans, bundled, name):
    profile, plan = day_plans[name]
    verified(plan, bundled)
    assert plan.profile_id == profile.id and plan.kind == "day"
    assert plan.solve.status in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)
    assert [s.name for s in plan.days[0].slots] == list(profile.meals)
    assert plan.disclaimer.startswith("For education only.")
    assert all(s.causes for s in plan.shortfalls)


@pytest.mark.solve
@pytest.mark.parametrize("name", PROFILES)
def test_allergens_never_get_in(day_plans, bundled, name):
    profile, plan = day_plans[name]
    table = bundled.foods
    for _, _, item in items(plan):
        assert not set(profile.allergies) & set(split_tags(table.at[item.food_id, "allergens"])), item.name


@pytest.mark.solve
def test_lactose_intolerant_pescatarian_has_no_milk_and_no_meat(day_plans, bundled):
    profile, plan = day_plans["pescatarian_lactose"]
    assert profile.allergies == ["milk"]
    for _, _, item in items(plan):
        assert "milk" not in split_tags(bundled.foods.at[item.food_id, "allergens"])
        assert bundled.foods.at[item.food_id, "diet"] != "omnivore"


@pytest.mark.solve
@pytest.mark.parametrize("name", [n for n in PROFILES if n != "vegan_twitching"])
def test_key_nutrients_met_for_non_vegan_examples(day_plans, name):
    profile, plan = day_plans[name]
    assert profile.diet in ("omnivore", "vegetarian", "pescatarian")
    totals = plan.days[0].totals
    # Kidney disease: magnesium is never pushed, and under the renal team's potassium, phosphorus and
    # protein limits it may fall short; the shortfall is then explained.
    kidney = profile.conditions is not None and profile.conditions.ckd is not None
    key = [n for n in KEY if not (n == "magnesium" and kidney)]
    assert {n: totals[n].met for n in key} == dict.fromkeys(key, True)
    if len(key) < len(KEY) and not totals["magnesium"].met:
        assert any(s.nutrient == "magnesium" and s.causes for s in plan.shortfalls)


@pytest.mark.solve
def test_vegan_shortfalls_are_explained(day_plans):
    _, plan = day_plans["vegan_twitching"]
    assert all(s.causes and s.short_by > 0 for s in plan.shortfalls)


@pytest.mark.solve
def test_triage_from_the_profile_raises_priorities(day_plans):
    _, plan = day_plans["vegan_twitching"]
    assert plan.triage is not None
    suspected = {s.nutrient for s in plan.triage.suspected}
    assert "vitamin_b12" in suspected
    b12 = plan.targets.items["vitamin_b12"]
    assert b12.suspected and b12.priority > 1.0


@pytest.mark.solve
def test_inline_triage_raises_a_suspected_nutrients_priority(bundled):
    profile = profile_from_dict({"id": "plain", "age": 40, "sex": "male"})
    plain = verified(make_plan(profile, bundled), bundled)
    result = run_triage(TriageInput(symptoms=["muscle-cramps"], factors=["diuretics"], age=40, sex="male"))
    suspected = [s.nutrient for s in result.suspected]
    assert suspected
    plan = verified(make_plan(profile, bundled, triage=result), bundled)
    assert plan.triage == result
    for nut in suspected:
        if plain.targets.items.get(nut) and plain.targets.items[nut].min:
            assert plan.targets.items[nut].priority > plain.targets.items[nut].priority
            assert plan.targets.items[nut].suspected and not plain.targets.items[nut].suspected
    assert all(t.priority == 1.0 for t in plain.targets.items.values() if t.min)


@pytest.mark.solve
def test_same_input_same_plan(day_plans, bundled):
    profile, first = day_plans["older_diuretics"]
    again = make_plan(profile, bundled)
    assert comparable(again) == comparable(first)


@pytest.mark.solve
def test_cost_objective_respects_the_budget(bundled):
    profile = load_profile(EXAMPLES / "dietitian_adjusted.yaml")
    assert profile.budget == 8.5
    plan = verified(make_plan(profile, bundled, objective="cost"), bundled)
    assert plan.rules.objective == "cost"
    assert plan.cost is not None and plan.cost <= profile.budget + 1e-6
    assert plan.cost == pytest.approx(sum(i.cost or 0.0 for _, _, i in items(plan)))


@pytest.mark.solve
def test_conflicting_profile_names_the_rules(bundled):
    """A fat maximum of 20 g cannot meet the AMDR's 20 % of 2,160 kcal or more (48 g). (A protein maximum
    below the AMDR widens the protein range instead: targets.adjustments.fit_protein_range.)"""
    profile = profile_from_dict(
        {
            "id": "conflict",
            "age": 40,
            "sex": "female",
            "energy_kcal": 2400,
            "nutrients": {"fat": {"max": 20}},
        }
    )
    with pytest.raises(ConflictError) as info:
        make_plan(profile, bundled)
    assert info.value.exit_code == 3
    assert info.value.problems
    assert any("at most 20 g" in p or "fat at least 20 % of energy" in p for p in info.value.problems)
    assert str(info.value).startswith("No plan for day 1 can satisfy every hard rule.")


# --- the bundled table: two week plans ----------------------------------------------------------------


@pytest.fixture(scope="module", params=["older_diuretics", "vegan_twitching"])
def week(request, bundled) -> tuple[object, Plan]:
    profile = load_profile(EXAMPLES / f"{request.param}.yaml")
    return profile, make_plan(profile, bundled, days=7)


@pytest.mark.solve
def test_week_plan_verifies_with_variety(week, bundled):
    profile, plan = week
    verified(plan, bundled)
    assert plan.kind == "week" and len(plan.days) == 7 and plan.week_totals is not None
    per_food = Counter(f for d in plan.days for f in {i.food_id for s in d.slots for i in s.items})
    assert len(per_food) >= 20
    # A food (by its short name, dish ingredients and drinks too) on at most four days; everyday foods and
    # water excepted (food_data/data/everyday_foods.yaml).
    everyday = everyday_ids(bundled)
    served = Counter(
        name
        for d in plan.days
        for name in {short_name(i.name) for s in d.slots for i in s.items if i.food_id not in everyday}
        if name != "water"
    )
    assert max(served.values(), default=0) <= plan.rules.max_days_per_food == 4
    # A lunch or dinner dish once a week; every meal has a name.
    mains = Counter(s.dish_id for d in plan.days for s in d.slots if s.name in ("lunch", "dinner") and s.dish_id)
    assert max(mains.values(), default=0) <= plan.rules.meal_rules.dish_max_per_week == 1
    assert all(s.title for d in plan.days for s in d.slots)
    # B12 from fortified foods (age 51+, acid reducers, metformin) is also met on the week's average.
    b12_added = {"vitamin_b12_added"} if profile.age >= 51 else set()
    assert set(plan.rules.weekly_nutrients) == {"vitamin_d", "vitamin_b12", *b12_added}
    assert all(s.causes for s in plan.shortfalls)
    if profile.diet != "vegan":
        for nut in KEY:
            assert plan.week_totals[nut].met, nut


@pytest.mark.solve
def test_cost_notes_name_the_foods_without_a_price(bundled):
    """A budget counts the foods that have a price; the plan says which foods it used without one."""
    from mealplan.report import render_markdown

    profile = load_profile(EXAMPLES / "dietitian_adjusted.yaml")
    plan = verified(make_plan(profile, bundled), bundled)
    unpriced = {i.name for d in plan.days for s in d.slots for i in s.items if i.cost is None}
    notes = [n for n in plan.solve.notes if n.startswith("cost and budget count only foods with a price")]
    if unpriced:
        assert len(notes) == 1 and f"{len(unpriced)} food(s)" in notes[0]
        assert notes[0] in render_markdown(plan, bundled).replace("\\|", "|")
    else:
        assert notes == []


@pytest.mark.solve
def test_a_plan_with_two_solver_threads(tmp_path, bundled):
    """HiGHS runs every solve of a process on one thread pool, sized by the first solve: every solve of
    a plan (relaxation, day MILP, diagnosis) must ask for the same count. A fresh process, since this
    one's pool already has one thread."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from mealplan.food_data.table import load_bundled\n"
        "from mealplan.optimizer.planner import make_plan\n"
        "from mealplan.targets.profile_files import load_profile\n"
        "plan = make_plan(load_profile(Path(sys.argv[1])), load_bundled(), threads=2)\n"
        "Path(sys.argv[2]).write_text(plan.model_dump_json())"
    )
    out = tmp_path / "plan.json"
    subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "older_diuretics.yaml"), str(out)], check=True)
    plan = verified(Plan.model_validate_json(out.read_text()), bundled)
    assert plan.solve.status == SolveStatus.OPTIMAL
