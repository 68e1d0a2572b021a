"""What the workbench database may hold and be given, and what its errors mean to a person.

- :func:`database_error`: one message per kind of SQLite failure. A read-only, locked or full database
  is healthy: the message says nothing was changed and never advises moving or deleting it; only a
  file SQLite calls damaged (or not a database) gets recovery advice.
- :func:`plan_id`, :func:`client_id` and :func:`bounded_text`: every id and text checked before it
  reaches SQLite (a plan id beyond SQLite's 64-bit integers, superscript digits, megabytes of notes).
- :func:`decode_row`: a stored row read back through its model; a row another program changed (JSON
  that is not JSON, a list for a mapping, text for a number) is one error naming the row and column,
  with the rest of the database untouched.
- :func:`key_figures`, :func:`household_figures`: what ``history`` lists for a person's or a household's plan.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from mealplan.errors import DamagedRecordError, InputError

T = TypeVar("T")

# SQLite's integers are 64-bit: a larger id cannot be stored, so it cannot name a stored plan.
MAX_ROW_ID = 2**63 - 1
PLAN_ID_TEXT = re.compile(r"(?:#|plan:)?([0-9]{1,19})")  # ASCII digits only: '²' is a digit to isdigit()
MAX_CLIENT_ID_CHARS = 200  # a stored id may be longer than the profile rule's 64 (another program wrote it)
MAX_NAME_CHARS = 200
MAX_NOTES_CHARS = 100_000  # about 30 pages of notes


def plan_id(value: object, flag: str = "plan") -> int:
    """A stored plan's id as SQLite can hold it: a whole number from 1 to 2**63 - 1.

    Raises:
        InputError: naming ``flag``, the value (shortened) and what is allowed.
    """
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and (m := PLAN_ID_TEXT.fullmatch(value.strip())):
        number = int(m.group(1))
    if number is None or not 1 <= number <= MAX_ROW_ID:
        shown = repr(value)[:40] + ("..." if len(repr(value)) > 40 else "")
        raise InputError(
            f"{flag} {shown}: not a stored plan id; plan ids are whole numbers from 1 to {MAX_ROW_ID} "
            "(`mealplan history CLIENT` lists a client's plans)"
        )
    return number


def client_id(value: object) -> str:
    """A client id fit to look up: text of 1 to ``MAX_CLIENT_ID_CHARS`` characters without control characters.

    Raises:
        InputError: naming the value (shortened) and what is allowed.
    """
    if isinstance(value, str) and 0 < len(value) <= MAX_CLIENT_ID_CHARS and value.isprintable():
        return value
    shown = repr(value)[:60] + ("..." if len(repr(value)) > 60 else "")
    raise InputError(
        f"client {shown}: not a client id; a client id is 1-{MAX_CLIENT_ID_CHARS} printable characters "
        "(`mealplan clients list` lists them)"
    )


def bounded_text(value: str | None, flag: str, most: int) -> str | None:
    """``value`` when it is at most ``most`` characters (None passes).

    Raises:
        InputError: naming ``flag``, the length and the limit.
    """
    if value is not None and len(value) > most:
        raise InputError(
            f"{flag}: {len(value):,} characters; at most {most:,} are kept (put longer documents in a file "
            "and note where it is)"
        )
    return value


# --- rows read back ---------------------------------------------------------------------------------------


class Figures(BaseModel):
    """A plan's key figures as stored (what ``history`` lists); older rows may lack some."""

    model_config = ConfigDict(extra="allow", frozen=True)

    profile_id: str | None = None
    kind: str | None = None
    days: int | None = None
    energy_kcal: float | None = None
    shortfalls: int | None = None
    short_nutrients: list[str] = []
    status: str | None = None
    cost: float | None = None
    edits: int | None = None
    red_flags: int | None = None


def key_figures(plan: Any) -> dict[str, Any]:
    """What ``history`` lists for a plan: its kind, days, energy, shortfalls, status and cost."""
    days = plan.days
    energy = sum(d.energy_kcal for d in days) / len(days) if days else 0.0
    return {
        "profile_id": plan.profile_id,
        "kind": plan.kind,
        "days": len(days),
        "energy_kcal": round(energy, 1),
        "shortfalls": len(plan.shortfalls),
        "short_nutrients": sorted({s.nutrient for s in plan.shortfalls}),
        "status": plan.solve.status.value,
        "cost": plan.cost,
        "edits": len(getattr(plan, "edits", []) or []),
        "red_flags": len(plan.red_flags),
    }


def household_figures(plan: Any) -> dict[str, Any]:
    """What ``history`` lists for a household plan: its members, days, energy (the members' mean),
    shortfalls and red flags (every member's), its status (the worst day's) and cost."""
    figures = [key_figures(m.plan) for m in plan.members]
    return {
        "household_id": plan.household_id,
        "kind": "household",
        "members": [m.id for m in plan.members],
        "days": plan.days,
        "energy_kcal": round(sum(f["energy_kcal"] for f in figures) / len(figures), 1),
        "shortfalls": sum(f["shortfalls"] for f in figures),
        "short_nutrients": sorted({n for f in figures for n in f["short_nutrients"]}),
        "status": plan.status,
        "cost": round(sum(plan.cost_per_day), 4) if plan.cost_per_day else None,
        "edits": 0,
        "red_flags": sum(f["red_flags"] for f in figures),
    }


def json_mapping(text: object) -> dict[str, Any]:
    """A stored JSON column that must hold a mapping."""
    if not isinstance(text, str | bytes):
        raise ValueError(f"it holds {type(text).__name__}, not JSON text")
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError("its JSON is nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError(f"its JSON is a {type(data).__name__}, not a mapping")
    return data


def figures(text: object) -> dict[str, Any]:
    """A stored ``figures_json``: a mapping whose known figures have their types."""
    data = json_mapping(text)
    Figures.model_validate(data)
    return data


def decode_row(path: Path, what: str, column: str, read: Callable[[], T]) -> T:
    """``read()``, or one error naming the database, the row (``what``) and the column that is damaged.

    Raises:
        InputError: the row holds what mealplan never writes there.
    """
    try:
        return read()
    except (ValueError, TypeError, ValidationError) as exc:  # json.JSONDecodeError is a ValueError
        why = _why(exc)
        raise DamagedRecordError(
            f"--db {path}: {what}: its stored {column} is damaged ({why}); the rest of the database is "
            "fine. The row was changed outside mealplan: restore it from a backup, or leave this "
            f"{what.split()[0]} aside and go on with the others."
        ) from None


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err.get("loc", ()))
        return f"{loc + ': ' if loc else ''}{err.get('msg', '')}"[:200]
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


# --- what a failure means -----------------------------------------------------------------------------------


def database_error(path: Path, exc: Exception, busy_seconds: float) -> InputError:
    """One message for a SQLite failure, by its kind (SQLite's own error code when Python gives it).

    Read-only, locked, full, unopenable and I/O failures leave the file as it was: the message says so
    and never advises moving it aside or deleting it (a new empty file would lose every client's
    history). Only a damaged file, or one that is not a database, gets recovery advice.
    """
    kind = _kind(exc)
    head = f"--db {path}"
    if kind == "readonly":
        return InputError(
            f"{head}: the database is read-only ({exc}): nothing was changed, and its clients and plans are "
            f"intact. Make the file and its folder writable for you (SQLite also writes {path.name}-wal and "
            f"{path.name}-shm beside it), or give another --db PATH."
        )
    if kind == "locked":
        return InputError(
            f"{head}: the database is locked by another process (waited {busy_seconds:g} s): nothing was "
            "changed, and the file is not damaged. Try again when the other command has finished; do not move "
            "or delete the file."
        )
    if kind == "full":
        return InputError(
            f"{head}: the disk (or your quota) is full ({exc}): nothing was changed, and the file is not "
            "damaged. Free some space and try again."
        )
    if kind == "cantopen":
        return InputError(
            f"{head}: cannot open the database ({exc}): check that its folder exists and that you may read and "
            f"write there (SQLite creates {path.name}-wal beside it). The file, if there is one, is not damaged."
        )
    if kind == "io":
        return InputError(
            f"{head}: the system could not read or write the database ({exc}): check the disk and try again. "
            "Keep the file: nothing says it is damaged."
        )
    if kind == "damaged":
        return InputError(
            f"{head}: not a readable mealplan database ({exc}): the file is damaged or of another kind. Keep a "
            f"copy of it: `sqlite3 {path} .recover` may save its clients and plans. To go on meanwhile, give "
            "another --db PATH."
        )
    return InputError(f"{head}: the database failed ({type(exc).__name__}: {exc}); nothing was changed.")


_KINDS = (  # (SQLite error name prefix, words in the message, kind)
    ("SQLITE_READONLY", ("readonly", "read-only"), "readonly"),
    ("SQLITE_BUSY", ("locked", "busy"), "locked"),
    ("SQLITE_LOCKED", (), "locked"),
    ("SQLITE_FULL", ("is full",), "full"),
    ("SQLITE_CANTOPEN", ("unable to open",), "cantopen"),
    ("SQLITE_PERM", (), "cantopen"),
    ("SQLITE_AUTH", (), "cantopen"),
    ("SQLITE_IOERR", ("disk i/o error",), "io"),
    ("SQLITE_CORRUPT", ("malformed",), "damaged"),
    ("SQLITE_NOTADB", ("not a database",), "damaged"),
)


def _kind(exc: Exception) -> str:
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).lower()
    for prefix, _words, kind in _KINDS:
        if name.startswith(prefix):
            return kind
    for _, words, kind in _KINDS:
        if any(w in text for w in words):
            return kind
    return "other"
