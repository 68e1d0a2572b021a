"""A practice's history (workbench/history.py): labels, status and note, what changed in words, undo."""

from __future__ import annotations

import pytest

from mealplan.errors import InputError
from mealplan.workbench import history
from mealplan.workbench.replan import lock_meals
from mealplan.workbench.store import Store


@pytest.fixture
def store(tmp_path, profile, week):
    s = Store.open(tmp_path / "h.db")
    s.add_client("ana", profile, name="Ana")
    s.add_plan("ana", week)
    yield s
    s.close()


@pytest.mark.solve
def test_status_and_note_are_checked_and_kept(store):
    assert history.note_of(store, 1).status == "draft"
    note = history.set_status(store, 1, status="approved", note="  Warm oats.\x07 ")
    assert (note.status, note.note) == ("approved", "Warm oats.")
    assert history.notes_of(store, "ana")[1].note == "Warm oats."
    with pytest.raises(InputError, match="status 'done': allowed draft, approved, sent"):
        history.set_status(store, 1, status="done")
    with pytest.raises(InputError, match="note: 2,001 characters; at most 2,000"):
        history.set_status(store, 1, note="x" * 2001)
    with pytest.raises(InputError, match="plan 9 is not in"):
        history.set_status(store, 9, status="sent")


@pytest.mark.parametrize(
    ("days", "text"),
    [([3], "day 3"), ([2, 3, 4, 5, 6, 7], "days 2–7"), ([1, 3, 4, 5], "days 1, 3–5"), ([1, 2], "days 1, 2")],
)
def test_days_in_words(days, text):
    assert history.days_text(days) == text


@pytest.mark.solve
def test_what_changed_in_words(week):
    assert history.describe("plan", week) == "week planned"
    locked = lock_meals(week, [(2, "dinner")])
    assert history.describe("lock", locked, week) == "lock: day 2 dinner"
    assert history.describe("unlock", week, locked) == "unlock: day 2 dinner"
    food = week.days[1].slots[1].items[0]
    rules = week.rules.model_copy(update={"forbid": [*week.rules.forbid, food.food_id]})
    forbidden = week.model_copy(update={"rules": rules})
    assert history.describe("forbid", forbidden, week).startswith("forbid: ")


@pytest.mark.solve
def test_undo_restores_the_parent_and_the_profile_before_a_forbid(store, week, profile):
    from mealplan.targets.profile_files import profile_from_dict

    food = week.days[0].slots[0].items[0].food_id
    forbidding = profile_from_dict({**profile.model_dump(mode="json", exclude_none=True), "forbid": [food]})
    rules = week.rules.model_copy(update={"forbid": [food]})
    second = store.add_plan(
        "ana", week.model_copy(update={"rules": rules}), profile=forbidding, parent_id=1, action="forbid"
    )
    assert store.latest_profile("ana").profile["forbid"] == [food]
    new, said = history.undo(store, second)
    assert said.startswith("undo: forbid: ") and said.endswith("(profile as in version 1)")
    assert store.plan(new).days == week.days and store.plan(new).rules.forbid == week.rules.forbid
    assert store.plan_record(new).action == "undo" and store.plan_record(new).parent_id == second
    assert store.latest_profile("ana").profile["forbid"] == [] and store.latest_profile("ana").version == 3
    assert history.labels(store, "ana", store.plans("ana"))[new] == said
    with pytest.raises(InputError, match="plan 1 was not made from another plan"):
        history.undo(store, 1)
