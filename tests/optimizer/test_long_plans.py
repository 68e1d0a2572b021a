"""Plans longer than a week (up to 28 days): weekly rules hold in each block of seven days."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.optimizer.planner import make_plan
from mealplan.optimizer.week import WeekState, carry, day_goals, new_week, week_of
from mealplan.plan import MAX_DAYS, DayPlan, PlanItem, SlotPlan, week_blocks, week_scope
from mealplan.targets.profile_files import load_profile
from mealplan.verify.verifier import verify_plan
from tests.optimizer.conftest import tiny_rules, tiny_targets

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "profiles"


def test_weeks_are_blocks_of_seven_by_position():
    assert week_blocks(list(range(1, 10))) == [[1, 2, 3, 4, 5, 6, 7], [8, 9]]
    assert week_blocks(list(range(0, 7))) == [list(range(7))]
    assert [week_of(d, 16) for d in (1, 7, 8, 14, 15, 16)] == [(1, 7), (1, 7), (8, 14), (8, 14), (15, 16), (15, 16)]
    assert week_scope(1, 1) == "week average" and week_scope(3, 4) == "week 3 average"


def test_a_weekly_nutrient_is_asked_of_each_week_afresh():
    targets = tiny_targets(vitamin_d=(15.0, 100.0))
    rules = tiny_rules(targets, weekly_nutrients=["vitamin_d"])
    state = WeekState(weekly_achieved={"vitamin_d": 6 * 15.0})  # days 1-6 met the week's need
    assert day_goals(targets, rules, state, 7, 9)["vitamin_d"] == pytest.approx(15.0)
    fresh = new_week(state)  # day 8 starts week 2 (days 8-9): two days to meet 2 x 15
    assert fresh.weekly_achieved == {} and day_goals(targets, rules, fresh, 8, 9)["vitamin_d"] == pytest.approx(15.0)
    state.weekly_achieved["vitamin_d"] = 0.0
    assert day_goals(targets, rules, state, 7, 9)["vitamin_d"] == pytest.approx(95.0)  # the whole week, held < UL


def test_new_week_keeps_yesterday_and_the_rolling_variety():
    state = WeekState(
        days_used={"a": 3}, last_main_protein={"p"}, last_main_dishes={"d"}, weekly_achieved={"vitamin_d": 40.0}
    )
    fresh = new_week(state)
    assert fresh.weekly_achieved == {}
    assert fresh.days_used == {"a": 3} and fresh.last_main_protein == {"p"} and fresh.last_main_dishes == {"d"}


def _day_with(index: int, food: str, dish: str) -> DayPlan:
    """A day of one pattern lunch (``food``) and one dish dinner (``dish``)."""

    def item(food_id: str) -> PlanItem:
        return PlanItem(
            food_id=food_id, name=food_id, category="x", role="protein", grams=100.0, servings=1.0,
            serving_name="1 serving", serving_g=100.0, household="1 serving (100 g)",
        )  # fmt: skip

    lunch = SlotPlan(name="lunch", meal_kind="pattern", energy_kcal=500.0, items=[item(food)])
    dinner = SlotPlan(name="dinner", meal_kind="dish", dish_id=dish, energy_kcal=600.0, items=[item("rice")])
    return DayPlan(index=index, energy_kcal=1100.0, macros_pct={}, slots=[lunch, dinner], totals={})


def test_variety_counts_the_last_six_days():
    """carry keeps six days: on day 8 a food served on day 1 only is free again, one of days 2-7 is not."""
    rules = tiny_rules(weekly_nutrients=[])
    state = WeekState()
    for d in range(1, 8):
        carry(state, _day_with(d, f"food{d}", f"dish{d}"), rules)
    assert set(state.days_used) == {f"food{d}" for d in range(2, 8)}
    assert {dish for (_, dish) in state.dish_count} == {f"dish{d}" for d in range(2, 8)}


def test_longer_than_the_limit_is_refused(bundled):
    profile = load_profile(EXAMPLES / "pregnant.yaml")
    with pytest.raises(ConfigError, match=f"plan 1 to {MAX_DAYS} days"):
        make_plan(profile, bundled, days=MAX_DAYS + 1)


@pytest.mark.solve
def test_a_nine_day_plan_holds_the_weekly_rules_in_any_seven_days_and_verifies(bundled):
    profile = load_profile(EXAMPLES / "pregnant.yaml")
    plan = make_plan(profile, bundled, days=9, time_limit=120)
    assert plan.kind == "week" and [d.index for d in plan.days] == list(range(1, 10))
    assert verify_plan(plan, bundled).problems == []
    limit = plan.rules.meal_rules.dish_max_per_week
    windows = [list(range(first, first + 7)) for first in range(1, 4)]  # variety rolls: any 7 days running
    for week in week_blocks([d.index for d in plan.days]) + windows:
        served = Counter(
            s.dish_id
            for d in plan.days
            if d.index in week and d.index not in plan.rules.variety_relaxed_days
            for s in d.slots
            if s.dish_id and s.name in ("lunch", "dinner")
        )
        assert all(n <= limit for n in served.values()), served
    assert all(s.scope.startswith(("day ", "week ")) for s in plan.shortfalls)
