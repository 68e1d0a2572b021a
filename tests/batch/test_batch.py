"""Batch planning: reading profiles, the runner's failure handling, resume, atomic files, Dask.

Most runner tests inject a stand-in planner (``fake_plan``) so they run in a second; it returns a
real (empty) Plan built from the profile's real targets and rules, and misbehaves on request via
the profile's ``name``: ``raise``, ``crash`` (``os._exit``: the worker process dies) or
``unverifiable``. The real planner runs in ``test_real_planner_plans_verify``.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from mealplan import batch as b
from mealplan import fileio
from mealplan.errors import InputError
from mealplan.plan import Plan, Shortfall, SolveInfo, SolveStatus
from mealplan.targets.profile_files import profile_from_dict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CLINIC = FIXTURES / "batch_clinic.csv"
# A tiny user table: workers load it instead of the bundled table when the stand-in planner runs.
TINY = b.BatchOptions(foods=(str(FIXTURES / "user_foods_good.csv"),), bundled=False)


# --- stand-ins (module level: workers import them by reference) -------------------------------------


def fake_plan(profile, foods, *, days, objective, time_limit, gap, solver, threads):
    """A real Plan with no meals, from the profile's real targets; misbehaves on request."""
    from mealplan.optimizer.rules import plan_rules
    from mealplan.targets.compute import compute_targets

    assert threads == 1 and foods is not None
    if profile.name == "raise":
        raise RuntimeError("planner exploded")
    if profile.name == "crash":
        os._exit(7)
    if profile.name == "slow":
        time.sleep(0.5)
    targets = compute_targets(profile, None)
    shortfalls = []
    if profile.name == "short":
        shortfalls = [
            Shortfall(
                nutrient=n,
                name=n,
                unit="mg",
                scope=f"day {d}",
                target=100,
                achieved=pct,
                short_by=100 - pct,
                pct_of_target=pct,
                causes=["test"],
            )
            for n, d, pct in (("magnesium", 1, 80.0), ("magnesium", 2, 70.0), ("potassium", 1, 90.0))
        ]
    return Plan(
        kind="day" if days == 1 else "week",
        profile_id=profile.id,
        created_with="test",
        disclaimer="test",
        red_flags=[],
        triage=None,
        targets=targets,
        rules=plan_rules(profile, targets),
        days=[],
        shortfalls=shortfalls,
        solve=SolveInfo(
            solver="fake",
            status=SolveStatus.OPTIMAL,
            build_seconds=0,
            solve_seconds=0,
            total_seconds=0,
            variables=0,
            constraints=0,
        ),
        food_sources=["test"],
    )


class _Report:
    def __init__(self, problems):
        self.problems = problems
        self.ok = not problems


def fake_verify(plan, foods):
    """Fails the plans of profiles named ``unverifiable``."""
    return _Report(["day 1: magnesium total 120 mg differs from items' 95 mg"] if plan.created_with == "bad" else [])


def fake_plan_bad(profile, foods, **kw):
    plan = fake_plan(profile, foods, **kw)
    return plan.model_copy(update={"created_with": "bad"}) if profile.name == "unverifiable" else plan


def job(pid: str, name: str | None = None, **fields) -> b.BatchJob:
    data = {"id": pid, "age": 40, "sex": "female", **fields}
    if name:
        data["name"] = name
    return b.BatchJob(id=pid, source=f"test:{pid}", profile=profile_from_dict(data, source=pid))


def run(jobs, out, **kw) -> b.BatchSummary:
    kw.setdefault("options", TINY)
    kw.setdefault("workers", 2)
    kw.setdefault("plan_fn", fake_plan)
    kw.setdefault("verify_fn", fake_verify)
    return b.run_batch(jobs, out, **kw)


def statuses(summary: b.BatchSummary) -> dict[str, str]:
    return {r.id: r.status for r in summary.results}


# --- reading profiles -------------------------------------------------------------------------------


def test_csv_rows_become_jobs_and_broken_rows_fail_with_file_row_and_field():
    jobs = b.load_jobs(CLINIC)
    by_source = {j.source.rsplit(" ", 1)[-1]: j for j in jobs}
    assert len(jobs) == 15
    good = [j for j in jobs if j.profile is not None]
    assert [j.id for j in good] == [
        "anna",
        "ben",
        "chloe",
        "dev",
        "eve",
        "farid",
        "hugo",
        "jun",
        "kofi",
        "mira",
    ]
    errors = {row: j.error for row, j in by_source.items() if j.error}
    assert set(errors) == {"8", "10", "12", "14", "16"}
    assert errors["8"].startswith(f"{CLINIC} row 8: the profile is not valid:")
    assert "age: Input should be a valid integer" in errors["8"] and "'forty'" in errors["8"]
    assert "allergies[0]: unknown allergen 'pollen'" in errors["10"]
    assert errors["12"] == (
        f"{CLINIC} row 12: duplicate id 'anna' (already used by {CLINIC} row 2); ids name the plan files, "
        "so each profile needs its own id"
    )
    assert errors["14"] == (
        f"{CLINIC} row 14: has 4 cells but the header has 20 columns (a cell that contains a comma must be "
        "in double quotes)"
    )
    assert by_source["14"].id == "broken_cells"
    assert "nutrients.vitamin_d.min: Input should be greater than or equal to 0" in errors["16"]
    # Lists split on ';', booleans and sex spellings, nutrient columns, empty cells left at defaults.
    dev = by_source["5"].profile
    assert dev.diet == "vegan" and dev.allergies == ["soy"]
    assert dev.factors == ["vegan", "heavy-sweating", "endurance-exercise"]
    assert dev.nutrients["magnesium"].min == 420 and dev.nutrients["vitamin_d"].min == 20
    chloe = by_source["4"].profile
    assert chloe.sex == "female" and chloe.pregnant is True and chloe.dislikes == ["mushroom*"]
    assert by_source["3"].profile.meals == ["breakfast", "lunch", "dinner"]
    assert by_source["15"].profile.nutrients["potassium"].max == 5000
    farid = by_source["7"].profile
    assert (
        farid.weight_kg is None
        and farid.activity == "active"
        and farid.meals
        == [
            "breakfast",
            "lunch",
            "dinner",
            "snack",
        ]
    )


def test_csv_header_problems_are_one_input_error(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("\ufeffid,age,sex,alergies,Mg_min,magnesium_min,unobtainium_max\nx,30,f,,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        b.load_jobs(path)
    assert err.value.message == f"{path}: the header row has problems:"
    assert len(err.value.problems) == 3
    assert err.value.problems[0].startswith("column 4 'alergies': unknown column; allowed: id, name, age")
    assert err.value.problems[0].endswith("or <nutrient>_min / <nutrient>_max (e.g. magnesium_min)")
    assert err.value.problems[1].startswith("column 7 'unobtainium_max': unknown column")
    assert err.value.problems[2] == "column 6 'magnesium_min': repeats column 5 (magnesium min)"


def test_csv_quoted_cells_aliases_and_relative_prices(tmp_path):
    (tmp_path / "p.csv").write_text("id,price\n09040,0.3\n")
    path = tmp_path / "c.csv"
    path.write_text('id,age,sex,dislikes,vit d_min,prices\nx,30,m,"liver, raw; tripe",12,p.csv\n\n')
    (only,) = b.load_jobs(path)
    assert only.profile.dislikes == ["liver, raw", "tripe"]
    assert only.profile.nutrients["vitamin_d"].min == 12
    assert only.profile.prices == (tmp_path / "p.csv").resolve()


def test_jsonl_lines(tmp_path):
    path = tmp_path / "people.jsonl"
    lines = [
        json.dumps({"id": "a", "age": 30, "sex": "female", "allergies": ["milk"]}),
        "",
        '{"id": "b", "age": 30,',
        json.dumps([1, 2]),
        json.dumps({"id": "c", "age": 30, "sex": "male", "alergies": ["egg"]}),
        json.dumps({"id": "A", "age": 31, "sex": "male"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    jobs = b.load_jobs(path)
    assert [j.id for j in jobs] == ["a", "(line 3)", "(line 4)", "c", "A"]
    assert jobs[0].profile.allergies == ["milk"]
    assert jobs[1].error.startswith(f"{path} line 3: not valid JSON:")
    assert jobs[2].error == f"{path} line 4: a profile must be a mapping of fields (id, age, sex, ...), got a list"
    assert "alergies: unknown field; did you mean allergies?" in jobs[3].error
    assert jobs[3].source == f"{path} line 5"
    # Ids are compared ignoring case: they name files on case-insensitive file systems too.
    assert jobs[4].error.startswith(f"{path} line 6: duplicate id 'A' (already used by {path} line 1)")


def test_folder_of_profile_files(tmp_path):
    (tmp_path / "a.yaml").write_text("id: anna\nage: 34\nsex: female\nallergies: [milk]\n")
    (tmp_path / "b.toml").write_text('id = "ben"\nage = 58\nsex = "male"\n')
    (tmp_path / "c.json").write_text('{"id": "chloe", "age": 27, "sex": "female"}')
    (tmp_path / "d.yml").write_text("id: dora\nage: [\n")
    (tmp_path / "e.yaml").write_text("id: ANNA\nage: 50\nsex: female\n")
    (tmp_path / "README.md").write_text("not a profile")
    (tmp_path / ".hidden.yaml").write_text("id: hidden\n")
    jobs = b.load_jobs(tmp_path)
    assert [(j.id, j.profile is not None) for j in jobs] == [
        ("anna", True),
        ("ben", True),
        ("chloe", True),
        ("d", False),
        ("ANNA", False),
    ]
    assert jobs[3].error.startswith(f"{tmp_path / 'd.yml'}: line ")
    assert "not valid YAML" in jobs[3].error
    assert "duplicate id 'ANNA'" in jobs[4].error


def test_inputs_that_are_usage_errors(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        b.load_jobs(tmp_path / "missing")
    with pytest.raises(InputError, match=r"no profile files \(looked for .yaml, .yml, .toml, .json\)"):
        b.load_jobs(tmp_path)
    (tmp_path / "x.xlsx").write_text("")
    with pytest.raises(InputError, match="unknown batch input '.xlsx'"):
        b.load_jobs(tmp_path / "x.xlsx")
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(InputError, match="the CSV is empty"):
        b.load_jobs(tmp_path / "e.csv")
    (tmp_path / "h.csv").write_text("id,age,sex\n\n")
    with pytest.raises(InputError, match="no profiles found"):
        b.load_jobs(tmp_path / "h.csv")


# --- fingerprints and files -------------------------------------------------------------------------


def test_fingerprint_tracks_profile_options_foods_and_prices(tmp_path):
    foods = tmp_path / "foods.csv"
    foods.write_text((FIXTURES / "user_foods_good.csv").read_text())
    prices = tmp_path / "prices.csv"
    prices.write_text("id,price\n09040,0.3\n")
    opts = b.BatchOptions(foods=(str(foods),), bundled=False)
    prof = profile_from_dict({"id": "x", "age": 30, "sex": "f", "prices": str(prices)})
    base = b.input_fingerprint(prof, opts, b.food_sources_digest(opts))
    assert base == b.input_fingerprint(prof, opts, b.food_sources_digest(opts))
    other = profile_from_dict({"id": "x", "age": 31, "sex": "f", "prices": str(prices)})
    assert b.input_fingerprint(other, opts, b.food_sources_digest(opts)) != base
    week = opts.model_copy(update={"days": 7})
    assert b.input_fingerprint(prof, week, b.food_sources_digest(week)) != base
    prices.write_text("id,price\n09040,0.4\n")
    assert b.input_fingerprint(prof, opts, b.food_sources_digest(opts)) != base
    prices.write_text("id,price\n09040,0.3\n")
    foods.write_text(foods.read_text() + "\n")
    assert b.input_fingerprint(prof, opts, b.food_sources_digest(opts)) != base
    # Same content elsewhere: the same inputs.
    moved = tmp_path / "moved.csv"
    moved.write_text((FIXTURES / "user_foods_good.csv").read_text())
    opts2 = b.BatchOptions(foods=(str(moved),), bundled=False)
    foods.write_text((FIXTURES / "user_foods_good.csv").read_text())
    assert b.food_sources_digest(opts2) == b.food_sources_digest(opts)


def test_write_atomic_replaces_whole_file_and_cleans_up_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "p.json"
    fileio.write_atomic(target, '{"a": 1}')
    assert target.read_text() == '{"a": 1}'
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        fileio.write_atomic(target, '{"a": 2}')
    monkeypatch.undo()
    assert target.read_text() == '{"a": 1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]


def test_concurrent_writers_never_leave_a_partial_file(tmp_path):
    target = tmp_path / "p.json"
    payloads = [json.dumps({"writer": w, "pad": "x" * 200_000}) for w in range(2)]
    seen: list[str] = []
    stop = threading.Event()

    def writer(text):
        for _ in range(30):
            fileio.write_atomic(target, text)

    def reader():
        while not stop.is_set():
            if target.exists():
                seen.append(target.read_text())

    threads = [threading.Thread(target=writer, args=(p,)) for p in payloads]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    watcher.join()
    assert seen and all(s in payloads for s in seen)
    assert target.read_text() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


# --- the runner -------------------------------------------------------------------------------------


@pytest.mark.solve
def test_batch_writes_plans_fingerprints_and_summaries(tmp_path):
    jobs = [
        job("anna", "short"),
        job("ben"),
        b.BatchJob(id="row4", source="x.csv row 4", error="x.csv row 4: bad"),
    ]
    events: list[b.BatchProgress] = []
    summary = run(jobs, tmp_path / "plans", progress=events.append)
    assert statuses(summary) == {"anna": "ok", "ben": "ok", "row4": "failed"}
    assert summary.exit_code == 1
    anna = summary.results[0]
    assert anna.shortfalls == ["magnesium 70% (2 days)", "potassium 90%"]
    assert anna.plan_file == str(tmp_path / "plans" / "anna.json") and anna.solve_status == "optimal"
    assert anna.worker and anna.peak_rss_mb > 0
    plan = Plan.model_validate_json((tmp_path / "plans" / "anna.json").read_text())
    assert plan.profile_id == "anna"
    meta = json.loads((tmp_path / "plans" / "anna.fingerprint").read_text())
    assert set(meta) == {"profile_id", "input", "plan_sha256", "source"}
    # Progress: once at the start (the unreadable row already failed), then once per profile.
    assert [(e.finished, e.failed, e.remaining) for e in events] == [(1, 1, 2), (2, 1, 1), (3, 1, 0)]
    saved = json.loads((tmp_path / "plans" / "summary.json").read_text())
    assert saved["counts"] == {"ok": 2, "failed": 1, "skipped": 0, "not_run": 0}
    assert [p["status"] for p in saved["profiles"]] == ["ok", "ok", "failed"]
    assert saved["profiles"][2]["reason"] == "x.csv row 4: bad"
    csv_lines = (tmp_path / "plans" / "summary.csv").read_text().splitlines()
    assert csv_lines[0] == ",".join(b.SUMMARY_COLUMNS)
    assert csv_lines[1].startswith("anna,test:anna,ok,,magnesium 70% (2 days); potassium 90%,2,")
    assert not list((tmp_path / "plans").glob(".*.tmp"))


@pytest.mark.solve
def test_raising_planner_and_failed_verification_fail_only_that_profile(tmp_path):
    jobs = [job("a"), job("b", "raise"), job("c", "unverifiable"), job("d")]
    summary = run(jobs, tmp_path, plan_fn=fake_plan_bad)
    assert statuses(summary) == {"a": "ok", "b": "failed", "c": "failed", "d": "ok"}
    reasons = {r.id: r.reason for r in summary.results}
    assert reasons["b"] == "internal error: RuntimeError: planner exploded"
    assert reasons["c"] == ("the plan failed verification: day 1: magnesium total 120 mg differs from items' 95 mg")
    assert not (tmp_path / "b.json").exists() and not (tmp_path / "c.json").exists()


@pytest.mark.solve
def test_a_crashed_worker_fails_only_its_profile(tmp_path):
    jobs = [job("a"), job("b", "slow"), job("boom", "crash"), job("c"), job("d", "slow"), job("e")]
    summary = run(jobs, tmp_path)
    assert statuses(summary) == {"a": "ok", "b": "ok", "boom": "failed", "c": "ok", "d": "ok", "e": "ok"}
    reason = summary.results[2].reason
    assert reason.startswith("the worker process died while planning this profile (BrokenProcessPool")
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [
        "a.json",
        "b.json",
        "c.json",
        "d.json",
        "e.json",
        "summary.json",
    ]


@pytest.mark.solve
def test_two_crashers_and_a_single_worker(tmp_path):
    jobs = [job("x1", "crash"), job("a"), job("x2", "crash"), job("b")]
    summary = run(jobs, tmp_path / "two", workers=2)
    assert statuses(summary) == {"x1": "failed", "a": "ok", "x2": "failed", "b": "ok"}
    summary = run(jobs, tmp_path / "one", workers=1)
    assert statuses(summary) == {"x1": "failed", "a": "ok", "x2": "failed", "b": "ok"}


@pytest.mark.solve
def test_interrupted_batch_leaves_complete_plans_and_resume_continues(tmp_path):
    out = tmp_path / "plans"
    jobs = [job(f"p{i}") for i in range(5)]

    def interrupt_after_two(p: b.BatchProgress) -> None:
        if p.ok == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(jobs, out, workers=1, progress=interrupt_after_two)
    saved = json.loads((out / "summary.json").read_text())
    assert saved["interrupted"] is True
    assert [p["status"] for p in saved["profiles"]] == ["ok", "ok", "not_run", "not_run", "not_run"]
    assert sorted(p.name for p in out.glob("p*.json")) == ["p0.json", "p1.json"]
    # A process killed mid-write leaves a temporary file: never a plan; removed once clearly stale.
    old_tmp = out / ".p2.json.k3j4h5.tmp"
    old_tmp.write_text('{"schema_version": "1", "kind": "da')
    os.utime(old_tmp, (time.time() - 3600, time.time() - 3600))
    fresh_tmp = out / ".p3.json.a1b2c3.tmp"
    fresh_tmp.write_text('{"schema_version"')

    summary = run(jobs, out, resume=True)
    assert [r.status for r in summary.results] == ["skipped", "skipped", "ok", "ok", "ok"]
    assert summary.exit_code == 0
    assert summary.results[0].plan_file == str(out / "p0.json")
    assert not old_tmp.exists() and fresh_tmp.exists()
    for i in range(5):
        assert Plan.model_validate_json((out / f"p{i}.json").read_text()).profile_id == f"p{i}"


@pytest.mark.solve
def test_resume_replans_when_plan_or_inputs_differ(tmp_path):
    jobs = [job("a"), job("b"), job("c"), job("d")]
    run(jobs, tmp_path)
    (tmp_path / "a.json").write_text((tmp_path / "a.json").read_text()[:100])  # truncated by hand
    (tmp_path / "b.fingerprint").unlink()
    (tmp_path / "c.json").write_text((tmp_path / "d.json").read_text())  # another profile's plan
    summary = run(jobs, tmp_path, resume=True)
    assert statuses(summary) == {"a": "ok", "b": "ok", "c": "ok", "d": "skipped"}
    longer = TINY.model_copy(update={"time_limit": 60.0})
    summary = run(jobs, tmp_path, resume=True, options=longer)
    assert set(statuses(summary).values()) == {"ok"}
    summary = run([job("a", dislikes=["liver"]), *jobs[1:]], tmp_path, resume=True, options=longer)
    assert statuses(summary) == {"a": "ok", "b": "skipped", "c": "skipped", "d": "skipped"}


def test_output_folder_must_be_a_folder(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match="exists and is not a folder"):
        run([job("a")], tmp_path / "file")


def test_run_job_turns_errors_into_results():
    out = b.run_job(job("a", "raise"), TINY, fake_plan, fake_verify)
    assert out.result.status == "failed" and out.plan_json is None
    out = b.run_job(b.BatchJob(id="x", source="s", error="s: broken"), TINY, fake_plan, fake_verify)
    assert out.result.reason == "s: broken"
    out = b.run_job(job("a", "short"), TINY, fake_plan, fake_verify)
    assert out.result.status == "ok" and Plan.model_validate_json(out.plan_json).profile_id == "a"


# --- Dask ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    import dask

    # One retry after a worker dies, so the crash test does not wait for three restarts; one task per
    # worker thread, so a dying worker takes no innocent queued task with it.
    settings = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(settings):
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client


@pytest.mark.solve
def test_dask_local_cluster(dask_client, tmp_path):
    jobs = [job(f"p{i}", "slow" if i % 2 else None) for i in range(6)] + [job("boom", "crash")]
    summary = run(jobs, tmp_path, executor_factory=dask_client.get_executor, workers=2)
    got = statuses(summary)
    assert got.pop("boom") == "failed"
    assert set(got.values()) == {"ok"}
    assert summary.results[-1].reason.startswith("the worker failed: KilledWorker")
    assert len({r.worker for r in summary.results if r.status == "ok"}) >= 2
    for i in range(6):
        assert Plan.model_validate_json((tmp_path / f"p{i}.json").read_text()).profile_id == f"p{i}"


def test_dask_executor_reports_unreachable_scheduler():
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with pytest.raises(InputError, match=r"scheduler tcp://127.0.0.1:9: cannot connect to the Dask scheduler"):
        with b.dask_executor("tcp://127.0.0.1:9", timeout=0.5):
            pass


# --- the real planner ---------------------------------------------------------------------------------


@pytest.mark.solve
def test_real_planner_plans_verify(tmp_path):
    from mealplan.verify.verifier import verify_plan

    jobs = [
        job("vegan", diet="vegan", symptoms=["muscle-twitching"]),
        job("omni", sex="male", age=58, factors=["diuretics"]),
        job("conflict", nutrients={"potassium": {"max": 300}}),
    ]
    summary = b.run_batch(jobs, tmp_path, options=b.BatchOptions(days=1, time_limit=20), workers=2)
    assert statuses(summary) == {"vegan": "ok", "omni": "ok", "conflict": "failed"}
    assert summary.results[2].reason.startswith("ConfigError:")
    foods = b.worker_foods(b.BatchOptions())
    for pid in ("vegan", "omni"):
        plan = Plan.model_validate_json((tmp_path / f"{pid}.json").read_text())
        assert plan.kind == "day" and plan.days and verify_plan(plan, foods).ok
