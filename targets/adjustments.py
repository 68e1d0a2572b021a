"""Safety adjustments to the reference intakes: upper-limit margins, medicines, conditions and diets.

The rules and their sources live in ``food_data/data/target_rules.yaml``
(:mod:`food_data.target_rules`); this module applies them for :func:`targets.compute.compute_targets`:

- **Upper limits** that apply to food become a maximum of 90 % of the UL (``ul_margin``); the UL
  itself is kept on the target (``Target.ul``) so plans can report their highest %UL. A UL that covers
  one form of a nutrient sits on that form's column (``ul_columns``: retinol; folic acid, niacin and
  vitamin E added to fortified foods). Above half the UL (``Target.soft_max``) intake costs a little
  in the plan's polish step (:data:`optimizer.model.weights.EXCESS_WEIGHT`).
- **Vegetarian and vegan diets** multiply the iron (x1.8) and zinc (x1.5) minimums, never above the
  margin below the UL.
- **Sodium**: heavy sweating or endurance exercise lift the CDRR cap, except with a diuretic, an ACE
  inhibitor or ARB, hypertension or kidney disease.
- **Potassium** is never raised with a diuretic, an ACE inhibitor or ARB, or kidney disease; where
  potassium may be retained (potassium-sparing diuretic, ACE inhibitor or ARB, kidney disease, or a
  diuretic of unknown type) it is capped near the AI; with a loop or thiazide diuretic intakes above
  1.25 x the AI are discouraged (``Target.soft_max``). **Water** is not raised with a diuretic or
  kidney disease.
- **Vitamin B12** from fortified foods (a minimum on ``vitamin_b12_added``) from age 51, or with
  acid reducers or metformin.

Each rule that fires adds a note the plan carries (``Targets.notes``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mealplan.food_data.clinical_rules import load_clinical_rules
from mealplan.food_data.nutrients import BY_ID
from mealplan.food_data.target_rules import load_target_rules

if TYPE_CHECKING:
    from mealplan.food_data.reference import Intake
    from mealplan.targets.model import Target


def _fmt(value: float, unit: str) -> str:
    return f"{value:,.4g} {unit}"


def _pct(share: float) -> str:
    return f"{share * 100:g} %"


def raise_blocked_by() -> dict[str, frozenset[str]]:
    """Nutrient -> the risk factors with which a suspected deficiency never raises its goal: potassium
    and water with the diuretic and kidney rules; protein and magnesium with kidney disease (the
    kidneys clear less of them: KDOQI 2020); vitamin K with warfarin (kept steady instead)."""
    rules = load_target_rules()
    clinical = load_clinical_rules()
    potassium = {*rules.potassium_retention.factors, *rules.potassium_no_raise.factors}
    return {
        "potassium": frozenset(potassium),
        "water": frozenset(rules.water_no_raise.factors),
        "protein": frozenset({clinical.ckd.factor}),
        "magnesium": frozenset({clinical.ckd.factor}),
        "vitamin_k": frozenset(clinical.warfarin.factors),
    }


def fit_protein_range(
    ranges: dict[str, tuple[float, float]], protein: Target | None, e_min: float, e_max: float
) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """The AMDR widened so the protein target's bounds fit in it (a kidney-disease limit of 0.6 g/kg
    is about 8 % of energy, below the AMDR's 10 %), and why; unchanged when they already fit.

    The range is a hard rule of the day model, the protein maximum too: the lower end must allow the
    maximum at the highest energy, and the upper end the minimum at the lowest energy.
    """
    ranges = dict(ranges)
    if protein is None or "protein" not in ranges or e_min <= 0:
        return ranges, {}
    lo, hi = ranges["protein"]
    new_lo, new_hi = lo, hi
    if protein.max is not None:
        new_lo = min(lo, math.floor(protein.max * 4 * 100 / e_max))
    if protein.min is not None:
        new_hi = max(hi, math.ceil(protein.min * 4 * 100 / e_min))
    if (new_lo, new_hi) == (lo, hi):
        return ranges, {}
    ranges["protein"] = (float(max(new_lo, 0)), float(min(new_hi, 100)))
    why = protein.max_source if new_lo != lo else protein.min_source
    return ranges, {"protein": f"AMDR {lo:g}-{hi:g} % widened to fit the protein target ({why})"}


def diet_minimum(
    nid: str, intake: Intake, lo: float | None, lo_src: str, diet: str, stage: str
) -> tuple[float | None, str]:
    """The minimum after the diet's multiplier (vegetarian iron x1.8, zinc x1.5), at most 90 % of the UL."""
    rule = load_target_rules().diet_multipliers.get(diet, {}).get(nid)
    if rule is None or lo is None:
        return lo, lo_src
    new = lo * rule.factor
    src = f"{intake.kind} x {rule.factor:g} ({diet} diet; {rule.source}), {stage}"
    if intake.ul is not None and intake.ul_limits_food and intake.ul_kind == "UL":
        cap = load_target_rules().ul_margin.share * intake.ul
        if new > cap:
            new = max(cap, lo)
            src += f"; held at {_pct(load_target_rules().ul_margin.share)} of the UL ({_fmt(intake.ul, intake.unit)}): "
            src += "ask the clinician how to cover the rest"
    return float(f"{new:.6g}"), src


def food_maximum(
    nid: str, intake: Intake, lo: float | None, stage: str, factors: set[str]
) -> tuple[float | None, str, float | None]:
    """(maximum, its source, the UL that applies to food) for one nutrient.

    A food UL becomes a maximum of 90 % of it (the UL itself when the minimum needs more, which is
    said); the sodium CDRR stays a maximum unless sweating lifts it and no diuretic, hypertension or
    kidney disease keeps it.
    """
    rules = load_target_rules()
    unit = intake.unit
    column = rules.ul_columns.get(nid)
    if intake.ul is None:
        if column is not None:
            return None, f"UL applies to {BY_ID[column].name.lower()}: see {column}", None
        return None, "no UL", None
    if not intake.ul_limits_food:
        if column is not None:
            return None, f"UL applies to {intake.ul_applies_to} and fortified foods: counted on {column}", None
        return None, f"UL applies to {intake.ul_applies_to} only, not set", None
    if intake.ul_kind == "CDRR":
        src = f"CDRR ({BY_ID[nid].name.lower()}), {stage}"
        sweat = rules.sodium_sweat
        lifted = sorted(factors & set(sweat.lift_factors))
        if nid == "sodium" and lifted:
            kept = sorted(factors & set(sweat.keep_factors))
            if not kept:
                why = f"{', '.join(lifted)} ({sweat.lift_source})"
                return None, f"CDRR {_fmt(intake.ul, unit)} not applied: {why}", None
            src += f"; {', '.join(lifted)} {sweat.keep_source} ({', '.join(kept)})"
        return intake.ul, src, None
    share = rules.ul_margin.share
    cap = float(f"{share * intake.ul:.6g}")
    if lo is not None and lo > cap:
        return intake.ul, f"UL, {stage} (the minimum needs more than {_pct(share)} of it)", intake.ul
    return cap, f"{_pct(share)} of the UL ({_fmt(intake.ul, unit)}), {stage}: {rules.ul_margin.source}", intake.ul


def discourage_above(lo: float | None, hi: float | None, ul: float | None) -> float | None:
    """Where intake starts to count as far above the target: ``discourage_above`` of the UL, or the
    minimum when that is higher, never above the maximum; ``None`` without a food UL."""
    if ul is None:
        return None
    level = max(load_target_rules().ul_margin.discourage_above * ul, lo or 0.0)
    return float(f"{min(level, hi) if hi is not None else level:.6g}")


def apply_factor_rules(
    items: dict[str, Target],
    intakes: dict[str, Intake],
    age: float,
    factors: set[str],
    stage: str,
    make_target: Callable[..., Target],
) -> tuple[dict[str, Target], list[str]]:
    """The potassium cap, water and B12 rules for the person's risk factors, and the notes they add.

    Args:
        items: The targets so far (reference intakes, diet multipliers, suspected deficiencies).
        intakes: The reference intakes of the life stage.
        age: The person's age in years.
        factors: The person's risk factors (profile and triage).
        stage: The life stage, for sources.
        make_target: ``targets.compute._target`` (builds a target from the registry).

    Returns:
        The targets and the notes a plan carries, in a fixed order (potassium, fluids, B12).
    """
    rules = load_target_rules()
    items = dict(items)
    notes: list[str] = []

    pot = items.get("potassium")
    ai = intakes["potassium"].amount if "potassium" in intakes else None
    retain = sorted(factors & set(rules.potassium_retention.factors))
    waste = sorted(factors & set(rules.potassium_no_raise.factors))
    if pot is not None and ai and retain:
        pr = rules.potassium_retention
        cap = float(f"{ai * pr.cap_x_ai:.6g}")
        src = f"{pr.cap_x_ai:g} x AI ({', '.join(retain)}): {pr.source}"
        if "diuretics" in retain:
            src += f"; {pr.unknown_type}"
        lo = pot.min if pot.min is None or pot.min <= cap else ai
        items["potassium"] = pot.model_copy(update={"max": cap, "max_source": src, "min": lo})
        notes.append(pr.note.format(factors=", ".join(retain)))
    elif pot is not None and ai and waste:
        nr = rules.potassium_no_raise
        soft = float(f"{ai * nr.soft_x_ai:.6g}")
        src = f"no UL; above {nr.soft_x_ai:g} x AI discouraged ({', '.join(waste)}): {nr.source}"
        items["potassium"] = pot.model_copy(update={"soft_max": soft, "max_source": src})
        notes.append(nr.note.format(factors=", ".join(waste)))

    water = sorted(factors & set(rules.water_no_raise.factors))
    if water:
        w = items.get("water")
        if w is not None and w.min is not None:
            src = f"{w.min_source}; not raised: {rules.water_no_raise.source}"
            items["water"] = w.model_copy(update={"min_source": src})
        notes.append(rules.water_no_raise.note.format(factors=", ".join(water)))

    b12 = rules.b12_fortified
    why, sources = [], []
    if age >= b12.min_age:
        why.append(f"from age {b12.min_age:g} food-bound B12 is absorbed less well")
        sources.append(b12.age_source)
    taken = sorted(factors & set(b12.factors))
    if taken:
        why.append(f"{', '.join(taken)} lower the absorption of B12 from food")
        sources.append(b12.factor_source)
    rda = intakes["vitamin_b12"].amount if "vitamin_b12" in intakes else None
    # The fortified-food column comes from food-data curation; without it the rule cannot be planned.
    if why and rda and "vitamin_b12_added" in BY_ID:
        base: Any = items.get("vitamin_b12")
        src = f"B12 RDA {_fmt(rda, BY_ID['vitamin_b12'].unit)} from fortified foods: {'; '.join(sources)}, {stage}"
        items["vitamin_b12_added"] = make_target(
            "vitamin_b12_added",
            rda,
            None,
            src,
            "no UL",
            base.priority if base is not None else 1.0,
            base.suspected if base is not None else False,
        )
        notes.append(b12.note.format(why="; ".join(why), amount=_fmt(rda, BY_ID["vitamin_b12"].unit)))
    return items, notes
