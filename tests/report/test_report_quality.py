"""Food groups and diet quality in every report (HTML, Markdown, terminal) for plans of schema 2.1; none for 2.0.

The plan is the hand-built week of tests/verify/plan21.py: its HEI-2020 is 93.5, every component at its
maximum but dairy (3.5 of 10); day 1 has 2.8 cup-eq of vegetables against the pattern's 2.5.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from mealplan.report import render_html, render_markdown
from mealplan.report.quality import quality_view
from mealplan.report.terminal import plan_renderables, quality_tables
from tests.verify.plan21 import DAYS, make_plan, table

PATTERN = "Healthy U.S.-Style Dietary Pattern, 2,000 kcal"


@pytest.fixture(scope="module")
def week():
    return make_plan()


def text_of(renderables) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    for r in renderables:
        console.print(r)
    return console.file.getvalue()


def test_the_view_reads_what_the_plan_records(week):
    q = quality_view(week, table())
    assert q.pattern == PATTERN
    assert [c.id for c in q.columns] == ["vegetables", "fruits", "whole_grains", "dairy", "protein_foods"]
    assert [c.goal for c in q.columns] == ["2.5", "2", "3", "3", "5.5"]
    assert [r.label for r in q.rows] == ["Day 1", "Day 2", "Day 3", "Week, a day"]
    day1 = q.rows[0]
    veg = ("veg_dark_green", "veg_red_orange", "veg_starchy", "veg_other", "legumes")
    assert day1.amounts[0] == f"{sum(week.days[0].food_groups[c] for c in veg):.1f}"
    assert (day1.amounts[0], day1.short[0], day1.short[1]) == ("2.8", False, True)  # vegetables met, fruit short
    assert (q.rows[2].juice, q.rows[2].whole_fruit) == ("0.73", "76%")  # day 3: 180 g of juice, the dish's orange
    assert q.scopes == ["week"] and q.totals == ["93.5"] and q.lost == ["dairy 3.5 of 10"]
    assert [c.name for c in q.components if any(c.lost)] == ["Dairy"]


def test_saturated_fat_comes_from_the_totals_or_the_table_or_is_not_shown(week):
    with_table = quality_view(week, table()).rows[0].saturated_fat
    assert with_table.endswith("%")
    assert quality_view(week).rows[0].saturated_fat == "–"


def test_the_html_report_has_the_section(week):
    page = render_html(week, table())
    assert '<a href="#quality">Food groups</a>' in page
    section = page[page.index('id="quality"') : page.index('id="days"')]
    assert f"against the {PATTERN}" in section
    assert "<th>Pattern, a day</th>" in section and "<th>Week, a day</th>" in section
    assert "<b>93.5</b> of 100" in section and "points lost: dairy 3.5 of 10" in section
    assert '<td class="low">3.5</td>' in section  # the component that lost points


def test_the_markdown_report_has_the_section(week):
    md = render_markdown(week, table())
    assert "## Food groups and diet quality" in md
    assert "| _Pattern, a day_ | 2.5 | 2 | 3 | 3 | 5.5 | ≥ 50% | ≥ 50% |  | < 10% | < 10% |" in md
    assert "**Healthy Eating Index 2020** (week): **93.5** of 100; points lost: dairy 3.5 of 10." in md
    assert "| Dairy | 10 | 3.5 |" in md


def test_the_terminal_shows_the_tables(week):
    out = text_of(plan_renderables(week))
    assert "Food groups a day (against the Healthy U.S.-Style Dietary Pattern" in out
    assert "Healthy Eating Index 2020 (week): 93.5 of 100; points lost: dairy 3.5 of 10" in out
    assert "Week, a day" in out
    assert text_of(quality_tables(week, table())).count("Day ") == 3


def test_a_day_plan_has_no_week_row():
    q = quality_view(make_plan(DAYS[:1]), table())
    assert [r.label for r in q.rows] == ["Day 1"] and q.scopes == ["day 1"]


def test_a_2_0_plan_has_no_section(plan):
    assert quality_view(plan) is None
    assert 'id="quality"' not in render_html(plan)
    assert "Food groups and diet quality" not in render_markdown(plan)
    assert quality_tables(plan) == []


def test_the_patterns_name_is_escaped(week):
    goals = week.rules.food_groups.model_copy(update={"name": "<script>alert(1)</script>"})
    hostile = week.model_copy(update={"rules": week.rules.model_copy(update={"food_groups": goals})})
    page = render_html(hostile)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Against the &lt;script>alert(1)&lt;/script>, 2,000 kcal" in render_markdown(hostile)  # md_escape
