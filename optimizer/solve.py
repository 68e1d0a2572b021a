"""Solving built models: HiGHS through highspy by default, CBC as the fallback.

This module solves and never builds. PuLP's integer status codes stop here: ``solve`` returns a
``SolveOutcome`` carrying our own ``SolveStatus``. A time-limited solve that found a solution is
``TIME_LIMIT`` with its gap, never ``OPTIMAL``.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import pulp

from mealplan.food_data.errors import InputError, SolverError
from mealplan.optimizer.status import SolveStatus

log = logging.getLogger(__name__)

SOLVERS = ("highs", "cbc")
# Absolute gap: an objective within this of the bound is optimal. Objectives are scaled so that a
# whole target missed costs 1000 (optimizer.model.SHORTFALL_WEIGHT): 1.0 is 0.1 % of one target.
ABS_GAP = 1.0


@dataclass
class SolveOutcome:
    """What a solve produced."""

    status: SolveStatus
    solver: str
    seconds: float
    objective: float | None = None
    gap: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def has_solution(self) -> bool:
        """True when variable values are usable (optimal or time-limited with a solution)."""
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)


def map_status(status: int, sol_status: int, time_limited: bool) -> SolveStatus:
    """Map PuLP's ``(status, sol_status)`` to our ``SolveStatus``."""
    if sol_status == pulp.LpSolutionOptimal and not time_limited:
        return SolveStatus.OPTIMAL
    if sol_status in (pulp.LpSolutionIntegerFeasible, pulp.LpSolutionOptimal):
        return SolveStatus.TIME_LIMIT
    if sol_status == pulp.LpSolutionInfeasible or status == pulp.LpStatusInfeasible:
        return SolveStatus.INFEASIBLE
    if sol_status == pulp.LpSolutionUnbounded or status == pulp.LpStatusUnbounded:
        return SolveStatus.UNBOUNDED
    if status == pulp.LpStatusUndefined:
        return SolveStatus.ERROR
    return SolveStatus.NOT_SOLVED


def _cbc_solver(time_limit: float, gap: float, threads: int):
    path = None
    try:
        import cbcbox  # ships a CBC binary with ``pulp[cbc]``

        path = cbcbox.cbc_bin_path()
    except (ImportError, AttributeError, OSError):
        path = None
    solver = pulp.COIN_CMD(path=path, msg=False, timeLimit=time_limit, gapRel=gap, threads=threads)
    if not solver.available():
        raise SolverError('the CBC solver is not installed (pip install "pulp[cbc]").')
    return solver


class _HiGHS(pulp.HiGHS):
    """PuLP's HiGHS with the model passed in bulk and an optional partial MIP start.

    PuLP adds columns and rows to highspy one call at a time and lists the problem's variables
    (a walk over every constraint) four times a solve; here they are listed once and passed as
    arrays, which cut the Python overhead of a week plan's 14 solves by about half.

    A partial start gives values for some variables, which HiGHS completes into a first solution:
    fixing the indicator variables the LP relaxation leaves at 0 lets it find a first plan with a
    sub-MIP on the rest instead of after rounds of root cuts.
    """

    mip_start: dict[pulp.LpVariable, float] | None = None  # ("start" is PuLP's own attribute)
    is_mip = False

    def actualSolve(self, lp: pulp.LpProblem, **kwargs) -> int:
        import highspy
        import numpy as np

        variables = lp.variables()  # registers every variable and sorts them by name, once
        self.createAndConfigureSolver(lp)
        model = lp.solverModel
        inf = highspy.kHighsInf
        sign = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        objective = lp.objective or {}
        for i, var in enumerate(variables):
            var.index = i
        model.addCols(
            len(variables),
            np.array([sign * objective.get(v, 0.0) for v in variables], dtype=float),
            np.array([-inf if v.lowBound is None else v.lowBound for v in variables], dtype=float),
            np.array([inf if v.upBound is None else v.upBound for v in variables], dtype=float),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=float),
        )
        integer = np.array([v.index for v in variables if v.cat == pulp.LpInteger], dtype=np.int32)
        self.is_mip = len(integer) > 0
        if self.mip and self.is_mip:
            kind = np.full(len(integer), int(highspy.HighsVarType.kInteger), dtype=np.uint8)
            model.changeColsIntegrality(len(integer), integer, kind)
        starts, index, value, lower, upper = [], [], [], [], []
        for i, constraint in enumerate(lp.constraints()):
            constraint.index = i
            starts.append(len(index))
            for var, coef in constraint.items():
                if coef != 0:
                    index.append(var.index)
                    value.append(coef)
            lb, ub = constraint.getLb(), constraint.getUb()
            lower.append(-inf if lb is None else lb)
            upper.append(inf if ub is None else ub)
        model.addRows(
            len(starts),
            np.array(lower, dtype=float),
            np.array(upper, dtype=float),
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=float),
        )
        self.callSolver(lp)
        status, sol_status = self.findSolutionValues(lp)
        lp.assignStatus(status, sol_status)
        return status

    def callSolver(self, lp: pulp.LpProblem) -> None:
        if self.mip_start:
            import numpy as np

            index = np.array([v.index for v in self.mip_start], dtype=np.int32)
            values = np.array(list(self.mip_start.values()), dtype=float)
            lp.solverModel.setSolution(len(index), index, values)
        super().callSolver(lp)


def _highs_solver(time_limit: float, gap: float, threads: int):
    # RENS finds little here once the start has given a plan, and costs time on the hardest days.
    solver = _HiGHS(
        msg=False, timeLimit=time_limit, gapRel=gap, gapAbs=ABS_GAP, threads=threads, mip_heuristic_run_rens=False
    )
    if not solver.available():
        raise SolverError("the HiGHS solver is not installed (pip install highspy).")
    return solver


def solve(
    prob: pulp.LpProblem,
    *,
    solver: str = "highs",
    time_limit: float = 30.0,
    gap: float = 0.01,
    threads: int = 1,
    fallback: bool = True,
    relax: bool = False,
    gap_scale: float = 1.0,
    start: dict[pulp.LpVariable, float] | None = None,
) -> SolveOutcome:
    """Solve ``prob`` in place and report the outcome.

    Args:
        prob: A built PuLP problem.
        solver: ``"highs"`` (default) or ``"cbc"``.
        time_limit: Seconds before the solver stops with its best solution.
        gap: Relative MIP gap at which a solution counts as optimal.
        threads: Solver threads (1 in batch workers so they do not fight over cores).
        fallback: When HiGHS is missing or errors, try CBC and say so in ``notes``.
        relax: Solve the LP relaxation (integrality dropped).
        gap_scale: The reported gap is (objective - bound) / max(|objective|, gap_scale). A goal
            program's best objective is often 0 (every target met), where a plain relative gap is
            meaningless; the planner passes the weight of one whole target, so its gap reads as
            "within x % of the optimum or of one target".
        start: A partial MIP start for HiGHS (CBC ignores it): values of some variables, which the
            solver tries to complete into a first solution. It never changes what is optimal.

    Raises:
        InputError: unknown solver name or non-positive limits.
        SolverError: no solver could run.
    """
    if solver not in SOLVERS:
        raise InputError(f"--solver {solver!r} is not known; allowed: {', '.join(SOLVERS)}.")
    if not (time_limit > 0 and math.isfinite(time_limit)):
        raise InputError(f"--time-limit {time_limit!r} must be a positive number of seconds.")
    if not (0 <= gap < 1):
        raise InputError(f"--gap {gap!r} must be a fraction between 0 and 1 (0.01 = 1 %).")
    order = [solver] + ([s for s in SOLVERS if s != solver] if fallback else [])
    notes: list[str] = []
    for name in order:
        try:
            engine = (_highs_solver if name == "highs" else _cbc_solver)(time_limit, gap, threads)
            engine.mip = not relax
            if name == "highs" and not relax:
                engine.mip_start = start
            began = time.perf_counter()
            status = prob.solve(engine)
            seconds = time.perf_counter() - began
        except (SolverError, pulp.PulpSolverError, OSError) as exc:
            notes.append(f"{name} failed: {exc}")
            log.warning("solver %s failed: %s", name, exc)
            continue
        is_mip = engine.is_mip if isinstance(engine, _HiGHS) else bool(prob.isMIP())
        outcome = _outcome(prob, name, status, seconds, time_limit, relax, gap_scale, is_mip)
        outcome.notes = notes
        if outcome.status == SolveStatus.ERROR and name != order[-1]:
            notes.append(f"{name} returned an error status; trying the next solver")
            continue
        return outcome
    raise SolverError("no solver could solve the model: " + "; ".join(notes))


def _outcome(
    prob: pulp.LpProblem,
    name: str,
    status: int,
    seconds: float,
    time_limit: float,
    relax: bool,
    gap_scale: float,
    is_mip: bool,
) -> SolveOutcome:
    gap = None
    time_limited = False
    model = getattr(prob, "solverModel", None)
    if name == "highs" and model is not None:
        import highspy

        time_limited = model.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
        if is_mip and not relax:
            info = model.getInfo()
            primal, bound = info.objective_function_value, info.mip_dual_bound
            if math.isfinite(primal) and math.isfinite(bound):
                gap = max(primal - bound, 0.0) / max(abs(primal), gap_scale)
    elif seconds >= time_limit * 0.98:
        time_limited = True
    result = map_status(status, prob.sol_status, time_limited)
    objective = pulp.value(prob.objective) if result in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT) else None
    if result == SolveStatus.OPTIMAL and (relax or not is_mip):
        gap = 0.0
    return SolveOutcome(status=result, solver=name, seconds=seconds, objective=objective, gap=gap)


def write_model(prob: pulp.LpProblem, path: Path) -> None:
    """Write the model for inspection or another solver: ``.mps`` (fixed MPS) or ``.lp``."""
    path = Path(path)
    if path.suffix.lower() == ".mps":
        prob.writeMPS(str(path))
    elif path.suffix.lower() == ".lp":
        prob.writeLP(str(path))
    else:
        raise InputError(f"--write-model {str(path)!r}: the file must end in .mps or .lp.")
