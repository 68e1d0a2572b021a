"""The dietitian's workbench: clients and plan history in SQLite, diff, edit and rescore, lock and re-plan.

A library package: the CLI (``cli/cmd_clients.py``, ``cmd_history``, ``cmd_diff``, ``cmd_edit``,
``cmd_replan``) and a web page call the same functions; nothing here imports click or prints.

- :mod:`.store`: the database (clients, profile versions, plans), schema versions and migrations.
- :mod:`.sources`: a plan named by a file or a stored plan id.
- :mod:`.diff`: what changed between two plans, and the nutrient deltas against the targets.
- :mod:`.edit`: edit a saved plan's items and rescore it from the food data.
"""

from __future__ import annotations
