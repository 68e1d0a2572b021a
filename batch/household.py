"""Households in a batch: a household file in the batch folder (YAML with ``members:``) is planned together
(:func:`~mealplan.optimizer.household_planner.plan_household`), verified
(:func:`~mealplan.verify.household.verify_household`) and reported in the summary as one row, like a profile:
its shortfalls are each member's, named by member (``father: vitamin_d 64%``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mealplan.batch.models import BatchOptions, JobResult, WorkerOutput, shortfall_labels
from mealplan.targets.household import Household

MAX_REASONS = 5


def household_labels(hp: Any) -> list[str]:
    """Each member's shortfall labels (:func:`shortfall_labels`), prefixed with the member's id."""
    return [f"{m.id}: {label}" for m in hp.members for label in shortfall_labels(m.plan)]


def failed_verification(problems: list[str]) -> str:
    """The summary's reason for a plan that fails ``verify``: the first problems and how many more."""
    more = f" (and {len(problems) - MAX_REASONS} more)" if len(problems) > MAX_REASONS else ""
    return "the plan failed verification: " + "; ".join(problems[:MAX_REASONS]) + more


def run_household(
    household: Household, foods: Any, dishes: Any, options: BatchOptions, result: Callable[..., JobResult]
) -> WorkerOutput:
    """Plan and verify one household (in a worker). ``--time-limit`` is per member (per week of a longer plan),
    as a profile's: the household's seconds a week are the members' sum. Exceptions go to the caller
    (:func:`mealplan.batch.run.run_job` makes them a failed result)."""
    from mealplan.optimizer.household_planner import plan_household
    from mealplan.verify.household import verify_household

    hp = plan_household(household, foods, days=options.days, objective=options.objective,
                        time_limit=options.time_limit * len(household.members), gap=options.gap, solver=options.solver,
                        threads=1, dishes=dishes)  # fmt: skip
    status = hp.status  # its worst day's
    report = verify_household(hp, foods)
    if not report.ok:
        problems = [f"member {m}: {p}" for m, r in report.members.items() for p in r.problems]
        problems += [f"household: {p}" for p in report.problems]
        return WorkerOutput(result=result("failed", reason=failed_verification(problems), solve_status=status))
    return WorkerOutput(
        result=result("ok", shortfalls=household_labels(hp), solve_status=status),
        plan_json=hp.model_dump_json(indent=2),
    )
