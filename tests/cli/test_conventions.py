"""CLI conventions: -v/-q, MEALPLAN_* environment defaults, the config file, FORCE_COLOR, COLUMNS, --foods ZIP.

Precedence of an option's value: the command line, then the environment, then the config file,
then the built-in default. A tiny command (``demo``, below) is added to the command table for the
tests, so each rule is checked without running the planner.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mealplan.cli import main as main_module
from mealplan.cli.common import emit, note, output_option
from mealplan.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
FDC = ROOT / "tests" / "fixtures" / "fdc"
ESC = "\x1b["
TRIAGE = ["triage", "--symptom", "muscle-cramps"]

log = logging.getLogger("mealplan.demo")


@click.command()
@click.option("--days", type=click.IntRange(1, 7), default=1, show_default=True, help="Days.")
@click.option("--time-limit", type=float, default=30.0, help="Seconds.")
@click.option("--label", "labels", multiple=True, help="Labels (repeatable).")
@click.option("--path", "path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="A file.")
@output_option
def demo(days: int, time_limit: float, labels: tuple[str, ...], path: Path | None, output: Path | None) -> None:
    """Print its options as JSON and log one message at each level.

    \b
    Example:
      mealplan demo --days 2
    """
    for level in (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR):
        log.log(level, "%s message", logging.getLevelName(level).lower())
    note("a note")
    values = {"days": days, "time_limit": time_limit, "labels": list(labels), "path": path and str(path)}
    emit(json.dumps(values) + "\n", output)


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No MEALPLAN_* variable or config file of the person running the tests; the demo command added."""
    for name in list(os.environ):
        if name.startswith("MEALPLAN_") and name != "MEALPLAN_CACHE_DIR":
            monkeypatch.delenv(name)
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # the platform config folder (Linux)
    monkeypatch.setitem(main_module.COMMANDS, "demo", f"{__name__}:demo")


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, prog_name="mealplan")


def values(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- -v / -q -------------------------------------------------------------------------------------


def test_warnings_and_errors_are_shown_by_default():
    result = run("demo")
    assert result.exit_code == 0
    assert result.stderr == "warning: warning message\nerror: error message\na note\n"


def test_verbose_adds_info_then_debug():
    assert run("-v", "demo").stderr.splitlines()[:2] == ["info: info message", "warning: warning message"]
    lines = run("-vv", "demo").stderr.splitlines()
    assert lines[:2] == ["debug: mealplan.demo: debug message", "info: info message"]


def test_quiet_leaves_errors_only_no_notes():
    result = run("-q", "demo")
    assert result.exit_code == 0 and result.stderr == "error: error message\n"
    assert values(result)["days"] == 1


def test_quiet_leaves_out_the_wrote_note(tmp_path):
    out = tmp_path / "out.json"
    result = run("--quiet", "demo", "-o", str(out))
    assert result.exit_code == 0 and result.stderr == "error: error message\n" and out.is_file()
    assert "wrote" in run("demo", "-o", str(out)).stderr


def test_quiet_silences_consoles_on_standard_error_so_progress_bars_draw_nothing():
    from mealplan.cli.common import console

    with click.Context(cli, obj={"quiet": True}):
        assert console(file=sys.stderr).quiet and not console().quiet
    with click.Context(cli, obj={"quiet": False}):
        assert not console(file=sys.stderr).quiet


def test_global_flags_may_follow_the_command():
    assert run("demo", "-q").stderr == "error: error message\n"
    assert run("demo", "--days", "2", "-v").stderr.startswith("info: info message")


def test_verbose_and_quiet_together_is_a_usage_error():
    result = run("-v", "-q", "demo")
    assert result.exit_code == 2 and "give one of them" in result.stderr


def test_a_real_command_logs_what_it_reads_under_v():
    args = ["foods", "stats", "--foods", str(FDC), "--no-bundled", "--format", "json"]
    assert "info: read 4 foods" not in run(*args).stderr
    assert "info: read 4 foods and 12 measures" in run("-v", *args).stderr


# --- MEALPLAN_* environment defaults ---------------------------------------------------------------


def test_environment_variables_named_after_the_flags():
    env = {"MEALPLAN_DEMO_DAYS": "3", "MEALPLAN_DEMO_TIME_LIMIT": "5", "MEALPLAN_DEMO_LABEL": "a b"}
    assert values(run("demo", env=env)) == {"days": 3, "time_limit": 5.0, "labels": ["a", "b"], "path": None}


def test_a_real_command_reads_its_environment_and_shows_it_in_help():
    result = run(*TRIAGE, env={"MEALPLAN_TRIAGE_FORMAT": "json"})
    assert result.exit_code == 0 and "suspected" in json.loads(result.stdout)
    help_text = " ".join(run("plan", "--help").stdout.split())
    for name in ("MEALPLAN_PLAN_DAYS", "MEALPLAN_PLAN_TIME_LIMIT", "MEALPLAN_PLAN_FORMAT", "MEALPLAN_PLAN_FOODS"):
        assert f"env var: {name}" in help_text
    assert "env var: MEALPLAN_CONFIG" in " ".join(run("--help").stdout.split())


def test_top_level_flags_from_the_environment():
    assert run("demo", env={"MEALPLAN_QUIET": "1"}).stderr == "error: error message\n"
    assert run("--version", env={}).exit_code == 0
    result = run("demo", env={"MEALPLAN_VERSION": "1"})  # never prints the version instead of running
    assert result.exit_code == 0 and "version" not in result.stdout


def test_a_bad_value_names_its_environment_variable_only_when_it_came_from_there():
    result = run("demo", env={"MEALPLAN_DEMO_DAYS": "9"})
    assert result.exit_code == 2
    assert "Invalid value for '--days' (environment variable MEALPLAN_DEMO_DAYS): 9 is not in" in result.stderr
    result = run("demo", "--days", "9")
    assert result.exit_code == 2 and "Invalid value for '--days': 9 is not in" in result.stderr


# --- the config file -------------------------------------------------------------------------------


def test_precedence_command_line_then_environment_then_file_then_default(tmp_path):
    file = config(tmp_path, "[demo]\ndays = 4\ntime-limit = 12.5\n")
    env = {"MEALPLAN_CONFIG": str(file)}
    assert values(run("demo"))["days"] == 1  # built-in default
    assert values(run("demo", env=env)) | {} == {"days": 4, "time_limit": 12.5, "labels": [], "path": None}
    assert values(run("demo", env=env | {"MEALPLAN_DEMO_DAYS": "5"}))["days"] == 5
    assert values(run("demo", "--days", "6", env=env | {"MEALPLAN_DEMO_DAYS": "5"}))["days"] == 6
    assert values(run("--config", str(file), "demo"))["days"] == 4  # --config names it too


def test_the_file_in_the_platform_config_folder_is_read(tmp_path):
    folder = tmp_path / "xdg" / "mealplan"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text("[demo]\ndays = 2\n", encoding="utf-8")
    assert values(run("demo"))["days"] == 2
    assert values(run("demo", env={"MEALPLAN_CONFIG": "off"}))["days"] == 1


def test_no_file_in_the_platform_folder_is_fine_but_a_named_missing_file_is_an_error(tmp_path):
    assert values(run("demo"))["days"] == 1
    result = run("--config", str(tmp_path / "nope.toml"), "demo")
    assert result.exit_code == 2 and str(tmp_path / "nope.toml") in result.stderr
    assert "not found" in result.stderr and "MEALPLAN_CONFIG" in result.stderr


def test_config_values_of_every_shape(tmp_path):
    file = config(tmp_path, '[demo]\nlabel = ["x", "y"]\npath = "notes/a.txt"\ntime_limit = 3\n')
    got = values(run("--config", str(file), "demo"))
    assert got["labels"] == ["x", "y"] and got["time_limit"] == 3.0
    assert got["path"] == str(tmp_path / "notes" / "a.txt")  # relative to the file's folder
    file = config(tmp_path, '[demo]\nlabel = "x"\n')
    assert values(run("--config", str(file), "demo"))["labels"] == ["x"]


def test_a_real_command_takes_defaults_from_the_file_and_subcommand_tables(tmp_path):
    file = config(tmp_path, '[triage]\nformat = "json"\n\n[foods.search]\nlimit = 1\nformat = "json"\n')
    env = {"MEALPLAN_CONFIG": str(file)}
    assert "suspected" in json.loads(run(*TRIAGE, env=env).stdout)
    found = json.loads(run("foods", "search", "salmon", env=env).stdout)
    assert found["shown"] == 1 and len(found["foods"]) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[plna]\ndays = 1\n", "unknown command [plna]; allowed: [init], [triage], "),
        ("days = 1\n", "unknown command [days]; allowed: [init]"),
        ("[demo]\ndayz = 1\n", "[demo] has no option 'dayz'; allowed: days, label, output, path, time-limit"),
        (
            "[foods]\n[foods.serch]\nlimit = 1\n",
            "[foods] has no command 'serch'; allowed: [foods.search], [foods.show]",
        ),
        ("[foods.search]\nlimt = 1\n", "[foods.search] has no option 'limt'; allowed: "),
        ("[demo]\ndays = [1, 2]\n", "[demo] days: one value, not a list (--days is given once)"),
        ("[demo]\ndays = {a = 1}\n", "[demo] days: a table where a value is needed"),
        ("demo = 3\n", "demo = ...: 'demo' is a command; write it as a table [demo]"),
        ("[demo\n", "not valid TOML"),
    ],
)
def test_config_mistakes_name_the_file_key_and_what_is_allowed(tmp_path, text, message):
    file = config(tmp_path, text)
    result = run("--config", str(file), "demo")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: config file {file}: ")
    assert message in result.stderr


def test_a_bad_value_in_the_file_names_the_file_and_key(tmp_path):
    file = config(tmp_path, '[demo]\ndays = "many"\n')
    result = run("--config", str(file), "demo")
    assert result.exit_code == 2
    assert f"'many' is not a valid integer range. (from [demo] days in config file {file})" in result.stderr
    assert "env var" not in result.stderr


# --- colour and width --------------------------------------------------------------------------------


def test_force_color_colours_a_pipe_and_no_color_wins():
    result = run("triage", "--list", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0 and ESC in result.stdout
    result = run("triage", "--list", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert result.exit_code == 0 and ESC not in result.stdout
    assert ESC not in run("triage", "--list").stdout
    # empty values count as unset (no-color.org, force-color.org)
    assert ESC not in run("triage", "--list", env={"FORCE_COLOR": ""}).stdout
    assert ESC in run("triage", "--list", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout


def test_a_pipe_is_as_wide_as_columns_says():
    def widest(env: dict[str, str]) -> int:
        result = run("triage", "--list", env=env)
        assert result.exit_code == 0
        return max(len(re.sub(r"\x1b\[[0-9;]*m", "", line)) for line in result.stdout.splitlines())

    assert widest({}) == 120
    assert widest({"COLUMNS": "80"}) <= 80
    assert widest({"COLUMNS": "200"}) > 120
    assert widest({"COLUMNS": "wide"}) == 120
    assert widest({"COLUMNS": "80", "FORCE_COLOR": "1"}) <= 80  # coloured, the same width


def test_a_file_written_with_o_is_plain_and_120_wide(tmp_path):
    out = tmp_path / "list.txt"
    result = run("triage", "--list", "-o", str(out), env={"COLUMNS": "80", "FORCE_COLOR": "1"})
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert ESC not in text and max(len(line) for line in text.splitlines()) == 120


def _piped(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "TTY_COMPATIBLE")}
    cmd = [sys.executable, "-m", "mealplan", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=base | env, timeout=120)


@pytest.mark.solve
def test_force_color_through_a_real_pipe_for_output_and_errors(tmp_path):
    done = _piped(*TRIAGE, FORCE_COLOR="1", COLUMNS="70")
    assert done.returncode == 0 and ESC in done.stdout
    done = _piped("plan", "--profile", str(tmp_path / "missing.yaml"), FORCE_COLOR="1")
    assert done.returncode == 2 and done.stderr.startswith(f"{ESC}31mError: ")
    done = _piped("plan", "--profile", str(tmp_path / "missing.yaml"), FORCE_COLOR="1", NO_COLOR="1")
    assert done.returncode == 2 and ESC not in done.stderr


# --- --foods takes the FoodData Central zip ----------------------------------------------------------


def test_foods_takes_the_fdc_zip(tmp_path):
    path = tmp_path / "FoodData_Central_sr_legacy_food_csv_2018-04.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for csv_file in sorted(FDC.iterdir()):
            archive.write(csv_file, f"{path.stem}/{csv_file.name}")
    result = run("foods", "stats", "--foods", str(path), "--no-bundled", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["foods"] == 4
    folder = run("foods", "stats", "--foods", str(FDC), "--no-bundled", "--format", "json")
    assert json.loads(folder.stdout) == json.loads(result.stdout)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing unpacked


def test_the_docs_config_example_is_a_valid_config(tmp_path):
    page = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    example = re.search(r"^```toml\n(.*?)^```", page, re.S | re.M)
    assert example, "docs/commands.md shows a config file"
    file = config(tmp_path, example.group(1))
    result = run("--config", str(file), "triage", "--list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "MEALPLAN_PLAN_TIME_LIMIT" in page and "export MEALPLAN_PLAN_DAYS=7" in page
