"""Triage: symptoms and risk factors to suspected nutrient shortfalls, red flags and notes.

Only the nutrient registry is used from ``food_data``; no pandas, so importing this is fast.
"""

from mealplan.triage.engine import (
    DISCLAIMER,
    diet_factors,
    has_findings,
    implies_multiple_groups,
    knowledge,
    load_knowledge,
    normalize_terms,
    nutrient_name,
    run_triage,
    to_markdown,
    urgency_label,
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
    "diet_factors",
    "has_findings",
    "implies_multiple_groups",
    "knowledge",
    "load_knowledge",
    "normalize_terms",
    "nutrient_name",
    "run_triage",
    "to_markdown",
    "urgency_label",
    "vocabulary",
]
