"""Clients, their profile versions and their plans, in one SQLite file.

The database is embedded (Python's ``sqlite3``), one file at ``platformdirs.user_data_dir("mealplan")
/mealplan.db`` unless a path is given (``--db PATH`` or ``MEALPLAN_DB`` on the command line).

- A ``schema_version`` table holds the schema's version; :data:`MIGRATIONS` lists the steps from an
  empty file to the current version, each run once, in one transaction with the version bump.
  A file written by a newer mealplan is refused rather than guessed at.
- Several processes may write at once (a batch and a dietitian): the file is in WAL mode, each
  connection waits up to :data:`BUSY_TIMEOUT_S` for a lock, and every write is one
  ``BEGIN IMMEDIATE`` transaction, so a writer either commits whole or not at all.
- A client's profile is stored as a new *version* each time it changes (the validated profile's
  JSON); a plan records the profile version it was made from, its parent plan (an edit or a
  re-plan), its key figures and the plan's JSON, which exports back unchanged.
- A household is a client of kind ``household`` (schema 3): its household document is versioned, its
  plans are rows of the same plans table, and its pantry is rows of its own (``household_store.py``).

Library code: it raises :class:`~mealplan.errors.InputError` (a corrupt file, an unknown client or
plan id) and never prints.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, ConfigDict

from mealplan.errors import InputError
from mealplan.workbench import store_checks as checks

DB_ENV = "MEALPLAN_DB"
BUSY_TIMEOUT_S = 30.0

# Each entry takes the schema from version i to i + 1 (index i). Never edit a released step: add one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE clients (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE TABLE profile_versions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        client_id TEXT NOT NULL REFERENCES clients(id),
        version INTEGER NOT NULL,
        profile_json TEXT NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (client_id, version)
    );
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        client_id TEXT NOT NULL REFERENCES clients(id),
        profile_version_id INTEGER REFERENCES profile_versions(id),
        parent_id INTEGER REFERENCES plans(id),
        action TEXT NOT NULL,
        created TEXT NOT NULL,
        figures_json TEXT NOT NULL,
        plan_json TEXT NOT NULL
    );
    CREATE INDEX plans_client ON plans (client_id, id);
    """,
    # 2: what a practice keeps about each plan (workbench/history.py): what changed in words, a status
    # (draft, approved, sent) and a note. A table of its own: the plans table stays as it was written.
    """
    CREATE TABLE plan_notes (
        plan_id INTEGER PRIMARY KEY REFERENCES plans(id),
        label TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'draft',
        note TEXT NOT NULL DEFAULT '',
        updated TEXT NOT NULL
    );
    """,
    # 3: households (issue 30). A household is a client of kind 'household' (one id space, one plans
    # table, one history); its household document is versioned as a person's profile is, a plan records
    # the version it was made from, and its pantry is rows of its own (what the kitchen holds now).
    """
    ALTER TABLE clients ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';
    CREATE TABLE household_versions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        household_id TEXT NOT NULL REFERENCES clients(id),
        version INTEGER NOT NULL,
        household_json TEXT NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (household_id, version)
    );
    ALTER TABLE plans ADD COLUMN household_version_id INTEGER REFERENCES household_versions(id);
    CREATE TABLE pantry_items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        household_id TEXT NOT NULL REFERENCES clients(id),
        position INTEGER NOT NULL,
        item_json TEXT NOT NULL
    );
    CREATE INDEX pantry_household ON pantry_items (household_id, position);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Client(_Row):
    """A dietitian's client: an id, a name, notes, and how many profile versions and plans they have."""

    id: str
    name: str
    notes: str
    created: str
    updated: str
    profile_versions: int = 0
    plans: int = 0


class ProfileVersion(_Row):
    """One saved version of a client's profile (the validated profile as JSON)."""

    id: int
    client_id: str
    version: int
    created: str
    profile: dict[str, Any]


class PlanRecord(_Row):
    """A stored plan's row: where it came from and its key figures (the plan itself: :meth:`Store.plan_json`).

    A household's plan has its household id as ``client_id`` and the household version it was made
    from as ``household_version`` (``profile_version`` None)."""

    id: int
    client_id: str
    profile_version: int | None
    parent_id: int | None
    action: str
    created: str
    figures: dict[str, Any]
    household_version: int | None = None


def default_path() -> Path:
    """``MEALPLAN_DB`` when set, else ``mealplan.db`` in the platform's user data folder."""
    setting = os.environ.get(DB_ENV, "").strip()
    if setting:
        return Path(setting)
    import platformdirs

    return Path(platformdirs.user_data_dir("mealplan", appauthor=False)) / "mealplan.db"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """The workbench database. Open it with :meth:`open`; every method is one transaction.

    Example::

        store = Store.open("clinic.db")
        store.add_client("ana", profile, name="Ana")
        plan_id = store.add_plan("ana", plan)
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    # --- opening --------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None) -> Store:
        """Open (creating or migrating) the database at ``path`` (:func:`default_path` when None).

        Raises:
            InputError: the file is not a SQLite database, is a folder, cannot be created, or was
                written by a newer mealplan.
        """
        path = Path(path) if path is not None else default_path()
        if path.is_dir():
            raise InputError(f"--db {path}: is a folder where the database file is needed; give a file name.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        except OSError as exc:
            raise InputError(
                f"--db {path}: cannot open the database ({exc.strerror or exc}); check the path and its permissions."
            ) from None
        except sqlite3.Error as exc:
            raise checks.database_error(path, exc, BUSY_TIMEOUT_S) from None
        store = cls(path, conn)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            store._wal()
            store._migrate()
        except sqlite3.Error as exc:
            conn.close()
            raise checks.database_error(path, exc, BUSY_TIMEOUT_S) from None
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wal(self) -> None:
        # Switching to WAL needs a moment without other connections' locks; retry while busy.
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                if checks._kind(exc) == "readonly":
                    return  # a read-only file is read as it is; a write says it is read-only
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        if str(mode).lower() != "wal":  # e.g. a network file system without shared memory
            self.conn.execute("PRAGMA journal_mode = DELETE")

    def _version(self) -> int:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if not exists:
            return 0
        row = self.conn.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            return 0
        value = row[0]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(
                f"--db {self.path}: its schema_version holds {str(value)[:40]!r}, not a version number; the file was "
                "changed by another program. Keep it (its clients and plans may be intact) and give another "
                "--db PATH, or set the version back with a SQLite tool."
            )
        return value

    def _migrate(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return
        with self._write():
            current = self._version()  # again, under the write lock: another process may have migrated
            if current > SCHEMA_VERSION:
                raise InputError(
                    f"--db {self.path}: the database has schema version {current}, newer than this mealplan "
                    f"reads ({SCHEMA_VERSION}); upgrade mealplan or give another --db PATH."
                )
            if current == 0:
                tables = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
                if tables:
                    raise InputError(
                        f"--db {self.path}: an SQLite database of something else (tables "
                        f"{', '.join(t[0] for t in tables[:5])}), not a mealplan database; give another --db PATH."
                    )
                self.conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                self.conn.execute("INSERT INTO schema_version VALUES (0)")
            for step in range(current, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute("UPDATE schema_version SET version = ?", (step + 1,))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` takes the write lock up front (waiting for it)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise checks.database_error(self.path, exc, BUSY_TIMEOUT_S) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and not isinstance(exc, sqlite3.IntegrityError):
                raise checks.database_error(self.path, exc, BUSY_TIMEOUT_S) from None
            raise

    def _read(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        try:
            cur = self.conn.execute(sql, args)
            return cur.fetchall()
        except sqlite3.Error as exc:
            raise checks.database_error(self.path, exc, BUSY_TIMEOUT_S) from None

    def integrity(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` ("ok" for a sound file)."""
        return str(self._read("PRAGMA integrity_check")[0][0])

    # --- clients --------------------------------------------------------------------------------

    def add_client(self, client_id: str, profile: Any, *, name: str = "", notes: str = "") -> Client:
        """Add a client with their first profile version (``InputError``: the id is not valid, or taken)."""
        from mealplan.fileio import FILE_ID

        if not isinstance(client_id, str) or not FILE_ID.fullmatch(client_id):
            raise InputError(
                f"--id {str(client_id)[:80]!r}: a client id is 1-64 letters, digits, '_', '.' or '-', starting with a "
                "letter or digit (it names the client's profile file in `clients export`)."
            )

        taken = {
            "household": f"--id {client_id!r} is a household's id (`mealplan households show {client_id}`); give "
            "the client another --id.",
            "person": f"client {client_id!r} already exists; give another --id, or change them with `mealplan "
            f"clients edit {client_id}`.",
        }
        with self.new_row(client_id, "person", name, notes, taken) as (conn, now):
            self._insert_profile(conn, client_id, profile, now)
        return self.client(client_id)

    @contextmanager
    def new_row(self, row_id: str, kind: str, name: str, notes: str, taken: dict[str, str]) -> Iterator[Any]:
        """A write transaction that has added ``row_id`` to the clients table as a ``kind`` ("person" or
        "household") with its name and notes (bounded); yields the connection and the time, for its first
        version. An id in use raises ``InputError(taken[kind of the row that has it])``."""
        checks.bounded_text(name, "--name", checks.MAX_NAME_CHARS)
        checks.bounded_text(notes, "--notes", checks.MAX_NOTES_CHARS)
        now = _now()
        with self._write() as conn:
            found = conn.execute("SELECT kind FROM clients WHERE id = ?", (row_id,)).fetchone()
            if found:
                raise InputError(taken[found[0]])
            conn.execute("INSERT INTO clients (id, name, notes, created, updated, kind) VALUES (?, ?, ?, ?, ?, ?)",
                         (row_id, name, notes, now, now, kind))  # fmt: skip
            yield conn, now

    def edit_client(
        self, client_id: str, *, name: str | None = None, notes: str | None = None, profile: Any = None
    ) -> Client:
        """Change a client's name or notes, or store a new profile version (only when it differs)."""
        client_id = checks.client_id(client_id)
        checks.bounded_text(name, "--name", checks.MAX_NAME_CHARS)
        checks.bounded_text(notes, "--notes", checks.MAX_NOTES_CHARS)
        now = _now()
        with self._write() as conn:
            self._require_client(conn, client_id)
            if name is not None:
                conn.execute("UPDATE clients SET name = ?, updated = ? WHERE id = ?", (name, now, client_id))
            if notes is not None:
                conn.execute("UPDATE clients SET notes = ?, updated = ? WHERE id = ?", (notes, now, client_id))
            if profile is not None:
                self._insert_profile(conn, client_id, profile, now)
        return self.client(client_id)

    def clients(self) -> list[Client]:
        """Every client, by id."""
        rows = self._read(_CLIENT_SQL + " WHERE c.kind = 'person' GROUP BY c.id ORDER BY c.id")
        return [self._decode(f"client {str(r[0])[:60]!r}", "row", lambda r=r: _client(r)) for r in rows]

    def client(self, client_id: str) -> Client:
        """One client.

        Raises:
            InputError: no client has that id (the message lists a few that exist).
        """
        client_id = checks.client_id(client_id)
        rows = self._read(_CLIENT_SQL + " WHERE c.id = ? AND c.kind = 'person' GROUP BY c.id", (client_id,))
        if not rows:
            raise self._unknown_client(client_id)
        return self._decode(f"client {client_id!r}", "row", lambda: _client(rows[0]))

    def profile_versions(self, client_id: str) -> list[ProfileVersion]:
        """A client's profile versions, oldest first."""
        self.client(client_id)
        rows = self._read(
            "SELECT id, client_id, version, created, profile_json FROM profile_versions WHERE client_id = ? "
            "ORDER BY version",
            (client_id,),
        )
        return [
            self._decode(f"client {client_id!r} profile version {r[2]}", "profile_json", lambda r=r: _version(r))
            for r in rows
        ]

    def latest_profile(self, client_id: str) -> ProfileVersion:
        """A client's newest profile version.

        Raises:
            InputError: the client has none (a row removed outside mealplan).
        """
        versions = self.profile_versions(client_id)
        if not versions:
            raise InputError(f"--db {self.path}: client {client_id!r} has no profile version; store one with "
                             f"`mealplan clients edit {client_id} --profile FILE`.")  # fmt: skip
        return versions[-1]

    def save_profile(self, client_id: str, profile: Any) -> ProfileVersion:
        """The profile version equal to ``profile``: the latest when unchanged, else a new one."""
        with self._write() as conn:
            self._require_client(conn, client_id)
            self._insert_profile(conn, client_id, profile, _now())
        return self.latest_profile(client_id)

    def _insert_profile(self, conn: sqlite3.Connection, client_id: str, profile: Any, now: str) -> None:
        text = profile.model_dump_json() if hasattr(profile, "model_dump_json") else json.dumps(profile)
        last = conn.execute(
            "SELECT version, profile_json FROM profile_versions WHERE client_id = ? ORDER BY version DESC LIMIT 1",
            (client_id,),
        ).fetchone()
        if last is not None and last[1] == text:
            return
        if last is not None and (isinstance(last[0], bool) or not isinstance(last[0], int)):
            what = f"client {client_id!r}'s latest profile version"
            self._decode(what, "version", lambda: int("x" if isinstance(last[0], bool) else last[0]))
        conn.execute(
            "INSERT INTO profile_versions (client_id, version, profile_json, created) VALUES (?, ?, ?, ?)",
            (client_id, (last[0] if last else 0) + 1, text, now),
        )
        conn.execute("UPDATE clients SET updated = ? WHERE id = ?", (now, client_id))

    def _require_client(self, conn: sqlite3.Connection, client_id: str, kind: str = "person") -> None:
        if not conn.execute("SELECT 1 FROM clients WHERE id = ? AND kind = ?", (client_id, kind)).fetchone():
            raise self._unknown_client(client_id)

    def kind_of(self, client_id: str) -> str | None:
        """``person`` or ``household`` for a stored id; None when no client or household has it."""
        rows = self._read("SELECT kind FROM clients WHERE id = ?", (checks.client_id(client_id),))
        return str(rows[0][0]) if rows else None

    def _unknown_client(self, client_id: str) -> InputError:
        if self.kind_of(client_id) == "household":
            return InputError(f"{client_id!r} is a household, not one person's client; `mealplan households show "
                              f"{client_id}` shows it.")  # fmt: skip
        known = [r[0] for r in self._read("SELECT id FROM clients WHERE kind = 'person' ORDER BY id LIMIT 10")]
        hint = f"known clients: {', '.join(known)}" if known else "the database has no clients yet"
        return InputError(
            f"client {client_id!r} is not in {self.path} ({hint}); add one with `mealplan clients add --profile FILE`."
        )

    # --- plans ----------------------------------------------------------------------------------

    def add_plan(
        self,
        client_id: str,
        plan: Any,
        *,
        profile: Any = None,
        parent_id: int | None = None,
        action: str = "plan",
    ) -> int:
        """Store a plan for a client (and ``profile`` as a profile version when given); returns its id."""
        client_id = checks.client_id(client_id)
        parent_id = None if parent_id is None else checks.plan_id(parent_id, "parent plan")
        now = _now()
        with self._write() as conn:
            self._require_client(conn, client_id)
            if profile is not None:
                self._insert_profile(conn, client_id, profile, now)
            row = conn.execute(
                "SELECT id FROM profile_versions WHERE client_id = ? ORDER BY version DESC LIMIT 1", (client_id,)
            ).fetchone()
            figures = checks.key_figures(plan)
            return self._insert_plan(conn, client_id, parent_id, action, figures, plan.model_dump_json(),
                                     profile_version_id=row[0] if row else None)  # fmt: skip

    def _insert_plan(self, conn: sqlite3.Connection, owner_id: str, parent_id: int | None, action: str,
                     figures: dict[str, Any], plan_json: str, *, profile_version_id: int | None = None,
                     household_version_id: int | None = None) -> int:  # fmt: skip
        """One row of ``plans`` (a person's plan or a household's), inside the caller's transaction."""
        if parent_id is not None and not conn.execute("SELECT 1 FROM plans WHERE id = ?", (parent_id,)).fetchone():
            raise InputError(f"plan {parent_id} is not in {self.path}; the parent must be a stored plan.")
        cur = conn.execute(
            "INSERT INTO plans (client_id, profile_version_id, household_version_id, parent_id, action, created, "
            "figures_json, plan_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (owner_id, profile_version_id, household_version_id, parent_id, action, _now(), json.dumps(figures),
             plan_json),
        )  # fmt: skip
        return int(cast(int, cur.lastrowid))  # an INSERT sets it

    def add_plan_once(self, client_id: str, plan: Any, *, action: str = "plan") -> tuple[int, bool]:
        """Store a plan unless the client already has one with the same JSON: ``(its id, stored now)``.

        The check and the insert are one transaction, so two imports of the same batch at once still
        store each plan once.
        """
        client_id = checks.client_id(client_id)
        text = plan.model_dump_json()
        with self._write() as conn:
            self._require_client(conn, client_id)
            row = conn.execute(
                "SELECT id FROM plans WHERE client_id = ? AND plan_json = ? ORDER BY id LIMIT 1", (client_id, text)
            ).fetchone()
            if row is not None:
                return int(row[0]), False
        return self.add_plan(client_id, plan, action=action), True

    def plans(self, client_id: str) -> list[PlanRecord]:
        """A client's (or a household's) plans, oldest first."""
        client_id = checks.client_id(client_id)
        if self.kind_of(client_id) is None:
            raise self._unknown_client(client_id)
        rows = self._read(_PLAN_SQL + " WHERE p.client_id = ? ORDER BY p.id", (client_id,))
        return [self._decode(f"plan {r[0]}", "row", lambda r=r: _record(r)) for r in rows]

    def plan_record(self, plan_id: int) -> PlanRecord:
        """One stored plan's row.

        Raises:
            InputError: no plan has that id.
        """
        plan_id = checks.plan_id(plan_id)
        rows = self._read(_PLAN_SQL + " WHERE p.id = ?", (plan_id,))
        if not rows:
            raise self._unknown_plan(plan_id)
        return self._decode(f"plan {plan_id}", "row", lambda: _record(rows[0]))

    def plan_json(self, plan_id: int) -> str:
        """A stored plan's JSON, exactly as it was stored."""
        plan_id = checks.plan_id(plan_id)
        rows = self._read("SELECT plan_json FROM plans WHERE id = ?", (plan_id,))
        if not rows:
            raise self._unknown_plan(plan_id)
        raw = rows[0][0]
        if not isinstance(raw, str):
            self._decode(f"plan {plan_id}", "plan_json", lambda: checks.json_mapping(raw))
        return str(raw)

    def plan(self, plan_id: int):
        """A stored plan as a :class:`~mealplan.plan.Plan`.

        Raises:
            InputError: no such plan, or it is a household's plan (``household_store.household_plan``).
        """
        from mealplan.plan import Plan

        raw = self.plan_json(plan_id)
        owner = self._read("SELECT client_id FROM plans WHERE id = ? AND household_version_id IS NOT NULL",
                           (plan_id,))  # fmt: skip
        if owner:
            raise InputError(f"plan {plan_id} is a plan of household {str(owner[0][0])!r}, not one person's; "
                             f"`mealplan households show {owner[0][0]}` lists it.")  # fmt: skip
        return self._decode(f"plan {plan_id}", "plan_json", lambda: Plan.model_validate_json(raw))

    def _decode(self, what: str, column: str, read):
        return checks.decode_row(self.path, what, column, read)

    def _unknown_plan(self, plan_id: int) -> InputError:
        last = self._read("SELECT max(id) FROM plans")[0][0]
        hint = f"plan ids run from 1 to {last}" if last else "the database has no plans yet"
        return InputError(
            f"plan {plan_id} is not in {self.path} ({hint}); `mealplan history CLIENT` lists a client's plans."
        )


_CLIENT_SQL = (
    "SELECT c.id, c.name, c.notes, c.created, c.updated, "
    "(SELECT count(*) FROM profile_versions v WHERE v.client_id = c.id), "
    "(SELECT count(*) FROM plans p WHERE p.client_id = c.id) FROM clients c"
)
_PLAN_SQL = (
    "SELECT p.id, p.client_id, v.version, p.parent_id, p.action, p.created, p.figures_json, hv.version "
    "FROM plans p LEFT JOIN profile_versions v ON v.id = p.profile_version_id "
    "LEFT JOIN household_versions hv ON hv.id = p.household_version_id"
)


def _client(r: sqlite3.Row | tuple[Any, ...]) -> Client:
    return Client(id=r[0], name=r[1], notes=r[2], created=r[3], updated=r[4], profile_versions=r[5], plans=r[6])


def _version(r: tuple) -> ProfileVersion:
    return ProfileVersion(id=r[0], client_id=r[1], version=r[2], created=r[3], profile=checks.json_mapping(r[4]))


def _record(r: sqlite3.Row | tuple[Any, ...]) -> PlanRecord:
    return PlanRecord(
        id=r[0],
        client_id=r[1],
        profile_version=r[2],
        parent_id=r[3],
        action=r[4],
        created=r[5],
        figures=checks.figures(r[6]),
        household_version=r[7],
    )
