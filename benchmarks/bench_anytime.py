"""A plan always comes back, and how fast (issue 26): every example and hard profile's week as a command,
beside the code of an earlier revision measured in the same run.

Run:  python benchmarks/bench_anytime.py [--baseline-rev 0ece2c0] [--no-baseline] [--days 7]

For each profile, ``mealplan plan --days 7 --format json`` runs in a fresh process (the table cache
filled by an untimed plan first) and the script prints: exit code, the CPU seconds of the process
(user + system, from ``getrusage``: the machine's other load inflates wall time, not much CPU),
each day's solve status and attempt (schema 2.1 plans), the plan's objective and shortfalls, and the
week's HEI-2020; then the median CPU of the example weeks, of the example day plans, the slowest
hard week against the example median, and every ratio to the baseline. The baseline revision is
installed (``pip install --no-deps --target``) into a temporary folder and run from there, and so is the
working tree (both from compiled bytecode).

The example profiles are the six the baseline can read (later examples use profile fields it does not
know); the hard profiles are ``benchmarks/profiles_hard`` (low-carb, the cost objective, heavy
sweating, the very old with poor appetite, a lactating vegan).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["dietitian_adjusted", "endurance_athlete", "older_diuretics", "pescatarian_lactose", "pregnant",
            "vegan_twitching"]  # fmt: skip
HARD = sorted((ROOT / "benchmarks" / "profiles_hard").glob("*.*"))
COST = {"budget_cost"}  # planned with --objective cost
# A day's attempt (plan.solve.days[].attempt) in one letter, after its status's first letter ("ow": optimal
# from the week's first choice).
ATTEMPT = {"week": "w", "no leftover": "n", "wider": "W", "variety relaxed": "v", "wider, variety relaxed": "V",
           "rescue": "r"}  # fmt: skip


def _cpu_of(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out.returncode, cpu, out.stdout if out.returncode == 0 else out.stderr


def _install(rev: str | None, tmp: Path) -> Path:
    """The revision's package (``None``: the working tree's), installed without dependencies into a
    folder of its own. Both sides are installed the same way, so both run from compiled bytecode (an
    editable install under ``PYTHONDONTWRITEBYTECODE`` compiles some 90 modules in every process)."""
    src, site = tmp / f"src-{rev or 'now'}", tmp / f"site-{rev or 'now'}"
    if rev is None:
        src = ROOT
    else:
        src.mkdir()
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
        (tmp / "rev.tar").write_bytes(archive)
        with tarfile.open(tmp / "rev.tar") as tar:
            tar.extractall(src, filter="data")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(src)],
                   check=True, capture_output=True)  # fmt: skip
    return site


def _run(site: Path | None, profile: Path, days: int, tmp: Path) -> dict:
    env = dict(os.environ)
    if site is not None:
        env["PYTHONPATH"] = str(site)
    cmd = [sys.executable, "-m", "mealplan", "plan", "--profile", str(profile), "--days", str(days), "--format", "json"]
    if profile.stem in COST:
        cmd += ["--objective", "cost"]
    code, cpu, text = _cpu_of(cmd, tmp, env)  # (cwd: not the repository, whose mealplan/ would shadow the install)
    row = {"code": code, "cpu": cpu}
    if code == 0:
        plan = json.loads(text)
        solve = plan["solve"]
        row |= {
            "status": solve["status"],
            "objective": solve.get("objective"),
            "days": [f"{d['status'][:1]}{ATTEMPT.get(d['attempt'], '?')}" for d in solve.get("days", [])],
            "shortfalls": len(plan["shortfalls"]),
            "hei": next((q["total"] for q in plan.get("diet_quality", [])), None),
        }
    else:
        row["error"] = text.strip().splitlines()[-1][:120] if text.strip() else ""
    return row


def _table(name: str, rows: dict[str, dict]) -> None:
    print(f"\n{name}")
    for p, r in rows.items():
        if r["code"] != 0:
            print(f"  {p:26s} exit {r['code']} cpu {r['cpu']:6.2f}  {r.get('error', '')}")
            continue
        hei = f"{r['hei']:.1f}" if r.get("hei") is not None else "-"
        print(f"  {p:26s} exit 0 cpu {r['cpu']:6.2f}  {r['status']:10s} obj {r['objective'] or 0:9.1f} "
              f"short {r['shortfalls']:2d} hei {hei:5s} {' '.join(r['days'])}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-rev", default="0ece2c0")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args()
    print(f"load average at the start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        sites: dict[str, Path | None] = {"now": _install(None, tmp)}
        if not args.no_baseline:
            sites[args.baseline_rev] = _install(args.baseline_rev, tmp)
        examples = [ROOT / "examples" / "profiles" / f"{p}.yaml" for p in EXAMPLES]
        results: dict[str, dict] = {}
        for label, site in sites.items():
            _run(site, examples[0], 1, tmp)  # fill the table cache, compile bytecode: untimed
            weeks = {p.stem: _run(site, p, args.days, tmp) for p in examples}
            days = {p.stem: _run(site, p, 1, tmp) for p in examples}
            hard = {p.stem: _run(site, p, args.days, tmp) for p in HARD}
            results[label] = {"weeks": weeks, "days": days, "hard": hard}
            _table(f"{label}: example weeks", weeks)
            _table(f"{label}: example day plans", days)
            _table(f"{label}: hard weeks", hard)
        print()
        for label, r in results.items():
            week_med = statistics.median(x["cpu"] for x in r["weeks"].values())
            day_med = statistics.median(x["cpu"] for x in r["days"].values())
            slow = max(x["cpu"] for x in r["hard"].values())
            failed = sum(x["code"] != 0 for x in [*r["weeks"].values(), *r["hard"].values()])
            exit4 = sum(x["code"] == 4 for x in r["hard"].values())
            print(f"{label}: example week median CPU {week_med:.2f} s, day plan median {day_med:.2f} s; slowest hard "
                  f"week {slow:.2f} s = {slow / week_med:.2f}x the week median; failed plans {failed} "
                  f"(exit 4 among the hard: {exit4})")  # fmt: skip
        if len(results) == 2:
            now, base = results["now"], results[args.baseline_rev]
            for key in ("weeks", "days"):
                ratio = statistics.median(x["cpu"] for x in now[key].values()) / statistics.median(
                    x["cpu"] for x in base[key].values()
                )
                print(f"ratio now / {args.baseline_rev}, example {key} median CPU: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
