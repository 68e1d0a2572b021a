"""The web page's fixtures: an app on a fresh database, its test client, and a stored real week plan.

Jobs run in threads here (the server uses worker processes), so a test's plan is solved in the
test's own process; the stored week is the report tests' real plan (vegan_twitching.yaml, --days 7).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web]'")

from starlette.testclient import TestClient  # noqa: E402

from mealplan.plan import Plan  # noqa: E402
from mealplan.targets.profile_files import load_profile  # noqa: E402
from mealplan.web.app import create_app  # noqa: E402
from mealplan.web.jobs import JobRunner  # noqa: E402
from mealplan.workbench.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "tests" / "fixtures" / "plan_week_dishes.json"
PROFILE = ROOT / "examples" / "profiles" / "vegan_twitching.yaml"


@pytest.fixture(scope="session")
def jobs():
    runner = JobRunner(workers=1, processes=False)
    yield runner
    runner.shutdown()


@pytest.fixture
def db(tmp_path) -> Path:
    """A database with client ``vegan-twitching`` and one stored week (plan 1)."""
    path = tmp_path / "web.db"
    with Store.open(path) as store:
        store.add_client("vegan-twitching", load_profile(PROFILE), name="Ana")
        store.add_plan("vegan-twitching", Plan.model_validate_json(WEEK.read_text(encoding="utf-8")))
    return path


def client_for(db: Path, jobs: JobRunner, token: str | None = None) -> TestClient:
    app = create_app(db, token=token, jobs=jobs)
    return TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)


@pytest.fixture
def web(db, jobs):
    with client_for(db, jobs) as c:
        yield c


def csrf_of(html: str) -> str:
    """The CSRF field of a page's forms."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def follow_job(web: TestClient, response, timeout: float = 600.0):
    """What the job page's refresh does in a browser: ask again until it opens the plan (or fails)."""
    import time

    deadline = time.monotonic() + timeout
    while "/jobs/" in str(response.url) and time.monotonic() < deadline:
        if "could not be made" in response.text:
            return response
        response = web.get(str(response.url))
    return response


def plan_id_of(response) -> int | None:
    """The plan a response shows (``/plans/N`` or ``/plans/N?done=...``), or None."""
    m = re.search(r"/plans/(\d+)(?:\?|$)", str(response.url))
    return int(m.group(1)) if m else None


ANA = {
    "id": "ana",
    "name": "Ana Pereira",
    "age": 68,
    "sex": "female",
    "weight_kg": 62,
    "height_cm": 160,
    "activity": "low",
    "allergies": ["lactose"],
    "dislikes": ["fish"],
    "factors": ["thiazide"],
    "symptoms": ["night-cramps"],
    "symptom_days": 10,
    "meals": ["breakfast", "lunch", "dinner", "snack"],
}


@pytest.fixture(scope="session")
def foods():
    from mealplan.food_data.loading import load_tables

    return load_tables([], bundled=True)


@pytest.fixture(scope="session")
def ana_plan(foods):
    """A real 3-day plan for the issue's client (68, on a thiazide, lactose intolerant, dislikes fish),
    verified: the meal editor's tests start from it."""
    from mealplan.food_data.dishes import load_dishes
    from mealplan.optimizer.planner import make_plan
    from mealplan.targets.profile_files import profile_from_dict
    from mealplan.verify.verifier import verify_plan

    plan = make_plan(profile_from_dict(ANA), foods, days=3, dishes=load_dishes(foods=foods), time_limit=60.0)
    report = verify_plan(plan, foods)
    assert report.ok, report
    return plan


@pytest.fixture
def ana_db(tmp_path, ana_plan) -> Path:
    """A database with client ``ana`` and her verified 3-day plan (plan 1)."""
    from mealplan.targets.profile_files import profile_from_dict

    path = tmp_path / "ana.db"
    with Store.open(path) as store:
        store.add_client("ana", profile_from_dict(ANA), name="Ana Pereira")
        store.add_plan("ana", ana_plan)
    return path


@pytest.fixture
def ana(ana_db, jobs):
    with client_for(ana_db, jobs) as c:
        yield c
