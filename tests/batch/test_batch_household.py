"""Households in a batch: a household file in the batch folder (YAML with ``members:``) is planned together,
verified as a household, written as its HouseholdPlan JSON and reported in the summary like a profile; a bad
household never stops the others.

The runner tests run in threads with the household planner replaced by a saved household (no solver);
``test_a_tiny_household_plans_and_verifies`` runs the real planner on two people for a day."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mealplan import batch as b
from mealplan.errors import ConfigError
from mealplan.household_plan import HouseholdPlan
from mealplan.targets.household import Household, household_from_dict, load_profile_or_household
from mealplan.targets.profile import Profile
from tests.batch.test_batch import TINY, fake_plan, fake_verify, job
from tests.household_plans import household_of, saved_week

ROOT = Path(__file__).resolve().parents[2]
FATHER = ROOT / "examples" / "households" / "father.yaml"
DAUGHTER = ROOT / "examples" / "households" / "daughter.yaml"


def write_household(folder: Path, hid: str, *extra: str, members=(FATHER, DAUGHTER)) -> Path:
    lines = ["schema: 1", f"id: {hid}", "members:", *(f"  - profile: {p}" for p in members), "shared:",
             "  - meal: dinner", *extra]  # fmt: skip
    path = folder / f"{hid}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- reading ------------------------------------------------------------------------------------------


def test_a_household_file_in_the_folder_is_a_household_job(tmp_path):
    write_household(tmp_path, "home")
    (tmp_path / "anna.yaml").write_text("id: anna\nage: 40\nsex: female\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("schema: 1\nid: broken\nmembers: []\n", encoding="utf-8")
    jobs = {j.id: j for j in b.load_jobs(tmp_path)}
    assert set(jobs) == {"anna", "home", "broken"}
    assert jobs["anna"].profile is not None and jobs["anna"].household is None
    home = jobs["home"].household
    assert home is not None and jobs["home"].profile is None and home.member_ids == ["father", "daughter"]
    assert not jobs["broken"].ready
    assert jobs["broken"].error.startswith(f"{tmp_path / 'broken.yaml'}: the household is not valid:")
    assert "members: List should have at least 1 item after validation, not 0" in jobs["broken"].error
    assert isinstance(load_profile_or_household(tmp_path / "home.yaml"), Household)
    assert isinstance(load_profile_or_household(tmp_path / "anna.yaml"), Profile)


def test_a_household_and_a_profile_of_one_id_fail_the_second(tmp_path):
    write_household(tmp_path, "anna")
    (tmp_path / "b_anna.yaml").write_text("id: anna\nage: 40\nsex: female\n", encoding="utf-8")
    jobs = b.load_jobs(tmp_path)
    assert jobs[0].household is not None and jobs[1].error.startswith(
        f"{tmp_path / 'b_anna.yaml'}: duplicate id 'anna'"
    )


def test_the_fingerprint_follows_the_households_inputs(tmp_path):
    path = write_household(tmp_path, "home")
    first = household_from_dict({"schema": 1, "id": "home", "members": [{"profile": str(FATHER)}]}, str(path))
    digest = b.food_sources_digest(TINY)
    base = b.household_fingerprint(first, TINY, digest)
    assert base == b.household_fingerprint(first, TINY, digest)
    assert b.household_fingerprint(first, TINY.model_copy(update={"days": 2}), digest) != base
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert b.household_fingerprint(first, TINY, digest) != base  # the file itself


# --- running (threads, the planner replaced) -----------------------------------------------------------


class _Report:
    ok = True
    members: dict = {}
    problems: list = []


@pytest.fixture
def stand_in(monkeypatch, bundled):
    """plan_household returns the saved household under the job's id ("bad" raises); verify passes."""
    from mealplan.optimizer import household_planner
    from mealplan.verify import household as verify

    saved = household_of({"father": saved_week(), "daughter": saved_week()}, bundled)
    calls = []

    def plan(household, foods, **kw):
        calls.append((household.id, kw))
        if household.id == "bad":
            raise ConfigError("bad.yaml: members[0]: a test failure")
        return saved.model_copy(update={"household_id": household.id})

    monkeypatch.setattr(household_planner, "plan_household", plan)
    monkeypatch.setattr(verify, "verify_household", lambda hp, foods: _Report())
    return calls


def run(jobs, out, **kw):
    return b.run_batch(jobs, out, lambda: ThreadPoolExecutor(2), options=TINY, workers=2, plan_fn=fake_plan,
                       verify_fn=fake_verify, **kw)  # fmt: skip


def test_households_and_profiles_plan_side_by_side(tmp_path, stand_in):
    src = tmp_path / "in"
    src.mkdir()
    write_household(src, "home")
    write_household(src, "bad")
    jobs = [*b.load_jobs(src), job("anna")]
    summary = run(jobs, tmp_path / "out")
    got = {r.id: r for r in summary.results}
    assert {i: r.status for i, r in got.items()} == {"bad": "failed", "home": "ok", "anna": "ok"}
    assert got["bad"].reason == "ConfigError: bad.yaml: members[0]: a test failure"
    assert summary.exit_code == 1
    # the time limit is per member, as a profile's
    assert dict(stand_in)["home"]["time_limit"] == TINY.time_limit * 2 and dict(stand_in)["home"]["threads"] == 1
    home = HouseholdPlan.model_validate_json((tmp_path / "out" / "home.json").read_text(encoding="utf-8"))
    assert home.household_id == "home" and [m.id for m in home.members] == ["father", "daughter"]
    assert got["home"].plan_file == str(tmp_path / "out" / "home.json")
    assert got["home"].solve_status == "not_solved"  # the saved household records no solved day
    meta = json.loads((tmp_path / "out" / "home.fingerprint").read_text(encoding="utf-8"))
    assert meta["profile_id"] == "home" and meta["source"] == str(src / "home.yaml")
    rows = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["profiles"]
    assert [r["id"] for r in rows] == ["bad", "home", "anna"]
    assert not list((tmp_path / "out").glob(".*.tmp"))

    stand_in.clear()
    again = run(jobs, tmp_path / "out", resume=True)
    assert {r.id: r.status for r in again.results} == {"bad": "failed", "home": "skipped", "anna": "skipped"}
    assert [c[0] for c in stand_in] == ["bad"]  # the kept household is not planned again
    kept = next(r for r in again.results if r.id == "home")
    assert kept.shortfalls == got["home"].shortfalls and kept.plan_file == got["home"].plan_file


def test_a_household_that_fails_verification_names_member_and_household_problems(tmp_path, stand_in, monkeypatch):
    from mealplan.verify import household as verify
    from mealplan.verify.verifier import Problem, VerificationReport

    member = VerificationReport(ok=False, problems=[Problem(check="energy", where="day 1", message="too low")],
                                checks_run=["energy"])  # fmt: skip
    broken = [Problem(check="shared_meals", where="day 1", message="not shared")]
    report = verify.HouseholdReport(ok=False, members={"father": member}, checks_run=["shared_meals"], problems=broken)
    monkeypatch.setattr(verify, "verify_household", lambda hp, foods: report)
    src = tmp_path / "in"
    src.mkdir()
    write_household(src, "home")
    summary = run(b.load_jobs(src), tmp_path / "out")
    res = summary.results[0]
    assert res.status == "failed" and res.reason.startswith("the plan failed verification: member father: ")
    assert "household: check='shared_meals'" in res.reason and not (tmp_path / "out" / "home.json").exists()


def test_status_and_labels_of_a_household(bundled):
    from mealplan.batch.household import household_labels
    from mealplan.household_plan import HouseholdDay

    hp = household_of({"ana": saved_week(), "ben": saved_week()}, bundled)
    single = b.run.shortfall_labels(saved_week())
    assert household_labels(hp) == [f"ana: {x}" for x in single] + [f"ben: {x}" for x in single]
    days = [HouseholdDay(day=d, status=s, seconds=1.0, attempt="household", joint=True)
            for d, s in ((1, "optimal"), (2, "time_limit"))]  # fmt: skip
    assert hp.model_copy(update={"solve": hp.solve.model_copy(update={"days": days})}).status == "time_limit"


# --- the real planner -------------------------------------------------------------------------------------


@pytest.mark.solve
def test_a_tiny_household_plans_and_verifies(tmp_path):
    from mealplan.verify.household import verify_household

    src = tmp_path / "in"
    src.mkdir()
    write_household(src, "two")
    write_household(src, "nobody", members=(tmp_path / "missing.yaml",))
    options = b.BatchOptions(days=1, time_limit=10)
    summary = b.run_batch(b.load_jobs(src), tmp_path / "out", options=options, workers=2)
    got = {r.id: r for r in summary.results}
    assert got["nobody"].status == "failed" and "missing.yaml" in got["nobody"].reason
    assert got["two"].status == "ok", got["two"].reason
    assert got["two"].solve_status in ("optimal", "time_limit")
    assert all(s.split(": ")[0] in ("father", "daughter") for s in got["two"].shortfalls)
    home = HouseholdPlan.model_validate_json((tmp_path / "out" / "two.json").read_text(encoding="utf-8"))
    assert home.days == 1 and [m.id for m in home.members] == ["father", "daughter"]
    assert verify_household(home, b.worker_foods(options)).ok
