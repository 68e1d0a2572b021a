"""Food patterns (food_data.matching): one rule for the planner, the verifier and the profile."""

from __future__ import annotations

import numpy as np
import pytest

from mealplan.food_data.matching import food_matches, pattern_mask

IDS = ["09040", "05027", "f_milk"]
NAMES = ["Bananas, raw", "Chicken, liver, all classes, raw", "Milk, whole"]


@pytest.mark.parametrize(
    ("pattern", "hits"),
    [
        ("09040", [True, False, False]),
        ("BANANA", [True, False, False]),
        ("*raw", [True, True, False]),
        ("raw*", [False, False, False]),  # a glob matches the whole name
        ("*liver*", [False, True, False]),
        ("090", [False, False, False]),  # an id matches whole, not as a substring of the name
        ("", [False, False, False]),  # a blank pattern names nothing
        ("   ", [False, False, False]),
    ],
)
def test_one_pattern_both_ways(pattern: str, hits: list[bool]) -> None:
    assert [food_matches(pattern, i, n) for i, n in zip(IDS, NAMES, strict=True)] == hits
    assert pattern_mask([pattern], np.array(IDS, dtype=object), NAMES).tolist() == hits


def test_any_of_several_patterns() -> None:
    assert pattern_mask(["f_milk", "banana"], IDS, NAMES).tolist() == [True, False, True]
    assert not pattern_mask([], IDS, NAMES).any()
