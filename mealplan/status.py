"""The outcome of a solve, in our words rather than PuLP's integer codes (no dependencies)."""

from __future__ import annotations

from enum import StrEnum


class SolveStatus(StrEnum):
    """Outcome of a solve, independent of PuLP's integer codes."""

    OPTIMAL = "optimal"  # proven optimal (within the requested gap)
    TIME_LIMIT = "time_limit"  # a solution found, not proven optimal: see gap
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NOT_SOLVED = "not_solved"
    ERROR = "error"
