"""Planner benchmarks: end-to-end times, build vs solve, gaps, and realism over the example profiles.

Run:  python benchmarks/bench_plan.py [--repeat 5] [--profiles examples/profiles/*.yaml]

Before timing, the project's bytecode is compiled (as Python does itself on the first run, unless
PYTHONDONTWRITEBYTECODE is set, as on some CI machines) and one untimed plan fills the curated-table
cache (as the first run after an install does); the first-run time with an empty cache is printed too.

Prints medians. Figures (issue "The optimizer"):
- day plan, curated table: end to end (a fresh `mealplan plan` process, start to output), and the
  model build time against the solve time;
- week plan: time and the largest per-day MIP gap;
- basket on a 100-food table, end to end;
- realism: portions within [min portion, daily max], only as-eaten foods, fats and oils <= 40 g a
  day, >= 8 distinct foods a day and >= 20 a week, Mg/Ca/K/B12 at 100 % for non-vegan examples,
  every vegan shortfall explained;
- baselines in the same run: building the same nutrient rows with pulp.lpSum of products instead of
  optimizer.expr.linear (the known slow path), as a ratio; and the floor every command pays, a fresh
  Python importing the libraries a plan needs (click, numpy, pydantic, pulp, highspy, yaml), so a
  slow phase of a shared machine shows in the floor as well as in the figures.
"""

from __future__ import annotations

import argparse
import glob
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = ("magnesium", "calcium", "potassium", "vitamin_b12")


def _run(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mealplan.cli.main", *args], cwd=ROOT, check=True, capture_output=True, env=env
    )
    return time.perf_counter() - start


def _prepare(profile: str, tmp: Path) -> float:
    """Compile the project's bytecode, time one plan with an empty table cache, and fill the cache."""
    import compileall
    import os

    for package in ("cli", "food_data", "optimizer", "triage"):
        compileall.compile_dir(ROOT / package, quiet=1)
    env = {**os.environ, "MEALPLAN_CACHE_DIR": str(tmp / "cold-cache")}
    args = ["plan", "--profile", profile, "--format", "json", "-o", str(tmp / "cold.json")]
    cold = _run(args, env)
    _run(args)  # fills the user's cache, as the first run after an install does
    return cold


FLOOR = "import click, numpy, pydantic, pulp, highspy, yaml"


def _floor() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR], check=True, capture_output=True)
    return time.perf_counter() - start


def _pandas_import(repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pandas"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return _median(times)


def _curation_seconds() -> float:
    """Reading and curating the bundled SR24 table in this process, without the cache."""
    from mealplan.food_data.table import _build_bundled

    _build_bundled()  # imports done once, outside the timing
    start = time.perf_counter()
    _build_bundled()
    return time.perf_counter() - start


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def bench_day(profiles: list[str], repeat: int, tmp: Path) -> list[dict]:
    rows = []
    for prof in profiles:
        out = tmp / (Path(prof).stem + ".day.json")
        times = [_run(["plan", "--profile", prof, "--format", "json", "-o", str(out)]) for _ in range(repeat)]
        plan = json.loads(out.read_text())
        rows.append(
            {
                "profile": Path(prof).stem,
                "e2e_s": _median(times),
                "build_s": plan["solve"]["build_seconds"],
                "solve_s": plan["solve"]["solve_seconds"],
                "status": plan["solve"]["status"],
                "plan": plan,
            }
        )
    return rows


def bench_week(profiles: list[str], tmp: Path) -> list[dict]:
    rows = []
    for prof in profiles:
        out = tmp / (Path(prof).stem + ".week.json")
        t = _run(["plan", "--profile", prof, "--days", "7", "--format", "json", "-o", str(out)])
        plan = json.loads(out.read_text())
        rows.append(
            {
                "profile": Path(prof).stem,
                "e2e_s": t,
                "gap": plan["solve"]["gap"],
                "status": plan["solve"]["status"],
                "plan": plan,
            }
        )
    return rows


def bench_basket(repeat: int, tmp: Path) -> float:
    """A 100-food table from the bundled planner set, written as a user CSV, solved for cost."""
    sys.path.insert(0, str(ROOT))
    from mealplan.food_data.table import load_bundled

    foods = load_bundled().planner_foods().sort_index().iloc[::7].head(100)
    cols = ["energy", "protein", "calcium", "magnesium", "potassium", "iron", "vitamin_c", "fiber"]
    table = foods[["name", *cols]].fillna(0.0).copy()
    table["price"] = (0.2 + (table["energy"] % 7) / 10).round(3)
    path = tmp / "foods100.csv"
    table.rename_axis("id").reset_index().to_csv(path, index=False)
    targets = tmp / "targets100.csv"
    targets.write_text(
        "nutrient,min,max\nenergy,2000,2600\nprotein,50,\ncalcium,1000,2500\nmagnesium,320,\n"
        "potassium,2600,\niron,8,45\nvitamin_c,75,\nfiber,25,\n"
    )
    times = [
        _run(
            [
                "basket",
                "--foods",
                str(path),
                "--targets",
                str(targets),
                "--no-bundled",
                "--objective",
                "cost",
                "--format",
                "json",
                "-o",
                str(tmp / "basket.json"),
            ]
        )
        for _ in range(repeat)
    ]
    return _median(times)


def bench_build_baseline() -> tuple[float, float]:
    """Build the same 30 nutrient rows over 4,000 variables with expr.linear and with lpSum."""
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import pulp

    from mealplan.optimizer import expr

    rng = np.random.default_rng(0)
    coef = rng.random((30, 4000))
    prob = pulp.LpProblem("b", pulp.LpMinimize)
    xs = [expr.continuous(prob, f"x{i}") for i in range(4000)]
    t = time.perf_counter()
    for row in coef:
        expr.linear(zip(xs, row, strict=True))
    ours = time.perf_counter() - t
    t = time.perf_counter()
    for row in coef:
        pulp.lpSum(c * x for c, x in zip(row, xs, strict=True))
    naive = time.perf_counter() - t
    return ours, naive


def realism(plan: dict, foods) -> list[str]:
    """Problems with a plan's realism (empty when it passes every check)."""
    problems = []
    rules = plan["rules"]
    all_foods = set()
    for day in plan["days"]:
        fats = 0.0
        ids = set()
        for slot in day["slots"]:
            for it in slot["items"]:
                row = foods.loc[it["food_id"]]
                ids.add(it["food_id"])
                if not bool(row["as_eaten"]):
                    problems.append(f"day {day['index']}: {it['name']} is not as eaten")
                if it["servings"] < rules["min_portion_servings"] - 1e-9 or it["grams"] > row["max_g"] + 1e-6:
                    problems.append(f"day {day['index']}: {it['name']} portion {it['grams']} g out of range")
                if it["category"] == "fats and oils":
                    fats += it["grams"]
        if fats > 40 + 1e-6:
            problems.append(f"day {day['index']}: fats and oils {fats:.0f} g")
        if len(ids) < 8:
            problems.append(f"day {day['index']}: only {len(ids)} distinct foods")
        all_foods |= ids
    if plan["kind"] == "week" and len(all_foods) < 20:
        problems.append(f"only {len(all_foods)} distinct foods in the week")
    vegan = rules["diet"] == "vegan"
    for s in plan["shortfalls"]:
        if s["nutrient"] in KEY and not vegan:
            problems.append(f"{s['nutrient']} short ({s['pct_of_target']:.1f} %) for a {rules['diet']} profile")
        if not s["causes"]:
            problems.append(f"{s['nutrient']} shortfall without explanation")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profiles", nargs="*", default=sorted(glob.glob(str(ROOT / "examples/profiles/*.yaml"))))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from mealplan.food_data.table import load_bundled

    foods = load_bundled().foods
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        cold = _prepare(args.profiles[0], tmp)
        print(f"first day plan after an install (empty table cache): {cold:.3f} s")
        floor = _median([_floor() for _ in range(args.repeat)])
        print(f"floor (python -c '{FLOOR}'): median {floor:.3f} s")
        pandas_s = _pandas_import(args.repeat)
        print(f"pandas, which plans and baskets do not import: python -c 'import pandas' median {pandas_s:.3f} s")
        print(f"curating the bundled table (what the table cache saves): {_curation_seconds():.3f} s")
        help_s = _median([_run(["--help"]) for _ in range(args.repeat)])
        print(f"mealplan --help: median {help_s:.3f} s over {args.repeat} runs")
        print("\nDay plans (fresh process each, median of", args.repeat, "runs)")
        print(f"{'profile':24} {'end-to-end s':>12} {'build s':>8} {'solve s':>8} status")
        day_rows = bench_day(args.profiles, args.repeat, tmp)
        for r in day_rows:
            print(f"{r['profile']:24} {r['e2e_s']:12.3f} {r['build_s']:8.3f} {r['solve_s']:8.3f} {r['status']}")
        print(
            f"median end-to-end {_median([r['e2e_s'] for r in day_rows]):.3f} s; "
            f"max {max(r['e2e_s'] for r in day_rows):.3f} s"
        )
        print("\nWeek plans (fresh process, one run each)")
        print(f"{'profile':24} {'end-to-end s':>12} {'max day gap':>11} status")
        week_rows = bench_week(args.profiles, tmp)
        for r in week_rows:
            gap = "-" if r["gap"] is None else f"{r['gap']:.2%}"
            print(f"{r['profile']:24} {r['e2e_s']:12.3f} {gap:>11} {r['status']}")
        print(
            f"median {_median([r['e2e_s'] for r in week_rows]):.3f} s; max {max(r['e2e_s'] for r in week_rows):.3f} s"
        )
        try:
            basket = bench_basket(args.repeat, tmp)
            print(f"\nBasket, 100-food table, cost objective: median end-to-end {basket:.3f} s")
        except subprocess.CalledProcessError as exc:
            print(f"\nBasket benchmark failed: {exc.stderr.decode()[:300]}")
        ours, naive = bench_build_baseline()
        print(
            f"\nExpression build, 30 rows x 4,000 variables: expr.linear {ours:.3f} s, "
            f"pulp.lpSum of products {naive:.3f} s (baseline/ours = {naive / ours:.1f}x)"
        )
        print("\nRealism over the example profiles (day and week plans)")
        bad = 0
        for r in day_rows + week_rows:
            problems = realism(r["plan"], foods)
            bad += bool(problems)
            status = "ok" if not problems else "; ".join(problems)
            print(f"  {r['profile']:24} {r['plan']['kind']:5} {status}")
        print(f"{len(day_rows) + len(week_rows) - bad} of {len(day_rows) + len(week_rows)} plans pass every check")


if __name__ == "__main__":
    main()
