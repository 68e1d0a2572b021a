"""Plans given to ``shopping``, ``verify`` and ``rescore`` (issue #15): numbers no plan can have are exit 2
naming the JSON path, and a path written in a plan file is never opened (it could name /etc/passwd, a
FIFO or /dev/zero)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mealplan.cli.main import cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan_week.json"
GRAMS = "days[0].slots[0].items[0].grams"
COMMANDS = [["shopping"], ["verify"], ["rescore"]]


def _plan(tmp_path: Path, grams_text: str | None = None, sources: list[str] | None = None) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    data = json.loads(text)
    if sources is not None:
        data["food_sources"] = sources
    text = json.dumps(data)
    if grams_text is not None:
        data["days"][0]["slots"][0]["items"][0]["grams"] = 123456.789
        text = json.dumps(data).replace("123456.789", grams_text, 1)
    path = tmp_path / "week.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("grams", "why"),
    [
        ("1e308", "1e+308 is not a physical amount; a saved plan has finite numbers below 1e15"),
        ("1e400", "inf is not a physical amount; a saved plan has finite numbers below 1e15"),
        ("-1e400", "-inf is not a physical amount"),
        ("-500", "-500 g; an item's grams are 0 to 10,000"),
        ("20000", "20000 g; an item's grams are 0 to 10,000"),
    ],
)
def test_unphysical_grams_exit_2_naming_the_field(tmp_path: Path, command: list[str], grams: str, why: str):
    path = _plan(tmp_path, grams)
    result = CliRunner().invoke(cli, [*command, str(path)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {path}: the plan holds numbers no plan can have:\n  - {GRAMS}: {why}")
    assert "Traceback" not in result.output and "Internal error" not in result.output


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_a_plan_exit_2(tmp_path: Path, command: list[str], constant: str):
    result = CliRunner().invoke(cli, [*command, str(_plan(tmp_path, constant))])
    assert result.exit_code == 2, result.output
    assert f"{constant} is not a number JSON allows; a saved plan has only finite numbers." in result.output


@settings(max_examples=40, deadline=None)
@given(grams=st.one_of(st.floats(allow_nan=False), st.sampled_from(["1e400", "-1e400", "1e309"])))
def test_shopping_never_crashes_on_any_number(tmp_path_factory, grams):
    path = _plan(tmp_path_factory.mktemp("p"), grams if isinstance(grams, str) else repr(grams))
    result = CliRunner().invoke(cli, ["shopping", str(path), "--format", "json"])
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        assert isinstance(grams, float) and 0 <= grams <= 10_000
        assert "-" not in "".join(str(i.get("grams", "")) for i in json.loads(result.stdout).get("items", []))


@pytest.mark.parametrize("command", [["verify"], ["shopping"], ["rescore"]])
def test_a_path_in_the_plan_is_never_opened(tmp_path: Path, command: list[str]):
    fifo = tmp_path / "foods.csv"
    os.mkfifo(fifo)
    path = _plan(tmp_path, sources=["USDA SR24", "/etc/passwd", str(fifo), "/dev/zero"])
    started = time.monotonic()
    result = CliRunner().invoke(cli, [*command, str(path)])
    assert time.monotonic() - started < 30
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"Error: The plan was made with food tables of your own: '/etc/passwd', '{fifo}', '/dev/zero'; give them "
        "with --foods FILE (a path written in a plan file is never opened unless you name it).\n"
    )
    assert "root:" not in result.output
