"""The workbench database: schema version and migrations, clients, profile versions, plans, concurrency."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from mealplan.errors import InputError
from mealplan.workbench import store as store_mod
from mealplan.workbench.store import SCHEMA_VERSION, Store


def test_a_new_file_gets_the_current_schema_version_in_wal_mode(tmp_path):
    with Store.open(tmp_path / "db" / "m.db") as s:
        assert s.conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert s.integrity() == "ok"


def test_migrations_run_once_from_an_older_version(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    # Version 1 of the schema, then a release that adds a step: only the new step runs.
    Store.open(path).close()
    monkeypatch.setattr(store_mod, "MIGRATIONS", (*store_mod.MIGRATIONS, "ALTER TABLE clients ADD COLUMN email TEXT"))
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store.open(path) as s:
        assert s.conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert "email" in [r[1] for r in s.conn.execute("PRAGMA table_info(clients)")]
    Store.open(path).close()  # opening again changes nothing


def test_a_database_from_a_newer_mealplan_is_refused(tmp_path):
    path = tmp_path / "m.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(InputError, match=rf"schema version 99, newer than this mealplan reads \({SCHEMA_VERSION}\)"):
        Store.open(path)


def test_a_corrupt_file_is_an_input_error_naming_it(tmp_path):
    path = tmp_path / "m.db"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(InputError, match=r"not a readable mealplan database \(file is not a database\)") as exc:
        Store.open(path)
    assert str(path) in str(exc.value)


def test_another_programs_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    with pytest.raises(InputError, match="an SQLite database of something else \\(tables songs\\)"):
        Store.open(path)


def test_clients_and_profile_versions(tmp_path, profile):
    with Store.open(tmp_path / "m.db") as s:
        s.add_client("ana", profile, name="Ana")
        with pytest.raises(InputError, match="client 'ana' already exists"):
            s.add_client("ana", profile)
        s.edit_client("ana", profile=profile)  # unchanged: no new version
        assert s.client("ana").profile_versions == 1
        s.edit_client("ana", profile=profile.model_copy(update={"exclude": ["peanut"]}), notes="n")
        versions = s.profile_versions("ana")
        assert [v.version for v in versions] == [1, 2]
        assert versions[-1].profile["exclude"] == ["peanut"]
        assert s.client("ana").notes == "n"
        with pytest.raises(InputError, match=r"client 'bob' is not in .* \(known clients: ana\)"):
            s.client("bob")


@pytest.mark.solve
def test_plans_keep_their_json_profile_version_and_parent(tmp_path, profile, week):
    with Store.open(tmp_path / "m.db") as s:
        s.add_client("ana", profile)
        first = s.add_plan("ana", week)
        second = s.add_plan("ana", week, parent_id=first, action="replan")
        assert s.plan(first) == week
        assert s.plan_json(first) == week.model_dump_json()
        rec = s.plan_record(second)
        assert (rec.parent_id, rec.action, rec.profile_version) == (first, "replan", 1)
        assert rec.figures["days"] == 7 and rec.figures["kind"] == "week"
        assert [p.id for p in s.plans("ana")] == [first, second]
        with pytest.raises(InputError, match=r"plan 99 is not in .* \(plan ids run from 1 to 2\)"):
            s.plan_record(99)
        with pytest.raises(InputError, match="plan 42 is not in"):
            s.add_plan("ana", week, parent_id=42)


def _writer(path: str, worker: int, plan_json: str, n: int) -> None:
    from mealplan.plan import Plan

    plan = Plan.model_validate_json(plan_json)
    with Store.open(Path(path)) as s:
        for i in range(n):
            s.add_plan("ana", plan, action=f"w{worker}-{i}")
            s.edit_client("ana", notes=f"worker {worker} write {i}")


@pytest.mark.solve
def test_concurrent_writers_in_several_processes_never_corrupt_it(tmp_path, profile, week):
    path = tmp_path / "m.db"
    with Store.open(path) as s:
        s.add_client("ana", profile)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, week.model_dump_json(), 15)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with Store.open(path) as s:
        assert s.integrity() == "ok"
        plans = s.plans("ana")
        assert len(plans) == 60
        assert sorted(p.action for p in plans) == sorted(f"w{w}-{i}" for w in range(4) for i in range(15))
        assert all(s.plan(p.id) == week for p in plans[::10])


@pytest.mark.solve
def test_opening_fresh_files_from_several_processes_at_once(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    path = tmp_path / "fresh.db"
    procs = [ctx.Process(target=_open_close, args=(str(path),)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with Store.open(path) as s:
        assert s.conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1


def _open_close(path: str) -> None:
    Store.open(Path(path)).close()
