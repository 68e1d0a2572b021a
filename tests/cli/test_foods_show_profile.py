"""``mealplan foods show ID --profile P``: why a profile's plans leave a food out (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli

PREGNANT = """id: preg
age: 30
sex: female
pregnant: true
diet: omnivore
"""
VEGAN = """id: vegan-no-fish
age: 40
sex: female
diet: vegan
dislikes: [mushrooms]
allergies: [soy]
"""


@pytest.fixture
def profiles(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("pregnant", PREGNANT), ("vegan", VEGAN)):
        out[name] = tmp_path / f"{name}.yaml"
        out[name].write_text(text, encoding="utf-8")
    return out


def show(*args: str):
    return CliRunner().invoke(cli, ["foods", "show", *args])


def test_a_pregnant_profile_is_told_the_safety_rule_and_its_source(profiles) -> None:
    result = show("15042", "--profile", str(profiles["pregnant"]))  # kippered herring
    assert result.exit_code == 0, result.output
    assert "Profile preg: left out: safety: refrigerated smoked seafood (listeria risk in pregnancy)." in result.stdout
    assert "source: FDA, Food Safety for Pregnant Women (2020)" in result.stdout

    doc = json.loads(show("15179", "--profile", str(profiles["pregnant"]), "--format", "json").stdout)  # lox
    assert doc["profile"]["allowed"] is False
    assert doc["profile"]["rules"] == [
        {
            "rule": "safety",
            "why": "refrigerated smoked seafood (listeria risk in pregnancy)",
            "source": doc["profile"]["rules"][0]["source"],
        }
    ]
    assert doc["profile"]["rules"][0]["source"].startswith("FDA")
    allowed = json.loads(show("15087", "--profile", str(profiles["pregnant"]), "--format", "json").stdout)
    assert allowed["profile"]["allowed"] is True and allowed["profile"]["rules"] == []  # canned sockeye


def test_every_rule_is_listed_with_the_group_word_and_nutrient_evidence(profiles) -> None:
    doc = json.loads(show("04134", "--profile", str(profiles["vegan"]), "--format", "json").stdout)
    rule = doc["profile"]["rules"][0]  # Salad dressing, home recipe, cooked: its name reads vegan
    assert rule["rule"] == "diet" and "cholesterol 57 mg per 100 g" in rule["why"]
    doc = json.loads(show("11260", "--profile", str(profiles["vegan"]), "--format", "json").stdout)
    assert doc["profile"]["rules"] == [
        {"rule": "dislike", "why": "group word 'mushrooms' (name word mushrooms)", "source": "profile: dislikes"}
    ]
    assert doc["profile"]["planner_reason"] == "disliked ('mushrooms')"
    doc = json.loads(show("16139", "--profile", str(profiles["vegan"]), "--format", "json").stdout)
    assert [r["rule"] for r in doc["profile"]["rules"]] == ["allergy"]


def test_without_profile_nothing_changes_and_a_missing_profile_is_exit_2(tmp_path: Path) -> None:
    doc = json.loads(show("15179", "--format", "json").stdout)
    assert "profile" not in doc
    result = show("15179", "--profile", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml: profile file not found" in result.output
    assert "Traceback" not in result.output
