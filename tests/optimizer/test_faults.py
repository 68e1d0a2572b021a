"""Solver faults injected into real plans: time limits, a failing or missing solver, odd coefficients.

None may crash or report a wrong status. A time-limited solve is ``time_limit`` with its gap (never
``optimal``), a failing HiGHS falls back to CBC with a note, both failing is a ``SolverError`` (exit
4 from the CLI, with the reasons), and a numerically odd model gives a verified plan or a clear
error. Faults are injected below our code: in highspy (``highspy.Highs``) and PuLP's ``COIN_CMD``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import highspy
import pulp
import pytest
from click.testing import CliRunner

import mealplan.optimizer.day as day_module
from mealplan.cli.main import cli
from mealplan.errors import ConflictError, MealplanError, SolverError
from mealplan.food_data.table import FoodTable, load_bundled
from mealplan.optimizer import expr
from mealplan.optimizer.basket import solve_basket
from mealplan.optimizer.basket_targets import BasketTargets, NutrientBound
from mealplan.optimizer.planner import make_plan
from mealplan.optimizer.solve import solve
from mealplan.plan import SolveStatus
from mealplan.targets.profile_files import profile_from_dict
from mealplan.verify.verifier import verify_plan
from tests.optimizer.test_properties import TINY_FOODS, TINY_NUTRIENTS, check_safety, tiny_table, write_tiny_csv

PROFILE = {"id": "faults", "age": 45, "sex": "male", "diet": "vegetarian", "symptoms": ["muscle-cramps"]}


def _profile(**changes):
    return profile_from_dict({**PROFILE, **changes})


# --- time limits ------------------------------------------------------------------------------------


@pytest.mark.solve
def test_tiny_time_limit_on_a_real_week_is_time_limit_with_gap_or_optimal(monkeypatch):
    """Every day MILP gets 0.1 s (the planner's floor is 1 s, so the limit is forced below it). A day
    whose solver stopped on time is ``time_limit`` with a gap; a day with no solution at all is a
    SolverError naming the day; the plan is never called optimal when a kept day was not."""
    seen: list[tuple[SolveStatus, object]] = []
    statuses: list[object] = []
    real_status = highspy.Highs.getModelStatus

    def recorded(self):  # what HiGHS itself said, as our engine reads it
        statuses.append(real_status(self))
        return statuses[-1]

    monkeypatch.setattr(highspy.Highs, "getModelStatus", recorded)

    def forced(prob, **kw):
        if not kw.get("relax"):
            kw["time_limit"] = 0.1
        statuses.clear()
        outcome = solve(prob, **kw)
        seen.append((outcome.status, statuses[-1] if outcome.solver == "highs" and statuses else None))
        return outcome

    monkeypatch.setattr(day_module, "solve", forced)
    table = load_bundled()
    try:
        plan = make_plan(_profile(), table, days=7)
    except SolverError as exc:
        assert "the solver found no plan in" in str(exc) and "(status not_solved)" in str(exc)
        assert str(exc).startswith("day ")
        return
    # Our status never contradicts HiGHS's own: "optimal" only when HiGHS proved it.
    for status, highs_status in seen:
        if status == SolveStatus.OPTIMAL:
            assert highs_status == highspy.HighsModelStatus.kOptimal
        if highs_status == highspy.HighsModelStatus.kTimeLimit:
            assert status in (SolveStatus.TIME_LIMIT, SolveStatus.NOT_SOLVED)
    assert plan.solve.status in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)
    milp = [s for s, _ in seen]
    if SolveStatus.TIME_LIMIT not in milp:
        assert plan.solve.status == SolveStatus.OPTIMAL
    # The plan's gap is the largest day's, unknown when a day's is (rescued, or stopped before HiGHS had
    # a bound); an optimal plan's is known.
    day_gaps = [d.gap for d in plan.solve.days]
    assert plan.solve.gap == (None if None in day_gaps else max(day_gaps))
    if plan.solve.status == SolveStatus.OPTIMAL:
        assert plan.solve.gap is not None and plan.solve.gap >= 0
    assert verify_plan(plan, table).ok
    check_safety(plan, _profile(), table)


@pytest.fixture
def highs_says_time_limit(monkeypatch):
    """HiGHS finds its optimum but reports that the clock ran out (kTimeLimit), as it does when a
    solution is in hand at the limit."""
    monkeypatch.setattr(highspy.Highs, "getModelStatus", lambda self: highspy.HighsModelStatus.kTimeLimit)


def test_a_time_limited_solve_is_reported_as_time_limit_with_its_gap(highs_says_time_limit, tmp_path):
    table = tiny_table()
    plan = make_plan(_profile(), table, time_limit=5.0)
    assert plan.solve.status == SolveStatus.TIME_LIMIT
    assert plan.solve.gap is not None and plan.solve.gap >= 0
    assert verify_plan(plan, table).ok
    # The CLI marks it too: in the JSON and on the terminal.
    foods = write_tiny_csv(tmp_path / "tiny.csv")
    profile = tmp_path / "p.yaml"
    profile.write_text("id: clocked\nage: 45\nsex: male\ndiet: vegetarian\n", encoding="utf-8")
    out = tmp_path / "plan.json"
    args = ["plan", "--profile", str(profile), "--foods", str(foods), "--no-bundled"]
    result = CliRunner().invoke(cli, [*args, "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert '"status": "time_limit"' in out.read_text(encoding="utf-8")
    table_out = CliRunner().invoke(cli, args)
    assert table_out.exit_code == 0, table_out.output
    assert "highs time_limit, gap" in table_out.output


# --- a failing or missing solver ----------------------------------------------------------------------


def _highs_crashes(self, *args, **kw):
    raise RuntimeError("HiGHS crashed (injected fault)")


def _highs_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "highspy", None)  # ``import highspy`` raises ImportError


def _cbc_crashes(self, lp, *args, **kw):
    raise pulp.PulpSolverError("CBC crashed (injected fault)")


def test_highs_failing_falls_back_to_cbc_with_a_note(monkeypatch):
    monkeypatch.setattr(highspy.Highs, "run", _highs_crashes)
    table = tiny_table()
    plan = make_plan(_profile(), table, time_limit=10.0)
    assert plan.solve.solver == "cbc"
    assert plan.solve.status in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)
    assert any("highs failed: HiGHS crashed (injected fault)" in n for n in plan.solve.notes)
    assert verify_plan(plan, table).ok
    check_safety(plan, _profile(), table)


def test_highs_missing_falls_back_to_cbc_with_a_note(monkeypatch):
    _highs_missing(monkeypatch)
    table = tiny_table()
    plan = make_plan(_profile(), table, time_limit=10.0)
    assert plan.solve.solver == "cbc"
    assert any("HiGHS solver is not installed" in n for n in plan.solve.notes)
    assert verify_plan(plan, table).ok


@pytest.mark.solve
def test_highs_error_status_falls_back_to_cbc(monkeypatch):
    """HiGHS returns without raising but with an error status: the next solver is tried."""

    monkeypatch.setattr(highspy.Highs, "getModelStatus", lambda self: highspy.HighsModelStatus.kSolveError)
    table = tiny_table()
    plan = make_plan(_profile(), table, time_limit=10.0)
    assert plan.solve.solver == "cbc"
    assert any("highs returned an error status" in n for n in plan.solve.notes)
    assert verify_plan(plan, table).ok


@pytest.mark.parametrize(
    ("highs", "cbc", "expected"),
    [
        ("crash", "crash", ["highs failed: HiGHS crashed (injected fault)", "cbc failed: CBC crashed"]),
        ("missing", "missing", ["HiGHS solver is not installed (pip install highspy)",
                                'the CBC solver is not installed (pip install "pulp[cbc]")']),
    ],
)  # fmt: skip
def test_both_solvers_failing_is_exit_4_with_the_reasons(monkeypatch, tmp_path, highs, cbc, expected):
    if highs == "crash":
        monkeypatch.setattr(highspy.Highs, "run", _highs_crashes)
    else:
        _highs_missing(monkeypatch)
    if cbc == "crash":
        monkeypatch.setattr(pulp.COIN_CMD, "actualSolve", _cbc_crashes)
    else:
        monkeypatch.setattr(pulp.COIN_CMD, "available", lambda self: False)
    with pytest.raises(SolverError) as err:
        make_plan(_profile(), tiny_table(), time_limit=5.0)
    assert err.value.exit_code == 4

    foods = write_tiny_csv(tmp_path / "tiny.csv")
    profile = tmp_path / "p.yaml"
    profile.write_text("id: no-solver\nage: 45\nsex: male\n", encoding="utf-8")
    out = tmp_path / "plan.json"
    for argv in (
        ["plan", "--profile", str(profile), "--foods", str(foods), "--no-bundled", "--format", "json"],
        [
            "basket",
            "--foods",
            str(foods),
            "--no-bundled",
            "--objective",
            "weight",
            "--targets",
            str(_basket_targets(tmp_path)),
        ],
    ):
        result = CliRunner().invoke(cli, [*argv, "-o", str(out)])
        assert result.exit_code == 4, result.output
        assert "no solver could solve the model" in result.output
        for fragment in expected:
            assert fragment in result.output
        assert "Traceback" not in result.output
        assert not out.exists()


def _basket_targets(tmp_path: Path) -> Path:
    path = tmp_path / "targets.csv"
    path.write_text("nutrient,min,max\nprotein,50,\ncalcium,1000,2500\n", encoding="utf-8")
    return path


def test_batch_profiles_fail_alone_when_no_solver_runs(monkeypatch, tmp_path):
    """In a batch (threads here, so the fault reaches the workers) every profile fails with the reason."""
    from concurrent.futures import ThreadPoolExecutor

    from mealplan import batch

    monkeypatch.setattr(highspy.Highs, "run", _highs_crashes)
    monkeypatch.setattr(pulp.COIN_CMD, "actualSolve", _cbc_crashes)
    foods = write_tiny_csv(tmp_path / "tiny.csv")
    jobs = [batch.BatchJob(id=p, source=p, profile=_profile(id=p)) for p in ("a", "b")]
    options = batch.BatchOptions(foods=(str(foods),), bundled=False, time_limit=5.0)
    summary = batch.run_batch(jobs, tmp_path / "out", lambda: ThreadPoolExecutor(2), options=options, workers=2)
    assert summary.exit_code == 1
    for r in summary.results:
        assert r.status == "failed" and "SolverError" in r.reason and "no solver could solve" in r.reason
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["summary.csv", "summary.json"]


# --- numerically odd models ---------------------------------------------------------------------------


def _odd_table(small: float, large: float) -> FoodTable:
    """The tiny table with every nutrient but energy of half the foods times ``small``, and the
    micronutrients of a few others times ``large``."""
    ids = sorted(TINY_FOODS)
    changes = {}
    for i, fid in enumerate(ids):
        values = TINY_FOODS[fid][7]
        for n, v in zip(TINY_NUTRIENTS, values, strict=True):
            if n == "energy":
                continue
            if i % 2 == 0:
                changes[(fid, n)] = v * small
            elif i % 5 == 1 and n in ("magnesium", "vitamin_d", "vitamin_b12", "calcium"):
                changes[(fid, n)] = v * large
    return tiny_table(ids, changes)


ODD = [(1e-9, 1.0), (1.0, 1e6), (1e-9, 1e6), (0.0, 1e6)]


@pytest.mark.solve
@pytest.mark.parametrize(("small", "large"), ODD)
@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_odd_coefficients_give_a_verified_plan_or_a_clear_error(small: float, large: float, solver: str):
    table = _odd_table(small, large)
    profile = _profile(nutrients={"magnesium": {"min": 1e6}, "potassium": {"min": 1e-6}})
    try:
        plan = make_plan(profile, table, solver=solver, time_limit=10.0)
    except MealplanError as exc:
        assert exc.exit_code in (2, 3, 4) and exc.message
        if isinstance(exc, ConflictError):
            assert exc.problems
        return
    assert plan.solve.status in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)
    report = verify_plan(plan, table)
    assert report.ok, [p.message for p in report.problems]
    check_safety(plan, profile, table)


@pytest.mark.parametrize(("small", "large"), ODD)
def test_odd_coefficients_in_the_diet_problem_give_an_optimum_or_a_named_conflict(small, large):
    table = _odd_table(small, large)
    targets = BasketTargets(
        nutrients=[
            NutrientBound(nutrient="protein", min=50),
            NutrientBound(nutrient="magnesium", min=400),
            NutrientBound(nutrient="calcium", min=1000, max=2500),
            NutrientBound(nutrient="vitamin_b12", min=1e-6),
        ]
    )
    try:
        result = solve_basket(table, targets, "weight")
    except ConflictError as exc:
        assert exc.problems
        return
    totals = {n.nutrient: n for n in result.nutrients}
    assert totals["calcium"].amount <= 2500 * (1 + 1e-6)
    for n, lo in (("protein", 50), ("magnesium", 400), ("calcium", 1000), ("vitamin_b12", 1e-6)):
        assert totals[n].amount >= lo * (1 - 1e-6), n
    assert all(f.amount >= 0 for f in result.foods)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_an_lp_spanning_fifteen_orders_of_magnitude_is_solved_or_refused_correctly(solver: str):
    """min x + y s.t. 1e-9 x + 1e6 y >= 1, 1e-9 x <= 1e-3: optimum y = 1e-6 (x = 0)."""
    prob = pulp.LpProblem("odd", pulp.LpMinimize)
    x, y = expr.continuous(prob, "x", 0.0), expr.continuous(prob, "y", 0.0)
    expr.add_ge(prob, [(x, 1e-9), (y, 1e6)], 1.0, "cover")
    expr.add_le(prob, [(x, 1e-9)], 1e-3, "cap")
    expr.set_objective(prob, [(x, 1.0), (y, 1.0)])
    outcome = solve(prob, solver=solver, time_limit=10.0, gap=0.0)
    assert outcome.status == SolveStatus.OPTIMAL
    assert outcome.objective == pytest.approx(1e-6, rel=1e-3, abs=1e-9)
    # The infeasible twin (the cap forbids the cover without y) is reported as infeasible, not optimal.
    expr.add_le(prob, [(y, 1.0)], 0.0, "no_y")
    assert solve(prob, solver=solver, time_limit=10.0, gap=0.0).status == SolveStatus.INFEASIBLE
