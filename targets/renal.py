"""Chronic kidney disease: protein, potassium, phosphorus, sodium, magnesium and fluid by stage
(KDOQI 2020, KDIGO 2024; the numbers in ``food_data/data/clinical_rules.yaml``).

- **Stage** from ``conditions.ckd.stage``, or from ``egfr`` (the GFR categories); both given must agree.
- **Stages 1-2**: protein 0.8-1.3 g/kg (KDIGO 2024). **Stage 3**: 0.55-0.8 g/kg (KDOQI 2020's
  0.55-0.6 under supervision, KDIGO 2024's 0.8). Both need ``weight_kg``.
- **Stages 4-5 and dialysis**: the renal team's limits (``conditions.ckd.renal_limits``, or the
  dietitian's ``nutrients`` maxima) for protein, potassium and phosphorus (and fluid on dialysis),
  or the plan is refused naming the missing fields. The team's protein is a ceiling (aim within
  10 % below it) before dialysis and a floor (up to 25 % above it) on dialysis.
- **Potassium** follows the blood result: above 5.0 mmol/L at most 2,000 mg a day, no minimum;
  otherwise the retention cap near the AI (targets.adjustments). **Phosphorus** from stage 3: no
  minimum, at most 1,000 mg (800 mg with a phosphate above 1.45 mmol/L). **Sodium** below 2,300 mg.
  **Magnesium** never pushed: never raised, intakes above the RDA discouraged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mealplan.food_data.clinical_rules import load_clinical_rules

if TYPE_CHECKING:
    from mealplan.targets.draft import Draft
    from mealplan.targets.profile_clinical import RenalLimits

# The renal team's limit -> (its field under conditions.ckd.renal_limits, the nutrients: key).
TEAM_FIELDS = {
    "protein": ("protein_g", "protein"),
    "potassium": ("potassium_mg", "potassium"),
    "phosphorus": ("phosphorus_mg", "phosphorus"),
    "sodium": ("sodium_mg", "sodium"),
    "fluid": ("fluid_ml", "water"),
}


def apply_ckd(draft: Draft) -> None:
    """Kidney disease rules for the stage, or the refusals naming what the renal team must supply."""
    rules = load_clinical_rules().ckd
    profile = draft.profile
    ckd = profile.condition_details().ckd
    if ckd is None and not draft.has(rules.factor):
        return
    limits = ckd.renal_limits if ckd is not None else None
    team = _team_limits(draft, limits)
    stage = _stage(draft, ckd)
    dialysis = ckd is not None and ckd.dialysis != "none"
    if stage is None and not dialysis:
        if not {"protein", "potassium", "phosphorus"} <= set(team):
            draft.problems.append(
                "conditions.ckd: kidney disease needs its stage (conditions.ckd.stage: 1, 2, 3a, 3b, 4 or 5) or "
                "eGFR (conditions.ckd.egfr) from the kidney team, or the renal team's limits "
                "(conditions.ckd.renal_limits: protein_g, potassium_mg, phosphorus_mg)"
            )
            return
    label = "dialysis" if dialysis else f"stage {stage}" if stage is not None else "stage not given"
    needs_team = dialysis or stage is None or stage in rules.team_stages or profile.age < 18
    required = rules.dialysis_required if dialysis else rules.team_required if needs_team else []
    missing = [r for r in required if r not in team]
    if missing:
        who = "a child's kidney disease" if profile.age < 18 else f"kidney disease ({label})"
        fields = ", ".join(f"conditions.ckd.renal_limits.{TEAM_FIELDS[r][0]}" for r in missing)
        draft.problems.append(f"{fields}: {who} needs the renal team's limits ({rules.team_source})")
        return
    _protein(draft, stage, dialysis, team, label)
    _potassium(draft, ckd.potassium_mmol_l if ckd else None, team.get("potassium"), label)
    _phosphorus(draft, stage, ckd.phosphate_mmol_l if ckd else None, team.get("phosphorus"), label)
    sodium = team.get("sodium", rules.sodium.max_mg)
    why = "the renal team's limit" if "sodium" in team else rules.sodium.source
    draft.cap("sodium", sodium, f"{sodium:g} mg, kidney disease ({label}): {why}")
    mg = draft.target("magnesium")
    if mg.min is not None:
        draft.update("magnesium", soft_max=mg.min, min_source=f"{mg.min_source}; {rules.magnesium_source}")
    if "fluid" in team:
        draft.extra["fluid_max_ml"] = team["fluid"]
        draft.extra["fluid_source"] = f"{team['fluid']:g} ml a day: the renal team's limit ({label})"
        water = draft.target("water")
        draft.update("water", min=None, min_source=f"{water.min_source}; fluid set by the renal team ({label})")
    basis = "the renal team's limits" if team else rules.stage_source.split(":")[0] + " and KDOQI 2020"
    draft.condition(f"kidney disease ({label})")
    draft.notes.append(rules.note.format(stage=label, basis=basis))


def _team_limits(draft: Draft, limits: RenalLimits | None) -> dict[str, float]:
    """The renal team's limits a day: from ``renal_limits``, or the dietitian's ``nutrients`` maxima."""
    out: dict[str, float] = {}
    weight = draft.profile.weight_kg
    if limits is not None:
        if limits.protein_g is not None:
            out["protein"] = limits.protein_g
        elif limits.protein_g_per_kg is not None:
            if weight is None:
                draft.problems.append("weight_kg: needed for conditions.ckd.renal_limits.protein_g_per_kg")
            else:
                out["protein"] = round(limits.protein_g_per_kg * weight, 1)
        for key, value in (
            ("potassium", limits.potassium_mg),
            ("phosphorus", limits.phosphorus_mg),
            ("sodium", limits.sodium_mg),
            ("fluid", limits.fluid_ml),
        ):
            if value is not None:
                out[key] = value
    for key, (_, nid) in TEAM_FIELDS.items():
        bound = draft.profile.nutrients.get(nid)
        if key not in out and bound is not None and bound.max is not None and key != "fluid":
            out[key] = bound.max
    return out


def _stage(draft: Draft, ckd) -> str | None:
    """The CKD stage from the profile's stage or eGFR; a disagreement between them is a problem."""
    if ckd is None:
        return None
    rules = load_clinical_rules().ckd
    from_egfr = rules.stage_for(ckd.egfr) if ckd.egfr is not None else None
    if ckd.stage is not None and from_egfr is not None and not from_egfr.startswith(ckd.stage):
        draft.problems.append(
            f"conditions.ckd: stage {ckd.stage} and egfr {ckd.egfr:g} (stage {from_egfr}) disagree; "
            "give the stage the kidney team recorded, or the eGFR alone"
        )
    return ckd.stage or from_egfr


def _protein(draft: Draft, stage: str | None, dialysis: bool, team: dict[str, float], label: str) -> None:
    rules = load_clinical_rules().ckd
    if "protein" in team:
        value = team["protein"]
        if dialysis:
            lo, hi, how = value, value * 1.25, "at least (up to 25 % above)"
        else:
            lo, hi, how = value * 0.9, value, "at most (aim within 10 % below)"
        src = f"{value:g} g {how}: the renal team's limit, kidney disease ({label})"
        draft.update("protein", min=float(f"{lo:.4g}"), max=float(f"{hi:.4g}"), min_source=src, max_source=src)
        return
    rule = next(r for r in rules.protein if stage in r.stages)
    weight = draft.profile.weight_kg
    if weight is None:
        draft.problems.append(f"weight_kg: kidney disease ({label}) sets protein in g per kg of body weight")
        return
    lo, hi = round(rule.min_g_per_kg * weight, 1), round(rule.max_g_per_kg * weight, 1)
    src = f"{rule.min_g_per_kg:g}-{rule.max_g_per_kg:g} g/kg x {weight:g} kg, kidney disease ({label}): {rule.source}"
    draft.update("protein", min=lo, max=hi, min_source=src, max_source=src)


def _potassium(draft: Draft, serum: float | None, team: float | None, label: str) -> None:
    rule = load_clinical_rules().ckd.potassium
    low, high = rule.normal_mmol_l
    if team is not None:
        why = "the renal team's limit"
        src = f"{team:g} mg: {why}, kidney disease ({label})"
    elif serum is not None and serum > high:
        team, why = rule.high_max_mg, f"blood potassium {serum:g} mmol/L, above {high:g}"
        src = f"{team:g} mg, {why}: {rule.source}"
    else:
        if serum is not None:
            k = draft.target("potassium")
            where = "below" if serum < low else "within"
            src = f"{k.max_source}; blood potassium {serum:g} mmol/L ({where} {low:g}-{high:g}): {rule.source}"
            draft.update("potassium", max_source=src)
        return
    draft.update("potassium", min=None, min_source=f"not a goal: {src}", max=team, max_source=src)
    ckd = load_clinical_rules().ckd
    draft.kind_limit(
        "daily_max_g", ckd.potassium_drinks, 0.0, f"under a potassium limit: {ckd.potassium_drinks_source}"
    )
    # The retention note speaks of the AI; this limit replaces it, so the note says this limit instead.
    draft.notes[:] = [n for n in draft.notes if not n.startswith("Potassium:")]
    draft.notes.append(
        f"Potassium: at most {team:,.0f} mg a day ({why}), never raised. Ask the renal team before eating more "
        "potassium-rich foods or using salt substitutes."
    )


def _phosphorus(draft: Draft, stage: str | None, serum: float | None, team: float | None, label: str) -> None:
    rule = load_clinical_rules().ckd.phosphorus
    high = rule.normal_mmol_l[1]
    raised = serum is not None and serum > high
    if team is not None:
        value, src = team, f"{team:g} mg: the renal team's limit, kidney disease ({label})"
    elif raised:
        value = rule.high_max_mg
        src = f"{value:g} mg, blood phosphate {serum:g} mmol/L (above {high:g}): {rule.source}"
    elif stage is not None and stage not in ("1", "2") and rule.max_mg is not None:
        value, src = rule.max_mg, f"{rule.max_mg:g} mg, kidney disease ({label}): {rule.source}"
    else:
        return
    draft.update("phosphorus", min=None, min_source=f"not a goal: {src}")
    draft.cap("phosphorus", value, src)
