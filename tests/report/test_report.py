"""HTML and Markdown reports: content, order, escaping, self-containment, and the numbers behind charts."""

from __future__ import annotations

import re

import pytest

from mealplan.plan import NutrientTotal, Plan
from mealplan.report import (
    coverage,
    fmt_amount,
    key_nutrients,
    nutrient_order,
    nutrient_sources,
    render_html,
    render_markdown,
    shortfall_groups,
)
from mealplan.triage import RedFlag, urgency_label

# Fixtures `plan` (tests/fixtures/plan_week.json) and `sr24` come from tests/optimizer/conftest.py
# (through tests/report/conftest.py).


@pytest.fixture(scope="module")
def page(plan, sr24) -> str:
    return render_html(plan, sr24)


def _one_day(plan: Plan) -> Plan:
    return plan.model_copy(update={"kind": "day", "days": plan.days[:1], "week_totals": None, "shortfalls": []})


def test_fixture_is_a_real_week(plan, sr24):
    assert plan.kind == "week" and len(plan.days) == 7
    for day in plan.days:
        items = [i for s in day.slots for i in s.items]
        assert all(i.food_id in sr24.foods.index and sr24.foods.at[i.food_id, "name"] == i.name for i in items)
        energy = sum(sr24.foods.at[i.food_id, "energy"] * i.grams / 100 for i in items)
        assert day.totals["energy"].amount == pytest.approx(energy, rel=1e-6)


def test_html_is_self_contained(page):
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert re.findall(r"""(?:src|href)\s*=\s*["'](?!#)""", page) == []
    assert "@import" not in page and "url(" not in page
    assert '<meta name="viewport"' in page and "@media print" in page and "@media (max-width" in page


def test_red_flags_and_disclaimer_come_before_the_plan(plan, page):
    flags = page.index('id="red-flags"')
    disclaimer = page.index(plan.disclaimer)
    assert flags < disclaimer < page.index('id="triage"') < page.index('id="days"')
    for flag in plan.red_flags:
        assert flag.advice in page
        assert f'<span class="urgency">{urgency_label(flag.urgency)}</span>' in page  # how soon, as elsewhere
    assert "Yes — 2 reasons" in page


def test_every_day_meal_and_item_is_shown(plan, page):
    for day in plan.days:
        section = page[page.index(f'id="day-{day.index}"') :]
        section = section[: section.index("</section>")]
        for slot in day.slots:
            assert f"{slot.energy_kcal:,.0f} kcal" in section
            for item in slot.items:
                assert f"{item.grams:.0f} g" in section
    assert page.count('class="day card"') == 7


def test_one_coverage_bar_per_nutrient_per_day_and_for_the_week(plan, page):
    order = nutrient_order(plan)
    assert page.count('<svg class="bar"') == len(order) * (len(plan.days) + 1)
    # one heatmap row per nutrient with a minimum, one cell per day plus the week
    rows = re.findall(r'<tr><th class="nut">', page)
    assert len(rows) == 1 + sum(1 for n in order if plan.targets.items[n].min)  # + the header row


def test_nutrient_order_puts_suspected_and_key_nutrients_first(plan):
    order = nutrient_order(plan)
    suspected = [s.nutrient for s in plan.triage.suspected if s.nutrient in plan.targets.items]
    assert order[: len(suspected)] == suspected
    assert set(order) == {n for n, t in plan.targets.items.items() if t.min or t.max}
    assert key_nutrients(plan)[:5] == ["magnesium", "calcium", "potassium", "vitamin_d", "vitamin_b12"]
    assert "iron" in key_nutrients(plan) and "water" not in key_nutrients(plan)


def test_sources_add_up_to_the_plan_totals(plan, sr24):
    for nid in key_nutrients(plan):
        sources = nutrient_sources(plan, sr24, nid)
        assert sum(s.share for s in sources) == pytest.approx(1.0)
        assert sum(s.per_day for s in sources) == pytest.approx(plan.week_totals[nid].amount, rel=1e-4)
        shares = [s.share for s in sources if s.food_id]
        assert shares == sorted(shares, reverse=True)


def test_sources_need_the_food_table(plan, page):
    without = render_html(plan)
    assert "cannot be shown" in without and "cannot be shown" not in page
    assert page.count('<svg class="stack"') == len(key_nutrients(plan))


def test_shortfalls_are_grouped_and_explained(plan, page):
    groups = shortfall_groups(plan)
    by_nut = {g.nutrient: g for g in groups}
    assert set(by_nut) == {s.nutrient for s in plan.shortfalls}
    assert groups[0].nutrient in key_nutrients(plan)
    water = by_nut["water"]
    assert water.headline.startswith("Short on 7 of 7 days")
    assert any("cups" in w for w in water.explanations)
    vit_d = by_nut["vitamin_d"]
    assert "week average" in vit_d.headline and "33%" in vit_d.headline
    assert any("not in a vegetarian diet" in w for w in vit_d.explanations)
    assert "sockeye salmon (not in a vegetarian diet)" in page


def test_text_is_escaped(plan):
    evil = "<script>alert('x')</script> & <b>"
    flag = RedFlag(id="evil", message=evil, advice=evil)
    day = plan.days[0]
    slot = day.slots[0]
    item = slot.items[0].model_copy(update={"name": evil, "household": evil})
    slots = [slot.model_copy(update={"items": [item, *slot.items[1:]]}), *day.slots[1:]]
    bad = plan.model_copy(
        update={
            "red_flags": [flag],
            "profile_id": evil,
            "days": [day.model_copy(update={"slots": slots}), *plan.days[1:]],
        }
    )
    page = render_html(bad)
    assert "<script" not in page and evil not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    md = render_markdown(bad)
    assert "<script" not in md


def test_day_plan_without_triage_or_shortfalls(plan):
    day = _one_day(plan).model_copy(update={"triage": None, "red_flags": []})
    page = render_html(day)
    assert 'id="heatmap"' not in page and 'id="red-flags"' not in page and 'id="triage"' not in page
    assert "No warning signs reported" in page
    assert "Nothing: the plan reaches every target." in page
    assert page.count('<svg class="bar"') == 2 * len(nutrient_order(plan))
    md = render_markdown(day)
    assert "## Day by day" not in md and "Nothing: the plan reaches every target." in md


def test_markdown_has_the_same_content_without_charts(plan, sr24):
    md = render_markdown(plan, sr24)
    assert "<svg" not in md
    headings = [
        "# Your 7-day meal plan: ana-vegetarian",
        "## ⚠ See a doctor about this first",
        "## Which nutrients to focus on",
        "## What is still short, and why",
        "## Targets reached",
        "## Day by day (% of each target)",
        "## The meals, day by day",
        "## Where the key nutrients come from",
        "## Shopping list",
        "## For your dietitian",
    ]
    positions = [md.index(h) for h in headings]
    assert positions == sorted(positions)
    assert md.count("### Day ") == 7
    assert "| Nutrient | D1 | D2 | D3 | D4 | D5 | D6 | D7 | Week |" in md
    assert "8 large eggs (1 dozen box)" in md
    assert plan.disclaimer in md


@pytest.mark.parametrize(
    ("amount", "lo", "hi", "status", "pct"),
    [
        (100.0, 100.0, None, "met", 100.0),
        (95.0, 100.0, None, "close", 95.0),
        (50.0, 100.0, None, "short", 50.0),
        (300.0, 100.0, 250.0, "over", 300.0),
        (200.0, None, 400.0, "limit-ok", 50.0),
        (500.0, None, 400.0, "over", 125.0),
    ],
)
def test_coverage_classes(amount, lo, hi, status, pct):
    total = NutrientTotal(nutrient="x", unit="mg", amount=amount, min=lo, max=hi, met=lo is None or amount >= lo)
    cov = coverage(total)
    assert cov.status == status
    assert cov.pct == pytest.approx(pct)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234.4, "mg", "1,234 mg"),
        (17.4, "µg", "17.4 µg"),
        (2.876, "µg", "2.88 µg"),
        (0.0, "g", "0 g"),
        (None, "", "–"),
    ],
)
def test_fmt_amount(value, unit, text):
    assert fmt_amount(value, unit) == text


def test_a_time_limited_plan_is_marked_not_proven_optimal(plan):
    from mealplan.plan import SolveStatus

    limited = plan.model_copy(update={"solve": plan.solve.model_copy(update={"status": SolveStatus.TIME_LIMIT})})
    for text in (render_html(limited), render_markdown(limited)):
        assert "not proven optimal" in text
    assert "not proven optimal" not in render_markdown(plan)


def test_markdown_cells_escape_tags_and_pipes_but_keep_comparisons_readable():
    from mealplan.report.text import md_escape

    assert md_escape("calcium > 1000 mg | <b>\nnext") == "calcium > 1000 mg \\| &lt;b> next"
