"""Benchmark: a simulated multi-machine Dask batch on loopback, and a worker killed mid-batch.

Starts a real ``dask scheduler`` and 1..W ``dask worker`` processes on 127.0.0.1, each worker one
process with one thread pinned to one core (``taskset``-style CPU affinity), the way one small machine
per worker would be. For each worker count it plans the same N profiles (``--repeat`` times, median)
through the ``mealplan batch --scheduler`` machinery (:func:`mealplan.batch.run_batch` with
:func:`mealplan.batch.dask_executor`) and prints profiles per minute beside the one-worker baseline
from the same run. Then it runs the
batch once more with two workers and SIGKILLs one of them after the first few plans: the summary
must list every profile ``ok`` (Dask re-runs the lost worker's tasks on the other).

On a machine with C cores, throughput can grow only up to C workers; the benchmark prints C and the
load average beside the figures.

Usage::

    python benchmarks/bench_dask.py                    # 24 day plans, 1 and 2 workers, then the kill
    python benchmarks/bench_dask.py -n 40 --workers 1 2 3 --days 1
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_batch import profiles  # noqa: E402

from mealplan import batch as b  # noqa: E402

DASK = str(Path(sys.executable).with_name("dask"))


def pinned(core: int):
    """A ``preexec_fn`` that pins the child process to one core (Linux), like a one-core machine."""

    def pin() -> None:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {core % (os.cpu_count() or 1)})

    return pin


class Cluster:
    """A scheduler and ``workers`` one-thread workers, started as separate processes on loopback."""

    def __init__(self, workers: int, folder: Path):
        self.file = folder / f"scheduler-{workers}.json"
        self.procs: list[subprocess.Popen] = []
        log = open(folder / f"cluster-{workers}.log", "w")  # noqa: SIM115 - closed with the cluster
        self.log = log
        self.scheduler = subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
            + ["--scheduler-file", str(self.file)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not self.file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        for i in range(workers):
            self.procs.append(
                subprocess.Popen(
                    [
                        DASK,
                        "worker",
                        self.address,
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--no-dashboard",
                        "--no-nanny",
                        "--host",
                        "127.0.0.1",
                        "--name",
                        f"w{i}",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    preexec_fn=pinned(i),
                )
            )
        self.wait_for(workers)

    def wait_for(self, workers: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)

    def close(self) -> None:
        for p in [*self.procs, self.scheduler]:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in [*self.procs, self.scheduler]:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        self.log.close()


def run(cluster: Cluster, jobs, options, out: Path, progress=None) -> tuple[float, b.BatchSummary]:
    with b.dask_executor(cluster.address, timeout=30) as (factory, threads):
        start = time.perf_counter()
        summary = b.run_batch(jobs, out, factory, options=options, workers=threads, progress=progress)
        return time.perf_counter() - start, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=24, help="profiles per run (default 24)")
    parser.add_argument("--days", type=int, default=1, help="days per plan (default 1)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs per worker count (median)")
    parser.add_argument("--kill-after", type=int, default=3, help="plans finished before a worker is killed")
    args = parser.parse_args()

    jobs = profiles(args.n)
    options = b.BatchOptions(days=args.days)
    cores = os.cpu_count() or 1
    print(f"{args.n} profiles x {args.days} day(s); {cores} cores; load average {os.getloadavg()[0]:.2f} at start")
    rates: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench_dask_") as tmp:
        folder = Path(tmp)
        for w in args.workers:
            cluster = Cluster(w, folder)
            try:
                # A warm-up profile per worker: each loads the food table and dish library once.
                run(cluster, jobs[:w], options, folder / f"warm-{w}")
                walls = []
                for r in range(args.repeat):
                    wall, summary = run(cluster, jobs, options, folder / f"out-{w}-{r}")
                    walls.append(wall)
            finally:
                cluster.close()
            wall = statistics.median(walls)
            rates[w] = 60 * args.n / wall
            base = rates[args.workers[0]]
            print(
                f"  {w} worker(s): {wall:6.1f} s wall (median of {' '.join(f'{x:.1f}' for x in walls)}), "
                f"{rates[w]:6.1f} profiles/min, "
                f"{rates[w] / base:4.2f}x the {args.workers[0]}-worker rate; {summary.counts}; "
                f"load {os.getloadavg()[0]:.2f}"
            )

        cluster = Cluster(2, folder)
        killed: list[int] = []

        def kill_one(p: b.BatchProgress) -> None:
            if not killed and p.finished >= args.kill_after:
                victim = cluster.procs[0]
                victim.kill()
                killed.append(victim.pid)

        try:
            wall, summary = run(cluster, jobs, options, folder / "out-kill", progress=kill_one)
        finally:
            cluster.close()
        plans = sorted((folder / "out-kill").glob("*.json"))
        lost = [r.id for r in summary.results if r.status != "ok"]
        print(
            f"  worker killed after {args.kill_after} plans (pid {killed[0] if killed else 'none'}): "
            f"{wall:.1f} s wall, {summary.counts}, plan files {len(plans) - 1} of {args.n}, "
            f"lost profiles: {', '.join(lost) or 'none'}"
        )


if __name__ == "__main__":
    main()
