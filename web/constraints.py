"""The profile form's Require and Forbid: one row per rule, checked field by field before anything runs.

A require row is a food or dish (an id or a name: a name that names one food or dish becomes its id;
one that names several shows them to choose from), the days (checkboxes 1-7; none: the first day),
the meal (any, or one) and the grams (blank: at least a quarter serving). A forbid row is a food or
dish id, a name, a glob (``*salmon*``) or a group word (``fish``). Rows are numbered fields
(``require-0-food``, ``require-0-day``, ...), so a form with one row per rule needs no script; "Add a
row" sends the form back with one more empty row.

Rows are checked before a profile is stored: an empty food, grams out of range, a name that is not
one food or dish, the same food required twice with different meals or grams (rows with the same
meal and grams are merged into one rule over their days), and a food both required and forbidden.
Each problem is keyed by its field (``require-2-grams``), for the error summary's links.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from mealplan.food_data.matching import food_matches
from mealplan.workbench.names import NameIndex

DAYS = tuple(range(1, 8))
MEALS = ("breakfast", "lunch", "dinner", "snack")
MAX_ROWS = 60
MAX_GRAMS = 2000.0
_ROW = re.compile(r"(require|forbid)-(\d{1,3})-(food|day|meal|grams|item)")


@dataclass
class Rows:
    """The rows of a submitted (or stored) profile form."""

    require: list[dict[str, Any]] = field(default_factory=list)  # {food, days: [int], meal, grams (text)}
    forbid: list[dict[str, Any]] = field(default_factory=list)  # {item}

    def with_blank(self, require: int = 1, forbid: int = 1) -> Rows:
        """The rows and empty ones to fill (a form always offers one more of each)."""
        blank_req = [{"food": "", "days": [], "meal": "", "grams": ""} for _ in range(require)]
        return Rows([*self.require, *blank_req], [*self.forbid, *[{"item": ""} for _ in range(forbid)]])


def stored_rows(profile: dict[str, Any]) -> Rows:
    """A stored profile's ``require`` and ``forbid`` as rows."""
    require = []
    for r in profile.get("require") or []:
        if isinstance(r, dict):
            grams = r.get("grams")
            require.append(
                {
                    "food": str(r.get("food", "")),
                    "days": [int(d) for d in r.get("days") or []],
                    "meal": r.get("meal") or "",
                    "grams": "" if grams is None else f"{grams:g}",
                }
            )
    return Rows(require, [{"item": str(f)} for f in profile.get("forbid") or []])


def form_rows(lists: dict[str, list[str]]) -> Rows:
    """The rows a submitted form holds, in their order (numbered fields; at most :data:`MAX_ROWS` each)."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for name, values in lists.items():
        m = _ROW.fullmatch(name)
        if not m or int(m.group(2)) >= MAX_ROWS:
            continue
        row = found.setdefault((m.group(1), int(m.group(2))), {"days": []})
        if m.group(3) == "day":
            row["days"] = sorted({int(v) for v in values if v.isascii() and v.isdigit() and int(v) in DAYS})
        else:
            row[m.group(3)] = values[-1].strip()
    require = [
        {"food": r.get("food", ""), "days": r["days"], "meal": r.get("meal", ""), "grams": r.get("grams", "")}
        for (kind, _), r in sorted(found.items())
        if kind == "require"
    ]
    forbid = [{"item": r.get("item", "")} for (kind, _), r in sorted(found.items()) if kind == "forbid"]
    return Rows(require, forbid)


@dataclass
class Checked:
    """Rows checked: the profile's ``require`` and ``forbid``, the problems by field, the choices of
    ambiguous names by field, and for each ``require`` entry the row it came from."""

    require: list[dict[str, Any]]
    forbid: list[str]
    errors: dict[str, list[str]]
    choices: dict[str, list[Any]]
    require_rows: list[int]


def _blank(row: dict[str, Any]) -> bool:
    return not row.get("food") and not row.get("days") and not row.get("meal") and not row.get("grams")


def _grams(text: str) -> tuple[float | None, str | None]:
    if not text:
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, f"grams {text!r}: give a number of grams, e.g. 30 (or leave it blank)"
    if not math.isfinite(value) or not 0 < value <= MAX_GRAMS:
        return None, f"grams {text!r}: give more than 0 and at most {MAX_GRAMS:g}"
    return value, None


def check_rows(rows: Rows, index: NameIndex | None) -> Checked:
    """Every row checked and resolved (``index`` finds names; without it only ids and patterns pass)."""
    out = Checked([], [], {}, {}, [])

    def problem(name: str, text: str) -> None:
        out.errors.setdefault(name, []).append(text)

    for k, row in enumerate(rows.forbid):
        item = row.get("item", "")
        if not item:
            continue
        if index is None:
            out.forbid.append(item)
            continue
        r = index.resolve_forbid(item)
        if r.value is None:
            problem(f"forbid-{k}-item", r.problem(f"forbid row {k + 1}", listed=False))
            out.choices[f"forbid-{k}-item"] = r.candidates
        else:
            out.forbid.append(r.value)
    merged: dict[tuple[str, str, float | None], int] = {}
    for k, row in enumerate(rows.require):
        if _blank(row):
            continue
        food, meal = row.get("food", ""), row.get("meal", "")
        grams, bad = _grams(row.get("grams", ""))
        if bad:
            problem(f"require-{k}-grams", f"require row {k + 1}: {bad}")
        if meal and meal not in MEALS:
            problem(f"require-{k}-meal", f"require row {k + 1}: meal {meal!r}; allowed: {', '.join(MEALS)} or any")
        if not food:
            problem(f"require-{k}-food", f"require row {k + 1}: give a food or dish (an id or a name)")
            continue
        if index is not None:
            r = index.resolve(food)
            if r.value is None:
                problem(f"require-{k}-food", r.problem(f"require row {k + 1}", listed=False))
                out.choices[f"require-{k}-food"] = r.candidates
                continue
            food = r.value
        key = (food, meal, grams)
        same = [j for (f, _, _), j in merged.items() if f == food]
        if key in merged:  # the same food, meal and grams: one rule over both rows' days
            earlier = out.require[merged[key]]
            earlier["days"] = sorted({*earlier["days"], *(row["days"] or [1])})
            continue
        if same:
            problem(
                f"require-{k}-food",
                f"require row {k + 1}: {food} is already required in row "
                f"{out.require_rows[same[0]] + 1} with another meal or amount; give one row per food, with all "
                "its days ticked",
            )
            continue
        merged[key] = len(out.require)
        entry: dict[str, Any] = {"food": food}
        if row["days"]:
            entry["days"] = row["days"]
        if meal:
            entry["meal"] = meal
        if grams is not None:
            entry["grams"] = grams
        out.require.append(entry | {"days": entry.get("days", [])})
        out.require_rows.append(k)
    _required_and_forbidden(out, index)
    out.require = [{k: v for k, v in e.items() if v not in ([], None)} for e in out.require]
    return out


def _required_and_forbidden(out: Checked, index: NameIndex | None) -> None:
    """A required food or dish that a forbid row keeps out: named on the require row, before any plan."""
    for n, entry in enumerate(out.require):
        food = entry["food"]
        match = index.get(food) if index is not None else None
        name = match.full if match is not None else food
        for pattern in out.forbid:
            if pattern == food or (match is not None and match.kind == "food" and food_matches(pattern, food, name)):
                row = out.require_rows[n]
                out.errors.setdefault(f"require-{row}-food", []).append(
                    f"require row {row + 1}: {food} ({name}) is also forbidden ({pattern!r}); remove one of the two"
                )
                break


def row_field_of(problem: str, require_rows: list[int]) -> str | None:
    """The row field a profile validation problem names (``require[1].grams: ...`` -> ``require-3-grams``)."""
    m = re.match(r"(require|forbid)\[(\d+)\](?:\.(\w+))?", problem)
    if not m:
        return None
    n = int(m.group(2))
    if m.group(1) == "forbid":
        return f"forbid-{n}-item"
    row = require_rows[n] if n < len(require_rows) else n
    part = m.group(3) if m.group(3) in ("food", "meal", "grams") else ("day" if m.group(3) == "days" else "food")
    return f"require-{row}-{part}"
