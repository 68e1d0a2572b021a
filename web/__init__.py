"""``mealplan serve``: a local web page for dietitians on the workbench library and database.

A thin layer of the same kind as ``cli/``: it parses a form, calls the library (the workbench
:class:`~mealplan.workbench.store.Store`, ``make_plan``, ``replan``, ``lock_meals``, ``diff_plans``,
the report) and renders a Jinja2 template (autoescaped). No script runs in the page: plain forms,
POST-redirect-GET, and a job page that refreshes itself while a plan solves in a worker process.

- :mod:`.app`: the Starlette application (routes, error pages, static files).
- :mod:`.pages`: what each page shows and each form does.
- :mod:`.base`: what every page shares (templates, the page with the disclaimer, the CSRF check).
- :mod:`.forms`: the profile form to a profile's fields and back, and errors by field.
- :mod:`.security`: the access token (any host but loopback) and CSRF tokens.
- :mod:`.jobs`: solves in a background process, so a long solve never blocks a page.
"""

from __future__ import annotations
