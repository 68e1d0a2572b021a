"""Foods and dishes by name (workbench/names.py): ids, exact names, ambiguous names with their candidates,
unknown names with the closest, and what a forbid keeps as a pattern."""

from __future__ import annotations

import pytest

from mealplan.errors import InputError
from mealplan.workbench.names import NameIndex, resolved


@pytest.fixture(scope="module")
def index(foods):
    from mealplan.food_data.dishes import load_dishes

    return NameIndex.build(foods, load_dishes(foods=foods))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("09040", "09040"),
        ("9040", "09040"),  # ids are padded as everywhere
        ("Bananas, raw", "09040"),  # the table's name
        ("lentil and spinach dal", "lentil-spinach-dal-brown-rice"),  # one dish holds these words
        ("lentil-spinach-dal-brown-rice", "lentil-spinach-dal-brown-rice"),
    ],
)
def test_an_id_or_a_name_of_one_food_or_dish_resolves(index, text, value):
    assert index.resolve(text).value == value


def test_an_ambiguous_name_lists_the_candidates_best_first(index):
    r = index.resolve("spinach")
    assert r.value is None and r.total > 2 and r.candidates[0].name == "spinach"
    assert "'spinach' names" in r.problem("--require spinach") and "11457" in r.problem("x")


def test_an_unknown_name_gets_the_closest(index):
    r = index.resolve("spinch")
    assert r.value is None and not r.candidates and r.close
    assert "no food or dish is named 'spinch'; closest: spinach" in r.problem("--forbid spinch")


def test_a_forbid_keeps_globs_and_group_words_and_asks_about_a_shared_name(index):
    assert index.resolve_forbid("*salmon*").value == "*salmon*"
    assert index.resolve_forbid("fish").value == "fish"
    salmon = index.resolve_forbid("salmon")
    assert salmon.value is None and salmon.total > 10  # every salmon, not the one called just "salmon"
    assert index.resolve("salmon").value == "15237"  # a requirement: the food called so


def test_search_ranks_the_name_said_first_and_keeps_to_planner_foods(index):
    found, total = index.search("tofu", "food")
    assert total >= 1 and all(m.kind == "food" and m.planner for m in found)
    assert found[0].name.startswith("tofu") or found[0].name == "tofu"
    every, more = index.search("tofu", "food", planner_only=False, limit=500)
    assert more >= total


def test_resolved_names_every_problem_at_once(index):
    assert resolved(index, ["9040", "*kale*"], "--forbid", forbid=True) == ["09040", "*kale*"]
    with pytest.raises(InputError) as exc:
        resolved(index, ["spinach", "zzzqqq"], "--require")
    assert len(exc.value.problems) == 2
