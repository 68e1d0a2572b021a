"""``mealplan batch``: plan for many profiles at once, on all cores or a Dask cluster.

Only click and cli.common are imported at module level; the optimizer and rich are imported when
the command runs.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mealplan.cli.common import (
    FiniteFloat,
    console,
    dishes_option,
    format_option,
    load_dish_library,
    load_foods,
    note,
    show,
    with_foods_options,
)
from mealplan.textsafe import term_text

if TYPE_CHECKING:
    from rich.console import JustifyMethod


@click.command("batch")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the plans (<id>.json) and summary.json / summary.csv; created if missing.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 28),
    default=1,
    show_default=True,
    help="Days per profile: 1 for a day, 7 for a week, up to 28.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Profiles planned at once. [default: all cores]")
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster (tcp://host:8786) instead of locally.")
@click.option(
    "--time-limit",
    type=FiniteFloat(min=0, min_open=True, max=86_400),
    default=30.0,
    show_default=True,
    help="Solver seconds per profile (per week of a plan longer than 7 days).",
)
@click.option("--resume", is_flag=True, help="Skip profiles whose plan from the same inputs is already in the folder.")
@with_foods_options
@dishes_option
@format_option(("table", "json"))
def batch(
    source: Path,
    out_dir: Path,
    days: int,
    jobs: int | None,
    scheduler: str | None,
    time_limit: float,
    resume: bool,
    foods_paths: tuple[Path, ...],
    no_bundled: bool,
    dishes_paths: tuple[Path, ...],
    fmt: str,
) -> None:
    """Plan for many profiles at once, on all cores or a Dask cluster.

    SOURCE is a folder of profile files, a CSV (one row per person) or JSONL. Each profile is
    planned and verified on its own: a broken profile or a crashed worker marks that profile failed
    and the others go on. A household file in the folder (YAML with members:) is planned as a
    household, its members together, and reported as one row (--time-limit is per member). Plans are
    written atomically, so an interrupted batch leaves only complete plans, and --resume continues
    from there. CSV columns are profile fields; lists are separated by ";"; nutrient bounds are
    columns like magnesium_min and magnesium_max. Exit code 1 when some profiles failed (see
    summary.csv).

    \b
    Examples:
      mealplan batch examples/batch/ -o plans/ --days 7 --jobs 2
      mealplan batch clients.csv -o plans/ --scheduler tcp://10.0.0.5:8786
      mealplan batch clients.csv -o plans/ --resume
    """
    from mealplan import batch as lib
    from mealplan.errors import InputError

    if source.is_dir() and source.resolve() == out_dir.resolve():
        raise InputError(f"-o {out_dir}: is the input folder; write the plans to another folder")
    if foods_paths or no_bundled or dishes_paths:  # check the files once here, not in every profile
        foods = load_foods(foods_paths, no_bundled)
        if dishes_paths:
            load_dish_library(dishes_paths, foods)
    job_list = lib.load_jobs(source)
    options = lib.BatchOptions(
        days=days,
        foods=tuple(str(p) for p in foods_paths),
        dishes=tuple(str(p) for p in dishes_paths),
        bundled=not no_bundled,
        time_limit=time_limit,
    )
    cluster = lib.dask_executor(scheduler) if scheduler else nullcontext((None, None))
    with cluster as (factory, threads), _progress(len(job_list)) as update:
        summary = lib.run_batch(
            job_list,
            out_dir,
            factory,
            options=options,
            workers=_capped_jobs(jobs, threads, scheduler),
            resume=resume,
            progress=update,
            inputs=[] if source.is_dir() else [source],
        )
    if fmt == "json":
        click.echo(summary.to_json(), nl=False)
    else:
        show([_table(summary)], None)
    counts = summary.counts
    note(
        f"{counts['ok']} planned, {counts['skipped']} kept, {counts['failed']} failed in "
        f"{summary.elapsed_seconds:.1f} s; summary in {out_dir / 'summary.json'} and summary.csv"
    )
    if summary.exit_code:
        click.get_current_context().exit(summary.exit_code)


def _capped_jobs(jobs: int | None, threads: int | None, scheduler: str | None) -> int | None:
    """``--jobs``, at most the cores here (or the cluster's threads): more only costs memory, and says so."""
    from mealplan.batch.executors import local_cores

    most, what = (threads, f"the cluster at {scheduler} has {threads} threads") if scheduler else (
        local_cores(), f"this machine has {local_cores()} cores")  # fmt: skip
    if jobs is None or most is None:
        return jobs or most
    if jobs > most:
        note(f"--jobs {jobs}: {what}; planning {most} profiles at once")
        return most
    return jobs


@contextmanager
def _progress(total: int):
    """A rich progress bar on standard error (terminals only), updated from the runner's callback."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("planning"),
        BarColumn(),
        TextColumn("{task.fields[ok]} done, {task.fields[failed]} failed, {task.fields[left]} remaining"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("batch", total=total, ok=0, failed=0, left=total)

        def update(p: Any) -> None:
            bar.update(task, completed=p.finished, ok=p.ok + p.skipped, failed=p.failed, left=p.remaining)

        yield update


def _table(summary: Any):
    from rich.table import Table

    table = Table(title=f"Batch: {len(summary.results)} profiles")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("profile", "left"),
        ("status", "left"),
        ("shortfalls / reason", "left"),
        ("time s", "right"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    colour = {"ok": "green", "skipped": "cyan", "failed": "red", "not_run": "yellow"}
    for pid, status, detail, seconds in summary.rows():
        table.add_row(term_text(pid), f"[{colour[status]}]{status}[/]", term_text(detail), seconds)
    return table
