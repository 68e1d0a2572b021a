"""Reading a large user food table: the first read (parse and curate) against later reads (cache).

Writes a CSV of N foods (the bundled SR24 foods repeated under new ids, every nutrient column) to a
temporary folder, then times fresh processes loading it with ``load_tables([csv], bundled=False)``:
the first with an empty cache, the rest from the cache. Prints medians.

    python benchmarks/bench_user_table.py            # 20,000 foods, 3 runs
    python benchmarks/bench_user_table.py -n 5000 -r 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROBE = "import sys; from mealplan.food_data.loading import load_tables; load_tables([sys.argv[1]], bundled=False)"


def write_table(path: Path, n: int) -> None:
    from mealplan.food_data.nutrients import NUTRIENT_IDS
    from mealplan.food_data.table import read_sr24

    foods, _ = read_sr24()
    cols = ["name", *[c for c in NUTRIENT_IDS if c in foods.columns]]
    base = foods[cols].reset_index(drop=True)
    reps = -(-n // len(base))
    import pandas as pd

    big = pd.concat([base] * reps, ignore_index=True).iloc[:n]
    big.insert(0, "id", [f"u{i:06d}" for i in range(n)])
    big["name"] = [f"{name} (copy {i // len(base)})" for i, name in enumerate(big["name"])]
    big.to_csv(path, index=False)


def timed(csv_file: Path, cache: Path) -> float:
    env = {**os.environ, "MEALPLAN_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", PROBE, str(csv_file)], env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="foods in the table")
    parser.add_argument("-r", "--runs", type=int, default=3, help="runs of each case")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_file = Path(tmp) / "foods.csv"
        write_table(csv_file, args.n)
        cold, warm = [], []
        for run in range(args.runs):
            cache = Path(tmp) / f"cache{run}"
            cold.append(timed(csv_file, cache))  # empty cache: parse and curate
            warm.append(timed(csv_file, cache))  # the same file again: from the cache
        print(f"load average {os.getloadavg()[0]:.2f}; {args.n:,} foods, {csv_file.stat().st_size / 1e6:.1f} MB CSV")
        print(f"first read (parse + curate): median {statistics.median(cold):.2f} s over {args.runs} runs")
        print(f"again (cache hit):           median {statistics.median(warm):.2f} s over {args.runs} runs")
        print(f"ratio: {statistics.median(cold) / statistics.median(warm):.1f}x")


if __name__ == "__main__":
    main()
