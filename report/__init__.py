"""A plan as a report people read: one self-contained HTML file with charts, or Markdown.

The package builds the plan "view" once (``view.build_view``: meals with titles and ingredient
lines, nutrients with their coverage, shortfalls in plain words, red flags, the disclaimer, the
shopping list) and lays it out twice:

- ``html``: Jinja2 templates (``templates/``, autoescaped) and a stylesheet (``report.css``), both
  package data. The page has no scripts and loads nothing: charts are inline SVG or coloured tables,
  so it opens offline, reads on a phone and prints on a few A4 pages (day details start collapsed).
- ``markdown``: the same content without charts.

``meals`` describes a meal once for every renderer (the terminal and CSV in ``report.terminal`` and the
shopping list too); ``nutrients`` holds the numbers behind the charts.

Order, for someone who has ten seconds: what needs a doctor (red flags), what the plan is and what
is still short (summary cards), then the detail: triage, the week at a glance, shortfalls, coverage
charts, the days meal by meal, where the key nutrients come from, the shopping list, and the
technical notes for a dietitian.
"""

from __future__ import annotations

from mealplan.numbers import fmt_amount
from mealplan.report.html import render_html
from mealplan.report.markdown import render_markdown
from mealplan.report.meals import SLOT_LABELS, MealView, day_meals, day_number, meal_view
from mealplan.report.nutrients import (
    CLOSE_PCT,
    KEY_NUTRIENTS,
    NUTRIENT_NOTES,
    SCALE_PCT,
    STATUS_WORDS,
    ShortfallGroup,
    Source,
    coverage,
    key_nutrients,
    nutrient_order,
    nutrient_sources,
    red_flags,
    shortfall_groups,
    status_text,
    week_total,
)
from mealplan.report.view import PlanView, build_view

__all__ = [
    "CLOSE_PCT",
    "KEY_NUTRIENTS",
    "NUTRIENT_NOTES",
    "SCALE_PCT",
    "SLOT_LABELS",
    "STATUS_WORDS",
    "MealView",
    "PlanView",
    "ShortfallGroup",
    "Source",
    "build_view",
    "coverage",
    "day_meals",
    "day_number",
    "fmt_amount",
    "key_nutrients",
    "meal_view",
    "nutrient_order",
    "nutrient_sources",
    "red_flags",
    "render_html",
    "render_markdown",
    "shortfall_groups",
    "status_text",
    "week_total",
]
