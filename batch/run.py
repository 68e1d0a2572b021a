"""Running a batch: the worker's job, a local process pool or a Dask cluster, and the driver loop that
writes each plan as it arrives, retries a broken pool and records every profile's outcome."""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    CancelledError,
    Executor,
    Future,
    wait,
)
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mealplan.batch.executors import (
    local_cores,
    process_pool_factory,
    shutdown_executor,
    sigterm_as_interrupt,
)
from mealplan.batch.household import failed_verification, household_labels, run_household
from mealplan.batch.models import (
    BatchJob,
    BatchOptions,
    BatchProgress,
    BatchSummary,
    ExecutorFactory,
    JobResult,
    JobStatus,
    PlanFn,
    VerifyFn,
    WorkerOutput,
    shortfall_labels,
)
from mealplan.batch.outputs import (
    SUMMARY_NAMES,
    check_output_folder,
    existing_plan,
    food_sources_digest,
    household_fingerprint,
    input_fingerprint,
    plan_path,
    stale_temp_files,
    write_plan,
    write_summary,
)
from mealplan.errors import InputError, MealplanError
from mealplan.fileio import id_path

log = logging.getLogger(__name__)

# Output names the batch itself uses: a profile with this id would have its plan overwritten by them.
RESERVED_IDS = frozenset({"summary"})

# Food tables loaded in this (worker) process, keyed by (paths, bundled): loaded once per process.
_DISHES: dict = {}
_FOODS: dict[tuple[tuple[str, ...], bool], Any] = {}


def worker_foods(options: BatchOptions):
    """The food table for ``options``, loaded once per process and cached."""
    key = (tuple(options.foods), options.bundled)
    if key not in _FOODS:
        from mealplan.food_data.loading import load_tables

        _FOODS[key] = load_tables([Path(p) for p in options.foods], bundled=options.bundled)
    return _FOODS[key]


def worker_dishes(options: BatchOptions, foods):
    """The dish library with ``options.dishes``, loaded once per process and cached."""
    key = (tuple(options.foods), options.bundled, tuple(options.dishes))
    if key not in _DISHES:
        from mealplan.food_data.dishes import load_dishes

        _DISHES[key] = load_dishes([Path(p) for p in options.dishes], foods=foods)
    return _DISHES[key]


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def run_job(
    job: BatchJob, options: BatchOptions, plan_fn: PlanFn | None = None, verify_fn: VerifyFn | None = None
) -> WorkerOutput:
    """Plan and verify one profile (runs in a worker). Every exception becomes a failed result.

    Args:
        job: A job with a profile, or a household (planned together: :func:`run_household`; ``plan_fn`` and
            ``verify_fn`` are a profile's).
        options: The batch options.
        plan_fn: Called as ``plan_fn(profile, foods, days=, objective=, time_limit=, gap=, solver=,
            threads=1)`` and returns a Plan; ``optimizer.planner.make_plan`` when None.
        verify_fn: Called as ``verify_fn(plan, foods)`` and returns a report with ``ok`` and
            ``problems``; ``verify.verifier.verify_plan`` when None.
    """
    started = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"

    def result(status: JobStatus, **kw: Any) -> JobResult:
        return JobResult(
            id=job.id,
            source=job.source,
            status=status,
            seconds=round(time.perf_counter() - started, 3),
            worker=worker,
            peak_rss_mb=_peak_rss_mb(),
            **kw,
        )

    try:
        if job.household is not None:
            foods = worker_foods(options)
            dishes = worker_dishes(options, foods) if options.dishes else None
            return run_household(job.household, foods, dishes, options, result)
        if job.profile is None:
            return WorkerOutput(result=result("failed", reason=job.error or "no profile"))
        if plan_fn is None:
            from mealplan.optimizer.planner import make_plan

            plan_fn = make_plan
        if verify_fn is None:
            from mealplan.verify.verifier import verify_plan

            verify_fn = verify_plan
        foods = worker_foods(options)
        extra = {"dishes": worker_dishes(options, foods)} if options.dishes else {}
        plan = plan_fn(
            job.profile,
            foods,
            days=options.days,
            objective=options.objective,
            time_limit=options.time_limit,
            gap=options.gap,
            solver=options.solver,
            threads=1,
            **extra,
        )
        solve_status = plan.solve.status.value
        report = verify_fn(plan, foods)
        if not report.ok:
            reason = failed_verification([str(p) for p in report.problems])
            return WorkerOutput(result=result("failed", reason=reason, solve_status=solve_status))
        labels = shortfall_labels(plan)
        return WorkerOutput(
            result=result("ok", shortfalls=labels, solve_status=solve_status),
            plan_json=plan.model_dump_json(indent=2),
        )
    except MealplanError as exc:
        return WorkerOutput(result=result("failed", reason=f"{type(exc).__name__}: {exc}"))
    except Exception as exc:  # noqa: BLE001 - one profile's bug must not stop the batch
        log.debug("profile %s failed", job.id, exc_info=True)
        return WorkerOutput(result=result("failed", reason=f"internal error: {type(exc).__name__}: {exc}"))


# --- the driver -----------------------------------------------------------------------------------


@dataclass
class _Pending:
    index: int
    job: BatchJob
    fingerprint: str
    alone: bool = False  # ran with nothing else in flight (quarantine after a pool crash)


def run_batch(
    jobs: Sequence[BatchJob],
    out_dir: str | Path,
    executor_factory: ExecutorFactory | None = None,
    *,
    options: BatchOptions | None = None,
    workers: int | None = None,
    resume: bool = False,
    plan_fn: PlanFn | None = None,
    verify_fn: VerifyFn | None = None,
    progress: Callable[[BatchProgress], None] | None = None,
    inputs: Sequence[str | Path] = (),
) -> BatchSummary:
    """Plan every job, write plans and the summary into ``out_dir``, and return the summary.

    At most ``workers`` profiles are in flight at once. When a process pool breaks (a worker died,
    e.g. killed or out of memory), the profiles that were in flight are suspects: the pool is
    re-created and each suspect runs again alone, so only the profile that kills a worker on its
    own is marked failed ("the worker process died ..."); the rest continue. On an interrupt
    (Ctrl-C) the pool is cancelled, the summary is written with unfinished profiles as
    ``not_run``, and the interrupt propagates; finished plans are already complete on disk. SIGTERM
    is handled the same way (it raises :class:`~mealplan.errors.Terminated`, exit code 143). A profile
    whose id is reserved (``summary``: its plan would be overwritten by ``summary.json``) or would name
    a file outside ``out_dir`` (``../x``) fails with the reason.

    Args:
        jobs: From :func:`load_jobs`.
        out_dir: Output folder (created if missing).
        executor_factory: Returns a ``concurrent.futures.Executor``; called again after a pool
            breaks. Default: :func:`process_pool_factory` with ``workers`` processes.
        options: Planning options for every profile.
        workers: Profiles in flight at once; default ``os.cpu_count()`` (a local pool's size; for a
            Dask cluster, its thread count). A local pool never has more processes than the cores.
        resume: Skip profiles whose plan in ``out_dir`` is complete and made from the same inputs
            (:func:`existing_plan`); also removes stale temporary files of interrupted writes.
        plan_fn: The planning function (default ``make_plan``); must be picklable by reference.
        verify_fn: The verification function (default ``verify_plan``).
        progress: Called in this thread with a :class:`BatchProgress` at the start and after each profile.
        inputs: Input files besides the jobs' own sources (the batch CSV): an ``out_dir`` where the batch
            would overwrite one of them is refused (:func:`check_output_folder`).

    Returns:
        The summary (also written to ``summary.json`` and ``summary.csv``).

    Raises:
        InputError: ``out_dir`` cannot be used as a folder, cannot be written, or the batch would
            overwrite one of its inputs there.
    """
    options = options or BatchOptions()
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"-o {out_dir}: exists and is not a folder; give a folder for the plans")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"-o {out_dir}: cannot create the output folder: {exc}") from exc
    check_output_folder(out_dir, jobs, options, inputs)
    window = max(1, workers or os.cpu_count() or 1)
    if executor_factory is None:
        window = min(window, local_cores())
        executor_factory = process_pool_factory(window)
    if resume:
        for tmp in stale_temp_files(out_dir):
            log.info("removing %s, left by an interrupted write", tmp)
            tmp.unlink(missing_ok=True)
    batch = _Batch(jobs, out_dir, options, executor_factory, window, (plan_fn, verify_fn), progress)
    batch.queue_jobs(resume)
    return batch.run()


class _Batch:
    """One batch run: the jobs' outcomes so far, the queue, the jobs in flight and the pool they run on."""

    def __init__(
        self,
        jobs: Sequence[BatchJob],
        out_dir: Path,
        options: BatchOptions,
        factory: ExecutorFactory,
        window: int,
        fns: tuple[PlanFn | None, VerifyFn | None],
        progress: Callable[[BatchProgress], None] | None,
    ) -> None:
        self.jobs, self.out_dir, self.options, self.factory, self.window = jobs, out_dir, options, factory, window
        self.plan_fn, self.verify_fn = fns
        self.progress = progress
        self.clock = time.perf_counter()
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self.results: dict[int, JobResult] = {}
        self.counts = {"ok": 0, "failed": 0, "skipped": 0}
        self.queue: deque[_Pending] = deque()
        self.quarantine: deque[_Pending] = deque()
        self.in_flight: dict[Future, _Pending] = {}
        self.executor: Executor | None = None

    # --- outcomes ---------------------------------------------------------------------------------

    def record(self, i: int, res: JobResult, report: bool = False) -> None:
        self.results[i] = res
        self.counts[res.status] += 1
        if report:
            self.report(res)

    def report(self, last: JobResult | None) -> None:
        if self.progress is not None:
            elapsed = time.perf_counter() - self.clock
            self.progress(BatchProgress(total=len(self.jobs), elapsed=elapsed, last=last, **self.counts))

    def summary(self, interrupted: bool) -> BatchSummary:
        rows = [
            self.results.get(i)
            or JobResult(id=j.id, source=j.source, status="not_run", reason="the batch was interrupted")
            for i, j in enumerate(self.jobs)
        ]
        return BatchSummary(
            results=rows,
            options=self.options,
            out_dir=str(self.out_dir),
            started=self.started,
            elapsed_seconds=time.perf_counter() - self.clock,
            interrupted=interrupted,
        )

    def finish(self, p: _Pending, out: WorkerOutput) -> None:
        res = out.result
        if res.status == "ok" and out.plan_json is not None:
            try:
                target = write_plan(self.out_dir, p.job, p.fingerprint, out.plan_json)
                res = res.model_copy(update={"plan_file": str(target)})
            except OSError as exc:
                res = res.model_copy(update={"status": "failed", "reason": f"cannot write the plan: {exc}"})
        self.record(p.index, res, report=True)

    def fail(self, p: _Pending, reason: str) -> None:
        self.record(p.index, JobResult(id=p.job.id, source=p.job.source, status="failed", reason=reason), True)

    # --- what runs --------------------------------------------------------------------------------

    def queue_jobs(self, resume: bool) -> None:
        """Every job into the queue, or straight into the results: broken, reserved, unsafe or kept."""
        jobs = self.jobs
        digest = food_sources_digest(self.options) if any(j.ready for j in jobs) else ""
        for i, job in enumerate(jobs):
            reason = job.error if not job.ready else _unusable_id(job, self.out_dir)
            if reason is not None or not job.ready:
                self.record(i, JobResult(id=job.id, source=job.source, status="failed", reason=reason))
                continue
            if job.household is not None:
                fp = household_fingerprint(job.household, self.options, digest)
            else:
                assert job.profile is not None
                fp = input_fingerprint(job.profile, self.options, digest)
            kept = existing_plan(self.out_dir, job.id, fp) if resume else None
            if kept is None:
                self.queue.append(_Pending(i, job, fp))
                continue
            household = getattr(kept, "kind", "") == "household"
            kept_result = JobResult(
                id=job.id,
                source=job.source,
                status="skipped",
                reason="a plan from the same inputs is already in the output folder",
                shortfalls=household_labels(kept) if household else shortfall_labels(kept),
                solve_status=kept.status if household else kept.solve.status.value,
                plan_file=str(plan_path(self.out_dir, job.id)),
            )
            self.record(i, kept_result)

    def submit(self, p: _Pending) -> bool:
        """Start ``p``; False when the pool broke meanwhile (its in-flight futures will say so)."""
        if self.executor is None:
            self.executor = self.factory()
        try:
            self.in_flight[self.executor.submit(run_job, p.job, self.options, self.plan_fn, self.verify_fn)] = p
        except BrokenExecutor:
            if self.in_flight:
                return False
            # Nothing in flight is left to report the break: start a fresh pool for this job.
            shutdown_executor(self.executor, cancel=True)
            self.executor = self.factory()
            self.in_flight[self.executor.submit(run_job, p.job, self.options, self.plan_fn, self.verify_fn)] = p
        return True

    def start_some(self) -> None:
        """After a crash, suspects run one at a time, alone; otherwise keep ``window`` jobs running."""
        if self.quarantine:
            if not self.in_flight:
                p = self.quarantine.popleft()
                p.alone = True
                self.submit(p)
            return
        while self.queue and len(self.in_flight) < self.window:
            p = self.queue.popleft()
            if not self.submit(p):
                self.queue.appendleft(p)
                break

    def collect(self) -> None:
        """Wait for a job to end and record it; after a pool broke, its in-flight jobs become suspects."""
        done, _ = wait(list(self.in_flight), return_when=FIRST_COMPLETED)
        suspects: list[tuple[_Pending, BaseException]] = []
        for fut in done:
            p = self.in_flight.pop(fut)
            try:
                self.finish(p, fut.result())
            except BrokenExecutor as exc:
                suspects.append((p, exc))
            except CancelledError:
                self.fail(p, "the worker cancelled this profile")
            except Exception as exc:  # noqa: BLE001 - e.g. dask's KilledWorker, a pickling error
                self.fail(p, f"the worker failed: {type(exc).__name__}: {exc}")
        if suspects:
            self.pool_broke(suspects)

    def pool_broke(self, suspects: list[tuple[_Pending, BaseException]]) -> None:
        """Every job still in flight is lost with the pool: a lone suspect failed, the others run again alone."""
        for fut, p in list(self.in_flight.items()):
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                self.finish(p, fut.result())
            else:
                suspects.append((p, suspects[0][1]))
        self.in_flight.clear()
        if self.executor is not None:
            shutdown_executor(self.executor, cancel=True)
        self.executor = None
        lone = len(suspects) == 1
        for p, exc in suspects:
            if p.alone or lone:
                self.fail(p, f"the worker process died while planning this profile ({type(exc).__name__}: {exc})")
            else:
                self.quarantine.append(p)
        if self.quarantine:
            log.warning("a worker process died; re-running %d profiles one at a time", len(self.quarantine))

    def run(self) -> BatchSummary:
        """The driver loop; the summary is written whatever happens (interrupted: unfinished ``not_run``)."""
        self.report(None)
        sigterm = sigterm_as_interrupt()
        sigterm.__enter__()
        try:
            while self.queue or self.quarantine or self.in_flight:
                self.start_some()
                self.collect()
        except BaseException:
            if self.executor is not None:
                shutdown_executor(self.executor, cancel=True)
            self.executor = None
            write_summary(self.summary(interrupted=True), self.out_dir)
            raise
        finally:
            if self.executor is not None:
                shutdown_executor(self.executor, cancel=False)
            sigterm.__exit__(None, None, None)
        result = self.summary(interrupted=False)
        write_summary(result, self.out_dir)
        return result


def _unusable_id(job: BatchJob, out_dir: Path) -> str | None:
    """Why a profile's id cannot name its plan file in ``out_dir`` (reserved, or not a plain file name)."""
    if job.id.casefold() in RESERVED_IDS:
        return (
            f"{job.source}: id {job.id!r} is reserved: {job.id}.json would be overwritten by the batch summary "
            f"({', '.join(SUMMARY_NAMES)}); give the profile another id"
        )
    try:
        id_path(out_dir, job.id, ".json", what=f"{job.source}: profile id")
    except InputError as exc:
        return str(exc)
    return None
