"""Shared helpers for the command-line tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

_PROBE = (
    "import sys; from mealplan.cli.main import cli\n"
    "try: cli(sys.argv[1:])\n"
    "except SystemExit as e: assert not e.code, e.code\n"
    "print('pandas' in sys.modules)"
)


@pytest.fixture
def imports_pandas():
    """Run ``mealplan ARGS`` in a fresh Python and say whether it imported pandas (0.4 s of start-up)."""

    def run(*args: str) -> bool:
        out = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=True)
        return out.stdout.strip().splitlines()[-1] == "True"

    return run
