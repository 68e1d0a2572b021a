"""``verify_household``: the household's rules recomputed from the members' plans (shared meals one dish,
members apart accounted for and justified, leftovers, shopping = portions minus pantry, the budget).

The members' own plans here are saved fixtures (their own reports are ``verify_plan``'s and not asserted);
the household's problems are, one tampering at a time."""

from __future__ import annotations

import pytest

from mealplan.household_plan import Apart, ShoppingNeed
from mealplan.verify.household import verify_household
from tests.household_plans import household_of, pantry_of, saved_week


@pytest.fixture(scope="module")
def week():
    return saved_week()


@pytest.fixture(scope="module")
def home(week, bundled):
    return household_of({"ana": week, "ben": week}, bundled, pantry=pantry_of(bundled, ("20036", 100.0, None)))


def problems(hp, foods) -> list[tuple[str, str, str]]:
    return [(p.check, p.where, p.message) for p in verify_household(hp, foods).problems]


def test_a_household_as_recorded_has_no_household_problem(home, bundled):
    report = verify_household(home, bundled)
    assert report.problems == [] and set(report.members) == {"ana", "ben"}
    assert report.checks_run == ["members", "shared_meals", "apart", "leftovers", "shopping", "pantry",
                                 "household_budget"]  # fmt: skip


def test_a_member_who_ate_another_dish_is_found(home, bundled):
    ben = home.member("ben").plan
    day2 = ben.days[1].model_copy(update={"slots": [ben.days[2].slots[2] if s.name == "dinner" else s
                                                    for s in ben.days[1].slots]})  # fmt: skip
    tampered = home.model_copy(update={"members": [home.members[0], home.members[1].model_copy(
        update={"plan": ben.model_copy(update={"days": [ben.days[0], day2, *ben.days[2:]]})})]})  # fmt: skip
    found = problems(tampered, bundled)
    assert ("shared_meals", "day 2, dinner", "ben is said to eat 'lentil-vegetable-soup-bread' but has "
            "'lentil-spinach-dal-brown-rice'") in found  # fmt: skip


def test_everyone_a_shared_meal_is_for_is_accounted_for(home, bundled):
    record = home.shared[0].model_copy(update={"eaten_by": ["ana"]})
    found = problems(home.model_copy(update={"shared": [record, *home.shared[1:]]}), bundled)
    assert found == [("shared_meals", "day 1, dinner", "ben neither eat the shared dish nor are named apart")]


def test_cannot_eat_must_be_one_of_the_members_own_rules(week, bundled):
    gluten_free = week.model_copy(update={"rules": week.rules.model_copy(update={"allergies": ["gluten"]})})
    for ben, expected in ((week, 1), (gluten_free, 0)):
        home = household_of({"ana": week, "ben": ben}, bundled)
        first = home.shared[0]  # lentil soup with bread: gluten
        record = first.model_copy(update={"eaten_by": ["ana"], "apart": [
            Apart(member="ben", title="a dinner of his own", reason="cannot eat it: bread")]})  # fmt: skip
        found = [p for p in problems(home.model_copy(update={"shared": [record, *home.shared[1:]]}), bundled)
                 if p[0] == "apart"]  # fmt: skip
        assert len(found) == expected, found
    assert found == [] and expected == 0


def test_the_shopping_list_is_every_portion_minus_the_pantry(home, bundled):
    needs = list(home.shopping)
    rice = next(k for k, n in enumerate(needs) if n.product == "brown rice")
    needs[rice] = needs[rice].model_copy(update={"buy_g": needs[rice].needed_g})  # the pantry's 100 g forgotten
    dropped = needs[1:]
    found = problems(home.model_copy(update={"shopping": needs}), bundled)
    assert [p[:2] for p in found] == [("shopping", "brown rice")]
    assert found[0][2].startswith("to buy ")
    found = problems(home.model_copy(update={"shopping": dropped}), bundled)
    assert found[0][0] == "shopping" and "are eaten but the product is not on the list" in found[0][2]
    extra = [*needs, ShoppingNeed(product="caviar", name="caviar", food_ids=["15001"], needed_g=10, buy_g=10)]
    assert ("shopping", "caviar", "listed, but no member eats it") in problems(
        home.model_copy(update={"shopping": extra}), bundled
    )


def test_pantry_rows_add_up(home, bundled):
    line = home.pantry[0].model_copy(update={"used_g": home.pantry[0].grams + 50})
    found = problems(home.model_copy(update={"pantry": [line]}), bundled)
    assert {p[0] for p in found} == {"pantry"} and len(found) == 3


def test_the_household_budget_holds_every_day(home, bundled):
    days = home.days
    found = problems(home.model_copy(update={"budget": 1.0, "cost_per_day": [0.0] * days}), bundled)
    assert found == []  # the saved plans carry no prices: every day costs 0
    found = problems(home.model_copy(update={"cost_per_day": [5.0] * days}), bundled)
    assert len(found) == days and all(p[0] == "household_budget" for p in found)


def test_a_leftover_lunch_is_the_dinner_before(home, bundled):
    ana = home.member("ana").plan
    lunch = next(s for s in ana.days[1].slots if s.name == "lunch").model_copy(update={"leftover_of": 1})
    day2 = ana.days[1].model_copy(update={"slots": [lunch if s.name == "lunch" else s for s in ana.days[1].slots]})
    member = home.members[0].model_copy(update={"plan": ana.model_copy(update={"days": [ana.days[0], day2,
                                                                                        *ana.days[2:]]})})  # fmt: skip
    found = problems(home.model_copy(update={"members": [member, home.members[1]]}), bundled)
    assert found == [("leftovers", "ana, day 2, lunch", "recorded as day 1's leftovers, but that day's dinner is "
                      "another dish")]  # fmt: skip
