"""The dietitian's workbench: clients and plan history in SQLite, diff, edit and rescore, lock and re-plan.

A library package: the CLI (``cli/cmd_clients.py``, ``cmd_history``, ``cmd_diff``, ``cmd_edit``,
``cmd_replan``) and a web page call the same functions; nothing here imports click or prints.

- :mod:`.store`: the database (clients, profile versions, plans), schema versions and migrations.
- :mod:`.sources`: a plan named by a file or a stored plan id.
- :mod:`.clients`: a client's profile changes (``--set``) and plan rules (``--require``, ``--forbid``).
- :mod:`.diff`: what changed between two plans, and the nutrient deltas against the targets.
- :mod:`.edit`: edit a saved plan's items and rescore it from the food data.
- :mod:`.replan`: lock meals, re-plan a day or a meal with the rest of the week kept.
- :mod:`.batch`: every client's profile out to a folder for ``mealplan batch``, the plans back in.
- :mod:`.render`: terminal tables and Markdown for the above.

Example::

    from mealplan.workbench import Store, diff_plans, replan

    with Store.open("clinic.db") as store:
        plan = store.plan(3)
    week2 = replan(plan, foods, day=3)
    changes = diff_plans(plan, week2)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS: dict[str, str] = {
    "Store": "mealplan.workbench.store",
    "read_plan": "mealplan.workbench.sources",
    "diff_plans": "mealplan.workbench.diff",
    "PlanDiff": "mealplan.workbench.diff",
    "edit_plan": "mealplan.workbench.edit",
    "ItemEdit": "mealplan.workbench.edit",
    "rescore": "mealplan.workbench.edit",
    "replan": "mealplan.workbench.replan",
    "lock_meals": "mealplan.workbench.replan",
    "changed_profile": "mealplan.workbench.clients",
    "with_plan_rules": "mealplan.workbench.clients",
    "export_profiles": "mealplan.workbench.batch",
    "import_plans": "mealplan.workbench.batch",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mealplan.workbench' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
