"""Households on the web page (issue 30): listed beside the clients, a household's page (members linked to
their client pages, shared meals, pantry), its plan form (CSRF-checked, a background job like a client's plan)
and the household plan's page."""

from __future__ import annotations

import json

import pytest

from mealplan.workbench.households import import_household, import_pantry
from mealplan.workbench.store import Store
from tests.household_plans import EXAMPLES, pair_file
from tests.web.conftest import client_for, csrf_of, follow_job, plan_id_of


@pytest.fixture
def home(db, tmp_path, foods, jobs):
    """The web page on a database with client vegan-twitching (plan 1) and household ``pair`` with its pantry."""
    with Store.open(db) as store:
        import_household(store, pair_file(tmp_path, pantry=False))
        import_pantry(store, "pair", EXAMPLES / "pantry.csv", foods)
    with client_for(db, jobs) as c:
        yield c


def test_households_are_listed_beside_the_clients_and_a_household_has_its_page(home):
    index = home.get("/")
    assert index.status_code == 200 and 'href="/households/pair"' in index.text and "Father and daughter" in index.text
    page = home.get("/households/pair")
    assert page.status_code == 200
    assert 'href="/clients/father"' in page.text and 'href="/clients/daughter"' in page.text
    assert "dinner" in page.text and "Spinach, raw" in page.text and "2026-12-16" in page.text
    assert 'action="/households/pair/plan"' in page.text
    assert home.get("/clients/father").status_code == 200  # a member is a client of their own


def test_unknown_households_and_a_plan_form_without_csrf_are_refused(home, db):
    assert home.get("/households/nope").status_code == 404
    household = home.get("/clients/pair")
    assert household.status_code == 404
    assert "&#39;pair&#39; is a household: its page is /households/pair." in household.text
    person = home.get("/households/vegan-twitching")
    assert person.status_code == 404 and "is one person&#39;s client, not a household" in person.text
    refused = home.post("/households/pair/plan", data={"days": "1"})
    assert refused.status_code == 403 and "Form expired" in refused.text
    with Store.open(db) as store:
        assert store.plans("pair") == []


@pytest.mark.solve
def test_planning_a_household_runs_as_a_job_and_opens_its_plan_page(home, db, foods):
    from mealplan.verify.household import verify_household
    from mealplan.workbench.household_store import household_plan

    token = csrf_of(home.get("/households/pair").text)
    page = follow_job(home, home.post("/households/pair/plan", data={"days": "1", "csrf": token}))
    pid = plan_id_of(page)
    assert page.status_code == 200 and pid == 2, page.text[-2000:]
    assert 'href="/households/pair"' in page.text and "Shopping" in page.text and page.text.count("<h1") == 1
    with Store.open(db) as store:
        hp = household_plan(store, pid)
    assert [m.id for m in hp.members] == ["father", "daughter"] and hp.days == 1
    report = verify_household(hp, foods)
    assert report.ok, report
    assert json.loads(home.get(f"/plans/{pid}/download/plan.json").text)["kind"] == "household"
    lock = home.post(f"/plans/{pid}/lock", data={"day": "1", "meal": "dinner", "csrf": token})
    assert lock.status_code == 422 and "household" in lock.text  # a household plan's meals are not edited here
