"""Reading a batch's profiles: a folder of profile files, a CSV with one row per person, or JSONL.

Row numbers are spreadsheet rows (the header is row 1); see :mod:`mealplan.batch` for the formats.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mealplan.batch.models import BatchJob
from mealplan.errors import InputError, MealplanError
from mealplan.fileio import FILE_ID, load_user_json, read_csv_table, read_user_text
from mealplan.targets.household import Household, load_profile_or_household
from mealplan.targets.profile import PROFILE_SUFFIXES, Profile
from mealplan.targets.profile_files import profile_from_dict

JSONL_SUFFIXES = (".jsonl", ".ndjson")
# A CSV or JSONL of profiles larger than this is refused rather than read into memory (a 100,000-person
# clinic CSV is about 10 MB).
MAX_INPUT_BYTES = 200 * 1024 * 1024

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
        loaded = load_profile_or_household(path)
    except MealplanError as exc:
        return BatchJob(id=path.stem, source=str(path), error=str(exc))
    if isinstance(loaded, Household):
        return BatchJob(id=loaded.id, source=str(path), household=loaded)
    return BatchJob(id=loaded.id, source=str(path), profile=loaded)


def read_profile_jsonl(path: Path) -> list[BatchJob]:
    """One job per non-blank line of a JSONL file; each line is one profile object."""
    jobs: list[BatchJob] = []
    # Lines end at "\n" only: a JSON string may hold U+2028 or a form feed, which str.splitlines splits at.
    for line_no, line in enumerate(_read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        source = f"{path} line {line_no}"
        try:
            data = load_user_json(line)
        except json.JSONDecodeError as exc:
            jobs.append(
                BatchJob(id=fallback_id("line", line_no), source=source, error=f"{source}: not valid JSON: {exc.msg}")
            )
            continue
        except RecursionError:
            reason = f"{source}: not a profile: nested too deeply (one flat JSON object per line)"
            jobs.append(BatchJob(id=fallback_id("line", line_no), source=source, error=reason))
            continue
        jobs.append(_job_from_dict(data, source, fallback_id("line", line_no), path.parent))
    return jobs


def fallback_id(kind: str, number: int) -> str:
    """What a profile that cannot be read is called in the summary: ``(row 11)``, ``(line 2)``.

    The brackets and the space keep it apart from every real profile id (ids are letters, digits, '_',
    '.' and '-'), so a broken row never shares a name with a profile that planned."""
    return f"({kind} {number})"


def read_profile_csv(path: Path) -> list[BatchJob]:
    """One job per data row of a CSV (a spreadsheet export); see the module docstring for the columns.

    Every row is a job, or a failed one naming its row: a stray double quote fails its own row (with
    the column), never the rows after it (:func:`mealplan.fileio.read_csv_table`, the one CSV reader).

    Raises:
        InputError: The file is empty or its header has unknown or repeated columns (every problem
            listed), since such a header would fail every row the same way.
    """
    table = read_csv_table(
        path, "batch input", allowed="split a large batch into several files", max_bytes=MAX_INPUT_BYTES
    )
    if not table.header or not any(c.strip() for c in table.header):
        if table.broken:
            raise InputError(table.broken[0].message(str(path)))
        raise InputError(f"{path}: the CSV is empty; its first row must name the profile fields")
    header = table.header
    columns = _csv_columns(path, header)
    id_col = next((i for i, (field, bound) in enumerate(columns) if field == "id" and bound is None), None)
    jobs: list[tuple[int, BatchJob]] = []
    for broken in table.broken:
        source = f"{path} row {broken.row}"
        jobs.append(
            (broken.row, BatchJob(id=fallback_id("row", broken.row), source=source, error=broken.message(str(path))))
        )
    for row, cells in ((r.row, r.cells) for r in table.rows):
        source = f"{path} row {row}"
        if len(cells) != len(header) and not (
            len(cells) > len(header) and not any(c.strip() for c in cells[len(header) :])
        ):
            reason = (
                f"{source}: has {len(cells)} cells but the header has {len(header)} columns "
                "(a cell that contains a comma must be in double quotes)"
            )
            label = cells[id_col].strip() if id_col is not None and id_col < len(cells) else ""
            label = label if FILE_ID.fullmatch(label) else fallback_id("row", row)
            jobs.append((row, BatchJob(id=label, source=source, error=reason)))
            continue
        data: dict[str, Any] = {}
        for (field, bound), cell in zip(columns, cells, strict=False):
            cell = cell.strip()
            if not cell:
                continue
            if bound is None:
                data[field] = cell
            else:
                data.setdefault("nutrients", {}).setdefault(field, {})[bound] = cell
        jobs.append((row, _job_from_dict(data, source, fallback_id("row", row), path.parent)))
    return [job for _, job in sorted(jobs, key=lambda rj: rj[0])]


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


def _job_from_dict(data: Any, source: str, fallback: str, base_dir: Path) -> BatchJob:
    raw_id = data.get("id") if isinstance(data, dict) else None
    label = str(raw_id).strip() if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else ""
    try:
        profile = profile_from_dict(data, source=source, base_dir=base_dir)
    except MealplanError as exc:
        # A profile that fails keeps its own id when that is one (the summary names it), else the row.
        return BatchJob(id=label if FILE_ID.fullmatch(label) else fallback, source=source, error=str(exc))
    return BatchJob(id=profile.id, source=source, profile=profile)


def _read_text(path: Path) -> str:
    return read_user_text(
        path, "batch input", allowed="split a large batch into several files", max_bytes=MAX_INPUT_BYTES
    )


def _fail_duplicates(jobs: list[BatchJob]) -> list[BatchJob]:
    first: dict[str, BatchJob] = {}
    out: list[BatchJob] = []
    for job in jobs:
        if not job.ready:
            out.append(job)
            continue
        key = job.id.casefold()
        if key in first:
            earlier = first[key]
            reason = (
                f"{job.source}: duplicate id {job.id!r} (already used by {earlier.source}); ids name "
                "the plan files, so each profile needs its own id"
            )
            out.append(job.model_copy(update={"profile": None, "household": None, "error": reason}))
            continue
        first[key] = job
        out.append(job)
    return out
