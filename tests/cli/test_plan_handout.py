"""``mealplan plan --format pdf`` (the client's handout, printed by headless Chromium), its units from the
command line, the profile or the config file, and ``--forbid``/``--require`` by name: an ambiguous name
is an error listing the candidates, or a question in a terminal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "older_diuretics.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("google-chrome")


def run(*args: str, input: str | None = None, env: dict | None = None):
    return CliRunner().invoke(cli, ["--config", "off", *args], input=input, env=env, prog_name="mealplan")


def test_an_ambiguous_forbid_is_an_error_listing_the_candidates():
    result = run("plan", "--profile", str(PROFILE), "--forbid", "salmon", "--forbid", "spinch")
    assert result.exit_code == 2
    assert "--forbid salmon: 'salmon' names" in result.output and "salmon (15237, " in result.output
    assert "or '*salmon*' to forbid every food whose name holds it" in result.output
    assert "--forbid spinch: no food or dish is named 'spinch'; closest: spinach" in result.output


@pytest.mark.solve
def test_a_require_by_name_resolves_or_says_which(tmp_path):
    result = run("plan", "--profile", str(PROFILE), "--require", "almonds@1")
    assert result.exit_code == 2 and "--require almonds: 'almonds' names" in result.output
    out = tmp_path / "day.json"
    result = run(
        "plan", "--profile", str(PROFILE), "--require", "Bananas, raw@1:breakfast", "--format", "json", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    assert [r["food"] for r in plan["rules"]["require"]] == ["09040"]
    breakfast = next(s for s in plan["days"][0]["slots"] if s["name"] == "breakfast")
    assert "09040" in {i["food_id"] for i in breakfast["items"]}


@pytest.mark.solve
def test_in_a_terminal_an_ambiguous_forbid_asks(monkeypatch, tmp_path):
    monkeypatch.setattr("mealplan.cli.resolve._interactive", lambda: True)
    out = tmp_path / "day.json"
    result = run(
        "plan", "--profile", str(PROFILE), "--forbid", "salmon", "--format", "json", "-o", str(out), input="a\n"
    )
    assert result.exit_code == 0, result.output
    assert (
        "--forbid 'salmon' names" in result.output and "Which one (a: every food whose name holds it)?" in result.output
    )
    assert json.loads(out.read_text())["rules"]["forbid"] == ["salmon"]


@pytest.mark.solve
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to print with (apt-get install chromium)")
def test_format_pdf_writes_the_handout_in_the_units_asked(tmp_path):
    pdf = tmp_path / "handout.pdf"
    config = tmp_path / "config.toml"
    config.write_text('[plan]\nunits = "us"\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "--config",
            str(config),
            "plan",
            "--profile",
            str(PROFILE),
            "--format",
            "pdf",
            "-o",
            str(pdf),
            "--note",
            "Hello from your dietitian",
        ],
        prog_name="mealplan",
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF") and f"wrote {pdf}" in result.output
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text (pip install pypdf)")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert "Older adult on diuretics with night cramps" in text and "Hello from your dietitian" in text
    assert " oz" in text and "ounces, pounds and cups" in text


def test_format_pdf_to_a_terminal_asks_for_a_file(monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    from mealplan.cli import resolve

    with pytest.raises(Exception, match="--format pdf writes a PDF file: give -o FILE"):
        resolve.write_handout(None, None, None, name="x", note="", units="metric", appendix=False)
