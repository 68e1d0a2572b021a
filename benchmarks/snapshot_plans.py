"""Plans and reports of the example profiles, written to a folder, and two such folders compared.

A refactoring that promises "plans are byte-identical before and after" is checked with it:

    python benchmarks/snapshot_plans.py write /tmp/before      # on the old code
    python benchmarks/snapshot_plans.py write /tmp/after       # on the new code
    python benchmarks/snapshot_plans.py compare /tmp/before /tmp/after

Each example profile (``examples/profiles``) is planned for 1 and 7 days in a fresh ``mealplan``
process, as JSON and as Markdown, with a time limit far above what a day needs (so the solver's
answer does not depend on the machine's load) and a fixed ``PYTHONHASHSEED``. The JSON's timings
and version line are blanked, the only parts of a plan that may differ between two runs of the same
code.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMINGS = ("build_seconds", "solve_seconds", "total_seconds")


def _normalise(text: str) -> str:
    plan = json.loads(text)
    plan["created_with"] = ""
    for key in TIMINGS:
        plan.get("solve", {})[key] = 0.0
    return json.dumps(plan, indent=1, sort_keys=True)


def write(folder: Path, time_limit: float) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for profile in sorted((ROOT / "examples" / "profiles").glob("*.yaml")):
        for days in (1, 7):
            for fmt in ("json", "md"):
                cmd = [sys.executable, "-m", "mealplan", "plan", "--profile", str(profile), "--days", str(days),
                       "--time-limit", str(time_limit), "--format", fmt]  # fmt: skip
                env = {**os.environ, "PYTHONHASHSEED": "0"}
                out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
                text = out.stdout if out.returncode == 0 else f"exit {out.returncode}\n{out.stderr}"
                if fmt == "json" and out.returncode == 0:
                    text = _normalise(text)
                if fmt == "md":  # the Markdown report quotes the solve's seconds
                    text = re.sub(r"\d+(\.\d+)? s\b", "_ s", text)
                name = f"{profile.stem}_{days}d.{fmt}"
                (folder / name).write_text(text, encoding="utf-8")
                print(f"{name}: exit {out.returncode}", flush=True)


def compare(a: Path, b: Path) -> int:
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    differ = [n for n in names if not (a / n).exists() or not (b / n).exists()
              or (a / n).read_bytes() != (b / n).read_bytes()]  # fmt: skip
    for n in names:
        print(f"{n}: {'DIFFERS' if n in differ else 'same'}")
    print(f"{len(names) - len(differ)} of {len(names)} files byte-identical")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", required=True)
    w = sub.add_parser("write")
    w.add_argument("folder", type=Path)
    w.add_argument("--time-limit", type=float, default=600.0)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.verb == "write":
        write(args.folder, args.time_limit)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
