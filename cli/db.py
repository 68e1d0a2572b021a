"""The ``--db`` option the workbench commands share (clients, history, diff, edit, replan, plan --client)."""

from __future__ import annotations

from pathlib import Path

import click

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=True, path_type=Path),
    envvar="MEALPLAN_DB",
    show_envvar=True,
    default=None,
    help="The clients and plans database (SQLite); default: mealplan.db in the user data folder.",
)


def open_store(db_path: Path | None):
    """The workbench database at ``db_path`` (or the default one)."""
    from mealplan.workbench.store import Store

    return Store.open(db_path)


def client_profile(client_id: str, db_path: Path | None):
    """A client's latest stored profile (``plan --client ID`` without ``--profile``)."""
    from mealplan.workbench.clients import stored_profile

    with open_store(db_path) as store:
        return stored_profile(store, client_id)[0]


def store_plan(client_id: str, db_path: Path | None, plan, profile, *, parent_id: int | None = None,
               action: str = "plan") -> int:  # fmt: skip
    """Store ``plan`` (and ``profile`` as a profile version when it changed) in a client's history; notes the id."""
    from mealplan.cli.common import note

    with open_store(db_path) as store:
        plan_id = store.add_plan(client_id, plan, profile=profile, parent_id=parent_id, action=action)
    note(f"stored plan {plan_id} for client {client_id} in {store.path}")
    return plan_id
