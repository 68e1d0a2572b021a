"""Batch planning: one plan per profile for many profiles, on a local process pool or a Dask cluster.

The runner takes any ``concurrent.futures``-style executor through a factory (called again when a
process pool breaks), so the same code drives a local :class:`~concurrent.futures.ProcessPoolExecutor`
and ``distributed.Client(...).get_executor()``.

Each profile is one job, planned and verified independently in a worker; a household file in a batch
folder (YAML with ``members:``) is one job too, its members planned together and verified as a household
(:mod:`~mealplan.batch.household`), its plan a ``HouseholdPlan``; the worker sends the plan
back as JSON and the driver writes the files, so workers need no shared file system. A malformed
profile, a plan that fails verification, an exception or a crashed worker marks that profile failed
with its reason and never stops the others.

Files in the output folder:

- ``<id>.json``: the plan (``mealplan.plan.Plan`` JSON), written atomically (a uniquely named
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

Hardening: the output folder is checked before any work (writable; no input file among the files
the batch writes); the id ``summary`` is reserved; SIGTERM is handled like Ctrl-C; local workers end
when the main process does (even killed with SIGKILL); a ``--scheduler`` that is not Dask is reported
within the connection timeout.

Modules: :mod:`~mealplan.batch.models` (options, jobs, results, summary), :mod:`~mealplan.batch.jobs`
(reading profiles), :mod:`~mealplan.batch.outputs` (plan files, fingerprints, summary files, the
output-folder check), :mod:`~mealplan.batch.executors` (process pool, Dask, SIGTERM) and
:mod:`~mealplan.batch.run` (workers, the driver loop), :mod:`~mealplan.batch.household` (a household's job).
"""

from mealplan.batch.executors import dask_executor, process_pool_factory
from mealplan.batch.jobs import load_jobs, read_profile_csv, read_profile_folder, read_profile_jsonl
from mealplan.batch.models import (
    SUMMARY_COLUMNS,
    BatchJob,
    BatchOptions,
    BatchProgress,
    BatchSummary,
    JobResult,
    WorkerOutput,
)
from mealplan.batch.outputs import (
    FINGERPRINT_SUFFIX,
    check_output_folder,
    existing_plan,
    food_sources_digest,
    household_fingerprint,
    input_fingerprint,
    stale_temp_files,
    write_summary,
)
from mealplan.batch.run import run_batch, run_job, worker_foods

__all__ = [
    "FINGERPRINT_SUFFIX",
    "SUMMARY_COLUMNS",
    "BatchJob",
    "BatchOptions",
    "BatchProgress",
    "BatchSummary",
    "JobResult",
    "WorkerOutput",
    "check_output_folder",
    "dask_executor",
    "existing_plan",
    "food_sources_digest",
    "household_fingerprint",
    "input_fingerprint",
    "load_jobs",
    "process_pool_factory",
    "read_profile_csv",
    "read_profile_folder",
    "read_profile_jsonl",
    "run_batch",
    "run_job",
    "stale_temp_files",
    "worker_foods",
    "write_summary",
]
