"""The real ``mealplan`` in a child process, its standard output through a real pipe.

Click's test runner only sees what Python writes to ``sys.stdout``; a solver's C code writes to file
descriptor 1 directly (highspy 1.16 prints a banner there), which corrupted JSON on stdout without
any in-process test noticing. These tests run ``python -m mealplan`` and parse what came out.
"""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.solve  # every test here solves a plan or runs a process that does

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "vegan_twitching.yaml"
BASKET = ROOT / "examples" / "basket"
BATCH = ROOT / "examples" / "batch"
BANNER_WORDS = ("HiGHS", "Copyright", "THIRD_PARTY", "Welcome to the CBC")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MEALPLAN_SOLVER_LOG"}
    env["NO_COLOR"] = "1"
    return env


def mealplan(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mealplan", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_env(),
        timeout=300,
    )


def no_banner(*texts: str) -> None:
    for text in texts:
        for word in BANNER_WORDS:
            assert word not in text, f"solver output leaked: {text[:300]!r}"


def json_of(done: subprocess.CompletedProcess[str]):
    assert done.returncode == 0, done.stderr
    no_banner(done.stdout, done.stderr)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def week(tmp_path_factory) -> Path:
    """A week plan written from stdout (shared by verify and shopping)."""
    done = mealplan("plan", "--profile", str(PROFILE), "--days", "7", "--format", "json")
    plan = json_of(done)
    assert len(plan["days"]) == 7
    path = tmp_path_factory.mktemp("pipes") / "week.json"
    path.write_text(done.stdout)
    return path


def test_plan_day_json_parses():
    plan = json_of(mealplan("plan", "--profile", str(PROFILE), "--format", "json"))
    assert len(plan["days"]) == 1 and plan["schema_version"]


def test_plan_week_json_parses(week):
    assert json.loads(week.read_text())["solve"]["solver"] == "highs"


def test_plan_week_on_cbc_json_parses():
    plan = json_of(mealplan("plan", "--profile", str(PROFILE), "--solver", "cbc", "--format", "json"))
    assert plan["solve"]["solver"] == "cbc"


def test_triage_json_parses():
    out = json_of(mealplan("triage", "--symptom", "muscle-twitching", "--factor", "vegan", "--format", "json"))
    assert {"suspected", "red_flags", "disclaimer"} <= set(out)


def test_targets_json_parses():
    assert "targets" in json_of(mealplan("targets", "--profile", str(PROFILE), "--format", "json"))


def test_basket_json_parses():
    args = ["--foods", str(BASKET / "commodities.csv"), "--targets", str(BASKET / "targets.csv"), "--no-bundled"]
    out = json_of(mealplan("basket", *args, "--format", "json"))
    assert out["foods"] and out["solver"] == "highs"


def test_verify_json_parses(week):
    assert json_of(mealplan("verify", str(week), "--format", "json"))["ok"] is True


def test_shopping_json_parses(week):
    assert "sections" in json_of(mealplan("shopping", str(week), "--format", "json"))


def test_foods_search_json_parses():
    assert json_of(mealplan("foods", "search", "salmon", "--format", "json"))["foods"]


def test_batch_json_parses(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in sorted(p.name for p in BATCH.iterdir())[:2]:
        shutil.copy(BATCH / name, src / name)
    out = json_of(mealplan("batch", str(src), "-o", str(tmp_path / "out"), "--jobs", "2", "--format", "json"))
    assert out["counts"]["ok"] == 2


def test_debug_sends_the_solver_log_to_stderr_never_stdout():
    done = mealplan("--debug", "plan", "--profile", str(PROFILE), "--format", "json")
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout)
    assert "HiGHS" in done.stderr


def test_batch_progress_through_a_pipe(tmp_path):
    """The progress bar (drawn on a terminal: stderr is a pseudo-terminal here) and the summary (on
    a pipe) carry nothing from the solvers in the worker processes."""
    src = tmp_path / "in"
    src.mkdir()
    for name in sorted(p.name for p in BATCH.iterdir())[:3]:
        shutil.copy(BATCH / name, src / name)
    master, slave = pty.openpty()
    env = {**_env(), "COLUMNS": "100"}
    env.pop("NO_COLOR")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mealplan", "batch", str(src), "-o", str(tmp_path / "out"), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stdout, _ = proc.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    stderr = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, stderr
    text = stdout.decode()
    no_banner(text, stderr)
    assert "3 planned" in stderr + text


def test_dash_output_means_stdout():
    plan = json_of(mealplan("plan", "--profile", str(PROFILE), "--format", "json", "-o", "-"))
    assert len(plan["days"]) == 1
    assert not (ROOT / "-").exists()


def test_profile_from_stdin():
    plan = json_of(mealplan("plan", "--profile", "-", "--format", "json", stdin=PROFILE.read_text()))
    assert plan["profile_id"] if "profile_id" in plan else plan["days"]
