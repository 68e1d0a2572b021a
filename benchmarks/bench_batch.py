"""Benchmark: batch planning throughput, --jobs 2 against --jobs 1 in the same run, worker memory.

Plans N profiles (default 100 week plans) with the real planner, once with one worker process and
once with two, alternating per repeat, and prints medians. Profiles are the ``examples/batch``
folder's profiles cycled with varied ids, ages and activity levels, so every run plans the same set.

Peak memory per worker is each worker process's ``resource.getrusage(RUSAGE_SELF).ru_maxrss``
(reported by the workers in their results: the food table, the solver and the largest model).

Usage::

    python benchmarks/bench_batch.py                      # 100 week plans, jobs 1 and 2, 1 repeat
    python benchmarks/bench_batch.py -n 20 --days 1 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mealplan import batch as b  # noqa: E402
from mealplan.optimizer.profile import load_profile  # noqa: E402


def profiles(n: int) -> list[b.BatchJob]:
    """``n`` profiles: the example batch cycled, each copy with its own id, age and activity."""
    base = [
        load_profile(p)
        for p in sorted((ROOT / "examples" / "batch").iterdir())
        if p.suffix in (".yaml", ".toml", ".json")
    ]
    activities = ("sedentary", "low", "active")
    jobs = []
    for i in range(n):
        p = base[i % len(base)]
        round_ = i // len(base)
        # Adults age by three years per round; children and pregnancy keep their life stage.
        age = p.age if (p.pregnant or p.lactating or p.age < 19) else min(p.age + 3 * round_, 90)
        changed = p.model_copy(update={"id": f"{p.id}-{i:03d}", "age": age, "activity": activities[round_ % 3]})
        jobs.append(b.BatchJob(id=changed.id, source=f"bench #{i}", profile=changed))
    return jobs


def run_once(jobs: list[b.BatchJob], workers: int, options: b.BatchOptions) -> tuple[float, b.BatchSummary]:
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as out:
        start = time.perf_counter()
        summary = b.run_batch(jobs, out, options=options, workers=workers)
        return time.perf_counter() - start, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="profiles (default 100)")
    parser.add_argument("--days", type=int, choices=(1, 7), default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (medians over runs)")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()

    jobs = profiles(args.n)
    options = b.BatchOptions(days=args.days, time_limit=args.time_limit)
    print(f"{args.n} profiles x {args.days} day(s), time limit {args.time_limit:g} s, {os.cpu_count()} cores")
    walls: dict[int, list[float]] = defaultdict(list)
    per_profile: dict[int, list[float]] = defaultdict(list)
    rss: dict[int, list[float]] = defaultdict(list)
    failed: dict[int, int] = defaultdict(int)
    for r in range(args.repeat):
        for workers in (1, 2) if r % 2 == 0 else (2, 1):
            wall, summary = run_once(jobs, workers, options)
            walls[workers].append(wall)
            per_profile[workers].extend(x.seconds for x in summary.results if x.status == "ok")
            peaks: dict[str, float] = {}
            for x in summary.results:
                if x.worker and x.peak_rss_mb is not None:
                    peaks[x.worker] = max(peaks.get(x.worker, 0.0), x.peak_rss_mb)
            rss[workers].extend(peaks.values())
            failed[workers] += summary.count("failed")
            print(f"  run {r + 1}, --jobs {workers}: {wall:7.1f} s wall, {summary.counts}")
    print()
    print(
        f"{'jobs':>4} {'wall s (median)':>16} {'profile s (median)':>19} {'profiles/min':>13} "
        f"{'worker peak RSS MB (median/max)':>32} {'failed':>7}"
    )
    for workers in (1, 2):
        wall = statistics.median(walls[workers])
        print(
            f"{workers:>4} {wall:>16.1f} {statistics.median(per_profile[workers] or [0]):>19.2f} "
            f"{60 * args.n / wall:>13.1f} {statistics.median(rss[workers] or [0]):>15.0f} / "
            f"{max(rss[workers] or [0]):<15.0f} {failed[workers]:>7}"
        )
    speedup = statistics.median(walls[1]) / statistics.median(walls[2])
    best = min(walls[1]) / min(walls[2])
    print(f"\nspeed-up of --jobs 2 over --jobs 1: {speedup:.2f}x on medians, {best:.2f}x on best runs (target >= 1.7x)")
    print("memory: resource.getrusage(RUSAGE_SELF).ru_maxrss of each worker process")


if __name__ == "__main__":
    main()
