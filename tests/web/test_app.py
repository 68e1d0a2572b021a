"""The web page through Starlette's test client: token, CSRF, escaping, validation errors by field,
bad ids (404 pages with a clear message, never a traceback), the disclaimer and red flags first,
lock, and a real day plan with a food forbidden and the day re-planned (verified)."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from click.testing import CliRunner
from markupsafe import escape

from mealplan.plan import Plan
from mealplan.triage import DISCLAIMER
from mealplan.workbench.store import Store
from tests.web.conftest import WEEK, client_for, csrf_of, follow_job, plan_id_of

SHOWN_DISCLAIMER = str(escape(DISCLAIMER))
ADD = {"client_id": "bea", "name": "Bea", "age": "34", "sex": "female", "diet": "vegetarian", "activity": "low",
       "appetite": "normal", "meals": "breakfast, lunch, dinner, snack", "dish_max_per_week": "2"}  # fmt: skip


def no_traceback(html: str) -> None:
    assert "Traceback" not in html and 'File "' not in html


# --- token ----------------------------------------------------------------------------------------


def test_a_token_is_checked_on_every_request(db, jobs):
    with client_for(db, jobs, token="s3cret-token-0123456789abcdef") as c:
        for path in ("/", "/clients/vegan-twitching", "/plans/1", "/static/web.css", "/nowhere"):
            r = c.get(path)
            assert r.status_code == 401, path
            assert "needs its access token" in r.text and "vegan-twitching" not in r.text.split("</header>")[1]
        assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/", headers={"Authorization": "Bearer s3cret-token-0123456789abcdef"}).status_code == 200
        assert c.get("/", headers={"X-Mealplan-Token": "s3cret-token-0123456789abcdef"}).status_code == 200
        login = c.get("/clients/vegan-twitching?token=s3cret-token-0123456789abcdef", follow_redirects=False)
        assert login.status_code == 303 and login.headers["location"] == "/clients/vegan-twitching"
        assert c.get("/clients/vegan-twitching").status_code == 200  # the cookie the login set
        c.cookies.clear()
        assert c.get("/?token=guess", follow_redirects=False).status_code == 401


def test_no_token_on_loopback(web):
    assert web.get("/").status_code == 200
    assert web.get("/", headers={"host": "localhost:8000"}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""])
def test_without_a_token_only_loopback_names_are_answered(web, host):
    r = web.get("/clients/vegan-twitching", headers={"host": host})
    assert r.status_code == 400
    assert "without a token this page answers only at 127.0.0.1 or localhost" in r.text
    assert "Ana" not in r.text and "vegan-twitching" not in r.text
    no_traceback(r.text)


def test_serve_refuses_another_host_without_a_token(tmp_path, monkeypatch):
    from mealplan.cli.main import cli

    monkeypatch.delenv("MEALPLAN_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--no-token", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "--host 0.0.0.0 --no-token: any address but 127.0.0.1 needs a token" in result.output
    assert not (tmp_path / "x.db").exists()


def test_serve_refuses_a_corrupt_database_before_starting(tmp_path):
    from mealplan.cli.main import cli

    bad = tmp_path / "clinic.db"
    bad.write_bytes(b"this is not SQLite" * 100)
    result = CliRunner().invoke(cli, ["serve", "--db", str(bad), "--port", "0"])
    assert result.exit_code == 2
    assert f"--db {bad}: not a readable mealplan database" in result.output
    assert "Traceback" not in result.output


# --- CSRF -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("csrf", [None, "", "x" * 43])
def test_a_form_without_the_csrf_field_of_this_browser_is_refused(web, db, csrf):
    web.get("/")  # the CSRF cookie
    data = dict(ADD) | ({"csrf": csrf} if csrf is not None else {})
    r = web.post("/clients", data=data, follow_redirects=False)
    assert r.status_code == 403 and "Form expired" in r.text
    no_traceback(r.text)
    with Store.open(db) as store:
        assert [c.id for c in store.clients()] == ["vegan-twitching"]


def test_the_csrf_field_must_match_the_cookie(web, db):
    token = csrf_of(web.get("/").text)
    web.cookies.clear()
    web.cookies.set("mealplan_csrf_8000", "another-browsers-cookie-value-that-is-long-enough")
    assert web.post("/clients", data={**ADD, "csrf": token}).status_code == 403
    for path in ("/plans/1/lock", "/plans/1/replan", "/plans/1/forbid", "/plans/1/again",
                 "/clients/vegan-twitching/plan", "/clients/vegan-twitching/profile"):  # fmt: skip
        assert web.post(path, data={"csrf": token, "day": "1", "meal": "lunch", "item": "x"}).status_code == 403, path
    with Store.open(db) as store:
        assert len(store.plans("vegan-twitching")) == 1 and len(store.profile_versions("vegan-twitching")) == 1


def test_every_form_that_changes_data_carries_the_csrf_field(web):
    for path in ("/", "/clients/vegan-twitching", "/plans/1", "/plans/1/meal/2/lunch"):
        html = web.get(path).text
        posts = re.findall(r'<form method="post"[^>]*>.*?</form>', html, re.S)
        assert posts, path
        assert all('name="csrf"' in f for f in posts), path
        gets = re.findall(r'<form method="get"[^>]*>.*?</form>', html, re.S)  # search, compare, handout: read only
        assert all('name="csrf"' not in f for f in gets), path
        assert len(posts) + len(gets) == html.count("<form"), path


def test_a_kept_page_carries_each_browsers_own_csrf_token(db, jobs):
    from starlette.testclient import TestClient

    app = client_for(db, jobs).app  # one app, so the second browser gets the kept page
    with (
        TestClient(app, base_url="http://127.0.0.1:8000") as one,
        TestClient(app, base_url="http://127.0.0.1:8000") as two,
    ):
        for path in ("/", "/clients/vegan-twitching", "/plans/1"):
            a, b = one.get(path).text, two.get(path).text
            assert csrf_of(a) == one.cookies["mealplan_csrf_8000"] and csrf_of(b) == two.cookies["mealplan_csrf_8000"]
            assert csrf_of(a) != csrf_of(b) and "<!--csrf-->" not in a


# --- escaping, disclaimer, red flags --------------------------------------------------------------


def test_user_text_is_escaped_everywhere(web, db):
    evil = "<script>alert(1)</script>"
    token = csrf_of(web.get("/").text)
    r = web.post("/clients", data={**ADD, "name": evil, "notes": evil, "dislikes": evil, "csrf": token})
    assert r.status_code == 200, r.text
    plan = Plan.model_validate_json(WEEK.read_text(encoding="utf-8"))
    day = plan.days[0]
    slot = day.slots[0].model_copy(update={"title": evil, "items": [i.model_copy(update={"name": evil})
                                                                      for i in day.slots[0].items]})  # fmt: skip
    bad = plan.model_copy(update={"days": [day.model_copy(update={"slots": [slot, *day.slots[1:]]}), *plan.days[1:]]})
    with Store.open(db) as store:
        pid = store.add_plan("bea", bad)
        store.add_plan("bea", plan, parent_id=pid, action="edit")
    for path in ("/", "/clients/bea", f"/plans/{pid}", f"/plans/{pid + 1}/diff", f"/plans/{pid}/meal/1/breakfast"):
        html = web.get(path).text
        assert html.count("<script") == 1 and '<script src="/static/web.js" defer></script>' in html, path
        assert "&lt;script&gt;" in html, path


def test_the_disclaimer_is_on_every_page(web):
    for path in ("/", "/clients/vegan-twitching", "/plans/1", "/clients/nobody", "/plans/99", "/nowhere"):
        assert SHOWN_DISCLAIMER in web.get(path).text, path


def test_red_flags_come_first_on_the_client_page(web, db):
    token = csrf_of(web.get("/").text)
    data = {**ADD, "symptoms": "muscle-twitching, weakness", "symptom_days": "120", "worsening": "1", "csrf": token}
    r = web.post("/clients", data=data)
    assert r.status_code == 200
    html = r.text
    assert 'id="red-flags"' in html
    assert html.index('id="red-flags"') < html.index("disclaimer") < html.index('id="triage"') < html.index('id="plan"')


# --- validation errors by field -------------------------------------------------------------------


def test_profile_errors_are_shown_by_field_and_nothing_is_stored(web, db):
    token = csrf_of(web.get("/").text)
    data = {**ADD, "age": "abc", "sex": "x", "client_id": "bad id!", "symptoms": "twitchy elbows",
            "more": "nutrients:\n  magnesium: {min: 500, max: 100}\nalergies: [milk]", "csrf": token}  # fmt: skip
    r = web.post("/clients", data=data)
    assert r.status_code == 422
    no_traceback(r.text)

    def errors(field: str) -> str:
        block = re.search(
            rf'<div class="fld[^"]*bad[^"]*">(?:(?!<div class="fld).)*?name="{field}".*?</ul>', r.text, re.S
        )
        assert block, f"no error next to {field}"
        return htmllib.unescape(block.group(0))

    assert "age: Input should be a valid integer" in errors("age")
    assert "sex:" in errors("sex")
    assert "client id 'bad id!'" in errors("client_id")
    assert "symptoms" in errors("symptoms")
    more = errors("more")
    assert "nutrients.magnesium" in more and "min 500 is above max 100" in more
    assert "alergies: unknown field; did you mean allergies?" in more
    assert 'value="abc"' in r.text  # the form keeps what was typed
    with Store.open(db) as store:
        assert [c.id for c in store.clients()] == ["vegan-twitching"]


def test_saving_the_profile_stores_a_new_version_only_when_it_changed(web, db):
    html = web.get("/clients/vegan-twitching").text
    token = csrf_of(html)
    form = {k: v for k, v in re.findall(r'<input id="f-([a-z_]+)" name="\1"[^>]*value="([^"]*)"', html)}
    form |= {
        k: v for k, v in re.findall(r'<select id="f-([a-z_]+)" name="\1">.*?<option value="([^"]*)" selected', html)
    }
    r = web.post("/clients/vegan-twitching/profile", data={**form, "csrf": token}, follow_redirects=False)
    assert r.headers["location"] == "/clients/vegan-twitching?done=unchanged#profile"
    form["exclude"] = "peanut, 11090"
    r = web.post(
        "/clients/vegan-twitching/profile", data={**form, "csrf": token, "more": "nutrients: {magnesium: 400}"}
    )
    assert "Profile saved as a new version" in r.text
    with Store.open(db) as store:
        latest = store.latest_profile("vegan-twitching")
    assert latest.version == 2 and latest.profile["exclude"] == ["peanut", "11090"]
    assert latest.profile["nutrients"]["magnesium"]["min"] == 400
    assert latest.profile["dislikes"] == ["tempeh"] and latest.profile["symptoms"][0] == "muscle-twitching"
    r = web.post("/clients/vegan-twitching/profile", data={**form, "age": "-4", "csrf": token})
    assert r.status_code == 422 and "age: Input should be greater than or equal to 1" in r.text


# --- bad ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/clients/nobody", 404, "There is no client 'nobody' in this database"),
        ("/plans/99", 404, "There is no plan 99 in this database"),
        ("/plans/abc", 404, "'abc' is not a plan number: plans are /plans/NUMBER"),
        ("/nowhere", 404, "There is no page at /nowhere: client pages are /clients/ID and plans /plans/NUMBER"),
        ("/plans/99999999999999999999", 404, "'99999999999999999999' is not a plan number"),
        ("/plans/9223372036854775807", 404, "There is no plan 9223372036854775807 in this database"),
        ("/plans/%C2%B2", 404, "'²' is not a plan number"),
        ("/plans/1/meal/9/lunch", 404, "day '9': the plan has days 1 to 7"),
        ("/plans/1/meal/%C2%B9/lunch", 404, "day '¹': the plan has days 1 to 7"),
        ("/plans/1/meal/1/brunch", 404, "meal 'brunch': day 1 has breakfast, lunch, dinner, snack"),
        ("/plans/1/diff?against=99999999999999999999", 422, "against '99999999999999999999': give a plan number"),
        ("/plans/99/diff", 404, "There is no plan 99"),
        ("/plans/1/diff", 404, "Plan 1 is the client's first plan"),
        ("/plans/1/diff?against=x", 422, "against 'x': give a plan number"),
        ("/plans/1/download/secrets.txt", 404, "'secrets.txt': the downloads are handout.pdf, handout.html"),
        ("/plans/1/download/handout.pdf?units=imperial", 422, "units 'imperial': allowed metric or us"),
        ("/plans/99/download/plan.json", 404, "There is no plan 99"),
        ("/jobs/0123", 404, "This job is not known"),
    ],
)
def test_bad_ids_get_a_page_that_says_so(web, path, status, words):
    r = web.get(path)
    assert r.status_code == status
    assert str(escape(words)) in r.text
    no_traceback(r.text)


def test_bad_posts_get_a_page_that_says_so(web):
    token = csrf_of(web.get("/").text)
    cases = [
        ("/plans/99/lock", {"day": "1", "meal": "lunch"}, 404, "There is no plan 99"),
        ("/plans/1/lock", {"day": "9", "meal": "lunch"}, 422, "day 9"),
        ("/plans/1/lock", {"day": "1", "meal": "brunch"}, 422, "brunch"),
        ("/plans/1/replan", {"day": "x"}, 422, "day 'x': give a day of the plan (1-7)"),
        ("/plans/1/forbid", {"item": "<b>"}, 422, "item '<b>': give a food id"),
        ("/plans/1/forbid", {"item": "99999"}, 422, "'99999' is in none of this plan's meals"),
        ("/clients/nobody/plan", {"days": "7"}, 404, "There is no client 'nobody'"),
        ("/clients/nobody/profile", {}, 404, "There is no client 'nobody'"),
        ("/plans/99999999999999999999/lock", {"day": "1", "meal": "lunch"}, 404, "is not a plan number"),
        ("/plans/1/lock", {"day": "²", "meal": "lunch"}, 422, "day '²': give a day number of the plan (1-7)"),
        ("/plans/1/replan", {"day": "¹"}, 422, "day '¹': give a day of the plan (1-7)"),
        ("/plans/1/replan", {"day": "99999999999999999999"}, 422, "give a day of the plan (1-7)"),
        (
            "/plans/1/edit",
            {"op": "amount", "day": "2", "meal": "lunch", "index": "²", "amount": "1"},
            422,
            "item '²': give the item's number",
        ),
        ("/plans/1/edit", {"op": "explode", "day": "2", "meal": "lunch"}, 422, "change 'explode': allowed amount"),
        ("/plans/1/edit", {"op": "amount", "day": "8", "meal": "lunch"}, 404, "day '8': the plan has days 1 to 7"),
        ("/plans/1/status", {"status": "lost"}, 422, "status 'lost': allowed draft, approved, sent"),
        ("/plans/1/status", {"status": "draft", "note": "x" * 2001}, 422, "note: 2,001 characters; at most 2,000"),
        ("/plans/1/undo", {}, 422, "plan 1 was not made from another plan: there is no change to undo"),
    ]
    for path, data, status, words in cases:
        r = web.post(path, data={**data, "csrf": token})
        assert r.status_code == status, (path, data, r.text[-500:])
        assert str(escape(words)) in r.text, (path, data)
        no_traceback(r.text)


def test_an_internal_error_is_a_page_without_a_traceback(web, monkeypatch):
    from mealplan.workbench import store

    def broken(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store.Store, "clients", broken)
    r = web.get("/")
    assert r.status_code == 500
    assert "Internal error" in r.text and "RuntimeError: disk on fire" in r.text and SHOWN_DISCLAIMER in r.text
    no_traceback(r.text)


# --- the plan page, lock, downloads ---------------------------------------------------------------


def test_the_plan_page_shows_red_flags_controls_downloads_and_the_report(web):
    html = web.get("/plans/1").text
    assert html.index('id="controls"') < html.index('id="downloads"') < html.index('id="report"')
    assert 'action="/plans/1/lock"' in html and 'action="/plans/1/forbid"' in html
    assert "Re-plan day 7" in html and "Re-plan meal" in html
    assert "The meals, day by day" in html and "Shopping list" in html  # the report, embedded


def test_lock_stores_a_new_plan_with_the_meal_locked(web, db):
    token = csrf_of(web.get("/plans/1").text)
    r = web.post("/plans/1/lock", data={"day": "2", "meal": "dinner", "csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/plans/2?done=locked#meal-2-dinner"
    with Store.open(db) as store:
        record, plan = store.plan_record(2), store.plan(2)
    assert (record.action, record.parent_id) == ("lock", 1)
    assert [(m.day, m.slot) for m in plan.locked] == [(2, "dinner")]
    page = web.get(r.headers["location"]).text
    assert "Meal locked" in page and "locked</span>" in page and "Unlock" in page
    r = web.post("/plans/2/lock", data={"day": "2", "meal": "dinner", "unlock": "1", "csrf": token})
    with Store.open(db) as store:
        assert store.plan(3).locked == [] and store.plan_record(3).action == "unlock"


def test_downloads(web):
    json_ = web.get("/plans/1/download/plan.json")
    assert json_.headers["content-type"].startswith("application/json")
    assert Plan.model_validate_json(json_.text).profile_id == "vegan-twitching"
    assert 'filename="vegan-twitching-plan-1-plan.json"' in json_.headers["content-disposition"]
    csv = web.get("/plans/1/download/shopping.csv")
    assert csv.status_code == 200 and csv.text.splitlines()[0].count(",") >= 2
    md = web.get("/plans/1/download/shopping.md").text
    assert md.startswith("#") or "Shopping" in md
    report = web.get("/plans/1/download/report.html").text
    assert report.startswith("<!DOCTYPE html>") and "<script" not in report
    assert DISCLAIMER.split(".")[0] in web.get("/plans/1/download/report.md").text


def test_a_failed_job_shows_the_librarys_message(web, db, jobs):
    from mealplan.web.jobs import work

    result = work({"kind": "replan", "plan": WEEK.read_text(encoding="utf-8"), "days": [1], "meal": "brunch",
                   "parent": "1", "time_limit": 5.0})  # fmt: skip
    assert result["code"] == 2 and "brunch" in result["error"]


# --- a real plan: add, plan a day, forbid a food, the day re-planned ------------------------------


@pytest.mark.solve
def test_plan_a_day_then_forbid_a_food(web, db):
    from mealplan.food_data.loading import load_tables
    from mealplan.verify.verifier import verify_plan

    token = csrf_of(web.get("/").text)
    r = web.post("/clients", data={**ADD, "csrf": token})
    assert "Client added" in r.text
    r = follow_job(web, web.post("/clients/bea/plan", data={"days": "1", "csrf": token}))
    assert r.status_code == 200 and plan_id_of(r), r.text[-800:]
    pid = plan_id_of(r)
    with Store.open(db) as store:
        first = store.plan(pid)
    items = [i for s in first.days[0].slots for i in s.items if i.role != "drink"]
    food = next((i for i in items if i.role == "protein"), items[0])
    r = follow_job(web, web.post(f"/plans/{pid}/forbid", data={"item": food.food_id, "csrf": token}))
    assert r.status_code == 200 and plan_id_of(r), r.text[-800:]
    new = plan_id_of(r)
    with Store.open(db) as store:
        second, record = store.plan(new), store.plan_record(new)
        profile = store.latest_profile("bea")
    assert (record.action, record.parent_id) == ("forbid", pid)
    assert food.food_id in profile.profile["forbid"] and profile.version == 2
    assert food.food_id not in {i.food_id for d in second.days for s in d.slots for i in s.items}
    foods = load_tables([], bundled=True)
    for plan in (first, second):
        report = verify_plan(plan, foods)
        assert report.ok, report
    diff = web.get(f"/plans/{new}/diff").text
    assert f"({food.food_id})" in diff and 'class="rem"' in diff

    # re-plan one meal: the day's other meals are kept as they were
    meal = second.days[0].slots[-1].name
    r = follow_job(web, web.post(f"/plans/{new}/replan", data={"day": "1", "meal": meal, "csrf": token}))
    assert plan_id_of(r), r.text[-800:]
    third_id = plan_id_of(r)
    with Store.open(db) as store:
        third, record = store.plan(third_id), store.plan_record(third_id)
    assert (record.action, record.parent_id) == ("replan", new)
    assert third.days[0].slots[:-1] == second.days[0].slots[:-1]
    assert verify_plan(third, foods).ok


def test_the_job_page_shows_progress_and_other_pages_keep_answering(web, monkeypatch):
    import time

    from mealplan.web import jobs

    def slow(task):
        time.sleep(4)
        return {"error": "Conflicting hard rules: forbid 'tofu' and require tofu@1", "code": 3}

    monkeypatch.setattr(jobs, "work", slow)
    token = csrf_of(web.get("/").text)
    start = time.monotonic()
    r = web.post("/clients/vegan-twitching/plan", data={"days": "7", "csrf": token})
    assert "/jobs/" in str(r.url) and r.status_code == 200
    assert '<meta http-equiv="refresh" content="0">' in r.text and "<progress" in r.text
    assert "Planning a week for vegan-twitching" in r.text and "s so far" in r.text
    page_start = time.monotonic()
    assert web.get("/clients/vegan-twitching").status_code == 200
    assert time.monotonic() - page_start < 1.0 and time.monotonic() - start < 4  # answered while it solves
    r = follow_job(web, r)
    assert "The plan could not be made" in r.text and "forbid &#39;tofu&#39; and require tofu@1" in r.text
    assert "http-equiv" not in r.text  # a failed job stops refreshing


def test_the_progress_bar_expects_what_the_last_jobs_of_the_kind_took(monkeypatch):
    import time

    from mealplan.web import jobs

    def quick(task):
        time.sleep(0.3)
        return {"error": "stop", "code": 2} if task.get("fail") else {"plan": "{}", "html": ""}

    monkeypatch.setattr(jobs, "work", quick)
    runner = jobs.JobRunner(workers=1, processes=False)
    try:
        first = runner.submit("c", "a week", {"kind": "plan", "days": 7}, 6.0, lambda result: 1)
        assert first.expected_s == 6.0 and first.state == "running"
        first.done.wait(10)
        assert first.state == "done" and first.plan_id == 1
        second = runner.submit("c", "a week", {"kind": "plan", "days": 7}, 6.0, lambda result: 2)
        assert 0.25 < second.expected_s < 2.0  # what the first one took
        day = runner.submit("c", "a day", {"kind": "plan", "days": 1}, 3.0, lambda result: 3)
        assert day.expected_s == 3.0  # another kind: the default still
        replan = runner.submit("c", "day 2", {"kind": "replan", "days": [2], "fail": True}, 3.0, lambda r: 4)
        replan.done.wait(10)
        assert replan.state == "failed" and replan.error == "stop"
        assert runner.submit("c", "day 3", {"kind": "replan", "days": [3]}, 3.0, lambda r: 5).expected_s == 3.0
    finally:
        runner.shutdown()
