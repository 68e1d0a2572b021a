"""The verify tests that need the real bundled table share the planner tests' session fixture."""

from tests.optimizer.conftest import bundled  # noqa: F401 - a pytest fixture
