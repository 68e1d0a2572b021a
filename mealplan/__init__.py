"""mealplan: meal plans that correct nutrient shortfalls, from USDA food data, by mixed-integer programming.

The public API, for notebooks and scripts; the module layout behind it may change, these names will not::

    from mealplan import compute_targets, load_bundled, load_profile, plan_week, verify_plan

    profile = load_profile("examples/profiles/vegan_twitching.yaml")
    targets = compute_targets(profile)          # adjust them here if you like
    plan = plan_week(profile, targets=targets)  # the targets you pass are the ones planned for
    assert verify_plan(plan, load_bundled()).ok

Plans and triage results are educational, not medical advice: every output carries
``DISCLAIMER``, and red flags come first.
"""

from __future__ import annotations

from importlib import import_module
from pkgutil import extend_path
from typing import TYPE_CHECKING, Any

# The subpackages live in top-level folders of the repository (``optimizer/`` is ``mealplan.optimizer``)
# and the editable install links them under one ``mealplan`` folder on the path (setuptools' strict
# mode). Run from the repository's root (``python -m pytest``), this folder is found first and holds
# only the core: the subpackages are then found in the installed ``mealplan`` folder, as in a package
# split over two directories. In a wheel there is one folder and this changes nothing.
__path__ = extend_path(__path__, __name__)

# Names resolve on first use: ``mealplan triage`` must not pay for pulp, highspy and pandas
# (about 0.3 s of imports) just because the CLI lives inside this package.
_EXPORTS: dict[str, str] = {
    "DISCLAIMER": "mealplan.triage",
    "TriageInput": "mealplan.triage",
    "TriageResult": "mealplan.triage",
    "run_triage": "mealplan.triage",
    "MealplanError": "mealplan.errors",
    "ConfigError": "mealplan.errors",
    "InputError": "mealplan.errors",
    "FoodTable": "mealplan.food_data.table",
    "load_bundled": "mealplan.food_data.table",
    "load_tables": "mealplan.food_data.loading",
    "Profile": "mealplan.targets.profile",
    "load_profile": "mealplan.targets.profile_files",
    "profile_from_dict": "mealplan.targets.profile_files",
    "Targets": "mealplan.targets.model",
    "compute_targets": "mealplan.targets.compute",
    "Plan": "mealplan.plan",
    "make_plan": "mealplan.optimizer.planner",
    "verify_plan": "mealplan.verify.verifier",
    "load_plan": "mealplan.plan_files",
    "shopping_list": "mealplan.report.shopping",
    "render_html": "mealplan.report",
    "render_markdown": "mealplan.report",
    "load_jobs": "mealplan.batch",
    "run_batch": "mealplan.batch",
    "solve_basket": "mealplan.optimizer.basket",
}

__all__ = sorted([*_EXPORTS, "plan_day", "plan_household", "plan_week"])

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from pathlib import Path

    from mealplan.food_data.table import FoodTable
    from mealplan.household_plan import HouseholdPlan
    from mealplan.plan import Plan
    from mealplan.targets.household import Household
    from mealplan.targets.model import Targets
    from mealplan.targets.profile import Profile


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mealplan' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def plan_day(
    profile: Profile, *, targets: Targets | None = None, foods: FoodTable | None = None, **options: Any
) -> Plan:
    """One day of meals for ``profile``.

    Args:
        profile: From :func:`load_profile` or :func:`profile_from_dict`.
        targets: Targets to plan for (from :func:`compute_targets`, adjusted or not); computed from
            the profile and its triage when ``None``.
        foods: The food table; the bundled USDA table when ``None``.
        **options: Passed to :func:`make_plan` (``time_limit``, ``solver``, ``objective``, ...).
    """
    from mealplan.food_data.table import load_bundled  # resolved lazily, as above
    from mealplan.optimizer.planner import make_plan

    return make_plan(profile, foods if foods is not None else load_bundled(), days=1, targets=targets, **options)


def plan_week(
    profile: Profile,
    *,
    days: int = 7,
    targets: Targets | None = None,
    foods: FoodTable | None = None,
    **options: Any,
) -> Plan:
    """A week (2 to 7 days) of meals for ``profile``; see :func:`plan_day` for the arguments."""
    from mealplan.food_data.table import load_bundled  # resolved lazily, as above
    from mealplan.optimizer.planner import make_plan

    return make_plan(profile, foods if foods is not None else load_bundled(), days=days, targets=targets, **options)


def plan_household(
    household: Household | str | Path,
    *,
    days: int = 7,
    foods: FoodTable | None = None,
    **options: Any,
) -> HouseholdPlan:
    """Days of meals for a household: its members planned together, a shared meal one dish with each
    person's own portion, every person's rules kept, the pantry used first, one shopping list.

    Args:
        household: A household file (YAML; see ``docs/households.md``) or a loaded household
            (``mealplan.targets.household.load_household``; members given as stored clients need its
            ``client_profile`` lookup).
        days: 1 to 28.
        foods: The food table; the bundled USDA table when ``None``.
        **options: Passed to ``mealplan.optimizer.household_planner.plan_household`` (``time_limit``,
            ``start``, ``objective``, ``solver``, ...).

    Example::

        from mealplan import plan_household, verify_plan
        home = plan_household("examples/households/home.yaml", days=7)
        assert all(verify_plan(m.plan, load_bundled()).ok for m in home.members)
    """
    from mealplan.food_data.table import load_bundled  # resolved lazily, as above
    from mealplan.optimizer.household_planner import plan_household as plan
    from mealplan.targets.household import Household, load_household

    home = household if isinstance(household, Household) else load_household(household)
    return plan(home, foods if foods is not None else load_bundled(), days=days, **options)
