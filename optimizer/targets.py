"""Daily nutrient targets for a profile: reference intakes + triage + the dietitian's overrides.

The rules, in the order they are applied:

1. **Reference intakes.** The minimum is the RDA or AI for the person's life stage
   (:mod:`food_data.reference`). Protein's minimum is ``max(RDA g/day, RDA g/kg x weight)`` when
   the weight is known. The maximum is the UL only when the UL applies to food (total intake);
   ULs that cover supplements, medicines or fortificants only (magnesium, folic acid, niacin,
   vitamin E) set no maximum, and the vitamin A UL sits on ``retinol`` (preformed vitamin A).
2. **Sodium.** The CDRR (2,300 mg for ages 14+) is a hard maximum, except for people with the
   ``heavy-sweating`` or ``endurance-exercise`` risk factors: sweat losses of sodium can be large and
   cramps in heavy sweaters are the one situation where sodium runs short, so capping intake there
   would work against them. The minimum stays at the AI either way.
3. **Suspected deficiencies** (from triage, or listed by hand in ``profile.suspected``). Strength
   ``w = min(1, score / 5)`` (hand-listed: 1). The shortfall weight becomes ``priority = 1 + 4 w``
   (up to x5), and for nutrients where more food is harmless (:data:`RAISABLE`) the minimum is
   raised by ``10 % + 10 % w`` (up to +20 %) above the RDA/AI, to cover lower absorption or extra
   losses. A raise always stays at least 5 % below any food maximum (UL or CDRR). Iron, zinc,
   copper, selenium, vitamin A, phosphorus and sodium are not raised: excess is harmful, or the
   need should be confirmed by a blood test first; only their priority rises. Potassium is not
   raised for people on diuretics (:data:`NO_RAISE_WITH`): the type of diuretic is not known and
   potassium-sparing ones retain potassium.
4. **The dietitian's overrides** (``profile.nutrients``) replace the minimum and/or maximum they
   give, above everything else, and are marked ``dietitian override``. A minimum above the
   maximum after overrides is a :class:`~mealplan.errors.ConfigError` naming both bounds.

Energy: the requirement from :func:`food_data.reference.energy_estimate` (or ``energy_kcal``) +-10 %;
``nutrients: {energy: {min, max}}`` overrides the range.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, model_validator

from mealplan.errors import ConfigError
from mealplan.fileio import read_user_text
from mealplan.food_data.nutrients import BY_ID
from mealplan.food_data.reference import amdr, energy_estimate, life_stage, reference_intakes

if TYPE_CHECKING:
    from mealplan.optimizer.profile import Profile
    from mealplan.triage import TriageResult

ENERGY_TOLERANCE = 0.10
SCORE_FULL = 5.0  # a triage score that earns the full raise (triage weights: 1 weak, 2 typical, 3 strong)
PRIORITY_GAIN = 4.0  # priority = 1 + PRIORITY_GAIN * w, so up to x5
RAISE_BASE, RAISE_GAIN = 0.10, 0.10  # raise = 10 % + 10 % * w of the RDA/AI
UL_MARGIN = 0.95  # a raised goal stays at least 5 % below a food maximum

# Nutrients whose goal may be raised above the RDA/AI when a deficiency is suspected: extra food
# intake is harmless (water-soluble vitamins, electrolytes the kidneys clear, fiber, protein) or
# guarded by a food UL that the raise respects (calcium, vitamin D, vitamin B6, choline).
RAISABLE: frozenset[str] = frozenset(
    {
        "magnesium",
        "calcium",
        "potassium",
        "vitamin_d",
        "vitamin_b12",
        "vitamin_b6",
        "folate",
        "thiamin",
        "riboflavin",
        "niacin",
        "pantothenic_acid",
        "vitamin_c",
        "vitamin_e",
        "vitamin_k",
        "choline",
        "fiber",
        "protein",
        "water",
    }
)
# Stored by the body, so a plan may meet them on the weekly average.
WEEKLY: frozenset[str] = frozenset({"vitamin_d", "vitamin_b12"})
# A suspected nutrient whose goal is not raised when one of these risk factors is present. Diuretics:
# thiazide and loop diuretics waste potassium but potassium-sparing ones retain it, and the type is
# not known here, so the potassium goal stays at the AI (the priority still rises) and the triage
# red flag sends the person to the prescriber.
NO_RAISE_WITH: dict[str, frozenset[str]] = {"potassium": frozenset({"diuretics"})}
# Why a suspected nutrient outside RAISABLE keeps its goal (default: confirm by a blood test).
KEPT_BECAUSE: dict[str, str] = {"sodium": "sweat losses vary; replace them around long sessions"}
# Triage risk factors that lift the sodium CDRR cap.
SWEAT_FACTORS: frozenset[str] = frozenset({"heavy-sweating", "endurance-exercise"})


class Target(BaseModel):
    """One nutrient's daily target with the provenance of each bound."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nutrient: str
    name: str
    unit: str
    min: float | None
    max: float | None
    min_source: str
    max_source: str
    priority: float
    weekly: bool
    suspected: bool

    @model_validator(mode="after")
    def _ordered(self) -> Target:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"{self.nutrient}: min {self.min:g} is above max {self.max:g}")
        return self


class Targets(BaseModel):
    """All daily targets of one profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile_id: str
    life_stage: str
    energy_kcal: float
    energy_min: float
    energy_max: float
    energy_source: str
    amdr: dict[str, tuple[float, float]]
    items: dict[str, Target]


def _strengths(profile: Profile, triage: TriageResult | None) -> dict[str, tuple[float, str]]:
    """Suspected nutrient -> (strength 0-1, where the suspicion comes from)."""
    found: dict[str, tuple[float, list[str]]] = {}
    if triage is not None:
        for s in triage.suspected:
            if s.nutrient in BY_ID:
                found[s.nutrient] = (min(1.0, s.score / SCORE_FULL), ["triage"])
    for nid in profile.suspected:
        _, origins = found.get(nid, (0.0, []))
        found[nid] = (1.0, [*origins, "profile"])
    return {nid: (w, ", ".join(origins)) for nid, (w, origins) in found.items()}


def _fmt(value: float, unit: str) -> str:
    return f"{value:,.4g} {unit}"


def compute_targets(profile: Profile, triage: TriageResult | None = None) -> Targets:
    """Daily targets for a profile: reference intakes, raised for suspected deficiencies, overridden
    by the dietitian. The rules and their reasons are in this module's docstring.

    Args:
        profile: The person.
        triage: A triage result for the person, if any (see ``optimizer.profile.triage_input``).

    Returns:
        The targets, each bound with its provenance.

    Raises:
        ConfigError: A dietitian's bound leaves some minimum above its maximum (all such conflicts
            are listed, naming both bounds).
    """
    stage = life_stage(profile.age, profile.sex, profile.pregnant, profile.lactating)
    intakes = reference_intakes(profile.age, profile.sex, profile.pregnant, profile.lactating)
    strengths = _strengths(profile, triage)
    factors = set(profile.factors) | (set(triage.input.factors) if triage is not None else set())
    sweaty = sorted(factors & SWEAT_FACTORS)

    items: dict[str, Target] = {}
    for nid, intake in intakes.items():
        unit = intake.unit
        lo, lo_src = intake.amount, f"{intake.kind}, {stage}" if intake.amount is not None else "no RDA or AI"
        if nid == "potassium":
            lo_src = f"AI (2019), {stage}"
        if nid == "protein" and intake.per_kg is not None and profile.weight_kg is not None:
            per_kg = intake.per_kg * profile.weight_kg
            if lo is None or per_kg > lo:
                lo, lo_src = (
                    float(f"{per_kg:.6g}"),
                    f"RDA {intake.per_kg:g} g/kg x {profile.weight_kg:g} kg, {stage}",
                )
        hi, hi_src = None, "no UL"
        if intake.ul is not None:
            if nid == "sodium" and sweaty:
                hi_src = f"CDRR {_fmt(intake.ul, unit)} not applied: {', '.join(sweaty)} (sweat losses of sodium)"
            elif intake.ul_limits_food:
                hi = intake.ul
                hi_src = f"CDRR (sodium), {stage}" if intake.ul_kind == "CDRR" else f"UL, {stage}"
            else:
                hi_src = f"UL applies to {intake.ul_applies_to} only, not set"
        elif nid == "vitamin_a":
            hi_src = "UL applies to preformed vitamin A: see retinol"
        priority, suspected = 1.0, nid in strengths
        if suspected:
            w, origin = strengths[nid]
            priority = 1.0 + PRIORITY_GAIN * w
            blocked = sorted(NO_RAISE_WITH.get(nid, frozenset()) & factors)
            if nid in RAISABLE and lo is not None and not blocked:
                raised = lo * (1 + RAISE_BASE + RAISE_GAIN * w)
                if hi is not None:
                    raised = min(raised, UL_MARGIN * hi)
                raised = float(f"{raised:.6g}")
                if raised > lo:
                    pct = round((raised / lo - 1) * 100)
                    lo_src = f"raised: suspected deficiency ({origin}); {lo_src} + {pct} %"
                    lo = raised
            elif blocked:
                why = f"{', '.join(blocked)}: ask the prescriber"
                lo_src += f"; suspected ({origin}): priority raised, goal kept ({why})"
            else:
                why = KEPT_BECAUSE.get(nid, "confirm by a blood test")
                lo_src += f"; suspected ({origin}): priority raised, goal kept ({why})"
        items[nid] = _target(nid, lo, hi, lo_src, hi_src, priority, suspected)

    # Suspected nutrients with no reference intake still get their weight (e.g. hand-listed ones).
    for nid, (w, origin) in strengths.items():
        if nid not in items and nid != "energy":
            items[nid] = _target(
                nid, None, None, f"no RDA or AI; suspected ({origin})", "no UL", 1 + PRIORITY_GAIN * w, True
            )

    est = energy_estimate(
        profile.age,
        profile.sex,
        profile.weight_kg,
        profile.height_cm,
        profile.activity,
        profile.pregnant,
        profile.lactating,
        profile.trimester,
    )
    if profile.energy_kcal is not None:
        kcal, e_src = profile.energy_kcal, "dietitian override (energy_kcal)"
    else:
        kcal = est.kcal
        e_src = est.method + (f"; assumed {', '.join(est.assumed)}" if est.assumed else "")
    kcal = round(kcal, 1)
    e_min, e_max = round(kcal * (1 - ENERGY_TOLERANCE), 1), round(kcal * (1 + ENERGY_TOLERANCE), 1)
    e_src += f"; range +-{ENERGY_TOLERANCE:.0%}"

    problems: list[str] = []
    for nid, bound in profile.nutrients.items():
        if nid == "energy":
            e_min = bound.min if bound.min is not None else e_min
            e_max = bound.max if bound.max is not None else e_max
            e_src += "; range: dietitian override"
            if e_min > e_max:
                problems.append(f"nutrients.energy: min {e_min:g} kcal is above max {e_max:g} kcal")
            continue
        old = items.get(nid) or _target(nid, None, None, "not set", "not set", 1.0, False)
        lo, lo_src, hi, hi_src = old.min, old.min_source, old.max, old.max_source
        if bound.min is not None:
            lo, lo_src = bound.min, "dietitian override"
        if bound.max is not None:
            hi, hi_src = bound.max, "dietitian override"
        if lo is not None and hi is not None and lo > hi:
            unit = old.unit
            problems.append(
                f"nutrients.{nid}: min {_fmt(lo, unit)} ({lo_src}) is above max {_fmt(hi, unit)} ({hi_src}); "
                f"lower nutrients.{nid}.min or set nutrients.{nid}.max"
            )
            continue
        items[nid] = old.model_copy(update={"min": lo, "max": hi, "min_source": lo_src, "max_source": hi_src})
    if problems:
        raise ConfigError(f"profile {profile.id!r}: the nutrient bounds conflict:", problems)

    return Targets(
        profile_id=profile.id,
        life_stage=stage,
        energy_kcal=kcal,
        energy_min=e_min,
        energy_max=e_max,
        energy_source=e_src,
        amdr=amdr(profile.age),
        items=items,
    )


def _target(
    nid: str,
    lo: float | None,
    hi: float | None,
    lo_src: str,
    hi_src: str,
    priority: float,
    suspected: bool,
) -> Target:
    reg = BY_ID[nid]
    return Target(
        nutrient=nid,
        name=reg.name,
        unit=reg.unit,
        min=lo,
        max=hi,
        min_source=lo_src,
        max_source=hi_src,
        priority=priority,
        weekly=nid in WEEKLY,
        suspected=suspected,
    )


def load_triage(path: str | Path) -> TriageResult:
    """Read a saved triage result (``mealplan triage --format json``).

    Raises:
        ConfigError: The file is missing, not JSON, or not a triage result; the message names it.
    """
    from pydantic import ValidationError

    from mealplan.triage import TriageResult

    path = Path(path)
    text = read_user_text(
        path, "triage result", allowed="write one with 'mealplan triage --format json -o FILE'", error=ConfigError
    )
    try:
        return TriageResult.model_validate_json(text)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(
            f"{path}: not a saved triage result (write one with 'mealplan triage --format json -o FILE'):",
            problems[:10],
        ) from None


def run_profile_triage(profile: Profile) -> TriageResult | None:
    """Run triage on a profile's own symptoms and risk factors; ``None`` when it names none."""
    from mealplan.optimizer.profile import triage_input
    from mealplan.triage import run_triage

    inp = triage_input(profile)
    return None if inp is None else run_triage(inp)
