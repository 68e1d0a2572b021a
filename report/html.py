"""The HTML report: ``templates/report.html.j2`` laid over the plan view, with ``report.css`` inline.

Jinja2 autoescapes every value from the plan; only the package's own stylesheet is marked safe. The
page has no scripts and loads nothing at view time: every chart is inline SVG or a coloured table, so
it opens offline, reads on a phone and prints on A4 (see the print rules in ``report.css``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from mealplan.food_data.names import short_name
from mealplan.report.nutrients import days_words
from mealplan.report.view import build_view
from mealplan.triage import urgency_label

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.plan import Plan

HERE = Path(__file__).resolve().parent


@cache
def environment() -> Environment:
    """The Jinja2 environment: package templates, autoescaping on for every ``.j2`` HTML template."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )
    env.filters["short_name"] = short_name
    env.filters["urgency"] = urgency_label
    env.globals["days_words"] = days_words
    return env


@cache
def stylesheet() -> Markup:
    """The report's CSS (a package data file), trusted as-is inside ``<style>``."""
    return Markup((HERE / "report.css").read_text(encoding="utf-8"))


def render_html(plan: Plan, foods: FoodTable | None = None) -> str:
    """Render a plan as one self-contained HTML page (inline CSS and SVG, no scripts, no network).

    Args:
        plan: A day or week plan.
        foods: The food table the plan was made from; when given, the report shows which foods
            supply the key nutrients and the shopping list uses household measures.

    Returns:
        The HTML document as a string.
    """
    view = build_view(plan, foods)
    return environment().get_template("report.html.j2").render(v=view, css=stylesheet())
