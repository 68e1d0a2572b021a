"""A week a dietitian would sign (issue 25): the example and batch profiles' weeks read meal by meal.

Run:  python benchmarks/bench_week_review.py --plans /tmp/review [--days 7]

Plans every profile of ``examples/profiles`` and ``examples/batch`` for ``--days`` days into the folder
(a plan already there is reused: delete the folder to plan again), then prints, over all weeks:

- meals reviewed and the share that are clean: a meal is clean when the independent verifier finds no
  problem at it (meal rules, drinks, variety, whole units, pairings, upper limits, ...), every food it
  shows has a reviewed shopper's name (``food_data/data/short_names.csv``) and its method says no
  "This time without";
- the HEI-2020 of each week (from the plan's ``diet_quality``): mean and minimum;
- distinct dishes over all weeks, and the share of the library's eligible dishes that appear (a dish
  is eligible for a person when the planner's inputs keep it); distinct dishes across a dozen weeks
  (the median and range over 200 random sets of 12 weeks, seeded);
- drinks: meals whose drink is water, milk drinks a day, juice a day; milk, plant milk and juice in
  every form a day (drinks, cereal milk, smoothies; by name, as a reader counts them) and the days
  over 750 g;
- shortfalls: how many targets the weeks miss (a day's or the week's) and the percentage points missing;
- weeks planned, and each failure with its exit code.
"""

from __future__ import annotations

import argparse
import collections
import random
import re
import statistics
import subprocess
import sys
from pathlib import Path

from mealplan.food_data.names import reviewed_name
from mealplan.food_data.table import load_bundled
from mealplan.plan_files import load_plan
from mealplan.verify import verify_plan

ROOT = Path(__file__).resolve().parent.parent
KINDS = {".yaml", ".json", ".toml"}
# Milk, plant milk and juice by name, as a reader of the plan counts them (not drinks.yaml's patterns).
POURED = re.compile(r"^(milk, |soymilk|rice drink|beverages, (almond|oat))|juice", re.IGNORECASE)
NOT_POURED = re.compile(r"^milk, dry|lemon juice|lime juice|juice pack|packed in|in juice", re.IGNORECASE)
DOZEN = 12


def profiles() -> list[Path]:
    return sorted(p for folder in ("profiles", "batch") for p in (ROOT / "examples" / folder).iterdir()
                  if p.suffix in KINDS)  # fmt: skip


def plan_all(folder: Path, days: int) -> tuple[list[Path], list[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    out, failed = [], []
    for profile in profiles():
        target = folder / f"{profile.parent.name}-{profile.stem}.json"
        if not target.exists():
            cmd = [sys.executable, "-m", "mealplan", "plan", "--profile", str(profile), "--days", str(days),
                   "--format", "json", "-o", str(target)]  # fmt: skip
            # (cwd: the plans' folder, not the repository, whose mealplan/ would shadow an installed copy)
            done = subprocess.run(cmd, cwd=folder, capture_output=True, text=True)
            if done.returncode != 0:
                failed.append(f"{profile.name}: exit {done.returncode} {done.stderr.strip()[-160:]}")
                continue
        out.append(target)
    return out, failed


def eligible_dishes(profile_id: str, plan, table) -> set[str]:
    """The library dishes the planner keeps for this plan's person (its rules as recorded)."""
    from mealplan.food_data.dishes import load_dishes
    from mealplan.optimizer.context import plan_context

    ctx = plan_context(table, plan.rules, plan.targets, None, dishes=load_dishes(foods=table))
    return {d.id for d in ctx.inputs.dishes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=Path, required=True, help="folder for the plans (reused when present)")
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args()
    paths, failed = plan_all(args.plans, args.days)
    table = load_bundled()
    meals = clean = water = 0
    unclean = collections.Counter()
    hei, used, eligible = [], set(), set()
    milk_days, juice_days, poured_days = [], [], []
    week_dishes: list[set[str]] = []
    shortfalls, missing = 0, 0.0
    for path in paths:
        plan = load_plan(path)
        report = verify_plan(plan, table)
        at = collections.Counter()  # (day, slot) -> problems; (day, None) -> the day's problems
        for p in report.problems:
            parts = p.where.split(", ")
            if parts[0].startswith("day ") and parts[0][4:].isdigit():
                at[(int(parts[0][4:]), parts[1] if len(parts) > 1 else None)] += 1
            unclean[p.check] += 1
        week_dishes.append({s.dish_id for d in plan.days for s in d.slots if s.dish_id})
        for day in plan.days:
            milk = juice = 0.0
            poured_days.append(sum(i.grams for s in day.slots for i in s.items
                                   if POURED.search(i.name) and not NOT_POURED.search(i.name)))  # fmt: skip
            for slot in day.slots:
                meals += 1
                problems = at[(day.index, slot.name)] + at[(day.index, None)]
                unnamed = [i for i in slot.items if reviewed_name(i.name) is None]
                without = "This time without" in (slot.method or "")
                if unnamed:
                    unclean["name not reviewed"] += 1
                if without:
                    unclean["this time without"] += 1
                if not problems and not unnamed and not without:
                    clean += 1
                drinks = [i for i in slot.items if i.role == "drink"]
                water += all("Water" in i.name for i in drinks)
                milk += sum(1 for i in drinks if "milk" in i.name.lower() or "soymilk" in i.name.lower())
                juice += sum(i.grams for i in drinks if "juice" in i.name.lower())
                if slot.dish_id:
                    used.add(slot.dish_id)
            milk_days.append(milk)
            juice_days.append(juice)
        hei += [q.total for q in plan.diet_quality]
        shortfalls += len(plan.shortfalls)
        missing += sum(100.0 - s.pct_of_target for s in plan.shortfalls)
        eligible |= eligible_dishes(plan.profile_id, plan, table)
    print(f"weeks planned: {len(paths)} of {len(paths) + len(failed)}")
    for f in failed:
        print(f"  failed: {f}")
    print(f"shortfalls: {shortfalls} ({missing:.0f} percentage points missing)")
    print(f"meals: {meals}, clean: {clean} ({clean / max(meals, 1):.0%})")
    print("  problems by kind:", dict(unclean.most_common()))
    if hei:
        print(f"HEI-2020 of the weeks: mean {statistics.mean(hei):.1f}, min {min(hei):.1f}, max {max(hei):.1f}")
    print(f"distinct dishes: {len(used)}; of the {len(eligible)} eligible for someone: "
          f"{len(used & eligible) / max(len(eligible), 1):.0%} appear")  # fmt: skip
    if len(week_dishes) >= DOZEN:
        rng = random.Random(25)
        dozens = sorted(len(set().union(*rng.sample(week_dishes, DOZEN))) for _ in range(200))
        print(f"distinct dishes across {DOZEN} weeks (200 random sets): median {statistics.median(dozens):.0f}, "
              f"range {dozens[0]}-{dozens[-1]}")  # fmt: skip
    print(f"drinks: meals with water (or no drink) {water / max(meals, 1):.0%}; milk drinks a day: mean "
          f"{statistics.mean(milk_days):.2f}, max {max(milk_days):.0f}; juice a day: mean "
          f"{statistics.mean(juice_days):.0f} g, max {max(juice_days):.0f} g")  # fmt: skip
    print(
        f"milk, plant milk and juice in every form a day: mean {statistics.mean(poured_days):.0f} g, max "
        f"{max(poured_days):.0f} g; days over 750 g: {sum(g > 750 for g in poured_days)} of {len(poured_days)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
