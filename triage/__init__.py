"""Triage: symptoms and risk factors to suspected nutrient shortfalls, red flags and notes.

Only the nutrient registry is used from ``food_data``; no pandas, so importing this is fast.
"""

from mealplan.triage.engine import (
    DISCLAIMER,
    knowledge,
    load_knowledge,
    normalize_terms,
    nutrient_name,
    run_triage,
    to_markdown,
    vocabulary,
)
from mealplan.triage.models import Reason, RedFlag, SuspectedNutrient, TriageInput, TriageResult

__all__ = [
    "DISCLAIMER",
    "Reason",
    "RedFlag",
    "SuspectedNutrient",
    "TriageInput",
    "TriageResult",
    "knowledge",
    "load_knowledge",
    "normalize_terms",
    "nutrient_name",
    "run_triage",
    "to_markdown",
    "vocabulary",
]
