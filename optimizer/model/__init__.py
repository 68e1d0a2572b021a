"""The day model of meals people cook: a mixed-integer goal program, built and never solved here.

- ``spec.py``: what a day's model is made of (dish and pattern options, pool foods, ``MealSpec``)
  and the built model (``MealModel``), with the formulation in its docstring;
- ``build.py``: :func:`build_meal_model`, which calls one function per constraint family:
  ``meals.py`` (meal structure), ``variety.py`` (the day's food rules), ``drinks.py``,
  ``requirements.py``, ``energy.py``, ``nutrients.py`` (macros, upper limits, goals), ``groups.py``
  (food groups) and ``preferences.py`` (likes, cost);
- ``weights.py``: what each aim costs in the objective.
"""

from mealplan.optimizer.model.build import build_meal_model
from mealplan.optimizer.model.spec import (
    DRINK_USE,
    MEAL_USE,
    REQUIRED_POOL,
    DishOption,
    Drink,
    MealFacts,
    MealModel,
    MealSpec,
    PatternEntry,
    PatternOption,
    PoolFood,
    Required,
)
from mealplan.optimizer.model.weights import MACRO_KCAL, SHORTFALL_WEIGHT

__all__ = [
    "DRINK_USE",
    "MACRO_KCAL",
    "MEAL_USE",
    "REQUIRED_POOL",
    "SHORTFALL_WEIGHT",
    "DishOption",
    "Drink",
    "MealFacts",
    "MealModel",
    "MealSpec",
    "PatternEntry",
    "PatternOption",
    "PoolFood",
    "Required",
    "build_meal_model",
]
