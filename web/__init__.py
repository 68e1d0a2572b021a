"""``mealplan serve``: a local web page for dietitians on the workbench library and database.

A thin layer of the same kind as ``cli/``: it parses a form, calls the library (the workbench
:class:`~mealplan.workbench.store.Store`, ``make_plan``, ``replan``, ``lock_meals``, the meal editor,
``diff_plans``, the history, the report and the handout) and renders a Jinja2 template (autoescaped).
Every page works without a script (plain forms, POST-redirect-GET, a job page that refreshes itself);
one static script (``static/web.js``, no inline script: the CSP forbids it) adds name suggestions.
See ``docs/web-page.md``.

- :mod:`.app`: the Starlette application (routes, middleware, error pages, static files).
- :mod:`.client_pages`: the client list, a client's page, the profile form.
- :mod:`.plan_pages`: plans and jobs, lock, re-plan, forbid, plan again, downloads and the handout.
- :mod:`.meal_pages`: the meal editor (amounts, swaps, additions, removals, dish swaps).
- :mod:`.history_pages`: compare any two plans, status and note, undo.
- :mod:`.search_pages`: foods and dishes by name (a page and JSON).
- :mod:`.base`: what every page shares (templates, the page with the disclaimer, the CSRF check, id
  and record look-ups that turn bad ids and damaged rows into pages).
- :mod:`.forms`, :mod:`.constraints`: the profile form, its Require and Forbid rows, errors by field.
- :mod:`.security`: the access token, signed CSRF tokens, security headers, the wrong-token slowdown.
- :mod:`.jobs`, :mod:`.tasks`: work in background processes, so a long solve never blocks a page.
"""

from __future__ import annotations
