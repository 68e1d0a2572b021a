"""The web page in a real browser: headless Chromium (Debian's ``/usr/bin/chromium``, driven by
Playwright) against ``mealplan serve`` started on a free loopback port in a subprocess.

A dietitian's round: add a client from the form, plan a week, forbid (exclude) a food from the
plan, which re-plans the days that served it; then the food is gone, the history has two plans and
the changes page shows the food removed. Both plans pass the independent verifier. Screenshots at
desktop (1280 px) and phone (390 px) width go to pytest's tmp folder and, when
``MEALPLAN_TEST_ARTEFACTS`` is set, to that folder too. When the browser cannot start, the test is
skipped with the reason, never passed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.solve  # every test here solves a plan or runs a process that does

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")
CHROMIUM = next((p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and Path(p).exists()), None)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SOLVE_TIMEOUT_MS = 600_000  # a week on a loaded two-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


TOKEN = "browser-test-token-0123456789abcdef"


@pytest.fixture
def server(tmp_path):
    """``mealplan serve`` on a fresh database and a free loopback port, with an access token; its address
    (which logs in, as the address the server prints does)."""
    port = free_port()
    db = tmp_path / "clinic.db"
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mealplan", "serve", "--db", str(db), "--port", str(port), "--workers", "1"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "MEALPLAN_TOKEN": TOKEN},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
            urllib.request.urlopen(request, timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"mealplan serve did not start: {(tmp_path / 'serve.log').read_text()}")
            time.sleep(0.2)
    yield url, db, proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        except Exception as exc:  # noqa: BLE001 - any failure to start the browser is a skip with its reason
            pytest.skip(f"headless Chromium could not start: {exc}")
        yield b
        b.close()


def shoot(page, tmp_path: Path, name: str) -> None:
    """Screenshots of the page at desktop and phone width (full page), kept as test artefacts."""
    keep = os.environ.get("MEALPLAN_TEST_ARTEFACTS")
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        path = tmp_path / f"web-{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5_000
        if label == "phone":  # nothing wider than the phone: no sideways scrolling
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] + 1, f"{name}: the page is {width} px wide at phone width"
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(keep) / path.name)
    page.set_viewport_size(DESKTOP)


def wait_for_plan(page, number: int) -> None:
    """Wait while the job page refreshes itself, until plan ``number`` opens; fail with a job's error."""
    deadline = time.monotonic() + SOLVE_TIMEOUT_MS / 1000
    while not re.search(rf"/plans/{number}(?:[?#]|$)", page.url):
        try:
            failed = "could not be made" in page.content()
        except playwright.Error:  # the page is refreshing itself right now
            failed = False
        if failed:
            pytest.fail(f"the job failed: {page.inner_text('main')}")
        assert time.monotonic() < deadline, f"no plan {number} after {SOLVE_TIMEOUT_MS / 1000:.0f} s"
        page.wait_for_timeout(250)
    page.wait_for_load_state()


def test_a_dietitians_round_in_chromium(server, browser, tmp_path):
    from mealplan.food_data.loading import load_tables
    from mealplan.verify.verifier import verify_plan
    from mealplan.workbench.store import Store

    url, db, _ = server
    errors: list[str] = []
    page = browser.new_page(viewport=DESKTOP)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 1. add a client from the form (the address with the token logs in, as the one the server prints)
    page.goto(url + "?token=" + TOKEN)
    page.fill("#f-client_id", "bea")
    page.fill("#f-name", "Bea <script>window.hacked=1</script>")
    page.fill("#f-age", "34")
    page.select_option("#f-sex", "female")
    page.select_option("#f-diet", "vegetarian")
    page.fill("#f-weight_kg", "64")
    page.fill("#f-height_cm", "168")
    page.fill("#f-symptoms", "muscle cramps, eyelid twitching")
    page.fill("#f-symptom_days", "14")
    page.click("text=Add client")
    page.wait_for_url("**/clients/bea?done=added")
    assert "Client added" in page.inner_text("main")
    assert page.evaluate("window.hacked === undefined")
    shoot(page, tmp_path, "client")

    # 2. plan a week (the job page refreshes itself until the plan is stored)
    page.click("button:has-text('Plan a week')")
    wait_for_plan(page, 1)
    assert page.locator("#report").count() == 1 and "Day 7" in page.inner_text("#controls")
    shoot(page, tmp_path, "plan")

    # 3. forbid a food of day 2 (one click), which re-plans the days that served it
    page.click("#day-2 summary")  # days after the first start folded
    meal = page.locator("#day-2 .pmeal").first
    food_id = meal.locator("input[name=item]").first.get_attribute("value")
    meal.locator("button:has-text('Forbid')").first.click()
    wait_for_plan(page, 2)

    # 4. the food is gone from the new plan, kept out by the client's profile
    served = page.locator("#controls input[name=item]").evaluate_all("els => els.map(e => e.value)")
    assert served and food_id not in served
    with Store.open(db) as store:
        first, second = store.plan(1), store.plan(2)
        record, profile = store.plan_record(2), store.latest_profile("bea")
    assert (record.action, record.parent_id) == ("forbid", 1)
    assert food_id in profile.profile["forbid"]
    assert food_id in {i.food_id for d in first.days for s in d.slots for i in s.items}
    assert food_id not in {i.food_id for d in second.days for s in d.slots for i in s.items}
    foods = load_tables([], bundled=True)
    for plan in (first, second):
        report = verify_plan(plan, foods)
        assert report.ok, report

    # 5. the history has two plans, and the changes page shows the food removed
    page.click("header.site >> text=bea")
    rows = page.locator("#history tbody tr")
    assert rows.count() == 2
    assert "forbid" in rows.nth(0).inner_text() and "plan" in rows.nth(1).inner_text()
    page.click("#history >> text=changes")
    page.wait_for_url("**/plans/2/diff")
    removed = page.locator("ul.chg li.rem").all_inner_texts()
    assert any(f"({food_id})" in r for r in removed), removed
    shoot(page, tmp_path, "diff")
    assert not errors, errors


UNLABELLED = """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.closest('label'))
  .map(el => el.name || el.id)"""


def basics(page) -> None:
    """What can be checked without axe-core: every control has a label, one h1, buttons say what they do."""
    assert page.evaluate(UNLABELLED) == [], page.url
    assert page.locator("h1").count() == 1, page.url
    assert page.evaluate("[...document.querySelectorAll('button')].filter(b => !b.textContent.trim()).length") == 0


def newest_plan(db) -> int:
    from mealplan.workbench.store import Store

    with Store.open(db) as store:
        return store.plans("ana")[-1].id


def verified(db, *ids: int) -> None:
    from mealplan.food_data.loading import load_tables
    from mealplan.verify.verifier import verify_plan
    from mealplan.workbench.store import Store

    foods = load_tables([], bundled=True)
    with Store.open(db) as store:
        for pid in ids:
            report = verify_plan(store.plan(pid), foods)
            assert report.ok, (pid, report)


def test_part_two_edit_swap_search_rules_history_and_the_handout(server, browser, tmp_path):
    """The issue's round with no terminal: a new client whose Require and Forbid are rows given by name (one
    ambiguous, chosen from the choices) over several days; a week; an amount in a household measure; a
    swap chosen from ranked alternatives; a food removed and one added by name (suggested as it is typed);
    status and note; the handout downloaded as a PDF; compare; undo. Every plan made passes the verifier."""
    url, db, _ = server
    errors: list[str] = []
    page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
    expected = "the server responded with a status of 422"  # a form sent back with its problems: on purpose
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and expected not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "?token=" + TOKEN)

    # 1. a new client: Require "Bananas, raw" on days 1, 3, 5 at breakfast; Forbid "spinach" (ambiguous)
    page.fill("#f-client_id", "ana")
    page.fill("#f-name", "Ana Pereira")
    page.fill("#f-age", "68")
    page.select_option("#f-sex", "female")
    page.fill("#f-allergies", "lactose")
    page.fill("#f-dislikes", "fish")
    page.fill("#f-factors", "thiazide")
    page.fill("#f-symptoms", "night cramps")
    page.fill("#f-symptom_days", "10")
    page.fill("#f-require-0-food", "Bananas, raw")
    for d in ("1", "3", "5"):
        page.check(f"input[name=require-0-day][value='{d}']")
    page.select_option("#f-require-0-meal", "breakfast")
    page.click("#forbid-rows button.add-row")  # a row added by the page's script, no round trip
    assert page.locator("#forbid-rows .rule-row").count() == 2
    page.fill("#f-forbid-0-item", "spinach")
    page.click("text=Add client")
    page.wait_for_load_state()
    assert page.locator("#errors").count() == 1, (page.url, page.inner_text("main")[:1500])
    assert page.evaluate("document.activeElement.id") == "errors"  # the summary has the focus
    assert "'spinach' names" in page.inner_text("#errors")
    page.click("#errors a[href='#f-forbid-0-item']")
    page.check("input[name=forbid-0-item][value='11457']")
    shoot(page, tmp_path, "rules-choice")
    basics(page)
    page.click("text=Add client")
    page.wait_for_url("**/clients/ana?done=added")

    # 2. a week with the requirement over several days
    page.click("button:has-text('Plan a week')")
    wait_for_plan(page, 1)
    from mealplan.workbench.store import Store

    with Store.open(db) as store:
        first = store.plan(1)
    for day in (1, 3, 5):
        assert "09040" in {i.food_id for s in first.days[day - 1].slots if s.name == "breakfast" for i in s.items}
    assert "11457" not in {i.food_id for d in first.days for s in d.slots for i in s.items}
    verified(db, 1)
    shoot(page, tmp_path, "week")
    basics(page)

    # 3. an amount in a household measure (day 2 lunch, first item, three quarters of it)
    page.goto(url + "plans/1/meal/2/lunch")
    amount = float(page.input_value("#a-1"))
    page.fill("#a-1", f"{amount * 0.75:.2f}")
    page.click("#item-1 button:has-text('Save amount')")
    page.wait_for_url(re.compile(r".*/plans/2/meal/2/lunch\?done=edited.*"))
    assert "Meal changed, rescored and verified" in page.inner_text("main")
    shoot(page, tmp_path, "meal")

    # 4. a swap from the ranked alternatives, their effect on the day shown first
    page.click("#item-1 a:has-text('Swap')")
    page.wait_for_selector("#alternatives table.effects")
    assert (
        page.locator("#alternatives table.effects").count() >= 1 and "after" in page.inner_text("#alternatives").lower()
    )
    shoot(page, tmp_path, "swap")
    basics(page)
    page.locator("#alternatives button:has-text('Swap for')").first.click()
    page.wait_for_url(re.compile(r".*/plans/3/meal/2/lunch\?done=edited.*"))

    # 5. a food removed, then one added by name: suggestions while typing, a choice when ambiguous
    page.locator("#items button:has-text('Remove')").last.click()
    page.wait_for_url(re.compile(r".*/plans/4/meal/2/lunch\?done=edited.*"))
    page.type("#f-add-food", "walnut", delay=40)
    deadline = time.monotonic() + 20  # wait_for_function would need 'unsafe-eval', which the CSP refuses
    while not page.evaluate("(document.querySelector('#f-add-food').list || {options: []}).options.length"):
        assert time.monotonic() < deadline, "no suggestions under the food input"
        page.wait_for_timeout(200)
    suggested = page.evaluate("[...document.querySelector('#f-add-food').list.options].map(o => o.label)")
    assert any("walnut" in s.lower() for s in suggested), suggested
    page.fill("#f-add-amount", "5")
    page.click("#add button:has-text('Add')")
    page.wait_for_selector("#add fieldset.pick input[type=radio]")
    page.locator("#add fieldset.pick input[type=radio]").first.check()
    page.click("#add button:has-text('Add')")
    page.wait_for_url(re.compile(r".*/plans/5/meal/2/lunch\?done=edited.*"))

    # 6. status and note, then the handout as a PDF (name and note first)
    page.goto(url + "plans/5")
    page.select_option("#f-status", "approved")
    page.fill("#f-note", "Eat the banana with breakfast. Call me if the cramps come back.")
    page.click("#status button")
    page.wait_for_url(re.compile(r".*/plans/5\?done=status.*"))
    with page.expect_download(timeout=120_000) as download:
        page.click("#downloads button:has-text('Download the client')")
    pdf = tmp_path / "handout.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if os.environ.get("MEALPLAN_TEST_ARTEFACTS"):
        shutil.copy(pdf, Path(os.environ["MEALPLAN_TEST_ARTEFACTS"]) / "handout.pdf")
    try:
        import pypdf
    except ImportError:
        pypdf = None
    if pypdf is not None:
        text = pypdf.PdfReader(pdf).pages[0].extract_text()
        assert text.index("Ana Pereira") < text.index("A note from your dietitian") < text.index("Eat the banana")

    # 7. the history says what changed; compare two plans from the picker; undo the last change
    page.goto(url + "search?q=lentil")
    assert "lentil-spinach-dal-brown-rice" in page.inner_text("main")
    basics(page)
    page.goto(url + "clients/ana")
    history = page.inner_text("#history")
    assert "amount: day 2 lunch" in history and "swap: day 2 lunch" in history and "approved" in history
    page.select_option("#cmp-a", "1")
    page.select_option("#cmp-b", "5")
    page.click("#history button:has-text('Compare')")
    page.wait_for_url("**/plans/5/diff?against=1")
    page.goto(url + "plans/5")
    page.click("#changed button:has-text('Undo this change')")
    page.wait_for_url(re.compile(r".*/plans/6\?done=undone.*"))
    assert newest_plan(db) == 6
    verified(db, 2, 3, 4, 5, 6)
    assert not errors, errors


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_stopping_the_server_leaves_no_worker_behind(server):
    url, _, proc = server
    deadline = time.monotonic() + 60
    while not (workers := children(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)  # the worker processes start with the server
    assert workers, "mealplan serve started no worker process"
    proc.terminate()
    proc.wait(timeout=20)
    deadline = time.monotonic() + 10
    while (alive := [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in _state(w)]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert not alive, f"worker processes {alive} outlived the server"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
