"""The output folder: plan files, their fingerprints (what ``resume`` compares), stale temporary
files and the summary files."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mealplan.batch.models import BatchJob, BatchOptions, BatchSummary
from mealplan.errors import InputError
from mealplan.fileio import TEMP_SUFFIX, id_path, write_atomic
from mealplan.targets.household import Household
from mealplan.targets.profile import Profile

FINGERPRINT_SUFFIX = ".fingerprint"
SUMMARY_NAMES = ("summary.json", "summary.csv")
# A temporary file is written and renamed within milliseconds; one older than this was left by a
# process that died mid-write and is removed by ``resume``.
STALE_TEMP_SECONDS = 600.0

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


def household_fingerprint(household: Household, options: BatchOptions, foods_digest: str) -> str:
    """:func:`input_fingerprint` of a household: its file, every member's profile and price table, the
    household's prices and pantry, the options, foods and version."""
    h = hashlib.sha256()
    parts = {
        "household": household.id,
        "members": [p.model_dump(mode="json") for p in household.members],
        "options": options.model_dump(mode="json", exclude={"foods", "bundled"}),
        "foods": foods_digest,
        "mealplan": _mealplan_version(),
    }
    h.update(json.dumps(parts, sort_keys=True).encode())
    for name, path in [("file", household.source), ("prices", household.prices), ("pantry", household.pantry),
                       *(("prices", p.prices) for p in household.members)]:  # fmt: skip
        if path is not None:
            h.update(b"\0" + name.encode() + b"\0")
            _hash_path(Path(path), h)
    return h.hexdigest()


@functools.cache
def plan_path(out_dir: Path, job_id: str) -> Path:
    """Where a profile's plan goes: ``<out_dir>/<id>.json`` (an id that is a path is refused: :func:`id_path`)."""
    return id_path(out_dir, job_id, ".json", what="profile id")


def fingerprint_path(out_dir: Path, job_id: str) -> Path:
    """The plan's fingerprint sidecar: ``<out_dir>/<id>.fingerprint``."""
    return id_path(out_dir, job_id, FINGERPRINT_SUFFIX, what="profile id")


def existing_plan(out_dir: Path, job_id: str, fingerprint: str):
    """The plan already in ``out_dir`` for this profile, if it is complete and made from the same inputs.

    A plan counts when ``<id>.json`` parses as a Plan for this profile id (a HouseholdPlan for a
    household's), and ``<id>.fingerprint`` records the same input fingerprint and the hash of exactly
    that plan file. Temporary files (``.<id>.json.*.tmp``) never count.

    Returns:
        The ``mealplan.plan.Plan`` (or ``mealplan.household_plan.HouseholdPlan``), or None.
    """
    from mealplan.household_plan import HouseholdPlan, is_household_plan
    from mealplan.plan import Plan

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
        data = json.loads(raw)
        if is_household_plan(data):
            home = HouseholdPlan.model_validate(data)
            return home if home.household_id == job_id else None
        plan = Plan.model_validate(data)
    except (ValidationError, ValueError):
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


def write_plan(out_dir: Path, job: BatchJob, fingerprint: str, plan_json: str) -> Path:
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
    paths = (out_dir / SUMMARY_NAMES[0], out_dir / SUMMARY_NAMES[1])
    write_atomic(paths[0], summary.to_json())
    write_atomic(paths[1], summary.to_csv())
    return paths


def check_output_folder(
    out_dir: Path, jobs: Sequence[BatchJob], options: BatchOptions, inputs: Sequence[str | Path] = ()
) -> None:
    """Refuse an output folder the batch cannot write, or one where it would overwrite its own input.

    Checked before any profile is planned: a file is created and removed in ``out_dir`` (so a
    read-only folder fails now, not after an hour of planning), and no input (``inputs``, each job's
    source file, profiles' price tables, ``--foods`` and ``--dishes`` files) may be a file the batch
    writes (``<id>.json``, ``<id>.fingerprint``, ``summary.json``, ``summary.csv``).

    Raises:
        InputError: naming the folder, the file and what to do.
    """
    try:
        fd, probe = tempfile.mkstemp(prefix=".mealplan-write-check.", suffix=".tmp", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(
            f"-o {out_dir}: cannot write in the output folder ({exc.strerror or exc}); give a folder you can write to"
        ) from None
    written: dict[str, str] = {name: "the batch summary" for name in SUMMARY_NAMES}
    for job in jobs:
        written[f"{job.id}.json".casefold()] = f"the plan of profile {job.id!r}"
        written[f"{job.id}{FINGERPRINT_SUFFIX}".casefold()] = f"the fingerprint of profile {job.id!r}"
    candidates = [Path(p) for p in inputs] + [Path(p) for p in (*options.foods, *options.dishes)]
    for job in jobs:
        candidates.append(Path(job.source))
        if job.profile is not None and job.profile.prices is not None:
            candidates.append(Path(job.profile.prices))
        if job.household is not None:
            members = [p.prices for p in job.household.members]
            candidates += [Path(p) for p in (job.household.prices, job.household.pantry, *members) if p is not None]
    try:
        folder = out_dir.resolve()
    except OSError:
        return
    for path in candidates:
        try:
            real = path.resolve()
            if not real.is_file() or real.parent != folder:
                continue
        except OSError:
            continue
        what = written.get(real.name.casefold())
        if what is not None:
            raise InputError(
                f"-o {out_dir}: the batch would overwrite its input {path} with {what}; write the plans to "
                "another folder"
            )
