"""Meal benchmarks (issue "Meals people cook"): speed and realism of dish-based plans, beside the
food-level planner of an earlier revision measured in the same run.

Run:  python benchmarks/bench_meals.py [--repeat 3] [--baseline-rev 843e658] [--no-baseline]

Prints, for the example profiles (``examples/profiles``):
- end-to-end seconds of a fresh ``mealplan plan`` process (start to JSON written), day and week,
  median of ``--repeat`` runs per profile, and the median over the profiles;
- the same for the baseline: the food-level planner at ``--baseline-rev`` (``git archive`` into a
  temporary folder, run with that folder first on the path), and the ratio;
and, for the example profiles plus the batch folder's (``examples/batch``: 18 profiles not used to
tune the model), for day and week plans of both planners:
- meals with a name; meals that break none of the meal rules (salt as an item, drinks over 2 cups,
  coffee or tea at lunch or dinner, a condiment or spread without a dish or carrier, cereal without
  milk, two plain legumes, oversized produce, nut butter or nuts, egg whites), judged by the
  verifier's own rule checks (``verify.meals.meal_rule_problems`` with the default
  ``MealRules``) on both planners' plans;
- lunches and dinners with a protein food, a starch and a vegetable (by role for dish plans; by
  food category for the baseline, whose items have no roles);
- plans that pass ``verify`` and the shortfalls they list.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARCHY = re.compile(r"potato|\brice\b|pasta|spaghetti|macaroni|noodle|bread|tortilla|pita|couscous|quinoa|bulgur|"
                     r"barley|oat|corn|bagel|muffin|roll|cereal|cracker|yam|plantain|polenta|grits", re.I)  # fmt: skip


RULES = (
    ("table salt", "salt as an item"),
    ("a drink is at most", "drink over 2 cups"),
    ("coffee or tea", "coffee or tea at lunch or dinner"),
    ("on its own", "condiment or spread without a dish or carrier"),
    ("condiment or spread is at most", "condiment or spread over 40 g"),
    ("cereal without", "cereal without milk"),
    ("plain legume", "two plain legumes"),
    ("vegetable or fruit is at most", "produce item over 300 g"),
    ("nut butter", "nut butter over 2 tbsp"),
    ("nuts and seeds", "nuts over 2 oz"),
    ("egg whites", "egg whites or yolks"),
)


def _rule_of(message: str) -> str:
    return next((label for key, label in RULES if key in message), message[:40])


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def _baseline(rev: str, tmp: Path) -> Path:
    """The food-level planner's source tree at ``rev`` (top-level packages, run from that folder)."""
    folder = tmp / f"baseline-{rev}"
    folder.mkdir()
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    archive_path = tmp / "baseline.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(folder, filter="data")
    return folder


def _commands(base: Path | None) -> tuple[list[str], Path, dict[str, str]]:
    env = dict(os.environ)
    if base is None:
        return [sys.executable, "-m", "mealplan"], ROOT, env
    env["PYTHONPATH"] = str(base)
    return [sys.executable, "-m", "cli.main"], base, env


def _plan(base: Path | None, profile: str, days: int, out: Path) -> float:
    cmd, cwd, env = _commands(base)
    return _run([*cmd, "plan", "--profile", profile, "--days", str(days), "--format", "json", "-o", str(out)], cwd, env)


def _prepare(base: Path | None, profile: str, tmp: Path) -> None:
    """Compile bytecode and fill the table cache with one untimed plan (as the first run after an install)."""
    import compileall

    for package in ("cli", "food_data", "optimizer", "triage", "mealplan"):
        folder = (base or ROOT) / package
        if folder.is_dir():
            compileall.compile_dir(folder, quiet=1)
    _plan(base, profile, 1, tmp / "warm.json")


def timings(base: Path | None, profiles: list[str], repeat: int, tmp: Path) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    for p in profiles:
        out[p] = {
            days: statistics.median(_plan(base, p, days, tmp / "t.json") for _ in range(repeat)) for days in (1, 7)
        }
    return out


def realism(base: Path | None, profiles: list[str], tmp: Path) -> dict[int, Counter]:
    """Meal figures over every plan (day and week) of ``profiles``."""
    from mealplan.food_data.table import load_bundled
    from mealplan.plan import MealRules
    from mealplan.plan_files import load_plan
    from mealplan.verify.meals import meal_rule_problems
    from mealplan.verify.verifier import verify_plan

    table = load_bundled()
    frame = table.foods
    rules = MealRules()
    protein = {"meat", "poultry", "seafood", "eggs", "legumes"}

    def name(item) -> str:
        return str(frame.at[item.food_id, "name"]) if item.food_id in frame.index else item.name

    def category(item) -> str:
        return str(frame.at[item.food_id, "category"]) if item.food_id in frame.index else item.category

    figures: dict[int, Counter] = {1: Counter(), 7: Counter()}
    broken: Counter = Counter()
    for p in profiles:
        for days in (1, 7):
            path = tmp / f"r{days}.json"
            try:
                _plan(base, p, days, path)
            except subprocess.CalledProcessError:
                figures[days]["plans failed"] += 1
                continue
            plan = load_plan(path)
            c = figures[days]
            c["plans"] += 1
            c["plans verified"] += verify_plan(plan, table).ok
            c["shortfalls"] += len(plan.shortfalls)
            for day in plan.days:
                for slot in day.slots:
                    c["meals"] += 1
                    c["named"] += slot.meal_kind in ("dish", "pattern") and bool(slot.title)
                    c["dish meals"] += slot.meal_kind == "dish"
                    problems = meal_rule_problems(slot, rules, name, category)
                    c["meals breaking no rule"] += not problems
                    broken.update(_rule_of(m) for m in problems)
                    if slot.name.rstrip("0123456789") in ("lunch", "dinner"):
                        c["main meals"] += 1
                        items = [i for i in slot.items if i.role != "drink"]
                        if slot.meal_kind in ("dish", "pattern"):
                            roles = {i.role for i in items}
                            whole = {"protein", "starch", "vegetable"} <= roles
                        else:
                            cats = {category(i) for i in items}
                            whole = (
                                bool(cats & protein)
                                and "vegetables" in cats
                                and any(STARCHY.search(name(i)) for i in items)
                            )
                        c["main meals with protein, starch, vegetable"] += whole
    figures[0] = broken
    return figures


SHARE_OF = {
    "named": "meals",
    "dish meals": "meals",
    "meals breaking no rule": "meals",
    "main meals with protein, starch, vegetable": "main meals",
    "plans verified": "plans",
}


def _pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:5.1f} %" if d else "    —"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-rev", default="843e658", help="revision of the food-level planner to compare with")
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    profiles = sorted(glob.glob(str(ROOT / "examples/profiles/*.yaml")))
    batch = sorted(p for p in glob.glob(str(ROOT / "examples/batch/*")) if p.endswith((".yaml", ".json", ".toml")))
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bases: dict[str, Path | None] = {"dish planner (this tree)": None}
        if not args.no_baseline:
            bases[f"food-level planner ({args.baseline_rev})"] = _baseline(args.baseline_rev, tmp)
        times, real = {}, {}
        for label, base in bases.items():
            _prepare(base, profiles[0], tmp)
            times[label] = timings(base, profiles, args.repeat, tmp)
            real[label] = realism(base, profiles + batch, tmp)

    labels = list(bases)
    print(f"End to end, a fresh process, median of {args.repeat} runs (seconds)")
    print(f"{'profile':28}" + "".join(f"{lab[:24]:>26}{'':>2}" for lab in labels))
    print(f"{'':28}" + "".join(f"{'day':>12}{'week':>14}{'':>2}" for _ in labels))
    for p in profiles:
        row = "".join(f"{times[lab][p][1]:12.2f}{times[lab][p][7]:14.2f}{'':>2}" for lab in labels)
        print(f"{Path(p).stem:28}{row}")
    med = {lab: {days: statistics.median(t[days] for t in times[lab].values()) for days in (1, 7)} for lab in labels}
    print(f"{'median':28}" + "".join(f"{med[lab][1]:12.2f}{med[lab][7]:14.2f}{'':>2}" for lab in labels))
    if len(labels) == 2:
        a, b = labels
        print(f"ratio dish / food-level: day {med[a][1] / med[b][1]:.2f}x, week {med[a][7] / med[b][7]:.2f}x")
    print("figure to reach: day <= 1.5 s, week <= 6 s (median over the example profiles)")
    print()
    print(
        f"Realism over {len(profiles) + len(batch)} profiles (examples/profiles and examples/batch), day and week plans"
    )
    keys = ["plans", "plans failed", "meals", "named", "dish meals", "meals breaking no rule", "main meals",
            "main meals with protein, starch, vegetable", "plans verified", "shortfalls"]  # fmt: skip
    for lab in labels:
        print(f"  {lab}")
        for days in (1, 7):
            c = real[lab][days]
            parts = []
            for k in keys:
                v = c.get(k, 0)
                denom = SHARE_OF.get(k)
                parts.append(f"{k} {v}" + (f" ({_pct(v, c.get(denom, 0)).strip()})" if denom else ""))
            print(f"    {'day ' if days == 1 else 'week'}: " + "; ".join(parts))
        top = real[lab][0].most_common(6)
        if top:
            print("    most broken rules: " + "; ".join(f"{m} ({n})" for m, n in top))
    print(json.dumps({"medians": med}, indent=None))


if __name__ == "__main__":
    main()
