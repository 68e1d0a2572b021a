"""The client's handout: the name and the dietitian's note first, red flags in the client's words, the
week on one landscape page with each meal's amounts, recipes with methods, the shopping list by section,
no solver or table words, the appendix only when asked, metric and US units; and the PDF Chromium prints
(skipped, with the reason, when there is no Chromium)."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest

from mealplan.errors import InputError
from mealplan.plan import Plan
from mealplan.report import pdf
from mealplan.report.handout import build_handout, handout_pdf, render_handout
from mealplan.report.units import in_units, volume, weight

WEEK = Path(__file__).resolve().parents[1] / "fixtures" / "plan_week_dishes.json"
JARGON = re.compile(r"\b(solver|shortfalls?|SR24|USDA|food id|dry matter|HiGHS|MILP|objective|constraint)\b", re.I)
NOTE = "Eat slowly, and drink water with every meal.\nCall me if the cramps come back."


@pytest.fixture(scope="module")
def week() -> Plan:
    return Plan.model_validate_json(WEEK.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "units", "out"),
    [
        ("300 g portabella mushrooms (about 0.75 lb), raw", "us", "0.75 lb portabella mushrooms, raw"),
        ("300 g portabella mushrooms (about 0.75 lb), raw", "metric", "300 g portabella mushrooms, raw"),
        (
            "1 bottle olive oil (16.9 fl oz; uses about 35 mL)",
            "metric",
            "1 bottle olive oil (500 mL; uses about 35 mL)",
        ),
        (
            "1 bottle olive oil (16.9 fl oz; uses about 35 mL)",
            "us",
            "1 bottle olive oil (16.9 fl oz; uses about 1.2 fl oz)",
        ),
        (
            "1 bag brown rice (2 lb; uses about 250 g, makes about 830 g cooked)",
            "metric",
            "1 bag brown rice (907 g; uses about 250 g, makes about 830 g cooked)",
        ),
        (
            "1 half gallon soy milk (64 fl oz; uses about 1.9 L)",
            "us",
            "1 half gallon soy milk (64 fl oz; uses about 2 qt)",
        ),
        ("1.2 kg broccoli (about 2.75 lb)", "us", "2.75 lb broccoli"),
        ("2 medium red bell peppers", "us", "2 medium red bell peppers"),
    ],
)
def test_texts_in_the_clients_units(text, units, out):
    assert in_units(text, units) == out


def test_weights_and_volumes():
    assert (weight(150), weight(150, "us"), weight(1200), weight(1200, "us")) == (
        "150 g",
        "5.3 oz",
        "1.2 kg",
        "2.75 lb",
    )
    assert (volume(250), volume(250, "us"), volume(1400), volume(60, "us")) == ("250 mL", "1 cup", "1.4 L", "2 fl oz")


def test_the_handout_reads_in_the_clients_order(week, bundled):
    html = render_handout(week, bundled, name="Ana Pereira", note=NOTE)
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    order = ["For Ana Pereira", "A note from your dietitian", "Eat slowly", "Your meals", "Recipes", "Shopping list"]
    assert [body.index(w) for w in order] == sorted(body.index(w) for w in order)
    assert "<script" not in html and "Appendix" not in html
    text = re.sub(r"<[^>]+>", " ", body)
    assert not JARGON.search(text), JARGON.search(text)
    h = build_handout(week, bundled, name="Ana Pereira", note=NOTE)
    ((labels, rows),) = h.weeks
    assert labels == ["Breakfast", "Lunch", "Dinner", "Snack"] and [d for d, _ in rows] == list(range(1, 8))
    assert all(c is not None and c.lines and c.title for _, cells in rows for c in cells)  # every meal, with amounts
    assert {r.title for r in h.recipes} >= {
        s.title for d in week.days for s in d.slots if s.meal_kind == "dish" and not s.leftover_of
    }
    assert all(r.method and r.lines for r in h.recipes)
    assert [t for t, _ in h.shopping][:2] == ["Produce", "Dairy, eggs and alternatives"]


def test_red_flags_are_worded_for_the_client(bundled):
    plan = Plan.model_validate_json(WEEK.read_text(encoding="utf-8"))
    from mealplan.triage import RedFlag

    flag = RedFlag(
        id="weakness-or-stiffness",
        message="The affected muscles feel weak or stiff (muscle-weakness).",
        advice="See a doctor; weakness alongside twitching needs a clinical examination.",
    )
    html = render_handout(plan.model_copy(update={"red_flags": [flag]}), bundled, name="Ana")
    assert "Please talk to your doctor" in html and "See a doctor about this first" not in html
    assert "The affected muscles feel weak or stiff." in html and "(muscle-weakness)" not in html
    assert html.index("For Ana") < html.index("Please talk to your doctor") < html.index("Your meals")


def test_us_units_and_the_appendix(week, bundled):
    html = render_handout(week, bundled, name="Ana", units="us", appendix=True)
    body, appendix = html.split("Appendix: the numbers", 1)
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.S)
    assert not re.search(r"\b\d+(?:\.\d+)? (g|kg|mL|L)\b", re.sub(r"<[^>]+>", " ", body))
    assert " oz" in body and " lb" in body
    assert "Magnesium" in appendix and "%" in appendix
    with pytest.raises(ValueError, match="units 'imperial'"):
        render_handout(week, bundled, units="imperial")


def test_no_chromium_is_an_error_that_says_what_to_install(monkeypatch, week):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.delenv(pdf.CHROMIUM_ENV, raising=False)
    with pytest.raises(InputError, match="apt-get install chromium"):
        handout_pdf(week)
    monkeypatch.setenv(pdf.CHROMIUM_ENV, "/no/such/browser")
    with pytest.raises(InputError, match="MEALPLAN_CHROMIUM='/no/such/browser' is not a program"):
        pdf.find_chromium()


CHROMIUM = shutil.which("chromium") or shutil.which("google-chrome")


@pytest.mark.solve
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to print with (apt-get install chromium)")
def test_the_pdf_has_the_grid_on_one_landscape_page_and_text_of_11_pt_or_more(week, bundled, tmp_path):
    data = handout_pdf(week, bundled, name="Ana Pereira", note=NOTE, appendix=True)
    assert data.startswith(b"%PDF")
    (tmp_path / "handout.pdf").write_bytes(data)
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text and sizes (pip install pypdf)")
    reader = pypdf.PdfReader(tmp_path / "handout.pdf")
    pages = reader.pages
    landscape = [k for k, p in enumerate(pages) if p.mediabox.width > p.mediabox.height]
    assert landscape == [1], [(p.mediabox.width, p.mediabox.height) for p in pages]  # the week: one page of its own
    grid = pages[1].extract_text()
    assert all(re.search(rf"(^|\n){d} ", grid) for d in range(1, 8)), grid[:400]
    first = pages[0].extract_text()
    assert first.index("Ana Pereira") < first.index("A note from your dietitian")
    appendix = next(k for k, p in enumerate(pages) if "Appendix" in p.extract_text())
    sizes: list[float] = []

    def size(text, cm, tm, font, font_size):
        if text.strip():
            sizes.append(font_size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]))

    for p in pages[:appendix]:
        p.extract_text(visitor_text=size)
    assert sizes and min(sizes) >= 10.9, min(sizes)
    assert reader.metadata.title.startswith("Your meal plan for 7 days")
