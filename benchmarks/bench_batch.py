"""Benchmark: batch planning throughput, --jobs 2 against --jobs 1 in the same run, worker memory.

Plans N profiles (default 100 week plans) with the real planner, once with one worker process and
once with two, alternating per repeat, and prints medians. Profiles are the ``examples/batch``
folder's profiles cycled with varied ids, ages and activity levels, so every run plans the same set.

Peak memory per worker is each worker process's ``resource.getrusage(RUSAGE_SELF).ru_maxrss``
(reported by the workers in their results: the food table, the solver and the largest model).

``--generated`` plans seeded random adults instead (age, sex, body, activity, diet, an allergy or
two, dislikes, symptoms and risk factors drawn from the triage vocabulary): the clinic-size run.

Usage::

    python benchmarks/bench_batch.py                      # 100 week plans, jobs 1 and 2, 1 repeat
    python benchmarks/bench_batch.py -n 64 --jobs 1 2 --repeat 2
    python benchmarks/bench_batch.py -n 1000 --days 1 --generated --jobs 2   # 1,000 generated profiles
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mealplan import batch as b  # noqa: E402
from mealplan.targets.profile_files import load_profile, profile_from_dict  # noqa: E402

SYMPTOMS = ("muscle-twitching", "eyelid-twitching", "muscle-cramps", "night-cramps", "muscle-spasms", "fatigue")
FACTORS = ("low-sun", "heavy-sweating", "high-caffeine", "alcohol", "poor-sleep", "low-dairy", "metformin")
ALLERGIES = ("milk", "egg", "fish", "shellfish", "tree_nuts", "peanuts", "gluten", "soy", "sesame")
DISLIKES = ("tofu", "liver", "mushrooms", "broccoli", "sardines", "oats", "beans", "yogurt")


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


def generated(n: int, seed: int = 18) -> list[b.BatchJob]:
    """``n`` seeded random adult profiles; the same ``seed`` gives the same profiles."""
    rng = random.Random(seed)
    jobs = []
    for i in range(n):
        sex = rng.choice(("female", "male"))
        height = rng.gauss(164 if sex == "female" else 177, 7)
        data = {
            "id": f"gen-{i:04d}",
            "age": rng.randint(19, 85),
            "sex": sex,
            "height_cm": round(height),
            "weight_kg": round(rng.uniform(19, 31) * (height / 100) ** 2, 1),
            "activity": rng.choice(("sedentary", "low", "low", "active", "very_active")),
            "diet": rng.choices(("omnivore", "vegetarian", "pescatarian", "vegan"), weights=(6, 2, 1, 1))[0],
            "allergies": rng.sample(ALLERGIES, rng.choice((0, 0, 0, 1, 1, 2))),
            "dislikes": rng.sample(DISLIKES, rng.randint(0, 2)),
            "symptoms": rng.sample(SYMPTOMS, rng.randint(0, 3)),
            "factors": rng.sample(FACTORS, rng.randint(0, 2)),
        }
        jobs.append(b.BatchJob(id=data["id"], source=f"generated #{i}", profile=profile_from_dict(data)))
    return jobs


def run_once(jobs: list[b.BatchJob], workers: int, options: b.BatchOptions) -> tuple[float, b.BatchSummary, int]:
    """Wall time, the summary, and how many ``ok`` profiles have no readable plan file (lost plans)."""
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as out:
        start = time.perf_counter()
        summary = b.run_batch(jobs, out, options=options, workers=workers)
        wall = time.perf_counter() - start
        lost = 0
        for r in summary.results:
            try:
                ok = r.status == "ok" and json.loads((Path(out) / (r.plan_file or "-")).read_text())["days"]
            except (OSError, ValueError, KeyError):
                ok = False
            lost += r.status == "ok" and not ok
        return wall, summary, lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="profiles (default 100)")
    parser.add_argument("--days", type=int, default=7, help="days per plan, 1 to 28 (default 7)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    parser.add_argument("--generated", action="store_true", help="seeded random profiles, not the examples")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (medians over runs)")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()

    jobs = generated(args.n) if args.generated else profiles(args.n)
    options = b.BatchOptions(days=args.days, time_limit=args.time_limit)
    print(
        f"{args.n} {'generated' if args.generated else 'example'} profiles x {args.days} day(s), time limit "
        f"{args.time_limit:g} s, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start"
    )
    walls: dict[int, list[float]] = defaultdict(list)
    per_profile: dict[int, list[float]] = defaultdict(list)
    rss: dict[int, list[float]] = defaultdict(list)
    failed: dict[int, int] = defaultdict(int)
    for r in range(args.repeat):
        for workers in args.jobs if r % 2 == 0 else args.jobs[::-1]:
            wall, summary, lost = run_once(jobs, workers, options)
            walls[workers].append(wall)
            per_profile[workers].extend(x.seconds for x in summary.results if x.status == "ok")
            peaks: dict[str, float] = {}
            for x in summary.results:
                if x.worker and x.peak_rss_mb is not None:
                    peaks[x.worker] = max(peaks.get(x.worker, 0.0), x.peak_rss_mb)
            rss[workers].extend(peaks.values())
            failed[workers] += summary.count("failed")
            for x in summary.results:
                if x.status == "failed":
                    print(f"    failed: {x.id}: {x.reason}")
            print(
                f"  run {r + 1}, --jobs {workers}: {wall:7.1f} s wall, {summary.counts}, lost {lost}, "
                f"load {os.getloadavg()[0]:.2f}"
            )
    print()
    print(
        f"{'jobs':>4} {'wall s (median)':>16} {'profile s (median)':>19} {'profiles/min':>13} "
        f"{'worker peak RSS MB (median/max)':>32} {'failed':>7}"
    )
    for workers in args.jobs:
        wall = statistics.median(walls[workers])
        print(
            f"{workers:>4} {wall:>16.1f} {statistics.median(per_profile[workers] or [0]):>19.2f} "
            f"{60 * args.n / wall:>13.1f} {statistics.median(rss[workers] or [0]):>15.0f} / "
            f"{max(rss[workers] or [0]):<15.0f} {failed[workers]:>7}"
        )
    if 1 in walls and 2 in walls:
        speedup = statistics.median(walls[1]) / statistics.median(walls[2])
        best = min(walls[1]) / min(walls[2])
        print(
            f"\nspeed-up of --jobs 2 over --jobs 1: {speedup:.2f}x on medians, {best:.2f}x on best runs "
            f"(target >= 1.7x); load average {os.getloadavg()[0]:.2f} at the end"
        )
    print("memory: resource.getrusage(RUSAGE_SELF).ru_maxrss of each worker process")


if __name__ == "__main__":
    main()
