"""Shared fixtures: one real week plan (bundled USDA table, real solver), made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "vegan_twitching.yaml"


@pytest.fixture(scope="session")
def foods():
    from mealplan.food_data.table import load_bundled

    return load_bundled()


@pytest.fixture(scope="session")
def profile():
    from mealplan.targets.profile_files import load_profile

    return load_profile(PROFILE)


@pytest.fixture(scope="session")
def week(profile, foods):
    """A real 7-day plan for the vegan example (about 3 s)."""
    from mealplan.optimizer.planner import make_plan

    return make_plan(profile, foods, days=7)


@pytest.fixture(scope="session")
def week_file(week, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("week") / "week.json"
    path.write_text(week.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path
