"""Daily nutrient targets for a profile: reference intakes + triage + the dietitian's overrides.

The rules, in the order they are applied:

1. **Reference intakes.** The minimum is the RDA or AI for the person's life stage
   (:mod:`food_data.reference`). Protein's minimum is ``max(RDA g/day, RDA g/kg x weight)`` when
   the weight is known. Vegetarian and vegan diets multiply the iron (x1.8) and zinc (x1.5)
   minimums (IOM 2001). A UL that applies to food (total intake) sets a maximum of **90 % of the
   UL**, never riding it (the UL itself is kept on the target as ``ul``, for the plan's %UL). ULs
   that cover one form only sit on that form's column: vitamin A's on ``retinol``, and folate's,
   niacin's and vitamin E's on ``folic_acid``, ``niacin_added`` and ``vitamin_e_added`` (the
   amounts added to fortified foods); the magnesium UL covers supplements only and sets no maximum.
2. **Sodium.** The CDRR (2,300 mg for ages 14+) is a hard maximum, except for people with the
   ``heavy-sweating`` or ``endurance-exercise`` risk factors (sweat losses of sodium can be large)
   who take no diuretic, ACE inhibitor or ARB and have neither hypertension nor kidney disease. The
   minimum stays at the AI.
3. **Suspected deficiencies** (from triage, or listed by hand in ``profile.suspected``). Strength
   ``w = min(1, score / 5)`` (hand-listed: 1). The shortfall weight becomes ``priority = 1 + 4 w``
   (up to x5), and for nutrients where more food is harmless (:data:`RAISABLE`) the minimum is
   raised by ``10 % + 10 % w`` (up to +20 %) above the RDA/AI, to cover lower absorption or extra
   losses. A raise always stays at least 5 % below any food maximum (UL or CDRR). Iron, zinc,
   copper, selenium, vitamin A, phosphorus and sodium are not raised: excess is harmful, or the
   need should be confirmed by a blood test first; only their priority rises. Potassium is not
   raised with any diuretic, an ACE inhibitor or ARB, or kidney disease, nor water with a diuretic
   or kidney disease.
4. **Medicines, conditions and age** (:mod:`targets.adjustments`): where potassium may be retained
   (potassium-sparing diuretic, ACE inhibitor or ARB, kidney disease, or a diuretic of unknown type)
   its maximum is 1.1 x the AI; from age 51, or with acid reducers or metformin, the B12 RDA is a
   minimum on B12 added to fortified foods (``vitamin_b12_added``). Each rule adds a note the plan
   carries (``Targets.notes``). The rules and their sources are in ``food_data/data/target_rules.yaml``.
5. **The dietitian's overrides** (``profile.nutrients``) replace the minimum and/or maximum they
   give, above everything else, and are marked ``dietitian override``. A minimum above the
   maximum after overrides is a :class:`~mealplan.errors.ConfigError` naming both bounds.

Energy: the requirement from :func:`food_data.reference.energy_estimate` (the NASEM 2023 EER
equations, or ``energy_kcal``). Plans aim within +-5 % of it (``energy_goal_min``/``energy_goal_max``,
a soft goal the day model pays to leave) inside a hard +-10 % range; ``nutrients: {energy: {min,
max}}`` overrides the hard range (the aim stays inside it).

Fibre: at most 28 g per 1000 kcal of the energy target (twice the AI's basis) and never below the
AI: fibre has no UL, but plans of 76-98 g add bulk and their phytate lowers the absorption of the
minerals these plans are for. **Poor appetite** (``appetite: poor``, or the triage symptom
``poor-appetite``): fibre at most 14 g per 1000 kcal (never below the AI), and the day's food and drink
weigh at most energy / 1.5 kcal per g (``food_mass_max_g``), so the same energy comes in less volume.
The figures and their sources are in ``food_data/data/energy.yaml``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from mealplan.errors import ConfigError
from mealplan.fileio import read_user_text
from mealplan.food_data.energy import fibre_ceiling, food_mass_cap, load_energy
from mealplan.food_data.nutrients import BY_ID
from mealplan.food_data.reference import amdr, energy_estimate, life_stage, reference_intakes
from mealplan.targets.adjustments import (
    apply_factor_rules,
    diet_minimum,
    discourage_above,
    fit_protein_range,
    food_maximum,
    raise_blocked_by,
)
from mealplan.targets.clinical import Draft, apply_clinical
from mealplan.targets.model import GOAL_CEILING, Target, Targets

if TYPE_CHECKING:
    from mealplan.food_data.reference import Intake
    from mealplan.targets.profile import Profile
    from mealplan.triage import TriageResult

ENERGY_TOLERANCE = 0.10  # the hard range around the energy requirement
ENERGY_GOAL_TOLERANCE = 0.05  # what plans aim for inside it (a soft goal in the day model)
POOR_APPETITE_SYMPTOM = "poor-appetite"  # a triage symptom that means poor appetite
SCORE_FULL = 5.0  # a triage score that earns the full raise (triage weights: 1 weak, 2 typical, 3 strong)
PRIORITY_GAIN = 4.0  # priority = 1 + PRIORITY_GAIN * w, so up to x5
RAISE_BASE, RAISE_GAIN = 0.10, 0.10  # raise = 10 % + 10 % * w of the RDA/AI

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
WEEKLY: frozenset[str] = frozenset({"vitamin_d", "vitamin_b12", "vitamin_b12_added"})
# Why a suspected nutrient outside RAISABLE keeps its goal (default: confirm by a blood test). Sodium's
# reason speaks of sweat only for someone who sweats heavily (SWEAT_FACTORS).
KEPT_BECAUSE: dict[str, str] = {"sodium": "sweat losses vary; replace them around long sessions"}
SWEAT_FACTORS = ("heavy-sweating", "endurance-exercise")


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
    """Daily targets for a profile: reference intakes, raised for suspected deficiencies, adjusted for
    medicines, conditions and life stage, overridden by the dietitian. The rules and their reasons
    are in this module's docstring and in :mod:`targets.clinical`.

    Args:
        profile: The person.
        triage: A triage result for the person, if any (see ``targets.compute.triage_input``).

    Returns:
        The targets, each bound with its provenance.

    Raises:
        ConfigError: A dietitian's bound leaves some minimum above its maximum (all such conflicts
            are listed, naming both bounds), or a condition needs what only a clinician can supply
            (kidney disease stage 4-5 or dialysis without the renal team's limits; bariatric surgery
            without the months since surgery): each problem names the profile field to fill in.
    """
    stage = life_stage(profile.age, profile.sex, profile.pregnant, profile.lactating)
    intakes = reference_intakes(profile.age, profile.sex, profile.pregnant, profile.lactating)
    strengths = _strengths(profile, triage)
    factors = set(profile.all_factors()) | (set(triage.input.factors) if triage is not None else set())
    items = _reference_targets(profile, intakes, strengths, factors, stage)
    items, notes = apply_factor_rules(items, intakes, profile.age, factors, stage, _target)

    # Suspected nutrients with no reference intake still get their weight (e.g. hand-listed ones).
    for nid, (w, origin) in strengths.items():
        if nid not in items and nid != "energy":
            items[nid] = _target(
                nid, None, None, f"no RDA or AI; suspected ({origin})", "no UL", 1 + PRIORITY_GAIN * w, True
            )

    kcal, e_min, e_max, e_src = _energy(profile)
    draft = Draft(profile, factors, intakes, stage, items, notes, kcal, e_min, e_max, e_src, _target)
    apply_clinical(draft, triage)
    items, kcal, e_min, e_max, e_src = draft.items, draft.kcal, draft.e_min, draft.e_max, draft.e_src

    # Poor appetite: the profile says so, or triage heard the symptom.
    symptoms = set(profile.symptoms) | (set(triage.input.symptoms) if triage is not None else set())
    appetite, appetite_src = profile.appetite, "profile (appetite: poor)" if profile.appetite == "poor" else ""
    if appetite != "poor" and POOR_APPETITE_SYMPTOM in symptoms:
        appetite, appetite_src = "poor", f"triage symptom {POOR_APPETITE_SYMPTOM}"
    mass_max, mass_src = None, ""
    if appetite == "poor":
        mass_max = round(food_mass_cap(kcal), 1)
        density = load_energy().poor_appetite.min_energy_density
        mass_src = f"poor appetite ({appetite_src}): {kcal:,.0f} kcal / {density:g} kcal per g of food and drink"
    if "fiber" in items:
        fib = items["fiber"]
        cap, cap_src = fibre_ceiling(kcal, fib.min, appetite == "poor")
        if fib.max is None or cap < fib.max:
            items["fiber"] = fib.model_copy(update={"max": cap, "max_source": cap_src})

    items, e_min, e_max, e_src = _overrides(profile, items, e_min, e_max, e_src)

    # The aim: +-5 % of the requirement, inside the hard range (all of it when an override excludes it).
    # (rounded inward to 0.1 kcal, so a day at the aim's edge is within 5 %)
    g_min = max(e_min, math.ceil(kcal * (1 - ENERGY_GOAL_TOLERANCE) * 10) / 10)
    g_max = min(e_max, math.floor(kcal * (1 + ENERGY_GOAL_TOLERANCE) * 10) / 10)
    if g_min > g_max:
        g_min, g_max = e_min, e_max
    amdr_ranges, amdr_src = fit_protein_range(amdr(profile.age), items.get("protein"), e_min, e_max)
    return Targets(
        profile_id=profile.id,
        life_stage=stage,
        energy_kcal=kcal,
        energy_min=e_min,
        energy_max=e_max,
        energy_source=e_src,
        amdr=amdr_ranges,
        items=items,
        energy_goal_min=g_min,
        energy_goal_max=g_max,
        appetite=appetite,
        appetite_source=appetite_src,
        food_mass_max_g=mass_max,
        food_mass_source=mass_src,
        notes=draft.notes,
        amdr_source=amdr_src,
        **draft.extra,
    )


def _reference_targets(
    profile: Profile,
    intakes: dict[str, Intake],
    strengths: dict[str, tuple[float, str]],
    factors: set[str],
    stage: str,
) -> dict[str, Target]:
    """Each nutrient's target from its reference intake: the RDA or AI (protein by weight), the diet's
    multiplier, the maximum from the UL, and the raise or priority of a suspected deficiency."""
    blocked_by = raise_blocked_by()
    items: dict[str, Target] = {}
    for nid, intake in intakes.items():
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
        lo, lo_src = diet_minimum(nid, intake, lo, lo_src, profile.diet, stage)
        hi, hi_src, ul = food_maximum(nid, intake, lo, stage, factors)
        priority, suspected = 1.0, nid in strengths
        if suspected:
            w, origin = strengths[nid]
            priority = 1.0 + PRIORITY_GAIN * w
            blocked = sorted(blocked_by.get(nid, frozenset()) & factors)
            if nid in RAISABLE and lo is not None and not blocked:
                raised = lo * (1 + RAISE_BASE + RAISE_GAIN * w)
                if hi is not None:
                    raised = min(raised, GOAL_CEILING * hi)
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
                if nid == "sodium" and not factors & set(SWEAT_FACTORS):
                    why = "confirm by a blood test"  # sweat losses only for someone who sweats heavily
                lo_src += f"; suspected ({origin}): priority raised, goal kept ({why})"
        items[nid] = _target(nid, lo, hi, lo_src, hi_src, priority, suspected, ul)
    return items


def _energy(profile: Profile) -> tuple[float, float, float, str]:
    """The energy requirement (EER or the profile's ``energy_kcal``), its hard +-10 % range and source."""
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
    e_src += f"; aim +-{ENERGY_GOAL_TOLERANCE:.0%}, range +-{ENERGY_TOLERANCE:.0%}"
    return kcal, e_min, e_max, e_src


def _overrides(
    profile: Profile, items: dict[str, Target], e_min: float, e_max: float, e_src: str
) -> tuple[dict[str, Target], float, float, str]:
    """The dietitian's ``nutrients`` bounds over everything else; a minimum above a maximum is an error."""
    problems: list[str] = []
    items = dict(items)
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
    return items, e_min, e_max, e_src


def _target(
    nid: str,
    lo: float | None,
    hi: float | None,
    lo_src: str,
    hi_src: str,
    priority: float,
    suspected: bool,
    ul: float | None = None,
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
        ul=ul,
        soft_max=discourage_above(lo, hi, ul),
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
    from mealplan.targets.compute import triage_input
    from mealplan.triage import run_triage

    inp = triage_input(profile)
    return None if inp is None else run_triage(inp)


def triage_input(profile: Profile):
    """The triage input for a profile, or ``None`` when triage has nothing to say about it.

    The diet counts as a risk factor (``diet: vegan`` is the ``vegan`` factor; see the knowledge
    file's ``diet_factors``), and the age-based rules (B12 from 51, vitamin D from 70, a child's
    referral) apply even when no symptom or factor is named. ``None`` only when there is no symptom,
    no factor, no red-flag condition and no life stage that applies (a healthy 30-year-old omnivore).

    Returns:
        A ``triage.TriageInput`` built from the profile's symptoms, factors (with the diet's),
        duration, flags, age, sex and pregnancy.
    """
    from mealplan.triage import TriageInput, diet_factors, has_findings

    inp = TriageInput(
        symptoms=list(profile.symptoms),
        factors=list(dict.fromkeys([*profile.all_factors(), *diet_factors(profile.diet)])),
        days=profile.symptom_days,
        multiple_groups=profile.multiple_groups,
        worsening=profile.worsening,
        severe_pain=profile.severe_pain,
        age=profile.age,
        sex=profile.sex,
        pregnant=profile.pregnant,
    )
    return inp if has_findings(inp) else None
