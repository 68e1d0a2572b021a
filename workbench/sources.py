"""Where a plan comes from: a JSON file or a stored plan id, read the same way for every command."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from mealplan.errors import InputError
from mealplan.plan import Plan
from mealplan.workbench import store_checks as checks


@dataclass(frozen=True)
class PlanSource:
    """A plan and where it was read from: ``plan_id`` for a stored plan, ``path`` for a file."""

    plan: Plan
    label: str
    plan_id: int | None = None
    client_id: str | None = None
    path: Path | None = None
    sha256: str | None = None

    @property
    def ref(self) -> str:
        """What a plan made from this one records as its ``parent_id``."""
        return str(self.plan_id) if self.plan_id is not None else f"sha256:{self.sha256}"


_PLAN_REF = re.compile(r"(?:#|plan:)?[0-9]+")  # ASCII digits: '²' and '٣' are digits to str.isdigit()


def is_plan_id(arg: str) -> bool:
    """A stored plan's id: ASCII digits, or ``#12`` / ``plan:12``, that is not also a file's name (an id
    too large to be stored is still an id: :func:`~mealplan.workbench.store_checks.plan_id` says so)."""
    return bool(_PLAN_REF.fullmatch(arg)) and not Path(arg).exists()


def read_plan(arg: str | Path, db: Path | str | None = None) -> PlanSource:
    """The plan ``arg`` names: a plan file (JSON), or a stored plan id read from the database ``db``.

    Raises:
        InputError: the file is missing or not a plan; the id is not in the database.
    """
    text = str(arg)
    if is_plan_id(text):
        from mealplan.workbench.store import Store

        plan_id = checks.plan_id(text)
        with Store.open(db) as store:
            record = store.plan_record(plan_id)
            raw = store.plan_json(plan_id)
            plan = store.plan(plan_id)
        return PlanSource(
            plan=plan,
            label=f"plan {plan_id}",
            plan_id=plan_id,
            client_id=record.client_id,
            sha256=hashlib.sha256(raw.encode()).hexdigest(),
        )
    path = Path(text)
    if not path.exists():
        raise InputError(
            f"{text}: neither a plan file nor a stored plan id; give a plan saved with --format json, or a "
            "number from `mealplan history CLIENT`."
        )
    from mealplan.plan_files import load_plan

    plan = load_plan(path)
    return PlanSource(plan=plan, label=str(path), path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def read_raw_plan(path: Path) -> dict:
    """A plan file's JSON as a mapping, not yet validated (``rescore`` completes hand-added items first).

    Raises:
        InputError: the file is missing, not JSON, or not a plan at all.
    """
    import json

    from mealplan.fileio import read_user_text
    from mealplan.plan_files import check_numbers

    raw = read_user_text(path, "plan", allowed="give a plan saved with --format json")
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not a JSON file at line {exc.lineno}, column {exc.colno}; give a plan.") from None
    except ValueError as exc:
        raise InputError(f"{path}: {exc}; a saved plan has only finite numbers.") from None
    except RecursionError:
        raise InputError(f"{path}: the JSON is nested too deeply to be a plan.") from None
    if not isinstance(data, dict) or "days" not in data or "kind" not in data:
        raise InputError(f"{path}: not a mealplan Plan (a JSON object with kind, days, targets, rules ...).")
    check_numbers(path, data)  # a hand-edited 1e400 or -500 g is exit 2 naming the field
    return data


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")
