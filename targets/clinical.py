"""Conditions and groups a dietitian's caseload brings, applied to the targets (issue 27).

The numbers and the source of every rule are in ``food_data/data/clinical_rules.yaml``
(:mod:`food_data.clinical_rules`); docs/clinical-scope.md explains each one for people. In order:

- **Children** (1-17): no caffeine under 12 (at most 100 mg a day at 12-17, AAP), no coffee or tea
  served, portions scaled by age, milk and 100 % juice a day and fish a week by age (AAP; FDA/EPA).
- **Pregnancy and breastfeeding**: caffeine at most 200 mg (ACOG) or 300 mg (CDC); fish 227-340 g
  a week (FDA/EPA), the minimum a soft goal only for diets and allergies that allow fish.
- **Everyone's week**: fish and seafood at most 454 g a week (twice the Dietary Guidelines' 8 oz), so
  fish is not every day's protein; juice at most 540 g (three small glasses) a week, so whole fruit is
  the everyday fruit; a child's or a pregnancy's lower limit wins.
- **Caffeine advice**: when triage tells the person to cut back (its ``caffeine`` note), the plan
  keeps caffeine to about one cup of coffee; coffee and tea are served only as ``hot_drinks`` says.
- **Lactose intolerance** (condition or factor): lactose at most 12 g (or as given) per meal.
- **Warfarin** (``vitamin-k-antagonist``): vitamin K every day within +-20 % (or as given) of the
  usual intake (the AI when not given), never raised.
- **Heavy menstrual bleeding**: iron at the top priority, its goal kept at the RDA.
- **Kidney disease** (:mod:`targets.renal`) and **bariatric surgery** (:mod:`targets.bariatric`).
- **Supplements already taken** (:mod:`targets.supplements`): counted against the upper limits.

A condition that needs what only a clinician can supply is refused: one
:class:`~mealplan.errors.ConfigError` lists every missing field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mealplan.errors import ConfigError
from mealplan.food_data.clinical_rules import load_clinical_rules
from mealplan.targets.bariatric import apply_bariatric
from mealplan.targets.draft import TOP_PRIORITY, Draft
from mealplan.targets.renal import apply_ckd
from mealplan.targets.supplements import apply_supplements

if TYPE_CHECKING:
    from mealplan.triage import TriageResult

CUT_BACK_NOTE = "caffeine"  # the triage note that tells the person to cut back on caffeine
__all__ = ["Draft", "apply_clinical"]


def apply_clinical(draft: Draft, triage: TriageResult | None) -> None:
    """Apply every clinical rule to ``draft`` (see the module docstring).

    Raises:
        ConfigError: A condition needs what only a clinician can supply; every missing field is named.
    """
    _children(draft)
    _pregnancy(draft)
    _week_limits(draft)
    _caffeine(draft, triage)
    _lactose(draft)
    _warfarin(draft)
    _heavy_bleeding(draft)
    apply_ckd(draft)
    apply_bariatric(draft)
    apply_supplements(draft)
    if draft.problems:
        raise ConfigError(
            f"profile {draft.profile.id!r}: a clinician must supply what these conditions need before a plan is made:",
            draft.problems,
        )


def _children(draft: Draft) -> None:
    """Ages 1-17: caffeine, hot drinks, portions, milk, juice and fish by age."""
    age = draft.profile.age
    rules = load_clinical_rules()
    if age >= rules.caffeine.hot_drinks_from_age:
        return
    draft.condition(f"child ({age:g} years)")
    caffeine = rules.caffeine.children.at(age)
    if caffeine is not None:
        draft.cap("caffeine", caffeine, f"{caffeine:g} mg, age {age:g}: {rules.caffeine.children.source}")
    draft.extra["hot_drinks_allowed"] = []
    draft.extra["hot_drinks_source"] = f"age {age:g}: {rules.caffeine.hot_drinks_source}"
    kids = rules.children
    scale = kids.portion_scale.at(age)
    if scale is not None:
        draft.extra["portion_scale"] = scale
        draft.extra["portion_source"] = f"x {scale:g}, age {age:g}: {kids.portion_scale.source}"
    for kind, table in (("milk", kids.milk_max_g), ("juice", kids.juice_max_g)):
        grams = table.at(age)
        if grams is not None:
            draft.kind_limit("daily_max_g", kind, grams, f"{grams:g} g a day, age {age:g}: {table.source}")
    fish = kids.seafood_week_max_g.at(age)
    if fish is not None:
        source = f"{fish:g} g a week, age {age:g}: {kids.seafood_week_max_g.source}"
        draft.kind_limit("weekly_max_g", "seafood", fish, source)
    amounts = [f"{kind} at most {grams:g} g a day" for kind, grams in draft.extra.get("daily_max_g", {}).items()]
    if fish is not None:
        amounts.append(f"fish at most {fish:g} g a week")
    draft.notes.append(kids.note.format(age=age, limits="; " + ", ".join(amounts) if amounts else ""))


def _pregnancy(draft: Draft) -> None:
    """Pregnancy and breastfeeding: caffeine, and fish a week (the minimum only where fish is eaten)."""
    profile = draft.profile
    if not (profile.pregnant or profile.lactating):
        return
    rules = load_clinical_rules()
    limit = rules.caffeine.pregnancy if profile.pregnant else rules.caffeine.lactation
    draft.cap("caffeine", limit.max_mg, f"{limit.max_mg:g} mg: {limit.source}")
    fish = rules.fish_pregnancy
    draft.kind_limit("weekly_max_g", "seafood", fish.week_max_g, fish.source)
    if profile.diet in ("pescatarian", "omnivore") and "fish" not in profile.allergies:
        draft.kind_limit("weekly_min_g", "seafood", fish.week_min_g, fish.source)
        draft.notes.append(
            f"Fish: {fish.week_min_g:g}-{fish.week_max_g:g} g a week of fish low in mercury (salmon, sardines, "
            "trout, cod, canned light tuna), as FDA/EPA advise in pregnancy and while breastfeeding."
        )


def _week_limits(draft: Draft) -> None:
    """Grams a week of a food kind for everyone (fish and seafood, juice); a child's or a pregnancy's
    lower limit stays."""
    for kind, limit in load_clinical_rules().week_limits.items():
        draft.kind_limit("weekly_max_g", kind, limit.max_g, limit.source)


def _caffeine(draft: Draft, triage: TriageResult | None) -> None:
    """Caffeine as triage advises, and coffee and tea as the person drinks them."""
    rules = load_clinical_rules().caffeine
    if triage is not None and CUT_BACK_NOTE in triage.note_ids:
        draft.cap("caffeine", rules.cut_back.max_mg, f"{rules.cut_back.max_mg:g} mg: {rules.cut_back.source}")
    habit = draft.profile.hot_drinks
    if habit is not None and "hot_drinks_allowed" not in draft.extra:
        draft.extra["hot_drinks_allowed"] = list(habit)
        draft.extra["hot_drinks_source"] = f"profile: hot_drinks {', '.join(habit) or 'none'}"


def _lactose(draft: Draft) -> None:
    """Lactose intolerance: a limit per sitting (the condition's, or the rules' 12 g)."""
    rules = load_clinical_rules().lactose
    condition = draft.profile.condition_details().lactose_intolerance
    if condition is None and not draft.has(rules.factor):
        return
    grams = condition.lactose_g_per_meal if condition is not None else rules.per_meal_g
    basis = "profile" if condition is not None and grams != rules.per_meal_g else rules.source
    draft.extra.setdefault("meal_max", {})["lactose"] = grams
    draft.extra.setdefault("meal_max_source", {})["lactose"] = f"{grams:g} g a meal: {basis}"
    draft.condition("lactose intolerance")
    draft.notes.append(rules.note.format(grams=grams))


def _warfarin(draft: Draft) -> None:
    """Vitamin K antagonists: vitamin K kept in a daily band around the usual intake."""
    rules = load_clinical_rules().warfarin
    taken = sorted(draft.factors & set(rules.factors))
    if not taken:
        return
    profile = draft.profile
    intake = draft.intakes.get("vitamin_k")
    usual = profile.usual_vitamin_k_ug or (intake.amount if intake is not None else None)
    if usual is None:
        draft.problems.append("usual_vitamin_k_ug: no vitamin K AI for this life stage; give the usual intake")
        return
    band = (profile.vitamin_k_band_pct if profile.vitamin_k_band_pct is not None else rules.band_pct) / 100
    lo, hi = float(f"{usual * (1 - band):.4g}"), float(f"{usual * (1 + band):.4g}")
    basis = (
        f"usual intake {usual:g} µg (profile)"
        if profile.usual_vitamin_k_ug
        else f"the AI {usual:g} µg, the usual intake not given (usual_vitamin_k_ug)"
    )
    source = f"{basis} +-{band * 100:g} % ({', '.join(taken)}): {rules.source}"
    t = draft.target("vitamin_k")
    draft.update(
        "vitamin_k",
        min=lo,
        max=hi,
        min_source=source,
        max_source=source,
        priority=max(t.priority, TOP_PRIORITY),
        weekly=False,
        soft_max=None,
    )
    draft.condition("warfarin")
    draft.notes.append(rules.note.format(low=lo, high=hi, basis=basis))


def _heavy_bleeding(draft: Draft) -> None:
    """Heavy menstrual bleeding: iron first (priority), its goal kept at the RDA; the test to ask for."""
    rules = load_clinical_rules().heavy_menstrual_bleeding
    if not (draft.profile.condition_details().heavy_menstrual_bleeding or draft.has(rules.factor)):
        return
    t = draft.target("iron")
    why = "heavy menstrual bleeding: top priority, goal kept (the clinician doses iron)"
    src = f"{t.min_source}; {why}: {rules.source}"
    draft.update("iron", priority=TOP_PRIORITY, suspected=True, min_source=src)
    draft.condition("heavy menstrual bleeding")
    draft.notes.append(rules.note)
