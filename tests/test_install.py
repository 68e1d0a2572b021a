"""mealplan as a user installs it: a wheel in a fresh virtual environment outside the repository.

- ``mealplan init`` writes the examples and the README's week plan runs from them;
- PyPI's own ``triage`` and ``optimizer`` distributions installed beside it break nothing (mealplan
  installs one import package, ``mealplan``, and no generic top-level name).

The wheel goes in with ``--no-deps``; the dependencies come from the test environment's
site-packages through a ``.pth`` line (which adds that folder to ``sys.path`` without running its own
``.pth`` files, so the test environment's editable mealplan stays out). Marked ``slow``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MEALPLAN_SOLVER_LOG")}
    env["NO_COLOR"] = "1"
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(bin folder of a fresh venv with the built wheel, an empty working folder outside the repo)."""
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)], cwd=base)
    if built.returncode != 0:
        pytest.fail(f"pip wheel failed:\n{built.stdout}\n{built.stderr}")
    (wheel,) = wheels.glob("mealplan-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bindir = env_dir / "bin"
    python = bindir / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base).stdout.strip()
    )
    (site / "zz_test_env_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)], cwd=base
    )
    if done.returncode != 0:
        pytest.fail(f"installing the wheel failed:\n{done.stdout}\n{done.stderr}")
    work = base / "work"
    work.mkdir()
    where = _run([str(python), "-c", "import mealplan; print(mealplan.__file__)"], cwd=work)
    assert where.stdout.startswith(str(env_dir)), where.stdout + where.stderr  # the wheel, not the repo
    return bindir, work


def test_wheel_init_then_a_week_plan(installed):
    bindir, work = installed
    init = _run([str(bindir / "mealplan"), "init"], cwd=work)
    assert init.returncode == 0, init.stderr
    assert "mealplan plan --profile examples/profiles/vegan_twitching.yaml" in init.stdout
    assert (work / "examples" / "profiles" / "vegan_twitching.yaml").is_file()
    assert (work / "examples" / "basket" / "commodities.csv").is_file()
    assert len(list((work / "examples" / "batch").iterdir())) >= 2
    again = _run([str(bindir / "mealplan"), "init"], cwd=work)
    assert again.returncode == 2 and "--force" in again.stderr
    plan = _run(
        [str(bindir / "mealplan"), "plan", "--profile", "examples/profiles/vegan_twitching.yaml", "--days", "7"],
        cwd=work,
    )
    assert plan.returncode == 0, plan.stderr
    assert "HiGHS" not in plan.stdout + plan.stderr


def test_pypi_triage_and_optimizer_beside_mealplan(installed, tmp_path):
    bindir, work = installed
    python = bindir / "python"
    got = _run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(tmp_path), "triage", "optimizer"],
        cwd=tmp_path,
    )
    if got.returncode != 0:
        pytest.skip(
            f"the package index is unreachable, so PyPI's triage and optimizer cannot be fetched: {got.stderr[-300:]}"
        )
    wheels = sorted(str(p) for p in tmp_path.glob("*.whl"))
    assert len(wheels) == 2, got.stdout
    done = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", *wheels], cwd=work
    )
    assert done.returncode == 0, done.stderr
    # They really are there, under the generic names mealplan no longer uses (found, not imported:
    # installed without their own dependencies, PyPI's triage does not import).
    there = _run(
        [
            str(python),
            "-c",
            "import importlib.util as u; print(u.find_spec('triage').origin, u.find_spec('optimizer').origin)",
        ],
        cwd=work,
    )
    assert there.returncode == 0 and "site-packages" in there.stdout, there.stderr
    if not (work / "examples").exists():
        assert _run([str(bindir / "mealplan"), "init"], cwd=work).returncode == 0
    triage = _run([str(bindir / "mealplan"), "triage", "--symptom", "muscle-twitching", "--format", "json"], cwd=work)
    assert triage.returncode == 0, triage.stderr
    assert '"suspected"' in triage.stdout
    plan = _run([str(bindir / "mealplan"), "plan", "--profile", "examples/profiles/vegan_twitching.yaml"], cwd=work)
    assert plan.returncode == 0, plan.stderr
