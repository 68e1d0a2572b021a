"""``mealplan targets`` shows the energy requirement's equation, the +-5 % aim, and poor appetite's cap."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mealplan.cli.main import cli

OLDER = "id: older\nage: 80\nsex: female\nweight_kg: 55\nheight_cm: 158\nactivity: sedentary\n"


def invoke(tmp_path, text: str, *args: str):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(cli, ["targets", "--profile", str(path), *args], env={"COLUMNS": "200"})


def test_table_names_the_equation_and_the_aim(tmp_path):
    result = invoke(tmp_path, OLDER)
    assert result.exit_code == 0, result.output
    # 584.90 - 7.01 * 80 + 5.72 * 158 + 11.71 * 55 = 1,571.9 kcal; aim +-5 %, range +-10 %.
    assert "energy 1572 kcal (aim 1493-1650, range 1415-1729); NASEM 2023 EER, adults 19+, inactive" in result.stdout
    assert "Food and drink at most" not in result.stdout


def test_poor_appetite_shows_the_food_mass_cap(tmp_path):
    result = invoke(tmp_path, OLDER + "appetite: poor\n")
    assert result.exit_code == 0, result.output
    assert "Food and drink at most 1,048 g a day: poor appetite (profile (appetite: poor))" in result.stdout
    data = json.loads(invoke(tmp_path, OLDER + "appetite: poor\n", "--format", "json").stdout)
    assert data["targets"]["appetite"] == "poor" and data["targets"]["food_mass_max_g"] == 1047.9
    assert data["targets"]["items"]["fiber"]["max"] == 22.0


def test_a_bad_appetite_names_the_field_and_what_is_allowed(tmp_path):
    result = invoke(tmp_path, OLDER + "appetite: tiny\n")
    assert result.exit_code == 2
    assert "appetite" in result.stderr and "'normal' or 'poor'" in result.stderr
