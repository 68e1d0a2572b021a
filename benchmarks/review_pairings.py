"""Review: pattern meals the pairing rules still allow, printed for a dietitian to read.

For each meal pattern and each meal kind it serves, draws random fills of its roles from the pools
(``data/pattern_foods.csv``; each role takes a random count in its range), keeps those the rules of
``data/pairings.yaml`` allow, and prints them as plans name them ("Baked salmon with brown rice and
broccoli"). With ``--rejected`` it prints the refused meals and the rule that refused each instead.
The counts of allowed and refused fills are printed per pattern.

Usage::

    python benchmarks/review_pairings.py                     # 20 meals per pattern and meal kind
    python benchmarks/review_pairings.py -n 60 --pattern plate --kind dinner
    python benchmarks/review_pairings.py --rejected -n 30 --seed 7
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mealplan.food_data.pairings import pairing_rules  # noqa: E402
from mealplan.food_data.patterns import Pattern, load_pattern_foods, load_patterns, meal_name, pools  # noqa: E402
from mealplan.food_data.table import load_bundled  # noqa: E402


def fill(pattern: Pattern, by_pool: dict[str, list[str]], rng: random.Random) -> dict[str, list[str]]:
    """One random fill: role -> food ids (distinct foods across the meal)."""
    picks: dict[str, list[str]] = {}
    used: set[str] = set()
    for role, spec in pattern.components.items():
        choices = [f for p in spec.pools for f in by_pool.get(p, []) if f not in used]
        n = min(rng.randint(*spec.count), len(choices))
        picks[role] = rng.sample(choices, n)
        used.update(picks[role])
    return picks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20, help="meals printed per pattern and meal kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pattern", action="append", help="only these pattern ids")
    parser.add_argument("--kind", action="append", help="only these meal kinds")
    parser.add_argument("--rejected", action="store_true", help="print refused meals and why")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    table = load_bundled()
    library = load_patterns()
    pool_foods = load_pattern_foods(table)
    rules = pairing_rules(pool_foods, table)
    by_pool = pools(pool_foods)
    for pattern in library.patterns:
        if args.pattern and pattern.id not in args.pattern:
            continue
        for kind in pattern.slots:
            if args.kind and kind not in args.kind:
                continue
            shown, tried, refused = 0, 0, 0
            print(f"\n== {pattern.id} at {kind}")
            while shown < args.n and tried < args.n * 200:
                tried += 1
                picks = fill(pattern, by_pool, rng)
                foods = [f for ids in picks.values() for f in ids]
                problems = rules.violations(foods, kind)
                refused += bool(problems)
                if bool(problems) != args.rejected:
                    continue
                shown += 1
                labels = {role: [pool_foods[f].label for f in ids] for role, ids in picks.items()}
                extra = [pool_foods[f].label for role, ids in picks.items() if role not in pattern.name for f in ids]
                line = meal_name(pattern, labels) + (f"  [+ {', '.join(extra)}]" if extra else "")
                print(f"  {line}" + (f"\n      <- {problems[0]}" if problems else ""))
            print(f"  ({tried} drawn, {refused} refused: {refused / max(tried, 1):.0%})")


if __name__ == "__main__":
    main()
