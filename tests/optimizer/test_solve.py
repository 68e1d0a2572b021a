"""Solving: our own status type, HiGHS and CBC on a hand-checkable MILP, time limits, fallback, model files."""

from __future__ import annotations

import itertools
import random

import pulp
import pytest

from mealplan.errors import InputError, SolverError
from mealplan.optimizer import expr, solve
from mealplan.optimizer.solve import SolveOutcome, map_status, write_model
from mealplan.plan import SolveStatus

# --- status mapping -------------------------------------------------------------------------------

ST_OPT, ST_NOT, ST_INF, ST_UNB, ST_UNDEF = (
    solve.LP_STATUS_OPTIMAL,
    solve.LP_STATUS_NOT_SOLVED,
    solve.LP_STATUS_INFEASIBLE,
    solve.LP_STATUS_UNBOUNDED,
    solve.LP_STATUS_UNDEFINED,
)
SOL_NONE, SOL_OPT, SOL_FEAS, SOL_INF, SOL_UNB = (
    solve.LP_SOLUTION_NONE,
    solve.LP_SOLUTION_OPTIMAL,
    solve.LP_SOLUTION_FEASIBLE,
    solve.LP_SOLUTION_INFEASIBLE,
    solve.LP_SOLUTION_UNBOUNDED,
)


def test_pulp3_codes_match_pulps_own_where_pulp_has_them():
    """PuLP 3 names these codes; PuLP 4 replaced them, so solve.py spells them out."""
    if not hasattr(pulp, "LpStatusOptimal"):
        pytest.skip("PuLP 4 has no (status, sol_status) codes")
    assert (ST_OPT, ST_NOT, ST_INF, ST_UNB, ST_UNDEF) == (
        pulp.LpStatusOptimal,
        pulp.LpStatusNotSolved,
        pulp.LpStatusInfeasible,
        pulp.LpStatusUnbounded,
        pulp.LpStatusUndefined,
    )
    assert (SOL_NONE, SOL_OPT, SOL_FEAS, SOL_INF, SOL_UNB) == (
        pulp.LpSolutionNoSolutionFound,
        pulp.LpSolutionOptimal,
        pulp.LpSolutionIntegerFeasible,
        pulp.LpSolutionInfeasible,
        pulp.LpSolutionUnbounded,
    )


@pytest.mark.parametrize(
    ("name", "has_solution", "time_limited", "expected"),
    [
        ("Optimal", True, False, SolveStatus.OPTIMAL),
        ("Optimal", True, True, SolveStatus.TIME_LIMIT),
        ("TimeLimit", True, True, SolveStatus.TIME_LIMIT),
        ("TimeLimit", False, True, SolveStatus.NOT_SOLVED),
        ("Infeasible", False, False, SolveStatus.INFEASIBLE),
        ("Unbounded", False, False, SolveStatus.UNBOUNDED),
        ("Undefined", False, False, SolveStatus.ERROR),
        ("NotSolved", False, False, SolveStatus.NOT_SOLVED),
    ],
)
def test_map_stats_cases(name, has_solution, time_limited, expected):
    """PuLP 4's LpSolveStats (status name, has_solution), as CBC reports them there."""
    assert solve.map_stats(name, has_solution, time_limited) == expected


@pytest.mark.parametrize(
    ("status", "sol_status", "time_limited", "expected"),
    [
        # What HiGHS and CBC report through PuLP, case by case.
        (ST_OPT, SOL_OPT, False, SolveStatus.OPTIMAL),  # proven optimal
        (ST_OPT, SOL_OPT, True, SolveStatus.TIME_LIMIT),  # "optimal" but the clock ran out: not proven
        (ST_OPT, SOL_FEAS, True, SolveStatus.TIME_LIMIT),  # HiGHS kTimeLimit with a solution; CBC "Stopped on time"
        (ST_OPT, SOL_FEAS, False, SolveStatus.TIME_LIMIT),  # HiGHS kInterrupt / kIterationLimit
        (ST_NOT, SOL_NONE, True, SolveStatus.NOT_SOLVED),  # time limit before any solution
        (ST_NOT, SOL_NONE, False, SolveStatus.NOT_SOLVED),  # load or presolve error in HiGHS
        (ST_INF, SOL_INF, False, SolveStatus.INFEASIBLE),
        (ST_INF, SOL_NONE, False, SolveStatus.INFEASIBLE),  # CBC "Integer infeasible"
        (ST_UNB, SOL_UNB, False, SolveStatus.UNBOUNDED),
        (ST_UNB, SOL_NONE, False, SolveStatus.UNBOUNDED),
        (ST_UNDEF, SOL_NONE, False, SolveStatus.ERROR),  # CBC wrote an unreadable status
    ],
)
def test_map_status_cases(status, sol_status, time_limited, expected):
    assert map_status(status, sol_status, time_limited) == expected


STATUSES = (ST_OPT, ST_NOT, ST_INF, ST_UNB, ST_UNDEF)
SOL_STATUSES = (SOL_NONE, SOL_OPT, SOL_FEAS, SOL_INF, SOL_UNB)


@pytest.mark.parametrize(("status", "sol_status"), list(itertools.product(STATUSES, SOL_STATUSES)))
def test_map_status_invariants_for_every_pair(status, sol_status):
    free, limited = map_status(status, sol_status, False), map_status(status, sol_status, True)
    for result in (free, limited):
        assert isinstance(result, SolveStatus)
    # A time-limited solve is never optimal, and a solution is usable exactly when PuLP has one.
    assert limited != SolveStatus.OPTIMAL
    has_solution = sol_status in (SOL_OPT, SOL_FEAS)
    for result in (free, limited):
        assert (result in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)) == has_solution
    assert (free == SolveStatus.OPTIMAL) == (sol_status == SOL_OPT)
    if not has_solution:
        assert free == limited  # the clock only matters when there is a solution


def test_outcome_has_solution():
    for status in SolveStatus:
        outcome = SolveOutcome(status=status, solver="highs", seconds=0.0)
        assert outcome.has_solution == (status in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT))


# --- a tiny MILP with a known optimum ---------------------------------------------------------------


def knapsack() -> tuple[pulp.LpProblem, list[pulp.LpVariable]]:
    """0/1 knapsack, capacity 10; (value, weight): (10, 5), (40, 4), (30, 6), (50, 3).

    Best: items 2 and 4, value 90 (weight 7). LP relaxation: 50 + 40 + half of 30 = 105.
    """
    prob = pulp.LpProblem("knapsack", pulp.LpMinimize)
    x = [expr.binary(prob, f"take_{i}") for i in range(4)]
    values, weights = [10, 40, 30, 50], [5, 4, 6, 3]
    expr.add_le(prob, list(zip(x, weights, strict=True)), 10, "capacity")
    expr.set_objective(prob, [(v, -float(c)) for v, c in zip(x, values, strict=True)])
    return prob, x


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_tiny_milp_known_optimum(solver):
    prob, x = knapsack()
    out = solve.solve(prob, solver=solver, time_limit=20)
    assert out.status == SolveStatus.OPTIMAL
    assert out.solver == solver
    assert out.notes == []
    assert out.objective == pytest.approx(-90.0)
    assert [round(v.value()) for v in x] == [0, 1, 0, 1]
    assert out.seconds >= 0
    if solver == "highs":
        assert out.gap == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_lp_relaxation(solver):
    prob, x = knapsack()
    out = solve.solve(prob, solver=solver, relax=True)
    assert out.status == SolveStatus.OPTIMAL
    assert out.objective == pytest.approx(-105.0)
    assert out.gap == 0.0
    assert x[2].value() == pytest.approx(0.5)


def test_infeasible_model_is_reported_not_raised():
    prob = pulp.LpProblem("infeasible", pulp.LpMinimize)
    x = expr.integer(prob, "x", 0, 3)
    expr.add_ge(prob, [(x, 1.0)], 5.0, "too_much")
    expr.set_objective(prob, [(x, 1.0)])
    out = solve.solve(prob)
    assert out.status == SolveStatus.INFEASIBLE
    assert not out.has_solution
    assert out.objective is None


def market_split(m: int = 4, n: int = 32, seed: int = 7) -> pulp.LpProblem:
    """A market split instance (Cornuéjols and Dawande): a few dense equality rows over binaries.

    Feasible points are easy (slacks absorb everything) but closing the gap takes branch and bound
    minutes, so a short time limit always stops it.
    """
    rng = random.Random(seed)
    prob = pulp.LpProblem("market_split", pulp.LpMinimize)
    x = [expr.binary(prob, f"x{j}") for j in range(n)]
    objective = []
    for i in range(m):
        a = [rng.randint(0, 99) for _ in range(n)]
        over, under = expr.continuous(prob, f"over{i}"), expr.continuous(prob, f"under{i}")
        expr.add_eq(prob, [*zip(x, a, strict=True), (over, 1.0), (under, -1.0)], sum(a) // 2, f"row{i}")
        objective += [(over, 1.0), (under, 1.0)]
    expr.set_objective(prob, objective)
    return prob


@pytest.mark.solve
@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_forced_time_limit_reports_time_limit_with_a_solution(solver):
    out = solve.solve(market_split(), solver=solver, time_limit=0.3, gap=0.0)
    assert out.has_solution
    if out.status == SolveStatus.OPTIMAL:  # only if the machine proved it in time
        assert solver != "highs" or out.gap == pytest.approx(0.0, abs=1e-6)
    else:
        assert out.status == SolveStatus.TIME_LIMIT
        assert out.objective is not None and out.objective >= 0
        if solver == "highs":
            assert out.gap is not None and out.gap > 0


@pytest.mark.solve
def test_gap_scale_divides_the_absolute_gap():
    """The reported gap is (objective - bound) / max(|objective|, gap_scale)."""
    small = solve.solve(market_split(), time_limit=0.3, gap=0.0)
    scaled = solve.solve(market_split(), time_limit=0.3, gap=0.0, gap_scale=1e6)
    assert small.status == scaled.status == SolveStatus.TIME_LIMIT
    assert scaled.gap is not None and small.gap is not None
    assert scaled.gap < small.gap
    assert scaled.gap <= scaled.objective / 1e6 + 1e-12


# --- bad options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"solver": "gurobi"}, "solver 'gurobi' is not known; allowed: highs, cbc."),
        ({"solver": "HiGHS"}, "solver 'HiGHS' is not known; allowed: highs, cbc."),
        ({"gap": 1.0}, "gap 1.0 must be a fraction between 0 and 1 (0.01 = 1 %)."),
        ({"gap": -0.1}, "gap -0.1 must be a fraction between 0 and 1 (0.01 = 1 %)."),
        ({"gap": float("nan")}, "gap nan must be a fraction between 0 and 1 (0.01 = 1 %)."),
        ({"time_limit": 0}, "time limit 0 must be a positive number of seconds."),
        ({"time_limit": -5.0}, "time limit -5.0 must be a positive number of seconds."),
        ({"time_limit": float("inf")}, "time limit inf must be a positive number of seconds."),
    ],
)
def test_bad_options_raise_input_error(kwargs, message):
    prob, _ = knapsack()
    with pytest.raises(InputError) as info:
        solve.solve(prob, **kwargs)
    assert str(info.value) == message
    assert info.value.exit_code == 2


# --- fallback ---------------------------------------------------------------------------------------


def _broken_highs(*args, **kwargs):
    raise SolverError("the HiGHS solver is not installed (pip install highspy).")


def test_fallback_to_cbc_when_highs_fails(monkeypatch):
    monkeypatch.setattr(solve, "_highs_solver", _broken_highs)
    prob, _ = knapsack()
    out = solve.solve(prob)
    assert out.solver == "cbc"
    assert out.status == SolveStatus.OPTIMAL
    assert out.objective == pytest.approx(-90.0)
    assert out.notes == ["highs failed: the HiGHS solver is not installed (pip install highspy)."]


def test_no_fallback_raises_solver_error(monkeypatch):
    monkeypatch.setattr(solve, "_highs_solver", _broken_highs)
    prob, _ = knapsack()
    with pytest.raises(SolverError) as info:
        solve.solve(prob, fallback=False)
    assert str(info.value) == (
        "no solver could solve the model: highs failed: the HiGHS solver is not installed (pip install highspy)."
    )
    assert info.value.exit_code == 4


def test_every_solver_failing_names_each(monkeypatch):
    monkeypatch.setattr(solve, "_highs_solver", _broken_highs)

    def broken_cbc(*args, **kwargs):
        raise SolverError('the CBC solver is not installed (pip install "pulp[cbc]").')

    monkeypatch.setattr(solve, "_cbc_solver", broken_cbc)
    prob, _ = knapsack()
    with pytest.raises(SolverError, match=r"highs failed: .*; cbc failed: the CBC solver is not installed"):
        solve.solve(prob)


def test_cbc_first_falls_back_to_highs(monkeypatch):
    def broken_cbc(*args, **kwargs):
        raise pulp.PulpSolverError("cbc crashed")

    monkeypatch.setattr(solve, "_cbc_solver", broken_cbc)
    prob, _ = knapsack()
    out = solve.solve(prob, solver="cbc")
    assert (out.solver, out.status, out.notes) == ("highs", SolveStatus.OPTIMAL, ["cbc failed: cbc crashed"])


# --- writing models ---------------------------------------------------------------------------------


def test_write_model_mps_and_lp(tmp_path):
    prob, _ = knapsack()
    write_model(prob, tmp_path / "k.mps")
    write_model(prob, tmp_path / "k.LP")
    mps = (tmp_path / "k.mps").read_text()
    lp = (tmp_path / "k.LP").read_text()
    assert "ROWS" in mps and "COLUMNS" in mps and "take_3" in mps
    assert "Minimize" in lp and "capacity:" in lp and "Binaries" in lp
    # The written MPS reads back as the same model with the same optimum.
    _, again = pulp.LpProblem.fromMPS(str(tmp_path / "k.mps"))
    assert solve.solve(again).objective == pytest.approx(-90.0)


def test_write_model_bad_suffix(tmp_path):
    prob, _ = knapsack()
    with pytest.raises(InputError) as info:
        write_model(prob, tmp_path / "model.txt")
    assert str(info.value) == f"model file {str(tmp_path / 'model.txt')!r}: the file must end in .mps or .lp."
    assert not (tmp_path / "model.txt").exists()


def test_a_partial_mip_start_is_a_hint_never_a_constraint():
    """min -(5a + 4b + 3c) with 2a + 3b + c <= 3 (binaries): optimum a = c = 1, objective -8.

    A start fixing a (the best item) to 0 still ends at the optimum; a start matching it does too.
    """
    prob = pulp.LpProblem("knap", pulp.LpMinimize)
    a, b, c = (expr.binary(prob, n) for n in "abc")
    expr.add_le(prob, [(a, 2.0), (b, 3.0), (c, 1.0)], 3.0, "weight")
    expr.set_objective(prob, [(a, -5.0), (b, -4.0), (c, -3.0)])
    for start in ({a: 0.0}, {a: 1.0, b: 0.0}, {}, None):
        outcome = solve.solve(prob, time_limit=10.0, gap=0.0, start=start)
        assert outcome.status == SolveStatus.OPTIMAL and outcome.objective == pytest.approx(-8.0)
        assert (a.value(), b.value(), c.value()) == (1, 0, 1)
    cbc = solve.solve(prob, solver="cbc", time_limit=10.0, gap=0.0, start={a: 0.0})  # CBC ignores the start
    assert cbc.objective == pytest.approx(-8.0)


def _bulk(sense: int, cap: float = 14.0) -> tuple[pulp.LpProblem, list[pulp.LpVariable]]:
    """<=, >= and = rows; free, bounded and integer variables."""
    prob = pulp.LpProblem("bulk", sense)
    x = expr.continuous(prob, "x", 0.0, 4.0)
    y = expr.integer(prob, "y", 0, 10)
    z = expr.continuous(prob, "z", None, None)
    expr.add_le(prob, [(x, 1.0), (y, 2.0), (z, 1.0)], cap, "cap")
    expr.add_ge(prob, [(x, 3.0), (y, -1.0)], -2.0, "floor")
    expr.add_eq(prob, [(z, 1.0), (x, -1.0)], 1.0, "tie")
    s = 1.0 if sense == pulp.LpMaximize else -1.0
    expr.set_objective(prob, [(x, 3.0 * s), (y, 2.0 * s), (z, 0.5 * s)])
    return prob, [x, y, z]


def _run_engine(prob: pulp.LpProblem, mip: bool) -> None:
    engine = solve._highs_solver(10.0, 0.0, 1)
    engine.mip, engine.gap_abs = mip, 0.0  # exact, to compare with PuLP's own transfer
    assert engine.run(prob) == (SolveStatus.OPTIMAL, True)


@pytest.mark.parametrize("mip", [True, False])
def test_bulk_model_transfer_matches_pulps_own(mip):
    """The model read through PuLP's public API and passed to highspy in arrays solves exactly as
    PuLP's own HiGHS interface (of whichever PuLP is installed, 3.3 or 4): same objective, values,
    slacks and, for a minimisation, duals."""
    for sense in (pulp.LpMinimize, pulp.LpMaximize):
        ours, ours_vars = _bulk(sense)
        theirs, their_vars = _bulk(sense)
        _run_engine(ours, mip)
        theirs.solve(pulp.HiGHS(msg=False, mip=mip, gapRel=0.0, threads=1))
        assert pulp.value(ours.objective) == pytest.approx(pulp.value(theirs.objective))
        assert [v.value() for v in ours_vars] == pytest.approx([v.value() for v in their_vars])
        for name in ("cap", "floor", "tie"):
            a, b = ours.get_constraint_by_name(name), theirs.get_constraint_by_name(name)
            assert a.slack == pytest.approx(b.slack)
            if sense == pulp.LpMinimize:  # PuLP 3 and 4 differ on a maximisation's dual sign
                assert a.pi == pytest.approx(b.pi)


@pytest.mark.parametrize("sense", [pulp.LpMinimize, pulp.LpMaximize])
def test_duals_are_the_objectives_change_per_unit(sense):
    """An LP's dual on a row is d(objective)/d(right-hand side), in PuLP's own objective sense:
    raising the binding capacity by one moves the optimum by exactly the dual."""
    base, _ = _bulk(sense)
    _run_engine(base, mip=False)
    more, _ = _bulk(sense, cap=15.0)
    _run_engine(more, mip=False)
    pi = base.get_constraint_by_name("cap").pi
    assert abs(pi) > 1e-9
    assert pulp.value(more.objective) - pulp.value(base.objective) == pytest.approx(pi)


SILENT_SOLVE = """
import sys
from mealplan.optimizer import expr, solve
prob = __import__("pulp").LpProblem("k", __import__("pulp").LpMinimize)
x = [expr.binary(prob, f"x{i}") for i in range(3)]
expr.add_le(prob, [(x[0], 2.0), (x[1], 3.0), (x[2], 1.0)], 3.0, "w")
expr.set_objective(prob, [(x[0], -5.0), (x[1], -4.0), (x[2], -3.0)])
for name in ("highs", "cbc"):
    out = solve.solve(prob, solver=name, log=LOG)
    assert out.objective == -8.0, out
"""


@pytest.mark.solve
@pytest.mark.parametrize("log", [False, True])
def test_no_solver_writes_to_stdout(log):
    """HiGHS's banner and CBC's log are written by C code straight to file descriptor 1, where
    in-process capture cannot see them: a real child process checks. With the log asked for, it
    goes to standard error."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", SILENT_SOLVE.replace("LOG", str(log))], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    if log:
        assert "HiGHS" in done.stderr
    else:
        assert done.stderr == ""
