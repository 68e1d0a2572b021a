"""A household as a client of the workbench: imported from its file, read back, planned, its pantry kept.

- :func:`import_household`: a household file into the database. A member given by a profile file becomes
  a stored client (id: the profile's id; a client of that id already stored with the same profile is
  reused), so the member has a client page, profile versions and plans of their own; with ``embed`` the
  profile is kept inline in the household document instead. A member given as ``client`` stays a
  reference. The file's prices are kept as an absolute path (as a stored profile's are); its pantry CSV
  becomes the household's pantry rows (:func:`import_pantry`).
- :func:`planning_document`: the latest document with every stored client replaced by their latest profile
  inline: plain data a worker process plans from without the database.
- :func:`plan_document`: plan that document with the database's pantry (the one path of ``mealplan
  households plan`` and the web page's background job), by ``plan_household``.

Library code: raises :class:`~mealplan.errors.InputError` (or its subclasses) and never prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from mealplan.errors import ConfigError, InputError
from mealplan.fileio import load_user_yaml, read_user_text
from mealplan.targets.household import Household, household_from_dict, load_household
from mealplan.targets.profile import MAX_PROFILE_BYTES
from mealplan.workbench import household_store as hs
from mealplan.workbench.clients import stored_profile
from mealplan.workbench.store import Store


def _file_members(path: Path) -> list[dict[str, Any]]:
    """The member entries as the file writes them (the file is already checked by ``load_household``)."""
    data = load_user_yaml(read_user_text(path, "household file", allowed="a household YAML file",
                                         max_bytes=MAX_PROFILE_BYTES))  # fmt: skip
    return list(data["members"])


class Imported(NamedTuple):
    """What :func:`import_household` stored: the id, the version, what it did in words, the file's pantry CSV."""

    id: str
    version: int
    said: list[str]
    pantry: Path | None


def import_household(store: Store, path: str | Path, *, embed: bool = False, update: bool = False,
                     name: str | None = None) -> Imported:  # fmt: skip
    """Store the household file at ``path`` (its pantry CSV is for :func:`import_pantry`, which needs foods).

    Args:
        store: The open database.
        path: The household YAML file.
        embed: Keep members given by a profile file inline instead of storing them as clients.
        update: Store the file as the next version of a household already stored (else a taken id is an error).
        name: The household's name (default: the file's ``name``).

    Raises:
        ConfigError: the file is not valid (every problem named by field), or a member's profile differs
            from the stored client of the same id.
        InputError: the id is taken (without ``update``) or unknown (with it).
    """
    path = Path(path)
    household = load_household(path, client_profile=lambda cid: stored_profile(store, cid)[0])
    kind = store.kind_of(household.id)
    if update and kind != "household":
        raise hs.unknown_household(store, household.id)
    if not update and kind is not None:
        raise InputError(f"{path}: id {household.id!r} is already in {store.path}; add `--update` to store the "
                         "file as the household's next version, or give the household another id.")  # fmt: skip
    entries, problems, said = [], [], []
    for k, (entry, profile) in enumerate(zip(_file_members(path), household.members, strict=True)):
        if "client" in entry or embed or isinstance(entry.get("profile"), dict):
            entries.append({"client": str(entry["client"])} if "client" in entry else
                           {"profile": profile.model_dump(mode="json")})  # fmt: skip
            continue
        entries.append({"client": profile.id})
        found = store.kind_of(profile.id)
        if found is None:
            continue
        stored = store.latest_profile(profile.id).profile if found == "person" else None
        if stored != json.loads(profile.model_dump_json()):
            what = "a household" if found == "household" else "a client with another profile"
            problems.append(f"members[{k}].profile: {entry['profile']} has the id {profile.id!r}, {what} in "
                            f"{store.path}; write `client: {profile.id}` to use the stored client, change them "
                            f"with `mealplan clients edit {profile.id} --profile FILE`, or add with "
                            "--embed")  # fmt: skip
    if problems:
        raise ConfigError(f"{path}: the household's members cannot be stored:", problems)
    for entry, profile in zip(entries, household.members, strict=True):
        if entry.get("client") == profile.id and store.kind_of(profile.id) is None:
            store.add_client(profile.id, profile, name=profile.name or "")
            said.append(f"added client {profile.id}")
    document = _document(household, entries)
    label = name if name is not None else household.name or ""
    if update:
        version = hs.save_household(store, household.id, document, name=name)
    else:
        version = hs.add_household(store, household.id, document, name=label).versions
    return Imported(household.id, version, said, household.pantry)


def _document(household: Household, members: list[dict[str, Any]]) -> dict[str, Any]:
    """The household document: the file's fields, its members as given, its prices as an absolute path."""
    doc: dict[str, Any] = {
        "schema": 1,
        "id": household.id,
        "name": household.name,
        "members": members,
        "shared": [e.model_dump(mode="json") for e in household.shared],
        "leftovers": household.leftovers,
        "budget": household.budget,
        "prices": str(household.prices) if household.prices else None,
        "start": household.start.isoformat() if household.start else None,
    }
    return {k: v for k, v in doc.items() if v is not None}


def stored_household(store: Store, household_id: str) -> tuple[Household, int]:
    """The household's latest version, checked again (its clients' latest profiles), and its number."""
    version = hs.latest_household(store, household_id)
    doc = version.household
    source = f"household {household_id}, version {version.version}"
    return household_from_dict(doc, source=source, client_profile=lambda cid: stored_profile(store, cid)[0]), (
        version.version
    )


def planning_document(store: Store, household_id: str) -> dict[str, Any]:
    """The latest document with every stored client's latest profile inline (checked first)."""
    household, _ = stored_household(store, household_id)
    doc = dict(hs.latest_household(store, household_id).household)
    doc["members"] = [{"profile": p.model_dump(mode="json")} for p in household.members]
    return doc


def import_pantry(store: Store, household_id: str, path: str | Path, foods: Any) -> int:
    """Replace the household's pantry with a pantry CSV's rows (``targets/pantry.py``), read against ``foods``."""
    from mealplan.targets.pantry import read_pantry

    hs.household(store, household_id)
    return hs.set_pantry(store, household_id, read_pantry(path, foods).items)


def pantry_of(items: list[Any], foods: Any, source: str):
    """The stored rows as a :class:`~mealplan.targets.pantry.Pantry` (None when empty).

    Raises:
        ConfigError: a row's food is not in ``foods`` (a table other than the one it was imported with).
    """
    from mealplan.targets.pantry import Pantry

    missing = [f"row {i.row}: food {i.food_id} ({i.name})" for i in items if i.food_id not in foods.foods.index]
    if missing:
        raise ConfigError(f"{source}: foods not in this food table (import the pantry again with the table you "
                          "plan with):", missing)  # fmt: skip
    return Pantry(source=source, items=list(items)) if items else None


def plan_document(document: dict[str, Any], items: list[Any], foods: Any, *, source: str, **options: Any):
    """Plan a household document (:func:`planning_document`) with its pantry rows: a
    :class:`~mealplan.household_plan.HouseholdPlan`. ``options`` go to ``plan_household`` (days, time_limit,
    dishes, objective ...)."""
    from mealplan.optimizer.household_planner import plan_household

    household = household_from_dict(document, source=source)
    pantry = pantry_of(items, foods, f"the pantry of {source}")
    return plan_household(household, foods, pantry=pantry, **options)
