"""Households in the workbench database (issue 30): the schema 3 migration, import from a file (members
as stored clients or inline profiles), one id space with the clients, the stored pantry, household plans
in the history, and one real 1-day plan from the database (verified)."""

from __future__ import annotations

import sqlite3

import pytest

from mealplan.errors import ConfigError, InputError
from mealplan.workbench import household_store as hs
from mealplan.workbench import store as store_mod
from mealplan.workbench.households import import_household, import_pantry, pantry_of, planning_document
from mealplan.workbench.store import SCHEMA_VERSION, Store
from tests.household_plans import EXAMPLES, household_of, pair_file, saved_week


def test_a_database_of_schema_2_opens_and_migrates_with_its_clients_and_plans(tmp_path, monkeypatch, profile):
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # the schema before households, and rows as that release wrote them
        m.setattr(store_mod, "MIGRATIONS", store_mod.MIGRATIONS[:2])
        m.setattr(store_mod, "SCHEMA_VERSION", 2)
        Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO clients VALUES ('ana', 'Ana', '', 'x', 'x')")
        conn.execute("INSERT INTO profile_versions VALUES (1, 'ana', 1, ?, 'x')", (profile.model_dump_json(),))
        conn.execute("INSERT INTO plans VALUES (1, 'ana', 1, NULL, 'plan', 'x', '{}', ?)",
                     (saved_week().model_dump_json(),))  # fmt: skip
    with Store.open(path) as store:
        assert store.conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert [c.id for c in store.clients()] == ["ana"] and store.plan(1).profile_id == "vegan-twitching"
        assert store.plan_record(1).household_version is None and hs.households(store) == []


def test_members_given_by_profile_file_become_clients_and_the_same_file_adds_no_version(tmp_path):
    path = pair_file(tmp_path, pantry=False)
    with Store.open(tmp_path / "h.db") as store:
        done = import_household(store, path)
        assert (done.id, done.version, done.said) == ("pair", 1, ["added client father", "added client daughter"])
        assert [c.id for c in store.clients()] == ["daughter", "father"]
        assert hs.latest_household(store, "pair").household["members"] == [{"client": "father"}, {"client": "daughter"}]
        assert import_household(store, path, update=True).version == 1  # unchanged: no new version
        with pytest.raises(InputError, match="id 'pair' is already in .*; add `--update`"):
            import_household(store, path)
        # one id space: a household is no person's client, a client no household
        with pytest.raises(InputError, match="'pair' is a household, not one person's client"):
            store.client("pair")
        with pytest.raises(InputError, match="'father' is one person's client, not a household"):
            hs.household(store, "father")


def test_embed_keeps_profiles_inline_and_a_different_stored_client_is_named(tmp_path, profile):
    path = pair_file(tmp_path, pantry=False)
    with Store.open(tmp_path / "h.db") as store:
        import_household(store, path, embed=True)
        members = hs.latest_household(store, "pair").household["members"]
        assert [m["profile"]["id"] for m in members] == ["father", "daughter"] and store.clients() == []
        doc = planning_document(store, "pair")  # plain data a worker plans from
        assert [m["profile"]["id"] for m in doc["members"]] == ["father", "daughter"]
    with Store.open(tmp_path / "other.db") as store:
        store.add_client("father", profile.model_copy(update={"id": "father"}))
        with pytest.raises(ConfigError) as err:
            import_household(store, path)
        assert "members[0].profile: " in str(err.value) and "a client with another profile" in str(err.value)
        assert hs.households(store) == []


def test_the_pantry_is_stored_and_read_back_as_the_planner_reads_it(tmp_path, foods):
    with Store.open(tmp_path / "h.db") as store:
        import_household(store, pair_file(tmp_path, pantry=False))
        assert import_pantry(store, "pair", EXAMPLES / "pantry.csv", foods) == 7
        items = hs.pantry_items(store, "pair")
        assert [i.food_id for i in items][:3] == ["20036", "11457", "01128"]
        assert str(items[1].use_by) == "2026-12-16" and items[2].grams == pytest.approx(276, abs=1)
        pantry = pantry_of(items, foods, "the pantry of household pair")
        assert pantry is not None and len(pantry.items) == 7
        assert hs.set_pantry(store, "pair", []) == 0 and pantry_of(hs.pantry_items(store, "pair"), foods, "x") is None


def test_a_household_plan_is_in_the_history_and_never_read_as_a_persons_plan(tmp_path, foods):
    week = saved_week()
    hp = household_of({"father": week, "daughter": week}, foods)
    with Store.open(tmp_path / "h.db") as store:
        import_household(store, pair_file(tmp_path, pantry=False))
        pid = hs.add_household_plan(store, "pair", hp)
        record = store.plan_record(pid)
        assert (record.client_id, record.household_version, record.profile_version) == ("pair", 1, None)
        assert record.figures["kind"] == "household" and record.figures["members"] == ["father", "daughter"]
        assert record.figures["shortfalls"] == 2 * len(week.shortfalls)
        assert [p.id for p in store.plans("pair")] == [pid]
        assert hs.household_plan(store, pid) == hp
        with pytest.raises(InputError, match=f"plan {pid} is a plan of household 'pair', not one person's"):
            store.plan(pid)


@pytest.mark.solve
def test_a_stored_household_plans_from_the_database_and_verifies(tmp_path, foods):
    from mealplan.verify.household import verify_household
    from mealplan.workbench.households import plan_document

    with Store.open(tmp_path / "h.db") as store:
        import_household(store, pair_file(tmp_path, pantry=False))
        import_pantry(store, "pair", EXAMPLES / "pantry.csv", foods)
        doc, items = planning_document(store, "pair"), hs.pantry_items(store, "pair")
    hp = plan_document(doc, items, foods, source="household pair", days=1, time_limit=20)
    assert [m.id for m in hp.members] == ["father", "daughter"] and hp.shared[0].slot == "dinner"
    assert {line.food_id for line in hp.pantry} == {i.food_id for i in items}  # the stored pantry was planned with
    report = verify_household(hp, foods)
    assert report.ok, report
