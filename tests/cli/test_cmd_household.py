"""``mealplan plan --household`` and a household plan through ``shopping`` and ``verify``: flags, formats,
errors word for word, exit codes (the planning itself: tests/optimizer/test_household.py and the example
in tests/test_examples.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from tests.household_plans import household_of, pantry_of, saved_week

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "examples" / "households" / "home.yaml"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="mealplan")


@pytest.mark.parametrize(
    ("extra", "flag"),
    [(("--symptom", "cramps"), "--symptom"), (("--profile", "x.yaml"), "--profile"), (("--client", "3"), "--client"),
     (("--forbid", "salmon"), "--forbid")],
)  # fmt: skip
def test_one_persons_flags_do_not_go_with_a_household(extra, flag):
    result = invoke("plan", "--household", str(HOME), *extra)
    assert result.exit_code == 2
    assert (f"Error: {flag} does not go with --household: each member's rules are in their profile (the household "
            "file names them).") in result.output  # fmt: skip


def test_formats_not_made_for_a_household_are_refused():
    result = invoke("plan", "--household", str(HOME), "--format", "csv")
    assert result.exit_code == 2
    assert ("--format csv is not made for a household yet; use one of table, json, md, html, pdf (each member's Plan "
            "is in the JSON).") in result.output  # fmt: skip


def test_a_bad_household_file_names_every_problem(tmp_path):
    path = tmp_path / "home.yaml"
    path.write_text("schema: 1\nid: home\nmembers: []\nshared: [{meal: supper}]\nbudgte: 3\n", encoding="utf-8")
    result = invoke("plan", "--household", str(path))
    assert result.exit_code == 2
    assert f"{path}: the household is not valid:" in result.output
    assert "members: List should have at least 1 item after validation, not 0" in result.output
    assert (
        "shared[0].meal: unknown meal 'supper'; allowed: breakfast, lunch, dinner, snack, snack2, snack3"
        in result.output
    )
    assert "budgte: unknown field; did you mean budget?" in result.output


def test_a_missing_household_file_is_named(tmp_path):
    result = invoke("plan", "--household", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "nope.yaml" in result.output


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    from mealplan.food_data.table import load_bundled

    foods = load_bundled()
    week = saved_week()
    home = household_of({"ana": week, "ben": week}, foods, pantry=pantry_of(foods, ("20036", 2000.0, None)))
    path = tmp_path_factory.mktemp("household") / "home.json"
    path.write_text(home.model_dump_json(indent=2), encoding="utf-8")
    return path


def test_shopping_reads_a_household_plan(saved):
    result = invoke("shopping", str(saved), "--format", "md")
    assert result.exit_code == 0, result.output
    assert "# Shopping list: test-home (7 days)" in result.stdout
    assert "## Already at home (pantry)" in result.stdout and "day 1 dinner (2 people)" in result.stdout


def test_verify_reads_a_household_plan(saved):
    # the members' saved weeks predate rules they now break, so the command fails on them, not on the household
    result = invoke("verify", str(saved), "-q")
    assert result.exit_code == 1
    assert f"{saved}: 2 member plan(s) and 0 household problem(s) failed." in result.stdout
    result = invoke("verify", str(saved), "--format", "json")
    assert result.exit_code == 1 and '"checks_run": [' in result.stdout and '"members": {' in result.stdout


@pytest.fixture
def planned_as_saved(saved, monkeypatch):
    """The planner replaced by the saved household (its planning: tests/optimizer/test_household.py)."""
    from mealplan.household_plan import HouseholdPlan
    from mealplan.optimizer import household_planner

    home = HouseholdPlan.model_validate_json(saved.read_text(encoding="utf-8"))
    monkeypatch.setattr(household_planner, "plan_household", lambda *a, **k: home)
    return home


def test_html_renders_the_household_plan(planned_as_saved, tmp_path):
    out = tmp_path / "home.html"
    result = invoke("plan", "--household", str(HOME), "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Household plan: test-home" in page
    assert page.index('class="disclaimer"') < page.index('id="together"') < page.index('id="shopping"')
    assert "<th>ana</th><th>ben</th>" in page and "Already at home (pantry)" in page


@pytest.mark.solve  # (Chromium prints the page: a process)
@pytest.mark.skipif(shutil.which("chromium") is None, reason="no Chromium to print with (apt-get install chromium)")
def test_pdf_prints_the_household_page(planned_as_saved, tmp_path):
    out = tmp_path / "home.pdf"
    result = invoke("plan", "--household", str(HOME), "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text (pip install pypdf)")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert out.read_bytes().startswith(b"%PDF") and "For education only" in text and "ana" in text
