"""Issue 28's page cases: damaged rows, a plan whose client was deleted, a schema version that is not a
number: each a page that says what is wrong (never HTTP 500, never a traceback)."""

from __future__ import annotations

import html as htmllib
import sqlite3

import pytest

from tests.web.conftest import client_for, csrf_of

PLAN_PAGES = [
    "/plans/1",
    "/plans/1/meal/1/lunch",
    "/plans/1/download/plan.json",
    "/plans/1/download/shopping.csv",
    "/plans/1/download/handout.html",
]


def damage(db, sql: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(sql)


def clear(r, status: int, words: str) -> None:
    assert r.status_code == status, (r.status_code, r.text[-600:])
    text = htmllib.unescape(r.text)
    assert words in text and "Traceback" not in text and "Internal error" not in text


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE plans SET plan_json = '{not json' WHERE id = 1",
        'UPDATE plans SET plan_json = \'{"kind": "week"}\' WHERE id = 1',
        "UPDATE plans SET plan_json = '[]' WHERE id = 1",
    ],
)
def test_a_damaged_plan_row_is_a_clear_page(db, jobs, sql):
    damage(db, sql)
    with client_for(db, jobs) as web:
        for path in PLAN_PAGES:
            clear(web.get(path), 422, "Plan 1 cannot be read from the database")
        token = csrf_of(web.get("/").text)
        clear(
            web.post("/plans/1/lock", data={"csrf": token, "day": "1", "meal": "lunch"}), 422, "Plan 1 cannot be read"
        )
        clear(
            web.post("/plans/1/edit", data={"csrf": token, "op": "remove", "day": "1", "meal": "lunch", "index": "1"}),
            422,
            "Plan 1 cannot be read",
        )
        assert web.get("/clients/vegan-twitching").status_code == 200  # the history still lists it


@pytest.mark.parametrize("value", ["'{oops'", "'[1, 2]'", "'null'"])
def test_damaged_figures_are_a_clear_page(db, jobs, value):
    damage(db, f"UPDATE plans SET figures_json = {value} WHERE id = 1")
    with client_for(db, jobs) as web:
        r = web.get("/clients/vegan-twitching")
        assert r.status_code in (200, 422) and "Traceback" not in r.text and "Internal error" not in r.text
        r = web.get("/plans/1")
        assert r.status_code in (200, 422) and "Internal error" not in r.text


def test_a_damaged_profile_row_is_a_clear_page(db, jobs):
    damage(db, "UPDATE profile_versions SET profile_json = '{bad' WHERE client_id = 'vegan-twitching'")
    with client_for(db, jobs) as web:
        clear(web.get("/clients/vegan-twitching"), 422, "cannot be read from the database")


def test_a_plan_whose_client_was_deleted_is_a_clear_page(db, jobs):
    damage(db, "DELETE FROM clients WHERE id = 'vegan-twitching'")
    with client_for(db, jobs) as web:
        for path in [*PLAN_PAGES, "/plans/1/diff"]:
            clear(web.get(path), 404, "Plan 1 belongs to client 'vegan-twitching', who is no longer in this database")
        token = csrf_of(web.get("/").text)
        for path, data in (
            ("/plans/1/lock", {"day": "1", "meal": "lunch"}),
            ("/plans/1/replan", {"day": "1"}),
            ("/plans/1/forbid", {"item": "09040"}),
            ("/plans/1/again", {}),
            ("/plans/1/status", {"status": "sent"}),
            ("/plans/1/undo", {}),
        ):
            clear(web.post(path, data={"csrf": token, **data}), 404, "who is no longer in this database")
        clear(web.get("/clients/vegan-twitching"), 404, "There is no client 'vegan-twitching'")


def test_a_schema_version_that_is_not_a_number_is_a_clear_page(db, jobs):
    with client_for(db, jobs) as web:
        damage(db, "UPDATE schema_version SET version = 'abc'")
        r = web.get("/")
        assert r.status_code in (422, 503) and "Internal error" not in r.text and "Traceback" not in r.text


def test_a_damaged_status_reads_as_a_draft(db, jobs):
    with client_for(db, jobs) as web:
        token = csrf_of(web.get("/plans/1").text)
        web.post("/plans/1/status", data={"csrf": token, "status": "sent", "note": "ok"})
        damage(db, "UPDATE plan_notes SET status = 'exploded' WHERE plan_id = 1")
        page = web.get("/clients/vegan-twitching").text
        assert 's-draft">draft' in page and "exploded" not in page
