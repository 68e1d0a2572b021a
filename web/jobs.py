"""Solves and report renders in background worker processes, so a long solve never blocks a page.

The web process only reads and writes the database and lays out pages; everything that needs the
food table (planning, re-planning, rendering a report or a shopping list) runs in a small pool of
worker processes that load the food table and the dish library once. A plan job runs
:func:`work` there and, when it returns, the web process stores the plan in the client's history
(the workbench :class:`~mealplan.workbench.store.Store`) and keeps the rendered report.

:class:`JobRunner` keeps each job's state for the job page: running, done (with the new plan's id)
or failed (with the library's message, e.g. the rules that conflict).
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

# How long a plan takes, shown while one solves until this server has timed plans of its own.
EXPECTED_S = {1: 3.0, 7: 6.0}
RENDER_TIMEOUT_S = 180.0


@cache
def _foods():
    from mealplan.food_data.loading import load_tables

    return load_tables([], bundled=True)


@cache
def _dishes():
    from mealplan.food_data.dishes import load_dishes

    return load_dishes(foods=_foods())


def warm() -> None:
    """Load the food table and dish library (a worker's start-up, before its first job)."""
    _dishes()


def _watch_parent(parent: int) -> None:
    # A server stopped by a signal exits without shutting its pool down (uvicorn re-raises the
    # signal): a worker whose parent is gone ends itself rather than linger.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def start_worker() -> None:
    """A worker process's start: watch the server process, then load the food data."""
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True, name="parent-watch").start()
    warm()


def _render(plan, fmt: str) -> str:
    if fmt == "html":
        from mealplan.report import render_html

        return render_html(plan, _foods())
    if fmt == "md":
        from mealplan.report import render_markdown

        return render_markdown(plan, _foods())
    from mealplan.report.shopping import shopping_csv, shopping_list, shopping_markdown

    shopping = shopping_list(plan, _foods())
    return shopping_csv(shopping) if fmt == "shopping.csv" else shopping_markdown(shopping)


def work(task: dict[str, Any]) -> dict[str, Any]:
    """Run one task in a worker: ``plan``, ``replan`` or ``render`` (plans travel as JSON).

    Returns:
        ``{"plan": JSON, "html": report}`` for plans, ``{"text": ...}`` for renders, the meal editor's
        data and changes (:mod:`mealplan.web.tasks`: ``meal``, ``edit``, ``names``, ``handout``), or
        ``{"error": message, "code": exit code}`` when the library refused (bad input, conflicting
        rules, solver failure) -- the message is the one the command line would show.
    """
    from mealplan.errors import MealplanError
    from mealplan.plan import Plan

    try:
        kind = task["kind"]
        if kind == "render":
            return {"text": _render(Plan.model_validate_json(task["plan"]), task["format"])}
        if kind in ("meal", "edit", "names", "handout"):
            from mealplan.web import tasks

            if kind == "names":
                return tasks.names(_foods(), _dishes())
            if kind == "handout":
                return tasks.handout(task, _foods())
            return getattr(tasks, kind)(task, _foods(), _dishes())
        if kind in ("household", "household_render"):
            return _household(task)
        if kind == "plan":
            from mealplan.optimizer.planner import make_plan
            from mealplan.targets.profile import Profile

            profile = Profile.model_validate_json(task["profile"])
            plan = make_plan(profile, _foods(), days=task["days"], dishes=_dishes(), time_limit=task["time_limit"])
        elif kind == "replan":
            plan = _replan(task)
        else:
            raise ValueError(f"unknown task {kind!r}")
        return {"plan": plan.model_dump_json(), "html": _render(plan, "html")}
    except MealplanError as exc:
        return {"error": str(exc), "code": exc.exit_code}


def _household(task: dict[str, Any]) -> dict[str, Any]:
    """Plan a household document with its pantry rows (the path of ``mealplan households plan``), or render a
    stored household plan: ``{"plan", "html"}`` or ``{"text"}``; every page by the one household renderer."""
    from mealplan.household_plan import HouseholdPlan
    from mealplan.report.household import household_html

    if task["kind"] == "household_render":
        return {"text": household_html(HouseholdPlan.model_validate_json(task["plan"]), _foods(), _dishes())}
    from mealplan.targets.pantry import PantryItem
    from mealplan.workbench.households import plan_document

    items = [PantryItem.model_validate(i) for i in task["pantry"]]
    plan = plan_document(task["household"], items, _foods(), source=task["source"], days=task["days"],
                         time_limit=task["time_limit"], dishes=_dishes())  # fmt: skip
    return {"plan": plan.model_dump_json(), "html": household_html(plan, _foods(), _dishes())}


def _replan(task: dict[str, Any]):
    """Re-plan the days (or one meal) a task names, one after another, each keeping the rest; a food or
    dish forbidden from the page is forbidden in the plan's rules first."""
    from mealplan.optimizer.replan import replan_days
    from mealplan.plan import Plan
    from mealplan.targets.profile import Profile

    profile = Profile.model_validate_json(task["profile"]) if task.get("profile") else None
    return replan_days(Plan.model_validate_json(task["plan"]), _foods(), task["days"], forbid=task.get("forbid") or [],
                       meal=task.get("meal"), profile=profile, dishes=_dishes(), parent=task["parent"],
                       time_limit=task["time_limit"])  # fmt: skip


@dataclass
class Job:
    """One background plan or re-plan, as the job page shows it."""

    id: str
    client_id: str
    what: str
    expected_s: float
    page: str = ""  # the page a failed job links back to (the client's, or the household's)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    plan_id: int | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def elapsed(self) -> float:
        """Seconds since the job started (until it finished)."""
        return (self.finished or time.monotonic()) - self.started

    @property
    def state(self) -> str:
        """``running``, ``done`` or ``failed``."""
        if not self.done.is_set():
            return "running"
        return "failed" if self.error else "done"


class JobRunner:
    """A pool of worker processes (or threads, for tests) and the jobs it ran.

    Args:
        workers: How many solves or renders run at once.
        processes: Worker processes (the default; a solve then never holds the web process's
            interpreter lock); False runs them in threads of this process.
    """

    def __init__(self, workers: int = 2, processes: bool = True) -> None:
        self._workers, self._processes = workers, processes
        self._pool = self._new_pool()
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = 200
        self._durations: dict[tuple, list[float]] = {}  # seconds of the last jobs of each kind

    def _new_pool(self) -> cf.Executor:
        if self._processes:
            ctx = multiprocessing.get_context("spawn")  # no fork of a threaded server
            return cf.ProcessPoolExecutor(max_workers=self._workers, mp_context=ctx, initializer=start_worker)
        return cf.ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="mealplan-job")

    def _submit(self, fn: Callable, *args: Any) -> cf.Future:
        """Submit to the pool; a pool whose worker died (killed, out of memory) is replaced once."""
        try:
            return self._pool.submit(fn, *args)
        except cf.BrokenExecutor:
            log.warning("a worker process died; starting new workers")
            self._pool = self._new_pool()
            return self._pool.submit(fn, *args)

    def warm_up(self) -> None:
        """Start the workers now (each loads the food table) rather than at the first request."""
        self._submit(warm)

    def submit(self, client_id: str, what: str, task: dict[str, Any], expected_s: float,
               on_result: Callable[[dict[str, Any]], int], page: str | None = None) -> Job:  # fmt: skip
        """Start ``task``; ``on_result`` (in a helper thread) stores its plan and returns the plan id.

        ``expected_s`` is what the progress bar shows until jobs of the same kind (a week, a day, a
        re-plan of N days) have run here; then it is the median of the last five.
        """
        days = task.get("days")
        kind = (task["kind"], len(days) if isinstance(days, list) else days)
        with self._lock:
            recent = self._durations.get(kind, [])[-5:]
        if recent:
            expected_s = statistics.median(recent)
        job = Job(id=uuid.uuid4().hex[:16], client_id=client_id, what=what, expected_s=expected_s,
                  page=page or f"/clients/{client_id}")  # fmt: skip
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[: max(0, len(self._jobs) - self._keep)]:
                if self._jobs[old].done.is_set():
                    del self._jobs[old]

        def finished(future: cf.Future) -> None:
            try:
                result = future.result()
                if "error" in result:
                    job.error = result["error"]
                else:
                    job.plan_id = on_result(result)
            except Exception as exc:  # noqa: BLE001 - a job's failure is shown on its page, never raised
                log.exception("background job %s failed", job.id)
                job.error = f"Internal error: {type(exc).__name__}: {exc}. This is a bug in mealplan; please report it."
            job.finished = time.monotonic()
            if job.error is None:
                with self._lock:
                    self._durations.setdefault(kind, []).append(job.elapsed)
                    del self._durations[kind][:-5]
            job.done.set()

        self._submit(work, task).add_done_callback(finished)
        return job

    def job(self, job_id: str) -> Job | None:
        """A job by id (None when unknown or forgotten)."""
        with self._lock:
            return self._jobs.get(job_id)

    def run(self, task: dict[str, Any], timeout: float = RENDER_TIMEOUT_S) -> dict[str, Any]:
        """Run ``task`` in a worker and wait for it (a render a page needs)."""
        return self._submit(work, task).result(timeout=timeout)

    def shutdown(self) -> None:
        """Stop the workers (running jobs are cancelled)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
