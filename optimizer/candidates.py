"""Which foods a plan may use, why the others are out, and the candidate set given to the solver.

Eligibility and a tight candidate set matter more than the solver (see design.md): the day MILP
gets the best foods of every category for the person's targets, not the whole table.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mealplan.food_data import matching
from mealplan.food_data.safety import unsafe_rules
from mealplan.food_data.table import SR24_SOURCE, FoodTable, Rows
from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, DIET_LEVEL, diet_allows, split_tags
from mealplan.optimizer.model.weights import MACRO_KCAL
from mealplan.plan import PlanRules
from mealplan.targets.model import Targets


def pattern_mask(patterns: list[str], foods: Rows) -> np.ndarray:
    """Foods that any of ``patterns`` names (one bool per food): ``food_data.matching``'s rule."""
    tags = [foods[c] if c in foods else None for c in ("category", "allergens")]
    return matching.pattern_mask(patterns, foods.ids, foods["name"], *tags)


@dataclass
class Eligibility:
    """Allowed foods and, for every other food, the first rule that keeps it out."""

    allowed: Rows
    foods: Rows  # every food of the table
    reason: np.ndarray  # per food of the table: the first rule that keeps it out, "" if allowed
    # Per food of the table: the first of the person's own rules (``person_blocks``) that keeps it
    # out: for dish ingredients and hand-picked pool foods outside the planner set too.
    person: np.ndarray

    @functools.cached_property
    def blocked(self) -> dict[str, str]:
        """Food id -> reason, e.g. "diet (vegan)", in table order."""
        out = self.reason != ""
        return dict(zip(self.foods.ids[out].tolist(), self.reason[out].tolist(), strict=True))


# The person's rules that name foods, in the order a food's reason is chosen: (reason, PlanRules field).
NAME_RULES = (("excluded", "exclude"), ("forbidden", "forbid"), ("disliked", "dislikes"))
# Whole-table pattern masks kept per table (a bool per food each): enough for a clinic's dislikes,
# bounded for a web worker that meets new patterns for weeks.
PATTERNS_KEPT = 512


def person_blocks(foods: Rows, rules: PlanRules) -> np.ndarray:
    """Per food, the first of the person's rules that keeps it out ("" for none): diet, allergies,
    life-stage safety, exclusions, forbidden foods, dislikes.

    Each rule's verdicts are found for the whole table once and kept with it (``Rows.derived``): a
    diet, an allergy set, a life stage's safety rules and a name pattern recur from plan to plan.
    """
    reason = np.full(len(foods), "", dtype=object)
    open_ = np.ones(len(foods), dtype=bool)  # no rule keeps it out yet

    def block(texts: np.ndarray) -> None:  # a reason per food, "" = not kept out
        hit = open_ & (texts != "")
        reason[hit], open_[hit] = texts[hit], False

    def per_value(column: str, why_of: Callable[[object], str]) -> Callable[[Rows], np.ndarray]:
        def make(table: Rows) -> np.ndarray:  # a table has few distinct values of these columns
            values = table[column].tolist()
            why = {v: why_of(v) for v in set(values)}
            return np.array([why[v] for v in values], dtype=object)

        return make

    bad_diet = f"diet ({rules.diet})"
    block(
        foods.derived(
            ("diet", rules.diet),
            per_value("diet", lambda d: bad_diet if d not in DIET_LEVEL or not diet_allows(rules.diet, d) else ""),
        )
    )
    allergy = tuple(sorted({ALLERGEN_SYNONYMS.get(a.lower(), a.lower()) for a in rules.allergies}))
    if allergy:

        def allergic(tags: object) -> str:
            hit = sorted(set(allergy).intersection(split_tags(tags)))
            return f"allergy ({', '.join(hit)})" if hit else ""

        block(foods.derived(("allergy", allergy), per_value("allergens", allergic)))
    if rules.safety:

        def unsafe_for_stage(table: Rows) -> np.ndarray:
            found = unsafe_rules(rules.safety, table["name"].tolist(), table["category"].tolist())
            return np.array(["" if r is None else f"safety: {r.why}" for r in found], dtype=object)

        key = tuple((r.stage, r.match, r.unless, tuple(r.categories), r.why) for r in rules.safety)
        block(foods.derived(("safety", key), unsafe_for_stage))
    for why, field_name in NAME_RULES:
        for pattern in getattr(rules, field_name):
            hit = open_ & named(foods, pattern)
            reason[hit], open_[hit] = f"{why} ('{pattern}')", False
    return reason


def named(foods: Rows, pattern: str) -> np.ndarray:
    """Which of ``foods`` the pattern names (``pattern_mask``), from a whole-table mask kept per table."""
    return foods.derived(("pattern", pattern), lambda table: pattern_mask([pattern], table), most=PATTERNS_KEPT)


OFF_PLANNER = "not in the planner set (not as eaten or not suitable)"
NO_SERVING = "no usable serving size"


def eligible_foods(table: FoodTable, rules: PlanRules) -> Eligibility:
    """Apply planner, diet, allergy, exclusion and dislike rules, recording why each food is out: the
    table's own rules first (planner set, energy), then the person's (``person_blocks``), then the
    serving size."""
    foods = table.rows

    def table_rules(t: Rows) -> np.ndarray:  # the user's own foods need no planner flag
        reason = np.full(len(t), "", dtype=object)
        reason[np.isnan(t["energy"].astype(float))] = "no energy value"
        reason[~t["planner"].astype(bool) & (t["source"] == SR24_SOURCE)] = OFF_PLANNER
        return reason

    def bad_serving(t: Rows) -> np.ndarray:
        serving = t["serving_g"].astype(float)
        with np.errstate(invalid="ignore"):
            return ~(serving > 0) | ~(t["max_g"].astype(float) >= serving * rules.min_portion_servings)

    reason = foods.derived(("table rules",), table_rules).copy()
    person = person_blocks(foods, rules)
    empty = reason == ""
    reason[empty] = person[empty]
    reason[(reason == "") & foods.derived(("serving", rules.min_portion_servings), bad_serving)] = NO_SERVING
    out = reason != ""
    return Eligibility(allowed=foods.where(~out), foods=foods, reason=reason, person=person)


def nutrient_matrix(foods: Rows, nutrients: list[str]) -> np.ndarray:
    """Per-100 g amounts (rows: foods, columns: nutrients), unknown counted as 0. The whole table's
    matrix is kept for a few nutrient lists (a person's targets name the same ones plan after plan)."""

    def make(table: Rows) -> np.ndarray:
        cols = [table[n].astype(float) if n in table else np.zeros(len(table)) for n in nutrients]
        return np.nan_to_num(np.column_stack(cols)) if cols else np.zeros((len(table), 0))

    return foods.derived(("nutrient matrix", tuple(nutrients)), make, most=8)


def tight_maxima(
    targets: Targets, amdr: dict[str, tuple[float, float]] | None = None
) -> dict[str, tuple[float, float]]:
    """The maxima a clinician set below what a day of ordinary foods gives (a renal team's potassium,
    phosphorus and protein; not a UL's margin, nor the sodium CDRR), and the macronutrients whose
    range in ``amdr`` (the plan's, percent of energy) tops out below the AMDR's (a low-carb pattern's
    carbohydrate, at most 26 %): nutrient -> (its allowed amount per kcal of the energy requirement,
    the weight of passing it). Candidates are also ranked by how well they fit these, so a low-carb
    day's first choice of dishes and foods can hold its range (the wider choice after it is several
    times slower)."""
    out = {}
    for n, t in targets.items.items():
        if t.max is None or t.ul is not None or n == "sodium" or not targets.energy_kcal:
            continue
        out[n] = (max(t.max / targets.energy_kcal, 1e-9), 1.0)  # (a maximum of 0, a child's caffeine: any is too much)
    for macro, (_, hi) in (amdr or {}).items():
        usual = targets.amdr.get(macro)
        if usual is not None and hi < usual[1] and macro in MACRO_KCAL and macro not in out:
            # grams per kcal (26 % of energy as carbohydrate is 0.065 g); every food has some of a macro,
            # so passing the share weighs more than passing a clinician's mineral maximum
            out[macro] = (hi / 100.0 / MACRO_KCAL[macro], MACRO_MISFIT)
    return out


# A dish or food at twice a macronutrient's allowed share of energy loses this much of its coverage per
# 100 kcal in the fit ranking (more than the best dish covers): candidates come from those that fit.
MACRO_MISFIT = 10.0


def misfit(density: np.ndarray, names: list[str], tight: dict[str, tuple[float, float]]) -> np.ndarray:
    """How far each row's amounts per kcal (``density``, a column per nutrient of ``names``) pass the
    allowed amounts of ``tight`` (``tight_maxima``), weighted and summed: 0 for a row that fits."""
    allowed = np.array([tight[n][0] for n in names])
    weight = np.array([tight[n][1] for n in names])
    return (np.maximum(density / allowed - 1.0, 0.0) * weight).sum(axis=1)


def fit_scores(foods: Rows, targets: Targets, tight: dict[str, tuple[float, float]]) -> np.ndarray:
    """How well each food fits the tight maxima: its coverage per 100 kcal less, for each tight nutrient,
    how far its amount per kcal passes the day's allowed amount per kcal (a food that alone would
    break the limit at the day's energy ranks last)."""
    _, per_kcal = coverage_scores(foods, targets)
    names = sorted(n for n in tight if n in foods)
    if not names:
        return per_kcal
    kcal = np.maximum(foods["energy"].astype(float), 1.0)
    density = nutrient_matrix(foods, names) / kcal[:, None]
    return per_kcal - misfit(density, names, tight)


def coverage_scores(foods: Rows, targets: Targets) -> tuple[np.ndarray, np.ndarray]:
    """Each food's target coverage per serving and per 100 kcal.

    The score is the priority-weighted sum over target nutrients of min(1, amount in one serving /
    daily minimum): how much of the day's targets one serving covers.
    """
    mins = {n: t for n, t in targets.items.items() if t.min and t.min > 0 and n in foods}
    names = sorted(mins)
    if not names:
        return np.zeros(len(foods)), np.zeros(len(foods))
    serving = foods["serving_g"].astype(float) / 100.0
    per_serving = nutrient_matrix(foods, names) * serving[:, None]
    weights = np.array([mins[n].priority for n in names])
    goal = np.array([mins[n].min for n in names])
    with np.errstate(over="ignore"):  # a minimum of 1e-308 overflows to inf, and min(inf, 1) is 1
        score = (np.minimum(per_serving / goal, 1.0) * weights).sum(axis=1)
    kcal = np.maximum(foods["energy"].astype(float) * serving, 1.0)
    return score, score / kcal * 100.0


def ranked(ids: list[str], score: np.ndarray) -> list[int]:
    """Positions by score, highest first; ties in id order (so the same input ranks the same)."""
    by_id = sorted(range(len(ids)), key=ids.__getitem__)
    return sorted(by_id, key=lambda i: -score[i])


def preselect(
    allowed: Rows,
    targets: Targets,
    *,
    per_category: int = 10,
    keep: set[str] | None = None,
    banned: set[str] | None = None,
) -> Rows:
    """The candidate set: per category the foods that cover the targets best, per serving and per kcal.

    The best ``per_category`` foods of each category by coverage per serving and the best by
    coverage per 100 kcal are kept (ties broken by id, so the same input gives the same
    candidates), plus the ``keep`` foods that are not banned.
    """
    foods = allowed if not banned else allowed.where(np.array([f not in banned for f in allowed.ids], dtype=bool))
    score, density = coverage_scores(foods, targets)
    ids = foods.index
    chosen: set[str] = set(keep or ()) & set(ids)
    by_category: dict[str, list[int]] = {}
    for i, cat in enumerate(foods["category"].tolist()):
        if isinstance(cat, str):  # foods without a category are never candidates on their own
            by_category.setdefault(cat, []).append(i)
    for members in by_category.values():
        sub = [ids[i] for i in members]
        for values in (score[members], density[members]):
            chosen.update(sub[j] for j in ranked(sub, values)[:per_category])
    return foods.take(sorted(chosen))


def richest_blocked(
    table: FoodTable, blocked: dict[str, str], nutrient: str, limit: int = 3
) -> list[tuple[str, str, float, str]]:
    """The blocked foods richest in ``nutrient`` per serving: (id, name, amount per serving, reason).

    Only foods people eat (planner foods) are suggested, so the answer is never "cod liver oil".
    """
    foods = table.rows
    if nutrient not in foods or not blocked:
        return []
    cand = foods.take(blocked)
    serving = cand["serving_g"].astype(float)
    with np.errstate(invalid="ignore"):
        per = cand[nutrient].astype(float) * serving / 100.0
        ok = cand["planner"].astype(bool) & (serving > 0) & (per > 0)
    order = sorted(np.flatnonzero(ok).tolist(), key=lambda i: -per[i])
    names = cand["name"]
    out = []
    for i in order[:limit]:
        value = float(per[i])
        if math.isfinite(value):
            fid = str(cand.ids[i])
            out.append((fid, str(names[i]), value, blocked[fid]))
    return out
