"""Supplements already taken (the profile's ``supplements:``), counted against the upper limits.

The amounts are the clinician's; the tool records them and never suggests, changes or doses one.

- A UL that covers food and supplements together (calcium, vitamin D, zinc, iron...): the food
  maximum becomes the margin below the UL (90 %) minus the supplement. When the supplement alone
  leaves no room for the food minimum, the food is held at its minimum and a note says the dose is
  above the UL: ULs do not apply to a treatment a clinician supervises, and the tool does not judge it.
- A UL on one form (folic acid, niacin and vitamin E added to foods, preformed vitamin A): the
  supplement counts on that form's column (``ul_columns`` of ``target_rules.yaml``).
- A UL for supplements only (magnesium: 350 mg for adults): the food maximum is unchanged; a
  supplement above the UL is a note to take to the prescriber.
- ``counts_toward_target: true``: the supplement also counts toward the day's minimum, which falls
  by its amount.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mealplan.food_data.clinical_rules import load_clinical_rules
from mealplan.food_data.nutrients import BY_ID
from mealplan.food_data.target_rules import load_target_rules

if TYPE_CHECKING:
    from mealplan.targets.draft import Draft
    from mealplan.targets.profile_clinical import Supplement


def apply_supplements(draft: Draft) -> None:
    """Count each supplement against its UL (and toward its target where the profile says so)."""
    supplements = draft.profile.supplements
    if not supplements:
        return
    rules = load_clinical_rules().supplements
    taken: dict[str, float] = {}
    for i, supplement in enumerate(supplements):
        column = load_target_rules().ul_columns.get(supplement.nutrient, supplement.nutrient)
        amount = supplement.per_day()
        taken[column] = round(taken.get(column, 0.0) + amount, 6)
        if supplement.counts_toward_target:
            _toward_target(draft, supplement, amount, i)
    for column, amount in taken.items():
        _against_ul(draft, column, amount, [s for s in supplements if _column(s) == column])
    draft.extra["supplements"] = taken
    listed = "; ".join(s.label() for s in supplements)
    draft.notes.append(rules.note.format(listed=listed))


def _column(supplement: Supplement) -> str:
    return load_target_rules().ul_columns.get(supplement.nutrient, supplement.nutrient)


def _toward_target(draft: Draft, supplement: Supplement, amount: float, index: int) -> None:
    t = draft.target(supplement.nutrient)
    if t.min is None:
        return
    lo = max(0.0, t.min - amount)
    unit = BY_ID[supplement.nutrient].unit
    src = f"{t.min_source} - {amount:,.4g} {unit} from supplements[{index}] (counts toward the target)"
    draft.update(supplement.nutrient, min=float(f"{lo:.6g}"), min_source=src)


def _against_ul(draft: Draft, column: str, amount: float, supplements: list[Supplement]) -> None:
    """The food maximum under a UL that a supplement shares (see the module docstring)."""
    intake = draft.intakes.get(column)
    if intake is None or intake.ul is None:
        return
    bound = draft.profile.nutrients.get(column)
    if bound is not None and bound.max is not None:
        return  # the dietitian's own maximum for food wins
    unit, ul = intake.unit, intake.ul
    names = ", ".join(s.name or BY_ID[s.nutrient].name.lower() for s in supplements)
    taken = f"{names}, {amount:,.4g} {unit} a day"
    if not intake.ul_limits_food:
        if amount > ul:
            _note(draft, "over_ul_note", column, taken, ul, f"{intake.ul_applies_to}")
        return
    share = load_target_rules().ul_margin.share
    t = draft.target(column)
    floor = t.min or 0.0
    what = f"{amount:,.4g} {unit} from supplements ({names})"
    if share * ul - amount >= floor:
        held, src = share * ul - amount, f"{share:.0%} of the UL ({ul:,.4g} {unit}) - {what}, {draft.stage}"
    elif ul - amount >= floor:
        held, src = ul - amount, f"the UL ({ul:,.4g} {unit}) - {what} (the minimum needs more than {share:.0%})"
    else:
        held = floor
        src = f"held at the minimum: {what} leaves less than the minimum below the UL ({ul:,.4g} {unit})"
        key = "over_ul_note" if amount > ul else "near_ul_note"
        _note(draft, key, column, taken, ul, "food and supplements together")
    if t.max is None or held < t.max:
        draft.update(column, max=float(f"{held:.6g}"), max_source=src, soft_max=None)


def _note(draft: Draft, key: str, column: str, taken: str, ul: float, what: str) -> None:
    unit = BY_ID[column].unit
    template = getattr(load_clinical_rules().supplements, key)
    draft.notes.append(template.format(name=BY_ID[column].name, amount=taken, ul=f"{ul:,.4g} {unit}", what=what))
