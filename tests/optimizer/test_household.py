"""Households planned end to end on the bundled data (issue 30): a family of four with a toddler and a
pregnant mother, a couple where one is vegan, an older man on a diuretic and his wife on a budget.

Every plan passes ``verify_household`` (each member's Plan through ``verify_plan``, then the household's
rules); the assertions name what the issue asks: the same dish for everyone who eats a shared meal,
portions that differ as the targets do, leftovers cooked once, the pantry used first and subtracted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mealplan.household_plan import HouseholdPlan
from mealplan.optimizer.household_planner import plan_household
from mealplan.report.household import household_shopping
from mealplan.targets.household import household_from_dict, load_household
from mealplan.verify.household import verify_household

pytestmark = pytest.mark.solve  # every test here plans a household on the bundled table

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLDS = ROOT / "examples" / "households"
PROFILES = ROOT / "examples" / "profiles"


@pytest.fixture(scope="module")
def family(bundled) -> HouseholdPlan:
    return plan_household(load_household(HOUSEHOLDS / "home.yaml"), bundled, days=2)


def _slot(plan, day: int, meal: str):
    return next(s for s in plan.days[day - 1].slots if s.name == meal)


def test_the_family_passes_every_check(family, bundled):
    report = verify_household(family, bundled)
    assert report.ok, (report.problems, {m: r.problems for m, r in report.members.items() if not r.ok})
    assert HouseholdPlan.model_validate_json(family.model_dump_json()) == family


def test_a_shared_dinner_is_one_dish_with_each_persons_portion(family):
    plans = {m.id: m.plan for m in family.members}
    dinners = [r for r in family.shared if r.slot == "dinner"]
    assert [r.day for r in dinners] == [1, 2]
    for rec in dinners:
        assert len(rec.eaten_by) >= 2 and rec.dish_id is not None
        assert {_slot(plans[m], rec.day, "dinner").dish_id for m in rec.eaten_by} == {rec.dish_id}
        assert all(a.reason and a.member not in rec.eaten_by for a in rec.apart)
    first = dinners[0]
    grams = {m: sum(i.grams for i in _slot(plans[m], 1, "dinner").items if i.role != "drink") for m in first.eaten_by}
    if {"father", "child-toddler"} <= set(grams):  # portions follow the targets: a toddler eats far less
        assert grams["child-toddler"] < 0.6 * grams["father"]


def test_dinner_makes_the_next_days_lunches_and_is_cooked_once(family, bundled):
    dinner = next(r for r in family.shared if r.day == 1 and r.slot == "dinner")
    for m in family.members:
        lunch = _slot(m.plan, 2, "lunch")
        if m.id in dinner.eaten_by and lunch.leftover_of == 1:
            assert lunch.dish_id == dinner.dish_id
    shop = household_shopping(family, bundled)
    cooked = next(d for d in shop.dishes if d.dish_id == dinner.dish_id)
    assert cooked.times_cooked == 1 and cooked.portions >= len(dinner.eaten_by)
    assert cooked.meals[0] == f"day 1 dinner ({len(dinner.eaten_by)} people)"


def test_the_pantry_is_used_first_and_taken_off_the_list(family, bundled):
    lines = {p.name: p for p in family.pantry}
    near = [p for p in family.pantry if p.near_use_by]
    assert {p.name for p in near} == {"Lentils, raw", "Bananas, raw"}  # use by 15 Dec, within the two days
    assert all(
        0 <= p.used_g <= p.grams + 1e-6 and p.left_g == pytest.approx(p.grams - p.used_g) for p in lines.values()
    )
    assert lines["Bananas, raw"].used_g > 0 and any("Bananas, raw" in n for n in family.solve.notes)
    shop = household_shopping(family, bundled)
    from_pantry = sum(i.pantry_grams for i in shop.items)
    assert from_pantry == pytest.approx(sum(n.pantry_g for n in family.shopping), rel=0.02)
    needs = {n.product: n for n in family.shopping}
    assert all(n.buy_g == pytest.approx(n.needed_g - n.pantry_g, abs=1e-3) for n in needs.values())


def test_a_vegan_and_an_omnivore_share_a_dinner_the_vegan_can_eat(bundled):
    couple = household_from_dict(
        {
            "schema": 1,
            "id": "couple",
            "members": [{"profile": "vegan_twitching.yaml"}, {"profile": "../households/father.yaml"}],
            "shared": [{"meal": "dinner"}],
        },  # fmt: skip
        base_dir=PROFILES,
    )
    hp = plan_household(couple, bundled, days=1, start=date(2026, 12, 14))
    report = verify_household(hp, bundled)
    assert report.ok, (report.problems, {m: r.problems for m, r in report.members.items() if not r.ok})
    (dinner,) = hp.shared
    assert dinner.eaten_by == ["vegan-twitching", "father"] and not dinner.apart


def test_an_older_man_on_a_diuretic_and_his_wife_keep_their_rules_and_the_budget(bundled, tmp_path):
    wife = tmp_path / "wife.yaml"
    wife.write_text(
        "id: wife\nage: 71\nsex: female\nweight_kg: 66\nheight_cm: 160\nmeals: [breakfast, lunch, dinner]\n"
    )
    home = household_from_dict(
        {
            "schema": 1,
            "id": "retired",
            "members": [{"profile": str(PROFILES / "older_diuretics.yaml")}, {"profile": str(wife)}],
            "shared": [{"meal": "breakfast"}, {"meal": "dinner"}],
            "prices": str(PROFILES / "prices.csv"),
            "budget": 6.0,
        },  # fmt: skip
    )
    hp = plan_household(home, bundled, days=1, start=date(2026, 12, 14))
    report = verify_household(hp, bundled)
    assert report.ok, (report.problems, {m: r.problems for m, r in report.members.items() if not r.ok})
    assert hp.cost_per_day is not None and hp.cost_per_day[0] <= 6.0 + 1e-6
    man = hp.member("older-diuretics").plan
    assert man.targets.items["potassium"].min and "diuretic" in " ".join(man.targets.notes).lower()
    assert {r.slot for r in hp.shared} == {"breakfast", "dinner"}
