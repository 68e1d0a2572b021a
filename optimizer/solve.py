"""Solving built models: HiGHS through highspy by default, CBC as the fallback.

This module solves and never builds. Solver status codes stop here: ``solve`` returns a
``SolveOutcome`` carrying our own ``SolveStatus``. A time-limited solve that found a solution is
``TIME_LIMIT`` with its gap, never ``OPTIMAL``.

The HiGHS path uses only PuLP's public modelling API (``variables()``, ``constraints()``, the
objective, bounds and categories; ``varValue``, ``dj``, ``pi`` and ``slack`` to hand the solution
back) and highspy's own public API, so it runs unchanged on PuLP 3.3 and PuLP 4 and on every highspy
from the lower bound up. No solver writes to standard output or standard error unless the solver
log is asked for (``log=True``, or ``MEALPLAN_SOLVER_LOG=1``, which ``mealplan --debug`` sets); the
log then goes to standard error, never to standard output.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pulp

from mealplan.errors import InputError, SolverError
from mealplan.status import SolveStatus

logger = logging.getLogger(__name__)

SOLVERS = ("highs", "cbc")
# Absolute gap: an objective within this of the bound is optimal. Objectives are scaled so that a
# whole target missed costs 1000 (optimizer.model.weights.SHORTFALL_WEIGHT): 1.0 is 0.1 % of one target.
ABS_GAP = 1.0
# Set to 1 to see the solvers' own logs on standard error (``mealplan --debug`` sets it; batch
# worker processes inherit it).
LOG_ENV = "MEALPLAN_SOLVER_LOG"

# PuLP 3's (status, sol_status) codes, as numbers: PuLP 4 replaced them by ``LpSolveStatus`` and
# ``has_solution``, so they are spelt out here rather than read from ``pulp``.
LP_STATUS_NOT_SOLVED, LP_STATUS_OPTIMAL, LP_STATUS_INFEASIBLE, LP_STATUS_UNBOUNDED, LP_STATUS_UNDEFINED = (
    0,
    1,
    -1,
    -2,
    -3,
)
LP_SOLUTION_NONE, LP_SOLUTION_OPTIMAL, LP_SOLUTION_FEASIBLE, LP_SOLUTION_INFEASIBLE, LP_SOLUTION_UNBOUNDED = (
    0,
    1,
    2,
    -1,
    -2,
)


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
    """Map PuLP 3's ``(status, sol_status)`` codes to our ``SolveStatus``."""
    if sol_status == LP_SOLUTION_OPTIMAL and not time_limited:
        return SolveStatus.OPTIMAL
    if sol_status in (LP_SOLUTION_FEASIBLE, LP_SOLUTION_OPTIMAL):
        return SolveStatus.TIME_LIMIT
    if sol_status == LP_SOLUTION_INFEASIBLE or status == LP_STATUS_INFEASIBLE:
        return SolveStatus.INFEASIBLE
    if sol_status == LP_SOLUTION_UNBOUNDED or status == LP_STATUS_UNBOUNDED:
        return SolveStatus.UNBOUNDED
    if status == LP_STATUS_UNDEFINED:
        return SolveStatus.ERROR
    return SolveStatus.NOT_SOLVED


def map_stats(status_name: str, has_solution: bool, time_limited: bool) -> SolveStatus:
    """Map PuLP 4's ``LpSolveStats`` (the name of its ``LpSolveStatus`` and ``has_solution``)."""
    if has_solution:
        return SolveStatus.OPTIMAL if status_name == "Optimal" and not time_limited else SolveStatus.TIME_LIMIT
    if status_name == "Infeasible":
        return SolveStatus.INFEASIBLE
    if status_name == "Unbounded":
        return SolveStatus.UNBOUNDED
    if status_name in ("Undefined", "NumericalError"):
        return SolveStatus.ERROR
    return SolveStatus.NOT_SOLVED


def solver_log_wanted(log_flag: bool | None = None) -> bool:
    """Whether the solvers' own logs are wanted: the flag if given, else ``MEALPLAN_SOLVER_LOG``."""
    if log_flag is not None:
        return log_flag
    return os.environ.get(LOG_ENV, "").strip().lower() in ("1", "true", "yes", "on")


_FD_LOCK = threading.Lock()


@contextlib.contextmanager
def _stdout_to(target: str | int):
    """Point file descriptor 1 at ``target`` (``os.devnull`` or fd 2) for the block, at the OS level.

    C code (HiGHS's banner, CBC's log in a child process) writes to fd 1 directly, where neither
    ``sys.stdout`` nor Click's test runner can catch it.
    """
    with _FD_LOCK:
        for stream in (sys.stdout, sys.__stdout__):
            with contextlib.suppress(Exception):
                if stream is not None:  # sys.__stdout__ is None without a console (pythonw)
                    stream.flush()
        try:
            saved = os.dup(1)
        except OSError:  # no fd 1 at all (a daemon): nothing to protect
            yield
            return
        try:
            if isinstance(target, int):
                os.dup2(target, 1)
            else:
                fd = os.open(target, os.O_WRONLY)
                try:
                    os.dup2(fd, 1)
                finally:
                    os.close(fd)
            yield
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)


def _import_highspy():
    # Imported on first use: highspy costs about 0.4 s to import (python -X importtime), which
    # `--write-model`, the CBC fallback and every command that never solves would pay for nothing.
    try:
        import highspy
    except ImportError as exc:
        raise SolverError("the HiGHS solver is not installed (pip install highspy).") from exc
    return highspy


def _new_highs(highspy, *, show_log: bool):
    """A ``highspy.Highs`` with its output off (or on standard error under ``show_log``).

    Recent highspy prints a banner to fd 1 when the first ``Highs`` of a process is made, before
    any option can be set: the construction runs with fd 1 on ``/dev/null``.
    """
    with _stdout_to(2 if show_log else os.devnull):
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", show_log)
        highs.setOptionValue("log_to_console", show_log)
    return highs


def _set_option(highs, name: str, value) -> None:
    """Set a HiGHS option; an option this highspy does not know is skipped (older releases)."""
    try:
        highs.setOptionValue(name, value)
    except Exception as exc:  # noqa: BLE001 - highspy raises various types across versions
        logger.debug("HiGHS option %s not set: %s", name, exc)


class _HighsEngine:
    """HiGHS through highspy's public API, reading and writing the model through PuLP's public API.

    The model is passed in bulk (one ``addCols`` and one ``addRows``): a week plan's 14 solves spend
    half as much Python time as passing it a column and a row at a time.

    A partial MIP start gives values for some variables, which HiGHS completes into a first
    solution: fixing the indicator variables the LP relaxation leaves at 0 lets it find a first plan
    with a sub-MIP on the rest instead of after rounds of root cuts. highspy releases without
    ``setSolution`` skip it (it never changes what is optimal).
    """

    name = "highs"

    def __init__(self, time_limit: float, gap: float, threads: int, gap_abs: float = ABS_GAP):
        self.highspy = _import_highspy()
        self.time_limit = time_limit
        self.gap = gap
        self.gap_abs = gap_abs
        self.threads = threads
        self.mip = True
        self.start: dict[pulp.LpVariable, float] | None = None
        self.show_log = False
        self.is_mip = False
        self.time_limited = False
        self.mip_gap: tuple[float, float] | None = None  # (objective, dual bound) of a MIP

    def run(self, prob: pulp.LpProblem) -> tuple[SolveStatus, bool]:
        """Solve ``prob``, write the solution back into it; return our status and has_solution."""
        highspy = self.highspy
        highs = _new_highs(highspy, show_log=self.show_log)
        _set_option(highs, "mip_rel_gap", float(self.gap))
        _set_option(highs, "mip_abs_gap", float(self.gap_abs))
        _set_option(highs, "threads", int(self.threads))
        _set_option(highs, "time_limit", float(self.time_limit))
        # RENS finds little here once the start has given a plan, and costs time on the hardest days.
        _set_option(highs, "mip_heuristic_run_rens", False)
        # Restarting the search once presolve finds many columns fixed cost more than it saved on the day
        # models (10-25 % of their time, same objectives: measured on the example weeks' models).
        _set_option(highs, "mip_allow_restart", False)
        variables, constraints, column, sign = self._load(highs, prob)
        if self.start and self.mip and self.is_mip and hasattr(highs, "setSolution"):
            _set_start(highs, self.start, column)
        try:
            if self.show_log:
                with _stdout_to(2):
                    highs.run()
            else:
                highs.run()
        except Exception as exc:  # noqa: BLE001 - whatever highspy raises, CBC gets its turn
            raise SolverError(str(exc) or type(exc).__name__) from exc
        result, has_solution = self._status(highs)
        _write_back(highs.getSolution(), variables, constraints, sign)
        if hasattr(prob, "assignStatus"):  # PuLP 3 keeps a status on the problem; PuLP 4 does not
            prob.assignStatus(*_pulp3_codes(result))
        return result, has_solution

    def _load(self, highs, prob: pulp.LpProblem):
        """Pass ``prob`` to HiGHS in bulk (one ``addCols``, one ``addRows``), through PuLP's public API."""
        highspy = self.highspy
        inf = highspy.kHighsInf
        variables = prob.variables()
        column = {v: i for i, v in enumerate(variables)}
        n = len(variables)
        sign = -1.0 if prob.sense == pulp.LpMaximize else 1.0
        cost = np.zeros(n, dtype=float)
        if prob.objective is not None:
            for var, coef in prob.objective.items():
                cost[column[var]] = sign * coef
        lower = np.array([-inf if v.lowBound is None else v.lowBound for v in variables], dtype=float)
        upper = np.array([inf if v.upBound is None else v.upBound for v in variables], dtype=float)
        empty_i, empty_f = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=float)
        highs.addCols(n, cost, lower, upper, 0, empty_i, empty_i, empty_f)
        integer = np.array([i for i, v in enumerate(variables) if v.cat == pulp.LpInteger], dtype=np.int32)
        self.is_mip = len(integer) > 0
        if self.mip and self.is_mip:
            kind = np.full(len(integer), int(highspy.HighsVarType.kInteger), dtype=np.uint8)
            highs.changeColsIntegrality(len(integer), integer, kind)

        # PuLP 3.3.0 keeps them in a dict; later releases list them when called.
        constraints = list(prob.constraints.values()) if isinstance(prob.constraints, dict) else prob.constraints()
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        row_lower: list[float] = []
        row_upper: list[float] = []
        for constraint in constraints:
            starts.append(len(index))
            for var, coef in constraint.items():
                if coef != 0:
                    index.append(column[var])
                    value.append(coef)
            rhs = -constraint.constant
            sense = constraint.sense
            row_lower.append(rhs if sense in (pulp.LpConstraintGE, pulp.LpConstraintEQ) else -inf)
            row_upper.append(rhs if sense in (pulp.LpConstraintLE, pulp.LpConstraintEQ) else inf)
        highs.addRows(
            len(starts),
            np.array(row_lower, dtype=float),
            np.array(row_upper, dtype=float),
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=float),
        )
        return variables, constraints, column, sign

    def _status(self, highs) -> tuple[SolveStatus, bool]:
        """Our status for HiGHS's model status, and whether the solution is usable."""
        status = highs.getModelStatus()
        info = highs.getInfo()
        objective = highs.getObjectiveValue()
        statuses = self.highspy.HighsModelStatus
        self.time_limited = status == statuses.kTimeLimit
        stopped = {getattr(statuses, name) for name in _STOPPED if hasattr(statuses, name)}
        if status == statuses.kOptimal:
            result, has_solution = SolveStatus.OPTIMAL, True
        elif status in stopped:
            has_solution = math.isfinite(objective)
            result = SolveStatus.TIME_LIMIT if has_solution else SolveStatus.NOT_SOLVED
        elif status in (statuses.kInfeasible, statuses.kUnboundedOrInfeasible):
            result, has_solution = SolveStatus.INFEASIBLE, False
        elif status == statuses.kUnbounded:
            result, has_solution = SolveStatus.UNBOUNDED, False
        elif status in (statuses.kNotset, statuses.kModelEmpty):
            result, has_solution = SolveStatus.NOT_SOLVED, False
        else:  # a load, model, presolve, solve or postsolve error, or unknown: CBC gets its turn
            result, has_solution = SolveStatus.ERROR, False
        if self.mip and self.is_mip:
            self.mip_gap = (info.objective_function_value, info.mip_dual_bound)
        return result, has_solution


# HiGHS model statuses that stopped a solve early (with or without a solution).
_STOPPED = (
    "kTimeLimit",
    "kIterationLimit",
    "kInterrupt",
    "kObjectiveBound",
    "kObjectiveTarget",
    "kSolutionLimit",
    "kMemoryLimit",
    "kHighsInterrupt",
)


def _set_start(highs, start: dict[pulp.LpVariable, float], column: dict) -> None:
    """Give HiGHS a partial MIP start (highspy releases without the partial form skip it)."""
    known = [(column[v], float(x)) for v, x in start.items() if v in column]
    if not known:
        return
    try:
        highs.setSolution(
            len(known),
            np.array([i for i, _ in known], dtype=np.int32),
            np.array([x for _, x in known], dtype=float),
        )
    except TypeError:  # a highspy with only the full-solution form
        logger.debug("this highspy takes no partial MIP start; solving without it")


def _write_back(solution, variables: list, constraints: list, sign: float) -> None:
    """HiGHS's solution back into PuLP's variables and constraints (values, reduced costs, duals, slacks)."""
    col_value, col_dual = list(solution.col_value), list(solution.col_dual)
    row_value, row_dual = list(solution.row_value), list(solution.row_dual)
    # HiGHS minimised sign * objective: a maximisation's duals come back negated. They are
    # handed back as the change in PuLP's own objective per unit (as PuLP 4 and CBC report them).
    n = len(variables)
    if len(col_value) == n:
        has_duals = len(col_dual) == n
        for i, var in enumerate(variables):
            var.varValue = col_value[i]
            if has_duals:
                var.dj = sign * col_dual[i]
    if len(row_value) == len(constraints):
        has_duals = len(row_dual) == len(constraints)
        for i, constraint in enumerate(constraints):
            # PuLP keeps the constant on the left-hand side; a <= row's slack is rhs - activity.
            slack = constraint.constant + row_value[i]
            constraint.slack = -slack if constraint.sense == pulp.LpConstraintLE else slack
            if has_duals:
                constraint.pi = sign * row_dual[i]


def _pulp3_codes(result: SolveStatus) -> tuple[int, int]:
    return {
        SolveStatus.OPTIMAL: (LP_STATUS_OPTIMAL, LP_SOLUTION_OPTIMAL),
        SolveStatus.TIME_LIMIT: (LP_STATUS_OPTIMAL, LP_SOLUTION_FEASIBLE),
        SolveStatus.INFEASIBLE: (LP_STATUS_INFEASIBLE, LP_SOLUTION_INFEASIBLE),
        SolveStatus.UNBOUNDED: (LP_STATUS_UNBOUNDED, LP_SOLUTION_UNBOUNDED),
        SolveStatus.ERROR: (LP_STATUS_UNDEFINED, LP_SOLUTION_NONE),
    }.get(result, (LP_STATUS_NOT_SOLVED, LP_SOLUTION_NONE))


class _CbcEngine:
    """CBC through PuLP's ``COIN_CMD`` (the binary ``pulp[cbc]`` ships), on PuLP 3 and PuLP 4."""

    name = "cbc"

    def __init__(self, time_limit: float, gap: float, threads: int):
        path = None
        try:
            import cbcbox  # optional (ships a CBC binary with ``pulp[cbc]``): probed, not required

            path = cbcbox.cbc_bin_path()
        except (ImportError, AttributeError, OSError):
            path = None
        self.time_limit = time_limit
        self.gap = gap
        self.threads = threads
        self.path = path
        self.mip = True
        self.start = None  # CBC takes no partial start here
        self.show_log = False
        self.is_mip = False
        self.time_limited = False
        self.mip_gap = None
        if not self._solver().available():
            raise SolverError('the CBC solver is not installed (pip install "pulp[cbc]").')

    def _solver(self):
        options = {
            "mip": self.mip,
            "msg": self.show_log,
            "timeLimit": self.time_limit,
            "gapRel": self.gap,
            "threads": self.threads,
        }
        if self.path is None and hasattr(pulp, "PULP_CBC_CMD"):
            # PuLP before 3.3.2 ships its own CBC binary instead of the cbcbox package.
            bundled = pulp.PULP_CBC_CMD(**options)
            if bundled.available():
                return bundled
        return pulp.COIN_CMD(path=self.path, **options)

    def run(self, prob: pulp.LpProblem) -> tuple[SolveStatus, bool]:
        self.is_mip = bool(prob.isMIP())
        began = time.perf_counter()
        if self.show_log:
            with _stdout_to(2):
                returned = prob.solve(self._solver())
        else:
            returned = prob.solve(self._solver())
        self.time_limited = time.perf_counter() - began >= self.time_limit * 0.98
        if hasattr(returned, "has_solution"):  # PuLP 4: an LpSolveStats
            name = getattr(returned.status, "name", str(returned.status))
            result = map_stats(name, bool(returned.has_solution), self.time_limited)
        else:  # PuLP 3: the status code, with the solution status on the problem
            result = map_status(int(returned), prob.sol_status, self.time_limited)
        return result, result in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)


def _cbc_solver(time_limit: float, gap: float, threads: int) -> _CbcEngine:
    return _CbcEngine(time_limit, gap, threads)


def _highs_solver(time_limit: float, gap: float, threads: int, abs_gap: float = ABS_GAP) -> _HighsEngine:
    return _HighsEngine(time_limit, gap, threads, abs_gap)


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
    log: bool | None = None,
    abs_gap: float = ABS_GAP,
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
        abs_gap: Absolute MIP gap at which HiGHS stops (objective units; see ``ABS_GAP``).
        log: Show the solver's own log on standard error; ``None`` (default) reads
            ``MEALPLAN_SOLVER_LOG``. Without it no solver writes to stdout or stderr.

    Raises:
        InputError: unknown solver name or non-positive limits.
        SolverError: no solver could run.
    """
    if solver not in SOLVERS:
        raise InputError(f"solver {solver!r} is not known; allowed: {', '.join(SOLVERS)}.")
    if not (time_limit > 0 and math.isfinite(time_limit)):
        raise InputError(f"time limit {time_limit!r} must be a positive number of seconds.")
    if not (0 <= gap < 1):
        raise InputError(f"gap {gap!r} must be a fraction between 0 and 1 (0.01 = 1 %).")
    order = [solver] + ([s for s in SOLVERS if s != solver] if fallback else [])
    show_log = solver_log_wanted(log)
    notes: list[str] = []
    for name in order:
        try:
            engine = (
                _highs_solver(time_limit, gap, threads, abs_gap)
                if name == "highs"
                else _cbc_solver(time_limit, gap, threads)
            )
            engine.mip = not relax
            engine.show_log = show_log
            if name == "highs" and not relax:
                engine.start = start
            began = time.perf_counter()
            result, _ = engine.run(prob)
            seconds = time.perf_counter() - began
        except (SolverError, pulp.PulpSolverError, OSError) as exc:
            notes.append(f"{name} failed: {exc}")
            logger.warning("solver %s failed: %s", name, exc)
            continue
        outcome = _outcome(prob, engine, result, seconds, relax, gap_scale)
        outcome.notes = notes
        if outcome.status == SolveStatus.ERROR and name != order[-1]:
            notes.append(f"{name} returned an error status; trying the next solver")
            continue
        return outcome
    raise SolverError("no solver could solve the model: " + "; ".join(notes))


def _outcome(prob: pulp.LpProblem, engine, result: SolveStatus, seconds: float, relax: bool, gap_scale: float):
    gap = None
    if engine.mip_gap is not None and not relax:
        primal, bound = engine.mip_gap
        if math.isfinite(primal) and math.isfinite(bound):
            gap = max(primal - bound, 0.0) / max(abs(primal), gap_scale)
    has_solution = result in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)
    objective = pulp.value(prob.objective) if has_solution and prob.objective is not None else None
    if result == SolveStatus.OPTIMAL and (relax or not engine.is_mip):
        gap = 0.0
    return SolveOutcome(status=result, solver=engine.name, seconds=seconds, objective=objective, gap=gap)


def write_model(prob: pulp.LpProblem, path: Path) -> None:
    """Write the model for inspection or another solver: ``.mps`` (fixed MPS) or ``.lp``."""
    path = Path(path)
    if path.suffix.lower() == ".mps":
        prob.writeMPS(str(path))
    elif path.suffix.lower() == ".lp":
        prob.writeLP(str(path))
    else:
        raise InputError(f"model file {str(path)!r}: the file must end in .mps or .lp.")
