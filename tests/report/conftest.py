"""The report tests read the planner tests' saved week and food tables (``plan``, ``sr24``, ``bundled``, ``tiny``)."""

from tests.optimizer.conftest import bundled, plan, sr24, tiny  # noqa: F401 - pytest fixtures
