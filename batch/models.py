"""The batch's data: options, jobs, per-profile results, the summary and progress counts."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from concurrent.futures import (
    Executor,
)
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mealplan.targets.household import Household
from mealplan.targets.profile import Profile
from mealplan.textsafe import csv_writer

SUMMARY_VERSION = "1"
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


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True, allow_inf_nan=False)


class BatchOptions(_Frozen):
    """Planning options shared by every profile of a batch (the solver always runs one thread)."""

    days: int = Field(1, ge=1, le=28)
    foods: tuple[str, ...] = Field(default=(), description="extra food tables (--foods)")
    dishes: tuple[str, ...] = Field(default=(), description="extra dish files (--dishes)")
    bundled: bool = True
    time_limit: float = Field(default=30.0, gt=0, le=86_400)
    gap: float = Field(default=0.01, ge=0, lt=1)
    objective: Literal["shortfall", "cost"] = "shortfall"
    solver: Literal["highs", "cbc"] = "highs"


class BatchJob(_Frozen):
    """One profile to plan, a household (a household file in a batch folder: its members planned together), or
    the reason it cannot be read (``error``)."""

    id: str
    source: str
    profile: Profile | None = None
    household: Household | None = None
    error: str | None = None

    @property
    def ready(self) -> bool:
        """Something to plan: a profile or a household."""
        return self.profile is not None or self.household is not None


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
        out: list[tuple[str, str, str, str]] = []
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
        writer = csv_writer(buf, lineterminator="\n")
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
