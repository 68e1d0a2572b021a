"""Benchmark: a 28-day plan against four separate 7-day plans, per example profile, in one run.

For each profile it plans 28 days in one call (weekly rules per 7-day block, variety carried across
the block boundaries) and, as the baseline, four separate weeks (four calls of 7 days, each with the
same inputs and its own time limit, as a dietitian would without long plans). It prints, for both:

- seconds per planned day (planner wall time in this process; the food table and dish library are
  loaded once before timing, as in a batch worker);
- the shortfall: the planner's objective per day (what it minimises: weighted shortfalls; a day is
  accepted within an absolute gap of 3), the percentage points below each daily minimum summed
  over nutrients per day (weekly-average nutrients counted day by day, so a week that meets vitamin D
  on its average still shows points here), and the plan's shortfall lines per week;
- distinct dishes and foods over the 28 days (four copies of one week repeat the same meals).

Every plan is checked by the independent verifier.

Usage::

    python benchmarks/bench_long_plans.py                         # the example profiles
    python benchmarks/bench_long_plans.py --profiles examples/profiles/vegan_twitching.yaml
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mealplan.food_data.dishes import load_dishes  # noqa: E402
from mealplan.food_data.loading import load_tables  # noqa: E402
from mealplan.optimizer.day import ABS_GAP_MEALS  # noqa: E402
from mealplan.optimizer.planner import make_plan  # noqa: E402
from mealplan.targets.profile_files import load_profile  # noqa: E402
from mealplan.verify.verifier import verify_plan  # noqa: E402


def plan_and_check(profile, foods, dishes, days: int):
    start = time.perf_counter()
    plan = make_plan(profile, foods, days=days, dishes=dishes)
    wall = time.perf_counter() - start
    report = verify_plan(plan, foods)
    if not report.ok:
        raise SystemExit(f"{profile.id}: the {days}-day plan fails verification: {report.problems[:3]}")
    return plan, wall


def variety(plans) -> tuple[int, int]:
    dishes: set[str] = set()
    foods: set[str] = set()
    for plan in plans:
        for day in plan.days:
            for meal in day.slots:
                if meal.dish_id:
                    dishes.add(meal.dish_id)
                foods.update(item.food_id for item in meal.items)
    return len(dishes), len(foods)


def objective(plans) -> float:
    return sum(p.solve.objective or 0.0 for p in plans)


def deficit_points(plans) -> float:
    """Percentage points below the minimum, summed over nutrients and days (0 when every day is met)."""
    return sum(
        max(0.0, 100.0 - t.pct_of_min)
        for p in plans
        for day in p.days
        for t in day.totals.values()
        if t.pct_of_min is not None
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", nargs="*", default=sorted(glob.glob(str(ROOT / "examples/profiles/*.yaml"))))
    args = parser.parse_args()

    foods = load_tables([], bundled=True)
    dishes = load_dishes([], foods=foods)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    head = (
        f"{'profile':<22} {'plan':<11} {'s/day':>6} {'objective/day':>14} {'points below/day':>17} "
        f"{'shortfalls/week':>16} "
        f"{'dishes':>7} {'foods':>6}"
    )
    print(head)
    per_day = {"28 days": [], "4 x 7 days": []}
    worse = []
    for path in args.profiles:
        profile = load_profile(path)
        month, month_s = plan_and_check(profile, foods, dishes, 28)
        weeks, weeks_s = [], 0.0
        for _ in range(4):
            week, s = plan_and_check(profile, foods, dishes, 7)
            weeks.append(week)
            weeks_s += s
        rows = (("28 days", [month], month_s), ("4 x 7 days", weeks, weeks_s))
        for label, plans, wall in rows:
            per_day[label].append(wall / 28)
            lines = sum(len(p.shortfalls) for p in plans) * 7 / 28
            d, f = variety(plans)
            print(
                f"{profile.id:<22} {label:<11} {wall / 28:>6.2f} {objective(plans) / 28:>14.3f} "
                f"{deficit_points(plans) / 28:>17.1f} {lines:>16.1f} "
                f"{d:>7} {f:>6}"
            )
        if objective([month]) / 28 > objective(weeks) / 28 + ABS_GAP_MEALS:  # a day is optimal within this
            worse.append(profile.id)
    print()
    for label, values in per_day.items():
        print(f"median s per planned day, {label}: {statistics.median(values):.2f} (target <= 0.5 for 28 days)")
    print(
        "28-day plans worse than four separate weeks (objective per day above by more than a day's accepted "
        f"gap, {ABS_GAP_MEALS:g}): {', '.join(worse) or 'none'}"
    )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
