"""The public API of ``import mealplan``: every exported name resolves, lazily."""

from __future__ import annotations

import subprocess
import sys

import mealplan


def test_every_exported_name_resolves():
    missing = []
    for name in mealplan.__all__:
        try:
            getattr(mealplan, name)
        except (AttributeError, ImportError) as exc:
            missing.append(f"{name}: {exc}")
    assert not missing


def test_import_mealplan_loads_no_solver_or_pandas():
    code = "import sys, mealplan; print(sorted({'pulp', 'highspy', 'pandas'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
