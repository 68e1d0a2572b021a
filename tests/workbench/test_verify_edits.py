"""verify's view of a dietitian's rules and edits: forbid, require, recorded edits versus tampering."""

from __future__ import annotations

from collections import namedtuple

import pytest

from mealplan.plan import PlanEdit
from mealplan.targets.profile import Requirement
from mealplan.verify.edits import collapse_stale, drop_trusted, edit_problems, hard_first, trusted_items
from mealplan.workbench.edit import ItemEdit, edit_plan

P = namedtuple("P", "check where message")


def dish_meal(plan):
    return next((d, s) for d in plan.days for s in d.slots if s.meal_kind == "dish" and s.items)


@pytest.mark.solve
def test_a_recorded_edit_is_trusted_and_its_range_problem_dropped(week, foods):
    day, slot = dish_meal(week)
    item = slot.items[0]
    far = (item.range_g[1] if item.range_g else item.grams) + 40
    edited = edit_plan(week, foods, day.index, slot.name, [ItemEdit("set", item.food_id, far)])
    assert trusted_items(edited) == {(day.index, slot.name, item.food_id)}
    where = f"day {day.index}, {slot.name}, {item.food_id} ({item.name})"
    problems = [("dish_ranges", where, "outside"), ("allergens", where, "contains milk")]
    assert drop_trusted(problems, edited) == [("allergens", where, "contains milk")]  # hard rules stay
    assert drop_trusted(problems, week) == problems  # no edit recorded: nothing is trusted
    assert [p for p in edit_problems(edited, foods.foods) if p[0] == "edits"] == []


@pytest.mark.solve
def test_an_unrecorded_change_is_named_as_tampering(week, foods):
    day, slot = dish_meal(week)
    items = list(slot.items)
    items[0] = items[0].model_copy(update={"grams": items[0].grams + 7})
    days = list(week.days)
    slots = [s.model_copy(update={"items": items}) if s.name == slot.name else s for s in day.slots]
    days[day.index - 1] = day.model_copy(update={"slots": slots})
    tampered = week.model_copy(update={"days": days})
    (problem,) = [p for p in edit_problems(tampered, foods.foods) if p[0] == "edits"]
    assert "changed without a recorded edit (tampering?)" in problem[2] and "mealplan rescore" in problem[2]
    # An item changed again after its recorded edit is named too.
    record = PlanEdit(action="set", day=day.index, slot=slot.name, food_id=items[0].food_id, grams_after=1.0)
    (again,) = [p for p in edit_problems(tampered.model_copy(update={"edits": [record]}), foods.foods)
                if p[0] == "edits"]  # fmt: skip
    assert "differs from the last recorded edit" in again[2]


@pytest.mark.solve
def test_forbidden_and_required_items_are_checked(week, foods):
    day, slot = dish_meal(week)
    food = slot.items[0].food_id
    rules = week.rules.model_copy(
        update={"forbid": [food, slot.dish_id], "require": [Requirement(food="12166", days=[2], meal="lunch")]}
    )
    problems = edit_problems(week.model_copy(update={"rules": rules}), foods.foods)
    checks = {(p[0], p[2]) for p in problems}
    assert ("forbid", f"the dish {slot.dish_id!r} is forbidden") in checks
    assert ("forbid", f"matches forbid {food!r}") in checks
    assert ("require", "require 12166 on day 2 at lunch: not served") in checks


def test_hard_rules_come_first_and_stale_totals_collapse():
    problems = [P("totals", "day 1", "x"), P("nutrient_max", "day 1", "iron"), P("allergens", "day 2", "milk")]
    assert [p.check for p in hard_first(problems)] == ["nutrient_max", "allergens", "totals"]
    stale = [("totals", "day 2", f"n{i}: the plan says 1; the food table gives 2") for i in range(30)]
    (one,) = collapse_stale([*stale])
    assert one[0:2] == ("totals", "day 2") and one[2].startswith("30 recorded numbers differ from the food table")
    assert "run `mealplan rescore`" in one[2]
    few = stale[:3] + [("allergens", "day 2", "milk")]
    assert collapse_stale(few) == few


@pytest.mark.solve
def test_soft_rules_of_an_edited_day_are_accepted_hard_rules_never(week):
    from mealplan.verify.edits import split_accepted

    edit = PlanEdit(action="add", day=4, slot="lunch", food_id="12166", grams_after=30.0)
    plan = week.model_copy(update={"edits": [edit]})
    problems = [
        P("amdr", "day 4", "fat gives 38.4 % of energy"),
        P("amdr", "day 5", "fat gives 38.4 % of energy"),
        P("nutrient_max", "day 4", "sodium 2400 mg is above the maximum 2300 mg (CDRR)"),
        P("nutrient_max", "day 4", "iron 40.6 mg is above the maximum 40.5 mg (90 % of the UL)"),
        P("slot_energy_share", "day 4, lunch", "lunch gives 50 %"),
        P("allergens", "day 4, lunch", "contains milk"),
    ]
    failing, accepted = split_accepted(problems, plan)
    # Iron is still under its UL (the maxima keep a 10 % margin an edit may use); sodium has no UL.
    assert plan.days[3].totals["iron"].amount <= plan.targets.items["iron"].ul
    assert [(p.check, p.where) for p in accepted] == [
        ("amdr", "day 4"), ("nutrient_max", "day 4"), ("slot_energy_share", "day 4, lunch"),
    ]  # fmt: skip
    assert [(p.check, p.message.split()[0]) for p in failing] == [
        ("amdr", "fat"), ("nutrient_max", "sodium"), ("allergens", "contains"),
    ]  # fmt: skip
    assert split_accepted(problems, week) == (problems, [])
