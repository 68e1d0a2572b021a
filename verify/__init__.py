"""The independent check of a plan: every total recomputed from the food table and every rule the
plan records checked again, without the model that made it.

Nothing here imports the planner (``mealplan.optimizer``): a check that shared the planner's code
would share its mistakes. ``tests/test_architecture.py`` holds that.

- ``verifier.py``: :func:`verify_plan` and its report;
- ``totals.py``, ``foods.py``, ``meals.py``, ``edits.py``: the checks of numbers, of foods and
  variety, of meals, and of a dietitian's rules and edits;
- schema 2.1: ``variety.py`` (breakfasts and snacks a week), ``drinks.py`` (drinks, coffee and tea,
  fluids), ``serving.py`` (counted foods in whole units, pattern pairings), ``clinical.py`` (the
  targets' per-meal and per-kind limits), ``quality.py`` (food groups, HEI-2020, each day's solve);
  ``lookup.py`` reads the food table and the shared meal-rule data for them.
"""

from mealplan.verify.verifier import Problem, VerificationReport, verify_plan

__all__ = ["Problem", "VerificationReport", "verify_plan"]
