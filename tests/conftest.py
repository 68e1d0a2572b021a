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
    keep = (CACHE_ENV, "MEALPLAN_CONFIG", "MEALPLAN_TEST_ARTEFACTS")  # where tests put screenshots
    for name in [n for n in os.environ if n.startswith("MEALPLAN_") and n not in keep]:
        del os.environ[name]


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
