"""A day's first choice of dishes (varied by person; for a narrowed macronutrient range, low-carb, the
dishes that fit it) and its ladder of attempts (the wider choice keeps the week's variety before
variety is set aside), on the real bundled data."""

from __future__ import annotations

import pytest

from mealplan.optimizer.candidates import MACRO_MISFIT, tight_maxima
from mealplan.optimizer.context import plan_context
from mealplan.optimizer.day import _attempts
from mealplan.optimizer.inputs import DISH_KEEP
from mealplan.optimizer.planner import make_plan
from mealplan.optimizer.rules import plan_rules
from mealplan.optimizer.week import WeekState, meal_spec
from mealplan.targets.compute import compute_targets
from mealplan.targets.profile_files import profile_from_dict
from mealplan.verify.verifier import verify_plan

LOW_CARB = {"id": "low-carb", "age": 47, "sex": "male", "weight_kg": 96, "height_cm": 181, "activity": "low",
            "diet": "omnivore", "diet_pattern": "low-carb"}  # fmt: skip


def _context(bundled, data: dict):
    profile = profile_from_dict(data)
    targets = compute_targets(profile)
    return plan_context(bundled, plan_rules(profile, targets), targets, None, days=7)


@pytest.fixture(scope="module")
def low_carb(bundled):
    return _context(bundled, LOW_CARB)


def test_a_low_carb_range_ranks_first_the_dishes_that_fit_it(low_carb):
    tight = tight_maxima(low_carb.targets, low_carb.rules.amdr)
    assert tight["carbohydrate"] == (pytest.approx(0.26 / 4), MACRO_MISFIT)  # 26 % of energy: g per kcal
    assert "fat" not in tight  # (a range wider than the AMDR's is no limit to fit)
    assert "carbohydrate" not in tight_maxima(low_carb.targets)  # the AMDR's own 65 % is not tight
    inputs = low_carb.inputs
    fit = {d.id: inputs.dish_score[d.id][-1] for d in inputs.dishes}
    for kind in ("lunch", "dinner"):
        best = sorted((d for d in inputs.dishes if kind in d.kinds), key=lambda d: (-fit[d.id], d.id))[:DISH_KEEP]
        for dish in best:
            grams = dict(zip(dish.foods, dish.grams, strict=True))
            carbs = sum(inputs.nutrients[f].get("carbohydrate", 0.0) * g / 100 for f, g in grams.items())
            kcal = sum(inputs.nutrients[f].get("energy", 0.0) * g / 100 for f, g in grams.items())
            assert 4 * carbs / kcal <= 0.30, f"{dish.id}: {4 * carbs / kcal:.0%} of its energy is carbohydrate"


def test_people_with_the_same_needs_get_different_good_dishes(bundled, low_carb):
    # The same person gets the same choice every time; another id, the same needs: another choice.
    again = _context(bundled, LOW_CARB).inputs
    other = _context(bundled, {**LOW_CARB, "id": "someone-else"}).inputs
    for kind in ("breakfast", "lunch", "dinner", "snack"):
        mine = {d.id for d in low_carb.inputs.dishes_for(kind, set())}
        assert mine == {d.id for d in again.dishes_for(kind, set())}
        assert mine != {d.id for d in other.dishes_for(kind, set())}
    # the ranking by fit to the low-carb range is the same for both (only the coverage rankings vary)
    assert {d: s[-1] for d, s in low_carb.inputs.dish_score.items()} == {d: s[-1] for d, s in other.dish_score.items()}


def test_the_wider_choice_keeps_the_weeks_variety_before_it_is_set_aside(low_carb):
    inputs = low_carb.inputs
    assert [name for name, _ in _attempts(low_carb, WeekState(), 1, 7, False, (), None)] == ["week", "wider"]
    cooked = inputs.dishes_for("dinner", set())[0].id
    food = next(f for f in inputs.all_foods if f.id not in inputs.everyday)
    state = WeekState(dish_count={("dinner", cooked): 1}, days_used={inputs.food_key(food.id): 4})
    attempts = _attempts(low_carb, state, 2, 7, False, (), None)
    assert [name for name, _ in attempts] == ["week", "wider", "variety relaxed", "wider, variety relaxed"]
    week, wider, free, wide = (spec for _, spec in attempts)
    assert len(wider.dishes) > len(week.dishes) and len(wider.foods) > len(week.foods)
    for spec, kept in ((week, True), (wider, True), (free, False), (wide, False)):
        assert (cooked in spec.banned_dishes["dinner"]) is kept
        assert ((food.id, "dinner") in spec.forbidden) is kept
    assert len(wide.dishes) > len(free.dishes)


@pytest.mark.solve
def test_a_low_carb_day_comes_from_the_first_choice(bundled):
    plan = make_plan(profile_from_dict(LOW_CARB), bundled, days=1)
    assert [d.attempt for d in plan.solve.days] == ["week"]
    assert verify_plan(plan, bundled).ok


def test_the_days_a_requirement_keeps_for_a_food_are_not_used_up_before_them(bundled):
    # Bananas required at breakfast on days 1, 3 and 5, a food on at most 4 days: once on days 1-3, day 4
    # may not serve them (a smoothie), or day 5 would be their fifth day.
    ctx = _context(bundled, {"id": "bananas", "age": 68, "sex": "female", "require": ["09040@1,3,5:breakfast"]})
    assert ctx.rules.max_days_per_food == 4
    key = ctx.inputs.food_key("09040")

    def kept_out(day: int, used: int, replan: bool = False) -> bool:
        state = WeekState(days_used={key: used}, later_counted=replan)
        return "09040" in meal_spec(day, ctx.inputs, ctx.targets, ctx.rules, state, 7, ctx.liked, False).zero_foods

    assert kept_out(4, 3) and not kept_out(2, 1)  # day 2: once, with days 3 and 5 kept, is three
    assert not kept_out(6, 3)  # after the last required day nothing is kept ahead
    assert not kept_out(4, 3, replan=True)  # a re-plan's counts hold every other day already
