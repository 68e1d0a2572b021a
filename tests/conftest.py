"""Options for the whole test suite: ``--update-golden`` rewrites golden files instead of comparing."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, settings

from mealplan.food_data.table import CACHE_ENV

# A busy machine must not fail a property test: no per-example deadline, no "too slow" health check.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


def pytest_configure(config: pytest.Config) -> None:
    """Cache the curated table in a folder of this run (shared with CLI subprocesses), not ~/.cache;
    and read no developer's config file or MEALPLAN_* defaults (tests that want them set their own)."""
    os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="mealplan-test-cache-")
    os.environ["MEALPLAN_CONFIG"] = "off"
    keep = (CACHE_ENV, "MEALPLAN_CONFIG", "MEALPLAN_TEST_ARTEFACTS", SOLVES_ENV)  # screenshots; tier review
    for name in [n for n in os.environ if n.startswith("MEALPLAN_") and n not in keep]:
        del os.environ[name]
    # Tables written to a pipe are COLUMNS wide: the developer's terminal (or pytest-xdist's workers, which
    # set 80) must not change what the tests read; tests that want a width set their own.
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove this run's table cache (about 7 MB)."""
    folder = os.environ.pop(CACHE_ENV, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files in tests/golden/ from the current code instead of comparing.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite golden files."""
    return bool(request.config.getoption("--update-golden"))


# --- test tiers -------------------------------------------------------------------------------------
# `slow` marks the wheel install; `solve` every test that solves a plan on the bundled table (a day, a
# week, a re-plan, a web action), solves a tiny table for longer than a moment, runs a process (a CLI
# subprocess, batch workers, the web server, a browser) or uses a fixture that does. While working:
#   python -m pytest -m "not slow and not solve"      (docs/development.md: the fast tier)
# The full suite (README's second command, and CI's) runs all. Every run notes which tests called the
# solver or started a process, and how long they took; one that took over SOLVE_SECONDS and is not
# marked is named in the run's summary (and MEALPLAN_TEST_SOLVES=FILE writes every such test to FILE).
# The record is kept in the process that runs the test: run with -n 0 to see it (xdist workers keep theirs).

SOLVES_ENV = "MEALPLAN_TEST_SOLVES"
SOLVE_SECONDS = 1.0
_current: list[str] = []  # the node id of the test being set up, run or torn down
_solved: dict[str, set[str]] = {}  # node id -> what it did ("HiGHS", "a PuLP solve", "a process")
_seconds: dict[str, float] = {}  # node id -> setup, call and teardown time
_marked: set[str] = set()  # node ids marked solve or slow


def _record(what: str) -> None:
    if _current:
        _solved.setdefault(_current[-1], set()).add(what)


def _wrap(owner: object, name: str, what: str) -> None:
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        _record(what)
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def pytest_sessionstart(session: pytest.Session) -> None:
    import multiprocessing.process
    import subprocess

    import highspy
    import pulp

    _wrap(highspy.Highs, "run", "HiGHS")
    _wrap(pulp.LpProblem, "solve", "a PuLP solve")
    _wrap(subprocess.Popen, "__init__", "a process")
    _wrap(multiprocessing.process.BaseProcess, "start", "a process")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _marked.update(i.nodeid for i in items if i.get_closest_marker("solve") or i.get_closest_marker("slow"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    _current.append(item.nodeid)
    try:
        yield
    finally:
        _current.pop()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _seconds[report.nodeid] = _seconds.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    out = os.environ.get(SOLVES_ENV)
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            for nodeid, what in sorted(_solved.items()):
                handle.write(f"{nodeid}\t{_seconds.get(nodeid, 0.0):.2f}\t{', '.join(sorted(what))}\n")
    unmarked = [n for n in sorted(_solved) if n not in _marked and _seconds.get(n, 0.0) > SOLVE_SECONDS]
    if unmarked:
        terminalreporter.section("tests that solve or start a process, take over 1 s and are not marked solve")
        for nodeid in unmarked:
            terminalreporter.write_line(f"{nodeid} ({_seconds[nodeid]:.1f} s: {', '.join(sorted(_solved[nodeid]))})")
