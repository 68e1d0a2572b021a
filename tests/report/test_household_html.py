"""A household plan as one HTML page (``mealplan plan --household FILE --format html``), from saved plans: no
solver. Red flags and the disclaimer first, a column and a card per person, the pantry, one shopping list,
every value escaped, printable (the single report's stylesheet, no scripts)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from mealplan.report.household import household_html
from mealplan.triage.models import RedFlag
from tests.household_plans import household_of, pantry_of, saved_week


@pytest.fixture(scope="module")
def home(bundled):
    week = saved_week()
    other = week.model_copy(update={"days": [week.days[2], *week.days[1:]]})  # day 1: day 3's meals
    hp = household_of({"ana": week, "ben": other}, bundled, pantry=pantry_of(bundled, ("20036", 2000.0, None)),
                      reason="cannot eat it: <b>nuts</b>")  # fmt: skip
    flag = RedFlag(id="numbness", urgency="soon", message="Numbness <script>alert(1)</script>", advice="See a GP.")
    ana = hp.members[0].model_copy(update={"name": "Ana <i>&</i> Co", "plan": week.model_copy(
        update={"profile_id": "ana", "red_flags": [flag]})})  # fmt: skip
    ben = hp.members[1].model_copy(update={"name": "Ben"})
    return hp.model_copy(update={"members": [ana, ben], "name": "The <Test> family"})


@pytest.fixture(scope="module")
def page(home, bundled):
    return household_html(home, bundled)


def test_red_flags_then_the_disclaimer_come_first(page):
    body = page[page.index("<main>") :]
    flags, disclaimer = body.index('id="red-flags"'), body.index('class="disclaimer"')
    assert flags < disclaimer < body.index("<h1>") < body.index('id="together"') < body.index('id="shopping"')
    assert "For education only." in body[disclaimer : body.index("<h1>")]
    assert "Ana &lt;i&gt;&amp;&lt;/i&gt; Co: Numbness" in body[flags:disclaimer]


def test_without_red_flags_the_disclaimer_is_first(home, bundled):
    members = [m.model_copy(update={"plan": m.plan.model_copy(update={"red_flags": []})}) for m in home.members]
    body = household_html(home.model_copy(update={"members": members}), bundled)
    body = body[body.index("<main>") :]
    assert 'id="red-flags"' not in body
    assert body.index('class="disclaimer"') < body.index("<h1>")


def test_a_column_and_a_card_per_person(page):
    assert "<th>Day</th><th>Meal</th><th>Dish</th><th>ana</th><th>ben</th>" in page
    assert 'id="member-1"' in page and 'id="member-2"' in page
    assert "Ana &lt;i&gt;&amp;&lt;/i&gt; Co <small>(ana)" in page and "Ben <small>(ben)" in page
    assert "apart: " in page and "cannot eat it: &lt;b&gt;nuts&lt;/b&gt;" in page
    assert "Still short:" in page


def test_the_pantry_and_the_households_one_shopping_list(page):
    pantry = page[page.index('id="pantry"') : page.index('id="shopping"')]
    assert "brown rice" in pantry and "Rice, brown" not in pantry  # as the shopping list names it
    shop = page[page.index('id="shopping"') :]
    assert "Shopping list <small>for the household, 7 days</small>" in shop
    assert "Already at home (pantry)" in shop and "from the pantry" in shop
    assert "day 1 dinner (2 people)" in shop or "(2 people)" in shop
    assert page.count('id="shopping"') == 1


def test_every_value_is_escaped_and_the_page_is_offline(page):
    assert "<script" not in page and "<i>&" not in page and "<b>nuts" not in page
    assert "Household plan: The &lt;Test&gt; family (test-home)" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "@media print" in page  # the report's print rules

    class Check(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag not in {"meta", "br", "img", "link", "input"}:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
            self.stack.pop()

    checker = Check()
    checker.feed(page)
    assert checker.stack == []
