"""Require and forbid: foods and dishes a plan must or must never serve (profile fields and plan flags)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.errors import ConfigError, ConflictError
from mealplan.verify.verifier import verify_plan
from mealplan.workbench.clients import with_plan_rules
from tests.workbench.conftest import PROFILE

DAL = "lentil-spinach-dal-brown-rice"


def plan_with(profile, foods, **rules):
    from mealplan.optimizer.planner import make_plan

    return make_plan(with_plan_rules(profile, **rules), foods)


def items(plan, day=1, meal=None):
    return {i.food_id: i.grams for s in plan.days[day - 1].slots if meal in (None, s.name) for i in s.items}


@pytest.mark.solve
def test_required_foods_and_dishes_are_served_where_and_as_much_as_asked(profile, foods):
    # 12166 (tahini) is a pattern food, 09019 (unsweetened applesauce) is in no pattern or dish: an item of its own.
    plan = plan_with(profile, foods, require=["12166:lunch=30", "09019:snack=120", f"{DAL}:dinner"])
    assert items(plan, meal="lunch")["12166"] == pytest.approx(30.0)
    assert items(plan, meal="snack")["09019"] == pytest.approx(120.0)
    dinner = next(s for s in plan.days[0].slots if s.name == "dinner")
    assert dinner.dish_id == DAL
    assert [r.label() for r in plan.rules.require] == [
        "require 12166 at lunch (30 g)",
        "require 09019 at snack (120 g)",
        f"require {DAL} at dinner",
    ]
    report = verify_plan(plan, foods)
    assert report.ok, report.problems


@pytest.mark.solve
def test_forbidden_foods_and_dishes_never_appear(profile, foods, week):
    served = {i.food_id for d in week.days[:1] for s in d.slots for i in s.items}
    food = sorted(served)[0]
    dishes = {s.dish_id for s in week.days[0].slots if s.dish_id}
    plan = plan_with(profile, foods, forbid=[food, *dishes])
    assert food not in items(plan)
    assert not dishes & {s.dish_id for s in plan.days[0].slots}
    assert verify_plan(plan, foods).ok


def test_a_requirement_another_rule_keeps_out_names_both_rules(profile, foods):
    with pytest.raises(ConflictError) as exc:
        plan_with(profile, foods, require=["01123"])  # an egg, for a vegan
    assert "require[0] (require 01123, Egg, whole, raw, fresh) conflicts with diet (vegan)" in str(exc.value)
    with pytest.raises(ConflictError, match=r"\(require 09040, Bananas, raw\) conflicts with forbidden \('09040'\)"):
        plan_with(profile, foods, require=["09040"], forbid=["09040"])


@pytest.mark.solve
def test_a_requirement_the_day_cannot_hold_names_every_rule_involved(profile, foods):
    two = "chana-masala-rice"
    with pytest.raises(ConflictError) as exc:
        plan_with(profile, foods, require=[f"{DAL}:dinner", f"{two}:dinner"])  # two dishes, one dinner
    text = str(exc.value)
    # Both requirements are named (the first gives, the second is the rule held against it).
    assert f"require {DAL} at dinner (day 1)" in text and f"require {two} at dinner (day 1)" in text
    with pytest.raises(ConfigError, match=r"1500 g is more than one meal serves of it \(at most \d+ g\)"):
        plan_with(profile, foods, require=["09040:snack=1500"])  # 1.5 kg of banana as a snack


@pytest.mark.solve
def test_a_carbohydrate_cap_names_the_amdr_it_conflicts_with(foods):
    from mealplan.optimizer.planner import make_plan
    from mealplan.targets.profile_files import profile_from_dict

    data = {"id": "cap", "age": 40, "sex": "male", "weight_kg": 80, "height_cm": 180,
            "nutrients": {"carbohydrate": {"min": 50, "max": 100}}}  # fmt: skip
    with pytest.raises(ConflictError) as exc:
        make_plan(profile_from_dict(data), foods)
    text = str(exc.value)
    assert "Carbohydrate at most 100 g (dietitian override)" in text
    assert "carbohydrate at least 45 % of energy (AMDR) (conflicts with the rule above)" in text
    assert "hint: a profile's diet_pattern (low-carb" in text
    plan = make_plan(profile_from_dict({**data, "diet_pattern": "low-carb"}), foods)  # the pattern's range
    assert verify_plan(plan, foods).ok
    assert not any("repeat sooner" in n for n in plan.solve.notes)  # one day repeats nothing


def test_unknown_ids_days_and_meals_exit_2():
    result = CliRunner().invoke(cli, ["plan", "--profile", str(PROFILE), "--require", "no-such-thing"])
    assert result.exit_code == 2
    assert "--require no-such-thing: no food or dish is named 'no-such-thing'" in result.output
    result = CliRunner().invoke(cli, ["plan", "--profile", str(PROFILE), "--require", "09040@3"])
    assert result.exit_code == 2 and "day 3 is beyond the plan's 1 day(s)" in result.output
    with pytest.raises(ConfigError, match="--require: require\\[0\\].meal: Input should be 'breakfast'"):
        with_plan_rules(PROFILE_OBJ(), require=["09040:brunch"])


def PROFILE_OBJ():  # noqa: N802 - a tiny helper named like the constant it reads
    from mealplan.targets.profile_files import load_profile

    return load_profile(PROFILE)
