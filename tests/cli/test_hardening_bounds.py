"""Bounds near solver infinity and negative minimums (issue #15): exit 2 naming the file and value.

HiGHS reads 1e20 as infinity; a bound of 1e20 used to break the model (IndexError, exit 70)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mealplan.cli.main import cli
from mealplan.errors import ConfigError
from mealplan.optimizer.basket_targets import PHYSICAL_MAX, NutrientBound
from mealplan.targets.profile_files import profile_from_dict

ROOT = Path(__file__).resolve().parents[2]
BASKET = ["basket", "--foods", str(ROOT / "examples" / "basket" / "commodities.csv"), "--no-bundled"]
BEYOND = "is beyond any physical amount (the solver reads such numbers as infinity); give an amount below 1e15"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("t.csv", "nutrient,min,max\nprotein,1e20,\n", f"protein: min 1e+20 {BEYOND}"),
        ("t.csv", "nutrient,min,max\nprotein,10,1e300\n", f"protein: max 1e+300 {BEYOND}"),
        ("t.csv", "nutrient,min,max\nprotein,-5,\n", "protein: min -5 is negative; amounts are 0 or more"),
        ("t.yaml", "protein: {min: 1.0e+20}\n", f"protein: min 1e+20 {BEYOND}"),
    ],
)
def test_basket_targets_beyond_physical_or_negative_exit_2(tmp_path: Path, name: str, text: str, message: str):
    targets = tmp_path / name
    targets.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, [*BASKET, "--targets", str(targets)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {targets}: the targets file has problems:")
    assert message in result.output


def test_a_profile_bound_of_1e20_exits_2(tmp_path: Path):
    profile = tmp_path / "p.yaml"
    profile.write_text("id: a\nage: 30\nsex: female\nnutrients:\n  magnesium: {min: 1.0e+20}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", "--profile", str(profile)])
    assert result.exit_code == 2, result.output
    assert "nutrients.magnesium: 1e+20 is beyond any physical daily amount; give one below 1e15" in result.output


@settings(max_examples=100, deadline=None)
@given(value=st.floats(min_value=PHYSICAL_MAX, allow_infinity=True, allow_nan=False))
def test_any_bound_at_or_near_solver_infinity_is_refused(value: float):
    with pytest.raises(ValueError, match="beyond any physical amount|must be a finite number"):
        NutrientBound(nutrient="protein", min=value)
    with pytest.raises(ConfigError):
        profile_from_dict({"id": "a", "age": 30, "sex": "female", "nutrients": {"magnesium": {"max": value}}})


@settings(max_examples=100, deadline=None)
@given(value=st.floats(min_value=0, max_value=1e6))
def test_ordinary_bounds_are_kept(value: float):
    assert NutrientBound(nutrient="protein", min=value).min == value
