"""Which foods a plan may use, why the others are out, and the candidate set given to the solver.

Eligibility and a tight candidate set matter more than the solver (see design.md): the day MILP
gets the best foods of every category for the person's targets, not the whole table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mealplan.food_data import matching
from mealplan.food_data.safety import unsafe_rules
from mealplan.food_data.table import SR24_SOURCE, FoodTable, Rows
from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, DIET_LEVEL, diet_allows, split_tags
from mealplan.optimizer.plan import PlanRules
from mealplan.optimizer.targets import Targets


def pattern_mask(patterns: list[str], foods: Rows) -> np.ndarray:
    """Foods that any of ``patterns`` names (one bool per food): ``food_data.matching``'s rule."""
    tags = [foods[c] if c in foods else None for c in ("category", "allergens")]
    return matching.pattern_mask(patterns, foods.ids, foods["name"], *tags)


def named_reasons(named: list[tuple[str, str]], foods: Rows) -> list[str]:
    """Per food, the first ``(why, pattern)`` of ``named`` whose pattern names it ("" for none)."""
    tags = [foods[c] if c in foods else None for c in ("category", "allergens")]
    masks = matching.pattern_masks([p for _, p in named], foods.ids, foods["name"], *tags)
    reason = np.full(len(foods), "", dtype=object)
    for (why, _), mask in zip(named, masks, strict=True):
        reason[(reason == "") & mask] = why
    return reason.tolist()


@dataclass
class Eligibility:
    """Allowed foods and, for every other food, the first rule that keeps it out."""

    allowed: Rows
    blocked: dict[str, str]  # food id -> reason, e.g. "diet (vegan)", in table order
    # Food id -> the first of the person's own rules (``person_blocks``) that keeps it out, for every
    # food of the table: dish ingredients and hand-picked pool foods outside the planner set too.
    person: dict[str, str] = field(default_factory=dict)


# The person's rules that name foods, in the order a food's reason is chosen: (reason, PlanRules field).
NAME_RULES = (("excluded", "exclude"), ("forbidden", "forbid"), ("disliked", "dislikes"))


def person_blocks(foods: Rows, rules: PlanRules) -> np.ndarray:
    """Per food, the first of the person's rules that keeps it out ("" for none): diet, allergies,
    life-stage safety, exclusions, forbidden foods, dislikes.

    Each rule looks only at the foods no earlier rule has kept out; the name rules are the slow ones.
    """
    reason = np.full(len(foods), "", dtype=object)

    def block_each(reasons_of: Callable[[Rows], list[str]]) -> None:  # a reason per food, "" = not kept out
        open_ = reason == ""
        texts = np.asarray(reasons_of(foods.where(open_)), dtype=object)
        hit = texts != ""
        reason[np.flatnonzero(open_)[hit]] = texts[hit]

    def block(rule: Callable[[Rows], np.ndarray], why: str) -> None:
        block_each(lambda f: np.where(rule(f), why, ""))

    diets = {d: d not in DIET_LEVEL or not diet_allows(rules.diet, d) for d in set(foods["diet"].tolist())}
    block(lambda f: np.array([diets[d] for d in f["diet"].tolist()], dtype=bool), f"diet ({rules.diet})")
    if rules.allergies:
        allergy = {ALLERGEN_SYNONYMS.get(a.lower(), a.lower()) for a in rules.allergies}

        def allergic(f: Rows) -> list[str]:
            tags = f["allergens"].tolist()
            why = {}  # per distinct allergen text: a table has few
            for t in set(tags):
                hit = sorted(allergy.intersection(split_tags(t)))
                why[t] = f"allergy ({', '.join(hit)})" if hit else ""
            return [why[t] for t in tags]

        block_each(allergic)
    if rules.safety:

        def unsafe_for_stage(f: Rows) -> list[str]:
            found = unsafe_rules(rules.safety, f["name"].tolist(), f["category"].tolist())
            return ["" if r is None else f"safety: {r.why}" for r in found]

        block_each(unsafe_for_stage)
    named = [(f"{why} ('{p}')", p) for why, patterns in NAME_RULES for p in getattr(rules, patterns)]
    if named:
        block_each(lambda f: named_reasons(named, f))
    return reason


def eligible_foods(table: FoodTable, rules: PlanRules) -> Eligibility:
    """Apply planner, diet, allergy, exclusion and dislike rules, recording why each food is out: the
    table's own rules first (planner set, energy), then the person's (``person_blocks``), then the
    serving size."""
    foods = table.rows
    # the user's own foods need no planner flag
    off_planner = ~foods["planner"].astype(bool) & (foods["source"] == SR24_SOURCE)
    reason = np.where(off_planner, "not in the planner set (not as eaten or not suitable)", "").astype(object)
    reason[(reason == "") & np.isnan(foods["energy"].astype(float))] = "no energy value"
    person = person_blocks(foods, rules)
    reason = np.where(reason == "", person, reason)
    serving = foods["serving_g"].astype(float)
    with np.errstate(invalid="ignore"):
        bad_serving = ~(serving > 0) | ~(foods["max_g"].astype(float) >= serving * rules.min_portion_servings)
    reason[(reason == "") & bad_serving] = "no usable serving size"
    out = reason != ""
    return Eligibility(
        allowed=foods.where(~out),
        blocked=dict(zip(foods.ids[out].tolist(), reason[out].tolist(), strict=True)),
        person=dict(zip(foods.ids[person != ""].tolist(), person[person != ""].tolist(), strict=True)),
    )


def nutrient_matrix(foods: Rows, nutrients: list[str]) -> np.ndarray:
    """Per-100 g amounts (rows: foods, columns: nutrients), unknown counted as 0."""
    cols = [foods[n].astype(float) if n in foods else np.zeros(len(foods)) for n in nutrients]
    return np.nan_to_num(np.column_stack(cols)) if cols else np.zeros((len(foods), 0))


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
