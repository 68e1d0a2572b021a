"""Households in the workbench database: a household is a client of kind ``household`` (schema 3 of the store).

It shares the clients' id space (a household id is no person's client id), has versions of its household
document as a person has profile versions, keeps its plans in the one ``plans`` table (so ``history``,
plan notes and plan ids work as for a person) and its pantry as rows of ``pantry_items``.

The household document is a household file's fields (``targets/household.py``) with each member a stored
client (``{"client": ID}``) or a profile written inline (``{"profile": {...}}``), the prices file as an
absolute path, and no pantry file (the pantry is the database's rows): ``workbench/households.py`` makes
it from a file and reads it back as a :class:`~mealplan.targets.household.Household`.

Functions over an open :class:`~mealplan.workbench.store.Store`, one transaction per write, as
``history.py``'s are. They raise :class:`~mealplan.errors.InputError` and never print.
"""

from __future__ import annotations

import json
from typing import Any

from mealplan.errors import InputError
from mealplan.workbench import store_checks as checks
from mealplan.workbench.store import Store, _now, _Row

MAX_PANTRY_ITEMS = 2000


class HouseholdRecord(_Row):
    """A household kept as a client: an id, a name, notes, and its numbers of versions, plans and pantry rows."""

    id: str
    name: str
    notes: str
    created: str
    updated: str
    versions: int = 0
    plans: int = 0
    pantry_items: int = 0


class HouseholdVersion(_Row):
    """One saved version of a household document."""

    id: int
    household_id: str
    version: int
    created: str
    household: dict[str, Any]


_SQL = (
    "SELECT c.id, c.name, c.notes, c.created, c.updated, "
    "(SELECT count(*) FROM household_versions v WHERE v.household_id = c.id), "
    "(SELECT count(*) FROM plans p WHERE p.client_id = c.id), "
    "(SELECT count(*) FROM pantry_items i WHERE i.household_id = c.id) FROM clients c WHERE c.kind = 'household'"
)


def _record(r: Any) -> HouseholdRecord:
    return HouseholdRecord(id=r[0], name=r[1], notes=r[2], created=r[3], updated=r[4], versions=r[5], plans=r[6],
                           pantry_items=r[7])  # fmt: skip


def add_household(store: Store, household_id: str, document: dict[str, Any], *, name: str = "",
                  notes: str = "") -> HouseholdRecord:  # fmt: skip
    """Add a household with its first document version.

    Raises:
        InputError: the id is taken (by a household or a person's client), or is no valid id.
    """
    from mealplan.fileio import FILE_ID

    if not FILE_ID.fullmatch(household_id):
        raise InputError(f"id {household_id[:80]!r}: a household id is 1-64 letters, digits, '_', '.' or '-', "
                         "starting with a letter or digit.")  # fmt: skip
    taken = {
        kind: f"id {household_id!r}: a {what} of that id is already in {store.path}; store a new version with "
        "`mealplan households add FILE --update`, or give the household another id."
        for kind, what in (("household", "household"), ("person", "person's client"))
    }
    with store.new_row(household_id, "household", name, notes, taken) as (conn, now):
        _insert_version(conn, household_id, document, now)
    return household(store, household_id)


def save_household(store: Store, household_id: str, document: dict[str, Any], *, name: str | None = None) -> int:
    """Store ``document`` as the household's next version (unless it equals the latest); the latest version number."""
    checks.bounded_text(name, "--name", checks.MAX_NAME_CHARS)
    with store._write() as conn:
        store._require_client(conn, household_id, "household")
        if name is not None:
            conn.execute("UPDATE clients SET name = ?, updated = ? WHERE id = ?", (name, _now(), household_id))
        _insert_version(conn, household_id, document, _now())
    return latest_household(store, household_id).version


def _insert_version(conn: Any, household_id: str, document: dict[str, Any], now: str) -> None:
    text = json.dumps(document, sort_keys=True)
    last = conn.execute("SELECT version, household_json FROM household_versions WHERE household_id = ? "
                        "ORDER BY version DESC LIMIT 1", (household_id,)).fetchone()  # fmt: skip
    if last is not None and last[1] == text:
        return
    conn.execute("INSERT INTO household_versions (household_id, version, household_json, created) VALUES (?, ?, ?, ?)",
                 (household_id, int(last[0]) + 1 if last else 1, text, now))  # fmt: skip
    conn.execute("UPDATE clients SET updated = ? WHERE id = ?", (now, household_id))


def households(store: Store) -> list[HouseholdRecord]:
    """Every household, by id."""
    rows = store._read(_SQL + " ORDER BY c.id")
    return [store._decode(f"household {str(r[0])[:60]!r}", "row", lambda r=r: _record(r)) for r in rows]


def household(store: Store, household_id: str) -> HouseholdRecord:
    """One household.

    Raises:
        InputError: no household has that id (a person's client of that id is said to be one).
    """
    household_id = checks.client_id(household_id)
    rows = store._read(_SQL + " AND c.id = ?", (household_id,))
    if not rows:
        raise unknown_household(store, household_id)
    return store._decode(f"household {household_id!r}", "row", lambda: _record(rows[0]))


def unknown_household(store: Store, household_id: str) -> InputError:
    """The error for an id no household has: a person's client, or the households there are."""
    if store.kind_of(household_id) == "person":
        return InputError(f"{household_id!r} is one person's client, not a household; `mealplan clients show "
                          f"{household_id}` shows them.")  # fmt: skip
    known = [r[0] for r in store._read("SELECT id FROM clients WHERE kind = 'household' ORDER BY id LIMIT 10")]
    hint = f"known households: {', '.join(known)}" if known else "the database has no households yet"
    return InputError(f"household {household_id!r} is not in {store.path} ({hint}); add one with "
                      "`mealplan households add FILE`.")  # fmt: skip


def household_versions(store: Store, household_id: str) -> list[HouseholdVersion]:
    """A household's document versions, oldest first."""
    household(store, household_id)
    rows = store._read("SELECT id, household_id, version, created, household_json FROM household_versions "
                       "WHERE household_id = ? ORDER BY version", (household_id,))  # fmt: skip
    return [
        store._decode(f"household {household_id!r} version {r[2]}", "household_json", lambda r=r: HouseholdVersion(
            id=r[0], household_id=r[1], version=r[2], created=r[3], household=checks.json_mapping(r[4])))
        for r in rows
    ]  # fmt: skip


def latest_household(store: Store, household_id: str) -> HouseholdVersion:
    """A household's newest document version.

    Raises:
        InputError: none is stored (a row removed outside mealplan).
    """
    versions = household_versions(store, household_id)
    if not versions:
        raise InputError(f"--db {store.path}: household {household_id!r} has no stored version; store one with "
                         "`mealplan households add FILE --update`.")  # fmt: skip
    return versions[-1]


# --- plans ----------------------------------------------------------------------------------------------


def add_household_plan(store: Store, household_id: str, plan: Any, *, parent_id: int | None = None,
                       action: str = "plan") -> int:  # fmt: skip
    """Store a :class:`~mealplan.household_plan.HouseholdPlan` in the household's history, with the
    household's latest version; the new plan id."""
    household_id = checks.client_id(household_id)
    parent_id = None if parent_id is None else checks.plan_id(parent_id, "parent plan")
    with store._write() as conn:
        store._require_client(conn, household_id, "household")
        row = conn.execute("SELECT id FROM household_versions WHERE household_id = ? ORDER BY version DESC LIMIT 1",
                           (household_id,)).fetchone()  # fmt: skip
        if row is None:
            raise InputError(f"household {household_id!r} has no stored version; store one first.")
        return store._insert_plan(conn, household_id, parent_id, action, checks.household_figures(plan),
                                  plan.model_dump_json(), household_version_id=row[0])  # fmt: skip


def household_plan(store: Store, plan_id: int):
    """A stored household plan as a :class:`~mealplan.household_plan.HouseholdPlan`.

    Raises:
        InputError: no such plan, or it is one person's plan.
    """
    from mealplan.household_plan import HouseholdPlan

    record = store.plan_record(plan_id)
    if record.household_version is None:
        raise InputError(f"plan {record.id} is a plan of client {record.client_id!r}, not of a household; "
                         f"`mealplan history {record.client_id}` lists it.")  # fmt: skip
    raw = store.plan_json(record.id)
    return store._decode(f"plan {record.id}", "plan_json", lambda: HouseholdPlan.model_validate_json(raw))


# --- the pantry ------------------------------------------------------------------------------------------


def set_pantry(store: Store, household_id: str, items: list[Any]) -> int:
    """Replace the household's pantry with ``items`` (:class:`~mealplan.targets.pantry.PantryItem`); their number."""
    if len(items) > MAX_PANTRY_ITEMS:
        raise InputError(f"the pantry has {len(items):,} rows; at most {MAX_PANTRY_ITEMS:,}.")
    with store._write() as conn:
        store._require_client(conn, household_id, "household")
        conn.execute("DELETE FROM pantry_items WHERE household_id = ?", (household_id,))
        conn.executemany("INSERT INTO pantry_items (household_id, position, item_json) VALUES (?, ?, ?)",
                         [(household_id, k, i.model_dump_json()) for k, i in enumerate(items)])  # fmt: skip
        conn.execute("UPDATE clients SET updated = ? WHERE id = ?", (_now(), household_id))
    return len(items)


def pantry_items(store: Store, household_id: str) -> list[Any]:
    """The household's pantry rows (:class:`~mealplan.targets.pantry.PantryItem`), in their order."""
    from mealplan.targets.pantry import PantryItem

    household(store, household_id)
    rows = store._read("SELECT position, item_json FROM pantry_items WHERE household_id = ? ORDER BY position",
                       (household_id,))  # fmt: skip
    return [
        store._decode(f"household {household_id!r} pantry row {r[0]}", "item_json",
                      lambda r=r: PantryItem.model_validate_json(r[1]))
        for r in rows
    ]  # fmt: skip
