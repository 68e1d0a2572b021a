"""Named diet patterns (data with sources) and the dietitian's macro ranges override the AMDR, labelled."""

from __future__ import annotations

import pytest

from mealplan.errors import ConfigError
from mealplan.food_data.diet_patterns import load_diet_patterns, macro_ranges
from mealplan.targets.profile_files import load_profile, profile_from_dict
from mealplan.verify.verifier import verify_plan
from tests.workbench.conftest import ROOT

AMDR = {"protein": (10.0, 35.0), "fat": (20.0, 35.0), "carbohydrate": (45.0, 65.0)}


def test_the_four_patterns_load_with_sources_and_feasible_ranges():
    patterns = load_diet_patterns()
    assert list(patterns) == ["low-carb", "mediterranean", "dash", "high-protein"]
    for p in patterns.values():
        assert len(p.source) > 40 and p.note
        assert sum(lo for lo, _ in p.macros.values()) <= 100 <= sum(hi for _, hi in p.macros.values())
    assert patterns["low-carb"].macros["carbohydrate"][1] == 26


def test_the_dietitians_range_beats_the_pattern_which_beats_the_amdr():
    ranges, labels = macro_ranges(AMDR, "low-carb", {"protein": (20.0, 30.0)})
    assert ranges == {"protein": (20.0, 30.0), "fat": (40.0, 65.0), "carbohydrate": (10.0, 26.0)}
    assert labels["carbohydrate"].startswith("override: Low-carbohydrate pattern (Feinman RD")
    assert labels["protein"] == "override: the dietitian's range (profile macros)"
    assert macro_ranges(AMDR, None, {}) == (AMDR, {})


@pytest.mark.solve
def test_a_low_carb_plan_holds_its_range_and_labels_the_override(foods):
    from mealplan.optimizer.planner import make_plan

    data = load_profile(ROOT / "examples/profiles/older_diuretics.yaml").model_dump(mode="json")
    profile = profile_from_dict({**data, "diet_pattern": "Low-Carb"})
    plan = make_plan(profile, foods)
    assert plan.rules.amdr["carbohydrate"] == (10.0, 26.0)
    assert set(plan.rules.amdr_overrides) == {"protein", "fat", "carbohydrate"}
    assert plan.days[0].macros_pct["carbohydrate"] <= 26.0 + 0.5
    report = verify_plan(plan, foods)
    assert report.ok, report.problems


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"diet_pattern": "keto"}, "unknown diet pattern 'keto'; allowed: low-carb, mediterranean, dash, high-protein"),
        ({"macros": {"carbohydrate": [30, 20]}}, "macros.carbohydrate: 30-20 is not a range of percent of energy"),
        ({"macros": {"sugar": [0, 10]}}, "macros.sugar"),
    ],
)
def test_bad_patterns_and_ranges_are_named(change, message):
    with pytest.raises(ConfigError) as exc:
        profile_from_dict({"id": "a", "age": 40, "sex": "male", **change})
    assert message in str(exc.value)
