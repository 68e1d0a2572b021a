"""Batch planning: one plan per profile for many profiles, on a local process pool or a Dask cluster.

The runner takes any ``concurrent.futures``-style executor through a factory (called again when a
process pool breaks), so the same code drives a local :class:`~concurrent.futures.ProcessPoolExecutor`
and ``distributed.Client(...).get_executor()``.

Each profile is one job, planned and verified independently in a worker; the worker sends the plan
back as JSON and the driver writes the files, so workers need no shared file system. A malformed
profile, a plan that fails verification, an exception or a crashed worker marks that profile failed
with its reason and never stops the others.

Files in the output folder:

- ``<id>.json``: the plan (``optimizer.plan.Plan`` JSON), written atomically (a uniquely named
  temporary file in the same folder, then ``os.replace``), so readers only ever see complete plans
  and two batches writing into one folder never corrupt each other's files.
- ``<id>.fingerprint``: JSON ``{profile_id, input, plan_sha256, source}``. ``input`` is a hash of
  the profile (plus its price table), the planning options, the food tables' contents and the
  mealplan version; ``plan_sha256`` is the hash of the plan file it belongs to. ``resume`` skips a
  profile only when both match, so a plan and a fingerprint from different runs never pair up.
- ``summary.json`` and ``summary.csv``: one row per profile (status, reason, shortfalls, seconds).

Input formats (:func:`load_jobs`): a folder of profile files (``.yaml``/``.yml``/``.toml``/``.json``),
a CSV with one row per person, or JSONL with one profile object per line. CSV columns are profile
fields; list fields take ``;``-separated values (``milk; egg``); per-nutrient bounds are columns
``<nutrient>_min`` and ``<nutrient>_max`` (``magnesium_min``, ``vitamin_d_max``; any nutrient id,
name or alias the registry resolves); empty cells leave the field at its default; a relative
``prices`` path is taken from the CSV's folder. Row numbers are spreadsheet rows (the header is
row 1).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import logging
import multiprocessing
import os
import socket
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mealplan.errors import InputError, MealplanError
from mealplan.fileio import TEMP_SUFFIX, read_user_text, write_atomic
from mealplan.optimizer.profile import PROFILE_SUFFIXES, Profile, load_profile, profile_from_dict

log = logging.getLogger(__name__)

SUMMARY_VERSION = "1"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FINGERPRINT_SUFFIX = ".fingerprint"
# A temporary file is written and renamed within milliseconds; one older than this was left by a
# process that died mid-write and is removed by ``resume``.
STALE_TEMP_SECONDS = 600.0
# A CSV or JSONL of profiles larger than this is refused rather than read into memory (a 100,000-person
# clinic CSV is about 10 MB).
MAX_INPUT_BYTES = 200 * 1024 * 1024
SUMMARY_COLUMNS = (
    "id",
    "source",
    "status",
    "reason",
    "shortfalls",
    "n_shortfalls",
    "seconds",
    "solve_status",
    "plan_file",
    "worker",
    "peak_rss_mb",
)

JobStatus = Literal["ok", "failed", "skipped", "not_run"]
ExecutorFactory = Callable[[], Executor]
PlanFn = Callable[..., Any]
VerifyFn = Callable[[Any, Any], Any]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class BatchOptions(_Frozen):
    """Planning options shared by every profile of a batch (the solver always runs one thread)."""

    days: Literal[1, 7] = 1
    foods: tuple[str, ...] = Field(default=(), description="extra food tables (--foods)")
    dishes: tuple[str, ...] = Field(default=(), description="extra dish files (--dishes)")
    bundled: bool = True
    time_limit: float = Field(default=30.0, gt=0)
    gap: float = Field(default=0.01, ge=0, lt=1)
    objective: Literal["shortfall", "cost"] = "shortfall"
    solver: Literal["highs", "cbc"] = "highs"


class BatchJob(_Frozen):
    """One profile to plan, or the reason it cannot be read (``error``)."""

    id: str
    source: str
    profile: Profile | None = None
    error: str | None = None


class JobResult(_Frozen):
    """What happened to one profile."""

    id: str
    source: str
    status: JobStatus
    reason: str | None = None
    shortfalls: list[str] = []
    seconds: float = 0.0
    solve_status: str | None = None
    plan_file: str | None = None
    worker: str | None = None
    peak_rss_mb: float | None = Field(default=None, description="the worker process's peak RSS so far")


class WorkerOutput(_Frozen):
    """A worker's answer: the result and, on success, the plan as JSON."""

    result: JobResult
    plan_json: str | None = None


class BatchSummary(_Frozen):
    """The outcome of a batch, one result per job in input order."""

    results: list[JobResult]
    options: BatchOptions
    out_dir: str
    started: str
    elapsed_seconds: float
    interrupted: bool = False

    def count(self, status: JobStatus) -> int:
        """Number of profiles with ``status``."""
        return sum(r.status == status for r in self.results)

    @property
    def counts(self) -> dict[str, int]:
        """Profiles per status."""
        return {s: self.count(s) for s in ("ok", "failed", "skipped", "not_run")}

    @property
    def exit_code(self) -> int:
        """0 when every profile has a valid plan (new or kept by resume), 1 otherwise."""
        return 0 if all(r.status in ("ok", "skipped") for r in self.results) else 1

    def rows(self) -> list[tuple[str, str, str, str]]:
        """``(profile, status, shortfalls or reason, seconds)`` per profile, for tables."""
        out = []
        for r in self.results:
            if r.status in ("failed", "not_run"):
                detail = r.reason or ""
            else:
                detail = ", ".join(r.shortfalls) or "none"
            out.append((r.id, r.status, detail, f"{r.seconds:.1f}"))
        return out

    def to_json(self) -> str:
        """The machine-readable summary (``summary.json``)."""
        data = {
            "summary_version": SUMMARY_VERSION,
            "started": self.started,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "interrupted": self.interrupted,
            "out_dir": self.out_dir,
            "options": self.options.model_dump(mode="json"),
            "counts": self.counts,
            "profiles": [r.model_dump(mode="json") for r in self.results],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def to_csv(self) -> str:
        """One row per profile (``summary.csv``); shortfalls joined with ``; ``."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(SUMMARY_COLUMNS)
        for r in self.results:
            row = r.model_dump()
            row["n_shortfalls"] = len(r.shortfalls)
            row["shortfalls"] = "; ".join(r.shortfalls)
            writer.writerow("" if row[c] is None else row[c] for c in SUMMARY_COLUMNS)
        return buf.getvalue()


@dataclass(frozen=True)
class BatchProgress:
    """Counts passed to the progress callback after every finished profile (and once at the start)."""

    total: int
    ok: int
    failed: int
    skipped: int
    elapsed: float
    last: JobResult | None = None

    @property
    def finished(self) -> int:
        """Profiles with an outcome (ok, failed or skipped)."""
        return self.ok + self.failed + self.skipped

    @property
    def remaining(self) -> int:
        """Profiles still to plan."""
        return self.total - self.finished


# --- reading jobs ---------------------------------------------------------------------------------


def load_jobs(path: str | Path) -> list[BatchJob]:
    """Read the profiles of a batch: a folder of profile files, a CSV or a JSONL file.

    A profile that cannot be read becomes a job with ``error`` set (naming file, row and field); it
    never stops the others. A profile whose id repeats an earlier one (ids name the plan files;
    compared ignoring case, as file systems on macOS and Windows do) fails with the first one's source.

    Args:
        path: A folder, ``.csv``, ``.jsonl``/``.ndjson``, or a single profile file.

    Returns:
        The jobs, in file-name order for a folder and row order for CSV and JSONL.

    Raises:
        InputError: The path does not exist, is of an unknown kind, holds no profiles, or a CSV
            header has unknown or repeated columns.
    """
    path = Path(path)
    if path.is_dir():
        jobs = read_profile_folder(path)
    elif not path.exists():
        raise InputError(f"{path}: no such file or folder; give a folder of profiles, a .csv or a .jsonl file")
    elif path.suffix.lower() == ".csv":
        jobs = read_profile_csv(path)
    elif path.suffix.lower() in JSONL_SUFFIXES:
        jobs = read_profile_jsonl(path)
    elif path.suffix.lower() in PROFILE_SUFFIXES:
        jobs = [_job_from_file(path)]
    else:
        raise InputError(
            f"{path}: unknown batch input {path.suffix or '(no extension)'!r}; allowed: a folder of "
            f"{'/'.join(PROFILE_SUFFIXES)} files, .csv, {', '.join(JSONL_SUFFIXES)}"
        )
    if not jobs:
        raise InputError(f"{path}: no profiles found; nothing to plan")
    return _fail_duplicates(jobs)


def read_profile_folder(folder: Path) -> list[BatchJob]:
    """One job per profile file (``.yaml``/``.yml``/``.toml``/``.json``) in ``folder``, not recursive.

    Hidden files are ignored, as are other files (a README next to the profiles).
    """
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in PROFILE_SUFFIXES
    )
    if not files:
        raise InputError(f"{folder}: no profile files (looked for {', '.join(PROFILE_SUFFIXES)}); nothing to plan")
    return [_job_from_file(p) for p in files]


def _job_from_file(path: Path) -> BatchJob:
    try:
        profile = load_profile(path)
    except MealplanError as exc:
        return BatchJob(id=path.stem, source=str(path), error=str(exc))
    return BatchJob(id=profile.id, source=str(path), profile=profile)


def read_profile_jsonl(path: Path) -> list[BatchJob]:
    """One job per non-blank line of a JSONL file; each line is one profile object."""
    jobs: list[BatchJob] = []
    for line_no, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path} line {line_no}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            jobs.append(BatchJob(id=f"line{line_no}", source=source, error=f"{source}: not valid JSON: {exc.msg}"))
            continue
        except RecursionError:
            reason = f"{source}: not a profile: nested too deeply (one flat JSON object per line)"
            jobs.append(BatchJob(id=f"line{line_no}", source=source, error=reason))
            continue
        jobs.append(_job_from_dict(data, source, f"line{line_no}", path.parent))
    return jobs


def read_profile_csv(path: Path) -> list[BatchJob]:
    """One job per data row of a CSV (a spreadsheet export); see the module docstring for the columns.

    Raises:
        InputError: The file is empty or its header has unknown or repeated columns (every problem
            listed), since such a header would fail every row the same way.
    """
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: the CSV is empty; its first row must name the profile fields") from None
    columns = _csv_columns(path, header)
    id_col = next((i for i, (field, bound) in enumerate(columns) if field == "id" and bound is None), None)
    jobs: list[BatchJob] = []
    for cells in reader:
        row = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        source = f"{path} row {row}"
        if len(cells) != len(header):
            reason = (
                f"{source}: has {len(cells)} cells but the header has {len(header)} columns "
                "(a cell that contains a comma must be in double quotes)"
            )
            label = cells[id_col].strip() if id_col is not None and id_col < len(cells) else ""
            jobs.append(BatchJob(id=label or f"row{row}", source=source, error=reason))
            continue
        data: dict[str, Any] = {}
        for (field, bound), cell in zip(columns, cells, strict=True):
            cell = cell.strip()
            if not cell:
                continue
            if bound is None:
                data[field] = cell
            else:
                data.setdefault("nutrients", {}).setdefault(field, {})[bound] = cell
        jobs.append(_job_from_dict(data, source, f"row{row}", path.parent))
    return jobs


def _csv_columns(path: Path, header: list[str]) -> list[tuple[str, str | None]]:
    """Each header cell as ``(profile field, None)`` or ``(nutrient id, "min"|"max")``."""
    from mealplan.food_data.nutrients import resolve

    fields = [f for f in Profile.model_fields if f != "nutrients"]
    columns: list[tuple[str, str | None]] = []
    problems: list[str] = []
    for number, raw in enumerate(header, start=1):
        name = raw.strip().lstrip("\ufeff").lower().replace(" ", "_")
        if name in fields:
            columns.append((name, None))
            continue
        stem, _, bound = name.rpartition("_")
        found = resolve(stem) if stem and bound in ("min", "max") else None
        if found is None:
            problems.append(
                f"column {number} {raw!r}: unknown column; allowed: {', '.join(fields)}, "
                "or <nutrient>_min / <nutrient>_max (e.g. magnesium_min)"
            )
            columns.append(("", None))
            continue
        columns.append((found.id, bound))
    seen: dict[tuple[str, str | None], int] = {}
    for number, col in enumerate(columns, start=1):
        if col[0] and col in seen:
            what = col[0] if col[1] is None else f"{col[0]} {col[1]}"
            problems.append(f"column {number} {header[number - 1]!r}: repeats column {seen[col]} ({what})")
        seen.setdefault(col, number)
    if problems:
        raise InputError(f"{path}: the header row has problems:", problems)
    return columns


def _job_from_dict(data: Any, source: str, fallback_id: str, base_dir: Path) -> BatchJob:
    raw_id = data.get("id") if isinstance(data, dict) else None
    label = str(raw_id) if isinstance(raw_id, str | int) and str(raw_id).strip() else fallback_id
    try:
        profile = profile_from_dict(data, source=source, base_dir=base_dir)
    except MealplanError as exc:
        return BatchJob(id=label, source=source, error=str(exc))
    return BatchJob(id=profile.id, source=source, profile=profile)


def _read_text(path: Path) -> str:
    return read_user_text(
        path, "batch input", allowed="split a large batch into several files", max_bytes=MAX_INPUT_BYTES
    )


def _fail_duplicates(jobs: list[BatchJob]) -> list[BatchJob]:
    first: dict[str, BatchJob] = {}
    out: list[BatchJob] = []
    for job in jobs:
        if job.profile is None:
            out.append(job)
            continue
        key = job.id.casefold()
        if key in first:
            earlier = first[key]
            reason = (
                f"{job.source}: duplicate id {job.id!r} (already used by {earlier.source}); ids name "
                "the plan files, so each profile needs its own id"
            )
            out.append(job.model_copy(update={"profile": None, "error": reason}))
            continue
        first[key] = job
        out.append(job)
    return out


# --- fingerprints and files -----------------------------------------------------------------------


def _sha256_file(path: Path, h: Any) -> None:
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)


def _hash_path(path: Path, h: Any) -> None:
    """Hash a file's content, or every file under a folder (relative names and contents)."""
    if path.is_dir():
        for p in sorted(q for q in path.rglob("*") if q.is_file()):
            h.update(str(p.relative_to(path)).encode() + b"\0")
            _sha256_file(p, h)
    elif path.is_file():
        _sha256_file(path, h)
    else:
        h.update(b"<missing>")


def _mealplan_version() -> str:
    try:
        from importlib.metadata import version

        return version("mealplan")
    except Exception:  # noqa: BLE001 - a source tree without installed metadata
        return "unknown"


def food_sources_digest(options: BatchOptions) -> str:
    """A hash of the food tables' contents: the bundled data files (if used) and each ``--foods`` path."""
    h = hashlib.sha256()
    if options.bundled:
        from mealplan import food_data

        h.update(b"bundled\0")
        _hash_path(Path(food_data.__file__).parent / "data", h)
    for p in options.foods:
        h.update(b"\0foods\0")
        _hash_path(Path(p), h)
    for p in options.dishes:
        h.update(b"\0dishes\0")
        _hash_path(Path(p), h)
    return h.hexdigest()


def input_fingerprint(profile: Profile, options: BatchOptions, foods_digest: str) -> str:
    """A hash of everything a plan depends on: profile, price table, options, foods and version.

    Food tables are identified by content (``foods_digest``), not by path, so moving a table keeps
    plans valid and editing one invalidates them.
    """
    h = hashlib.sha256()
    parts = {
        "profile": profile.model_dump(mode="json"),
        "options": options.model_dump(mode="json", exclude={"foods", "bundled"}),
        "foods": foods_digest,
        "mealplan": _mealplan_version(),
    }
    h.update(json.dumps(parts, sort_keys=True).encode())
    if profile.prices is not None:
        h.update(b"\0prices\0")
        _hash_path(Path(profile.prices), h)
    return h.hexdigest()


@functools.cache
def plan_path(out_dir: Path, job_id: str) -> Path:
    """Where a profile's plan goes: ``<out_dir>/<id>.json``."""
    return Path(out_dir) / f"{job_id}.json"


def fingerprint_path(out_dir: Path, job_id: str) -> Path:
    """The plan's fingerprint sidecar: ``<out_dir>/<id>.fingerprint``."""
    return Path(out_dir) / f"{job_id}{FINGERPRINT_SUFFIX}"


def existing_plan(out_dir: Path, job_id: str, fingerprint: str):
    """The plan already in ``out_dir`` for this profile, if it is complete and made from the same inputs.

    A plan counts when ``<id>.json`` parses as a Plan for this profile id, and ``<id>.fingerprint``
    records the same input fingerprint and the hash of exactly that plan file. Temporary files
    (``.<id>.json.*.tmp``) never count.

    Returns:
        The ``optimizer.plan.Plan``, or None.
    """
    from mealplan.optimizer.plan import Plan

    plan_file, fp_file = plan_path(out_dir, job_id), fingerprint_path(out_dir, job_id)
    try:
        meta = json.loads(fp_file.read_text(encoding="utf-8"))
        raw = plan_file.read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("input") != fingerprint:
        return None
    if meta.get("plan_sha256") != hashlib.sha256(raw).hexdigest():
        return None
    try:
        plan = Plan.model_validate_json(raw)
    except ValidationError:
        return None
    return plan if plan.profile_id == job_id else None


def stale_temp_files(out_dir: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Temporary files of interrupted writes in ``out_dir`` that are older than ``older_than`` seconds.

    Younger ones may belong to a batch still writing into the same folder and are left alone.
    """
    now = time.time()
    found = []
    for p in Path(out_dir).glob(f".*{TEMP_SUFFIX}"):
        try:
            if now - p.stat().st_mtime > older_than:
                found.append(p)
        except FileNotFoundError:
            continue
    return sorted(found)


def _write_plan(out_dir: Path, job: BatchJob, fingerprint: str, plan_json: str) -> Path:
    """Write the plan, then its fingerprint: a crash between the two leaves a mismatch, so resume re-plans."""
    raw = plan_json.encode("utf-8")
    target = plan_path(out_dir, job.id)
    write_atomic(target, raw)
    meta = {
        "profile_id": job.id,
        "input": fingerprint,
        "plan_sha256": hashlib.sha256(raw).hexdigest(),
        "source": job.source,
    }
    write_atomic(fingerprint_path(out_dir, job.id), json.dumps(meta, indent=2) + "\n")
    return target


def write_summary(summary: BatchSummary, out_dir: Path) -> tuple[Path, Path]:
    """Write ``summary.json`` and ``summary.csv`` atomically into ``out_dir``."""
    out_dir = Path(out_dir)
    paths = (out_dir / "summary.json", out_dir / "summary.csv")
    write_atomic(paths[0], summary.to_json())
    write_atomic(paths[1], summary.to_csv())
    return paths


# --- the worker side ------------------------------------------------------------------------------

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


def shortfall_labels(plan: Any) -> list[str]:
    """One label per short nutrient, worst first: ``"vitamin_d 64%"`` or ``"potassium 88% (3 days)"``."""
    worst: dict[str, float] = {}
    scopes: dict[str, int] = {}
    for s in plan.shortfalls:
        worst[s.nutrient] = min(worst.get(s.nutrient, float("inf")), s.pct_of_target)
        scopes[s.nutrient] = scopes.get(s.nutrient, 0) + 1
    out = []
    for nutrient in sorted(worst, key=lambda n: (worst[n], n)):
        label = f"{nutrient} {worst[nutrient]:.0f}%"
        if scopes[nutrient] > 1:
            label += f" ({scopes[nutrient]} days)"
        out.append(label)
    return out


def run_job(
    job: BatchJob, options: BatchOptions, plan_fn: PlanFn | None = None, verify_fn: VerifyFn | None = None
) -> WorkerOutput:
    """Plan and verify one profile (runs in a worker). Every exception becomes a failed result.

    Args:
        job: A job with a profile.
        options: The batch options.
        plan_fn: Called as ``plan_fn(profile, foods, days=, objective=, time_limit=, gap=, solver=,
            threads=1)`` and returns a Plan; ``optimizer.planner.make_plan`` when None.
        verify_fn: Called as ``verify_fn(plan, foods)`` and returns a report with ``ok`` and
            ``problems``; ``optimizer.verify.verify_plan`` when None.
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
        if job.profile is None:
            return WorkerOutput(result=result("failed", reason=job.error or "no profile"))
        if plan_fn is None:
            from mealplan.optimizer.planner import make_plan as plan_fn
        if verify_fn is None:
            from mealplan.optimizer.verify import verify_plan as verify_fn
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
            problems = list(report.problems)
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            reason = "the plan failed verification: " + "; ".join(str(p) for p in problems[:5]) + more
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


# --- executors ------------------------------------------------------------------------------------


def process_pool_factory(workers: int | None = None) -> ExecutorFactory:
    """A factory of local process pools with ``workers`` processes (default: all cores).

    Workers are started by ``forkserver`` where available (else ``spawn``): forking the driver, which
    runs threads (progress display, pool management), could deadlock a child.
    """
    n = workers or os.cpu_count() or 1
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"

    def factory() -> Executor:
        ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            # Import the planner once in the fork server; each worker then starts without re-importing
            # pandas and pulp (the setting only takes effect before the server first starts).
            ctx.set_forkserver_preload(["mealplan.optimizer.batch", "mealplan.optimizer.planner"])
        return ProcessPoolExecutor(max_workers=n, mp_context=ctx)

    return factory


@contextmanager
def dask_executor(address: str, timeout: float = 10.0) -> Iterator[tuple[ExecutorFactory, int]]:
    """Connect to a Dask scheduler; yields an executor factory and the cluster's thread count.

    Needs the optional extra: ``pip install "mealplan[distributed]"``. Workers need mealplan installed.

    Raises:
        InputError: dask.distributed is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            f'--scheduler {address}: Dask is not installed; install it with: pip install "mealplan[distributed]"'
        ) from None
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"--scheduler {address}: cannot connect to the Dask scheduler ({exc}); give its address as "
            "tcp://host:8786 and check that it is running"
        ) from exc
    try:
        threads = sum(client.nthreads().values()) or 1
        # pure=False: every submission runs, even one equal to an earlier (failed) one.
        yield functools.partial(client.get_executor, pure=False), threads
    finally:
        client.close()


def _shutdown(executor: Executor, cancel: bool) -> None:
    if cancel:
        # On an interrupt, stop local workers now rather than wait for their solves to finish
        # (a ProcessPoolExecutor's exit handler would join them).
        for proc in list((getattr(executor, "_processes", None) or {}).values()):
            proc.terminate()
    try:
        executor.shutdown(wait=not cancel, cancel_futures=cancel)
    except TypeError:  # executors without cancel_futures (dask's ClientExecutor)
        executor.shutdown(wait=not cancel)


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
) -> BatchSummary:
    """Plan every job, write plans and the summary into ``out_dir``, and return the summary.

    At most ``workers`` profiles are in flight at once. When a process pool breaks (a worker died,
    e.g. killed or out of memory), the profiles that were in flight are suspects: the pool is
    re-created and each suspect runs again alone, so only the profile that kills a worker on its
    own is marked failed ("the worker process died ..."); the rest continue. On an interrupt
    (Ctrl-C) the pool is cancelled, the summary is written with unfinished profiles as
    ``not_run``, and the interrupt propagates; finished plans are already complete on disk.

    Args:
        jobs: From :func:`load_jobs`.
        out_dir: Output folder (created if missing).
        executor_factory: Returns a ``concurrent.futures.Executor``; called again after a pool
            breaks. Default: :func:`process_pool_factory` with ``workers`` processes.
        options: Planning options for every profile.
        workers: Profiles in flight at once; default ``os.cpu_count()`` (a local pool's size; for a
            Dask cluster, its thread count).
        resume: Skip profiles whose plan in ``out_dir`` is complete and made from the same inputs
            (:func:`existing_plan`); also removes stale temporary files of interrupted writes.
        plan_fn: The planning function (default ``make_plan``); must be picklable by reference.
        verify_fn: The verification function (default ``verify_plan``).
        progress: Called in this thread with a :class:`BatchProgress` at the start and after each profile.

    Returns:
        The summary (also written to ``summary.json`` and ``summary.csv``).

    Raises:
        InputError: ``out_dir`` cannot be used as a folder.
    """
    options = options or BatchOptions()
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"-o {out_dir}: exists and is not a folder; give a folder for the plans")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"-o {out_dir}: cannot create the output folder: {exc}") from exc
    window = max(1, workers or os.cpu_count() or 1)
    factory = executor_factory or process_pool_factory(window)
    clock = time.perf_counter()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    if resume:
        for tmp in stale_temp_files(out_dir):
            log.info("removing %s, left by an interrupted write", tmp)
            tmp.unlink(missing_ok=True)

    results: dict[int, JobResult] = {}
    counts = {"ok": 0, "failed": 0, "skipped": 0}

    def record(i: int, res: JobResult) -> None:
        results[i] = res
        counts[res.status] += 1

    queue: deque[_Pending] = deque()
    digest = food_sources_digest(options) if any(j.profile is not None for j in jobs) else ""
    for i, job in enumerate(jobs):
        if job.profile is None:
            record(i, JobResult(id=job.id, source=job.source, status="failed", reason=job.error))
            continue
        fp = input_fingerprint(job.profile, options, digest)
        kept = existing_plan(out_dir, job.id, fp) if resume else None
        if kept is not None:
            kept_result = JobResult(
                id=job.id,
                source=job.source,
                status="skipped",
                reason="a plan from the same inputs is already in the output folder",
                shortfalls=shortfall_labels(kept),
                solve_status=kept.solve.status.value,
                plan_file=str(plan_path(out_dir, job.id)),
            )
            record(i, kept_result)
        else:
            queue.append(_Pending(i, job, fp))

    def report(last: JobResult | None) -> None:
        if progress is not None:
            progress(BatchProgress(total=len(jobs), elapsed=time.perf_counter() - clock, last=last, **counts))

    def summary(interrupted: bool) -> BatchSummary:
        rows = [
            results.get(i) or JobResult(id=j.id, source=j.source, status="not_run", reason="the batch was interrupted")
            for i, j in enumerate(jobs)
        ]
        return BatchSummary(
            results=rows,
            options=options,
            out_dir=str(out_dir),
            started=started,
            elapsed_seconds=time.perf_counter() - clock,
            interrupted=interrupted,
        )

    def finish(p: _Pending, out: WorkerOutput) -> None:
        res = out.result
        if res.status == "ok" and out.plan_json is not None:
            try:
                target = _write_plan(out_dir, p.job, p.fingerprint, out.plan_json)
                res = res.model_copy(update={"plan_file": str(target)})
            except OSError as exc:
                res = res.model_copy(update={"status": "failed", "reason": f"cannot write the plan: {exc}"})
        record(p.index, res)
        report(res)

    def fail(p: _Pending, reason: str) -> None:
        res = JobResult(id=p.job.id, source=p.job.source, status="failed", reason=reason)
        record(p.index, res)
        report(res)

    def submit(p: _Pending) -> bool:
        """Start ``p``; False when the pool broke meanwhile (its in-flight futures will say so)."""
        nonlocal executor
        if executor is None:
            executor = factory()
        try:
            in_flight[executor.submit(run_job, p.job, options, plan_fn, verify_fn)] = p
        except BrokenExecutor:
            if in_flight:
                return False
            # Nothing in flight is left to report the break: start a fresh pool for this job.
            _shutdown(executor, cancel=True)
            executor = factory()
            in_flight[executor.submit(run_job, p.job, options, plan_fn, verify_fn)] = p
        return True

    report(None)
    quarantine: deque[_Pending] = deque()
    in_flight: dict[Future, _Pending] = {}
    executor: Executor | None = None
    try:
        while queue or quarantine or in_flight:
            # After a crash, suspects run one at a time, alone; otherwise keep `window` jobs running.
            if quarantine:
                if not in_flight:
                    p = quarantine.popleft()
                    p.alone = True
                    submit(p)
            else:
                while queue and len(in_flight) < window:
                    p = queue.popleft()
                    if not submit(p):
                        queue.appendleft(p)
                        break
            done, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
            suspects: list[tuple[_Pending, BaseException]] = []
            for fut in done:
                p = in_flight.pop(fut)
                try:
                    finish(p, fut.result())
                except BrokenExecutor as exc:
                    suspects.append((p, exc))
                except CancelledError:
                    fail(p, "the worker cancelled this profile")
                except Exception as exc:  # noqa: BLE001 - e.g. dask's KilledWorker, a pickling error
                    fail(p, f"the worker failed: {type(exc).__name__}: {exc}")
            if not suspects:
                continue
            # The pool is broken: every job still in flight is lost with it.
            for fut, p in list(in_flight.items()):
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    finish(p, fut.result())
                else:
                    suspects.append((p, suspects[0][1]))
            in_flight.clear()
            if executor is not None:
                _shutdown(executor, cancel=True)
            executor = None
            lone = len(suspects) == 1
            for p, exc in suspects:
                if p.alone or lone:
                    fail(
                        p,
                        f"the worker process died while planning this profile ({type(exc).__name__}: {exc})",
                    )
                else:
                    quarantine.append(p)
            if quarantine:
                log.warning("a worker process died; re-running %d profiles one at a time", len(quarantine))
    except BaseException:
        if executor is not None:
            _shutdown(executor, cancel=True)
        executor = None
        write_summary(summary(interrupted=True), out_dir)
        raise
    finally:
        if executor is not None:
            _shutdown(executor, cancel=False)
    result = summary(interrupted=False)
    write_summary(result, out_dir)
    return result


__all__ = [
    "BatchJob",
    "BatchOptions",
    "BatchProgress",
    "BatchSummary",
    "JobResult",
    "WorkerOutput",
    "dask_executor",
    "existing_plan",
    "food_sources_digest",
    "input_fingerprint",
    "load_jobs",
    "process_pool_factory",
    "run_batch",
    "run_job",
    "stale_temp_files",
    "write_atomic",
    "write_summary",
]
