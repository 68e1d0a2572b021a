"""Hardening, round three (issue #28), on the command line: exit codes and messages word for word.

Internal errors (exit 70) from ids and numbers out of range, config files with the wrong types, text
that reorders the terminal, files that are not profiles, and silently accepted values.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli

BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u202a", "\u202b", "\u200f"]


def invoke(*args: str, **kw):
    return CliRunner().invoke(cli, list(args), **kw)


# --- bidi controls never reach the terminal -------------------------------------------------------------


@pytest.mark.parametrize("mark", BIDI)
def test_a_bidi_control_in_a_file_name_never_reaches_the_terminal(tmp_path: Path, mark: str):
    name = tmp_path / f"report{mark}lmth.yaml"
    result = invoke("clients", "add", "--profile", str(name), "--db", str(tmp_path / "c.db"))
    assert result.exit_code == 2
    assert "reportlmth.yaml: profile file not found" in result.output
    assert mark not in result.output


def test_a_bidi_control_in_a_clients_name_never_reaches_the_terminal(tmp_path: Path):
    db = tmp_path / "c.db"
    profile = tmp_path / "p.yaml"
    profile.write_text("id: ana\nage: 40\nsex: female\n", encoding="utf-8")
    assert (
        invoke("clients", "add", "--profile", str(profile), "--name", "Ana\u202e nimda", "--db", str(db)).exit_code == 0
    )
    result = invoke("clients", "list", "--db", str(db))
    assert result.exit_code == 0 and "Ana nimda" in result.output and "\u202e" not in result.output


# --- dish files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("grams", "shown"), [("1e20", "grams 1e+20"), (".nan", "grams nan"), ("2500", "grams 2500")])
def test_a_dish_ingredient_of_absurd_grams_is_refused(tmp_path: Path, grams: str, shown: str):
    path = tmp_path / "d.yaml"
    path.write_text(
        "dishes:\n  - id: big-oats\n    name: Big oats\n    slots: [breakfast]\n    method: Cook.\n"
        f'    ingredients:\n      - {{food: "08121", grams: {grams}, min: 0, max: 300, role: starch}}\n',
        encoding="utf-8",
    )
    result = invoke("-q", "dishes", "check", "--dishes", str(path))
    assert result.exit_code == 2
    assert (
        f"{path}: dish 'big-oats': field ingredients[0] (food '08121'): {shown} g is not an amount for one portion; "
        "give finite grams up to 2,000." in result.output
    )


# --- config.toml: values of the wrong kind, nesting ------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[plan]\nfoods = 5\n", "[plan] foods = 5: --foods takes a file name in quotes"),
        ("[plan]\nfoods = [5, 6]\n", "[plan] foods = 5: --foods takes a file name in quotes"),
        ("[plan]\ndays = true\n", "[plan] days = true: --days takes a whole number"),
        ("[plan]\ntime-limit = false\n", "[plan] time-limit = false: --time-limit takes a number"),
        ("[plan]\nformat = true\n", "[plan] format = true: --format takes text in quotes"),
        ("[plan]\ndays = 1979-05-27\n", "[plan] days = 1979-05-27: --days takes a whole number"),
        ("[batch]\nresume = 1\n", "[batch] resume = 1: --resume takes true or false"),
        (
            "[plan]\nfoods = " + "[" * 5000 + "]" * 5000 + "\n",
            "not a config file: lists or tables are nested too deeply",
        ),
        (
            "[plan]\ndays = " + "[" * 5000 + "]" * 5000 + "\n",
            "not a config file: lists or tables are nested too deeply",
        ),
    ],
)
def test_a_config_value_of_the_wrong_kind_is_named(tmp_path: Path, toml: str, message: str):
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    result = invoke("--config", str(config), "plan", "--profile", "nope.yaml")
    assert result.exit_code == 2, result.output
    assert f"Error: config file {config}: {message}" in result.output
    assert "Internal error" not in result.output


def test_a_config_file_of_right_kinds_still_works(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('[foods.search]\nlimit = 2\nformat = "json"\n[batch]\nresume = true\n', encoding="utf-8")
    result = invoke("--config", str(config), "foods", "search", "salmon")
    assert result.exit_code == 0, result.output
    assert result.output.lstrip().startswith("{")


# --- a file that is not a profile is not quoted back ---------------------------------------------------------


def test_a_file_that_is_not_a_profile_has_none_of_its_lines_quoted(tmp_path: Path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$s3cr3t$hash:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n", encoding="utf-8")
    result = invoke("targets", "--profile", str(secret))
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {secret}: not a profile: none of its 2 top-level keys is a profile field (id, age, sex, ...); "
        "give a YAML, TOML or JSON profile (mealplan init writes examples)\n"
    )
    assert "s3cr3t" not in result.output and "$6$" not in result.output and "daemon" not in result.output


def test_a_profile_with_a_typo_still_names_the_typo(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text("id: ana\nage: 40\nsex: female\nalergies: [milk]\n", encoding="utf-8")
    result = invoke("targets", "--profile", str(path))
    assert result.exit_code == 2 and "alergies: unknown field; did you mean allergies?" in result.output
