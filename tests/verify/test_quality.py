"""Food groups, HEI-2020 and solve.days recorded in a 2.1 plan are recomputed and compared."""

from __future__ import annotations

import pytest

from mealplan.plan import SolveStatus
from tests.verify.plan21 import DAYS, found, make_plan, report, rules


def _day(plan, index: int, **update):
    days = list(plan.days)
    days[index - 1] = days[index - 1].model_copy(update=update)
    return plan.model_copy(update={"days": days})


def test_a_days_food_group_that_differs_is_named_with_both_amounts():
    plan = make_plan()
    dairy = plan.days[1].food_groups["dairy"]
    wrong = _day(plan, 2, food_groups={**plan.days[1].food_groups, "dairy": dairy + 0.5})
    assert found(wrong) == [
        (
            "food_group_totals",
            "day 2",
            f"Dairy (dairy): the plan says {dairy + 0.5:.6g} cup-eq; the food table gives {dairy:.6g}",
        ),
    ]
    # within the totals' tolerance: a millionth
    assert found(_day(plan, 2, food_groups={**plan.days[1].food_groups, "dairy": dairy + 1e-7})) == []


def test_a_missing_or_unknown_component_and_a_missing_days_groups():
    plan = make_plan()
    groups = dict(plan.days[0].food_groups)
    oils = groups.pop("oils")
    assert found(_day(plan, 1, food_groups={**groups, "candy": 1.0})) == [
        ("food_group_totals", "day 1", f"Oils (oils): the plan says 0 g (absent); the food table gives {oils:.6g}"),
        (
            "food_group_totals",
            "day 1",
            "'candy' is not a food-group component; allowed: fruit_whole, fruit_juice, "
            "veg_dark_green, veg_red_orange, veg_starchy, veg_other, legumes, grain_whole, grain_refined, dairy, meat, "
            "cured_meat, poultry, eggs, seafood_high_n3, seafood_low_n3, nuts_seeds, soy, oils, added_sugars",
        ),
    ]
    assert found(_day(plan, 3, food_groups={})) == [
        ("food_group_totals", "day 3", "no food_groups: a plan with a food pattern records each day's food groups"),
    ]


def test_a_plan_may_leave_out_the_components_a_day_has_none_of():
    plan = make_plan()
    sparse = {c: v for c, v in plan.days[0].food_groups.items() if v}
    assert len(sparse) < len(plan.days[0].food_groups)  # day 1 has no juice, legumes, meat...
    assert found(_day(plan, 1, food_groups=sparse)) == []


def test_the_weeks_average_of_food_groups():
    plan = make_plan()
    fruit = plan.week_food_groups["fruit_whole"]
    wrong = plan.model_copy(update={"week_food_groups": {**plan.week_food_groups, "fruit_whole": 2 * fruit}})
    assert found(wrong) == [
        (
            "food_group_totals",
            "week average",
            f"Whole fruit (fruit_whole): the plan says {2 * fruit:.6g} cup-eq; the food table gives {fruit:.6g}",
        ),
    ]
    assert found(plan.model_copy(update={"week_food_groups": None})) == [
        (
            "food_group_totals",
            "week average",
            "no week_food_groups: a week with a food pattern records the food groups' daily average",
        ),
    ]


def test_a_stale_days_many_food_groups_are_one_problem():
    plan = make_plan()
    stale = _day(plan, 1, food_groups={c: 0.0 for c in plan.days[0].food_groups})
    (problem,) = found(stale)
    assert problem[:2] == ("food_group_totals", "day 1")
    assert "recorded numbers differ from the food table" in problem[2]


def test_the_hei_total_and_components_are_recomputed():
    plan = make_plan()
    q = plan.diet_quality[0]
    assert q.components["dairy"] == pytest.approx(3.470, abs=1e-3)  # the week's only component below its maximum
    wrong = q.model_copy(update={"total": 90.0, "components": {**q.components, "dairy": 10.0}})
    assert found(plan.model_copy(update={"diet_quality": [wrong]})) == [
        ("diet_quality", "HEI-2020, week", f"total: the plan says 90.000; recomputed {q.total:.3f}"),
        ("diet_quality", "HEI-2020, week", "Dairy: the plan says 10.000 points; recomputed 3.470 of 10"),
    ]
    rounded = q.model_copy(update={"total": round(q.total, 1)})  # plans give the total to one decimal
    assert found(plan.model_copy(update={"diet_quality": [rounded]})) == []
    capped = q.model_copy(update={"max_points": {**q.max_points, "sodium": 5.0}})
    assert found(plan.model_copy(update={"diet_quality": [capped]})) == [
        ("diet_quality", "HEI-2020, week", "Sodium: max_points 5; the standard's is 10"),
    ]


def test_hei_scopes_are_the_plans_weeks_or_its_day():
    plan = make_plan()
    other = plan.diet_quality[0].model_copy(update={"scope": "week 2"})
    assert found(plan.model_copy(update={"diet_quality": [other]})) == [
        ("diet_quality", "HEI-2020, week 2", "no such scope in this plan; expected week"),
        ("diet_quality", "HEI-2020, week", "not recorded"),
    ]
    assert found(plan.model_copy(update={"diet_quality": []})) == [
        ("diet_quality", "plan", "no diet_quality: a plan with a food pattern records the HEI-2020 of week"),
    ]
    day = make_plan(DAYS[:1])
    assert day.kind == "day" and day.diet_quality[0].scope == "day 1"
    assert report(day).ok
    nine = make_plan((DAYS * 3)[:9], plan_rules=rules(max_days_per_food=7))
    assert [q.scope for q in nine.diet_quality] == ["week 1", "week 2"]
    assert found(nine, "diet_quality") == []


def test_solve_days_one_per_day_in_order_and_the_plans_status_follows_them():
    plan = make_plan(statuses=[SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT, SolveStatus.OPTIMAL])
    assert plan.solve.status == SolveStatus.TIME_LIMIT and report(plan).ok
    optimal = plan.model_copy(update={"solve": plan.solve.model_copy(update={"status": SolveStatus.OPTIMAL})})
    assert found(optimal) == [
        ("solve_days", "solve", "status 'optimal', but days [2] ended at the time limit: the plan is 'time_limit'"),
    ]
    days = plan.solve.days
    shuffled = plan.model_copy(update={"solve": plan.solve.model_copy(update={"days": [days[1], days[0]]})})
    assert found(shuffled) == [
        ("solve_days", "solve", "solve.days are for days [2, 1]; expected one entry per day, in order: [1, 2, 3]"),
    ]
    bad = days[0].model_copy(update={"status": SolveStatus.INFEASIBLE, "gap": -1.0})
    broken = plan.model_copy(update={"solve": plan.solve.model_copy(update={"days": [bad, *days[1:]]})})
    assert found(broken) == [
        ("solve_days", "solve, day 1", "status 'infeasible': a day exists only as optimal or time_limit"),
        ("solve_days", "solve, day 1", "gap -1.0 must be a number of 0 or more"),
    ]
