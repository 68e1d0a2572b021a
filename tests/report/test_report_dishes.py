"""Every renderer speaks dishes: meal titles, portions, methods, ingredient lines, the drink line and
leftovers, in the terminal table, CSV, Markdown, HTML and the shopping list; 1.x plans still render."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from mealplan.cli.common import render_rich
from mealplan.plan import Plan
from mealplan.report import day_meals, render_html, render_markdown
from mealplan.report.meals import portion_text
from mealplan.report.shopping import shopping_list, shopping_markdown
from mealplan.report.terminal import plan_csv, plan_renderables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def week() -> Plan:
    """A real schema 2.0 week: `mealplan plan --profile examples/profiles/vegan_twitching.yaml --days 7`."""
    return Plan.model_validate_json((FIXTURES / "plan_week_dishes.json").read_text())


@pytest.fixture(scope="module")
def leftover_week(week) -> Plan:
    """Day 2's lunch made the leftover of day 1's dinner, as the planner marks it with ``leftovers``
    (and day 2's dinner swapped for day 3's, so day 1's dinner dish feeds exactly two meals)."""
    dinner = next(s for s in week.days[0].slots if s.name == "dinner")
    other = next(s for s in week.days[2].slots if s.name == "dinner")
    leftover = dinner.model_copy(
        update={"name": "lunch", "leftover_of": week.days[0].index, "title": f"{dinner.title} (leftovers from day 1)"}
    )
    by_name = {"lunch": leftover, "dinner": other}
    day2 = week.days[1].model_copy(update={"slots": [by_name.get(s.name, s) for s in week.days[1].slots]})
    return week.model_copy(update={"days": [week.days[0], day2, *week.days[2:]]})


def test_the_fixture_speaks_dishes(week):
    kinds = {s.meal_kind for d in week.days for s in d.slots}
    assert week.schema_version == "2.0" and kinds == {"dish", "pattern"}
    assert any(i.role == "drink" for d in week.days for s in d.slots for i in s.items)


@pytest.mark.parametrize(
    ("portion", "text"),
    [(1.0, "1 portion"), (1.057, "1 portion"), (1.25, "1¼ portions"), (0.8, "¾ portion"), (2.0, "2 portions")],
)
def test_portion_in_words(portion, text):
    assert portion_text(portion) == text


def test_meal_view_of_a_dish_and_a_pattern(week):
    meals = day_meals(week, week.days[0])
    dish = next(m for m in meals if m.kind == "dish")
    assert dish.portion_text.endswith(("portion", "portions")) and dish.method
    assert all(line.household and "(" not in line.household.split()[-1] for line in dish.ingredients)
    pattern = next(m for m in meals if m.kind == "pattern")
    assert pattern.portion_text == "" and pattern.method == ""
    drinks = [m for m in meals if m.drinks]
    assert drinks and all(m.drink_text.startswith("Drink: ") for m in drinks)
    assert all(i.role != "drink" for m in meals for i in m.ingredients)


def test_every_renderer_names_each_meal(week, sr24):
    html = render_html(week, sr24)
    md = render_markdown(week, sr24)
    table = render_rich(plan_renderables(week), width=400)
    for day in week.days:
        for meal in day_meals(week, day):
            assert f"<b>{meal.title}</b>".replace("'", "&#39;") in html
            assert f"**{meal.label}: {meal.title}**" in md
            assert meal.title in table
            if meal.method:
                assert f"<i>{meal.method}</i>".replace("'", "&#39;") in html and f"_{meal.method}_" in md
                assert meal.method[:40] in table
    assert "Drink: " in html and "- Drink: " in md and "Drink: " in table
    assert "portion" in html and "portion)" in md


def test_csv_has_meal_columns(week):
    lines = [ln for ln in plan_csv(week).splitlines() if not ln.startswith("# ")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    assert {"day", "slot", "meal", "meal_kind", "dish_id", "role", "food", "grams", "household"} <= set(rows[0])
    items = [(d.index, s, i) for d in week.days for s in d.slots for i in s.items]
    assert len(rows) == len(items)
    for row, (day, slot, item) in zip(rows, items, strict=True):
        assert (row["day"], row["slot"], row["meal"], row["meal_kind"]) == (
            str(day),
            slot.name,
            slot.title,
            slot.meal_kind,
        )
        assert (row["dish_id"], row["role"], row["food_id"]) == (slot.dish_id or "", item.role, item.food_id)


def test_leftovers_are_said_once_and_cooked_once(leftover_week, sr24):
    html = render_html(leftover_week, sr24)
    md = render_markdown(leftover_week, sr24)
    table = render_rich(plan_renderables(leftover_week), width=400)
    for text in (html, md, table):
        assert "leftovers from day 1" in text
        assert "(leftovers from day 1) (leftovers" not in text
    lunch = next(m for m in day_meals(leftover_week, leftover_week.days[1]) if m.slot == "lunch")
    assert lunch.leftover_of == 1 and "leftovers" not in lunch.title
    shop = shopping_list(leftover_week, sr24)
    dinner = next(s for s in leftover_week.days[0].slots if s.name == "dinner")
    dish = next(d for d in shop.dishes if d.dish_id == dinner.dish_id)
    assert dish.meals == ["day 1 dinner", "day 2 lunch"] and dish.times_cooked == 1
    assert dish.note == "cooked once for two meals"
    assert "Dishes this week" in shopping_markdown(shop) and "cooked once for two meals" in html


def test_shopping_counts_every_gram_once(week, leftover_week, sr24):
    for plan in (week, leftover_week):
        shop = shopping_list(plan, sr24)
        eaten = sum(i.grams for d in plan.days for s in d.slots for i in s.items)
        assert sum(i.total_grams for i in shop.items) == pytest.approx(eaten, abs=0.1 * len(shop.items))
        dishes = {s.dish_id for d in plan.days for s in d.slots if s.dish_id}
        assert sorted(d.dish_id for d in shop.dishes) == sorted(dishes)  # each dish listed once


def test_a_1x_plan_still_renders(plan, sr24):
    """tests/fixtures/plan_week.json is a 1.x plan: meals read as "foods" with titles from food names."""
    assert {s.meal_kind for d in plan.days for s in d.slots} == {"foods"}
    html = render_html(plan, sr24)
    md = render_markdown(plan, sr24)
    csv_text = plan_csv(plan)
    for slot in plan.days[0].slots:
        assert slot.title and slot.title.replace("'", "&#39;") in html.replace("&amp;", "&")
        assert slot.title in md and "portion" not in md.split("## The meals")[1].split("##")[0]
        assert ",foods," in csv_text
    assert shopping_list(plan, sr24).dishes == []
