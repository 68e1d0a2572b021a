"""Bariatric surgery: energy well below the EER by the months since surgery, small meals, protein
first, drinks apart from meals and no sugary drinks (ASMBS 2019; the numbers in
``food_data/data/clinical_rules.yaml``). Sugary drinks and sweets are kept out by the safety rules
(``food_data/data/safety.yaml``). The vitamins and minerals after surgery are the bariatric team's:
they go under ``supplements:`` and count against the upper limits, and the tool never suggests them.

Refused: bariatric surgery without ``conditions.bariatric.months_since``, and the first two months
(the team's liquid, puréed and soft stages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mealplan.food_data.clinical_rules import load_clinical_rules
from mealplan.targets.draft import TOP_PRIORITY

if TYPE_CHECKING:
    from mealplan.targets.draft import Draft


def apply_bariatric(draft: Draft) -> None:
    """Energy, meal size, protein and drinks after bariatric surgery, or the refusal naming the field."""
    rules = load_clinical_rules().bariatric
    surgery = draft.profile.condition_details().bariatric
    if surgery is None and not draft.has(rules.factor):
        return
    if surgery is None:
        draft.problems.append(
            "conditions.bariatric.months_since: bariatric surgery needs the months since the operation (and "
            "conditions.bariatric.procedure): the energy, meal size and texture depend on them (ASMBS 2019)"
        )
        return
    months = surgery.months_since
    phase = rules.phase_at(months)
    if months < rules.from_months or phase is None:
        draft.problems.append(
            f"conditions.bariatric.months_since: {months:g} months after surgery is the bariatric team's staged "
            f"diet; plans start from {rules.from_months:g} months ({rules.early_source})"
        )
        return
    _energy(draft, phase.energy_min, phase.energy_max, months)
    draft.extra["meal_mass_max_g"] = phase.meal_max_g
    draft.extra["meal_mass_source"] = f"{phase.meal_max_g:g} g of food a meal, {months:g} months: {rules.meal_source}"
    draft.extra["drinks_with_meals"] = False
    draft.extra["drinks_source"] = rules.drinks_source
    protein = draft.target("protein")
    src = f"{rules.protein_min_g:g} g, protein first: {rules.protein_source}"
    draft.update("protein", min=rules.protein_min_g, min_source=src, priority=max(protein.priority, TOP_PRIORITY))
    draft.condition(f"bariatric surgery ({surgery.procedure}, {months:g} months)")
    energy = f"{draft.e_min:,.0f}-{draft.e_max:,.0f}"
    draft.notes.append(
        rules.note.format(procedure=surgery.procedure, months=months, meal_g=phase.meal_max_g, energy=energy)
    )


def _energy(draft: Draft, low: float, high: float, months: float) -> None:
    """The phase's energy range, never above the EER; the team's ``energy_kcal`` or ``nutrients.energy`` win."""
    profile = draft.profile
    if profile.energy_kcal is not None or "energy" in profile.nutrients:
        return
    rules = load_clinical_rules().bariatric
    eer = draft.kcal
    high = min(high, eer)
    low = min(low, high)
    draft.kcal = round((low + high) / 2, 1)
    draft.e_min, draft.e_max = float(low), float(high)
    draft.e_src = f"{low:,.0f}-{high:,.0f} kcal, {months:g} months after bariatric surgery (EER {eer:,.0f}): "
    draft.e_src += rules.energy_source
