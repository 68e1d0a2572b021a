"""The meal editor on a real, verified plan (the issue's client: 68, on a thiazide, lactose intolerant,
dislikes fish): an amount in a household measure, a swap chosen from ranked alternatives whose effect
on the day is shown first, a dish swap, a food added by name (asking which when ambiguous) and removed,
and a change refused with the rules it would break. Every change is a new plan in the history, with
what changed in words, and every plan made here passes the verifier."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from mealplan.verify.verifier import verify_plan
from mealplan.workbench.history import note_of
from mealplan.workbench.store import Store
from tests.web.conftest import csrf_of


def stored(db, pid):
    with Store.open(db) as store:
        return store.plan_record(pid), store.plan(pid), note_of(store, pid)


def post_edit(client, page_html: str, **data):
    return client.post("/plans/1/edit", data={"csrf": csrf_of(page_html), **data}, follow_redirects=False)


@pytest.mark.solve
def test_the_meal_page_shows_amounts_in_household_measures_and_the_days_numbers(ana, ana_plan):
    slot = ana_plan.days[0].slots[0]
    r = ana.get(f"/plans/1/meal/1/{slot.name}")
    assert r.status_code == 200
    page = htmllib.unescape(r.text)
    assert f"Day 1 · Breakfast: {slot.title}" in page
    assert 'id="day-numbers"' in page and "Magnesium" in page and "Energy" in page
    for k in range(1, len(slot.items) + 1):
        assert f'id="item-{k}"' in page
    units = re.findall(r'<select id="u-1" name="unit">(.*?)</select>', r.text, re.S)[0]
    assert 'value="g"' in units and 'value="oz"' in units and re.search(r'value="(m\d|serving)" selected', units)
    assert "?swap=1#alternatives" in page and "?dishes=1#dishes" in page


@pytest.mark.solve
def test_an_amount_in_a_household_measure_is_a_recorded_verified_edit(ana, ana_db, ana_plan, foods):
    slot = ana_plan.days[0].slots[0]
    item = slot.items[0]
    page = ana.get(f"/plans/1/meal/1/{slot.name}").text
    unit, grams = re.search(r'<option value="(m\d|serving)" selected>[^<]*?\((\d+(?:\.\d+)?) g\)', page).groups()
    amount = round(item.grams / float(grams) * 0.75, 2)
    r = post_edit(ana, page, op="amount", day="1", meal=slot.name, index="1", amount=str(amount), unit=unit)
    assert r.status_code == 303 and r.headers["location"] == f"/plans/2/meal/1/{slot.name}?done=edited#day-numbers"
    record, plan, note = stored(ana_db, 2)
    assert (record.action, record.parent_id) == ("edit", 1)
    new_item = plan.days[0].slots[0].items[0]
    assert new_item.food_id == item.food_id and new_item.grams == pytest.approx(amount * float(grams), abs=0.01)
    assert note.label.startswith(f"amount: day 1 {slot.name}, ") and note.label.endswith(f"→ {new_item.grams:.0f} g")
    assert plan.edits[-1].action == "set" and plan.edits[-1].grams_after == pytest.approx(new_item.grams)
    assert verify_plan(plan, foods).ok
    after = ana.get(r.headers["location"]).text
    assert "Meal changed, rescored and verified" in after and plan.days[0].slots[0].items[0].household in after


@pytest.mark.solve
def test_a_swap_shows_its_effect_on_the_day_before_saving(ana, ana_db, ana_plan, foods):
    d, slot = 1, ana_plan.days[0].slots[2]  # dinner
    index = (
        next(k for k, i in enumerate(slot.items, 1) if i.role == "protein")
        if any(i.role == "protein" for i in slot.items)
        else 1
    )
    r = ana.get(f"/plans/1/meal/{d}/{slot.name}?swap={index}")
    assert r.status_code == 200 and 'id="alternatives"' in r.text
    alts = re.findall(
        r'<input type="hidden" name="food" value="([^"]+)"><input type="hidden" name="grams" '
        r'value="([^"]+)">',
        r.text,
    )
    assert alts, "no alternative offered"
    tables = re.findall(r'<table class="effects"><caption>Day 1 with .*?</table>', r.text, re.S)
    assert len(tables) == len(alts) and all("Magnesium" in t and '<th scope="col">After</th>' in t for t in tables)
    food, grams = alts[0]
    shown = re.findall(r"<th scope=\"row\">Magnesium</th><td>[^<]*<small>[^<]*</small></td><td>([\d,.]+) mg", tables[0])
    r = post_edit(ana, r.text, op="swap", day="1", meal=slot.name, index=str(index), food=food, grams=grams)
    assert r.status_code == 303, r.text[-600:]
    record, plan, note = stored(ana_db, 2)
    new = plan.days[0].slots[2].items[index - 1]
    assert new.food_id == food and new.grams == pytest.approx(float(grams))
    assert note.label.startswith(f"swap: day 1 {slot.name}, ")
    assert [e.action for e in plan.edits[-2:]] == ["remove", "add"]
    assert verify_plan(plan, foods).ok
    if shown:  # the number the preview showed is the day's new total
        assert float(shown[0].replace(",", "")) == pytest.approx(plan.days[0].totals["magnesium"].amount, abs=1.0)


@pytest.mark.solve
def test_a_dish_swap_from_the_ranked_dishes(ana, ana_db, ana_plan, foods):
    slot = ana_plan.days[1].slots[1]  # day 2 lunch
    r = ana.get(f"/plans/1/meal/2/{slot.name}?dishes=1")
    dishes = re.findall(r'name="dish" value="([^"]+)"><input type="hidden" name="portion" value="([^"]+)"', r.text)
    assert dishes, r.text[-1500:]
    dish, portion = dishes[0]
    r = post_edit(ana, r.text, op="dish", day="2", meal=slot.name, dish=dish, portion=portion)
    assert r.status_code == 303, htmllib.unescape(r.text)[-800:]
    _, plan, note = stored(ana_db, 2)
    meal = plan.days[1].slots[1]
    assert meal.dish_id == dish and meal.meal_kind == "dish" and meal.portion == pytest.approx(float(portion))
    assert note.label.startswith(f"swap dish: day 2 {slot.name}, {slot.title} → ")
    assert verify_plan(plan, foods).ok


@pytest.mark.solve
def test_a_food_removed_then_one_added_by_name_asking_which(ana, ana_db, ana_plan, foods):
    snack = ana_plan.days[2].slots[-1]
    page = ana.get("/plans/1/meal/3/snack").text
    gone = snack.items[0]
    r = ana.post(
        "/plans/1/edit",
        data={"csrf": csrf_of(page), "op": "remove", "day": "3", "meal": "snack", "index": "1"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    _, plan, note = stored(ana_db, 2)
    assert plan.days[2].slots[-1].items == snack.items[1:] or len(snack.items) == 1
    assert note.label == f"remove: day 3 snack, {note.label.rsplit(', ', 1)[1]}" and verify_plan(plan, foods).ok
    # a name several foods hold: the page asks which, keeping what was typed
    page = ana.get("/plans/2/meal/3/snack").text
    r = ana.post(
        "/plans/2/edit",
        data={
            "csrf": csrf_of(page),
            "op": "add",
            "day": "3",
            "meal": "snack",
            "food": "almonds",
            "amount": "15",
            "unit": "g",
        },
    )
    assert r.status_code == 422
    choices = re.findall(r'<input type="radio" name="food" value="([^"]+)">', r.text)
    assert len(choices) > 1 and "&#39;almonds&#39; names" in r.text and 'value="15"' in r.text
    r = ana.post(
        "/plans/2/edit",
        data={
            "csrf": csrf_of(page),
            "op": "add",
            "day": "3",
            "meal": "snack",
            "food": choices[0],
            "amount": "0.5",
            "unit": "oz",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, re.findall(r'class="errtext">(.*?)</p>', htmllib.unescape(r.text), re.S)
    _, third, note = stored(ana_db, 3)
    added = third.days[2].slots[-1].items[-1]
    assert added.food_id == choices[0] and added.grams == pytest.approx(14.17, abs=0.01)
    assert note.label.startswith("add: day 3 snack, ") and note.label.endswith(" 14 g")
    assert verify_plan(third, foods).ok and gone.food_id not in {i.food_id for i in third.days[2].slots[-1].items[:-1]}


@pytest.mark.solve
def test_a_change_that_breaks_a_hard_rule_is_refused_with_the_rules(ana, ana_db, ana_plan):
    slot = ana_plan.days[0].slots[1]
    page = ana.get(f"/plans/1/meal/1/{slot.name}").text
    r = ana.post(
        "/plans/1/edit",
        data={
            "csrf": csrf_of(page),
            "op": "add",
            "day": "1",
            "meal": slot.name,
            "food": "11090",
            "amount": "2",
            "unit": "oz",
        },
    )
    disliked = ana.post(
        "/plans/1/edit",
        data={
            "csrf": csrf_of(page),
            "op": "add",
            "day": "1",
            "meal": slot.name,
            "food": "15237",
            "amount": "100",
            "unit": "g",
        },
    )  # salmon: she dislikes fish
    assert disliked.status_code == 422 and "cannot be served in this plan: disliked" in htmllib.unescape(disliked.text)
    big = ana.post(
        "/plans/1/edit",
        data={
            "csrf": csrf_of(page),
            "op": "amount",
            "day": "1",
            "meal": slot.name,
            "index": "1",
            "amount": "2000",
            "unit": "g",
        },
    )
    assert big.status_code == 422 and "Not changed" in big.text
    with Store.open(ana_db) as store:
        assert len(store.plans("ana")) == 1 + (r.status_code == 200)  # only an accepted change is stored
    bad_unit = ana.post(
        "/plans/1/edit",
        data={
            "csrf": csrf_of(page),
            "op": "amount",
            "day": "1",
            "meal": slot.name,
            "index": "1",
            "amount": "1",
            "unit": "m99",
        },
    )
    assert bad_unit.status_code == 422 and "unit &#39;m99&#39;: allowed" in bad_unit.text
