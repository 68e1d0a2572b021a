"""Startup time of the ``mealplan`` command: median wall time over fresh processes.

Each run starts a new ``mealplan`` process (the installed console script, as a user runs it), so
the figures include the interpreter's start, imports and the command itself. Limits from issue 5:
``mealplan --help`` under 0.3 s, ``mealplan triage`` under 0.5 s. ``mealplan targets`` is shown
for reference (it reads a profile and the reference-intake table).

    python benchmarks/bench_startup.py            # 15 runs each
    python benchmarks/bench_startup.py -n 30
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CASES: list[tuple[str, list[str], float | None]] = [
    ("mealplan --help", ["--help"], 0.3),
    ("mealplan triage --symptom muscle-cramps", ["triage", "--symptom", "muscle-cramps"], 0.5),
    (
        "mealplan targets --profile examples/profiles/vegan_twitching.yaml",
        ["targets", "--profile", "examples/profiles/vegan_twitching.yaml"],
        None,
    ),
]


def mealplan_command() -> list[str]:
    """The console script next to this interpreter, else on PATH, else ``python -m mealplan.cli.main``."""
    here = Path(sys.executable).with_name("mealplan")
    if here.exists():
        return [str(here)]
    found = shutil.which("mealplan")
    return [found] if found else [sys.executable, "-m", "mealplan.cli.main"]


def time_runs(command: list[str], runs: int) -> list[float]:
    """Wall seconds of ``runs`` fresh processes (one unmeasured warm-up run first, for the OS cache)."""
    env = os.environ | {"NO_COLOR": "1"}
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        if i:
            times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    """Print the median, min and max per command and whether each median is under its limit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=15, help="fresh processes per command (default 15)")
    args = parser.parse_args(argv)
    base = mealplan_command()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{' '.join(base)}; {args.runs} runs each; {os.cpu_count()} CPUs, load average {load:.2f}")
    print(f"{'command':<66} {'median':>8} {'min':>7} {'max':>7}  limit")
    slow = 0
    for label, cmd_args, limit in CASES:
        times = time_runs([*base, *cmd_args], args.runs)
        median = statistics.median(times)
        verdict = "-" if limit is None else f"{limit:.1f} s {'ok' if median < limit else 'OVER'}"
        slow += limit is not None and median >= limit
        print(f"{label:<66} {median:>7.3f}s {min(times):>6.3f}s {max(times):>6.3f}s  {verdict}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
