"""Drinks: all of a day's drinks together stay within three cups (a meal's one drink is a meal rule,
``meals.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mealplan.optimizer import expr
from mealplan.optimizer.model.spec import DRINK_USE
from mealplan.optimizer.model.weights import DRINKS_DAY_MAX_G

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def add_day_limit(b: Build) -> None:
    """Four large glasses of milk a day is not a diet: the day's drinks weigh at most ``DRINKS_DAY_MAX_G``."""
    pool_foods = {f.id: f for f in b.spec.foods}
    drink_terms = [(v, pool_foods[f].step_g) for (f, _, use), v in b.n.items() if use == DRINK_USE]
    if drink_terms:
        expr.add_le(b.prob, drink_terms, DRINKS_DAY_MAX_G, "drinks_day")
