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
from mealplan.fileio import id_path, read_user_bytes, write_atomic
from mealplan.plan import Plan
from mealplan.workbench.store import Store


def export_profiles(store: Store, folder: Path | str) -> tuple[list[Path], list[str]]:
    """Write each client's latest profile as ``folder/<client>.json``.

    A client whose id cannot name a file in ``folder`` (``../../evil``, stored by another program) is
    left out with the reason (:func:`mealplan.fileio.id_path`); nothing is written outside ``folder``.

    Returns:
        ``(written, skipped)``: the files written, and a reason per client left out.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file where a folder for the profiles is needed; give a folder.")
    written, skipped = [], []
    for client in store.clients():
        try:
            path = id_path(folder, client.id, ".json", what="client id")
        except InputError as exc:
            skipped.append(str(exc))
            continue
        data = {**store.latest_profile(client.id).profile, "id": client.id}
        data = {k: v for k, v in data.items() if v is not None}
        write_atomic(path, json.dumps(data, indent=2) + "\n")
        written.append(path)
    return written, skipped


# A batch's plan file larger than this is not a plan (a 28-day plan is about 1 MB).
MAX_PLAN_BYTES = 64 * 1024 * 1024


def import_plans(store: Store, folder: Path | str) -> tuple[list[tuple[str, int]], list[str]]:
    """Store the plans of a batch's output folder for their clients.

    A plan already in its client's history (the same JSON: the same batch imported again) is not
    stored twice; it is listed with the id it has.

    Returns:
        ``(stored, skipped)``: (client, plan id) per plan stored, and a reason per file left out (not a
        plan, a profile that is no client, or already stored).

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
            plan = Plan.model_validate_json(read_user_bytes(path, "plan", max_bytes=MAX_PLAN_BYTES))
        except (ValidationError, ValueError, InputError):
            skipped.append(f"{path.name}: not a plan")
            continue
        if plan.profile_id not in known:
            skipped.append(f"{path.name}: profile {plan.profile_id!r} is not a client")
            continue
        plan_id, new = store.add_plan_once(plan.profile_id, plan, action="batch")
        if new:
            stored.append((plan.profile_id, plan_id))
        else:
            skipped.append(f"{path.name}: already stored as plan {plan_id} of {plan.profile_id}")
    return stored, skipped
