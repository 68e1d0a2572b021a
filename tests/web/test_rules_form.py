"""Require and Forbid as rows that cannot be entered wrong: days as ticks (09040 on days 1, 3 and 5 is
one rule, not ids 00003 and 00005), names resolved or offered as choices, the same food twice merged
or named, a food both required and forbidden named before any plan, each problem next to its field and
in a summary at the top that links to it, and "Add a row" without a script."""

from __future__ import annotations

import html as htmllib
import re

from mealplan.workbench.store import Store
from tests.web.conftest import csrf_of


def form_of(html: str) -> dict[str, str]:
    """The profile form's current values, as a browser would send them (no rows)."""
    form = dict(re.findall(r'<input id="f-([a-z_]+)" name="\1"[^>]*?value="([^"]*)"', html))
    form |= dict(re.findall(r'<select id="f-([a-z_]+)" name="\1"[^>]*>.*?<option value="([^"]*)" selected', html))
    form |= {k: "1" for k in re.findall(r'<input type="checkbox" id="f-([a-z_]+)" name="\1" value="1" checked', html)}
    form["more"] = htmllib.unescape(
        re.search(r'<textarea id="f-more" name="more"[^>]*>(.*?)</textarea>', html, re.S)[1]
    )
    return {k: htmllib.unescape(v) for k, v in form.items()}


def save(web, rows: dict[str, str | list[str]]):
    html = web.get("/clients/vegan-twitching").text
    data = {**form_of(html), "csrf": csrf_of(html), **rows}
    return web.post("/clients/vegan-twitching/profile", data=data, follow_redirects=False)


def latest(db):
    with Store.open(db) as store:
        return store.latest_profile("vegan-twitching")


def rules(db) -> list[dict]:
    """The stored requirements without their empty fields."""
    return [{k: v for k, v in r.items() if v not in (None, [])} for r in latest(db).profile["require"]]


def test_a_food_on_several_days_is_one_rule(web, db):
    r = save(
        web,
        {
            "require-0-food": "09040",
            "require-0-day": ["1", "3", "5"],
            "require-0-meal": "breakfast",
            "require-0-grams": "100",
        },
    )
    assert r.status_code == 303, htmllib.unescape(r.text)[-1200:]
    assert rules(db) == [{"food": "09040", "days": [1, 3, 5], "meal": "breakfast", "grams": 100.0}]
    page = web.get("/clients/vegan-twitching").text  # the row comes back as it was entered
    assert 'name="require-0-food" value="09040"' in page
    assert all(f'name="require-0-day" value="{d}" checked' in page for d in (1, 3, 5))
    assert 'name="require-0-day" value="2" checked' not in page
    assert '<option value="breakfast" selected>' in page and 'name="require-1-food" value=""' in page


def test_names_become_ids_and_an_ambiguous_one_offers_the_choices(web, db):
    r = save(
        web,
        {
            "require-0-food": "lentil and spinach dal",
            "require-0-day": ["2"],
            "forbid-0-item": "*tofu*",
            "forbid-1-item": "spinach",
        },
    )
    assert r.status_code == 422
    text = htmllib.unescape(r.text)
    assert "forbid row 2: 'spinach' names" in text
    choices = re.findall(r'<input type="radio" name="forbid-1-item" value="([^"]+)">', r.text)
    assert len(choices) >= 2 and "11457" in choices
    summary = r.text[r.text.index('id="errors"') : r.text.index('<div class="top">')]
    assert 'href="#f-forbid-1-item"' in summary and 'id="f-forbid-1-item"' in r.text
    r = save(
        web,
        {
            "require-0-food": "lentil and spinach dal",
            "require-0-day": ["2"],
            "forbid-0-item": "*tofu*",
            "forbid-1-item": ["spinach", "11457"],
        },
    )  # the text and the radio chosen: the choice wins
    assert r.status_code == 303, htmllib.unescape(r.text)[-1200:]
    profile = latest(db).profile
    assert rules(db) == [{"food": "lentil-spinach-dal-brown-rice", "days": [2]}]
    assert profile["forbid"] == ["*tofu*", "11457"]


def test_the_same_food_twice_is_merged_or_named(web, db):
    r = save(
        web,
        {
            "require-0-food": "09040",
            "require-0-day": ["1"],
            "require-0-meal": "breakfast",
            "require-1-food": "9040",
            "require-1-day": ["3"],
            "require-1-meal": "breakfast",
        },
    )
    assert r.status_code == 303
    assert rules(db) == [{"food": "09040", "days": [1, 3], "meal": "breakfast"}]
    r = save(
        web,
        {
            "require-0-food": "09040",
            "require-0-day": ["1"],
            "require-0-meal": "breakfast",
            "require-1-food": "09040",
            "require-1-day": ["3"],
            "require-1-meal": "snack",
        },
    )
    assert r.status_code == 422
    assert "require row 2: 09040 is already required in row 1 with another meal or amount" in htmllib.unescape(r.text)


def test_required_and_forbidden_is_named_before_any_plan(web, db):
    r = save(web, {"require-0-food": "09040", "forbid-0-item": "*banana*"})
    assert r.status_code == 422
    assert "require row 1: 09040 (Bananas, raw) is also forbidden ('*banana*')" in htmllib.unescape(r.text)
    r = save(web, {"require-0-food": "bananas, raw", "forbid-0-item": "9040"})  # a name and an id: the same food
    assert "require row 1: 09040 (Bananas, raw) is also forbidden ('09040')" in htmllib.unescape(r.text)
    with Store.open(db) as store:
        assert len(store.profile_versions("vegan-twitching")) == 1


def test_each_problem_is_by_its_field_and_in_the_summary(web):
    r = save(
        web,
        {
            "require-0-food": "",
            "require-0-day": ["2"],
            "require-1-food": "09040",
            "require-1-grams": "-5",
            "require-2-food": "no such food at all",
            "age": "abc",
        },
    )
    assert r.status_code == 422
    text = htmllib.unescape(r.text)
    summary = text[text.index('id="errors"') : text.index('<div class="top">')]
    assert "problems to fix before saving" in summary
    for anchor, words in (
        ("f-require-0-food", "require row 1: give a food or dish"),
        ("f-require-1-grams", "require row 2: grams '-5': give more than 0 and at most 2000"),
        ("f-require-2-food", "require row 3: no food or dish is named 'no such food at all'"),
        ("f-age", "age: Input should be a valid integer"),
    ):
        assert f'href="#{anchor}"' in summary and words in summary, anchor
        assert f'id="{anchor}"' in text
    assert text.index('id="errors"') < text.index("<form")


def test_add_a_row_without_a_script(web, db):
    r = save(web, {"require-0-food": "09040", "add_row": "require"})
    assert r.status_code == 200
    assert 'name="require-0-food" value="09040"' in r.text
    assert 'name="require-1-food" value=""' in r.text and 'name="require-2-food" value=""' in r.text
    with Store.open(db) as store:
        assert len(store.profile_versions("vegan-twitching")) == 1  # nothing stored
