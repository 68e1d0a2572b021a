"""Meal editing by item position, ranked alternatives with their effect on the day, and the names index,
on the session's real vegan week: every plan changed here passes the verifier."""

from __future__ import annotations

import pytest

from mealplan.errors import InputError
from mealplan.verify.verifier import verify_plan
from mealplan.workbench import meal_edit
from mealplan.workbench.alternatives import day_effects, dish_alternatives, food_alternatives
from mealplan.workbench.edit import ItemEdit, edit_plan


@pytest.fixture(scope="module")
def dishes(foods):
    from mealplan.food_data.dishes import load_dishes

    return load_dishes(foods=foods)


@pytest.fixture(scope="module")
def base(week, foods):
    assert verify_plan(week, foods).ok
    return week


def _twice(plan):
    """A meal with one food in two items (soy milk on the cereal and as the drink), or None."""
    for d in plan.days:
        for s in d.slots:
            ids = [i.food_id for i in s.items]
            dup = next((f for f in ids if ids.count(f) > 1), None)
            if dup:
                return d.index, s.name, dup
    return None


@pytest.mark.solve
def test_set_amount_changes_the_item_meant_when_a_food_is_there_twice(base, foods):
    found = _twice(base)
    if found is None:
        pytest.skip("no meal of this week has one food twice")
    day, meal, food = found
    items = base.days[day - 1].slots[[s.name for s in base.days[day - 1].slots].index(meal)].items
    second = [k for k, i in enumerate(items) if i.food_id == food][1]
    change = meal_edit.set_amount(base, foods, day, meal, second, items[second].grams / 2)
    new = change.plan.days[day - 1].slots[[s.name for s in base.days[day - 1].slots].index(meal)].items
    assert len(new) == len(items) and new[second].grams == pytest.approx(items[second].grams / 2)
    assert [i.grams for k, i in enumerate(new) if k != second] == [i.grams for k, i in enumerate(items) if k != second]
    assert verify_plan(change.plan, foods).ok
    # the command line's --set no longer merges the two items either: the first is set, the other stays
    cli = edit_plan(base, foods, day, meal, [ItemEdit("set", food, 100.0)])
    after = cli.days[day - 1].slots[[s.name for s in base.days[day - 1].slots].index(meal)].items
    assert len(after) == len(items) and [i.food_id for i in after].count(food) == 2


@pytest.mark.solve
def test_a_swap_keeps_the_role_and_says_what_changed(base, foods):
    slot = base.days[0].slots[1]
    alts = food_alternatives(base, foods, 1, slot.name, 0)
    assert alts
    a = alts[0]
    change = meal_edit.swap_item(base, foods, 1, slot.name, 0, a.id, a.grams)
    item = change.plan.days[0].slots[1].items[0]
    assert (item.food_id, item.role) == (a.id, slot.items[0].role)
    assert change.label.startswith(f"swap: day 1 {slot.name}, ") and [e.action for e in change.plan.edits[-2:]] == [
        "remove",
        "add",
    ]
    assert verify_plan(change.plan, foods).ok
    shown = {e.nutrient: e.after for e in a.effects}
    totals = change.plan.days[0].totals
    for nutrient in ("magnesium", "calcium", "potassium"):
        assert shown[nutrient] == pytest.approx(totals[nutrient].amount, rel=1e-6, abs=1e-6)
    assert {e.nutrient: e.after for e in day_effects(change.plan, base, foods, 1)}["magnesium"] == pytest.approx(
        totals["magnesium"].amount
    )


@pytest.mark.solve
def test_no_alternative_passes_an_upper_limit_or_breaks_the_persons_rules(base, foods):
    for d in base.days[:2]:
        for s in d.slots:
            for k in range(len(s.items)):
                for a in food_alternatives(base, foods, d.index, s.name, k, limit=5):
                    assert a.score != float("inf")
                    assert not meal_edit.person_reasons(base, foods, [a.id])


@pytest.mark.solve
def test_a_dish_swap_from_the_ranked_dishes(base, foods, dishes):
    day, slot = 2, base.days[1].slots[2]
    found = dish_alternatives(base, foods, dishes, day, slot.name)
    assert found and all(a.id != slot.dish_id for a in found)
    change = meal_edit.swap_dish(base, foods, day, slot.name, found[0].dish)
    meal = change.plan.days[1].slots[2]
    assert meal.dish_id == found[0].id and meal.method and meal.meal_kind == "dish"
    assert [i for i in meal.items if i.role == "drink"] == [i for i in slot.items if i.role == "drink"]
    assert verify_plan(change.plan, foods).ok


@pytest.mark.solve
def test_what_an_edit_refuses(base, foods):
    slot = base.days[0].slots[0]
    with pytest.raises(InputError, match="cannot be served in this plan: diet"):
        meal_edit.add_item(base, foods, 1, slot.name, "01211", 100)  # whole milk, in a vegan plan
    with pytest.raises(InputError, match="is not in the food table"):
        meal_edit.add_item(base, foods, 1, slot.name, "xx999", 10)
    with pytest.raises(InputError, match="give more than 0 and at most 2000 g"):
        meal_edit.set_amount(base, foods, 1, slot.name, 0, 0)
    with pytest.raises(InputError, match="give a number of grams"):
        meal_edit.set_amount(base, foods, 1, slot.name, 0, float("nan"))
    with pytest.raises(InputError, match=rf"item 99: day 1 {slot.name} has {len(slot.items)} item"):
        meal_edit.remove_item(base, foods, 1, slot.name, 98)
    one = base
    for _ in range(len(slot.items) - 1):
        one = meal_edit.remove_item(one, foods, 1, slot.name, 0).plan
    with pytest.raises(InputError, match="leave the meal empty"):
        meal_edit.remove_item(one, foods, 1, slot.name, 0)


@pytest.mark.solve
def test_a_breakfast_or_snack_swap_keeps_the_weeks_dish_rules(base, foods, dishes):
    # a dish served at breakfast or a snack the day before or after is never offered, as the planner holds it
    assert base.rules.meal_rules.no_light_dish_two_days_running
    day = 2
    near = {
        s.dish_id
        for d in base.days
        if abs(d.index - day) == 1
        for s in d.slots
        if s.name in ("breakfast", "snack") and s.dish_id
    }
    assert near, "the days either side of day 2 serve some breakfast or snack dish"
    for slot in (s for s in base.days[day - 1].slots if s.name in ("breakfast", "snack")):
        found = dish_alternatives(base, foods, dishes, day, slot.name, limit=100)
        assert found and not {a.id for a in found} & near
        change = meal_edit.swap_dish(base, foods, day, slot.name, found[0].dish)
        assert verify_plan(change.plan, foods).ok
