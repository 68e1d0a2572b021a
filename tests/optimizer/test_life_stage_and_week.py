"""Life-stage food safety (pregnancy, breastfeeding) and the week's dish rules: leftovers, no lunch or
dinner dish two days running, at most twice a week. Plans come from the real bundled data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.safety import load_safety, safety_rules, unsafe
from mealplan.optimizer.planner import make_plan
from mealplan.plan import PlanItem
from mealplan.targets.profile_files import load_profile, profile_from_dict
from mealplan.verify.verifier import verify_plan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "profiles"


@pytest.mark.parametrize(
    ("name", "category", "stage", "why"),
    [
        ("Fish, salmon, chinook, smoked", "seafood", "pregnant", "smoked seafood"),
        ("Fish, swordfish, cooked, dry heat", "seafood", "lactating", "high-mercury"),
        ("Bologna, beef and pork", "meat", "pregnant", "deli"),
        ("Cheese, brie", "dairy and fortified alternatives", "pregnant", "soft"),
        ("Chicken, liver, all classes, cooked, simmered", "poultry", "pregnant", "vitamin A"),
        ("Egg, whole, raw, fresh", "eggs", "pregnant", "raw"),
    ],
)
def test_safety_rules_name_the_reason(name, category, stage, why):
    rules = safety_rules(pregnant=stage == "pregnant", lactating=stage == "lactating")
    assert why in (unsafe(rules, name, category) or "")
    assert unsafe(safety_rules(False, False), name, category) is None


def test_safe_foods_pass():
    rules = safety_rules(pregnant=True, lactating=False)
    for name, category in [
        ("Fish, salmon, Atlantic, farmed, cooked, dry heat", "seafood"),
        ("Cheese, cheddar", "dairy and fortified alternatives"),
        ("Vegetables, mixed, raw", "vegetables"),  # "raw" is about meat, fish and eggs only
        ("Chicken, broilers or fryers, breast, meat only, cooked, roasted", "poultry"),
    ]:
        assert unsafe(rules, name, category) is None, name


def test_a_bad_safety_file_names_the_field(tmp_path):
    path = tmp_path / "safety.yaml"
    path.write_text("schema: 1\nrules:\n  - {stage: toddler, match: '(', why: x}\n")
    with pytest.raises(ConfigError) as info:
        load_safety(path)
    text = " ".join(info.value.problems)
    assert "rules.0.stage" in text and "rules.0.match" in text


@pytest.fixture(scope="module")
def pregnant_week(bundled):
    profile = profile_from_dict({"id": "preg", "age": 29, "sex": "female", "pregnant": True, "diet": "omnivore"})
    return make_plan(profile, bundled, days=7)


@pytest.mark.solve
def test_a_pregnant_week_has_no_food_pregnancy_keeps_out(pregnant_week, bundled):
    plan = pregnant_week
    assert plan.rules.safety and verify_plan(plan, bundled).ok
    for day in plan.days:
        for slot in day.slots:
            for item in slot.items:
                assert unsafe(plan.rules.safety, item.name, item.category) is None, item.name


@pytest.mark.solve
def test_verify_catches_a_food_pregnancy_keeps_out(pregnant_week, bundled):
    plan = pregnant_week
    day = plan.days[0]
    lox = bundled.foods.loc["15179"]  # salmon, chinook, smoked
    item = PlanItem(food_id="15179", name=lox["name"], category=lox["category"], role="protein", grams=30.0,
                    servings=30.0 / float(lox["serving_g"]), serving_name=str(lox["serving_name"]),
                    serving_g=float(lox["serving_g"]), household="1 oz (30 g)")  # fmt: skip
    slot = day.slots[0].model_copy(update={"items": [*day.slots[0].items, item]})
    broken = plan.model_copy(
        update={"days": [day.model_copy(update={"slots": [slot, *day.slots[1:]]}), *plan.days[1:]]}
    )
    problems = [p for p in verify_plan(broken, bundled).problems if p.check == "safety"]
    assert problems and "smoked seafood" in problems[0].message


@pytest.mark.solve
def test_no_main_dish_two_days_running_and_at_most_twice(pregnant_week):
    plan = pregnant_week
    mains = [{s.dish_id for s in d.slots if s.name in ("lunch", "dinner") and s.dish_id} for d in plan.days]
    assert all(not (a & b) for a, b in zip(mains, mains[1:], strict=False))
    counts = Counter(j for day in mains for j in day)
    assert max(counts.values()) <= plan.rules.meal_rules.dish_max_per_week
    # nor a breakfast or snack dish (a smoothie at breakfast, then as the next day's snack)
    light = [{s.dish_id for s in d.slots if s.name in ("breakfast", "snack") and s.dish_id} for d in plan.days]
    assert plan.rules.meal_rules.no_light_dish_two_days_running
    assert all(not (a & b) for a, b in zip(light, light[1:], strict=False))


@pytest.mark.solve
def test_leftovers_make_the_next_lunch_and_count_as_meals(bundled):
    profile = load_profile(EXAMPLES / "vegan_twitching.yaml").model_copy(update={"leftovers": True})
    plan = make_plan(profile, bundled, days=4)
    assert verify_plan(plan, bundled).ok
    leftovers = [(d.index, s) for d in plan.days for s in d.slots if s.leftover_of is not None]
    assert leftovers, "some dinner becomes the next day's lunch"
    for index, lunch in leftovers:
        dinner = next(s for s in plan.days[index - 2].slots if s.name == "dinner")
        assert lunch.name == "lunch" and lunch.leftover_of == index - 1 and lunch.dish_id == dinner.dish_id
        assert [i.grams for i in lunch.items if i.role != "drink"] == [
            i.grams for i in dinner.items if i.role != "drink"
        ]
    # A dish cooked for a leftover lunch is chosen once: the leftover comes with it, whatever the week's count.
    counts = Counter(
        s.dish_id
        for d in plan.days
        for s in d.slots
        if s.name in ("lunch", "dinner") and s.dish_id and not s.leftover_of
    )
    assert max(counts.values()) <= plan.rules.meal_rules.dish_max_per_week
