"""The HTML report in a real browser: headless Chromium loads it with no console errors, the charts
are in the DOM after load, and screenshots at desktop and phone width (plus an A4 PDF) are made.

Screenshots go to pytest's tmp dir and, when ``MEALPLAN_ARTIFACTS`` is set, are copied there.
Skipped only when Chromium is not installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from mealplan.food_data.nutrients import BY_ID, NUTRIENT_IDS
from mealplan.food_data.table import FoodTable, read_sr24
from mealplan.plan import Plan
from mealplan.report import key_nutrients, nutrient_order, render_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXTURE = FIXTURES / "plan_week_dishes.json"  # a real schema 2.0 week (vegan_twitching.yaml, --days 7)
FIXTURE_1X = FIXTURES / "plan_week.json"  # a hand-made 1.x week, read through the migration
CHROMIUM = next((p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and Path(p).exists()), None)

pytestmark = [
    pytest.mark.solve,  # a browser process, on plans solved here
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
]

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
def table() -> FoodTable:
    foods, measures = read_sr24()
    return FoodTable(foods=foods, measures=measures, units={n: BY_ID[n].unit for n in NUTRIENT_IDS})


def _write(fixture: Path, table: FoodTable, folder: Path) -> tuple[Path, Plan]:
    plan = Plan.model_validate_json(fixture.read_text())
    path = folder / f"{fixture.stem}.html"
    path.write_text(render_html(plan, table), encoding="utf-8")
    return path, plan


@pytest.fixture(scope="module")
def report(tmp_path_factory, table) -> tuple[Path, Plan]:
    return _write(FIXTURE, table, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def report_1x(tmp_path_factory, table) -> tuple[Path, Plan]:
    return _write(FIXTURE_1X, table, tmp_path_factory.mktemp("report1x"))


def pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


# Headless Chromium will not make a window narrower than 500 px for --dump-dom, so the page is laid out
# in a 390 px iframe. A probe appended to a copy of the page (the report itself has no script) measures,
# after layout, the page's scroll width and every element wider than the viewport (outside the boxes
# that scroll on their own), and posts it to the frame page, which writes it into the DOM it dumps.
_PROBE = """<script>
window.addEventListener('load', function () {
  var w = document.documentElement.clientWidth, wide = [];
  document.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.right > w + 1 && !el.closest('.heatwrap,.tablewrap')) wide.push(el.tagName + '.' + el.className);
  });
  var sw = document.documentElement.scrollWidth;
  parent.postMessage('scroll=' + sw + ' client=' + w + ' wide=' + wide.slice(0, 5).join(','), '*');
});
</script>"""
_FRAME = """<!DOCTYPE html><body style="margin:0"><iframe src="{page}" width="{width}" height="2000" style="border:0">
</iframe><pre id="out"></pre><script>window.addEventListener('message', function (e) {{
document.getElementById('out').textContent = e.data; }});</script></body>"""


def layout_at(page: Path, width: int, tmp: Path) -> tuple[int, int, str]:
    """(scroll width, viewport width, elements wider than the viewport) of a page laid out ``width`` px wide."""
    probe = tmp / f"probe_{page.name}"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    frame = tmp / f"frame_{page.name}"
    frame.write_text(_FRAME.format(page=probe.name, width=width), encoding="utf-8")
    result = chromium(frame.as_uri(), tmp, "--dump-dom", "--virtual-time-budget=5000", "--window-size=1000,2200")
    found = re.search(r'id="out">scroll=(\d+) client=(\d+) wide=([^<]*)', result.stdout)
    assert found, result.stderr[-2000:]
    return int(found.group(1)), int(found.group(2)), found.group(3)


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
    assert 'class="heatmap"' in dom and 'id="shopping"' in dom
    # Meals speak dishes: every title is on the page; day details start collapsed.
    for day in plan.days:
        for slot in day.slots:
            assert html.escape(slot.title, quote=False) in dom
    assert "<details open" not in dom and dom.count('<details class="dbars">') == n_days


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


def test_a_week_prints_on_at_most_four_a4_pages(report, tmp_path):
    path, plan = report
    pdf = tmp_path / "report.pdf"
    result = chromium(path.as_uri(), tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert result.returncode == 0 and pdf.exists(), result.stderr[-2000:]
    # Summary and triage, heatmap and three days, four days, sources and shopping list and notes.
    assert 2 <= pdf_pages(pdf) <= 4, pdf_pages(pdf)
    keep(pdf)


def test_a_1x_week_still_prints_on_a_few_pages(report_1x, tmp_path):
    path, _ = report_1x
    pdf = tmp_path / "report_1x.pdf"
    result = chromium(path.as_uri(), tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert result.returncode == 0 and pdf.exists(), result.stderr[-2000:]
    assert 2 <= pdf_pages(pdf) <= 5, pdf_pages(pdf)  # it has red flags and long shortfall notes


def test_the_phone_probe_sees_a_page_that_scrolls_sideways(tmp_path):
    wide = tmp_path / "wide.html"
    wide.write_text("<!DOCTYPE html><meta name=viewport content='width=device-width'><body><div style='width:600px'>x")
    wide.write_text(wide.read_text() + "</div></body>")
    scroll, client, found = layout_at(wide, 390, tmp_path)
    assert client == 390 and scroll > client and found.startswith("DIV")


@pytest.mark.parametrize("which", ["report", "report_1x"])
def test_nothing_scrolls_sideways_at_phone_width(which, request, tmp_path):
    path, _ = request.getfixturevalue(which)
    scroll, client, wide = layout_at(path, 390, tmp_path)
    assert client == 390
    assert scroll <= client, (scroll, client, wide)
    assert wide == "", wide
