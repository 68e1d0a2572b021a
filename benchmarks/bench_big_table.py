"""Benchmark (issue "Scale"): plans from a big user food table against plans from the bundled table.

A user table of N foods (the bundled SR24 foods repeated under new ids and names: near-copies, the
hard case for a candidate choice) is added to the bundled table, and each example profile
(``examples/profiles``) gets a day plan from the bundled table alone (the baseline) and from the
bundled table plus the big one, in the same process, alternating. Prints per profile the
objective (lower is better; the day model's ``abs_gap`` lets two runs differ by up to 3) and the
solve seconds, then the median ratio of the times, and of each profile's first plans (a table keeps
the verdicts of a diet, an allergy set, safety rules and name patterns once found: the first plan
with new rules pays for them over every food). The big table is read once (then it is cached;
``benchmarks/bench_user_table.py`` measures that).

Then, as a user meets it, each profile's day plan as a command in a new process (``mealplan plan
--days 1 --format json``, start to output), with and without ``--foods`` the big table, after one
untimed run that fills the table cache: the median ratio of the commands' times.

    python benchmarks/bench_big_table.py            # 20,000 foods, 1 repeat
    python benchmarks/bench_big_table.py -n 100000 --repeat 3
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_user_table import write_table  # noqa: E402

from mealplan.food_data.dishes import load_dishes  # noqa: E402
from mealplan.food_data.loading import load_tables  # noqa: E402
from mealplan.optimizer.planner import make_plan  # noqa: E402
from mealplan.targets.profile_files import load_profile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="foods in the big table")
    parser.add_argument("--repeat", type=int, default=1, help="plans per profile and table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big_csv = Path(tmp) / "big.csv"
        write_table(big_csv, args.n)
        tables = {"bundled": load_tables([], True), "big": load_tables([big_csv], True)}
        print(f"load average {os.getloadavg()[0]:.2f}; big table: {args.n:,} user foods + the bundled table")
        in_process(tables, args.repeat)
        commands(big_csv, args.repeat)


def in_process(tables: dict, repeat: int) -> None:
    dishes = {name: load_dishes(foods=t) for name, t in tables.items()}
    ratios, firsts, worse = [], [], []
    for path in sorted((ROOT / "examples" / "profiles").glob("*.yaml")):
        profile = load_profile(path)
        seconds: dict[str, list[float]] = {"bundled": [], "big": []}
        objective: dict[str, float] = {}
        for _ in range(repeat):
            for name, table in tables.items():
                t0 = time.perf_counter()
                plan = make_plan(profile, table, days=1, dishes=dishes[name], time_limit=60)
                seconds[name].append(time.perf_counter() - t0)
                objective[name] = plan.solve.objective
        b, g = statistics.median(seconds["bundled"]), statistics.median(seconds["big"])
        ratios.append(g / b)
        firsts.append(seconds["big"][0] / seconds["bundled"][0])
        if objective["big"] > objective["bundled"] + 3.0:
            worse.append(path.stem)
        print(
            f"{path.stem:22s} bundled: objective {objective['bundled']:8.3f}, {b:5.2f} s | "
            f"big: objective {objective['big']:8.3f}, {g:5.2f} s | time x{g / b:.2f}"
        )
    print(f"median time ratio big/bundled: {statistics.median(ratios):.2f}")
    print(
        f"median time ratio of each profile's first plan (before the table keeps its verdicts for that "
        f"profile's rules): {statistics.median(firsts):.2f}"
    )
    print(f"profiles whose big-table objective is worse by more than the gap (3): {worse or 'none'}")


def commands(big_csv: Path, repeat: int) -> None:
    """Each profile's day plan as a command in a new process, with and without the big table."""
    ratios = []
    profiles = sorted((ROOT / "examples" / "profiles").glob("*.yaml"))
    tables = (("bundled", []), ("big", ["--foods", str(big_csv)]))

    def command(path: Path, extra: list[str]) -> list[str]:
        plan = ["plan", "--profile", str(path), "--days", "1", "--format", "json"]
        return [sys.executable, "-m", "mealplan", *plan, *extra]

    for _, extra in tables:  # untimed: the first run of a table fills its cache
        subprocess.run(command(profiles[0], extra), check=True, stdout=subprocess.DEVNULL)
    for path in profiles:
        seconds: dict[str, list[float]] = {"bundled": [], "big": []}
        for _ in range(repeat):
            for name, extra in tables:
                cmd = command(path, extra)
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                seconds[name].append(time.perf_counter() - t0)
        b, g = statistics.median(seconds["bundled"]), statistics.median(seconds["big"])
        ratios.append(g / b)
        print(f"{path.stem:22s} command: bundled {b:5.2f} s | big {g:5.2f} s | time x{g / b:.2f}")
    print(f"median time ratio of the commands (a new process each, start to output): {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
