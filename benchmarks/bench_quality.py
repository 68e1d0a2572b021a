"""Diet quality of saved plans: HEI-2020 and food-group amounts against the person's USDA Food Pattern.

    python benchmarks/bench_quality.py week1.json week2.json ...     # plans written with --format json
    python benchmarks/bench_quality.py --examples /tmp/quality       # plan the example profiles first

For each plan (``mealplan plan ... --format json``; read as plain JSON: days[].slots[].items[] with
food_id and grams) it prints the HEI-2020 of the whole plan and its 13 components, the range of the
days' HEI, the food-group amounts per day (average) against the pattern for the person's energy and
diet (``food_data.food_patterns``; weekly subgroups per week), the whole-grain and whole-fruit
shares, juice per day, and added sugars and saturated fat as % of energy. A summary line gives the
mean, minimum and maximum HEI over the plans. Equivalents come from ``food_data.food_groups`` on
the bundled table (plus ``--foods`` tables, as the plans were made).

``--examples DIR`` writes 7-day plans of ``examples/profiles/*.yaml`` and of the first ``--batch N``
profiles of ``examples/batch`` into DIR (a plan already there is reused), then scores them.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

from mealplan.food_data.food_groups import totals
from mealplan.food_data.food_patterns import food_pattern, style_for
from mealplan.food_data.hei import hei2020_of_foods
from mealplan.food_data.loading import load_tables
from mealplan.food_data.table import FoodTable

ROOT = Path(__file__).resolve().parent.parent
KCAL_PER_G_SUGAR = 4.0


def plan_grams(plan: dict) -> list[dict[str, float]]:
    """Grams of each food per day of a plan (food id -> grams)."""
    days = []
    for day in plan["days"]:
        grams: dict[str, float] = {}
        for slot in day["slots"]:
            for item in slot["items"]:
                grams[item["food_id"]] = grams.get(item["food_id"], 0.0) + float(item["grams"])
        days.append(grams)
    return days


def _age(plan: dict) -> float | None:
    """The person's age as the plan's life stage gives it ("females 31-50" -> 31), or None."""
    m = re.search(r"(\d+)", str(plan.get("targets", {}).get("life_stage", "")))
    return float(m[1]) if m else None


def report(path: Path, table: FoodTable, style: str | None) -> float:
    """Print one plan's quality; return its HEI."""
    plan = json.loads(path.read_text(encoding="utf-8"))
    days = plan_grams(plan)
    whole: dict[str, float] = {}
    for day in days:
        for food, g in day.items():
            whole[food] = whole.get(food, 0.0) + g
    score = hei2020_of_foods(table, whole)
    per_day = [hei2020_of_foods(table, d).total for d in days]
    n = len(days)
    groups = {k: v / n for k, v in totals(table, whole).items()}
    kcal = score.energy_kcal / n
    energy = float(plan.get("targets", {}).get("energy_kcal") or kcal)
    diet = plan.get("rules", {}).get("diet", "omnivore")
    pattern = food_pattern(energy, style or style_for(diet), _age(plan))
    print(f"\n== {path.name}: {n} days, {kcal:.0f} kcal/day (target {energy:.0f}), diet {diet}")
    unknown = f"   unknown nutrients counted 0: {', '.join(score.unknown)}" if score.unknown else ""
    days_text = f"days {min(per_day):.1f}-{max(per_day):.1f} (mean {statistics.mean(per_day):.1f})"
    print(f"HEI-2020 {score.total:.1f}   {days_text}{unknown}")
    print("  " + "  ".join(f"{c.name} {c.points:.1f}/{c.max_points:g}" for c in score.components))
    print(f"pattern: {pattern.name}, {pattern.level_kcal} kcal")
    for row in pattern.rows:
        got = row.of(groups) * (7 if row.per == "week" else 1)
        print(f"  {row.name:40} {got:6.2f} / {row.amount:5.2f} {row.unit}/{row.per}")
    grains = groups["grain_whole"] + groups["grain_refined"]
    fruit = groups["fruit_whole"] + groups["fruit_juice"]
    sugar_pct = 100 * groups["added_sugars"] * 4.2 * KCAL_PER_G_SUGAR / kcal if kcal else 0.0
    sat_pct = score.component("saturated_fats").amount
    print(f"whole grains {100 * groups['grain_whole'] / grains if grains else 0:.0f}% of grains   "
          f"whole fruit {100 * groups['fruit_whole'] / fruit if fruit else 0:.0f}% of fruit   "
          f"juice {groups['fruit_juice']:.2f} cup-eq/day   added sugars {sugar_pct:.1f}% of energy   "
          f"saturated fat {sat_pct:.1f}% of energy")  # fmt: skip
    return score.total


def make_examples(folder: Path, batch: int) -> list[Path]:
    """7-day JSON plans of the example profiles (and the first ``batch`` batch examples) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    kinds = {".yaml", ".json", ".toml"}
    batch_profiles = sorted(p for p in (ROOT / "examples" / "batch").iterdir() if p.suffix in kinds)
    profiles = sorted((ROOT / "examples" / "profiles").glob("*.yaml")) + batch_profiles[:batch]
    out = []
    for profile in profiles:
        target = folder / f"{profile.stem}.json"
        if not target.exists():
            cmd = [sys.executable, "-m", "mealplan", "plan", "--profile", str(profile), "--days", "7",
                   "--format", "json", "-o", str(target)]  # fmt: skip
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{profile.name}: exit {done.returncode} {done.stderr.strip()[:200]}", file=sys.stderr)
                continue
        out.append(target)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plans", nargs="*", type=Path, help="plan JSON files")
    parser.add_argument("--examples", type=Path, help="plan the example profiles into this folder first")
    parser.add_argument("--batch", type=int, default=4, help="how many batch examples --examples plans (default 4)")
    parser.add_argument("--foods", type=Path, action="append", default=[], help="extra food tables the plans used")
    parser.add_argument("--style", choices=["us", "vegetarian", "mediterranean"], help="pattern (default: by diet)")
    args = parser.parse_args()
    plans = list(args.plans) + (make_examples(args.examples, args.batch) if args.examples else [])
    if not plans:
        parser.error("give plan JSON files or --examples DIR")
    table = load_tables(args.foods)
    scores = [report(p, table, args.style) for p in plans]
    print(f"\nHEI-2020 over {len(scores)} plans: mean {statistics.mean(scores):.1f}, "
          f"min {min(scores):.1f}, max {max(scores):.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
