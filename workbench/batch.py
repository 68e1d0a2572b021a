"""A clinic's batch from the database: every client's latest profile into a folder for ``mealplan
batch``, and the batch's plans back into each client's history.

``export_profiles`` writes ``<client>.json`` per client (the profile's id set to the client's id, so
the batch names each plan file after its client); ``import_plans`` stores every plan file of a batch's
output folder whose profile is a client, as a ``batch`` plan of that client.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from mealplan.errors import InputError
from mealplan.fileio import write_atomic
from mealplan.plan import Plan
from mealplan.workbench.store import Store


def export_profiles(store: Store, folder: Path | str) -> list[Path]:
    """Write each client's latest profile as ``folder/<client>.json``; returns the files written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file where a folder for the profiles is needed; give a folder.")
    written = []
    for client in store.clients():
        data = {**store.latest_profile(client.id).profile, "id": client.id}
        data = {k: v for k, v in data.items() if v is not None}
        path = folder / f"{client.id}.json"
        write_atomic(path, json.dumps(data, indent=2) + "\n")
        written.append(path)
    return written


def import_plans(store: Store, folder: Path | str) -> tuple[list[tuple[str, int]], list[str]]:
    """Store the plans of a batch's output folder for their clients.

    Returns:
        ``(stored, skipped)``: (client, plan id) per plan stored, and a reason per file left out (not a
        plan, or a profile that is no client).

    Raises:
        InputError: the folder does not exist.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder; give the folder `mealplan batch ... -o FOLDER` wrote.")
    known = {c.id for c in store.clients()}
    stored, skipped = [], []
    for path in sorted(p for p in folder.glob("*.json") if p.name != "summary.json"):
        try:
            plan = Plan.model_validate_json(path.read_text(encoding="utf-8"))
        except (ValidationError, ValueError, OSError):
            skipped.append(f"{path.name}: not a plan")
            continue
        if plan.profile_id not in known:
            skipped.append(f"{path.name}: profile {plan.profile_id!r} is not a client")
            continue
        stored.append((plan.profile_id, store.add_plan(plan.profile_id, plan, action="batch")))
    return stored, skipped
