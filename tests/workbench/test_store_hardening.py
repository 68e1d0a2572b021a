"""The workbench database under hostile input (issue #28).

- A read-only, locked or full database is healthy: one clear message each, nothing changed, and never
  the advice to move it aside or delete it (that would lose every client's history).
- Rows changed by another program (JSON that is not JSON, a list for a mapping, text for a number, a
  schema version 'abc') are one error naming the row and column: exit 2, never an internal error.
- Ids and numbers are bounded before they reach SQLite: plan id 99999999999999999999, superscript
  digits, megabytes of notes.
- ``clients export`` never writes outside its folder; ``clients import`` of the same batch twice
  stores each plan once; 50 MB of notes do not hang ``clients show``.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.errors import InputError
from mealplan.workbench import store as store_module
from mealplan.workbench.store import Store

PROFILE = {"id": "ana", "age": 40, "sex": "female"}
NEVER = ("move it aside", "mealplan makes a new one", "Internal error", "Traceback")


def run(*args: str, db: Path):
    return CliRunner().invoke(cli, [*args, "--db", str(db)])


@pytest.fixture
def db(tmp_path: Path, week) -> Path:
    """A database with client ana, her profile and one stored plan (plan 1)."""
    from mealplan.targets.profile_files import profile_from_dict

    path = tmp_path / "clinic.db"
    with Store.open(path) as store:
        store.add_client("ana", profile_from_dict(PROFILE), name="Ana", notes="likes fish")
        store.add_plan("ana", week.model_copy(update={"profile_id": "ana"}))
    return path


def _sql(path: Path, statement: str, *args) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(statement, args)


# --- damaged rows -------------------------------------------------------------------------------------------

DAMAGED = [
    ("profile_versions", "profile_json", "not json", ["clients", "show", "ana"], "client 'ana' profile version 1"),
    (
        "profile_versions",
        "profile_json",
        "[1, 2]",
        ["clients", "export", "{tmp}/out"],
        "client 'ana' profile version 1",
    ),
    ("profile_versions", "profile_json", "5", ["clients", "edit", "ana", "--set", "age=41"], "profile version 1"),
    ("plans", "figures_json", "not json", ["history", "ana"], "plan 1"),
    ("plans", "figures_json", "[]", ["clients", "show", "ana"], "plan 1"),
    ("plans", "figures_json", '{"energy_kcal": "abc", "days": "x"}', ["history", "ana"], "plan 1"),
    ("plans", "plan_json", "not json", ["history", "ana", "--export", "1"], "plan 1"),
    ("plans", "figures_json", '{"short_nutrients": [1, 2]}', ["history", "ana"], "plan 1"),
    ("plans", "plan_json", '{"kind": "day", "days": []}', ["diff", "1", "1"], "plan 1"),
    ("plans", "plan_json", b"\x00\xff", ["lock", "1", "--day", "1", "--meal", "lunch"], "plan 1"),
    ("clients", "name", b"\xff\xfe", ["clients", "list"], "client 'ana'"),
    ("profile_versions", "version", "abc", ["clients", "show", "ana"], "profile version abc"),
    ("profile_versions", "version", "abc", ["clients", "edit", "ana", "--set", "age=41"], "profile version"),
]


@pytest.mark.solve
def test_a_plan_whose_figures_are_missing_is_still_listed(db: Path):
    _sql(db, "UPDATE plans SET figures_json = ?", '{"energy_kcal": null, "kind": "week"}')
    result = run("history", "ana", db=db)
    assert result.exit_code == 0, result.output
    assert "week" in result.output


@pytest.mark.solve
@pytest.mark.parametrize(("table", "column", "value", "command", "row"), DAMAGED)
def test_a_damaged_row_is_named_and_the_rest_is_fine(db: Path, tmp_path: Path, table, column, value, command, row):
    _sql(db, f"UPDATE {table} SET {column} = ?", value)
    result = run(*[c.replace("{tmp}", str(tmp_path)) for c in command], db=db)
    assert result.exit_code == 2, result.output
    assert f"--db {db}: " in result.output and row in result.output
    assert "is damaged" in result.output and "the rest of the database is fine" in result.output
    assert not any(n in result.output for n in NEVER), result.output


@pytest.mark.solve
def test_a_schema_version_that_is_not_a_number_is_named(db: Path):
    _sql(db, "UPDATE schema_version SET version = 'abc'")
    result = run("clients", "list", db=db)
    assert result.exit_code == 2
    assert f"--db {db}: its schema_version holds 'abc', not a version number" in result.output
    assert not any(n in result.output for n in NEVER)


# --- healthy databases that cannot be used right now ---------------------------------------------------------


@pytest.mark.solve
def test_a_locked_database_says_so_and_never_advises_discarding_it(db: Path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        result = run("clients", "edit", "ana", "--notes", "new", db=db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2, result.output
    assert "the database is locked by another process" in result.output
    assert "nothing was changed, and the file is not damaged" in result.output
    assert "do not move or delete the file" in result.output
    assert not any(n in result.output for n in NEVER)
    assert time.monotonic() - started < 60  # bounded by the busy timeout, not forever


@pytest.mark.solve
def test_a_read_only_database_says_so_and_never_advises_discarding_it(db: Path, monkeypatch):
    real = sqlite3.connect

    def read_only(path, *args, **kwargs):
        return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(store_module.sqlite3, "connect", read_only)
    result = run("clients", "edit", "ana", "--notes", "new", db=db)
    assert result.exit_code == 2, result.output
    assert f"--db {db}: the database is read-only" in result.output
    assert "nothing was changed, and its clients and plans are intact" in result.output
    assert not any(n in result.output for n in NEVER)
    listed = run("clients", "list", db=db)  # reading still works
    assert listed.exit_code == 0 and "ana" in listed.output


@pytest.mark.solve
def test_a_full_disk_says_so_and_never_advises_discarding_it(db: Path, week):
    with Store.open(db) as store:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(InputError) as info:
            for _ in range(20):
                store.add_plan("ana", week.model_copy(update={"profile_id": "ana"}))
    text = str(info.value)
    assert f"--db {db}: the disk (or your quota) is full" in text and "the file is not damaged" in text
    assert not any(n in text for n in NEVER)
    with Store.open(db) as store:
        assert store.integrity() == "ok" and len(store.plans("ana")) >= 1


# --- ids and numbers bounded before SQLite ----------------------------------------------------------------------


@pytest.mark.solve
@pytest.mark.parametrize(
    "command",
    [
        ["lock", "99999999999999999999", "--day", "1", "--meal", "lunch"],
        ["replan", "99999999999999999999", "--day", "1"],
        ["diff", "99999999999999999999", "1"],
        ["history", "ana", "--export", "99999999999999999999"],
        ["history", "ana", "--export", "²"],
        ["history", "ana", "--export", "-1"],
        ["rescore", "99999999999999999999"],
    ],
)
def test_a_plan_id_beyond_sqlite_is_a_usage_error(db: Path, command: list[str]):
    result = run(*command, db=db)
    assert result.exit_code == 2, result.output
    assert "not a stored plan id; plan ids are whole numbers from 1 to 9223372036854775807" in result.output


@pytest.mark.solve
@pytest.mark.parametrize("arg", ["²", "¹²", "٣"])
def test_digits_that_are_not_ascii_are_no_plan_id(db: Path, arg: str):
    result = run("lock", arg, "--day", "1", "--meal", "lunch", db=db)
    assert result.exit_code == 2, result.output
    assert f"{arg}: neither a plan file nor a stored plan id" in result.output


@pytest.mark.solve
def test_notes_and_names_are_bounded_on_input(db: Path):
    result = run("clients", "edit", "ana", "--notes", "x" * 100_001, db=db)
    assert result.exit_code == 2
    assert "--notes: 100,001 characters; at most 100,000 are kept" in result.output
    result = run("clients", "edit", "ana", "--name", "n" * 201, db=db)
    assert result.exit_code == 2 and "--name: 201 characters; at most 200 are kept" in result.output


@pytest.mark.solve
def test_fifty_megabytes_of_notes_do_not_hang_clients_show(db: Path):
    _sql(db, "UPDATE clients SET notes = ?", "a note " * (50 * 2**20 // 7))
    started = time.monotonic()
    result = run("clients", "show", "ana", db=db)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "more characters; `--format json` shows them all)" in flat
    assert len(result.output) < 20_000
    assert time.monotonic() - started < 120  # it hung for good before; this bounds a busy machine generously


# --- export and import ------------------------------------------------------------------------------------------


@pytest.mark.solve
@pytest.mark.parametrize("evil", ["../../evil", "../evil", "/tmp/evil", "a/b", ".hidden"])
def test_export_never_writes_outside_its_folder(db: Path, tmp_path: Path, evil: str):
    _sql(db, "PRAGMA foreign_keys = OFF")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE clients SET id = ? WHERE id = 'ana'", (evil,))
        conn.execute(
            "INSERT INTO clients (id, name, notes, created, updated) SELECT 'ben', name, notes, created, updated "
            "FROM clients"
        )
        conn.execute("UPDATE profile_versions SET client_id = ?", (evil,))
        conn.execute("INSERT INTO profile_versions (client_id, version, profile_json, created) "
                     "SELECT 'ben', version, profile_json, created FROM profile_versions")  # fmt: skip
    out = tmp_path / "exp" / "a" / "b"
    result = run("clients", "export", str(out), db=db)
    assert result.exit_code == 1, result.output
    assert f"left out client id {evil!r}: cannot name a file in {out}" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["ben.json"]
    assert [p for p in tmp_path.rglob("*evil*")] == []


@pytest.mark.solve
def test_importing_the_same_batch_twice_stores_each_plan_once(db: Path, tmp_path: Path, week):
    folder = tmp_path / "plans"
    folder.mkdir()
    batch_plan = week.model_copy(update={"profile_id": "ana", "created_with": "a batch"})
    (folder / "ana.json").write_text(batch_plan.model_dump_json(indent=2))
    first = run("clients", "import", str(folder), db=db)
    assert first.exit_code == 0 and "stored 1 plans: ana (plan 2)" in first.output
    second = run("clients", "import", str(folder), db=db)
    assert second.exit_code == 0, second.output
    assert "stored 0 plans: none" in second.output
    assert "left out ana.json: already stored as plan 2 of ana" in second.output
    with Store.open(db) as store:
        assert [p.id for p in store.plans("ana")] == [1, 2]


@pytest.mark.solve
def test_a_stored_client_id_is_checked_before_it_is_looked_up(db: Path):
    result = run("clients", "show", "x" * 10_000, db=db)
    assert result.exit_code == 2
    assert "not a client id; a client id is 1-200 printable characters" in result.output
    assert len(result.output) < 1000
    assert json.loads(run("clients", "list", "--format", "json", db=db).output)["clients"][0]["id"] == "ana"
