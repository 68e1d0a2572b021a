"""The batch tests read the planner tests' bundled food table (``bundled``)."""

from tests.optimizer.conftest import bundled  # noqa: F401 - pytest fixtures
