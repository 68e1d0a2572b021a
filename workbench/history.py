"""A practice's history of a client's plans: what changed in words, a status and a note, and undo.

Each stored plan may have a row in ``plan_notes`` (schema version 2 of the store): a ``label`` saying
what made it in words ("forbid: salmon, days 2–7", "amount: day 2 lunch, rolled oats 40 → 60 g"), a
``status`` (:data:`STATUSES`: draft, approved, sent) and the dietitian's ``note``. A plan without a
row is a draft without a note, and :func:`describe` says what changed from the plan and its parent.

:func:`undo` stores the parent of a plan again as a new plan (the history only grows), and restores
the profile version the parent was made with when the undone change had stored a new one (a forbid).

Library code: raises :class:`~mealplan.errors.InputError` naming the field and what is allowed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from mealplan.errors import InputError
from mealplan.food_data.names import short_name
from mealplan.plan import Plan

STATUSES: tuple[str, ...] = ("draft", "approved", "sent")
NOTE_MAX = 2000  # characters of a plan's note
LABEL_MAX = 300


class PlanNote(BaseModel):
    """What a practice keeps about one plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan_id: int
    label: str = ""
    status: str = "draft"
    note: str = ""
    updated: str = ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _clean(text: str, limit: int, field: str) -> str:
    text = "".join(c for c in str(text) if c in "\n\t" or c.isprintable()).strip()
    if len(text) > limit:
        raise InputError(f"{field}: {len(text):,} characters; at most {limit:,}.")
    return text


def notes_of(store: Any, client_id: str) -> dict[int, PlanNote]:
    """Every note of a client's plans, by plan id (plans without one are left out)."""
    rows = store._read(
        "SELECT n.plan_id, n.label, n.status, n.note, n.updated FROM plan_notes n JOIN plans p ON p.id = n.plan_id "
        "WHERE p.client_id = ?",
        (client_id,),
    )
    return {int(r[0]): _note(r) for r in rows}


def note_of(store: Any, plan_id: int) -> PlanNote:
    """One plan's note (a draft without a note when none is stored)."""
    rows = store._read("SELECT plan_id, label, status, note, updated FROM plan_notes WHERE plan_id = ?", (plan_id,))
    return _note(rows[0]) if rows else PlanNote(plan_id=plan_id)


def _note(r: Any) -> PlanNote:
    status = str(r[2]) if str(r[2]) in STATUSES else "draft"  # a damaged row reads as a draft
    return PlanNote(
        plan_id=int(r[0]), label=str(r[1] or ""), status=status, note=str(r[3] or ""), updated=str(r[4] or "")
    )


def _upsert(store: Any, plan_id: int, **values: str) -> None:
    with store._write() as conn:
        if not conn.execute("SELECT 1 FROM plans WHERE id = ?", (plan_id,)).fetchone():
            raise store._unknown_plan(plan_id)
        conn.execute("INSERT OR IGNORE INTO plan_notes (plan_id, updated) VALUES (?, ?)", (plan_id, _now()))
        for column, value in values.items():  # columns are this module's own names, never user text
            conn.execute(f"UPDATE plan_notes SET {column} = ?, updated = ? WHERE plan_id = ?", (value, _now(), plan_id))


def set_label(store: Any, plan_id: int, label: str) -> None:
    """Store what made plan ``plan_id``, in words."""
    _upsert(store, plan_id, label=_clean(label, LABEL_MAX, "label")[:LABEL_MAX])


def set_status(store: Any, plan_id: int, *, status: str | None = None, note: str | None = None) -> PlanNote:
    """Set a plan's status and/or note.

    Raises:
        InputError: an unknown status, a note longer than :data:`NOTE_MAX`, or no such plan.
    """
    values = {}
    if status is not None:
        if status not in STATUSES:
            raise InputError(f"status {status!r}: allowed {', '.join(STATUSES)}.")
        values["status"] = status
    if note is not None:
        values["note"] = _clean(note, NOTE_MAX, "note")
    if values:
        _upsert(store, plan_id, **values)
    return note_of(store, plan_id)


def add_labelled_plan(store: Any, client_id: str, plan: Plan, label: str, **options: Any) -> int:
    """``store.add_plan`` and its label; the new plan's id."""
    plan_id = store.add_plan(client_id, plan, **options)
    set_label(store, plan_id, label)
    return plan_id


# --- what changed, in words -------------------------------------------------------------------------


def days_text(days: list[int]) -> str:
    """Day numbers in words: ``day 3``, ``days 2–7``, ``days 1, 3–5``."""
    days = sorted(set(days))
    if not days:
        return ""
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs]
    return ("day " if len(days) == 1 else "days ") + ", ".join(parts)


def _names(*plans: Plan | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for plan in plans:
        for d in plan.days if plan else []:
            for s in d.slots:
                if s.dish_id:
                    out.setdefault(s.dish_id, s.title)
                for i in s.items:
                    out.setdefault(i.food_id, short_name(i.name))
    return out


def _edit_words(e: Any, names: dict[str, str]) -> str:
    where = f"day {e.day}" + (f" {e.slot}" if e.slot else "")
    food = names.get(e.food_id or "", e.food_id or "")
    if e.note and ":" in e.note.split(" ", 1)[0]:  # an edit the page made says itself ("swap: ...")
        return e.note
    if e.action == "replan":
        return f"re-plan {where}"
    if e.action == "set":
        return f"amount: {where}, {food} {e.grams_before or 0:.0f} → {e.grams_after or 0:.0f} g"
    if e.action == "add":
        return f"add: {where}, {food} {e.grams_after or 0:.0f} g"
    if e.action == "remove":
        return f"remove: {where}, {food}"
    return f"changed by hand: {where}, {food}"


def describe(action: str, plan: Plan, parent: Plan | None = None) -> str:
    """What made ``plan`` from ``parent`` (by ``action``), in words a practice reads in a history."""
    span = f"{len(plan.days)}-day" if len(plan.days) > 1 else "day"
    if parent is None:
        return {"plan": f"{'week' if span == '7-day' else span} planned", "batch": "planned in a batch"}.get(
            action, action
        )
    names = _names(plan, parent)
    new_edits = plan.edits[len(parent.edits) :] if plan.edits[: len(parent.edits)] == parent.edits else plan.edits
    if action == "forbid":
        added = [f for f in plan.rules.forbid if f not in parent.rules.forbid]
        what = ", ".join(names.get(f, f) for f in added) or "a food"
        days = [e.day for e in new_edits if e.action == "replan"]
        return f"forbid: {what}" + (f", {days_text(days)} re-planned" if days else "")
    if action in ("lock", "unlock"):
        before = {(m.day, m.slot) for m in parent.locked}
        after = {(m.day, m.slot) for m in plan.locked}
        changed = sorted(after - before if action == "lock" else before - after)
        return f"{action}: " + (", ".join(f"day {d} {s}" for d, s in changed) or "no meal")
    if action == "plan":
        return f"{'week' if span == '7-day' else span} planned again"
    words = list(dict.fromkeys(_edit_words(e, names) for e in new_edits))
    if words:
        text = "; ".join(words[:3]) + (f" and {len(words) - 3} more" if len(words) > 3 else "")
        return text[:LABEL_MAX]
    return action


def labels(store: Any, client_id: str, records: list[Any]) -> dict[int, str]:
    """Each plan's label: the stored one, else :func:`describe` from the plan and its parent."""
    notes = notes_of(store, client_id)
    out: dict[int, str] = {}
    plans: dict[int, Plan | None] = {}

    def plan(pid: int | None) -> Plan | None:
        if pid is None:
            return None
        if pid not in plans:
            try:
                plans[pid] = store.plan(pid)
            except (InputError, ValueError):  # a damaged row: no words for it
                plans[pid] = None
        return plans[pid]

    for r in records:
        stored = notes.get(r.id)
        if stored is not None and stored.label:
            out[r.id] = stored.label
            continue
        this = plan(r.id)
        out[r.id] = describe(r.action, this, plan(r.parent_id)) if this is not None else r.action
    return out


# --- undo ----------------------------------------------------------------------------------------------


def undo(store: Any, plan_id: int) -> tuple[int, str]:
    """Store plan ``plan_id``'s parent again as the newest plan; ``(the new id, what was said)``.

    When the undone change stored a new profile version (a forbid) and that version is still the
    client's latest, the parent's profile version is stored again as the latest, so the rule the
    change added is gone too.

    Raises:
        InputError: no such plan, or a plan with no stored parent (the first plan of a client).
    """
    from mealplan.targets.profile_files import profile_from_dict

    record = store.plan_record(plan_id)
    if record.parent_id is None:
        raise InputError(f"plan {plan_id} was not made from another plan: there is no change to undo.")
    parent_record = store.plan_record(record.parent_id)
    parent = store.plan(record.parent_id)
    what = labels(store, record.client_id, [record])[plan_id]
    said = f"undo: {what}"
    profile = None
    latest = store.latest_profile(record.client_id)
    if (
        record.profile_version is not None
        and parent_record.profile_version is not None
        and record.profile_version != parent_record.profile_version
        and latest.version == record.profile_version
    ):
        version = next(
            v for v in store.profile_versions(record.client_id) if v.version == parent_record.profile_version
        )
        profile = profile_from_dict(
            version.profile, source=f"client {record.client_id}, profile version {version.version}"
        )
        said += f" (profile as in version {version.version})"
    restored = parent.model_copy(update={"parent_id": str(plan_id)})
    new_id = add_labelled_plan(
        store, record.client_id, restored, said, profile=profile, parent_id=plan_id, action="undo"
    )
    return new_id, said
