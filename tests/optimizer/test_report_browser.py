"""The HTML report in a real browser: headless Chromium loads it with no console errors, the charts
are in the DOM after load, and screenshots at desktop and phone width (plus an A4 PDF) are made.

Screenshots go to pytest's tmp dir and, when ``MEALPLAN_ARTIFACTS`` is set, are copied there.
Skipped only when Chromium is not installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from mealplan.food_data.nutrients import BY_ID, NUTRIENT_IDS
from mealplan.food_data.table import FoodTable, read_sr24
from mealplan.optimizer.plan import Plan
from mealplan.optimizer.report import key_nutrients, nutrient_order, render_html

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan_week.json"
CHROMIUM = next((p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and Path(p).exists()), None)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

# A console message in the log looks like: [..:INFO:CONSOLE(12)] "Uncaught ReferenceError: ...", source: ...
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\)|:\d+)\]\s*(.*)")


def chromium(url: str, tmp: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
        url,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def console_messages(stderr: str) -> list[str]:
    """Every message the page wrote to the console (the report has no scripts, so any is an error)."""
    return [m.group(1) for m in CONSOLE.finditer(stderr)]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def keep(path: Path) -> None:
    target = os.environ.get("MEALPLAN_ARTIFACTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, Plan]:
    plan = Plan.model_validate_json(FIXTURE.read_text())
    foods, measures = read_sr24()
    table = FoodTable(foods=foods, measures=measures, units={n: BY_ID[n].unit for n in NUTRIENT_IDS})
    path = tmp_path_factory.mktemp("report") / "plan_week.html"
    path.write_text(render_html(plan, table), encoding="utf-8")
    return path, plan


def test_console_errors_are_detected(tmp_path):
    """The harness itself: a page with broken JavaScript must produce console messages we catch."""
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); notDefined();</script>")
    result = chromium(broken.as_uri(), tmp_path, "--dump-dom")
    messages = console_messages(result.stderr)
    assert any("boom" in m for m in messages), result.stderr[-2000:]
    assert any("notDefined" in m for m in messages), result.stderr[-2000:]


def test_report_loads_cleanly_with_charts_in_the_dom(report, tmp_path):
    path, plan = report
    result = chromium(path.as_uri(), tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    dom = result.stdout
    n_days = len(plan.days)
    assert dom.count('<svg class="bar"') == len(nutrient_order(plan)) * (n_days + 1)
    assert dom.count('<svg class="stack"') == len(key_nutrients(plan))
    assert dom.count('class="day card"') == n_days
    assert 'class="heatmap"' in dom and 'id="shopping"' in dom and 'id="red-flags"' in dom


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1200, 2400), ("phone", 390, 2400)])
def test_screenshots(report, tmp_path, name, width, height):
    path, _ = report
    shot = tmp_path / f"report_{name}.png"
    result = chromium(path.as_uri(), tmp_path, f"--screenshot={shot}", f"--window-size={width},{height}")
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    assert png_size(shot) == (width, height)
    assert shot.stat().st_size > 20_000  # a blank page compresses to a few kB
    keep(shot)


def test_prints_on_a_few_a4_pages(report, tmp_path):
    path, plan = report
    pdf = tmp_path / "report.pdf"
    result = chromium(path.as_uri(), tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert result.returncode == 0 and pdf.exists(), result.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    # Two days to a page, plus the summary, sources, shopping list and the dietitian's notes.
    assert 4 <= pages <= 12, pages
    keep(pdf)
